/**
 * Runs the packed n8n-nodes-quivo in n8n's queue mode: one main process takes webhook calls and two
 * workers run the executions, on a throwaway PostgreSQL and Redis. Three rounds of 20 concurrent
 * webhook calls check that the workers share the saved session token instead of each execution
 * logging in: with an empty token, with a valid saved token, and after every token expired.
 *
 * Needs PostgreSQL and Redis from Debian's packages: `node scripts/install-services.js`.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FAKE_CREDENTIALS, QuivoEmulator } from '../emulator/server';
import { N8nQueueMode, readFailedExecutions } from './support/queue';
import { CREDENTIAL_ID, emulatorCredential, packPackage } from './support/quivo';
import { startPostgres, startRedis, type PostgresServer, type RedisServer } from './support/services';
import type { WorkflowImport } from './support/n8n';

jest.setTimeout(600_000);

const ORDER_COUNT = 200;
const LOGIN_DELAY_MS = 300;
const CONCURRENT_CALLS = 20;
const WORKER_COUNT = 2;
const PAGE_LIMIT = 5;
const WEBHOOK_PATH = 'quivo-scale';
/** The n8n logs of the last run are copied here (git-ignored) for reading after a failure. */
const LOG_DIR = path.resolve(__dirname, '..', '..', 'test-output', 'scale-out');
/** A webhook call waits for the whole execution on a worker, including a delayed login. */
const CALL_TIMEOUT_MS = 120_000;

const WORKFLOW: WorkflowImport = {
	id: 'quivoScaleOut',
	name: 'Quivo scale-out',
	nodes: [
		{
			id: 'webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '6d1f3c1e-5a8b-4f0e-9c2d-3b7a1e0f4c52',
			// lastNode sends the response when the execution has finished, and allEntries returns every output item.
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		},
		{
			id: 'quivo',
			name: 'Quivo',
			type: 'n8n-nodes-quivo.quivo',
			typeVersion: 1,
			position: [200, 0],
			parameters: { resource: 'order', operation: 'getAll', returnAll: false, limit: PAGE_LIMIT },
			credentials: { quivoApi: { id: CREDENTIAL_ID, name: 'Quivo emulator' } },
		},
	],
	connections: { Webhook: { main: [[{ node: 'Quivo', type: 'main', index: 0 }]] } },
};

interface CallResult {
	status: number;
	body: string;
	durationMs: number;
}

interface RoundResult {
	name: string;
	calls: CallResult[];
	logins: number;
	durationMs: number;
	/** Executions each worker took from the queue during the round. */
	executionsPerWorker: number[];
}

let emulator: QuivoEmulator;
let postgres: PostgresServer | undefined;
let redis: RedisServer | undefined;
let n8n: N8nQueueMode | undefined;
let workDir: string;
const suiteStartedAt = Date.now();
const timings: Record<string, number> = {};
const rounds: RoundResult[] = [];

function queue(): N8nQueueMode {
	if (!n8n) throw new Error('n8n queue mode did not start; see the beforeAll error');
	return n8n;
}

