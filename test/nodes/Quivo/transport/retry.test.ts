import { backoffDelayMs, isRetryableFailure, readRetryAfterMs } from '../../../../nodes/Quivo/transport/retry';

describe('retry policy', () => {
	test.each([429, 502, 503, 504])('retries HTTP %i', (status) => {
		expect(isRetryableFailure(status, undefined)).toBe(true);
	});

	test.each([400, 401, 403, 404, 409, 500])('does not retry HTTP %i', (status) => {
		expect(isRetryableFailure(status, undefined)).toBe(false);
	});

	test.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED'])('retries %s', (code) => {
		expect(isRetryableFailure(undefined, code)).toBe(true);
	});

	test.each(['ECONNREFUSED', 'ENOTFOUND', 'ERR_CANCELED'])('does not retry %s', (code) => {
		expect(isRetryableFailure(undefined, code)).toBe(false);
	});

	test('reads Retry-After seconds and dates', () => {
		const now = Date.parse('2026-12-04T12:00:00Z');
		expect(readRetryAfterMs({ 'retry-after': '7' }, now)).toBe(7000);
		expect(readRetryAfterMs({ 'retry-after': 'Fri, 04 Dec 2026 12:00:30 GMT' }, now)).toBe(30_000);
		expect(readRetryAfterMs({ 'retry-after': 'Fri, 04 Dec 2026 11:00:00 GMT' }, now)).toBe(0);
		expect(readRetryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
		expect(readRetryAfterMs({}, now)).toBeUndefined();
	});

	test('backoff doubles up to 16 seconds', () => {
		expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, () => 1))).toEqual([
			1000, 2000, 4000, 8000, 16000, 16000,
		]);
		expect(backoffDelayMs(1, () => 0)).toBe(500);
	});
});
