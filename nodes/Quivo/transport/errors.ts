import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { QuivoBaseUrlError } from '../helpers/environment';
import { describeConnectionFailure, findErrorCode } from './constants';
import { QuivoLoginError } from './login';

/** Formats a duration in milliseconds as whole or decimal seconds, such as "1 second" or "2.5 seconds". */
function formatSeconds(milliseconds: number): string {
	const seconds = milliseconds / 1000;
	return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
}

/** The request an error belongs to, as it may appear in a message: no query, body or headers. */
export interface FailedRequest {
	method: string;
	path: string;
	itemIndex: number;
	/** Scheme, host and port of the base URL, when the credential's base URL is valid. */
	origin?: string;
	/** Credential values that must not appear in the error even if Quivo's body echoes them. */
	secrets?: string[];
	/** How many times the request was sent. */
	attempts?: number;
	/** Time limit of one attempt in milliseconds. */
	timeoutMs?: number;
	/** The wait Quivo asked for with Retry-After, when it was too long to honour. */
	retryAfterMs?: number;
}

/** Key in an error's context marking a failure that every later request of the run would repeat. */
const SESSION_FAILURE = 'quivoSessionFailure';

/** Shortest secret that is redacted; shorter strings would mangle ordinary words. */
const MIN_REDACTED_LENGTH = 4;

/** Replaces every secret in `text` with `[redacted]`. */
export function redactSecrets(text: string, secrets: string[] = []): string {
	let redacted = text;
	for (const secret of secrets) {
		if (secret.length >= MIN_REDACTED_LENGTH) redacted = redacted.split(secret).join('[redacted]');
	}
	return redacted;
}

/**
 * Checks whether the error means the credential cannot get a working session: a failed login, an
 * unusable base URL, or a 401 even after n8n logged in again.
 */
export function isSessionFailure(error: unknown): boolean {
	const context = (error as { context?: Record<string, unknown> } | undefined)?.context;
	return context?.[SESSION_FAILURE] === true;
}

/** Marks an error as a session failure, so that the node stops calling Quivo for this run. */
function markSessionFailure<T extends NodeApiError | NodeOperationError>(error: T): T {
	error.context[SESSION_FAILURE] = true;
	return error;
}

/**
 * Repeats a session failure for a later item without calling Quivo again: one failed login per
 * item could lock the Quivo account, and the result would be the same.
 */
export function repeatSessionFailure(node: INode, failure: Error, itemIndex: number) {
	const { description } = failure as { description?: unknown };
	const error = new NodeOperationError(node, failure.message, {
		itemIndex,
		description: `Not sent to Quivo, because the same failure ended an earlier item of this run. ${typeof description === 'string' ? description : ''}`.trim(),
	});
	return markSessionFailure(error);
}

/** Longest Quivo message the node repeats; longer text may be a whole page or echo user data. */
const MAX_QUIVO_MESSAGE_LENGTH = 200;

const STATUS_HINTS: Record<number, { summary: string; description: string }> = {
	400: {
		summary: 'Quivo rejected the request as invalid',
		description: 'Check the node parameters, in particular the filters and the raw query.',
	},
	401: {
		summary: 'Quivo rejected the session token even after a new login',
		description:
			'n8n logged in again and retried once. Check that the Quivo user may use the API and that the credential points at the right environment.',
	},
	403: {
		summary: 'Quivo denied access',
		description:
			'Check the API key in the Quivo credential and that the Quivo user has permission for this resource.',
	},
	404: {
		summary: 'Quivo found nothing at this address',
		description: 'Check the IDs in the node parameters and the base URL in the Quivo credential.',
	},
	429: {
		summary: 'Quivo is rate limiting requests',
		description: 'Run fewer executions at once, or wait before running the workflow again.',
	},
};

const SERVER_ERROR_HINT = {
	summary: 'Quivo failed to process the request',
	description: 'Quivo or its gateway had a problem. Run the workflow again later.',
};

/** Network codes of a request that ran out of time. */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/** Walks an error and its `cause` chain, as axios and Node.js errors may carry one. */
function* errorChain(error: unknown): Generator<object> {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		yield current;
		current = (current as { cause?: unknown }).cause;
	}
}

/** What a failed request left behind: its HTTP status, body and headers, or a network error code. */
export interface FailureFacts {
	status?: number;
	body?: unknown;
	headers?: IDataObject;
	networkCode?: string;
}

/**
 * Reads status, body and network code from an axios error or from the `NodeApiError` that
 * n8n's `httpRequestWithAuthentication` wraps it in. That wrapper keeps no `cause`: it keeps the
 * status (or the network code) as `httpCode` and an object body, such as the Buffer the
 * transport asks for, as `context.data`.
 */
export function readFailureFacts(error: unknown): FailureFacts {
	for (const link of errorChain(error)) {
		const response = (link as { response?: { status?: unknown; data?: unknown; headers?: IDataObject } }).response;
		if (response && typeof response.status === 'number') {
			return { status: response.status, body: response.data, headers: response.headers };
		}
	}

	const wrapped = error as { httpCode?: unknown; context?: { data?: unknown } };
	if (typeof wrapped?.httpCode === 'string' && wrapped.httpCode !== '') {
		if (/^\d{3}$/.test(wrapped.httpCode)) {
			return { status: Number(wrapped.httpCode), body: wrapped.context?.data };
		}
		return { networkCode: wrapped.httpCode };
	}
	return { networkCode: findErrorCode(error) };
}

