import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { resolveBaseUrl } from '../helpers/environment';
import type { QuivoLoginResponse } from '../helpers/types';
import { describeConnectionFailure, findErrorCode, LOGIN_TIMEOUT_MS } from './constants';

/**
 * Error for a failed `POST /login`. It deliberately has no `response` or status property:
 * n8n logs in again and retries whenever an error carries HTTP status 401, so a rejected
 * password would cost a second failed login per item and risk locking the account.
 */
export class QuivoLoginError extends Error {
	override readonly name = 'QuivoLoginError';

	constructor(
		message: string,
		readonly description: string,
		readonly loginStatus?: number,
	) {
		super(message);
	}
}

/**
 * Reads the session token from a login response. Quivo's docs do not show the response;
 * public client code of two Quivo customers reads `Token`.
 */
export function readSessionToken(body: unknown): string | undefined {
	// TODO: confirm the field name once Quivo documents the login response; `token` is a guess.
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return undefined;
		}
	}
	if (parsed === null || typeof parsed !== 'object') return undefined;

	const { Token, token } = parsed as QuivoLoginResponse;
	for (const candidate of [Token, token]) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return candidate;
	}
	return undefined;
}

/** Maps a rejected login to an error that names the likely cause and the fix. */
export function rejectedLoginError(status: number, loginUrl: string): QuivoLoginError {
	// TODO: Quivo does not document which status a wrong API key or password gets. A wrong key
	// is assumed to get AWS API Gateway's 403, a wrong username or password 401 or 400.
	if (status === 403) {
		return new QuivoLoginError(
			'Quivo rejected the API key (HTTP 403)',
			'Check the API key in the Quivo credential; the Quivo Dashboard shows it. Keys of the sandbox do not work in production, and the other way round.',
			status,
		);
	}
	if (status === 401 || status === 400) {
		return new QuivoLoginError(
			`Quivo rejected the username or password (HTTP ${status})`,
			'Check the username and password in the Quivo credential. n8n tried to log in once and will not retry, so the account is not locked by repeated attempts.',
			status,
		);
	}
	if (status === 404) {
		return new QuivoLoginError(
			`Quivo has no login endpoint at ${loginUrl} (HTTP 404)`,
			'Check the environment or the base URL in the Quivo credential.',
			status,
		);
	}
	if (status === 429 || status >= 500) {
		return new QuivoLoginError(
			`Quivo login failed with HTTP ${status}`,
			'Quivo or its gateway is overloaded or unavailable. Run the workflow again later.',
			status,
		);
	}
	return new QuivoLoginError(
		`Quivo login failed with HTTP ${status}`,
		'Check the environment, base URL, API key, username and password in the Quivo credential.',
		status,
	);
}

/**
 * Logs in with the credential's API key, username and password and returns the session token.
 * Uses only `this.helpers.httpRequest`, because that is all n8n 2.x hands to the credential hook.
 */
export async function logIn(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const loginUrl = `${resolveBaseUrl(credentials)}/login`;

	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequest({
			method: 'POST',
			url: loginUrl,
			headers: {
				'X-Api-Key': String(credentials.apiKey ?? ''),
				Accept: 'application/json',
			},
			body: { username: credentials.username, password: credentials.password },
			json: true,
			timeout: LOGIN_TIMEOUT_MS,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		/* eslint-disable-next-line @n8n/community-nodes/require-node-api-error --
		   This runs in the credential hook, which gets no node to build a NodeApiError with.
		   toNodeError in errors.ts turns it into an n8n error with the item index in the node. */
		throw new QuivoLoginError(
			`Could not reach Quivo at ${new URL(loginUrl).origin} to log in`,
			describeConnectionFailure(findErrorCode(error)),
		);
	}

	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw rejectedLoginError(response.statusCode, loginUrl);
	}

	const token = readSessionToken(response.body);
	if (token === undefined) {
		throw new QuivoLoginError(
			'Quivo accepted the login but its response contained no session token',
			'The response had neither a "Token" nor a "token" field. Check that the base URL points at the Quivo API and not at another server.',
			response.statusCode,
		);
	}
	return token;
}
