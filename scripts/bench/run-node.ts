/**
 * Child process of the benchmark, variant "node in n8n-core": runs the Quivo node's Get Many
 * with Return All in n8n-core's own ExecuteContext, so every page goes through n8n's request
 * helpers. Simplify is off, so the node keeps the same full orders as run-fetch.ts. The parent
 * sets N8N_USER_FOLDER before n8n-core loads.
 */
import { FAKE_CREDENTIALS } from '../../test/emulator/server';
import { executeQuivoNode, MemoryCredentialsHelper, stopN8nBackgroundTimers } from '../../test/support/execute-node';
import { CHILD_ENV, measureCall, requireEnv, runChild } from './protocol';

async function main(): Promise<void> {
	const baseUrl = requireEnv(CHILD_ENV.baseUrl);
	const credentials = new MemoryCredentialsHelper({
		environment: 'custom',
		baseUrl,
		apiKey: FAKE_CREDENTIALS.apiKey,
		username: FAKE_CREDENTIALS.username,
		password: FAKE_CREDENTIALS.password,
		sessionToken: process.env[CHILD_ENV.sessionToken] ?? '',
	});
	const parameters = { resource: 'order', operation: 'getAll', returnAll: true, simplify: false, filters: {}, options: {} };

	await measureCall(async () => (await executeQuivoNode({ parameters, credentials }))[0], (item) => item.json.orderId);
	stopN8nBackgroundTimers();
}

runChild(main);
