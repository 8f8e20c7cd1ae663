/**
 * Integers with 16 or more digits can exceed Number.MAX_SAFE_INTEGER. Elasticsearch puts
 * Long.MAX_VALUE or Long.MIN_VALUE into a hit's sort values when the sort field is missing.
 */
const LARGE_INTEGER = /^-?\d{16,}$/;

/** A hit's `sort` array; its values are numbers or strings, never nested arrays. */
const SORT_ARRAY = /"sort"\s*:\s*\[([^[\]{}]*)\]/g;
const UNQUOTED_LARGE_INTEGER = /(^|[\s,])(-?\d{16,})(?=\s*(?:,|$))/g;
/** Matches a body with 16 digits in a row inside a `sort` array, the only bodies the rewrite changes. */
const SORT_ARRAY_WITH_LARGE_INTEGER = /"sort"\s*:\s*\[[^[\]{}]*\d{16}/;

/**
 * Parses a Quivo JSON body. Large integers inside `sort` arrays are kept as strings with all
 * their digits, because JSON.parse would round them and the next `searchAfter` would be wrong.
 */
export function parseQuivoJson(text: string): unknown {
	// Ordinary pages have no such values, so they skip the rewrite and the copy of the body it makes.
	if (!SORT_ARRAY_WITH_LARGE_INTEGER.test(text)) return JSON.parse(text) as unknown;
	const protectedText = text.replace(
		SORT_ARRAY,
		(array: string, values: string) =>
			array.replace(values, values.replace(UNQUOTED_LARGE_INTEGER, (_match, before: string, digits: string) => `${before}"${digits}"`)),
	);
	return JSON.parse(protectedText) as unknown;
}

/** Writes one sort value as JSON; a protected large integer goes back out as a number literal. */
export function sortValueToJson(value: unknown): string {
	if (typeof value === 'string' && LARGE_INTEGER.test(value)) return value;
	return JSON.stringify(value);
}
