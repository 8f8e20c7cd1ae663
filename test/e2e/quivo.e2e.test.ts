/**
 * Runs the packed n8n-nodes-quivo in a real n8n against the Quivo emulator: login, reuse of the
 * saved token, re-login after expiry, Return All, Limit, filters and a wrong password.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FAKE_CREDENTIALS, QuivoEmulator, type QuivoOrder } from '../emulator/server';
import { N8nCli, nodeError, outputItems, type ExecutionResult } from './support/n8n';
import { CREDENTIAL_ID, packPackage, quivoWorkflow } from './support/quivo';

jest.setTimeout(180_000);

const ORDER_COUNT = 4200;
const WRONG_PASSWORD_CREDENTIAL_ID = 'quivoE2eCred0002';
const WRONG_PASSWORD = 'fake-wrong-password-0000';

let emulator: QuivoEmulator;
let n8n: N8nCli;
let workDir: string;

const WORKFLOWS = {
	limit: quivoWorkflow('quivoLimit7', {
		parameters: { returnAll: false, limit: 7, filters: { orderStatus: ['PROCESSING'] } },
	}),
	all: quivoWorkflow('quivoReturnAll', { parameters: { returnAll: true, simplify: true } }),
	filtered: quivoWorkflow('quivoFiltered', {
		parameters: {
			returnAll: true,
			filters: { orderStatus: ['COMPLETED', 'PROCESSING'], shipToCountry: 'DE' },
			options: { sortBy: 'created', sortDirection: 'asc' },
		},
	}),
	limitEach: quivoWorkflow('quivoLimitEach', {
		parameters: { returnAll: false, limit: 3 },
		continueOnFail: true,
		inputCount: 2,
	}),
	wrongPassword: quivoWorkflow('quivoWrongPw', {
		parameters: { returnAll: false, limit: 5 },
		credentialId: WRONG_PASSWORD_CREDENTIAL_ID,
	}),
	wrongPasswordEach: quivoWorkflow('quivoWrongPwEach', {
		parameters: { returnAll: false, limit: 5 },
		credentialId: WRONG_PASSWORD_CREDENTIAL_ID,
		continueOnFail: true,
		inputCount: 3,
	}),
};

async function savedToken(credentialId = CREDENTIAL_ID): Promise<string> {
	const data = await n8n.exportCredential(credentialId);
	return String(data.sessionToken ?? '');
}

function orderRequests() {
	return emulator.stats.requests.filter((request) => request.path === '/orders');
}

function quivoOutput(result: ExecutionResult) {
	return outputItems(result, 'Quivo');
}

function orderIds(result: ExecutionResult): number[] {
	return quivoOutput(result).map((item) => item.json.orderId as number);
}

/** Fails when the API key, a password or any session token shows up in what n8n printed. */
function expectNoSecrets(result: ExecutionResult) {
	const printed = `${result.stdout}\n${result.stderr}`;
	expect(emulator.issuedTokens.length).toBeGreaterThan(0);
	for (const secret of [FAKE_CREDENTIALS.apiKey, FAKE_CREDENTIALS.password, WRONG_PASSWORD, ...emulator.issuedTokens]) {
		expect(printed.includes(secret)).toBe(false);
	}
}

beforeAll(async () => {
	workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quivo-e2e-'));
	emulator = new QuivoEmulator({ orderCount: ORDER_COUNT });
	await emulator.start();

	n8n = await N8nCli.create();
	await n8n.installCommunityPackage(packPackage(workDir));
	const credentialData = {
		environment: 'custom',
		baseUrl: emulator.baseUrl,
		apiKey: FAKE_CREDENTIALS.apiKey,
		username: FAKE_CREDENTIALS.username,
		sessionToken: '',
	};
	await n8n.importCredentials([
		{ id: CREDENTIAL_ID, name: 'Quivo emulator', type: 'quivoApi', data: { ...credentialData, password: FAKE_CREDENTIALS.password } },
		{ id: WRONG_PASSWORD_CREDENTIAL_ID, name: 'Quivo wrong password', type: 'quivoApi', data: { ...credentialData, password: WRONG_PASSWORD } },
	]);
	for (const workflow of Object.values(WORKFLOWS)) await n8n.importWorkflow(workflow);
});

afterAll(async () => {
	await n8n?.dispose();
	await emulator?.stop();
	await fs.rm(workDir, { recursive: true, force: true });
});

beforeEach(() => {
	emulator.resetStats();
	emulator.clearFaults();
});

