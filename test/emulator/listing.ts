/**
 * `GET /orders` list semantics: filter, sort, then page by offset or by Elasticsearch `search_after`.
 */
import { BadRequestError } from './errors';
import type { FieldType, QuivoOrder } from './orders';
import { ORDER_FIELD_TYPES } from './orders';
import { collectLeaves, compileQuery, parseDateInterval } from './query';

export type SortValue = number | string | boolean | null;

export interface SortKey {
	field: string;
	path: readonly string[];
	type: FieldType;
	direction: 'asc' | 'desc';
}

/** Raw query parameters of `GET /orders`; an empty string counts as absent. */
export interface ListParameters {
	query?: string;
	sort?: string;
	page?: string;
	pageSize?: string;
	searchAfter?: string;
}

/** An order as listed: the summary plus the Elasticsearch sort values of the hit. */
export type ListedOrder = QuivoOrder & { sort: SortValue[] };

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 1000;
/** Elasticsearch's default `index.max_result_window`: `from + size` may not exceed it. */
export const MAX_RESULT_WINDOW = 10000;
export const DEFAULT_SORT = 'orderId:asc';

interface Hit {
	order: QuivoOrder;
	values: SortValue[];
}

const CACHE_SIZE = 16;

/** Lists orders. It caches sorted hits per query and sort, so `orders` must not change after the first call. */
export class OrderIndex {
	private readonly cache = new Map<string, Hit[]>();

	constructor(private readonly orders: readonly QuivoOrder[]) {}

	list(parameters: ListParameters): ListedOrder[] {
		const pageSize = parsePageSize(parameters.pageSize);
		const page = parsePage(parameters.page);
		const sortKeys = parseSort(parameters.sort);
		const hits = this.sortedHits(parameters.query ?? '', sortKeys);

		let start: number;
		if (isPresent(parameters.searchAfter)) {
			start = indexAfter(hits, parseSearchAfter(parameters.searchAfter, sortKeys), sortKeys);
		} else {
			const window = (page + 1) * pageSize;
			if (window > MAX_RESULT_WINDOW) {
				throw new BadRequestError(`Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${window}].`);
			}
			start = page * pageSize;
		}
		return hits.slice(start, start + pageSize).map((hit) => ({ ...hit.order, sort: hit.values }));
	}

	private sortedHits(query: string, sortKeys: SortKey[]): Hit[] {
		const cacheKey = `${query}\n${sortKeys.map((key) => `${key.field}:${key.direction}`).join(',')}`;
		const cached = this.cache.get(cacheKey);
		if (cached !== undefined) return cached;

		const matches = compileQuery(query, ORDER_FIELD_TYPES);
		const hits = this.orders
			.filter((order) => matches(order))
			.map((order) => ({ order, values: sortKeys.map((key) => sortValueOf(order, key)) }));
		// Array.prototype.sort is stable, so ties keep orderId order, like Elasticsearch's index order.
		hits.sort((left, right) => compareSortValues(left.values, right.values, sortKeys));

		if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
		this.cache.set(cacheKey, hits);
		return hits;
	}
}

function isPresent(value: string | undefined): value is string {
	return value !== undefined && value !== '';
}

function parsePageSize(text: string | undefined): number {
	if (!isPresent(text)) return DEFAULT_PAGE_SIZE;
	const pageSize = parseInteger('pageSize', text);
	if (pageSize < 1) throw new BadRequestError('pageSize: must be greater than or equal to 1');
	if (pageSize > MAX_PAGE_SIZE) throw new BadRequestError(`pageSize: must be less than or equal to ${MAX_PAGE_SIZE}`);
	return pageSize;
}

/** NOTE: the page base is undocumented; the emulator counts pages from 0, as a third-party client does. */
function parsePage(text: string | undefined): number {
	if (!isPresent(text)) return 0;
	const page = parseInteger('page', text);
	if (page < 0) throw new BadRequestError('page: must be greater than or equal to 0');
	return page;
}

function parseInteger(name: string, text: string): number {
	if (!/^-?\d+$/.test(text.trim())) throw new BadRequestError(`${name}: must be an integer, got [${text}]`);
	return Number(text);
}

/**
 * Parses `field:asc|desc[,field:asc|desc…]`.
 * NOTE: a field without a direction sorts ascending, Elasticsearch's default; the Quivo behaviour is undocumented.
 */
