import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from './constants';
import { sortValueToJson } from './json';
import { quivoApiRequest } from './request';
import type { RequestPolicy } from './retry';

/** What to fetch: a list endpoint, its query, and how to tell its items apart. */
export interface SearchAfterRequest {
	path: string;
	qs: IDataObject;
	/** Stop after this many items; undefined fetches all. */
	limit?: number;
	/** Field that identifies an item, used to drop an item that a later page repeats. */
	idField: string;
	/** Retries and timeout of each page request. */
	policy?: RequestPolicy;
}

/**
 * Encodes an item's Elasticsearch sort values as Quivo's `searchAfter` parameter: the plain
 * value for one sort field, a JSON array for several.
 */
export function encodeSearchAfter(sortValues: unknown): string | undefined {
	if (Array.isArray(sortValues)) {
		if (sortValues.length === 0) return undefined;
		return sortValues.length === 1 ? String(sortValues[0]) : `[${sortValues.map(sortValueToJson).join(',')}]`;
	}
	if (typeof sortValues === 'string' || typeof sortValues === 'number') return String(sortValues);
	return undefined;
}

/**
 * Fetches a Quivo list page by page with `searchAfter`, the cursor Quivo documents for going
 * past Elasticsearch's window of 10,000 results that `page` numbers cannot cross. Each page is
 * its own authenticated request, so an expired token costs one login and that page is retried.
 */
export async function getAllBySearchAfter(
	this: IExecuteFunctions,
	request: SearchAfterRequest,
	itemIndex: number,
): Promise<IDataObject[]> {
	const { path, qs, limit, idField, policy } = request;
	const results: IDataObject[] = [];
	const seenIds = new Set<unknown>();
	let cursor: string | undefined;

	for (let page = 1; ; page++) {
		const pageSize = limit === undefined ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, limit - results.length);
		const pageQuery: IDataObject = { ...qs, pageSize };
		if (cursor !== undefined) pageQuery.searchAfter = cursor;

		const response = await quivoApiRequest.call(this, { method: 'GET', path, qs: pageQuery }, itemIndex, policy);
		if (!Array.isArray(response)) {
			throw new NodeOperationError(
				this.getNode(),
				`Quivo returned ${describeShape(response)} for GET ${path} where a list was expected`,
				{
					itemIndex,
					description: 'Check that the base URL in the Quivo credential points at the Quivo API.',
				},
			);
		}

		let added = 0;
		for (const item of response as IDataObject[]) {
			const id = item?.[idField];
			// An item whose sort key changed while paging (say, its lastModified) shows up again.
			if (id !== undefined && seenIds.has(id)) continue;
			if (id !== undefined) seenIds.add(id);
			results.push(item);
			added++;
		}
		this.logger.debug('Quivo list page fetched', { path, page, pageSize, received: response.length, added });

		const lastPage = response.length < pageSize;
		const limitReached = limit !== undefined && results.length >= limit;
		if (lastPage || limitReached) break;

		const nextCursor = encodeSearchAfter((response[response.length - 1] as IDataObject)?.sort);
		if (nextCursor === undefined) {
			throw new NodeOperationError(
				this.getNode(),
				`Quivo returned page ${page} of GET ${path} without sort values, so the next page cannot be requested`,
				{
					itemIndex,
					description: `Quivo normally sends each item's "sort" values for paging. Turn off Return All and use a Limit of at most ${MAX_PAGE_SIZE}.`,
				},
			);
		}
		if (nextCursor === cursor || added === 0) {
			throw new NodeOperationError(
				this.getNode(),
				`Quivo returned page ${page} of GET ${path} again instead of the next one`,
				{
					itemIndex,
					description: 'Paging stopped to avoid an endless loop. Sort by Order ID, or narrow the filters, and run the workflow again.',
				},
			);
		}
		cursor = nextCursor;
	}

	return limit === undefined ? results : results.slice(0, limit);
}

function describeShape(value: unknown): string {
	if (value === undefined) return 'an empty body';
	if (value === null) return 'JSON null';
	return `a JSON ${typeof value}`;
}
