/** Quivo's maximum `pageSize` for list endpoints; the API's default is 25. */
export const MAX_PAGE_SIZE = 1000;

/** How long one API request may take before n8n aborts it. */
export const REQUEST_TIMEOUT_MS = 60_000;

/** How long `POST /login` may take before n8n aborts it. */
export const LOGIN_TIMEOUT_MS = 30_000;

/** Network error codes that mean the request never got an HTTP response. */
const CONNECTION_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the server refused the connection',
	ECONNRESET: 'the connection was reset',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'the request timed out',
	ERR_CANCELED: 'the request was cancelled',
};

/** Reads a Node.js or axios error code from an error or its causes. */
export function findErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && code !== '') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** Returns a description of a failed connection, from its network error code, that says what to check next. */
export function describeConnectionFailure(code: string | undefined): string {
	const reason = (code && CONNECTION_FAILURES[code]) ?? 'the connection failed';
	return `No HTTP response came back because ${reason}${code ? ` (${code})` : ''}. Check the environment or base URL in the Quivo credential and that this n8n instance can reach the host.`;
}
