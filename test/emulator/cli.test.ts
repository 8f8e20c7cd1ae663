import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

import { FAKE_CREDENTIALS } from './server';

const CLI_PATH = path.join(__dirname, 'cli.ts');

function startCli(args: string[]): ChildProcessWithoutNullStreams {
	return spawn(process.execPath, [require.resolve('tsx/cli'), CLI_PATH, ...args], { stdio: 'pipe' });
}

/** Resolves with everything the process printed once `pattern` appears in its output. */
function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<string> {
	return new Promise((resolve, reject) => {
		let output = '';
		const onData = (chunk: Buffer): void => {
			output += chunk.toString('utf8');
			if (pattern.test(output)) resolve(output);
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.once('exit', (code) => reject(new Error(`emulator CLI exited with ${String(code)} before printing ${pattern}: ${output}`)));
	});
}

function waitForExit(child: ChildProcessWithoutNullStreams): Promise<number | null> {
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('emulator CLI', () => {
	test('serves and stops on SIGTERM', async () => {
		const child = startCli(['--port', '0', '--orders', '10']);
		const output = await waitForOutput(child, /Fake credentials:.*\n/);
		const baseUrl = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
		expect(baseUrl).toBeDefined();
		expect(output).toContain('(10 orders, seed 1)');
		expect(output).toContain(FAKE_CREDENTIALS.apiKey);

		const response = await fetch(`${baseUrl}/__emulator/stats`);
		expect(response.status).toBe(200);

		const exited = waitForExit(child);
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}, 30000);

	test('unknown option fails', async () => {
		const child = startCli(['--colour', 'red']);
		const output = waitForOutput(child, /unknown option --colour/);
		const exited = waitForExit(child);
		await expect(output).resolves.toContain('expected --port, --orders or --seed');
		expect(await exited).toBe(1);
	}, 30000);
});
