import { CREATED_TIE_RATE, FIRST_ORDER_ID, REFERENCE_DATE, SELLER_IDS, generateOrders } from './orders';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('generateOrders', () => {
	const orders = generateOrders(3000, 1);

	test('same seed gives identical orders', () => {
		expect(generateOrders(3000, 1)).toEqual(orders);
	});

	test('other seed gives other orders', () => {
		expect(generateOrders(50, 2).map((order) => order.shipToName1)).not.toEqual(orders.slice(0, 50).map((order) => order.shipToName1));
	});

	test('orderIds ascend from first id', () => {
		expect(orders).toHaveLength(3000);
		orders.forEach((order, i) => expect(order.orderId).toBe(FIRST_ORDER_ID + i));
	});

	test('orderIdentifiers are unique', () => {
		expect(new Set(orders.map((order) => order.orderIdentifier)).size).toBe(3000);
	});

	test('date fields use API formats', () => {
		for (const order of orders) {
			for (const value of [order.created, order.lastModified, order.orderDate]) expect(value).toMatch(DATE_TIME);
			for (const value of [order.cancelRequestedAt, order.completedAt, order.exportedAt]) {
				if (value !== null) expect(value).toMatch(DATE_TIME);
			}
			for (const value of [order.earliestPredatedShipment, order.latestPredatedShipment]) {
				if (value !== null) expect(value).toMatch(DATE);
			}
		}
	});

	test('dates lie in year before reference', () => {
		const referenceMs = Date.parse(REFERENCE_DATE);
		for (const order of orders) {
			const createdMs = Date.parse(order.created);
			expect(createdMs).toBeGreaterThanOrEqual(referenceMs - 365 * 86400000);
			expect(createdMs).toBeLessThan(referenceMs);
			expect(Date.parse(order.lastModified)).toBeGreaterThanOrEqual(createdMs);
			expect(Date.parse(order.lastModified)).toBeLessThan(referenceMs);
		}
	});

	test('about 5% share created with neighbour', () => {
		let ties = 0;
		for (let i = 1; i < orders.length; i++) if (orders[i].created === orders[i - 1].created) ties++;
		expect(ties / orders.length).toBeGreaterThan(CREATED_TIE_RATE * 0.6);
		expect(ties / orders.length).toBeLessThan(CREATED_TIE_RATE * 1.6);
	});

	test('created order differs from orderId order', () => {
		const inversions = orders.filter((order, i) => i > 0 && order.created < orders[i - 1].created).length;
		expect(inversions).toBeGreaterThan(100);
	});

	test('statuses include all four values', () => {
		const statuses = new Set(orders.map((order) => order.orderStatus));
		expect([...statuses].sort()).toEqual(['CANCELLED', 'COMPLETED', 'PENDING', 'PROCESSING']);
	});

	test('completed orders carry tracking and completedAt', () => {
		for (const order of orders.filter((candidate) => candidate.orderStatus === 'COMPLETED')) {
			expect(order.completedAt).not.toBeNull();
			expect(order.shipmentTracking.length).toBeGreaterThan(0);
			for (const tracking of order.shipmentTracking) expect(tracking.link).toBe(`https://tracking.example.com/${tracking.number}`);
		}
	});

	test('pending orders have no fulfillment orders', () => {
		for (const order of orders.filter((candidate) => candidate.orderStatus === 'PENDING')) {
			expect(order.fulfillmentOrders).toEqual([]);
			expect(order.exportedAt).toBeNull();
		}
	});

	test('e-mails use example domains only', () => {
		for (const order of orders) {
			expect(order.shipToEmail).toMatch(/^[a-z0-9.+]+@example\.com$/);
			expect(order.billToEmail).toMatch(/^[a-z0-9.+]+@example\.(com|org)$/);
		}
	});

	test('fields stay within documented shapes', () => {
		for (const order of orders) {
			expect(SELLER_IDS).toContain(order.sellerId);
			expect(order.piiDataRemoved).toBe(false);
			expect(order.tags.length).toBeLessThanOrEqual(2);
			expect(new Set(order.tags).size).toBe(order.tags.length);
			expect(order.positions.length).toBeGreaterThan(0);
			for (const position of order.positions) expect(position.customAttributes).toEqual({});
		}
	});

	test('3000 orders generate under one second', () => {
		const start = performance.now();
		generateOrders(3000, 7);
		expect(performance.now() - start).toBeLessThan(1000);
	});

	test('50000 orders generate', () => {
		const large = generateOrders(50000, 1);
		expect(large).toHaveLength(50000);
		expect(large[49999].orderId).toBe(FIRST_ORDER_ID + 49999);
		expect(new Set(large.map((order) => order.orderIdentifier)).size).toBe(50000);
	});

	test('rejects negative count', () => {
		expect(() => generateOrders(-1)).toThrow(RangeError);
	});
});
