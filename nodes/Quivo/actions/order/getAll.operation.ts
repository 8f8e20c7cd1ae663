import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { allOf, anyOf, quoteValue, range, toQuivoDateTime } from '../../helpers/query';
import { simplifyOrder } from '../../helpers/simplify';
import { DEFAULT_POLICY, getAllBySearchAfter, type RequestPolicy } from '../../transport';

/** Longest Timeout in seconds. Node.js timers overflow past about 24.8 days and then fire at once. */
const MAX_TIMEOUT_SECONDS = 3600;

const displayOptions = { show: { resource: ['order'], operation: ['getAll'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...displayOptions.show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description: 'Only orders created at or after this time. A time without a time zone is read as UTC.',
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: 'Only orders created before this time. A time without a time zone is read as UTC.',
			},
			{
				displayName: 'Last Modified After',
				name: 'lastModifiedAfter',
				type: 'dateTime',
				default: '',
				description: 'Only orders changed at or after this time, for example since the last scheduled run. The time itself is included, so an order changed exactly then comes again rather than being missed. A time without a time zone is read as UTC.',
			},
			{
				displayName: 'Order Identifier',
				name: 'orderIdentifier',
				type: 'string',
				default: '',
				description: 'The ID of the order in the source system (orderIdentifier)',
			},
			{
				displayName: 'Order Reference',
				name: 'orderReference',
				type: 'string',
				default: '',
				description: 'The human-readable reference of the order (orderReference)',
			},
			{
				displayName: 'Order Status',
				name: 'orderStatus',
				type: 'multiOptions',
				// TODO: Quivo documents only these three statuses; use Query for any other value.
				options: [
					{ name: 'Completed', value: 'COMPLETED' },
					{ name: 'Pending', value: 'PENDING' },
					{ name: 'Processing', value: 'PROCESSING' },
				],
				default: [],
				description: 'Only orders in any of these fulfillment statuses (orderStatus)',
			},
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				default: '',
				placeholder: 'positions.sku:ABC-123 AND NOT tags:b2b',
				description: 'Any other condition in Elasticsearch query-string syntax, which Quivo evaluates. It is combined with the other filters by AND.',
			},
			{
				displayName: 'Seller ID',
				name: 'sellerId',
				type: 'number',
				default: 0,
				description: 'Only orders of this seller (sellerId)',
			},
			{
				displayName: 'Ship-To Country',
				name: 'shipToCountry',
				type: 'string',
				default: '',
				placeholder: 'DE',
				description: 'Two-letter ISO country code of the delivery address (shipToCountry)',
			},
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				description: 'Only orders that carry this tag (tags)',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 3,
				description:
					'How often to repeat a page request that got a 429, 502, 503 or 504 from Quivo, or that timed out or lost its connection. Waits grow from 1 to 16 seconds, or follow Quivo\'s Retry-After, at most 60 seconds per request. Reading orders changes nothing, so repeating is safe.',
			},
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				options: [
					{ name: 'Created', value: 'created' },
					{ name: 'Last Modified', value: 'lastModified' },
					{ name: 'Order Date', value: 'orderDate' },
					{ name: 'Order ID', value: 'orderId' },
				],
				default: 'orderId',
				description: 'Field to sort the orders by. Orders with equal values are ordered by Order ID.',
			},
			{
				displayName: 'Sort Direction',
				name: 'sortDirection',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'desc',
				description: 'Order of the results. Descending puts the newest orders and highest IDs first.',
			},
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
				default: 60,
				description: 'Seconds to wait for Quivo to respond to one page request before it counts as failed, at most one hour',
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		displayOptions,
	},
];

/** The Filters collection as n8n hands it over; an expression can put any type in any field. */
type OrderFilters = Partial<
	Record<
		| 'createdAfter'
		| 'createdBefore'
		| 'lastModifiedAfter'
		| 'orderIdentifier'
		| 'orderReference'
		| 'orderStatus'
		| 'query'
		| 'sellerId'
		| 'shipToCountry'
		| 'tag',
		unknown
	>
>;

const FILTER_NAMES = {
	createdAfter: 'Created After',
	createdBefore: 'Created Before',
	lastModifiedAfter: 'Last Modified After',
	sellerId: 'Seller ID',
	shipToCountry: 'Ship-To Country',
} as const;

/** Returns a filter value as trimmed text, or undefined when it is empty. */
function asText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

/** Returns a list filter's values; an expression may give an array or comma-separated text. */
function asList(value: unknown): string[] {
	const values = Array.isArray(value) ? value : String(value ?? '').split(',');
	return values.map(asText).filter((text): text is string => text !== undefined);
}

