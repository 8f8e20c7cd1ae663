/**
 * The least work a client can do for a Return All over the Quivo API: one login with `fetch`,
 * then GET /orders at the maximum page size of 1,000, sorted by orderId descending, with the
 * `searchAfter` cursor of the previous page's last order, until a page has fewer orders.
 */
import { FAKE_CREDENTIALS } from '../../test/emulator/server';

export const PAGE_SIZE = 1000;

export interface ListedOrder {
	orderId: number;
	/** Elasticsearch sort values of the hit; the next page's `searchAfter`. */
	sort: unknown[];
	[field: string]: unknown;
}

export async function logIn(baseUrl: string): Promise<string> {
	const response = await fetch(`${baseUrl}/login`, {
		method: 'POST',
		headers: { 'X-Api-Key': FAKE_CREDENTIALS.apiKey, 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify({ username: FAKE_CREDENTIALS.username, password: FAKE_CREDENTIALS.password }),
	});
	if (!response.ok) throw new Error(`POST /login failed with HTTP ${response.status}: ${await response.text()}`);
	const { Token } = (await response.json()) as { Token?: unknown };
	if (typeof Token !== 'string') throw new Error('POST /login returned no Token field');
	return Token;
}

/** Fetches every order and keeps all of them, parsed, in one array. */
export async function fetchAllOrders(baseUrl: string, token: string): Promise<ListedOrder[]> {
	const orders: ListedOrder[] = [];
	let searchAfter: string | undefined;
	for (;;) {
		const url = new URL('/orders', baseUrl);
		url.searchParams.set('pageSize', String(PAGE_SIZE));
		url.searchParams.set('sort', 'orderId:desc');
		if (searchAfter !== undefined) url.searchParams.set('searchAfter', searchAfter);

		const response = await fetch(url, { headers: { 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token } });
		if (!response.ok) throw new Error(`GET ${url.pathname}${url.search} failed with HTTP ${response.status}: ${await response.text()}`);
		const page = (await response.json()) as ListedOrder[];
		for (const order of page) orders.push(order);

		if (page.length < PAGE_SIZE) return orders;
		searchAfter = JSON.stringify(page[page.length - 1].sort);
	}
}
