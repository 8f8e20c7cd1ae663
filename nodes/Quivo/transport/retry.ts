import type { IDataObject } from 'n8n-workflow';

/** Retry count and time limit of a request. */
export interface RequestPolicy {
	/** Repeats after the first attempt; 0 sends each request once. */
	maxRetries: number;
	/** Time limit of one attempt in milliseconds. */
	timeoutMs: number;
}

export const DEFAULT_POLICY: RequestPolicy = { maxRetries: 3, timeoutMs: 60_000 };

/** Maximum total wait between the attempts of one request, in milliseconds. */
export const MAX_TOTAL_WAIT_MS = 60_000;

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 16_000;

/** Statuses that mean "try again later": rate limiting and gateway failures. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** Network errors after which the same request may succeed: resets and timeouts. */
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN']);

/** Returns whether a failure with this status or network code is worth another attempt. */
export function isRetryableFailure(status: number | undefined, networkCode: string | undefined): boolean {
	if (status !== undefined) return RETRYABLE_STATUSES.has(status);
	return networkCode !== undefined && RETRYABLE_NETWORK_CODES.has(networkCode);
}

/**
 * Reads `Retry-After` in milliseconds from response headers: delay-seconds or an HTTP date.
 * Returns undefined when the header is missing or invalid.
 */
export function readRetryAfterMs(headers: IDataObject | undefined, now = Date.now()): number | undefined {
	const header = headers?.['retry-after'] ?? headers?.['Retry-After'];
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;

	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … up to 16 s, each scaled by 0.5 to 1. */
export function backoffDelayMs(attempt: number, random = Math.random): number {
	const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
	return Math.round(ceiling * (0.5 + random() / 2));
}
