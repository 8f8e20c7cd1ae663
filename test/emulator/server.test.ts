import { FAKE_CREDENTIALS, QuivoEmulator } from './server';
import { getOrders, login, loginToken } from './testClient';

const emulator = new QuivoEmulator({ orderCount: 200 });
let baseUrl: string;

beforeAll(async () => {
	baseUrl = await emulator.start(0);
});

afterAll(async () => {
	await emulator.stop();
});

afterEach(() => {
	emulator.clearFaults();
	emulator.acceptLogins();
	emulator.setLoginResponse(undefined);
	emulator.setLoginDelay(0);
	emulator.resetStats();
});

async function ping(headers: Record<string, string>): Promise<Response> {
	return fetch(`${baseUrl}/ping`, { headers });
}

describe('POST /login', () => {
	test('returns Token field', async () => {
		const response = await login(baseUrl);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json');
		const body = (await response.json()) as Record<string, unknown>;
		expect(Object.keys(body)).toEqual(['Token']);
		expect(body.Token).toMatch(/^[0-9a-f]{40}$/);
	});

	test('issues a new token each time', async () => {
		expect(await loginToken(baseUrl)).not.toBe(await loginToken(baseUrl));
	});

	test('wrong API key answers 403', async () => {
		const response = await login(baseUrl, { apiKey: 'wrong-key' });
		expect(response.status).toBe(403);
		expect(await response.json()).toEqual({ message: 'Forbidden' });
	});

	test('wrong password answers 401', async () => {
		const response = await login(baseUrl, { password: 'wrong-password' });
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ message: 'Invalid username or password' });
	});

	test('wrong username answers 401', async () => {
		expect((await login(baseUrl, { username: 'nobody@example.com' })).status).toBe(401);
	});

	test('missing username answers 400 text', async () => {
		const response = await fetch(`${baseUrl}/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-Api-Key': FAKE_CREDENTIALS.apiKey },
			body: JSON.stringify({ password: FAKE_CREDENTIALS.password }),
		});
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toBe('text/plain');
		expect(await response.text()).toBe('username: must not be null');
	});

	test('malformed JSON answers 400', async () => {
		const response = await fetch(`${baseUrl}/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-Api-Key': FAKE_CREDENTIALS.apiKey },
			body: '{"username":',
		});
		expect(response.status).toBe(400);
		expect(await response.text()).toBe('Malformed JSON request body');
	});

	test('counts logins and failures', async () => {
		await loginToken(baseUrl);
		await login(baseUrl, { password: 'wrong-password' });
		await login(baseUrl, { apiKey: 'wrong-key' });
		expect(emulator.stats.logins).toBe(1);
		expect(emulator.stats.failedLogins).toBe(2);
	});

	test('rejectLogins uses given status', async () => {
		emulator.rejectLogins(429, 'Too Many Requests');
		const response = await login(baseUrl);
		expect(response.status).toBe(429);
		expect(response.headers.get('content-type')).toBe('text/plain');
		expect(await response.text()).toBe('Too Many Requests');
		expect(emulator.stats.failedLogins).toBe(1);
	});

	test('rejectLogins defaults to 401', async () => {
		emulator.rejectLogins();
		const response = await login(baseUrl);
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ message: 'Invalid username or password' });
	});

	test('acceptLogins restores success', async () => {
		emulator.rejectLogins();
		emulator.acceptLogins();
		expect((await login(baseUrl)).status).toBe(200);
	});

	test('setLoginResponse without token', async () => {
		emulator.setLoginResponse('{}');
		const response = await login(baseUrl);
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('{}');
		expect(emulator.stats.logins).toBe(1);
	});

	test('setLoginResponse token placeholder', async () => {
		emulator.setLoginResponse('{"token":"{{token}}"}');
		const body = (await (await login(baseUrl)).json()) as { token: string };
		expect(body.token).toMatch(/^[0-9a-f]{40}$/);
		expect((await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: body.token })).status).toBe(200);
	});

	test('setLoginDelay delays answer', async () => {
		emulator.setLoginDelay(300);
		const start = Date.now();
		await login(baseUrl);
		expect(Date.now() - start).toBeGreaterThanOrEqual(250);
	});
});

