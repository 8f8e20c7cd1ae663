import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { QUIVO_BASE_URLS } from '../nodes/Quivo/helpers/environment';
import { rejectedLoginError } from '../nodes/Quivo/transport/login';
import { logInShared } from '../nodes/Quivo/transport/session';

/** Expression form of `resolveBaseUrl`, for the credential test request. */
const BASE_URL_EXPRESSION =
	'={{ $credentials.environment === "custom" ? String($credentials.baseUrl).trim().replace(/\\/+$/, "") : ' +
	`($credentials.environment === "sandbox" ? "${QUIVO_BASE_URLS.sandbox}" : "${QUIVO_BASE_URLS.production}") }}`;

export class QuivoApi implements ICredentialType {
	name = 'quivoApi';

	displayName = 'Quivo API';

	documentationUrl = 'https://api-docs.quivo.co/api-reference/authentication';

	icon: Icon = { light: 'file:quivo.svg', dark: 'file:quivo.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: QUIVO_BASE_URLS.production },
				{ name: 'Sandbox', value: 'sandbox', description: QUIVO_BASE_URLS.sandbox },
				{ name: 'Custom', value: 'custom', description: 'Enter the base URL yourself' },
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.quivo.co',
			description: 'Base URL of the Quivo API, without a path such as /orders',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The static API key from the Quivo Dashboard',
			required: true,
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'Username of the Quivo user the workflows act as',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			// n8n calls preAuthentication when this is empty or a request got a 401, and saves the result.
			// With `password`, n8n sends the editor a placeholder in place of the saved token.
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/**
	 * Logs in and returns only the new session token, which n8n stores with the credential.
	 * Concurrent executions in one n8n process share one login.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const sessionToken = await logInShared.call(this, credentials);
		return { sessionToken };
	}

	// Quivo expects the raw token in Authorization, without a "Bearer" scheme.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-Api-Key': '={{ $credentials.apiKey }}',
				Authorization: '={{ $credentials.sessionToken }}',
			},
		},
	};

	// The test logs in with the form's values every time. A test with the saved token would pass
	// with a wrong password until that token expires, and the next scheduled run would fail.
	// TODO: Quivo's docs do not say whether /login ignores the Authorization header n8n adds here.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/login',
			method: 'POST',
			body: { username: '={{ $credentials.username }}', password: '={{ $credentials.password }}' },
		},
		// After a 401, n8n calls preAuthentication, and its login error reaches the user. The 401 rule is a fallback.
		rules: [400, 401, 403].map((status) => {
			const rejection = rejectedLoginError(status, '/login');
			return { type: 'responseCode', properties: { value: status, message: `${rejection.message}. ${rejection.description}` } };
		}),
	};
}
