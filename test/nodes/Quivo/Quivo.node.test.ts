import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { executeQuivoNode, MemoryCredentialsHelper, stopN8nBackgroundTimers } from '../../support/execute-node';

const BASE_URL = 'https://api.quivo.co';
const API_KEY = 'fake-api-key-unit';
const PASSWORD = 'fake-password-unit';

function newCredentials(sessionToken = '') {
	return new MemoryCredentialsHelper({
		environment: 'production',
		apiKey: API_KEY,
		username: 'ops@example.com',
		password: PASSWORD,
		sessionToken,
	});
}

/** Orders with descending IDs, as Quivo lists them for `sort=orderId:desc`. */
function ordersFrom(firstId: number, count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => {
		const orderId = firstId - index;
		return { orderId, orderStatus: 'PROCESSING', shipToName1: 'Erika Example', positions: [], sort: [orderId] };
	});
}

const getAll = (parameters: IDataObject = {}) => ({
	resource: 'order',
	operation: 'getAll',
	returnAll: false,
	limit: 50,
	simplify: true,
	...parameters,
});

/** Replies to `/orders` and records each request's query parameters. */
function serveOrders(pages: IDataObject[][], recorded: Array<Record<string, string>>, token = 'token-1') {
	const scope = nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY, authorization: token } });
	for (const page of pages) {
		scope
			.get('/orders')
			.query((query) => {
				recorded.push(query as Record<string, string>);
				return true;
			})
			.reply(200, page);
	}
	return scope;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
	nock.enableNetConnect();
	stopN8nBackgroundTimers();
});