export function parseSort(text: string | undefined): SortKey[] {
	const source = isPresent(text) ? text : DEFAULT_SORT;
	return source.split(',').map((item) => {
		const trimmed = item.trim();
		const separator = trimmed.lastIndexOf(':');
		const field = separator < 0 ? trimmed : trimmed.slice(0, separator);
		const direction = separator < 0 ? 'asc' : trimmed.slice(separator + 1).toLowerCase();
		if (direction !== 'asc' && direction !== 'desc') {
			throw new BadRequestError(`sort: invalid direction [${trimmed.slice(separator + 1)}] for field [${field}], expected asc or desc`);
		}
		const type = ORDER_FIELD_TYPES[field];
		if (type === undefined) throw new BadRequestError(`No mapping found for [${field}] in order to sort on`);
		return { field, path: field.split('.'), type, direction };
	});
}

/**
 * Returns the value Elasticsearch sorts this order by: epoch milliseconds for dates, and for multi-valued
 * fields the minimum when ascending or the maximum when descending.
 * NOTE: a missing value sorts last and is returned as null; real Elasticsearch returns a Long.MIN/MAX
 * sentinel for missing numeric and date values instead.
 */
function sortValueOf(order: QuivoOrder, key: SortKey): SortValue {
	const values = collectLeaves(order, key.path)
		.map((leaf) => toSortValue(leaf, key.type))
		.filter((value): value is Exclude<SortValue, null> => value !== null);
	if (values.length === 0) return null;
	return values.reduce((best, value) => {
		const order = compareValues(value, best);
		return (key.direction === 'asc' ? order < 0 : order > 0) ? value : best;
	});
}

function toSortValue(leaf: unknown, type: FieldType): SortValue {
	if (type === 'date') return typeof leaf === 'string' ? Date.parse(leaf) : null;
	if (type === 'long' || type === 'double') return typeof leaf === 'number' ? leaf : null;
	if (type === 'boolean') return typeof leaf === 'boolean' ? leaf : null;
	return typeof leaf === 'string' ? leaf : null;
}

function compareValues(left: Exclude<SortValue, null>, right: Exclude<SortValue, null>): number {
	if (left < right) return -1;
	return left > right ? 1 : 0;
}

/** Compares two hits' sort values key by key; missing values come last in either direction, as in Elasticsearch. */
export function compareSortValues(left: readonly SortValue[], right: readonly SortValue[], keys: readonly SortKey[]): number {
	for (let i = 0; i < keys.length; i++) {
		const a = left[i];
		const b = right[i];
		if (a === null || b === null) {
			if (a === b) continue;
			return a === null ? 1 : -1;
		}
		const order = compareValues(a, b);
		if (order !== 0) return keys[i].direction === 'asc' ? order : -order;
	}
	return 0;
}

/**
 * Parses `searchAfter`: one bare value, or a JSON array with one value per sort key.
 * Each value is converted to its sort key's type; a value that does not convert throws BadRequestError.
 */
export function parseSearchAfter(text: string, keys: readonly SortKey[]): SortValue[] {
	let values: unknown[];
	if (text.trimStart().startsWith('[')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			throw new BadRequestError(`searchAfter: invalid JSON array [${text}]`);
		}
		values = Array.isArray(parsed) ? parsed : [parsed];
	} else {
		values = [text];
	}
	if (values.length !== keys.length) {
		throw new BadRequestError(`search_after has ${values.length} value(s) but sort has ${keys.length}.`);
	}
	return values.map((value, i) => parseCursorValue(value, keys[i]));
}

function parseCursorValue(value: unknown, key: SortKey): SortValue {
	if (value === null) return null;
	const failure = new BadRequestError(`Failed to parse search_after value [${String(value)}] for field [${key.field}] of type [${key.type}]`);
	switch (key.type) {
		case 'date': {
			if (typeof value === 'number' && Number.isFinite(value)) return value;
			if (typeof value !== 'string') throw failure;
			const interval = /^-?\d+$/.test(value) ? { start: Number(value) } : parseDateInterval(value);
			if (interval === null) throw failure;
			return interval.start;
		}
		case 'long':
		case 'double': {
			const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
			if (typeof number !== 'number' || !Number.isFinite(number)) throw failure;
			return number;
		}
		case 'boolean':
			if (value === true || value === 'true') return true;
			if (value === false || value === 'false') return false;
			throw failure;
		case 'keyword':
			if (typeof value === 'string') return value;
			if (typeof value === 'number') return String(value);
			throw failure;
	}
}

/**
 * Returns the index of the first hit strictly after the cursor. Like Elasticsearch `search_after`, hits
 * whose sort values all equal the cursor are skipped too, so a sort without a unique tie-breaker loses them.
 */
function indexAfter(hits: readonly Hit[], cursor: readonly SortValue[], keys: readonly SortKey[]): number {
	let low = 0;
	let high = hits.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compareSortValues(hits[middle].values, cursor, keys) <= 0) low = middle + 1;
		else high = middle;
	}
	return low;
}
