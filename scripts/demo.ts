/**
 * Demo: starts the Quivo emulator and runs a real n8n workflow, Manual Trigger → Quivo
 * Orders > Get Many, twice against it. It prints the orders the workflow returned and how many
 * logins each run took. Run it with `npm run demo`, which builds the package and installs n8n first.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { QuivoEmulator } from '../test/emulator/server';
import { N8nCli, nodeError, outputItems } from '../test/e2e/support/n8n';
import { emulatorCredential, packPackage, quivoWorkflow } from '../test/e2e/support/quivo';

const ORDER_COUNT = 3000;
const SHOWN_ORDERS = 10;

const workflow = quivoWorkflow('quivoDemo', {
	parameters: {
		returnAll: true,
		filters: { orderStatus: ['COMPLETED'], shipToCountry: 'DE' },
		simplify: true,
	},
});

function printOrders(orders: Array<Record<string, unknown>>) {
	const rows = orders.slice(0, SHOWN_ORDERS).map((order) => ({
		orderId: order.orderId,
		orderIdentifier: order.orderIdentifier,
		orderStatus: order.orderStatus,
		shipToCountry: order.shipToCountry,
		created: order.created,
	}));
	console.table(rows);
	if (orders.length > SHOWN_ORDERS) console.log(`… and ${orders.length - SHOWN_ORDERS} more`);
}

async function main() {
	const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quivo-demo-'));
	const emulator = new QuivoEmulator({ orderCount: ORDER_COUNT });
	let n8n: N8nCli | undefined;

	try {
		await emulator.start();
		console.log(`Quivo emulator: ${emulator.baseUrl} with ${ORDER_COUNT} generated orders`);

		n8n = await N8nCli.create();
		console.log(`n8n ${n8n.version}: installing the packed n8n-nodes-quivo as a community package`);
		await n8n.installCommunityPackage(packPackage(workDir));
		await n8n.importCredentials([emulatorCredential(emulator.baseUrl)]);
		await n8n.importWorkflow(workflow);
		console.log('Workflow: Manual Trigger → Quivo (Order: Get Many, Return All, status COMPLETED, country DE)\n');

		for (const run of [1, 2]) {
			emulator.resetStats();
			const result = await n8n.execute(workflow.id);
			if (result.exitCode !== 0) {
				throw new Error(`Run ${run} failed: ${nodeError(result, 'Quivo')?.message ?? 'see the n8n output'}`);
			}

			const orders = outputItems(result, 'Quivo').map((item) => item.json);
			const pages = emulator.stats.requests.filter((request) => request.path === '/orders').length;
			if (run === 1) printOrders(orders);
			console.log(
				`Run ${run}: ${orders.length} orders in ${pages} page requests, ${emulator.stats.logins} login(s)` +
					(run === 2 ? ' (the session token saved by run 1 was reused)' : ''),
			);
		}
	} finally {
		await n8n?.dispose();
		await emulator.stop();
		await fs.rm(workDir, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
