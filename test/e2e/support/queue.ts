/**
 * Runs n8n in queue mode for the end-to-end tests: one main process (HTTP server, webhooks,
 * enqueueing) and several `n8n worker` processes that run the executions, sharing a PostgreSQL
 * database and a Redis queue from `./services`.
 *
 * All processes share one user folder, the test encryption key and the environment of `N8nCli`
 * (telemetry and other calls to n8n's servers off, listeners on 127.0.0.1), plus the database and
 * queue settings. Every process writes stdout and stderr to a file, not a pipe: a pipe that is not
 * read fills up and blocks n8n's logging, and output still queued in a pipe is lost when the
 * process exits, while writes to a file complete.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { findFreePorts, N8nCli, type CredentialImport, type WorkflowImport } from './n8n';
import { isHttpOk, startProcess, stopProcess, waitUntilReady, type OwnedProcess } from './services';

/** n8n's own graceful shutdown limit in seconds; the harness sends SIGKILL a few seconds after it. */
const N8N_GRACEFUL_SHUTDOWN_S = 10;
const N8N_STOP_GRACE_MS = (N8N_GRACEFUL_SHUTDOWN_S + 5) * 1000;
/** On a 2-core machine `n8n start` took about 5 s and two workers started together about 3 s; this leaves room for slow CI. */
const N8N_READY_TIMEOUT_MS = 120_000;

/** Printed by `n8n start` (1.123.81) after the HTTP server listens and the active workflows' webhooks are registered. */
export const MAIN_READY_LINE = 'Editor is now accessible via';
/** Logged at level info by a worker (1.123.81) for every job it takes from the queue. */
const WORKER_STARTED_EXECUTION = /Worker started execution (\S+)/g;

export interface QueueModeOptions {
	postgres: { host: string; port: number; user: string; database: string };
	redis: { host: string; port: number };
	/** Packed community package (`npm pack` tarball) to install into the shared user folder. */
	packageTarball: string;
	credentials: CredentialImport[];
	/** Workflows to import; all of them are activated, so their triggers and webhooks are registered. */
	workflows: WorkflowImport[];
	/** Number of `n8n worker` processes; default 2. */
	workerCount?: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`); default 10. */
	workerConcurrency?: number;
	/** n8n version from test/e2e/n8n/versions.json; default as in N8nCli. */
	version?: string;
}

/** Wall times in milliseconds of the setup steps. */
export interface QueueModeTimings {
	/** Package install, credential and workflow import, activation (CLI commands on PostgreSQL). */
	setupMs: number;
	/** From spawning `n8n start` until /healthz returns 200 and the webhooks are registered. */
	mainStartMs: number;
	/** From spawning the workers (all at once) until each one's /healthz/readiness returns 200. */
	workerStartMs: number[];
}

interface N8nProcess extends OwnedProcess {
	role: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Settings shared by the CLI commands, the main process and the workers (names as of n8n 1.123.81). */
function queueModeEnv(options: QueueModeOptions): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: options.postgres.host,
		DB_POSTGRESDB_PORT: String(options.postgres.port),
		DB_POSTGRESDB_DATABASE: options.postgres.database,
		DB_POSTGRESDB_USER: options.postgres.user,
		// The throwaway server uses trust authentication.
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: options.redis.host,
		QUEUE_BULL_REDIS_PORT: String(options.redis.port),
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: String(N8N_GRACEFUL_SHUTDOWN_S),
		// The main process would otherwise fetch the list of verified community nodes from n8n's servers when the UI requests it.
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_LICENSE_DETACH_FLOATING_ON_SHUTDOWN: 'false',
	};
}

/** An execution that did not succeed, with the errors from its run data. */
export interface FailedExecution {
	id: string;
	status: string;
	/** `message`, `description` and `httpCode` of the workflow error and of every node error. */
	errors: string[];
}

/**
 * Restores a value that n8n stored with the `flatted` library (column `execution_data.data`): a JSON
 * array whose first entry is the root, and in which every string inside an object or array is the
 * index of the entry that contains the value.
 */
function unflatten(text: string): unknown {
	const entries = JSON.parse(text) as unknown;
	if (!Array.isArray(entries)) throw new Error('Stored execution data is not a flatted array');
	const revived = new Map<number, unknown>();
	const revive = (index: number): unknown => {
		const value: unknown = entries[index];
		if (typeof value !== 'object' || value === null) return value;
		if (revived.has(index)) return revived.get(index);

		const copy: Record<string, unknown> = Array.isArray(value) ? ([] as unknown as Record<string, unknown>) : {};
		revived.set(index, copy);
		for (const [key, member] of Object.entries(value)) {
			copy[key] = typeof member === 'string' ? revive(Number(member)) : member;
		}
		return copy;
	};
	return revive(0);
}

function describeError(error: unknown): string | undefined {
	if (!isRecord(error)) return undefined;
	return ['message', 'description', 'httpCode']
		.map((key) => error[key])
		.filter((value) => value !== undefined && value !== null && value !== '')
		.map(String)
		.join(' | ');
}

/** Collects the workflow error and the node errors from restored run data. */
function executionErrors(data: unknown): string[] {
	const resultData = isRecord(data) ? data.resultData : undefined;
	if (!isRecord(resultData)) return [];
	const errors: string[] = [];
	const workflowError = describeError(resultData.error);
	if (workflowError) errors.push(`workflow: ${workflowError}`);
	const runData = isRecord(resultData.runData) ? resultData.runData : {};
	for (const [nodeName, runs] of Object.entries(runData)) {
		if (!Array.isArray(runs)) continue;
		for (const run of runs) {
			const nodeError = describeError(isRecord(run) ? run.error : undefined);
			if (nodeError) errors.push(`${nodeName}: ${nodeError}`);
		}
	}
	return errors;
}

/**
 * Reads every execution that did not succeed from n8n's PostgreSQL database (tables of n8n 1.123.81),
 * with the errors from its run data. `query` runs SQL and returns one result row per line.
 */
export async function readFailedExecutions(query: (sql: string) => Promise<string>): Promise<FailedExecution[]> {
	const output = await query(
		`SELECT json_build_object('id', e.id, 'status', e.status, 'data', d.data)
		FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id
		WHERE e.status <> 'success' ORDER BY e.id`,
	);
	return output
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => {
			const row = JSON.parse(line) as { id: number | string; status: string; data: string };
			return { id: String(row.id), status: row.status, errors: executionErrors(unflatten(row.data)) };
		});
}

/** One n8n queue-mode deployment: a main process and workers on a shared user folder and database. */
export class N8nQueueMode {
	private readonly processes: N8nProcess[] = [];
	private stopped = false;

	private constructor(
		readonly cli: N8nCli,
		private readonly logDir: string,
		private readonly mainPort: number,
		readonly timings: QueueModeTimings,
	) {}

	/** Base URL of the main process, e.g. `http://127.0.0.1:43121`. */
	get baseUrl(): string {
		return `http://127.0.0.1:${this.mainPort}`;
	}

