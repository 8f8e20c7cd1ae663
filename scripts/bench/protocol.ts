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