/** Builds Quivo's `query` parameter from the Filters collection. */
function buildOrderQuery(this: IExecuteFunctions, filters: OrderFilters, itemIndex: number) {
	const invalid = (name: keyof typeof FILTER_NAMES, value: unknown, problem: string, fix: string) =>
		new NodeOperationError(this.getNode(), `The filter "${FILTER_NAMES[name]}" has ${problem} "${String(value)}"`, {
			itemIndex,
			description: fix,
		});
	const date = (name: 'createdAfter' | 'createdBefore' | 'lastModifiedAfter'): string | undefined => {
		const value = asText(filters[name]);
		if (value === undefined) return undefined;
		const normalized = toQuivoDateTime(value);
		if (normalized === undefined) {
			throw invalid(name, value, 'an invalid date', 'Use an ISO 8601 date or date-time such as 2026-11-01 or 2026-11-01T08:00:00Z.');
		}
		return normalized;
	};
	const clauses: string[] = [];

	const createdAfter = date('createdAfter');
	const createdBefore = date('createdBefore');
	if (createdAfter !== undefined || createdBefore !== undefined) {
		clauses.push(range('created', createdAfter, createdBefore));
	}
	const lastModifiedAfter = date('lastModifiedAfter');
	if (lastModifiedAfter !== undefined) clauses.push(range('lastModified', lastModifiedAfter));

	const orderIdentifier = asText(filters.orderIdentifier);
	if (orderIdentifier !== undefined) clauses.push(`orderIdentifier:${quoteValue(orderIdentifier)}`);
	const orderReference = asText(filters.orderReference);
	if (orderReference !== undefined) clauses.push(`orderReference:${quoteValue(orderReference)}`);
	const orderStatuses = asList(filters.orderStatus);
	if (orderStatuses.length > 0) clauses.push(anyOf('orderStatus', orderStatuses));

	const sellerIdText = asText(filters.sellerId);
	if (sellerIdText !== undefined) {
		const sellerId = Number(sellerIdText);
		if (!Number.isInteger(sellerId) || sellerId < 1) {
			throw invalid('sellerId', sellerIdText, 'an invalid value', 'Enter the ID of a Quivo seller, a whole number of 1 or more.');
		}
		clauses.push(`sellerId:${sellerId}`);
	}

	const countryText = asText(filters.shipToCountry);
	if (countryText !== undefined) {
		const country = countryText.toUpperCase();
		if (!/^[A-Z]{2}$/.test(country)) {
			throw invalid('shipToCountry', countryText, 'an invalid country code', 'Enter a two-letter ISO 3166 code such as DE, AT or CH.');
		}
		clauses.push(`shipToCountry:${country}`);
	}

	const tag = asText(filters.tag);
	if (tag !== undefined) clauses.push(`tags:${quoteValue(tag)}`);
	const rawQuery = asText(filters.query);
	if (rawQuery !== undefined) clauses.push(rawQuery);

	return allOf(clauses);
}

/** Reads Limit, which an expression may set to anything. */
function readLimit(this: IExecuteFunctions, itemIndex: number): number {
	const value = this.getNodeParameter('limit', itemIndex) as unknown;
	const limit = typeof value === 'number' ? value : Number(asText(value) ?? Number.NaN);
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(this.getNode(), `The Limit "${String(value)}" is not a whole number of 1 or more`, {
			itemIndex,
			description: 'Set Limit to the maximum number of orders to return, or turn on Return All.',
		});
	}
	return limit;
}

/** Reads Max Retries and Timeout from the options. */
function readPolicy(this: IExecuteFunctions, options: IDataObject, itemIndex: number): RequestPolicy {
	const maxRetries = Number(options.maxRetries ?? DEFAULT_POLICY.maxRetries);
	const timeoutSeconds = Number(options.timeout ?? DEFAULT_POLICY.timeoutMs / 1000);
	if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
		throw new NodeOperationError(this.getNode(), `The option "Max Retries" has an invalid value "${String(options.maxRetries)}"`, {
			itemIndex,
			description: 'Enter a whole number from 0 to 10.',
		});
	}
	if (!(timeoutSeconds >= 1 && timeoutSeconds <= MAX_TIMEOUT_SECONDS)) {
		throw new NodeOperationError(this.getNode(), `The option "Timeout" has an invalid value "${String(options.timeout)}"`, {
			itemIndex,
			description: `Enter the number of seconds to wait, from 1 to ${MAX_TIMEOUT_SECONDS}.`,
		});
	}
	return { maxRetries, timeoutMs: Math.round(timeoutSeconds * 1000) };
}

/** Builds Quivo's `sort` parameter. Order ID breaks ties, so `searchAfter` skips no order. */
function buildSort(options: { sortBy?: string; sortDirection?: string }): string {
	const field = options.sortBy ?? 'orderId';
	const direction = options.sortDirection ?? 'desc';
	// TODO: Quivo documents several sort fields only through `searchAfter` taking a JSON array;
	// the comma-separated form is the Elasticsearch convention and not yet confirmed.
	return field === 'orderId' ? `orderId:${direction}` : `${field}:${direction},orderId:${direction}`;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as OrderFilters;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const qs: IDataObject = { sort: buildSort(options) };
	const query = buildOrderQuery.call(this, filters, itemIndex);
	if (query !== undefined) qs.query = query;

	const policy = readPolicy.call(this, options, itemIndex);
	const orders = await getAllBySearchAfter.call(this, { path: '/orders', qs, limit, idField: 'orderId', policy }, itemIndex);

	return simplify ? orders.map(simplifyOrder) : orders;
}