	/**
	 * Prepares the database (package, credentials, workflows, activation), then starts the main
	 * process and the workers and waits until all of them are ready. On failure it stops what it
	 * started and removes the user folder.
	 */
	static async start(options: QueueModeOptions): Promise<N8nQueueMode> {
		const workerCount = options.workerCount ?? 2;
		const workerConcurrency = options.workerConcurrency ?? 10;
		const sharedEnv = queueModeEnv(options);

		const setupStartedAt = Date.now();
		const cli = await N8nCli.create({ version: options.version, env: sharedEnv });
		const logDir = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-queue-logs-'));
		// Each process gets its own N8N_PORT and task broker port, because two n8n processes cannot listen on one port.
		const [mainPort, ...otherPorts] = await findFreePorts(2 + 3 * workerCount);
		const timings: QueueModeTimings = { setupMs: 0, mainStartMs: 0, workerStartMs: [] };
		const queue = new N8nQueueMode(cli, logDir, mainPort, timings);

		try {
			await cli.installCommunityPackage(options.packageTarball);
			await cli.importCredentials(options.credentials);
			for (const workflow of options.workflows) {
				await cli.importWorkflow(workflow);
				await queue.activateWorkflow(workflow.id);
			}
			timings.setupMs = Date.now() - setupStartedAt;

			const [mainBrokerPort, ...workerPorts] = otherPorts;
			timings.mainStartMs = await queue.startMain(mainBrokerPort);

			const workers = Array.from({ length: workerCount }, (_, index) => {
				const [n8nPort, brokerPort, healthPort] = workerPorts.slice(index * 3, index * 3 + 3);
				return queue.startWorker(index + 1, workerConcurrency, { n8nPort, brokerPort, healthPort });
			});
			timings.workerStartMs = await Promise.all(workers);
		} catch (error) {
			// The error of a process that failed to start contains its log.
			await queue.dispose();
			throw error;
		}
		return queue;
	}

	/**
	 * Counts the executions each worker has taken from the queue so far, from the worker logs.
	 * Index 0 is worker 1.
	 */
	async workerExecutionCounts(): Promise<number[]> {
		const workers = this.processes.filter((entry) => entry.role.startsWith('worker'));
		return await Promise.all(
			workers.map(async (worker) => [...(await this.readLog(worker)).matchAll(WORKER_STARTED_EXECUTION)].length),
		);
	}

