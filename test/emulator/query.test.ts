import { BadRequestError } from './errors';
import { ORDER_FIELD_TYPES } from './orders';
import { compileQuery, parseDateInterval, parseQuery } from './query';

interface SampleOrder {
	orderId: number;
	orderStatus: string;
	orderIdentifier: string;
	shipToCountry: string;
	created: string;
	cancelRequestedAt: string | null;
	tags: string[];
	totalShipmentWeight: number;
	piiDataRemoved: boolean;
	earliestPredatedShipment: string | null;
	positions: Array<{ sku: string; name: string }>;
	fulfillmentOrders: Array<{ fulfillmentStatus: string; positions: Array<{ quantity: number }> }>;
	shipToName1: string;
}

const SAMPLES: SampleOrder[] = [
	{
		orderId: 1, orderStatus: 'PENDING', orderIdentifier: 'ORD-100', shipToCountry: 'DE', created: '2024-01-01T00:00:00Z',
		cancelRequestedAt: null, tags: [], totalShipmentWeight: 0.5, piiDataRemoved: false, earliestPredatedShipment: null,
		positions: [{ sku: 'SKU-1', name: 'Mug' }], fulfillmentOrders: [], shipToName1: 'Anna Müller',
	},
	{
		orderId: 2, orderStatus: 'PROCESSING', orderIdentifier: 'ORD-1234', shipToCountry: 'AT', created: '2024-01-01T12:30:00Z',
		cancelRequestedAt: '2024-01-02T08:00:00Z', tags: ['express'], totalShipmentWeight: 2, piiDataRemoved: false, earliestPredatedShipment: '2024-01-05',
		positions: [{ sku: 'SKU-2', name: 'Pan' }, { sku: 'SKU-3', name: 'Knife' }],
		fulfillmentOrders: [{ fulfillmentStatus: 'IN_PROGRESS', positions: [{ quantity: 3 }] }], shipToName1: 'Jonas Weber',
	},
	{
		orderId: 3, orderStatus: 'COMPLETED', orderIdentifier: 'ORD-2000', shipToCountry: 'CH', created: '2024-01-02T00:00:00Z',
		cancelRequestedAt: null, tags: ['gift', 'b2b'], totalShipmentWeight: 10.25, piiDataRemoved: true, earliestPredatedShipment: null,
		positions: [{ sku: 'SKU-1', name: 'Mug' }], fulfillmentOrders: [{ fulfillmentStatus: 'SHIPPED', positions: [{ quantity: 1 }] }],
		shipToName1: 'Paul "PJ" Keller',
	},
	{
		orderId: 4, orderStatus: 'COMPLETED', orderIdentifier: 'ORD-3000', shipToCountry: 'US', created: '2024-02-15T09:00:00Z',
		cancelRequestedAt: null, tags: ['express', 'b2b'], totalShipmentWeight: 4, piiDataRemoved: false, earliestPredatedShipment: null,
		positions: [{ sku: 'SKU-4', name: 'Lamp' }], fulfillmentOrders: [{ fulfillmentStatus: 'SHIPPED', positions: [{ quantity: 2 }] }],
		shipToName1: 'Back\\Slash',
	},
];

/** Returns the orderIds of the sample orders the query matches. */
function matchingIds(query: string): number[] {
	const matches = compileQuery(query, ORDER_FIELD_TYPES);
	return SAMPLES.filter((order) => matches(order)).map((order) => order.orderId);
}

function parseError(query: string): string {
	try {
		compileQuery(query, ORDER_FIELD_TYPES);
	} catch (error) {
		if (error instanceof BadRequestError) return error.message;
		throw error;
	}
	throw new Error(`query [${query}] was accepted`);
}