describe('Get Many', () => {
	test('limit logs in once and returns items', async () => {
		const login = nock(BASE_URL, { reqheaders: { 'x-api-key': API_KEY } })
			.post('/login', { username: 'ops@example.com', password: PASSWORD })
			.reply(200, { Token: 'token-1' });
		const recorded: Array<Record<string, string>> = [];
		serveOrders([ordersFrom(200, 7)], recorded);
		const credentials = newCredentials();

		const [output] = await executeQuivoNode({ parameters: getAll({ limit: 7 }), credentials });

		expect(login.isDone()).toBe(true);
		expect(recorded).toEqual([{ sort: 'orderId:desc', pageSize: '7' }]);
		expect(output).toHaveLength(7);
		expect(output[0]).toEqual({
			json: { orderId: 200, orderStatus: 'PROCESSING', shipToName1: 'Erika Example' },
			pairedItem: { item: 0 },
		});
		expect(credentials.saved).toEqual([{ sessionToken: 'token-1' }]);
		expect(credentials.data.sessionToken).toBe('token-1');
	});

	test('saved token needs no login', async () => {
		const recorded: Array<Record<string, string>> = [];
		const scope = serveOrders([ordersFrom(10, 3)], recorded, 'saved-token');
		const credentials = newCredentials('saved-token');

		const [output] = await executeQuivoNode({ parameters: getAll(), credentials });

		expect(scope.isDone()).toBe(true);
		expect(output.map((item) => item.json.orderId)).toEqual([10, 9, 8]);
		expect(credentials.saved).toEqual([]);
	});

	test('return all walks pages with searchAfter', async () => {
		const recorded: Array<Record<string, string>> = [];
		serveOrders([ordersFrom(5000, 1000), ordersFrom(4000, 1000), ordersFrom(3000, 500)], recorded, 'saved');
		const parameters = getAll({ returnAll: true, filters: { orderStatus: ['PENDING', 'PROCESSING'] } });

		const [output] = await executeQuivoNode({ parameters, credentials: newCredentials('saved') });

		const query = 'orderStatus:("PENDING" OR "PROCESSING")';
		expect(recorded).toEqual([
			{ sort: 'orderId:desc', query, pageSize: '1000' },
			{ sort: 'orderId:desc', query, pageSize: '1000', searchAfter: '4001' },
			{ sort: 'orderId:desc', query, pageSize: '1000', searchAfter: '3001' },
		]);
		const ids = output.map((item) => item.json.orderId);
		expect(ids).toHaveLength(2500);
		expect(new Set(ids).size).toBe(2500);
		expect(ids[0]).toBe(5000);
		expect(ids[2499]).toBe(2501);
	});

	test('limit spanning pages stops early', async () => {
		const recorded: Array<Record<string, string>> = [];
		serveOrders([ordersFrom(5000, 1000), ordersFrom(4000, 1000), ordersFrom(3000, 500)], recorded, 'saved');

		const [output] = await executeQuivoNode({ parameters: getAll({ limit: 2500 }), credentials: newCredentials('saved') });

		expect(recorded.map((query) => query.pageSize)).toEqual(['1000', '1000', '500']);
		expect(output).toHaveLength(2500);
	});

	test('secondary sort sends JSON cursor', async () => {
		const page = (first: number) =>
			ordersFrom(first, 1000).map((order) => ({ ...order, sort: [1_700_000_000_000, order.orderId] }));
		const recorded: Array<Record<string, string>> = [];
		serveOrders([page(3000), []], recorded, 'saved');
		const parameters = getAll({ returnAll: true, options: { sortBy: 'created', sortDirection: 'asc' } });

		await executeQuivoNode({ parameters, credentials: newCredentials('saved') });

		expect(recorded[0].sort).toBe('created:asc,orderId:asc');
		expect(recorded[1].searchAfter).toBe('[1700000000000,2001]');
	});

	test('expired token re-logs in and retries the page', async () => {
		const recorded: Array<Record<string, string>> = [];
		serveOrders([ordersFrom(3000, 1000)], recorded, 'old-token');
		// Sent twice: the first try does not throw, and only a thrown 401 makes n8n log in again.
		nock(BASE_URL)
			.get('/orders')
			.query(true)
			.times(2)
			.reply(401, { message: 'The incoming token has expired' });
		const login = nock(BASE_URL).post('/login').reply(200, { Token: 'new-token' });
		serveOrders([ordersFrom(2000, 400)], recorded, 'new-token');
		const credentials = newCredentials('old-token');

		const [output] = await executeQuivoNode({ parameters: getAll({ returnAll: true }), credentials });

		expect(login.isDone()).toBe(true);
		expect(credentials.saved).toEqual([{ sessionToken: 'new-token' }]);
		expect(recorded.map((query) => query.searchAfter)).toEqual([undefined, '2001']);
		expect(output).toHaveLength(1400);
	});

	test('duplicate across pages is dropped', async () => {
		const recorded: Array<Record<string, string>> = [];
		const second = [{ orderId: 2001, sort: [2001] }, ...ordersFrom(2000, 10)];
		serveOrders([ordersFrom(3000, 1000), second], recorded, 'saved');

		const [output] = await executeQuivoNode({ parameters: getAll({ returnAll: true }), credentials: newCredentials('saved') });

		expect(output).toHaveLength(1010);
		expect(output.filter((item) => item.json.orderId === 2001)).toHaveLength(1);
	});

	test('simplify off returns raw orders', async () => {
		serveOrders([ordersFrom(10, 1)], [], 'saved');
		const [output] = await executeQuivoNode({ parameters: getAll({ simplify: false }), credentials: newCredentials('saved') });
		expect(output[0].json).toEqual(ordersFrom(10, 1)[0]);
	});

	test('each input item gets its own results', async () => {
		const recorded: Array<Record<string, string>> = [];
		serveOrders([ordersFrom(10, 2), ordersFrom(5, 1)], recorded, 'saved');
		const parameters = getAll({ limit: 2, filters: { tag: '={{ $json.tag }}' } });
		const items = [{ json: { tag: 'express' } }, { json: { tag: 'gift "wrap"' } }];

		const [output] = await executeQuivoNode({ parameters, credentials: newCredentials('saved'), items });

		expect(recorded.map((query) => query.query)).toEqual(['tags:"express"', 'tags:"gift \\"wrap\\""']);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }]);
	});
});

