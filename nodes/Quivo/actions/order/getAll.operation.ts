import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { allOf, anyOf, quoteValue, range, toQuivoDateTime } from '../../helpers/query';
import { simplifyOrder } from '../../helpers/simplify';
import { getAllBySearchAfter } from '../../transport';

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
				description: 'Only orders changed at or after this time, for example since the last scheduled run. A time without a time zone is read as UTC.',
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
				typeOptions: { minValue: 1 },
				default: 1,
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
				description: 'Whether the newest or lowest values come first',
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

interface OrderFilters {
	createdAfter?: string;
	createdBefore?: string;
	lastModifiedAfter?: string;
	orderIdentifier?: string;
	orderReference?: string;
	orderStatus?: string[];
	query?: string;
	sellerId?: number;
	shipToCountry?: string;
	tag?: string;
}

const DATE_FILTER_NAMES = {
	createdAfter: 'Created After',
	createdBefore: 'Created Before',
	lastModifiedAfter: 'Last Modified After',
} as const;

/** Builds Quivo's `query` parameter from the Filters collection. */
function buildOrderQuery(this: IExecuteFunctions, filters: OrderFilters, itemIndex: number) {
	const date = (name: keyof typeof DATE_FILTER_NAMES): string | undefined => {
		const value = filters[name];
		if (value === undefined || value === '') return undefined;
		const normalized = toQuivoDateTime(value);
		if (normalized === undefined) {
			throw new NodeOperationError(
				this.getNode(),
				`The filter "${DATE_FILTER_NAMES[name]}" has an invalid date "${String(value)}"`,
				{ itemIndex, description: 'Use an ISO 8601 date-time such as 2026-11-01T00:00:00Z.' },
			);
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

	if (filters.orderIdentifier) clauses.push(`orderIdentifier:${quoteValue(filters.orderIdentifier)}`);
	if (filters.orderReference) clauses.push(`orderReference:${quoteValue(filters.orderReference)}`);
	if (filters.orderStatus?.length) clauses.push(anyOf('orderStatus', filters.orderStatus));

	if (filters.sellerId !== undefined) {
		if (!Number.isInteger(filters.sellerId) || filters.sellerId < 1) {
			throw new NodeOperationError(
				this.getNode(),
				`The filter "Seller ID" has an invalid value "${String(filters.sellerId)}"`,
				{ itemIndex, description: 'Enter the positive whole number of a Quivo seller.' },
			);
		}
		clauses.push(`sellerId:${filters.sellerId}`);
	}

	if (filters.shipToCountry) {
		const country = filters.shipToCountry.trim().toUpperCase();
		if (!/^[A-Z]{2}$/.test(country)) {
			throw new NodeOperationError(
				this.getNode(),
				`The filter "Ship-To Country" has an invalid country code "${filters.shipToCountry}"`,
				{ itemIndex, description: 'Enter a two-letter ISO 3166 code such as DE, AT or CH.' },
			);
		}
		clauses.push(`shipToCountry:${country}`);
	}

	if (filters.tag) clauses.push(`tags:${quoteValue(filters.tag)}`);
	if (filters.query?.trim()) clauses.push(filters.query.trim());

	return allOf(clauses);
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
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as OrderFilters;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const qs: IDataObject = { sort: buildSort(options) };
	const query = buildOrderQuery.call(this, filters, itemIndex);
	if (query !== undefined) qs.query = query;

	const orders = await getAllBySearchAfter.call(this, { path: '/orders', qs, limit, idField: 'orderId' }, itemIndex);

	return simplify ? orders.map(simplifyOrder) : orders;
}
