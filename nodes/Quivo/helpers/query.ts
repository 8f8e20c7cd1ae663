/**
 * Builders for Quivo's `query` parameter, which Quivo evaluates as an Elasticsearch
 * query-string expression.
 */

/** Characters with a meaning in Elasticsearch query-string syntax outside quotes. */
const RESERVED_CHARACTERS = /[+\-=&|><!(){}[\]^"~*?:\\/]/g;

/** Quotes a value so that Elasticsearch matches it as one literal phrase. */
export function quoteValue(value: string): string {
	return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** Escapes a value used outside quotes, such as a range bound. */
export function escapeValue(value: string): string {
	return value.replace(RESERVED_CHARACTERS, '\\$&');
}

/** Matches a field against one value or any of several values. */
export function anyOf(field: string, values: string[]): string {
	const terms = values.map(quoteValue);
	return terms.length === 1 ? `${field}:${terms[0]}` : `${field}:(${terms.join(' OR ')})`;
}

/** Matches a field in a range; `from` is inclusive and `to` exclusive, so ranges can be chained. */
export function range(field: string, from?: string, to?: string): string {
	const lower = from === undefined ? '[*' : `[${escapeValue(from)}`;
	const upper = to === undefined ? '*]' : `${escapeValue(to)}}`;
	return `${field}:${lower} TO ${upper}`;
}

/**
 * Joins clauses with AND, each wrapped in parentheses so that an OR inside a balanced clause stays
 * inside it. NOTE: a Query filter with unbalanced parentheses, such as `a) OR (b`, still escapes.
 */
export function allOf(clauses: string[]): string | undefined {
	const present = clauses.filter((clause) => clause.trim() !== '');
	if (present.length === 0) return undefined;
	if (present.length === 1) return present[0];
	return present.map((clause) => `(${clause})`).join(' AND ');
}

/** ISO 8601 date or date-time: `T` or a space between date and time, optional zone. */
const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Normalizes a date from an n8n date-time parameter to ISO 8601 UTC without milliseconds.
 * Only ISO 8601 is accepted, so that no value is guessed in the server's local time zone; a value
 * without a time zone is read as UTC, the zone Quivo uses. Returns undefined for anything else,
 * including impossible dates such as 2026-02-30.
 */
export function toQuivoDateTime(value: unknown): string | undefined {
	const text = value instanceof Date ? value.toISOString() : String(value ?? '').trim();
	const match = ISO_DATE_TIME.exec(text);
	if (match === null) return undefined;

	const [, year, month, day, hour = '00', minute = '00', second = '00', zone] = match;
	const fields = [year, month, day, hour, minute, second].map(Number);
	const asUtc = new Date(Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]));
	const roundTrip = [
		asUtc.getUTCFullYear(),
		asUtc.getUTCMonth() + 1,
		asUtc.getUTCDate(),
		asUtc.getUTCHours(),
		asUtc.getUTCMinutes(),
		asUtc.getUTCSeconds(),
	];
	if (roundTrip.some((field, index) => field !== fields[index])) return undefined;

	const hasTime = match[4] !== undefined;
	const date = hasTime ? new Date(text.replace(' ', 'T') + (zone === undefined ? 'Z' : '')) : asUtc;
	if (Number.isNaN(date.getTime())) return undefined;
	return date.toISOString().replace('.000Z', 'Z');
}
