import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';
import nock from 'nock';
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { QuivoApi } from '../../../../credentials/QuivoApi.credentials';

const BASE_URL = 'https://api.quivo.co';
const credentials = {
	environment: 'production',
	apiKey: 'fake-api-key-share',
	username: 'ops@example.com',
	password: 'fake-password-share',
	sessionToken: '',
};
const hookContext: IHttpRequestHelper = {
	helpers: { httpRequest: async (options: IHttpRequestOptions) => await httpRequest(options) },
};

async function preAuthenticate(overrides: Record<string, string> = {}) {
	return await new QuivoApi().preAuthentication.call(hookContext, { ...credentials, ...overrides });
}

/** Answers each login after 100 ms with token-1, token-2 … and counts the logins. */
function serveLogins() {
	const state = { logins: 0 };
	nock(BASE_URL)
		.post('/login')
		.times(20)
		.delay(100)
		.reply(() => {
			state.logins++;
			return [200, { Token: `token-${state.logins}` }];
		});
	return state;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('shared login', () => {
	test('concurrent callers share one login', async () => {
		const server = serveLogins();

		const results = await Promise.all(Array.from({ length: 5 }, async () => await preAuthenticate()));

		expect(server.logins).toBe(1);
		expect(results).toEqual(Array.from({ length: 5 }, () => ({ sessionToken: 'token-1' })));
	});

	test('empty token gets the newest', async () => {
		const server = serveLogins();
		await preAuthenticate();

		await expect(preAuthenticate({ sessionToken: '' })).resolves.toEqual({ sessionToken: 'token-1' });
		expect(server.logins).toBe(1);
	});

	test('rejected newest token logs in again', async () => {
		const server = serveLogins();
		await preAuthenticate();

		await expect(preAuthenticate({ sessionToken: 'token-1' })).resolves.toEqual({ sessionToken: 'token-2' });
		expect(server.logins).toBe(2);
	});

	test('known older token gets the newest', async () => {
		const server = serveLogins();
		await preAuthenticate();
		await preAuthenticate({ sessionToken: 'token-1' });

		await expect(preAuthenticate({ sessionToken: 'token-1' })).resolves.toEqual({ sessionToken: 'token-2' });
		expect(server.logins).toBe(2);
	});

	test('token from elsewhere logs in once', async () => {
		const server = serveLogins();
		await preAuthenticate();

		// Another worker's token may be newer than this process's, so it is not swapped blindly.
		await expect(preAuthenticate({ sessionToken: 'other-worker-token' })).resolves.toEqual({ sessionToken: 'token-2' });
		await expect(preAuthenticate({ sessionToken: 'other-worker-token' })).resolves.toEqual({ sessionToken: 'token-2' });
		expect(server.logins).toBe(2);
	});

	test('callers during a login wait for it', async () => {
		const server = serveLogins();
		await preAuthenticate();

		// Two workers' tokens expired together: the stale newest token must not be handed out.
		const results = await Promise.all([
			preAuthenticate({ sessionToken: 'other-worker-token' }),
			preAuthenticate({ sessionToken: 'other-worker-token' }),
			preAuthenticate({ sessionToken: 'token-1' }),
		]);

		expect(results).toEqual([{ sessionToken: 'token-2' }, { sessionToken: 'token-2' }, { sessionToken: 'token-2' }]);
		expect(server.logins).toBe(2);
	});

	test('other credentials never share tokens', async () => {
		const server = serveLogins();
		await preAuthenticate();

		await expect(preAuthenticate({ password: 'fake-other-password' })).resolves.toEqual({ sessionToken: 'token-2' });
		await expect(preAuthenticate({ username: 'other@example.com' })).resolves.toEqual({ sessionToken: 'token-3' });
		await expect(preAuthenticate({ apiKey: 'fake-other-api-key' })).resolves.toEqual({ sessionToken: 'token-4' });
		await expect(
			preAuthenticate({ environment: 'custom', baseUrl: BASE_URL + '/' }),
		).resolves.toEqual({ sessionToken: 'token-1' });
		expect(server.logins).toBe(4);
	});

	test('failed login is shared, not cached', async () => {
		let attempts = 0;
		nock(BASE_URL)
			.post('/login')
			.delay(100)
			.reply(() => {
				attempts++;
				return [401, { message: 'Invalid username or password' }];
			});

		const results = await Promise.allSettled([preAuthenticate(), preAuthenticate(), preAuthenticate()]);

		expect(attempts).toBe(1);
		expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
		const server = serveLogins();
		await expect(preAuthenticate()).resolves.toEqual({ sessionToken: 'token-1' });
		expect(server.logins).toBe(1);
	});
});