describe('token authentication', () => {
	test('valid token reaches ping', async () => {
		const token = await loginToken(baseUrl);
		const response = await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ status: 'ok' });
	});

	test('missing API key answers 403', async () => {
		const token = await loginToken(baseUrl);
		const response = await ping({ Authorization: token });
		expect(response.status).toBe(403);
		expect(await response.json()).toEqual({ message: 'Forbidden' });
	});

	test('missing token answers Unauthorized', async () => {
		const response = await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey });
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ message: 'Unauthorized' });
	});

	test('unknown token answers Unauthorized', async () => {
		const response = await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: 'not-a-token' });
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ message: 'Unauthorized' });
	});

	test('Bearer prefix counts as unknown', async () => {
		const token = await loginToken(baseUrl);
		const response = await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: `Bearer ${token}` });
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ message: 'Unauthorized' });
	});

	test('expired token has own message', async () => {
		const token = await loginToken(baseUrl);
		emulator.expireTokens();
		const response = await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token });
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ message: 'The incoming token has expired' });
	});

	test('tokens after expireTokens work', async () => {
		emulator.expireTokens();
		const token = await loginToken(baseUrl);
		expect((await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token })).status).toBe(200);
	});

	test('token lifetime option expires tokens', async () => {
		const shortLived = new QuivoEmulator({ orderCount: 1, tokenLifetimeSeconds: 0.2 });
		const url = await shortLived.start(0);
		try {
			const token = await loginToken(url);
			await new Promise((resolve) => setTimeout(resolve, 300));
			const response = await fetch(`${url}/ping`, { headers: { 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token } });
			expect(await response.json()).toEqual({ message: 'The incoming token has expired' });
		} finally {
			await shortLived.stop();
		}
	});

	test('expireTokensBeforeRequest hits n-th orders request', async () => {
		const token = await loginToken(baseUrl);
		emulator.expireTokensBeforeRequest(3);
		expect((await getOrders(baseUrl, token)).status).toBe(200);
		expect((await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token })).status).toBe(200);
		expect((await getOrders(baseUrl, token)).status).toBe(200);
		const third = await getOrders(baseUrl, token);
		expect(third.status).toBe(401);
		expect(await third.json()).toEqual({ message: 'The incoming token has expired' });
		expect((await getOrders(baseUrl, await loginToken(baseUrl))).status).toBe(200);
	});

	test('unknown path answers 404 after auth', async () => {
		const token = await loginToken(baseUrl);
		const response = await fetch(`${baseUrl}/nothing-here`, { headers: { 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token } });
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual({ message: 'Not Found' });
	});

	test('unknown path without token answers 401', async () => {
		expect((await fetch(`${baseUrl}/nothing-here`, { headers: { 'X-Api-Key': FAKE_CREDENTIALS.apiKey } })).status).toBe(401);
	});
});