async function callWebhook(index: number): Promise<CallResult> {
	const startedAt = Date.now();
	const response = await fetch(`${queue().baseUrl}/webhook/${WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ call: index }),
		signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
	});
	return { status: response.status, body: await response.text(), durationMs: Date.now() - startedAt };
}

/** Sends CONCURRENT_CALLS webhook calls at once and records logins and the executions per worker. */
async function runRound(name: string): Promise<RoundResult> {
	const countsBefore = await queue().workerExecutionCounts();
	emulator.resetStats();
	const startedAt = Date.now();

	const calls = await Promise.all(Array.from({ length: CONCURRENT_CALLS }, (_, index) => callWebhook(index)));

	const durationMs = Date.now() - startedAt;
	const logins = emulator.stats.logins;
	const countsAfter = await queue().workerExecutionCounts();
	const executionsPerWorker = countsAfter.map((count, index) => count - (countsBefore[index] ?? 0));
	const round = { name, calls, logins, durationMs, executionsPerWorker };
	rounds.push(round);
	return round;
}

/** Parses a webhook response body as the list of order objects that the Quivo node returned. */
function orders(call: CallResult): Array<Record<string, unknown>> {
	const parsed: unknown = JSON.parse(call.body);
	if (!Array.isArray(parsed)) throw new Error(`Expected a JSON array of orders, got: ${call.body.slice(0, 500)}`);
	return parsed as Array<Record<string, unknown>>;
}

/** Checks that every call returned PAGE_LIMIT orders; on failed calls it shows the errors that n8n stored. */
async function expectAllCallsReturnOrders(round: RoundResult): Promise<void> {
	const failed = round.calls.filter((call) => call.status !== 200);
	if (failed.length > 0) {
		const executions = postgres ? await readFailedExecutions(postgres.query) : [];
		expect({
			failedCalls: failed.map((call) => `${call.status} ${call.body.slice(0, 300)}`),
			failedExecutions: executions.map((execution) => `${execution.id} ${execution.status}: ${execution.errors.join('; ')}`),
		}).toEqual({ failedCalls: [], failedExecutions: [] });
	}
	for (const call of round.calls) {
		const items = orders(call);
		expect(items).toHaveLength(PAGE_LIMIT);
		expect(items.every((item) => typeof item.orderId === 'number')).toBe(true);
	}
}

function countBy(values: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

async function timed<T>(label: string, action: () => Promise<T>): Promise<T> {
	const startedAt = Date.now();
	const result = await action();
	timings[label] = Date.now() - startedAt;
	return result;
}

beforeAll(async () => {
	workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quivo-scale-'));
	emulator = new QuivoEmulator({ orderCount: ORDER_COUNT });
	await emulator.start();
	emulator.setLoginDelay(LOGIN_DELAY_MS);

	postgres = await timed('postgresStartMs', startPostgres);
	redis = await timed('redisStartMs', startRedis);
	const packageTarball = packPackage(workDir);

	n8n = await N8nQueueMode.start({
		postgres,
		redis,
		packageTarball,
		credentials: [emulatorCredential(emulator.baseUrl)],
		workflows: [WORKFLOW],
		workerCount: WORKER_COUNT,
		workerConcurrency: 10,
	});
	Object.assign(timings, {
		n8nSetupMs: n8n.timings.setupMs,
		n8nMainStartMs: n8n.timings.mainStartMs,
		...Object.fromEntries(n8n.timings.workerStartMs.map((ms, index) => [`n8nWorker${index + 1}StartMs`, ms])),
	});
});

afterAll(async () => {
	try {
		await timed('n8nStopMs', async () => await n8n?.stop());
		await saveDiagnostics();
	} finally {
		await n8n?.dispose();
		await redis?.stop();
		await postgres?.stop();
		await emulator?.stop();
		if (workDir) await fs.rm(workDir, { recursive: true, force: true });
	}
});

/** Copies the n8n logs and the failed executions into LOG_DIR and prints the measurements. */
async function saveDiagnostics(): Promise<void> {
	await fs.rm(LOG_DIR, { recursive: true, force: true });
	await fs.mkdir(LOG_DIR, { recursive: true });
	await n8n?.saveLogs(LOG_DIR);
	if (postgres) {
		const failedExecutions = await readFailedExecutions(postgres.query);
		await fs.writeFile(path.join(LOG_DIR, 'failed-executions.json'), JSON.stringify(failedExecutions, null, 2));
	}

	const report = {
		suiteWallMs: Date.now() - suiteStartedAt,
		...timings,
		rounds: rounds.map((round) => ({
			name: round.name,
			logins: round.logins,
			durationMs: round.durationMs,
			slowestCallMs: Math.max(...round.calls.map((call) => call.durationMs)),
			statusCounts: countBy(round.calls.map((call) => String(call.status))),
			executionsPerWorker: round.executionsPerWorker,
		})),
	};
	// The measured numbers are the point of this suite, so they are printed even when it passes.
	console.log(`Quivo scale-out measurements (n8n logs in ${LOG_DIR}):\n${JSON.stringify(report, null, 2)}`);
}

describe('Quivo node in n8n 1.123 queue mode', () => {
	test('empty token: at most one login per worker', async () => {
		const round = await runRound('empty token');

		await expectAllCallsReturnOrders(round);
		expect(round.executionsPerWorker.reduce((sum, count) => sum + count, 0)).toBe(CONCURRENT_CALLS);
		expect(round.logins).toBeLessThanOrEqual(WORKER_COUNT);
	});

	test('saved token: no login', async () => {
		const round = await runRound('saved token');

		await expectAllCallsReturnOrders(round);
		expect(round.logins).toBe(0);
	});

	test('expired token: at most one login per worker', async () => {
		emulator.expireTokens();
		const round = await runRound('expired token');

		await expectAllCallsReturnOrders(round);
		expect(round.logins).toBeLessThanOrEqual(WORKER_COUNT);
	});

	test('every worker ran executions', () => {
		const total = rounds.reduce(
			(sums, round) => sums.map((sum, index) => sum + (round.executionsPerWorker[index] ?? 0)),
			Array.from({ length: WORKER_COUNT }, () => 0),
		);

		expect(total.every((count) => count > 0)).toBe(true);
	});

	test('logs contain no secrets', async () => {
		const logs = await queue().readLogs();
		// Labels instead of values, so that a failure message does not print the secret again.
		const secrets: Array<[string, string]> = [
			['API key', FAKE_CREDENTIALS.apiKey],
			['password', FAKE_CREDENTIALS.password],
			...emulator.issuedTokens.map((token, index): [string, string] => [`session token ${index + 1}`, token]),
		];

		expect(emulator.issuedTokens.length).toBeGreaterThan(0);
		expect(logs).toContain('Worker started execution');
		expect(secrets.filter(([, secret]) => logs.includes(secret)).map(([label]) => label)).toEqual([]);
	});
});
