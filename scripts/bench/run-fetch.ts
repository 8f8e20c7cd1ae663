/**
 * Child process of the benchmark, variant "raw fetch loop" (see fetch-loop.ts): the baseline
 * that the node is measured against.
 *
 * With QUIVO_BENCH_LOAD_N8N_CORE=1 it first loads the same modules as run-node.ts (n8n-core,
 * n8n-workflow and the node) without using them, so that both start from the same memory baseline.
 */
import { fetchAllOrders, logIn } from './fetch-loop';
import { CHILD_ENV, measureCall, requireEnv, runChild } from './protocol';

async function main(): Promise<void> {
	const baseUrl = requireEnv(CHILD_ENV.baseUrl);
	const savedToken = process.env[CHILD_ENV.sessionToken];
	if (process.env[CHILD_ENV.loadN8nCore] === '1') await import('../../test/support/execute-node');

	await measureCall(async () => {
		const token = savedToken !== undefined && savedToken !== '' ? savedToken : await logIn(baseUrl);
		return await fetchAllOrders(baseUrl, token);
	}, (order) => order.orderId);
}

runChild(main);
