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

/** Joins clauses with AND; each clause is wrapped so that OR inside one cannot leak out. */
export function allOf(clauses: string[]): string | undefined {
	const present = clauses.filter((clause) => clause.trim() !== '');
	if (present.length === 0) return undefined;
	if (present.length === 1) return present[0];
	return present.map((clause) => `(${clause})`).join(' AND ');
}

/**
 * Normalizes a date from an n8n date-time parameter to ISO 8601 UTC without milliseconds.
 * A value without a time zone is read as UTC, the zone Quivo uses. Returns undefined for an
 * invalid date.
 */
export function toQuivoDateTime(value: unknown): string | undefined {
	let text = value instanceof Date ? value.toISOString() : String(value ?? '').trim();
	if (text === '') return undefined;
	if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text = `${text}T00:00:00Z`;
	else if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text = `${text}Z`;

	const date = new Date(text);
	if (Number.isNaN(date.getTime())) return undefined;
	return date.toISOString().replace('.000Z', 'Z');
}