describe('Get Many filters', () => {
	test('build one query string', async () => {
		const recorded: Array<Record<string, string>> = [];
		serveOrders([[]], recorded, 'saved');
		const filters = {
			createdAfter: '2026-11-01T00:00:00',
			createdBefore: '2026-11-08T12:30:00+01:00',
			lastModifiedAfter: '2026-11-02',
			orderIdentifier: 'SHOP-1',
			orderReference: '#1001',
			orderStatus: ['PENDING'],
			sellerId: 501,
			shipToCountry: 'de',
			tag: 'b2b',
			query: 'positions.sku:ABC OR tags:gift',
		};

		await executeQuivoNode({ parameters: getAll({ filters }), credentials: newCredentials('saved') });

		expect(recorded[0].query).toBe(
			[
				'(created:[2026\\-11\\-01T00\\:00\\:00Z TO 2026\\-11\\-08T11\\:30\\:00Z})',
				'(lastModified:[2026\\-11\\-02T00\\:00\\:00Z TO *])',
				'(orderIdentifier:"SHOP-1")',
				'(orderReference:"#1001")',
				'(orderStatus:"PENDING")',
				'(sellerId:501)',
				'(shipToCountry:DE)',
				'(tags:"b2b")',
				'(positions.sku:ABC OR tags:gift)',
			].join(' AND '),
		);
	});

	test('accept values from expressions', async () => {
		const recorded: Array<Record<string, string>> = [];
		serveOrders([[]], recorded, 'saved');
		const filters = { orderStatus: 'PENDING, PROCESSING', sellerId: '501', tag: 42, createdAfter: '2026-11-01 10:00' };

		await executeQuivoNode({ parameters: getAll({ filters }), credentials: newCredentials('saved') });

		expect(recorded[0].query).toBe(
			'(created:[2026\\-11\\-01T10\\:00\\:00Z TO *]) AND (orderStatus:("PENDING" OR "PROCESSING")) AND (sellerId:501) AND (tags:"42")',
		);
	});

	test.each([
		[{ createdAfter: 'yesterday' }, 'The filter "Created After" has an invalid date "yesterday"'],
		[{ createdBefore: '2026-02-30' }, 'The filter "Created Before" has an invalid date "2026-02-30"'],
		[{ lastModifiedAfter: '11/01/2026' }, 'The filter "Last Modified After" has an invalid date "11/01/2026"'],
		[{ shipToCountry: 'Germany' }, 'The filter "Ship-To Country" has an invalid country code "Germany"'],
		[{ shipToCountry: 49 }, 'The filter "Ship-To Country" has an invalid country code "49"'],
		[{ sellerId: 1.5 }, 'The filter "Seller ID" has an invalid value "1.5"'],
		[{ sellerId: 0 }, 'The filter "Seller ID" has an invalid value "0"'],
	])('reject invalid value %p', async (filters, message) => {
		await expect(
			executeQuivoNode({ parameters: getAll({ filters }), credentials: newCredentials('saved') }),
		).rejects.toMatchObject({ message, context: { itemIndex: 0 } });
	});
});

describe('Get Many limit', () => {
	test.each([0, -1, 2.5, 'abc'])('rejects limit %p before any request', async (limit) => {
		await expect(
			executeQuivoNode({ parameters: getAll({ limit }), credentials: newCredentials('saved') }),
		).rejects.toMatchObject({
			message: `The Limit "${limit}" is not a whole number of 1 or more`,
			context: { itemIndex: 0 },
		});
	});

	test('keeps large sort values exact', async () => {
		const recorded: Array<Record<string, string>> = [];
		const orders = ordersFrom(3000, 1000).map(
			(order) => `{"orderId":${order.orderId},"sort":[9223372036854775807,${order.orderId}]}`,
		);
		nock(BASE_URL, { reqheaders: { authorization: 'saved' } })
			.get('/orders')
			.query((query) => recorded.push(query as Record<string, string>) > 0)
			.reply(200, `[${orders.join(',')}]`, { 'Content-Type': 'application/json' });
		serveOrders([[]], recorded, 'saved');
		const parameters = getAll({ returnAll: true, options: { sortBy: 'orderDate', sortDirection: 'asc' } });

		await executeQuivoNode({ parameters, credentials: newCredentials('saved') });

		expect(recorded[1].searchAfter).toBe('[9223372036854775807,2001]');
	});
});

