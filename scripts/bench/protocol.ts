import { writeFileSync } from 'node:fs';

/**
 * Interface between the benchmark parent and its child processes: the environment variables a
 * child reads and the result it writes to a JSON file before it exits.
 */

/** Environment variables of a measured child process. */
export const CHILD_ENV = {
	/** Base URL of the Quivo emulator, such as http://127.0.0.1:43121. */
	baseUrl: 'QUIVO_BENCH_BASE_URL',
	/** A session token that is still valid; when set, the child starts without logging in. */
	sessionToken: 'QUIVO_BENCH_SESSION_TOKEN',
	/** File the child writes its ChildResult to. */
	resultFile: 'QUIVO_BENCH_RESULT_FILE',
	/** File that rss-probe.js appends the peak RSS and CPU time of each process to at exit. */
	probeFile: 'QUIVO_BENCH_PROBE_FILE',
	/** '1' makes run-fetch.ts load n8n-core and the node first, to compare at equal module baseline. */
	loadN8nCore: 'QUIVO_BENCH_LOAD_N8N_CORE',
} as const;

/** Result of one measured run inside a child process. */
export interface ChildResult {
	/** Orders the run returned. */
	orders: number;
	/** Distinct order IDs among them; equal to `orders` when no order came twice. */
	distinctOrderIds: number;
	/** Wall time of the measured call in milliseconds, without process start and module loading. */
	wallMs: number;
	/** RSS in kilobytes right before the measured call, after all modules were loaded. */
	rssBeforeKb: number;
	/** Start and end of the measured call on the monotonic clock in microseconds, the clock of `--cpu-prof`. */
	measuredFromUs: number;
	measuredToUs: number;
}

/** One line that rss-probe.js appends at process exit. */
export interface ProbeLine {
	pid: number;
	/** `process.resourceUsage().maxRSS`: the peak resident set size in kilobytes. */
	maxRssKb: number;
	/** User plus system CPU time of the process in microseconds. */
	cpuUs: number;
}

/** Reads the monotonic clock in microseconds. */
export function monotonicMicroseconds(): number {
	return Number(process.hrtime.bigint() / 1000n);
}

/** Reads a required environment variable of a child process. */
export function requireEnv(name: string): string {
	const value = process.env[name];
	if (value === undefined || value === '') throw new Error(`The environment variable ${name} is missing; start this script through scripts/bench/index.ts`);
	return value;
}

/**
 * Measures one call of a child process and writes its ChildResult to the result file. The order
 * IDs are counted after the clock stops, so that counting them is not measured.
 */
export async function measureCall<T>(call: () => Promise<T[]>, orderIdOf: (order: T) => unknown): Promise<void> {
	const resultFile = requireEnv(CHILD_ENV.resultFile);
	const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
	const measuredFromUs = monotonicMicroseconds();
	const orders = await call();
	const measuredToUs = monotonicMicroseconds();

	const result: ChildResult = {
		orders: orders.length,
		distinctOrderIds: new Set(orders.map(orderIdOf)).size,
		wallMs: (measuredToUs - measuredFromUs) / 1000,
		rssBeforeKb,
		measuredFromUs,
		measuredToUs,
	};
	writeFileSync(resultFile, JSON.stringify(result));
}

/** Runs a child's main function, then exits with 0, or prints the error and exits with 1. */
export function runChild(main: () => Promise<void>): void {
	main().then(
		() => process.exit(0),
		(error: unknown) => {
			console.error(error instanceof Error ? (error.stack ?? error.message) : error);
			process.exit(1);
		},
	);
}
