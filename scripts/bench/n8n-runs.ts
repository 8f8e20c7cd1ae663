/**
 * The real-n8n variants: the Quivo node in a workflow (Manual Trigger → Quivo) and the workflow
 * users build without this package (Manual Trigger → HTTP Request login → HTTP Request GET
 * /orders with n8n's built-in pagination). Each execution is one `n8n execute` process, started
 * with rss-probe.js in NODE_OPTIONS so that its peak RSS is recorded.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { FAKE_CREDENTIALS } from '../../test/emulator/server';
import { N8nCli, type OutputItem, type RunDataJson, type WorkflowImport } from '../../test/e2e/support/n8n';
import { emulatorCredential, MANUAL_TRIGGER } from '../../test/e2e/support/quivo';
import { PROBE_PATH, readProbe, readProbeLines, waitForExit } from './children';
import { CHILD_ENV, type ProbeLine } from './protocol';

const CREDENTIAL_ID = 'quivoBenchCred01';
export const QUIVO_WORKFLOW_ID = 'quivoBenchNode1';
export const HTTP_WORKFLOW_ID = 'quivoBenchHttp1';
/** Nodes whose execution time counts as the workflow's API work, per workflow. */
export const API_NODES: Record<string, string[]> = {
	[QUIVO_WORKFLOW_ID]: ['Quivo'],
	[HTTP_WORKFLOW_ID]: ['Login', 'Get Orders'],
};
/** Node whose output items are the orders, per workflow. */
const OUTPUT_NODE: Record<string, string> = {
	[QUIVO_WORKFLOW_ID]: 'Quivo',
	[HTTP_WORKFLOW_ID]: 'Get Orders',
};
const PAGE_SIZE = 1000;


/** Manual Trigger → Quivo Order: Get Many with Return All and Simplify off. */
function quivoWorkflow(): WorkflowImport {
	return {
		id: QUIVO_WORKFLOW_ID,
		name: 'Benchmark: Quivo node',
		nodes: [
			MANUAL_TRIGGER,
			{
				id: 'quivo',
				name: 'Quivo',
				type: 'n8n-nodes-quivo.quivo',
				typeVersion: 1,
				position: [200, 0],
				parameters: { resource: 'order', operation: 'getAll', returnAll: true, simplify: false },
				credentials: { quivoApi: { id: CREDENTIAL_ID, name: 'Quivo emulator' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Quivo', type: 'main', index: 0 }]] } },
	};
}

/**
 * Manual Trigger → HTTP Request (POST /login) → HTTP Request (GET /orders). The second node uses
 * "Update a Parameter in Each Request" to set `searchAfter` to the last order's sort values and
 * stops when a page has fewer than 1,000 orders (HTTP Request node 4.2 of n8n 1.123.81).
 */
function httpRequestWorkflow(baseUrl: string): WorkflowImport {
	const lastSortValues =
		'={{ Array.isArray($response.body) && $response.body.length > 0 ? JSON.stringify($response.body[$response.body.length - 1].sort) : "" }}';
	return {
		id: HTTP_WORKFLOW_ID,
		name: 'Benchmark: HTTP Request nodes',
		nodes: [
			MANUAL_TRIGGER,
			{
				id: 'login',
				name: 'Login',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [200, 0],
				parameters: {
					method: 'POST',
					url: `${baseUrl}/login`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'X-Api-Key', value: FAKE_CREDENTIALS.apiKey }] },
					sendBody: true,
					specifyBody: 'json',
					jsonBody: JSON.stringify({ username: FAKE_CREDENTIALS.username, password: FAKE_CREDENTIALS.password }),
					options: {},
				},
			},
			{
				id: 'orders',
				name: 'Get Orders',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [400, 0],
				parameters: {
					url: `${baseUrl}/orders`,
					sendQuery: true,
					queryParameters: {
						parameters: [
							{ name: 'pageSize', value: String(PAGE_SIZE) },
							{ name: 'sort', value: 'orderId:desc' },
						],
					},
					sendHeaders: true,
					headerParameters: {
						parameters: [
							{ name: 'X-Api-Key', value: FAKE_CREDENTIALS.apiKey },
							{ name: 'Authorization', value: '={{ $json.Token }}' },
						],
					},
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: { parameters: [{ type: 'qs', name: 'searchAfter', value: lastSortValues }] },
								paginationCompleteWhen: 'other',
								completeExpression: `={{ $response.body.length < ${PAGE_SIZE} }}`,
							},
						},
					},
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Login', type: 'main', index: 0 }]] },
			Login: { main: [[{ node: 'Get Orders', type: 'main', index: 0 }]] },
		},
	};
}

export interface N8nRun {
	/** Whole `n8n execute` process, from spawn to exit. */
	processWallMs: number;
	/** Sum of `executionTime` of the API nodes in the run data. */
	nodeExecutionMs: number;
	orders: number;
	distinctOrderIds: number;
	probe: ProbeLine;
}

const PROBE_NODE_OPTIONS = `--require ${JSON.stringify(PROBE_PATH)}`;

/**
 * Extracts the run data JSON that `n8n execute --rawOutput` prints from a line `{` to the last
 * line `}`. It avoids splitting the output into lines, which at 50,000 orders is over 100 MB.
 */
