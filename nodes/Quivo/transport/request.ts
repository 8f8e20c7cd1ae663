import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveBaseUrl } from '../helpers/environment';
import { REQUEST_TIMEOUT_MS } from './constants';
import { toNodeError } from './errors';
import { parseQuivoJson } from './json';

/** Returns the credential values that no error may repeat. */
function credentialSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	return [credentials.apiKey, credentials.password, credentials.username, credentials.sessionToken]
		.filter((value): value is string => typeof value === 'string' && value !== '');
}

/** One call of the Quivo API, relative to the credential's base URL. */
export interface QuivoRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

/**
 * Sends one authenticated request to Quivo and returns the parsed JSON body, or undefined for
 * an empty body. It goes through `httpRequestWithAuthentication`, so n8n logs in when the saved
 * session token is empty, and on a 401 logs in again and retries once. Errors become n8n errors
 * that carry the item index.
 */
export async function quivoApiRequest(
	this: IExecuteFunctions,
	request: QuivoRequest,
	itemIndex: number,
): Promise<unknown> {
	const { method, path, qs, body } = request;

	let raw: unknown;
	let secrets: string[] = [];
	try {
		const credentials = await this.getCredentials('quivoApi', itemIndex);
		secrets = credentialSecrets(credentials);
		const options: IHttpRequestOptions = {
			method,
			url: `${resolveBaseUrl(credentials)}${path}`,
			qs,
			body,
			json: true,
			// The raw bytes, parsed below: n8n's error wrapper keeps a Buffer body but drops a text
			// one, and Quivo sends validation errors as plain text.
			encoding: 'arraybuffer',
			timeout: REQUEST_TIMEOUT_MS,
		};
		raw = await this.helpers.httpRequestWithAuthentication.call(this, 'quivoApi', options);
	} catch (error) {
		// A re-login during the request saved a new token; read it so that it is redacted too.
		const current = await this.getCredentials('quivoApi', itemIndex).catch(() => undefined);
		if (current) secrets = [...secrets, ...credentialSecrets(current)];
		throw toNodeError(this.getNode(), error, { method, path, itemIndex, secrets });
	}

	const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
	if (typeof text !== 'string') return text;
	if (text.trim() === '') return undefined;
	try {
		return parseQuivoJson(text);
	} catch {
		const kind = text.trim().startsWith('<') ? 'an HTML page' : 'text that is not JSON';
		throw new NodeOperationError(this.getNode(), `Quivo answered ${method} ${path} with ${kind}`, {
			itemIndex,
			description:
				'Check that the base URL in the Quivo credential points at the Quivo API and not at a website or proxy.',
		});
	}
}
