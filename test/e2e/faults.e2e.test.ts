/**
 * Fault matrix: each Quivo fault from the emulator, run through a real n8n workflow. Every case
 * checks the outcome, the orders (each exactly once), logins, requests and the error message,
 * and that nothing n8n printed contains a secret. The measured rows are written to
 * test-output/fault-matrix.md for docs/reliability.md, or to fault-matrix-n8n-<version>.md when
 * N8N_E2E_VERSION picks the n8n.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FAKE_CREDENTIALS, QuivoEmulator } from '../emulator/server';
import { N8nCli, nodeError, outputItems, type ExecutionResult } from './support/n8n';
import { emulatorCredential, packPackage, quivoWorkflow } from './support/quivo';

jest.setTimeout(120_000);

const ORDER_COUNT = 2500;
const PAGES = Math.ceil(ORDER_COUNT / 1000);

const WORKFLOWS = {
	all: quivoWorkflow('faultAll', { parameters: { returnAll: true, options: { maxRetries: 3 } } }),
	limit: quivoWorkflow('faultLimit', { parameters: { returnAll: false, limit: 5, options: { maxRetries: 2 } } }),
	slowAll: quivoWorkflow('faultSlowAll', {
		parameters: { returnAll: true, options: { maxRetries: 2, timeout: 2 } },
	}),
	slowLimit: quivoWorkflow('faultSlowLimit', {
		parameters: { returnAll: false, limit: 5, options: { maxRetries: 1, timeout: 2 } },
	}),
};
type WorkflowName = keyof typeof WORKFLOWS;

interface FaultCase {
	fault: string;
	expected: string;
	workflow: WorkflowName;
	setUp: (emulator: QuivoEmulator) => void;
	/** Orders the run must return, each once; undefined when the run must fail. */
	orders?: number;
	error?: string;
	logins: number;
	failedLogins?: number;
	requests: number;
	/** Whether the case leaves the saved token unusable, so the next case needs a fresh one. */
	breaksSession?: boolean;
}