describe('Get Many retries', () => {
	test('429 waits for Retry-After, then succeeds', async () => {
		const recorded: Array<Record<string, string>> = [];
		nock(BASE_URL).get('/orders').query(true).reply(429, { message: 'Too Many Requests' }, { 'Retry-After': '0' });
		serveOrders([ordersFrom(10, 3)], recorded, 'saved');

		const [output] = await executeQuivoNode({ parameters: getAll(), credentials: newCredentials('saved') });

		expect(output).toHaveLength(3);
		expect(recorded).toHaveLength(1);
	});

	test('503 and reset are retried with backoff', async () => {
		nock(BASE_URL).get('/orders').query(true).reply(503, 'Service Unavailable');
		nock(BASE_URL)
			.get('/orders')
			.query(true)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		serveOrders([ordersFrom(10, 2)], [], 'saved');

		const [output] = await executeQuivoNode({ parameters: getAll(), credentials: newCredentials('saved') });

		expect(output.map((item) => item.json.orderId)).toEqual([10, 9]);
	}, 15_000);

	test('gives up after max retries', async () => {
		nock(BASE_URL).get('/orders').query(true).times(2).reply(503, 'Service Unavailable', { 'Retry-After': '0' });

		const error = await executeQuivoNode({
			parameters: getAll({ options: { maxRetries: 1 } }),
			credentials: newCredentials('saved'),
		}).catch((caught: unknown) => caught);

		expect(error).toMatchObject({
			message: 'Quivo failed to process the request for GET /orders (HTTP 503): Service Unavailable',
			description: 'The node sent the request 2 times. Quivo or its gateway had a problem. Run the workflow again later.',
			context: { itemIndex: 0 },
		});
		expect(nock.pendingMocks()).toEqual([]);
	});

	test('too long Retry-After is not awaited', async () => {
		nock(BASE_URL).get('/orders').query(true).reply(429, '', { 'Retry-After': '3600' });

		await expect(
			executeQuivoNode({ parameters: getAll(), credentials: newCredentials('saved') }),
		).rejects.toMatchObject({
			message: 'Quivo is rate limiting requests for GET /orders (HTTP 429)',
			description:
				'Quivo requested a wait of 3600 seconds (Retry-After), longer than the node waits. Run fewer executions at once, or wait before running the workflow again.',
		});
	});

	test('400 and 500 are not retried', async () => {
		nock(BASE_URL).get('/orders').query(true).reply(400, 'query: invalid');
		await expect(
			executeQuivoNode({ parameters: getAll(), credentials: newCredentials('saved') }),
		).rejects.toMatchObject({ httpCode: '400' });

		nock(BASE_URL).get('/orders').query(true).reply(500, 'boom');
		await expect(
			executeQuivoNode({ parameters: getAll(), credentials: newCredentials('saved') }),
		).rejects.toMatchObject({ httpCode: '500' });
		expect(nock.pendingMocks()).toEqual([]);
	});

	test('timeout names endpoint and seconds', async () => {
		nock(BASE_URL).get('/orders').query(true).delay(1500).reply(200, []);

		await expect(
			executeQuivoNode({
				parameters: getAll({ options: { timeout: 1, maxRetries: 0 } }),
				credentials: newCredentials('saved'),
			}),
		).rejects.toMatchObject({
			message: 'Quivo did not respond to GET /orders within 1 second',
			context: { itemIndex: 0 },
		});
	});

	test.each([
		[{ maxRetries: 11 }, 'The option "Max Retries" has an invalid value "11"'],
		[{ timeout: 0 }, 'The option "Timeout" has an invalid value "0"'],
		[{ timeout: 0.0001 }, 'The option "Timeout" has an invalid value "0.0001"'],
		[{ timeout: 2_147_484 }, 'The option "Timeout" has an invalid value "2147484"'],
	])('rejects option %p', async (options, message) => {
		await expect(
			executeQuivoNode({ parameters: getAll({ options }), credentials: newCredentials('saved') }),
		).rejects.toMatchObject({ message });
	});
});

