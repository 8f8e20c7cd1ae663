import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { resolveBaseUrl } from '../helpers/environment';
import { readFailureFacts, toNodeError } from './errors';
import { parseQuivoJson } from './json';
import {
	backoffDelayMs,
	DEFAULT_POLICY,
	isRetryableFailure,
	MAX_TOTAL_WAIT_MS,
	readRetryAfterMs,
	type RequestPolicy,
} from './retry';

/** One call of the Quivo API, relative to the credential's base URL. */
export interface QuivoRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/**
	 * Whether sending the request twice cannot do anything twice. Defaults to true for GET; a
	 * write is only safe to repeat when its body carries Quivo's duplicate guard, such as
	 * `orderIdentifier` or `requestUUID`.
	 */
	idempotent?: boolean;
}

/** Returns the credential values that no error may repeat. */
function credentialSecrets(credentials: ICredentialDataDecryptedObject): string[] {
	return [credentials.apiKey, credentials.password, credentials.username, credentials.sessionToken].filter(
		(value): value is string => typeof value === 'string' && value !== '',
	);
}

/** Parses a response body: JSON, or undefined for an empty body. */
function parseBody(this: IExecuteFunctions, raw: unknown, request: QuivoRequest, itemIndex: number): unknown {
	const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
	if (typeof text !== 'string') return text;
	if (text.trim() === '') return undefined;
	try {
		return parseQuivoJson(text);
	} catch {
		const kind = text.trim().startsWith('<') ? 'an HTML page' : 'text that is not JSON';
		throw new NodeOperationError(this.getNode(), `Quivo returned ${kind} for ${request.method} ${request.path}`, {
			itemIndex,
			description:
				'Check that the base URL in the Quivo credential points at the Quivo API and not at a website or proxy.',
		});
	}
}

/**
 * Sends one authenticated request to Quivo and returns the parsed JSON body, or undefined for
 * an empty body.
 *
 * Requests go through `httpRequestWithAuthentication`, so n8n logs in when the saved session
 * token is empty. The first try does not throw on HTTP errors, which keeps the headers of a 429
 * for `Retry-After`. n8n only logs in again when a request throws a 401, so a 401 is sent once
 * more the throwing way, and n8n then logs in, saves the token and repeats it. Idempotent
 * requests are repeated after 429, 502, 503, 504, resets and timeouts, with backoff.
 */
export async function quivoApiRequest(
	this: IExecuteFunctions,
	request: QuivoRequest,
	itemIndex: number,
	policy: RequestPolicy = DEFAULT_POLICY,
): Promise<unknown> {
	const { method, path, qs, body } = request;
	const idempotent = request.idempotent ?? method === 'GET';
	let secrets: string[] = [];
	let origin: string | undefined;
	let waitedMs = 0;

	for (let attempt = 1; ; attempt++) {
		let failure: unknown;
		try {
			const credentials = await this.getCredentials('quivoApi', itemIndex);
			secrets = credentialSecrets(credentials);
			const baseUrl = resolveBaseUrl(credentials);
			origin = new URL(baseUrl).origin;
			const options: IHttpRequestOptions = {
				method,
				url: `${baseUrl}${path}`,
				qs,
				body,
				json: true,
				// The raw bytes, parsed here: n8n's error wrapper keeps a Buffer body but drops a text
				// one, and Quivo sends validation errors as plain text.
				encoding: 'arraybuffer',
				timeout: policy.timeoutMs,
			};

			const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'quivoApi', {
				...options,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as IN8nHttpFullResponse;

			if (response.statusCode === 401) {
				this.logger.debug('Quivo session rejected; repeating the request so that n8n logs in again', { path });
				const raw = await this.helpers.httpRequestWithAuthentication.call(this, 'quivoApi', options);
				return parseBody.call(this, raw, request, itemIndex);
			}
			if (response.statusCode >= 200 && response.statusCode < 300) {
				return parseBody.call(this, response.body, request, itemIndex);
			}
			failure = { response: { status: response.statusCode, data: response.body, headers: response.headers } };
		} catch (error) {
			failure = error;
		}

		const facts = readFailureFacts(failure);
		const retryAfterMs = readRetryAfterMs(facts.headers);
		const delayMs = retryAfterMs ?? backoffDelayMs(attempt);
		const retryable = idempotent && isRetryableFailure(facts.status, facts.networkCode) && attempt <= policy.maxRetries;
		const waitTooLong = waitedMs + delayMs > MAX_TOTAL_WAIT_MS;
		if (retryable && !waitTooLong) {
			this.logger.debug('Retrying Quivo request', {
				path,
				attempt,
				status: facts.status,
				code: facts.networkCode,
				delayMs,
			});
			await sleep(delayMs);
			waitedMs += delayMs;
			continue;
		}

		// A re-login during the request saved a new token; read it so that it is redacted too.
		const current = await this.getCredentials('quivoApi', itemIndex).catch(() => undefined);
		if (current) secrets = [...secrets, ...credentialSecrets(current)];
		throw toNodeError(this.getNode(), failure, {
			method,
			path,
			itemIndex,
			origin,
			secrets,
			attempts: attempt,
			timeoutMs: policy.timeoutMs,
			retryAfterMs: retryable && waitTooLong ? retryAfterMs : undefined,
		});
	}
}
