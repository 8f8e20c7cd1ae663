import { createServer } from 'node:net';

import { NodeApiError, Workflow } from 'n8n-workflow';
import type { IHttpRequestHelper, IHttpRequestOptions, INode, INodeTypes, JsonObject } from 'n8n-workflow';
import nock from 'nock';
// n8n-core's own request helper, the one n8n hands to preAuthentication as `this.helpers.httpRequest`.
import { httpRequest } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions';

import { QuivoApi } from '../../credentials/QuivoApi.credentials';
import { QuivoLoginError } from '../../nodes/Quivo/transport/login';

const credentials = {
	environment: 'production',
	apiKey: 'fake-api-key-unit',
	username: 'ops@example.com',
	password: 'fake-password-unit',
	sessionToken: '',
};
const SECRETS = [credentials.apiKey, credentials.password];

const hookContext: IHttpRequestHelper = {
	helpers: { httpRequest: async (options: IHttpRequestOptions) => await httpRequest(options) },
};

async function logInWith(overrides: Record<string, string> = {}) {
	return await new QuivoApi().preAuthentication.call(hookContext, { ...credentials, ...overrides });
}

async function loginFailure(overrides: Record<string, string> = {}): Promise<QuivoLoginError> {
	try {
		await logInWith(overrides);
	} catch (error) {
		expect(error).toBeInstanceOf(QuivoLoginError);
		return error as QuivoLoginError;
	}
	throw new Error('the login did not fail');
}

/** Checks what makes n8n retry a login: an error with `response.status` 401. */
function expectNoRetryTrigger(error: QuivoLoginError) {
	expect((error as unknown as { response?: unknown }).response).toBeUndefined();
	const wrapped = new NodeApiError(
		{ id: '1', name: 'Quivo', type: 'n8n-nodes-quivo.quivo', typeVersion: 1, position: [0, 0], parameters: {} },
		error as unknown as JsonObject,
	);
	expect(wrapped.message).toBe(error.message);
	expect(wrapped.httpCode).toBeNull();
}

