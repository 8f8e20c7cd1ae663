/**
 * Benchmark of the Quivo node's Get Many with Return All against what users would otherwise run:
 * a raw `fetch` loop (the practical limit) and, in a real n8n, a workflow of HTTP Request nodes.
 *
 * For each order count it starts the Quivo emulator in this process and runs every variant in
 * its own child process, alternating node and baseline within each round. It prints medians,
 * ratios and the target checks and writes them into BENCHMARKS.md. See `--help`.
 *
 * Run it with `npm run bench`, which builds the package and installs n8n first.
 */
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { QuivoEmulator } from '../../test/emulator/server';
import { packPackage } from '../../test/e2e/support/quivo';
import { runChild } from './children';
import { fetchAllOrders, logIn } from './fetch-loop';
import { describeMachine, loadAverage, readCpuTimes } from './machine';
import { HTTP_WORKFLOW_ID, N8nBench, QUIVO_WORKFLOW_ID } from './n8n-runs';
import { findProfile, formatSummary, summarizeProfile } from './profile';
import { type MachineLoad, renderResults, type RunInfo, writeResults } from './report';
import { checkTargets, type RunRecord, VARIANTS, type VariantId } from './results';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CHILD_TIMEOUT_MS = 5 * 60_000;
const N8N_TIMEOUT_MS = 10 * 60_000;

const USAGE = `Usage: npm run bench -- [options]

  --rounds <n>        rounds per order count; each round runs every variant once (default 5)
  --sizes <a,b,...>   order counts the emulator is seeded with (default 10000,50000)
  --output <file>     Markdown file whose results section is replaced (default BENCHMARKS.md)
  --skip-n8n          run only the variants without a real n8n (A1 and B1)
  --cpu-prof <dir>    after the rounds, profile one run each of A1, B1 helper and B1 per order
                      count into <dir> and print where their time went
  --help              show this text`;

interface Options {
	rounds: number;
	sizes: number[];
	output: string;
	skipN8n: boolean;
	cpuProfileDir?: string;
}

function parsePositiveInteger(name: string, text: string): number {
	const value = Number(text);
	if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of 1 or more, got "${text}"`);
	return value;
}

function parseOptions(argv: string[]): Options | undefined {
	const { values } = parseArgs({
		args: argv,
		options: {
			rounds: { type: 'string', default: '5' },
			sizes: { type: 'string', default: '10000,50000' },
			output: { type: 'string', default: path.join(REPO_ROOT, 'BENCHMARKS.md') },
			'skip-n8n': { type: 'boolean', default: false },
			'cpu-prof': { type: 'string' },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help === true) return undefined;
	return {
		rounds: parsePositiveInteger('rounds', values.rounds ?? ''),
		sizes: (values.sizes ?? '').split(',').map((size) => parsePositiveInteger('sizes', size.trim())),
		output: path.resolve(values.output ?? ''),
		skipN8n: values['skip-n8n'] === true,
		cpuProfileDir: values['cpu-prof'] === undefined ? undefined : path.resolve(values['cpu-prof']),
	};
}

/** Returns the command line as the user typed it, for BENCHMARKS.md. */
function describeCommand(argv: string[]): string {
	const args = argv.join(' ');
	if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args === '' ? '' : ` -- ${args}`}`;
	const gcFlag = process.execArgv.includes('--expose-gc') ? ' --expose-gc' : '';
	return `tsx${gcFlag} scripts/bench/index.ts${args === '' ? '' : ` ${args}`}`;
}

function packageVersion(name: string): string {
	const packageJson = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
	return packageJson.version;
}

type ChildVariantId = Exclude<VariantId, 'node-n8n' | 'node-n8n-saved' | 'http-n8n'>;

/** Child script of each variant that runs without a real n8n. */
const CHILD_SCRIPTS: Record<ChildVariantId, string> = {
	'node-core': 'run-node.ts',
	'node-core-saved': 'run-node.ts',
	fetch: 'run-fetch.ts',
	'fetch-core-loaded': 'run-fetch.ts',
	'fetch-n8n-helper': 'run-helper.ts',
};

/**
 * Runs a full garbage collection in this process when `--expose-gc` is on. Garbage of the
 * previous run, such as over 100 MB of parsed n8n output, is then not collected while the next
 * run is measured on the same CPUs.
 */
function settleParent(): void {
	const { gc } = globalThis as { gc?: () => void };
	gc?.();
}

/** Fills in what the emulator recorded during one run. */
function emulatorCounts(emulator: QuivoEmulator): Pick<RunRecord, 'pageRequests' | 'loginRequests' | 'logins' | 'otherRequests' | 'failedResponses'> {
	const { requests, logins } = emulator.stats;
	const pageRequests = requests.filter((request) => request.method === 'GET' && request.path === '/orders').length;
	const loginRequests = requests.filter((request) => request.path === '/login').length;
	return {
		pageRequests,
		loginRequests,
		logins,
		otherRequests: requests.length - pageRequests - loginRequests,
		failedResponses: requests.filter((request) => request.status !== 200).length,
	};
}