describe('Quivo node in a real n8n', () => {
	test('first run logs in, second reuses token', async () => {
		const first = await n8n.execute(WORKFLOWS.limit.id);

		expect(first.exitCode).toBe(0);
		expect(emulator.stats.logins).toBe(1);
		expect(quivoOutput(first)).toHaveLength(7);
		const token = await savedToken();
		expect(token).not.toBe('');

		emulator.resetStats();
		const second = await n8n.execute(WORKFLOWS.limit.id);

		expect(second.exitCode).toBe(0);
		expect(emulator.stats.logins).toBe(0);
		expect(orderIds(second)).toEqual(orderIds(first));
		expect(orderRequests().map((request) => request.auth)).toEqual(['valid']);
		expect(await savedToken()).toBe(token);
		expectNoSecrets(first);
		expectNoSecrets(second);
	});

	test('expired token: one re-login, token saved', async () => {
		await n8n.execute(WORKFLOWS.limit.id);
		const oldToken = await savedToken();
		emulator.resetStats();
		emulator.expireTokens();

		const result = await n8n.execute(WORKFLOWS.limit.id);

		expect(result.exitCode).toBe(0);
		expect(emulator.stats.logins).toBe(1);
		// The first try does not throw; the repeat throws the 401 that makes n8n log in again.
		expect(orderRequests().map((request) => [request.auth, request.status])).toEqual([
			['expired', 401],
			['expired', 401],
			['valid', 200],
		]);
		expect(quivoOutput(result)).toHaveLength(7);
		const newToken = await savedToken();
		expect(newToken).not.toBe('');
		expect(newToken).not.toBe(oldToken);

		emulator.resetStats();
		await n8n.execute(WORKFLOWS.limit.id);
		expect(emulator.stats.logins).toBe(0);
		expectNoSecrets(result);
	});

	test('return all returns each order once', async () => {
		const result = await n8n.execute(WORKFLOWS.all.id);

		expect(result.exitCode).toBe(0);
		const ids = orderIds(result);
		expect(ids).toHaveLength(ORDER_COUNT);
		expect(new Set(ids)).toEqual(new Set(emulator.orders.map((order) => order.orderId)));
		expect(orderRequests().map((request) => request.query.pageSize)).toEqual(['1000', '1000', '1000', '1000', '1000']);
		expect(quivoOutput(result).every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		expectNoSecrets(result);
	});

	test('return all survives expiry between pages', async () => {
		await n8n.execute(WORKFLOWS.limit.id);
		emulator.resetStats();
		emulator.expireTokensBeforeRequest(3);

		const result = await n8n.execute(WORKFLOWS.all.id);

		expect(result.exitCode).toBe(0);
		expect(emulator.stats.logins).toBe(1);
		const ids = orderIds(result);
		expect(ids).toHaveLength(ORDER_COUNT);
		expect(new Set(ids).size).toBe(ORDER_COUNT);
		expect(orderRequests().map((request) => request.status)).toEqual([200, 200, 401, 401, 200, 200, 200]);
		const cursors = orderRequests().map((request) => request.query.searchAfter);
		expect(cursors[2]).toBe(cursors[4]);
		expect(cursors[3]).toBe(cursors[4]);
		expectNoSecrets(result);
	});

	test('limit returns exactly seven', async () => {
		const result = await n8n.execute(WORKFLOWS.limit.id);

		expect(result.exitCode).toBe(0);
		const items = quivoOutput(result);
		expect(items).toHaveLength(7);
		expect(items.every((item) => item.json.orderStatus === 'PROCESSING')).toBe(true);
		expect(orderRequests().map((request) => request.query)).toEqual([
			{ sort: 'orderId:desc', query: 'orderStatus:"PROCESSING"', pageSize: '7' },
		]);
	});

	test('filters reach every page', async () => {
		const matching = emulator.orders.filter(
			(order: QuivoOrder) =>
				['COMPLETED', 'PROCESSING'].includes(String(order.orderStatus)) && order.shipToCountry === 'DE',
		);
		expect(matching.length).toBeGreaterThan(1000);

		const result = await n8n.execute(WORKFLOWS.filtered.id);

		expect(result.exitCode).toBe(0);
		const requests = orderRequests();
		expect(requests.length).toBe(Math.floor(matching.length / 1000) + 1);
		for (const request of requests) {
			expect(request.query.query).toBe('(orderStatus:("COMPLETED" OR "PROCESSING")) AND (shipToCountry:DE)');
			expect(request.query.sort).toBe('created:asc,orderId:asc');
		}
		const ids = orderIds(result);
		expect(ids).toHaveLength(matching.length);
		expect(new Set(ids)).toEqual(new Set(matching.map((order) => order.orderId)));
	});

	test('wrong password fails once, clearly', async () => {
		const result = await n8n.execute(WORKFLOWS.wrongPassword.id);

		expect(result.exitCode).toBe(1);
		expect(emulator.stats.failedLogins).toBe(1);
		expect(emulator.stats.logins).toBe(0);
		expect(orderRequests()).toHaveLength(0);
		const error = nodeError(result, 'Quivo');
		expect(error?.message).toBe('Quivo rejected the username or password (HTTP 401)');
		expect(error?.description).toContain('Check the username and password');
		expect(await savedToken(WRONG_PASSWORD_CREDENTIAL_ID)).toBe('');
		expectNoSecrets(result);
	});

	test('wrong password: one login per run', async () => {
		const result = await n8n.execute(WORKFLOWS.wrongPasswordEach.id);

		expect(result.exitCode).toBe(0);
		expect(emulator.stats.failedLogins).toBe(1);
		expect(quivoOutput(result)).toEqual([0, 1, 2].map((item) => ({
			json: { error: 'Quivo rejected the username or password (HTTP 401)' },
			pairedItem: { item },
		})));
		expectNoSecrets(result);
	});

	test('persistent 401 stops after one re-login', async () => {
		await n8n.execute(WORKFLOWS.limit.id);
		emulator.resetStats();
		emulator.injectFault({ path: '/orders', times: 10, status: 401, body: '{"message":"Unauthorized"}', contentType: 'application/json' });

		const result = await n8n.execute(WORKFLOWS.limitEach.id);

		expect(result.exitCode).toBe(0);
		expect(emulator.stats.logins).toBe(1);
		expect(orderRequests()).toHaveLength(3);
		const errors = quivoOutput(result).map((item) => item.json.error);
		expect(errors).toEqual([
			'Quivo rejected the session token even after a new login for GET /orders (HTTP 401): Unauthorized',
			'Quivo rejected the session token even after a new login for GET /orders (HTTP 401): Unauthorized',
		]);
		expectNoSecrets(result);
	});
});
