/**
 * Starts the Quivo emulator and an n8n editor on 127.0.0.1 with the packed package installed, a
 * Quivo credential for the emulator and an example workflow, for trying the node by hand.
 * Run it with `npm run dev`; stop it with Ctrl+C.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FAKE_CREDENTIALS, QuivoEmulator } from '../test/emulator/server';
import { EDITOR_ENV } from '../test/e2e/support/editor';
import { N8nCli } from '../test/e2e/support/n8n';
import { emulatorCredential, packPackage, quivoWorkflow } from '../test/e2e/support/quivo';

const EDITOR_PORT = Number(process.env.N8N_DEV_PORT ?? 5678);
const EMULATOR_PORT = Number(process.env.QUIVO_EMULATOR_PORT ?? 3999);
/** Kept between runs, so the owner account survives a restart. Each start imports the credential and workflow anew. */
const USER_FOLDER = path.resolve(__dirname, '..', '.cache', 'dev-n8n');

async function main() {
	const emulator = new QuivoEmulator({ orderCount: 3000 });
	await emulator.start(EMULATOR_PORT);

	mkdirSync(USER_FOLDER, { recursive: true });
	const n8n = await N8nCli.create({ userFolder: USER_FOLDER, env: EDITOR_ENV });
	const packDir = mkdtempSync(path.join(os.tmpdir(), 'quivo-dev-pack-'));
	try {
		await n8n.installCommunityPackage(packPackage(packDir));
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
	await n8n.importCredentials([emulatorCredential(emulator.baseUrl)]);
	await n8n.importWorkflow(
		quivoWorkflow('quivoExample', { parameters: { returnAll: false, limit: 20, filters: { orderStatus: ['PROCESSING'] } } }),
	);

	const spec = n8n.commandSpec(['start'], { N8N_PORT: String(EDITOR_PORT) });
	const editor = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: 'inherit' });
	console.log(`Quivo emulator: ${emulator.baseUrl} (API key ${FAKE_CREDENTIALS.apiKey}, user ${FAKE_CREDENTIALS.username}, password ${FAKE_CREDENTIALS.password}; all fake)`);
	console.log(`n8n editor: http://127.0.0.1:${EDITOR_PORT}, with the credential "Quivo emulator" and the workflow "Quivo quivoExample"`);

	const stop = () => {
		editor.kill('SIGTERM');
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	editor.once('exit', (code) => {
		void emulator.stop().then(() => process.exit(code ?? 0));
	});
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