describe('fault injection', () => {
	test('status fault answers once', async () => {
		const token = await loginToken(baseUrl);
		emulator.injectFault({ path: '/orders', status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' });
		const faulted = await getOrders(baseUrl, token);
		expect(faulted.status).toBe(502);
		expect(faulted.headers.get('content-type')).toBe('text/html');
		expect(await faulted.text()).toBe('<html>Bad Gateway</html>');
		expect((await getOrders(baseUrl, token)).status).toBe(200);
	});

	test('fault hits given times', async () => {
		const token = await loginToken(baseUrl);
		emulator.injectFault({ path: '/orders', status: 429, times: 2, headers: { 'Retry-After': '1' } });
		const first = await getOrders(baseUrl, token);
		const second = await getOrders(baseUrl, token);
		const third = await getOrders(baseUrl, token);
		expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
		expect(first.headers.get('retry-after')).toBe('1');
	});

	test('fault skips the first requests', async () => {
		const token = await loginToken(baseUrl);
		emulator.injectFault({ path: '/orders', status: 503, skip: 2 });
		const statuses = [];
		for (let request = 0; request < 4; request++) statuses.push((await getOrders(baseUrl, token)).status);
		expect(statuses).toEqual([200, 200, 503, 200]);
	});

	test('faults apply in queue order', async () => {
		const token = await loginToken(baseUrl);
		emulator.injectFault({ path: '/orders', status: 500 });
		emulator.injectFault({ path: '/orders', status: 503 });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await getOrders(baseUrl, token)).status);
		expect(statuses).toEqual([500, 503, 200]);
	});

	test('fault skips other paths', async () => {
		const token = await loginToken(baseUrl);
		emulator.injectFault({ path: '/orders', status: 500 });
		expect((await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token })).status).toBe(200);
		expect((await getOrders(baseUrl, token)).status).toBe(500);
	});

	test('fault filters by method', async () => {
		const token = await loginToken(baseUrl);
		emulator.injectFault({ method: 'post', status: 503 });
		expect((await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token })).status).toBe(200);
		expect((await login(baseUrl)).status).toBe(503);
		expect((await login(baseUrl)).status).toBe(200);
	});

	test('fault without path hits login', async () => {
		emulator.injectFault({ status: 503, body: 'Service Unavailable' });
		const response = await login(baseUrl);
		expect(response.status).toBe(503);
		expect(emulator.stats.logins).toBe(0);
		expect(emulator.stats.failedLogins).toBe(0);
	});

	test('destroySocket resets connection', async () => {
		const token = await loginToken(baseUrl);
		emulator.injectFault({ path: '/orders', status: 0, destroySocket: true });
		await expect(getOrders(baseUrl, token)).rejects.toThrow('fetch failed');
		expect((await getOrders(baseUrl, token)).status).toBe(200);
		const orderRequests = emulator.stats.requests.filter((request) => request.path === '/orders');
		expect(orderRequests.map((request) => request.status)).toEqual([0, 200]);
	});

	test('delayMs delays answer', async () => {
		const token = await loginToken(baseUrl);
		emulator.injectFault({ path: '/orders', status: 504, delayMs: 300 });
		const start = Date.now();
		const response = await getOrders(baseUrl, token);
		expect(response.status).toBe(504);
		expect(Date.now() - start).toBeGreaterThanOrEqual(250);
	});

	test('clearFaults drops queue', async () => {
		const token = await loginToken(baseUrl);
		emulator.injectFault({ path: '/orders', status: 500, times: 5 });
		emulator.clearFaults();
		expect((await getOrders(baseUrl, token)).status).toBe(200);
	});

	test('invalid times is rejected', () => {
		expect(() => emulator.injectFault({ status: 500, times: 0 })).toThrow(RangeError);
	});
});