function expectNoSecrets(error: QuivoLoginError) {
	for (const secret of SECRETS) {
		expect(error.message).not.toContain(secret);
		expect(error.description).not.toContain(secret);
	}
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('QuivoApi preAuthentication', () => {
	test('posts credentials and returns only the token', async () => {
		const scope = nock('https://api.quivo.co', { reqheaders: { 'x-api-key': credentials.apiKey } })
			.post('/login', { username: credentials.username, password: credentials.password })
			.reply(200, { Token: 'session-token-1' });

		await expect(logInWith()).resolves.toEqual({ sessionToken: 'session-token-1' });
		expect(scope.isDone()).toBe(true);
	});

	test('falls back to lower-case token', async () => {
		nock('https://api.quivo.co').post('/login').reply(200, { token: 'session-token-2' });
		await expect(logInWith()).resolves.toEqual({ sessionToken: 'session-token-2' });
	});

	test('reads a token sent as text/plain JSON', async () => {
		nock('https://api.quivo.co')
			.post('/login')
			.reply(200, '{"Token":"session-token-3"}', { 'Content-Type': 'text/plain' });
		await expect(logInWith()).resolves.toEqual({ sessionToken: 'session-token-3' });
	});

	test('uses the sandbox and custom base URLs', async () => {
		nock('https://api-sandbox.quivo.co').post('/login').reply(200, { Token: 'sandbox-token' });
		nock('https://quivo.example.com').post('/base/login').reply(200, { Token: 'custom-token' });

		await expect(logInWith({ environment: 'sandbox' })).resolves.toEqual({ sessionToken: 'sandbox-token' });
		await expect(
			logInWith({ environment: 'custom', baseUrl: 'https://quivo.example.com/base//' }),
		).resolves.toEqual({ sessionToken: 'custom-token' });
	});

	test('rejects a response without token', async () => {
		nock('https://api.quivo.co').post('/login').reply(200, { session: 'x' });
		const error = await loginFailure();
		expect(error.message).toBe('Quivo accepted the login but its response contained no session token');
		expectNoRetryTrigger(error);
	});

	test.each([
		[403, '{"message":"Forbidden"}', 'Quivo rejected the API key (HTTP 403)'],
		[401, '{"message":"Invalid username or password"}', 'Quivo rejected the username or password (HTTP 401)'],
		[400, 'username: must not be null', 'Quivo rejected the username or password (HTTP 400)'],
		[404, '{"message":"Not Found"}', 'Quivo has no login endpoint at https://api.quivo.co/login (HTTP 404)'],
		[503, '<html>Service Unavailable</html>', 'Quivo login failed with HTTP 503'],
	])('maps HTTP %i to a clear error', async (status, body, message) => {
		nock('https://api.quivo.co').post('/login').reply(status, body);
		const error = await loginFailure();
		expect(error.message).toBe(message);
		expect(error.loginStatus).toBe(status);
		expectNoRetryTrigger(error);
		expectNoSecrets(error);
	});

	test('reports an unreachable host', async () => {
		nock.enableNetConnect('127.0.0.1');
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as { port: number };
		await new Promise((resolve) => server.close(resolve));

		const error = await loginFailure({ environment: 'custom', baseUrl: `http://127.0.0.1:${port}` });
		expect(error.message).toBe(`Could not reach Quivo at http://127.0.0.1:${port} to log in`);
		expect(error.description).toContain('ECONNREFUSED');
		expectNoRetryTrigger(error);
		expectNoSecrets(error);
	});

	test.each(['http://user:secret-pass@quivo.example.com', 'https://quivo.example.com/?key=1', 'https://quivo.example.com/#top'])(
		'rejects base URL %s',
		async (baseUrl) => {
			await expect(logInWith({ environment: 'custom', baseUrl })).rejects.toThrow(
				'The base URL of the Quivo credential must not contain a user name, password, query or fragment (host quivo.example.com)',
			);
		},
	);

	test.each([
		['ftp://admin:secret-pass@127.0.0.1:3999', 'The base URL "ftp://***@127.0.0.1:3999" of the Quivo credential must start with https:// or http://'],
		['admin:secret-pass@quivo.example.com', 'The base URL "***@quivo.example.com" of the Quivo credential must start with https:// or http://'],
		['http://admin:secret pass@', 'The base URL "http://***@" of the Quivo credential is not a valid URL'],
	])('hides the password in base URL %s', async (baseUrl, message) => {
		const error = await logInWith({ environment: 'custom', baseUrl }).catch((caught: unknown) => caught);

		expect(error).toMatchObject({ message });
		expect(String((error as Error).message)).not.toContain('secret');
	});

	test('rejects an invalid custom base URL', async () => {
		await expect(logInWith({ environment: 'custom', baseUrl: 'api.quivo.co' })).rejects.toThrow(
			'The base URL "api.quivo.co" of the Quivo credential is not a valid URL',
		);
	});
});

describe('QuivoApi authenticate and test', () => {
	test('sends key and raw token', () => {
		const { headers } = new QuivoApi().authenticate.properties;
		expect(headers).toEqual({
			'X-Api-Key': '={{ $credentials.apiKey }}',
			Authorization: '={{ $credentials.sessionToken }}',
		});
	});

	test('tests by logging in', () => {
		expect(new QuivoApi().test.request).toMatchObject({
			method: 'POST',
			url: '/login',
			body: { username: '={{ $credentials.username }}', password: '={{ $credentials.password }}' },
		});
	});

	test.each([
		[403, 'Quivo rejected the API key (HTTP 403)'],
		[401, 'Quivo rejected the username or password (HTTP 401)'],
	])('test rule for HTTP %i', (status, message) => {
		const rule = new QuivoApi().test.rules?.find((candidate) => candidate.type === 'responseCode' && candidate.properties.value === status);
		expect(rule?.properties.message).toContain(message);
	});

	test.each([
		[{ environment: 'production' }, 'https://api.quivo.co'],
		[{ environment: 'sandbox' }, 'https://api-sandbox.quivo.co'],
		[{ environment: 'custom', baseUrl: ' http://127.0.0.1:3999/ ' }, 'http://127.0.0.1:3999'],
	])('test request base URL for %p', (values, expected) => {
		const node: INode = { id: '1', name: 'Test', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as unknown as INodeTypes,
		});
		const baseURL = workflow.expression.getSimpleParameterValue(
			node,
			new QuivoApi().test.request.baseURL as string,
			'internal',
			{ $credentials: values },
		);
		expect(baseURL).toBe(expected);
	});

	test('session token hidden, expirable, masked', () => {
		const property = new QuivoApi().properties.find((candidate) => candidate.name === 'sessionToken');
		expect(property).toMatchObject({ type: 'hidden', default: '', typeOptions: { expirable: true, password: true } });
	});
});
