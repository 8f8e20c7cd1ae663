import { FAKE_CREDENTIALS, QuivoEmulator } from '../../emulator/server';
import { executeQuivoNode, MemoryCredentialsHelper, stopN8nBackgroundTimers } from '../../support/execute-node';

const ORDER_COUNT = 12_000;
// With seed 2, orders 1000 and 1001 by created time share their timestamp, so a page boundary
// falls inside a tie; the tie-break test checks that this is still so.
const SEED = 2;
let emulator: QuivoEmulator;

beforeAll(async () => {
	emulator = new QuivoEmulator({ orderCount: ORDER_COUNT, seed: SEED });
	await emulator.start();
});

afterAll(async () => {
	await emulator.stop();
	stopN8nBackgroundTimers();
});

beforeEach(() => emulator.resetStats());

function credentials() {
	return new MemoryCredentialsHelper({
		environment: 'custom',
		baseUrl: emulator.baseUrl,
		...FAKE_CREDENTIALS,
		sessionToken: '',
	});
}

describe('Get Many against the emulator', () => {
	test('return all passes the 10,000 window', async () => {
		const parameters = { resource: 'order', operation: 'getAll', returnAll: true, simplify: true };

		const [output] = await executeQuivoNode({ parameters, credentials: credentials() });

		const ids = output.map((item) => item.json.orderId);
		expect(ids).toHaveLength(ORDER_COUNT);
		expect(new Set(ids).size).toBe(ORDER_COUNT);
		expect(emulator.stats.logins).toBe(1);
		expect(emulator.stats.requests.filter((request) => request.path === '/orders')).toHaveLength(13);
	});

	test('created sort with ties loses nothing', async () => {
		const createdTimes = emulator.orders.map((order) => String(order.created)).sort();
		expect(createdTimes[999]).toBe(createdTimes[1000]);
		const parameters = {
			resource: 'order',
			operation: 'getAll',
			returnAll: true,
			options: { sortBy: 'created', sortDirection: 'asc' },
		};

		const [output] = await executeQuivoNode({ parameters, credentials: credentials() });

		const created = output.map((item) => String(item.json.created));
		expect(new Set(output.map((item) => item.json.orderId)).size).toBe(ORDER_COUNT);
		expect(created).toEqual([...created].sort());
		expect(new Set(created).size).toBeLessThan(ORDER_COUNT);
	});
});
