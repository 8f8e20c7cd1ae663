/**
 * Child process of the benchmark, variant "node in n8n-core": runs the Quivo node's Get Many
 * with Return All in n8n-core's own ExecuteContext, so every page goes through n8n's request
 * helpers. Simplify is off, so the node keeps the same full orders as run-fetch.ts. The parent
 * sets N8N_USER_FOLDER before n8n-core loads.
 */
import { writeFileSync } from 'node:fs';

import { FAKE_CREDENTIALS } from '../../test/emulator/server';
import { executeQuivoNode, MemoryCredentialsHelper, stopN8nBackgroundTimers } from '../../test/support/execute-node';
import { CHILD_ENV, type ChildResult, monotonicMicroseconds, requireEnv } from './protocol';

async function main(): Promise<void> {
	const baseUrl = requireEnv(CHILD_ENV.baseUrl);
	const resultFile = requireEnv(CHILD_ENV.resultFile);
	const credentials = new MemoryCredentialsHelper({
		environment: 'custom',
		baseUrl,
		apiKey: FAKE_CREDENTIALS.apiKey,
		username: FAKE_CREDENTIALS.username,
		password: FAKE_CREDENTIALS.password,
		sessionToken: process.env[CHILD_ENV.sessionToken] ?? '',
	});
	const parameters = { resource: 'order', operation: 'getAll', returnAll: true, simplify: false, filters: {}, options: {} };

	const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
	const measuredFromUs = monotonicMicroseconds();
	const output = await executeQuivoNode({ parameters, credentials });
	const measuredToUs = monotonicMicroseconds();

	const items = output[0];
	const result: ChildResult = {
		orders: items.length,
		distinctOrderIds: new Set(items.map((item) => item.json.orderId)).size,
		wallMs: (measuredToUs - measuredFromUs) / 1000,
		rssBeforeKb,
		measuredFromUs,
		measuredToUs,
	};
	writeFileSync(resultFile, JSON.stringify(result));
	stopN8nBackgroundTimers();
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error);
		process.exit(1);
	},
);