describe('query terms', () => {
	test('empty query matches all', () => {
		expect(matchingIds('')).toEqual([1, 2, 3, 4]);
		expect(matchingIds('   ')).toEqual([1, 2, 3, 4]);
	});

	test('status term', () => {
		expect(matchingIds('orderStatus:COMPLETED')).toEqual([3, 4]);
	});

	test('keyword match ignores case', () => {
		expect(matchingIds('orderStatus:completed')).toEqual([3, 4]);
	});

	test('keyword match is exact', () => {
		expect(matchingIds('orderStatus:COMPLETE')).toEqual([]);
	});

	test('numeric term', () => {
		expect(matchingIds('orderId:2')).toEqual([2]);
		expect(matchingIds('totalShipmentWeight:10.25')).toEqual([3]);
	});

	test('boolean term', () => {
		expect(matchingIds('piiDataRemoved:true')).toEqual([3]);
	});

	test('quoted value with escapes', () => {
		expect(matchingIds('shipToName1:"Anna Müller"')).toEqual([1]);
		expect(matchingIds('shipToName1:"Paul \\"PJ\\" Keller"')).toEqual([3]);
		expect(matchingIds('shipToName1:"Back\\\\Slash"')).toEqual([4]);
	});

	test('tags array contains value', () => {
		expect(matchingIds('tags:b2b')).toEqual([3, 4]);
		expect(matchingIds('tags:express')).toEqual([2, 4]);
	});

	test('dotted field matches any element', () => {
		expect(matchingIds('positions.sku:SKU-3')).toEqual([2]);
		expect(matchingIds('fulfillmentOrders.fulfillmentStatus:SHIPPED')).toEqual([3, 4]);
		expect(matchingIds('fulfillmentOrders.positions.quantity:>=2')).toEqual([2, 4]);
	});

	test('unknown field matches nothing', () => {
		expect(matchingIds('noSuchField:x')).toEqual([]);
	});

	test('prefix wildcard', () => {
		expect(matchingIds('orderIdentifier:ORD-1*')).toEqual([1, 2]);
		expect(matchingIds('orderIdentifier:ord-1*')).toEqual([1, 2]);
	});

	test('inner wildcards', () => {
		expect(matchingIds('orderIdentifier:ORD-?000')).toEqual([3, 4]);
		expect(matchingIds('orderIdentifier:*34')).toEqual([2]);
	});

	test('escaped star is literal', () => {
		expect(matchingIds('orderIdentifier:ORD-1\\*')).toEqual([]);
	});

	test('field star means exists', () => {
		expect(matchingIds('cancelRequestedAt:*')).toEqual([2]);
	});

	test('bare term searches all fields', () => {
		expect(matchingIds('CH')).toEqual([3]);
		expect(matchingIds('Knife')).toEqual([2]);
	});
});

describe('query exists', () => {
	test('_exists_ skips null', () => {
		expect(matchingIds('_exists_:cancelRequestedAt')).toEqual([2]);
	});

	test('_exists_ skips empty array', () => {
		expect(matchingIds('_exists_:tags')).toEqual([2, 3, 4]);
		expect(matchingIds('_exists_:fulfillmentOrders')).toEqual([2, 3, 4]);
	});

	test('NOT _exists_', () => {
		expect(matchingIds('NOT _exists_:earliestPredatedShipment')).toEqual([1, 3, 4]);
	});
});