/** Measures one order count: all rounds, then the optional profiles. */
class SizeBenchmark {
	readonly records: RunRecord[] = [];
	/** CPU time of the processes this benchmark started, in microseconds. */
	private childrenCpuUs = 0;

	constructor(
		private readonly size: number,
		private readonly emulator: QuivoEmulator,
		private readonly savedToken: string,
		private readonly n8n: N8nBench | undefined,
		private readonly workDir: string,
	) {}

	async runRound(round: number): Promise<void> {
		await this.measureChild(round, 'node-core');
		await this.measureChild(round, 'fetch');
		await this.measureChild(round, 'node-core-saved');
		await this.measureChild(round, 'fetch-core-loaded');
		await this.measureChild(round, 'fetch-n8n-helper');
		if (this.n8n === undefined) return;

		// The fresh run logs in and saves the token, which the saved run after B2 reuses.
		await this.n8n.clearSavedToken();
		await this.measureN8n(round, 'node-n8n', QUIVO_WORKFLOW_ID);
		await this.measureN8n(round, 'http-n8n', HTTP_WORKFLOW_ID);
		await this.measureN8n(round, 'node-n8n-saved', QUIVO_WORKFLOW_ID);
	}

	/** Measures the rounds and returns how busy other processes kept the machine meanwhile. */
	async runRounds(rounds: number): Promise<MachineLoad> {
		const cpuBefore = readCpuTimes();
		const parentCpuBefore = process.cpuUsage();
		const commandsCpuBefore = (await this.n8n?.commandsCpuUs()) ?? 0;
		const startedAt = performance.now();

		for (let round = 1; round <= rounds; round++) await this.runRound(round);

		const windowMs = performance.now() - startedAt;
		const cpuAfter = readCpuTimes();
		const parentCpu = process.cpuUsage(parentCpuBefore);
		const commandsCpuUs = ((await this.n8n?.commandsCpuUs()) ?? 0) - commandsCpuBefore;
		if (cpuBefore === undefined || cpuAfter === undefined) return { size: this.size, windowMs };
		const ownCpuUs = parentCpu.user + parentCpu.system + this.childrenCpuUs + commandsCpuUs;
		// /proc/stat counts in clock ticks and the probes in microseconds, so a small negative rest is rounding.
		const othersCpuUs = Math.max(0, cpuAfter.busyUs - cpuBefore.busyUs - ownCpuUs);
		return { size: this.size, windowMs, othersCpuMs: othersCpuUs / 1000, stealMs: (cpuAfter.stealUs - cpuBefore.stealUs) / 1000 };
	}

	private async measureChild(round: number, variant: ChildVariantId): Promise<void> {
		settleParent();
		this.emulator.resetStats();
		const run = await runChild({
			script: CHILD_SCRIPTS[variant],
			baseUrl: this.emulator.baseUrl,
			sessionToken: variant === 'node-core-saved' ? this.savedToken : undefined,
			loadN8nCore: variant === 'fetch-core-loaded',
			workDir: this.workDir,
			timeoutMs: CHILD_TIMEOUT_MS,
		});
		this.childrenCpuUs += run.probe.cpuUs;
		this.record({
			variant,
			size: this.size,
			round,
			wallMs: run.result.wallMs,
			processWallMs: run.processWallMs,
			maxRssKb: run.probe.maxRssKb,
			rssBeforeKb: run.result.rssBeforeKb,
			orders: run.result.orders,
			distinctOrderIds: run.result.distinctOrderIds,
			...emulatorCounts(this.emulator),
		});
	}

	private async measureN8n(round: number, variant: VariantId, workflowId: string): Promise<void> {
		if (this.n8n === undefined) return;
		settleParent();
		this.emulator.resetStats();
		const run = await this.n8n.execute(workflowId, N8N_TIMEOUT_MS);
		this.childrenCpuUs += run.probe.cpuUs;
		this.record({
			variant,
			size: this.size,
			round,
			wallMs: run.processWallMs,
			nodeExecutionMs: run.nodeExecutionMs,
			processWallMs: run.processWallMs,
			maxRssKb: run.probe.maxRssKb,
			orders: run.orders,
			distinctOrderIds: run.distinctOrderIds,
			...emulatorCounts(this.emulator),
		});
	}