function parseRawOutput(stdout: string): RunDataJson {
	const start = stdout.startsWith('{\n') ? 0 : stdout.indexOf('\n{\n') + 1;
	if (start === 0 && !stdout.startsWith('{\n')) throw new Error(`n8n printed no run data:\n${stdout.slice(0, 2000)}`);
	const end = stdout.lastIndexOf('\n}');
	if (end < start) throw new Error(`n8n printed the start of the run data but no closing line "}":\n${stdout.slice(0, 2000)}`);
	return JSON.parse(stdout.slice(start, end + 2)) as RunDataJson;
}

/** One n8n user folder with the Quivo package, the credential and both workflows. */
export class N8nBench {
	private runCounter = 0;

	private constructor(
		private readonly n8n: N8nCli,
		private readonly baseUrl: string,
		private readonly workDir: string,
		private readonly commandProbeFile: string,
	) {}

	get version(): string {
		return this.n8n.version;
	}

	static async create(baseUrl: string, tarballPath: string, workDir: string): Promise<N8nBench> {
		// Every n8n command runs with the probe, so the CPU time of imports is accounted too.
		const commandProbeFile = path.join(workDir, 'n8n-commands.probe.jsonl');
		const n8n = await N8nCli.create({
			commandTimeoutMs: 10 * 60_000,
			env: { NODE_OPTIONS: PROBE_NODE_OPTIONS, [CHILD_ENV.probeFile]: commandProbeFile },
		});
		const bench = new N8nBench(n8n, baseUrl, workDir, commandProbeFile);
		try {
			await n8n.installCommunityPackage(tarballPath);
			await bench.clearSavedToken();
			await n8n.importWorkflow(quivoWorkflow());
			await n8n.importWorkflow(httpRequestWorkflow(baseUrl));
		} catch (error) {
			await n8n.dispose();
			throw error;
		}
		return bench;
	}

	/** Imports the Quivo credential with an empty session token, so the next run logs in. */
	async clearSavedToken(): Promise<void> {
		await this.n8n.importCredentials([emulatorCredential(this.baseUrl, CREDENTIAL_ID)]);
	}

	/** CPU time of all n8n commands other than `execute` so far, in microseconds. */
	async commandsCpuUs(): Promise<number> {
		return (await readProbeLines(this.commandProbeFile)).reduce((sum, line) => sum + line.cpuUs, 0);
	}

	/** Runs `n8n execute --id=<workflowId> --rawOutput` and measures it. */
	async execute(workflowId: string, timeoutMs: number): Promise<N8nRun> {
		this.runCounter += 1;
		const stdoutPath = path.join(this.workDir, `n8n-${this.runCounter}.stdout`);
		const stderrPath = path.join(this.workDir, `n8n-${this.runCounter}.stderr`);
		const probeFile = path.join(this.workDir, `n8n-${this.runCounter}.probe.jsonl`);
		const spec = this.n8n.commandSpec(['execute', `--id=${workflowId}`, '--rawOutput'], { [CHILD_ENV.probeFile]: probeFile });

		const stdoutFd = openSync(stdoutPath, 'w');
		const stderrFd = openSync(stderrPath, 'w');
		let exit: Awaited<ReturnType<typeof waitForExit>>;
		let pid: number | undefined;
		const startedAt = performance.now();
		try {
			const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', stdoutFd, stderrFd] });
			pid = child.pid;
			exit = await waitForExit(child, timeoutMs);
		} finally {
			closeSync(stdoutFd);
			closeSync(stderrFd);
		}
		const processWallMs = performance.now() - startedAt;

		const stdout = await fs.readFile(stdoutPath, 'utf8');
		const stderr = await fs.readFile(stderrPath, 'utf8');
		await fs.rm(stdoutPath, { force: true });
		await fs.rm(stderrPath, { force: true });
		if (exit.timedOut) throw new Error(`n8n execute --id=${workflowId} was killed after the time limit of ${timeoutMs} ms`);
		if (exit.code !== 0 || pid === undefined) {
			throw new Error(
				`n8n execute --id=${workflowId} failed with exit code ${exit.code} (signal ${exit.signal}):\n${stdout.slice(0, 4000)}${stderr.slice(0, 4000)}`,
			);
		}

		const runData = parseRawOutput(stdout);
		if (runData.status !== 'success') throw new Error(`n8n execution of ${workflowId} ended with status ${runData.status}`);
		const taskData = runData.data.resultData.runData;
		const nodeExecutionMs = API_NODES[workflowId].reduce((sum, name) => sum + (taskData[name]?.[0]?.executionTime ?? Number.NaN), 0);
		const items: OutputItem[] = taskData[OUTPUT_NODE[workflowId]]?.[0]?.data?.main[0] ?? [];
		return {
			processWallMs,
			nodeExecutionMs,
			orders: items.length,
			distinctOrderIds: new Set(items.map((item) => item.json.orderId)).size,
			probe: await readProbe(probeFile, pid),
		};
	}

	async dispose(): Promise<void> {
		await this.n8n.dispose();
	}
}