describe('query ranges', () => {
	test('inclusive date range with escaped colons', () => {
		expect(matchingIds('created:[2024-01-01T00\\:00\\:00Z TO 2024-01-02T00\\:00\\:00Z]')).toEqual([1, 2, 3]);
	});

	test('exclusive date range', () => {
		expect(matchingIds('created:{2024-01-01T00\\:00\\:00Z TO 2024-01-02T00\\:00\\:00Z}')).toEqual([2]);
	});

	test('mixed brackets', () => {
		expect(matchingIds('created:[2024-01-01T00\\:00\\:00Z TO 2024-01-02T00\\:00\\:00Z}')).toEqual([1, 2]);
		expect(matchingIds('created:{2024-01-01T00\\:00\\:00Z TO 2024-01-02T00\\:00\\:00Z]')).toEqual([2, 3]);
	});

	test('unescaped colons inside brackets', () => {
		expect(matchingIds('created:[2024-01-01T12:30:00Z TO *]')).toEqual([2, 3, 4]);
	});

	test('quoted range endpoints', () => {
		expect(matchingIds('created:["2024-01-01T12:30:00Z" TO "2024-01-02T00:00:00Z"]')).toEqual([2, 3]);
	});

	test('open start', () => {
		expect(matchingIds('created:[* TO 2024-01-01T12\\:30\\:00Z}')).toEqual([1]);
	});

	test('date-only bound covers whole day', () => {
		expect(matchingIds('created:[2024-01-01 TO 2024-01-01]')).toEqual([1, 2]);
		expect(matchingIds('created:{2024-01-01 TO *]')).toEqual([3, 4]);
		expect(matchingIds('created:2024-01-01')).toEqual([1, 2]);
	});

	test('one-sided operators', () => {
		expect(matchingIds('created:>=2024-01-01T12\\:30\\:00Z')).toEqual([2, 3, 4]);
		expect(matchingIds('created:>2024-01-01T12\\:30\\:00Z')).toEqual([3, 4]);
		expect(matchingIds('created:<2024-01-01T12\\:30\\:00Z')).toEqual([1]);
		expect(matchingIds('created:<=2024-01-01T12\\:30\\:00Z')).toEqual([1, 2]);
	});

	test('numeric ranges', () => {
		expect(matchingIds('totalShipmentWeight:[2 TO 10]')).toEqual([2, 4]);
		expect(matchingIds('totalShipmentWeight:>4')).toEqual([3]);
		expect(matchingIds('orderId:{1 TO 3}')).toEqual([2]);
	});

	test('range without TO keyword', () => {
		expect(matchingIds('orderId:[2 3]')).toEqual([2, 3]);
	});

	test('epoch millis date value', () => {
		expect(matchingIds(`created:>=${Date.parse('2024-01-02T00:00:00Z')}`)).toEqual([3, 4]);
	});

	test('date with offset', () => {
		expect(matchingIds('created:"2024-01-01T13:30:00+01:00"')).toEqual([2]);
	});
});

describe('query booleans', () => {
	test('OR list in parentheses', () => {
		expect(matchingIds('shipToCountry:(DE OR AT OR US)')).toEqual([1, 2, 4]);
	});

	test('implicit operator is OR', () => {
		expect(matchingIds('shipToCountry:(DE CH)')).toEqual([1, 3]);
		expect(matchingIds('orderStatus:PENDING orderId:4')).toEqual([1, 4]);
	});

	test('AND of two fields', () => {
		expect(matchingIds('orderStatus:COMPLETED AND tags:express')).toEqual([4]);
		expect(matchingIds('orderStatus:COMPLETED && tags:express')).toEqual([4]);
	});

	test('NOT alone excludes', () => {
		expect(matchingIds('NOT orderStatus:COMPLETED')).toEqual([1, 2]);
		expect(matchingIds('!orderStatus:COMPLETED')).toEqual([1, 2]);
		expect(matchingIds('-orderStatus:COMPLETED')).toEqual([1, 2]);
	});

	test('AND NOT', () => {
		expect(matchingIds('tags:b2b AND NOT shipToCountry:US')).toEqual([3]);
	});

	test('required and prohibited prefixes', () => {
		expect(matchingIds('+tags:express -orderStatus:PROCESSING')).toEqual([4]);
	});

	test('parenthesized groups', () => {
		expect(matchingIds('(orderStatus:PENDING OR orderStatus:PROCESSING) AND shipToCountry:AT')).toEqual([2]);
		expect(matchingIds('orderStatus:PENDING OR (orderStatus:COMPLETED AND shipToCountry:US)')).toEqual([1, 4]);
	});

	test('AND binds like Lucene, not algebra', () => {
		// Lucene reads `a OR b AND c` as `a +b +c`: b and c are required and a is optional.
		expect(matchingIds('orderStatus:PENDING OR orderStatus:COMPLETED AND shipToCountry:US')).toEqual([4]);
		// Boolean algebra would give [1, 4]; requiring only the clause after AND would give [2, 4].
		expect(matchingIds('orderId:1 OR orderStatus:COMPLETED AND tags:express')).toEqual([4]);
	});

	test('operator words are case-sensitive', () => {
		// Lowercase `and` is a term searched in all fields, joined by the default OR.
		expect(matchingIds('orderStatus:PENDING and orderId:4')).toEqual([1, 4]);
	});

	test('negative group inside OR', () => {
		expect(matchingIds('orderId:1 OR (NOT tags:b2b)')).toEqual([1, 2]);
	});

	test('boost is ignored', () => {
		expect(matchingIds('orderStatus:PENDING^2')).toEqual([1]);
	});
});

