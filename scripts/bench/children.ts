/**
 * Starts one measured child process (run-node.ts, run-fetch.ts or run-helper.ts) and collects its
 * result, its peak RSS and its CPU time. Each run gets its own process, so wall time and peak
 * memory belong to that variant alone.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { CHILD_ENV, type ChildResult, type ProbeLine } from './protocol';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PROBE_PATH = path.join(__dirname, 'rss-probe.js');

/** n8n-core writes its settings file into this folder instead of ~/.n8n. */
const N8N_CORE_USER_FOLDER = path.join(os.tmpdir(), 'quivo-bench-n8n-core');

export interface ChildRun {
	result: ChildResult;
	probe: ProbeLine;
	/** From spawn to exit, including Node.js start, the TypeScript loader and module loading. */
	processWallMs: number;
}

export interface ChildOptions {
	/** Script in scripts/bench/, such as 'run-node.ts'. */
	script: string;
	baseUrl: string;
	/** A valid session token, so the child starts without a login. */
	sessionToken?: string;
	/** Whether run-fetch.ts loads n8n-core and the node before it measures. */
	loadN8nCore?: boolean;
	/** Folder for the result files; the caller removes it. */
	workDir: string;
	timeoutMs: number;
	/** Extra Node.js flags, such as --cpu-prof. */
	nodeFlags?: string[];
}

/**
 * Returns the parent's environment without NODE_OPTIONS and proxy settings, so that neither a
 * developer's preload nor a proxy touches the measured requests to 127.0.0.1.
 */
export function cleanEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	const dropped = /^(node_options|https?_proxy|all_proxy|no_proxy)$/i;
	for (const [name, value] of Object.entries(process.env)) {
		if (value !== undefined && !dropped.test(name)) env[name] = value;
	}
	return env;
}

/** Reads all lines that rss-probe.js appended to `probeFile`; a missing file has none. */
export async function readProbeLines(probeFile: string): Promise<ProbeLine[]> {
	const text = await fs.readFile(probeFile, 'utf8').catch(() => '');
	return text
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as ProbeLine);
}

/** Returns the line that rss-probe.js wrote for process `pid`. */
export async function readProbe(probeFile: string, pid: number): Promise<ProbeLine> {
	const line = (await readProbeLines(probeFile)).find((probe) => probe.pid === pid);
	if (line === undefined) throw new Error(`${probeFile} has no line for process ${pid}, so rss-probe.js did not run in it`);
	return line;
}

/** Waits for a child to exit; after `timeoutMs` it kills that child. */
export async function waitForExit(
	child: ReturnType<typeof spawn>,
	timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }> {
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		child.kill('SIGKILL');
	}, timeoutMs);
	try {
		return await new Promise((resolve, reject) => {
			child.once('error', reject);
			child.once('close', (code, signal) => resolve({ code, signal, timedOut }));
		});
	} finally {
		clearTimeout(timer);
	}
}

let runCounter = 0;

export async function runChild(options: ChildOptions): Promise<ChildRun> {
	mkdirSync(N8N_CORE_USER_FOLDER, { recursive: true });
	runCounter += 1;
	const resultFile = path.join(options.workDir, `child-${runCounter}.json`);
	const probeFile = path.join(options.workDir, `child-${runCounter}.probe.jsonl`);
	const env: Record<string, string> = {
		...cleanEnv(),
		N8N_USER_FOLDER: N8N_CORE_USER_FOLDER,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		[CHILD_ENV.baseUrl]: options.baseUrl,
		[CHILD_ENV.resultFile]: resultFile,
		[CHILD_ENV.probeFile]: probeFile,
	};
	if (options.sessionToken !== undefined) env[CHILD_ENV.sessionToken] = options.sessionToken;
	if (options.loadN8nCore === true) env[CHILD_ENV.loadN8nCore] = '1';

	const scriptPath = path.join(__dirname, options.script);
	const args = [...(options.nodeFlags ?? []), '--require', PROBE_PATH, '--import', 'tsx', scriptPath];
	const startedAt = performance.now();
	const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
	const exit = await waitForExit(child, options.timeoutMs);
	const processWallMs = performance.now() - startedAt;

	if (exit.timedOut) throw new Error(`Benchmark child ${options.script} was killed after the time limit of ${options.timeoutMs} ms`);
	if (exit.code !== 0 || child.pid === undefined) {
		throw new Error(`Benchmark child ${options.script} failed with exit code ${exit.code} (signal ${exit.signal}); its error is printed above`);
	}
	const result = JSON.parse(await fs.readFile(resultFile, 'utf8')) as ChildResult;
	const probe = await readProbe(probeFile, child.pid);
	return { result, probe, processWallMs };
}
