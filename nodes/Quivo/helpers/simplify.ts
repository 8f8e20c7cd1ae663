import type { IDataObject } from 'n8n-workflow';

/** Order fields an ops team reads most; Simplify keeps only these. */
const SIMPLIFIED_ORDER_FIELDS = [
	'orderId',
	'orderIdentifier',
	'orderReference',
	'orderStatus',
	'sellerId',
	'created',
	'lastModified',
	'shipToName1',
	'shipToCountry',
	'tags',
	'shipmentTracking',
] as const;

/** Returns the order with only the fields of `SIMPLIFIED_ORDER_FIELDS` that it has. */
export function simplifyOrder(order: IDataObject): IDataObject {
	const simplified: IDataObject = {};
	for (const field of SIMPLIFIED_ORDER_FIELDS) {
		if (order[field] !== undefined) simplified[field] = order[field];
	}
	return simplified;
}