describe('request stats', () => {
	test('records method, path, query, status, auth', async () => {
		const token = await loginToken(baseUrl);
		await getOrders(baseUrl, token, { pageSize: '5', query: 'orderStatus:PENDING' });
		await getOrders(baseUrl, 'stale-token');
		expect(emulator.stats.requests).toEqual([
			{ method: 'POST', path: '/login', query: {}, status: 200, auth: 'not-checked' },
			{ method: 'GET', path: '/orders', query: { pageSize: '5', query: 'orderStatus:PENDING' }, status: 200, auth: 'valid' },
			{ method: 'GET', path: '/orders', query: {}, status: 401, auth: 'unknown' },
		]);
	});

	test('records expired and missing auth', async () => {
		const token = await loginToken(baseUrl);
		emulator.expireTokens();
		await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token });
		await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey });
		expect(emulator.stats.requests.slice(1).map((request) => request.auth)).toEqual(['expired', 'missing']);
	});

	test('last query value wins', async () => {
		const token = await loginToken(baseUrl);
		await fetch(`${baseUrl}/orders?pageSize=5&pageSize=7`, { headers: { 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token } });
		expect(emulator.stats.requests[1].query).toEqual({ pageSize: '7' });
	});

	test('stats never contain secrets', async () => {
		const token = await loginToken(baseUrl);
		await getOrders(baseUrl, token, { query: 'orderStatus:PENDING' });
		await fetch(`${baseUrl}/orders?leak=${token}&key=${FAKE_CREDENTIALS.apiKey}&pw=${FAKE_CREDENTIALS.password}`, {
			headers: { 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token },
		});
		await login(baseUrl, { password: 'wrong-password' });
		const serialized = JSON.stringify(emulator.stats);
		expect(serialized).not.toContain(token);
		expect(serialized).not.toContain(FAKE_CREDENTIALS.apiKey);
		expect(serialized).not.toContain(FAKE_CREDENTIALS.password);
		expect(serialized).not.toContain('wrong-password');
		expect(emulator.stats.requests[2].query).toEqual({ leak: '[redacted]', key: '[redacted]', pw: '[redacted]' });
	});

	test('resetStats clears counters', async () => {
		await loginToken(baseUrl);
		emulator.resetStats();
		expect(emulator.stats).toEqual({ logins: 0, failedLogins: 0, requests: [] });
	});
});

describe('control endpoints', () => {
	test('stats endpoint returns stats unrecorded', async () => {
		await loginToken(baseUrl);
		const response = await fetch(`${baseUrl}/__emulator/stats`);
		expect(response.status).toBe(200);
		const stats = (await response.json()) as { logins: number; requests: unknown[] };
		expect(stats.logins).toBe(1);
		expect(stats.requests).toHaveLength(1);
		expect(emulator.stats.requests).toHaveLength(1);
	});

	test('reset-stats endpoint clears', async () => {
		await loginToken(baseUrl);
		const response = await fetch(`${baseUrl}/__emulator/reset-stats`, { method: 'POST' });
		expect(response.status).toBe(204);
		expect(emulator.stats.logins).toBe(0);
	});

	test('expire-tokens endpoint expires', async () => {
		const token = await loginToken(baseUrl);
		expect((await fetch(`${baseUrl}/__emulator/expire-tokens`, { method: 'POST' })).status).toBe(204);
		expect(await (await ping({ 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token })).json()).toEqual({ message: 'The incoming token has expired' });
	});

	test('control endpoints ignore faults', async () => {
		emulator.injectFault({ status: 500 });
		expect((await fetch(`${baseUrl}/__emulator/stats`)).status).toBe(200);
		expect((await login(baseUrl)).status).toBe(500);
	});

	test('wrong method answers 405', async () => {
		expect((await fetch(`${baseUrl}/__emulator/reset-stats`)).status).toBe(405);
	});
});

describe('lifecycle', () => {
	test('binds loopback only', () => {
		expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	});

	test('stop closes server', async () => {
		const temporary = new QuivoEmulator({ orderCount: 1 });
		const url = await temporary.start(0);
		await temporary.stop();
		await expect(fetch(`${url}/ping`)).rejects.toThrow('fetch failed');
		expect(() => temporary.baseUrl).toThrow('not running');
	});

	test('stop drops delayed answers', async () => {
		const temporary = new QuivoEmulator({ orderCount: 1 });
		const url = await temporary.start(0);
		temporary.injectFault({ status: 200, delayMs: 60000 });
		const pending = fetch(`${url}/ping`);
		await new Promise((resolve) => setTimeout(resolve, 100));
		await temporary.stop();
		await expect(pending).rejects.toThrow('fetch failed');
	});

	test('second start is rejected', async () => {
		await expect(emulator.start(0)).rejects.toThrow('already running');
	});
});