describe('Get Many errors', () => {
	test('refused connection names the host', async () => {
		nock(BASE_URL)
			.get('/orders')
			.query(true)
			.replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

		const error = await executeQuivoNode({ parameters: getAll(), credentials: newCredentials('saved') }).catch(
			(caught: unknown) => caught,
		);

		expect(error).toMatchObject({
			message: 'Could not reach Quivo at https://api.quivo.co for GET /orders',
			context: { itemIndex: 0 },
		});
	});

	test('plain-text 400 keeps Quivo message', async () => {
		nock(BASE_URL).get('/orders').query(true).reply(400, 'pageSize: must be less than or equal to 1000');

		const error = await executeQuivoNode({ parameters: getAll(), credentials: newCredentials('secret-token') }).catch(
			(caught: unknown) => caught,
		);

		expect(error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '400',
			message:
				'Quivo rejected the request as invalid for GET /orders (HTTP 400): pageSize: must be less than or equal to 1000',
			context: { itemIndex: 0 },
		});
		const serialized = JSON.stringify(error);
		for (const secret of [API_KEY, PASSWORD, 'secret-token']) expect(serialized).not.toContain(secret);
	});

	test('HTML gateway page is not repeated', async () => {
		nock(BASE_URL).get('/orders').query(true).reply(502, '<html><body>Bad Gateway</body></html>');

		await expect(
			executeQuivoNode({ parameters: getAll({ options: { maxRetries: 0 } }), credentials: newCredentials('saved') }),
		).rejects.toMatchObject({ message: 'Quivo failed to process the request for GET /orders (HTTP 502)' });
	});

	test('object instead of list is rejected', async () => {
		nock(BASE_URL).get('/orders').query(true).reply(200, { orders: [] });

		await expect(
			executeQuivoNode({ parameters: getAll(), credentials: newCredentials('saved') }),
		).rejects.toMatchObject({
			message: 'Quivo returned a JSON object for GET /orders where a list was expected',
			context: { itemIndex: 0 },
		});
	});

	test('page without sort values stops', async () => {
		const page = ordersFrom(3000, 1000).map(({ sort: _sort, ...order }) => order);
		serveOrders([page], [], 'saved');

		await expect(
			executeQuivoNode({ parameters: getAll({ returnAll: true }), credentials: newCredentials('saved') }),
		).rejects.toThrow('Quivo returned page 1 of GET /orders without sort values, so the next page cannot be requested');
	});

	test('repeated page stops the loop', async () => {
		serveOrders([ordersFrom(3000, 1000), ordersFrom(3000, 1000)], [], 'saved');

		await expect(
			executeQuivoNode({ parameters: getAll({ returnAll: true }), credentials: newCredentials('saved') }),
		).rejects.toThrow('Quivo returned page 2 of GET /orders again instead of the next one');
	});

	test('wrong password: one login per run', async () => {
		let loginAttempts = 0;
		nock(BASE_URL)
			.post('/login')
			.times(10)
			.reply(() => {
				loginAttempts++;
				return [401, { message: 'Invalid username or password' }];
			});
		const items = [{ json: {} }, { json: {} }];

		const [output] = await executeQuivoNode({
			parameters: getAll(),
			credentials: newCredentials(),
			items,
			continueOnFail: true,
		});

		expect(loginAttempts).toBe(1);
		expect(output).toEqual([
			{ json: { error: 'Quivo rejected the username or password (HTTP 401)' }, pairedItem: { item: 0 } },
			{ json: { error: 'Quivo rejected the username or password (HTTP 401)' }, pairedItem: { item: 1 } },
		]);
	});

	test('later items skip Quivo after failed login', async () => {
		nock(BASE_URL).post('/login').reply(403, { message: 'Forbidden' });
		const items = [{ json: {} }, { json: {} }];

		const error = await executeQuivoNode({ parameters: getAll(), credentials: newCredentials(), items }).catch(
			(caught: unknown) => caught,
		);
		expect(error).toMatchObject({ message: 'Quivo rejected the API key (HTTP 403)', context: { itemIndex: 0 } });

		nock(BASE_URL).post('/login').reply(403, { message: 'Forbidden' });
		const [output] = await executeQuivoNode({
			parameters: getAll(),
			credentials: newCredentials(),
			items,
			continueOnFail: true,
		});
		expect(output[1]).toEqual({ json: { error: 'Quivo rejected the API key (HTTP 403)' }, pairedItem: { item: 1 } });
		expect(nock.pendingMocks()).toEqual([]);
	});

	test('echoed secrets are redacted', async () => {
		nock(BASE_URL)
			.get('/orders')
			.query(true)
			.reply(400, `bad header ${API_KEY} for ops@example.com with token secret-token`);

		const error = await executeQuivoNode({ parameters: getAll(), credentials: newCredentials('secret-token') }).catch(
			(caught: unknown) => caught as Error,
		);

		expect((error as Error).message).toBe(
			'Quivo rejected the request as invalid for GET /orders (HTTP 400): bad header [redacted] for [redacted] with token [redacted]',
		);
		expect(JSON.stringify(error)).not.toContain(API_KEY);
	});

	test('continue on fail keeps later items', async () => {
		serveOrders([ordersFrom(10, 1)], [], 'saved');
		const parameters = getAll({ limit: 1, filters: { shipToCountry: '={{ $json.country }}' } });
		const items = [{ json: { country: 'Deutschland' } }, { json: { country: 'DE' } }];

		const [output] = await executeQuivoNode({ parameters, credentials: newCredentials('saved'), items, continueOnFail: true });

		expect(output).toEqual([
			{
				json: { error: 'The filter "Ship-To Country" has an invalid country code "Deutschland"' },
				pairedItem: { item: 0 },
			},
			{ json: { orderId: 10, orderStatus: 'PROCESSING', shipToName1: 'Erika Example' }, pairedItem: { item: 1 } },
		]);
	});
});
