import type { ListedOrder } from './listing';
import { QuivoEmulator } from './server';
import { getOrderPage, getOrders, loginToken } from './testClient';

const emulator = new QuivoEmulator();
let baseUrl: string;
let token: string;

beforeAll(async () => {
	baseUrl = await emulator.start(0);
	token = await loginToken(baseUrl);
});

afterAll(async () => {
	await emulator.stop();
});

/** Follows `searchAfter` cursors from the first page to the end and returns every order seen. */
async function walkWithSearchAfter(parameters: Record<string, string>, cursorOf: (order: ListedOrder) => string): Promise<ListedOrder[]> {
	const seen: ListedOrder[] = [];
	let cursor: string | null = null;
	for (let pageNumber = 0; pageNumber < 1000; pageNumber++) {
		const page = await getOrderPage(baseUrl, token, cursor === null ? parameters : { ...parameters, searchAfter: cursor });
		seen.push(...page);
		if (page.length < Number(parameters.pageSize)) return seen;
		cursor = cursorOf(page[page.length - 1]);
	}
	throw new Error('walk did not end after 1000 pages');
}

describe('GET /orders list shape', () => {
	test('returns bare array', async () => {
		const body: unknown = await (await getOrders(baseUrl, token)).json();
		expect(Array.isArray(body)).toBe(true);
	});

	test('answers application/json', async () => {
		expect((await getOrders(baseUrl, token)).headers.get('content-type')).toBe('application/json');
	});

	test('default page size is 25', async () => {
		expect(await getOrderPage(baseUrl, token)).toHaveLength(25);
	});

	test('default sort is orderId ascending', async () => {
		const page = await getOrderPage(baseUrl, token);
		expect(page.map((order) => order.orderId)).toEqual(emulator.orders.slice(0, 25).map((order) => order.orderId));
		expect(page[0].sort).toEqual([emulator.orders[0].orderId]);
	});

	test('pageSize 1000 is accepted', async () => {
		expect(await getOrderPage(baseUrl, token, { pageSize: '1000' })).toHaveLength(1000);
	});

	test.each([
		['1001', 'pageSize: must be less than or equal to 1000'],
		['0', 'pageSize: must be greater than or equal to 1'],
		['2.5', 'pageSize: must be an integer, got [2.5]'],
		['ten', 'pageSize: must be an integer, got [ten]'],
	])('pageSize %s is rejected', async (pageSize, message) => {
		const response = await getOrders(baseUrl, token, { pageSize });
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toBe('text/plain');
		expect(await response.text()).toBe(message);
	});

	test('sort values of date field are epoch ms', async () => {
		const [order] = await getOrderPage(baseUrl, token, { sort: 'created:desc,orderIdentifier:asc', pageSize: '1' });
		expect(order.sort).toEqual([Date.parse(order.created), order.orderIdentifier]);
	});

	test('sort by created desc is ordered', async () => {
		const page = await getOrderPage(baseUrl, token, { sort: 'created:desc', pageSize: '1000' });
		for (let i = 1; i < page.length; i++) expect(Date.parse(page[i - 1].created)).toBeGreaterThanOrEqual(Date.parse(page[i].created));
	});

	test('invalid direction is rejected', async () => {
		const response = await getOrders(baseUrl, token, { sort: 'created:down' });
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('invalid direction [down]');
	});

	test('unknown sort field is rejected', async () => {
		const response = await getOrders(baseUrl, token, { sort: 'colour:asc' });
		expect(response.status).toBe(400);
		expect(await response.text()).toBe('No mapping found for [colour] in order to sort on');
	});

	test('query filters results', async () => {
		const page = await getOrderPage(baseUrl, token, { query: 'orderStatus:PENDING AND shipToCountry:DE', pageSize: '1000' });
		const expected = emulator.orders.filter((order) => order.orderStatus === 'PENDING' && order.shipToCountry === 'DE');
		expect(expected.length).toBeGreaterThan(0);
		expect(page.map((order) => order.orderId)).toEqual(expected.map((order) => order.orderId));
	});

	test('invalid query answers 400 text', async () => {
		const response = await getOrders(baseUrl, token, { query: 'orderStatus:(PENDING' });
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toBe('text/plain');
		expect(await response.text()).toMatch(/^Failed to parse query \[orderStatus:\(PENDING\]/);
	});
});

describe('GET /orders offset pages', () => {
	test('page counts from 0', async () => {
		const first = await getOrderPage(baseUrl, token, { page: '0', pageSize: '10' });
		const second = await getOrderPage(baseUrl, token, { page: '1', pageSize: '10' });
		expect(first[0].orderId).toBe(emulator.orders[0].orderId);
		expect(second[0].orderId).toBe(emulator.orders[10].orderId);
	});

	test('last allowed page is served', async () => {
		const page = await getOrderPage(baseUrl, token, { page: '9', pageSize: '1000' });
		expect(page).toEqual([]);
		expect(await getOrderPage(baseUrl, token, { page: '2', pageSize: '1000' })).toHaveLength(1000);
	});

	test('deep page is rejected', async () => {
		const response = await getOrders(baseUrl, token, { page: '400', pageSize: '25' });
		expect(response.status).toBe(400);
		expect(await response.text()).toBe('Result window is too large, from + size must be less than or equal to: [10000] but was [10025].');
	});

	test('negative page is rejected', async () => {
		const response = await getOrders(baseUrl, token, { page: '-1' });
		expect(response.status).toBe(400);
		expect(await response.text()).toBe('page: must be greater than or equal to 0');
	});

	test('searchAfter overrides deep page', async () => {
		const page = await getOrderPage(baseUrl, token, { page: '400', searchAfter: String(emulator.orders[0].orderId), pageSize: '2' });
		expect(page.map((order) => order.orderId)).toEqual([emulator.orders[1].orderId, emulator.orders[2].orderId]);
	});
});

describe('GET /orders searchAfter', () => {
	test('walk by orderId sees each order once', async () => {
		const seen = await walkWithSearchAfter({ sort: 'orderId:asc', pageSize: '1000' }, (order) => String(order.sort[0]));
		const ids = seen.map((order) => order.orderId);
		expect(ids).toHaveLength(emulator.orders.length);
		expect(new Set(ids).size).toBe(emulator.orders.length);
	});

	test('walk by created and orderId desc sees each order once', async () => {
		const seen = await walkWithSearchAfter({ sort: 'created:desc,orderId:desc', pageSize: '1000' }, (order) => JSON.stringify(order.sort));
		const ids = seen.map((order) => order.orderId);
		expect(ids).toHaveLength(emulator.orders.length);
		expect(new Set(ids).size).toBe(emulator.orders.length);
		expect(Date.parse(seen[0].created)).toBeGreaterThanOrEqual(Date.parse(seen[seen.length - 1].created));
	});

	test('walk by created alone skips ties', async () => {
		// Elasticsearch search_after excludes every hit equal to the cursor, so a page that ends inside
		// a group of equal `created` values loses the rest of that group.
		const seen = await walkWithSearchAfter({ sort: 'created:asc', pageSize: '7' }, (order) => String(order.sort[0]));
		const ids = new Set(seen.map((order) => order.orderId));
		expect(ids.size).toBe(seen.length);
		expect(seen.length).toBeLessThan(emulator.orders.length);
	});

	test('cursor excludes orders tied with it', async () => {
		const tied = emulator.orders.find((order, i) => i > 0 && order.created === emulator.orders[i - 1].created);
		if (tied === undefined) throw new Error('seeded data has no created tie');
		const page = await getOrderPage(baseUrl, token, { sort: 'created:asc', searchAfter: tied.created, pageSize: '1000' });
		expect(page.every((order) => Date.parse(order.created) > Date.parse(tied.created))).toBe(true);
	});

	test('ISO and epoch cursors agree', async () => {
		const order = emulator.orders[100];
		const byIso = await getOrderPage(baseUrl, token, { sort: 'created:asc', searchAfter: order.created });
		const byEpoch = await getOrderPage(baseUrl, token, { sort: 'created:asc', searchAfter: String(Date.parse(order.created)) });
		expect(byIso).toEqual(byEpoch);
	});

	test('cursor with wrong count is rejected', async () => {
		const response = await getOrders(baseUrl, token, { sort: 'created:desc,orderId:desc', searchAfter: '1795728450000' });
		expect(response.status).toBe(400);
		expect(await response.text()).toBe('search_after has 1 value(s) but sort has 2.');
	});

	test('cursor array too long is rejected', async () => {
		const response = await getOrders(baseUrl, token, { searchAfter: '[100001,5]' });
		expect(response.status).toBe(400);
		expect(await response.text()).toBe('search_after has 2 value(s) but sort has 1.');
	});

	test('malformed cursor JSON is rejected', async () => {
		const response = await getOrders(baseUrl, token, { sort: 'created:desc,orderId:desc', searchAfter: '[1795728450000,' });
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('searchAfter: invalid JSON array');
	});

	test('non-numeric cursor for orderId is rejected', async () => {
		const response = await getOrders(baseUrl, token, { searchAfter: 'abc' });
		expect(response.status).toBe(400);
		expect(await response.text()).toContain('Failed to parse search_after value [abc] for field [orderId]');
	});
});