function truncate(text: string): string {
	const line = text.trim().split(/\r?\n/)[0].trim();
	return line.length > MAX_QUIVO_MESSAGE_LENGTH ? `${line.slice(0, MAX_QUIVO_MESSAGE_LENGTH)}…` : line;
}

/**
 * Extracts Quivo's own message from an error body. Quivo responds with plain text
 * (`positions: must not be null`), JSON `{message}` or `{status, field, message}`, and its
 * gateway sometimes with an HTML page, which is never repeated.
 */
export function extractQuivoMessage(data: unknown): string | undefined {
	if (Buffer.isBuffer(data)) return extractQuivoMessage(data.toString('utf8'));

	if (typeof data === 'string') {
		const text = data.trim();
		if (text === '' || text.startsWith('<')) return undefined;
		try {
			return extractQuivoMessage(JSON.parse(text));
		} catch {
			return truncate(text);
		}
	}

	if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
	const { message, field } = data as { message?: unknown; field?: unknown };
	if (typeof message !== 'string' || message.trim() === '') return undefined;
	if (typeof field === 'string' && field !== '' && !message.startsWith(field)) {
		return truncate(`${field}: ${message}`);
	}
	return truncate(message);
}

/**
 * Turns whatever a Quivo request threw into one n8n error with the item index. The error
 * carries the status, Quivo's message and the request line, never a header, token or body.
 */
export function toNodeError(node: INode, error: unknown, request: FailedRequest) {
	const { method, path, itemIndex, origin, secrets, attempts = 1, timeoutMs, retryAfterMs } = request;
	const errorDetails: JsonObject = { method, path, attempts };
	const tried = attempts > 1 ? `The node sent the request ${attempts} times. ` : '';

	for (const link of errorChain(error)) {
		if (link instanceof QuivoLoginError) {
			const loginError = new NodeApiError(
				node,
				{ ...errorDetails, loginStatus: link.loginStatus ?? null },
				{
					message: link.message,
					description: link.description,
					httpCode: link.loginStatus ? String(link.loginStatus) : undefined,
					itemIndex,
				},
			);
			return markSessionFailure(loginError);
		}
		if (link instanceof QuivoBaseUrlError) {
			return markSessionFailure(
				new NodeOperationError(node, link.message, { itemIndex, description: link.description }),
			);
		}
	}

	const facts = readFailureFacts(error);
	if (facts.status !== undefined) {
		const { status } = facts;
		const hint = STATUS_HINTS[status] ?? (status >= 500 ? SERVER_ERROR_HINT : undefined);
		const extracted = extractQuivoMessage(facts.body);
		const quivoMessage = extracted === undefined ? undefined : redactSecrets(extracted, secrets);
		const summary = hint?.summary ?? 'Quivo returned an unexpected status';
		const waitTooLong =
			retryAfterMs === undefined
				? ''
				: `Quivo requested a wait of ${formatSeconds(Math.ceil(retryAfterMs / 1000) * 1000)} (Retry-After), longer than the node waits. `;
		const apiError = new NodeApiError(
			node,
			{ ...errorDetails, httpCode: String(status), quivoMessage: quivoMessage ?? null },
			{
				message: `${summary} for ${method} ${path} (HTTP ${status})${quivoMessage ? `: ${quivoMessage}` : ''}`,
				description: `${tried}${waitTooLong}${hint?.description ?? 'Check the node parameters and run the workflow again.'}`,
				httpCode: String(status),
				itemIndex,
			},
		);
		return status === 401 ? markSessionFailure(apiError) : apiError;
	}

	if (facts.networkCode !== undefined && TIMEOUT_CODES.has(facts.networkCode) && timeoutMs !== undefined) {
		return new NodeApiError(node, errorDetails, {
			message: `Quivo did not respond to ${method} ${path} within ${formatSeconds(timeoutMs)}`,
			description: `${tried}Raise Timeout in the node's options, narrow the filters, or run the workflow again later.`,
			itemIndex,
		});
	}

	if (facts.networkCode !== undefined) {
		return new NodeApiError(node, errorDetails, {
			message: origin ? `Could not reach Quivo at ${origin} for ${method} ${path}` : `Could not reach Quivo for ${method} ${path}`,
			description: `${tried}${describeConnectionFailure(facts.networkCode)}`,
			itemIndex,
		});
	}

	// Errors raised before any request, such as a failed login in the credential's hook, reach
	// this point wrapped by n8n with their own message and description and no HTTP status.
	const { message, description } = error as { message?: unknown; description?: unknown };
	const hookError = new NodeOperationError(node, typeof message === 'string' ? message : String(error), {
		itemIndex,
		description: typeof description === 'string' ? description : undefined,
	});
	return markSessionFailure(hookError);
}