	/** Everything n8n printed so far: the CLI commands, the main process and every worker. */
	async readLogs(): Promise<string> {
		const parts = [this.cli.logs];
		for (const entry of this.processes) {
			parts.push(`----- ${entry.role} -----\n${await this.readLog(entry)}`);
		}
		return parts.join('\n');
	}

	/** Copies the log of every process (`main.log`, `worker-1.log`, ...) and of the CLI commands (`cli.log`) into `dir`. */
	async saveLogs(dir: string): Promise<void> {
		await fs.mkdir(dir, { recursive: true });
		await fs.writeFile(path.join(dir, 'cli.log'), this.cli.logs);
		for (const entry of this.processes) {
			await fs.writeFile(path.join(dir, `${entry.role}.log`), await this.readLog(entry));
		}
	}

	/**
	 * Stops every n8n process that this instance started, by PID: SIGTERM, then SIGKILL after n8n's
	 * shutdown timeout plus 5 s. Keeps the logs for readLogs() until dispose().
	 */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		// Workers stop first: during their graceful shutdown they finish running jobs, whose results the main process collects.
		const workers = this.processes.filter((entry) => entry.role !== 'main');
		await Promise.all(workers.map((worker) => stopProcess(worker, 'SIGTERM', N8N_STOP_GRACE_MS)));
		const main = this.processes.find((entry) => entry.role === 'main');
		if (main) await stopProcess(main, 'SIGTERM', N8N_STOP_GRACE_MS);
	}

	/** Stops the processes if still running and removes the user folder and the logs. */
	async dispose(): Promise<void> {
		await this.stop();
		await this.cli.dispose();
		await fs.rm(this.logDir, { recursive: true, force: true });
	}

	/**
	 * Activates a workflow in the database, so that `n8n start` registers its webhooks. In n8n 1.123.81
	 * `import:workflow` deactivates every imported workflow unless given `--activeState=fromJson`, and
	 * `update:workflow --active=true` sets both `active` and `activeVersionId`.
	 */
	private async activateWorkflow(workflowId: string): Promise<void> {
		const result = await this.cli.runCommand(['update:workflow', `--id=${workflowId}`, '--active=true']);
		if (result.exitCode !== 0) {
			throw new Error(`n8n update:workflow --id=${workflowId} --active=true failed:\n${result.stdout}${result.stderr}`);
		}
	}

	private spawnN8n(role: string, args: string[], env: Record<string, string>): N8nProcess {
		const spec = this.cli.commandSpec(args, env);
		const logPath = path.join(this.logDir, `${role}.log`);
		const owned = startProcess(`n8n ${role}`, spec.command, spec.args, { cwd: spec.cwd, env: spec.env, logPath });
		const entry: N8nProcess = { ...owned, role };
		this.processes.push(entry);
		return entry;
	}

	/** Starts `n8n start` and returns how long it took to become ready. */
	private async startMain(brokerPort: number): Promise<number> {
		const startedAt = Date.now();
		const main = this.spawnN8n('main', ['start'], {
			N8N_PORT: String(this.mainPort),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		});
		await waitUntilReady(
			main,
			async () => (await isHttpOk(`${this.baseUrl}/healthz`)) && (await this.readLog(main)).includes(MAIN_READY_LINE),
			N8N_READY_TIMEOUT_MS,
		);
		return Date.now() - startedAt;
	}

	/** Starts `n8n worker` with its health endpoint on 127.0.0.1 and returns how long it took to become ready. */
	private async startWorker(
		number: number,
		concurrency: number,
		ports: { n8nPort: number; brokerPort: number; healthPort: number },
	): Promise<number> {
		const startedAt = Date.now();
		const worker = this.spawnN8n(`worker-${number}`, ['worker', `--concurrency=${concurrency}`], {
			N8N_PORT: String(ports.n8nPort),
			N8N_RUNNERS_BROKER_PORT: String(ports.brokerPort),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(ports.healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		});
		// /healthz/readiness returns 200 once the worker's database is connected and migrated and Redis is connected.
		await waitUntilReady(
			worker,
			() => isHttpOk(`http://127.0.0.1:${ports.healthPort}/healthz/readiness`),
			N8N_READY_TIMEOUT_MS,
		);
		return Date.now() - startedAt;
	}

	private async readLog(entry: N8nProcess): Promise<string> {
		try {
			return await fs.readFile(entry.logPath, 'utf8');
		} catch (error) {
			if (isRecord(error) && error.code === 'ENOENT') return '';
			throw error;
		}
	}
}