const json = 'application/json';
const FAULTS: FaultCase[] = [
	{
		fault: '429 with Retry-After: 1',
		expected: 'waits 1 s, retries, returns all orders',
		workflow: 'all',
		setUp: (e) => e.injectFault({ path: '/orders', status: 429, headers: { 'Retry-After': '1' }, body: '{"message":"Too Many Requests"}', contentType: json }),
		orders: ORDER_COUNT,
		logins: 0,
		requests: PAGES + 1,
	},
	{
		fault: '429 without Retry-After',
		expected: 'backs off 0.5–1 s, retries, returns all orders',
		workflow: 'all',
		setUp: (e) => e.injectFault({ path: '/orders', status: 429, body: '{"message":"Too Many Requests"}', contentType: json }),
		orders: ORDER_COUNT,
		logins: 0,
		requests: PAGES + 1,
	},
	{
		fault: '502 HTML page from the gateway',
		expected: 'retries, returns all orders',
		workflow: 'all',
		setUp: (e) => e.injectFault({ path: '/orders', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' }),
		orders: ORDER_COUNT,
		logins: 0,
		requests: PAGES + 1,
	},
	{
		fault: '503 plain text on page 2',
		expected: 'retries page 2, returns all orders',
		workflow: 'all',
		setUp: (e) => e.injectFault({ path: '/orders', status: 503, body: 'Service Unavailable', skip: 1 }),
		orders: ORDER_COUNT,
		logins: 0,
		requests: PAGES + 1,
	},
	{
		fault: '504 twice on page 3',
		expected: 'retries page 3 twice, returns all orders',
		workflow: 'all',
		setUp: (e) => e.injectFault({ path: '/orders', status: 504, times: 2, skip: 2, headers: { 'Retry-After': '0' } }),
		orders: ORDER_COUNT,
		logins: 0,
		requests: PAGES + 2,
	},
	{
		fault: 'connection reset on page 2',
		expected: 'retries page 2, returns all orders',
		workflow: 'all',
		setUp: (e) => e.injectFault({ path: '/orders', status: 0, destroySocket: true, skip: 1 }),
		orders: ORDER_COUNT,
		logins: 0,
		requests: PAGES + 1,
	},
	{
		fault: 'slow answer (4 s) past the 2 s timeout, once',
		expected: 'times out, retries, returns all orders',
		workflow: 'slowAll',
		setUp: (e) => e.injectFault({ path: '/orders', status: 200, body: '[]', contentType: json, delayMs: 4000 }),
		orders: ORDER_COUNT,
		logins: 0,
		requests: PAGES + 1,
	},
	{
		fault: 'slow answer (4 s) that persists',
		expected: 'one clear timeout error after 2 attempts',
		workflow: 'slowLimit',
		setUp: (e) => e.injectFault({ path: '/orders', status: 200, body: '[]', contentType: json, delayMs: 4000, times: 5 }),
		error: 'Quivo did not respond to GET /orders within 2 seconds',
		logins: 0,
		requests: 2,
	},
	{
		fault: '429 that persists (Retry-After: 0)',
		expected: 'one clear error after 3 attempts (Max Retries 2)',
		workflow: 'limit',
		setUp: (e) => e.injectFault({ path: '/orders', status: 429, times: 10, headers: { 'Retry-After': '0' }, body: '{"message":"Too Many Requests"}', contentType: json }),
		error: 'Quivo is rate limiting requests for GET /orders (HTTP 429): Too Many Requests',
		logins: 0,
		requests: 3,
	},
	{
		fault: '429 with Retry-After: 3600',
		expected: 'no wait of an hour: one clear error at once',
		workflow: 'limit',
		setUp: (e) => e.injectFault({ path: '/orders', status: 429, headers: { 'Retry-After': '3600' } }),
		error: 'Quivo is rate limiting requests for GET /orders (HTTP 429)',
		logins: 0,
		requests: 1,
	},
	{
		fault: 'HTML page with status 200',
		expected: 'clear error, no garbage items, no retry',
		workflow: 'limit',
		setUp: (e) => e.injectFault({ path: '/orders', status: 200, body: '<html><body>Maintenance</body></html>', contentType: 'text/html' }),
		error: 'Quivo returned an HTML page for GET /orders',
		logins: 0,
		requests: 1,
	},
	{
		fault: 'JSON object where a list is due',
		expected: 'clear error, no garbage items',
		workflow: 'limit',
		setUp: (e) => e.injectFault({ path: '/orders', status: 200, body: '{"orders":[]}', contentType: json }),
		error: 'Quivo returned a JSON object for GET /orders where a list was expected',
		logins: 0,
		requests: 1,
	},
	{
		fault: 'empty body with status 200',
		expected: 'clear error, no garbage items',
		workflow: 'limit',
		setUp: (e) => e.injectFault({ path: '/orders', status: 200, body: '', contentType: json }),
		error: 'Quivo returned an empty body for GET /orders where a list was expected',
		logins: 0,
		requests: 1,
	},
	{
		fault: 'plain-text 400',
		expected: "Quivo's message in the error, no retry",
		workflow: 'limit',
		setUp: (e) => e.injectFault({ path: '/orders', status: 400, body: 'query: must not be null' }),
		error: 'Quivo rejected the request as invalid for GET /orders (HTTP 400): query: must not be null',
		logins: 0,
		requests: 1,
	},
	{
		fault: 'JSON 400 {status, field, message}',
		expected: 'field and message in the error',
		workflow: 'limit',
		setUp: (e) => e.injectFault({ path: '/orders', status: 400, body: '{"status":"error","field":"pageSize","message":"must be less than or equal to 1000"}', contentType: json }),
		error: 'Quivo rejected the request as invalid for GET /orders (HTTP 400): pageSize: must be less than or equal to 1000',
		logins: 0,
		requests: 1,
	},
	{
		fault: '500',
		expected: 'not retried (may not be transient), clear error',
		workflow: 'limit',
		setUp: (e) => e.injectFault({ path: '/orders', status: 500, body: '{"message":"Internal Server Error"}', contentType: json }),
		error: 'Quivo failed to process the request for GET /orders (HTTP 500): Internal Server Error',
		logins: 0,
		requests: 1,
	},
	{
		fault: 'token expires before page 3',
		expected: 'one re-login, page 3 repeated, all orders once',
		workflow: 'all',
		setUp: (e) => e.expireTokensBeforeRequest(3),
		orders: ORDER_COUNT,
		logins: 1,
		requests: PAGES + 2,
	},
	{
		fault: '401 that persists after re-login',
		expected: 'one re-login, then one clear error, no loop',
		workflow: 'limit',
		setUp: (e) => e.injectFault({ path: '/orders', status: 401, times: 10, body: '{"message":"Unauthorized"}', contentType: json }),
		error: 'Quivo rejected the session token even after a new login for GET /orders (HTTP 401): Unauthorized',
		logins: 1,
		requests: 3,
	},
	{
		fault: 'password changed: token expired, login rejected',
		expected: '"rejected the username or password", one login attempt',
		workflow: 'limit',
		setUp: (e) => {
			e.expireTokens();
			e.rejectLogins();
		},
		error: 'Quivo rejected the username or password (HTTP 401)',
		logins: 0,
		failedLogins: 1,
		requests: 2,
		breaksSession: true,
	},
	{
		fault: 'API key revoked: login answers 403',
		expected: '"rejected the API key", one login attempt',
		workflow: 'limit',
		setUp: (e) => {
			e.expireTokens();
			e.rejectLogins(403, '{"message":"Forbidden"}');
		},
		error: 'Quivo rejected the API key (HTTP 403)',
		logins: 0,
		failedLogins: 1,
		requests: 2,
		breaksSession: true,
	},
	{
		fault: 'login answers without a token',
		expected: 'clear error naming the missing token',
		workflow: 'limit',
		setUp: (e) => {
			e.expireTokens();
			e.setLoginResponse('{}');
		},
		error: 'Quivo accepted the login but its response contained no session token',
		logins: 1,
		requests: 2,
		breaksSession: true,
	},
	{
		fault: 'login answers 503',
		expected: 'clear error, no login loop',
		workflow: 'limit',
		setUp: (e) => {
			e.expireTokens();
			e.injectFault({ path: '/login', status: 503, body: 'Service Unavailable' });
		},
		error: 'Quivo login failed with HTTP 503',
		logins: 0,
		requests: 2,
		breaksSession: true,
	},
];

let emulator: QuivoEmulator;
let n8n: N8nCli;
let workDir: string;
const measured: string[] = [];

function orderRequestCount(): number {
	return emulator.stats.requests.filter((request) => request.path === '/orders').length;
}

function expectNoSecrets(text: string) {
	for (const secret of [FAKE_CREDENTIALS.apiKey, FAKE_CREDENTIALS.password, ...emulator.issuedTokens]) {
		expect(text.includes(secret)).toBe(false);
	}
}

/** Clears all switches and, after a case that broke the session, logs in again outside the counts. */
async function restoreEmulator(breaksSession: boolean | undefined) {
	emulator.clearFaults();
	emulator.acceptLogins();
	emulator.setLoginResponse(undefined);
	if (breaksSession) {
		const result = await n8n.execute(WORKFLOWS.limit.id);
		expect(result.exitCode).toBe(0);
	}
}

beforeAll(async () => {
	workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quivo-faults-'));
	emulator = new QuivoEmulator({ orderCount: ORDER_COUNT });
	await emulator.start();
	n8n = await N8nCli.create();
	await n8n.installCommunityPackage(packPackage(workDir));
	await n8n.importCredentials([emulatorCredential(emulator.baseUrl)]);
	for (const workflow of Object.values(WORKFLOWS)) await n8n.importWorkflow(workflow);
	const warmUp = await n8n.execute(WORKFLOWS.limit.id);
	expect(warmUp.exitCode).toBe(0);
});

afterAll(async () => {
	if (measured.length > 0) {
		const outputDir = path.resolve(__dirname, '..', '..', 'test-output');
		await fs.mkdir(outputDir, { recursive: true });
		const header = '| Fault | Expected | Result | Orders | Logins | Requests | Time |\n|---|---|---|---|---|---|---|\n';
		const fileName = process.env.N8N_E2E_VERSION ? `fault-matrix-n8n-${n8n.version}.md` : 'fault-matrix.md';
		await fs.writeFile(path.join(outputDir, fileName), header + measured.join('\n') + '\n');
	}
	expectNoSecrets(n8n?.logs ?? '');
	await n8n?.dispose();
	await emulator?.stop();
	await fs.rm(workDir, { recursive: true, force: true });
});

describe('Quivo faults in n8n', () => {
	test.each(FAULTS.map((fault) => [fault.fault, fault] as const))('%s', async (_name, fault) => {
		emulator.resetStats();
		fault.setUp(emulator);

		const result: ExecutionResult = await n8n.execute(WORKFLOWS[fault.workflow].id);
		const orderIds = result.exitCode === 0 ? outputItems(result, 'Quivo').map((item) => item.json.orderId) : [];
		const error = nodeError(result, 'Quivo');
		measured.push(
			`| ${fault.fault} | ${fault.expected} | ${error ? `error: ${error.message}` : 'success'} | ${orderIds.length} | ${emulator.stats.logins} (failed ${emulator.stats.failedLogins}) | ${orderRequestCount()} | ${(result.durationMs / 1000).toFixed(1)} s |`,
		);

		if (fault.orders !== undefined) {
			expect(result.exitCode).toBe(0);
			expect(orderIds).toHaveLength(fault.orders);
			expect(new Set(orderIds).size).toBe(fault.orders);
		} else {
			expect(result.exitCode).toBe(1);
			expect(error?.message).toBe(fault.error);
			expect(error?.context?.itemIndex).toBe(0);
		}
		expect(emulator.stats.logins).toBe(fault.logins);
		expect(emulator.stats.failedLogins).toBe(fault.failedLogins ?? 0);
		expect(orderRequestCount()).toBe(fault.requests);
		expectNoSecrets(`${result.stdout}\n${result.stderr}`);

		await restoreEmulator(fault.breaksSession);
	});
});