describe('query errors', () => {
	test.each([
		['unbalanced parenthesis', 'orderStatus:(PENDING OR COMPLETED'],
		['stray closing parenthesis', 'orderStatus:PENDING)'],
		['trailing AND', 'orderStatus:PENDING AND'],
		['leading OR', 'OR orderStatus:PENDING'],
		['unterminated quote', 'shipToName1:"Anna'],
		['unclosed range', 'orderId:[1 TO 3'],
		['dangling escape', 'orderStatus:PENDING\\'],
		['empty group', '()'],
		['missing value', 'orderStatus:'],
		['unescaped time colon', 'created:>2024-01-01T00:00:00Z'],
	])('%s is rejected', (_name, query) => {
		expect(parseError(query)).toMatch(/^Failed to parse query \[/);
	});

	test('invalid date is rejected', () => {
		expect(parseError('created:>=2024-13-01')).toContain('failed to parse date field [2024-13-01]');
	});

	test('invalid number is rejected', () => {
		expect(parseError('orderId:abc')).toContain('For input string: "abc"');
	});

	test('wildcard on date is rejected', () => {
		expect(parseError('created:2024*')).toContain('Can only use wildcard queries on keyword and text fields');
	});

	test('fuzzy search is rejected', () => {
		expect(parseError('shipToName1:Anna~2')).toContain('not supported by the emulator');
	});
});

describe('parseQuery', () => {
	test('builds Lucene clause occurs', () => {
		expect(parseQuery('a:1 OR b:2 AND NOT c:3')).toEqual({
			kind: 'bool',
			clauses: [
				{ occur: 'should', query: { kind: 'term', field: 'a', text: '1', raw: '1', quoted: false, wildcard: null } },
				{ occur: 'must', query: { kind: 'term', field: 'b', text: '2', raw: '2', quoted: false, wildcard: null } },
				{ occur: 'mustNot', query: { kind: 'term', field: 'c', text: '3', raw: '3', quoted: false, wildcard: null } },
			],
		});
	});

	test('unescapes field values', () => {
		const query = parseQuery('created:2024-01-01T00\\:00\\:00Z');
		expect(query.kind === 'bool' && query.clauses[0].query).toMatchObject({ field: 'created', text: '2024-01-01T00:00:00Z' });
	});
});

describe('parseDateInterval', () => {
	test('day covers 24 hours', () => {
		expect(parseDateInterval('2024-03-07')).toEqual({ start: Date.parse('2024-03-07T00:00:00Z'), end: Date.parse('2024-03-08T00:00:00Z') - 1 });
	});

	test('second covers 1000 ms', () => {
		expect(parseDateInterval('2024-03-07T05:31:56Z')).toEqual({ start: Date.parse('2024-03-07T05:31:56Z'), end: Date.parse('2024-03-07T05:31:56Z') + 999 });
	});

	test('month end rolls over', () => {
		expect(parseDateInterval('2024-02')?.end).toBe(Date.parse('2024-03-01T00:00:00Z') - 1);
	});

	test('rejects impossible dates', () => {
		expect(parseDateInterval('2024-02-30')).toBeNull();
		expect(parseDateInterval('2024-01-01T24:00:00Z')).toBeNull();
		expect(parseDateInterval('yesterday')).toBeNull();
	});
});
