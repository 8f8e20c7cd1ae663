/** Small fetch helpers that the emulator tests share. */
import { FAKE_CREDENTIALS } from './server';
import type { ListedOrder } from './listing';

export async function login(baseUrl: string, overrides: { apiKey?: string; username?: string; password?: string } = {}): Promise<Response> {
	return fetch(`${baseUrl}/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'X-Api-Key': overrides.apiKey ?? FAKE_CREDENTIALS.apiKey },
		body: JSON.stringify({ username: overrides.username ?? FAKE_CREDENTIALS.username, password: overrides.password ?? FAKE_CREDENTIALS.password }),
	});
}

export async function loginToken(baseUrl: string): Promise<string> {
	const response = await login(baseUrl);
	const body = (await response.json()) as { Token: string };
	return body.Token;
}

export async function getOrders(baseUrl: string, token: string, parameters: Record<string, string> = {}): Promise<Response> {
	const query = new URLSearchParams(parameters).toString();
	return fetch(`${baseUrl}/orders${query === '' ? '' : `?${query}`}`, {
		headers: { 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token },
	});
}

/** Fetches one page and fails with the response text when the status is not 200. */
export async function getOrderPage(baseUrl: string, token: string, parameters: Record<string, string> = {}): Promise<ListedOrder[]> {
	const response = await getOrders(baseUrl, token, parameters);
	if (response.status !== 200) throw new Error(`GET /orders answered ${response.status}: ${await response.text()}`);
	return (await response.json()) as ListedOrder[];
}