	private record(record: RunRecord): void {
		this.records.push(record);
		const nodeTime = record.nodeExecutionMs === undefined ? '' : `, n8n nodes ${Math.round(record.nodeExecutionMs)} ms`;
		console.log(
			`[bench] ${record.size} orders, round ${record.round}, ${VARIANTS[record.variant].code}: ${Math.round(record.wallMs)} ms${nodeTime}, ` +
				`peak RSS ${Math.round(record.maxRssKb / 1024)} MB, ${record.orders} orders, ${record.pageRequests} GET /orders, ${record.logins} login(s)`,
		);
	}

	/** Profiles one run each of A1, B1 helper and B1 and prints where their time went; not part of the results. */
	async profile(directory: string): Promise<void> {
		for (const variant of ['node-core', 'fetch-n8n-helper', 'fetch'] as const) {
			const profileDir = path.join(directory, `${this.size}-${variant}`);
			await fs.mkdir(profileDir, { recursive: true });
			this.emulator.resetStats();
			const run = await runChild({
				script: CHILD_SCRIPTS[variant],
				baseUrl: this.emulator.baseUrl,
				workDir: this.workDir,
				timeoutMs: CHILD_TIMEOUT_MS,
				nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
			});
			const profilePath = await findProfile(profileDir, run.probe.pid);
			const summary = await summarizeProfile(profilePath, run.result.measuredFromUs, run.result.measuredToUs);
			const text = formatSummary(`${VARIANTS[variant].code} with ${this.size} orders (${profilePath})`, summary);
			await fs.writeFile(path.join(directory, `${this.size}-${variant}.txt`), `${text}\n`);
			console.log(text);
		}
	}
}

async function benchmarkSize(size: number, options: Options, tarballPath: string | undefined, workDir: string): Promise<{ records: RunRecord[]; load: MachineLoad; n8nVersion?: string }> {
	const emulator = new QuivoEmulator({ orderCount: size });
	const baseUrl = await emulator.start();
	let n8n: N8nBench | undefined;
	try {
		console.log(`[bench] ${size} orders: emulator at ${baseUrl}`);
		// One untimed pass builds the emulator's sorted index and compiles its hot code.
		const token = await logIn(baseUrl);
		await fetchAllOrders(baseUrl, token);

		const sizeDir = path.join(workDir, String(size));
		await fs.mkdir(sizeDir, { recursive: true });
		if (tarballPath !== undefined) {
			console.log('[bench] setting up n8n: community package, credential and workflows');
			n8n = await N8nBench.create(baseUrl, tarballPath, sizeDir);
		}

		const benchmark = new SizeBenchmark(size, emulator, token, n8n, sizeDir);
		const load = await benchmark.runRounds(options.rounds);
		if (options.cpuProfileDir !== undefined) await benchmark.profile(options.cpuProfileDir);
		return { records: benchmark.records, load, n8nVersion: n8n?.version };
	} finally {
		await n8n?.dispose();
		await emulator.stop();
	}
}

async function main(): Promise<void> {
	const argv = process.argv.slice(2);
	let options: Options | undefined;
	try {
		options = parseOptions(argv);
	} catch (error) {
		console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
		process.exitCode = 2;
		return;
	}
	if (options === undefined) {
		console.log(USAGE);
		return;
	}

	if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
		console.warn('[bench] Started without --expose-gc, so garbage of one run may be collected during the next; `npm run bench` sets it.');
	}
	const startedAt = new Date();
	const startedAtMs = performance.now();
	const loadBefore = loadAverage();
	const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quivo-bench-'));
	const records: RunRecord[] = [];
	const loads: MachineLoad[] = [];
	let n8nVersion: string | undefined;
	try {
		const tarballPath = options.skipN8n ? undefined : packPackage(workDir);
		for (const size of options.sizes) {
			const result = await benchmarkSize(size, options, tarballPath, workDir);
			records.push(...result.records);
			loads.push(result.load);
			n8nVersion = result.n8nVersion ?? n8nVersion;
		}
	} finally {
		await fs.rm(workDir, { recursive: true, force: true });
	}

	const run: RunInfo = {
		startedAt,
		durationMs: performance.now() - startedAtMs,
		command: describeCommand(argv),
		rounds: options.rounds,
		sizes: options.sizes,
		n8nVersion,
		n8nCoreVersion: packageVersion('n8n-core'),
		machine: describeMachine(),
		loadBefore,
		loadAfter: loadAverage(),
		loads,
	};
	const section = renderResults(records, run);
	console.log(`\n${section}\n`);
	await writeResults(options.output, section);
	console.log(`[bench] results written to ${path.relative(process.cwd(), options.output) || options.output}`);

	const missed = options.sizes.flatMap((size) => checkTargets(records, size).filter((check) => !check.passed));
	if (missed.length > 0) console.log(`[bench] ${missed.length} target check(s) missed; see the target tables above`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	process.exitCode = 1;
});
