/**
 * Runs `n8n start` (the editor and its REST API) for the browser test, as one process on a free
 * port of 127.0.0.1 with its own user folder from `N8nCli`. The packed package is installed as a
 * community package, and the owner account is set up through the REST API.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

import { N8nCli } from './n8n';
import { MAIN_READY_LINE } from './queue';
import { isHttpOk, startProcess, stopProcess, waitUntilReady, type OwnedProcess } from './services';

/** `n8n start` took about 8 s on a 2-core machine (1.123.81 and 2.40.7), so this leaves room for slow CI. */
const READY_TIMEOUT_MS = 120_000;
/** n8n's own graceful shutdown limit in seconds. The harness sends SIGKILL 5 s after it. */
const GRACEFUL_SHUTDOWN_S = 10;
const REQUEST_TIMEOUT_MS = 30_000;

/** Fake owner account of the throwaway user folder. n8n requires a password of 8 to 64 characters with a digit and an uppercase letter. */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: 'Fake-owner-password-1',
} as const;

/** Settings of the editor process on top of the harness defaults (names as of n8n 1.123.81 and 2.40.7). */
export const EDITOR_ENV: Record<string, string> = {
	N8N_GRACEFUL_SHUTDOWN_TIMEOUT: String(GRACEFUL_SHUTDOWN_S),
	// The nodes panel would otherwise make n8n fetch the list of verified community nodes from n8n's servers.
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
};

export interface EditorOptions {
	/** Packed community package (`npm pack` tarball) to install. */
	packageTarball: string;
	/** n8n version or manifest folder from test/e2e/n8n/versions.json. The default is that of N8nCli. */
	version?: string;
}

/** One `n8n start` process and its user folder. */
export class N8nEditor {
	private stopped = false;

	private constructor(
		readonly cli: N8nCli,
		readonly baseUrl: string,
		private readonly server: OwnedProcess,
		/** Milliseconds from spawning `n8n start` until it was ready. */
		readonly startMs: number,
	) {}

	/** Installs the package, starts `n8n start` and waits until the editor is ready. On failure it stops what it started. */
	static async start(options: EditorOptions): Promise<N8nEditor> {
		const cli = await N8nCli.create({ version: options.version, env: EDITOR_ENV });
		let owned: OwnedProcess | undefined;
		try {
			await cli.installCommunityPackage(options.packageTarball);

			const spec = cli.commandSpec(['start']);
			const baseUrl = `http://127.0.0.1:${spec.env.N8N_PORT}`;
			const logPath = path.join(cli.userFolder, 'n8n-start.log');
			const startedAt = Date.now();
			const server = startProcess('n8n start', spec.command, spec.args, { cwd: spec.cwd, env: spec.env, logPath });
			owned = server;
			await waitUntilReady(
				server,
				async () => (await isHttpOk(`${baseUrl}/healthz`)) && (await fs.readFile(logPath, 'utf8')).includes(MAIN_READY_LINE),
				READY_TIMEOUT_MS,
			);
			return new N8nEditor(cli, baseUrl, server, Date.now() - startedAt);
		} catch (error) {
			if (owned) await stopProcess(owned, 'SIGTERM', (GRACEFUL_SHUTDOWN_S + 5) * 1000);
			await cli.dispose();
			throw error;
		}
	}

	/** Creates the owner account with `POST /rest/owner/setup`, which n8n accepts without sign-in while no owner exists. */
	async setUpOwner(): Promise<void> {
		const response = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		const body = await response.text();
		if (!response.ok) {
			throw new Error(`POST /rest/owner/setup failed with HTTP ${response.status}: ${body}`);
		}
	}

	/** Everything `n8n start` printed so far. */
	async readLog(): Promise<string> {
		return await fs.readFile(this.server.logPath, 'utf8').catch(() => '');
	}

	/** Stops `n8n start` by PID (SIGTERM, then SIGKILL after n8n's shutdown timeout plus 5 s) and removes the user folder. */
	async dispose(): Promise<void> {
		if (!this.stopped) {
			this.stopped = true;
			await stopProcess(this.server, 'SIGTERM', (GRACEFUL_SHUTDOWN_S + 5) * 1000);
		}
		await this.cli.dispose();
	}
}
