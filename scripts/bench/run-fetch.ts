/**
 * Child process of the benchmark, variant "raw fetch loop" (see fetch-loop.ts): the baseline
 * that the node is measured against.
 *
 * With QUIVO_BENCH_LOAD_N8N_CORE=1 it first loads the same modules as run-node.ts (n8n-core,
 * n8n-workflow and the node) without using them, so that both start from the same memory baseline.
 */
import { writeFileSync } from 'node:fs';

import { fetchAllOrders, logIn } from './fetch-loop';
import { CHILD_ENV, type ChildResult, monotonicMicroseconds, requireEnv } from './protocol';

async function main(): Promise<void> {
	const baseUrl = requireEnv(CHILD_ENV.baseUrl);
	const resultFile = requireEnv(CHILD_ENV.resultFile);
	const savedToken = process.env[CHILD_ENV.sessionToken];
	if (process.env[CHILD_ENV.loadN8nCore] === '1') await import('../../test/support/execute-node');

	const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
	const measuredFromUs = monotonicMicroseconds();
	const token = savedToken !== undefined && savedToken !== '' ? savedToken : await logIn(baseUrl);
	const orders = await fetchAllOrders(baseUrl, token);
	const measuredToUs = monotonicMicroseconds();

	const result: ChildResult = {
		orders: orders.length,
		distinctOrderIds: new Set(orders.map((order) => order.orderId)).size,
		wallMs: (measuredToUs - measuredFromUs) / 1000,
		rssBeforeKb,
		measuredFromUs,
		measuredToUs,
	};
	writeFileSync(resultFile, JSON.stringify(result));
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error);
		process.exit(1);
	},
);
