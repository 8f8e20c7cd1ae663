/**
 * Seeded generator of Quivo order summaries, shaped like the items of `GET /orders`.
 * The same seed and count always produce the same orders, because every random choice comes
 * from one mulberry32 stream and all dates are relative to REFERENCE_DATE instead of "now".
 */

/** Elasticsearch field types the emulator distinguishes when it filters and sorts. */
export type FieldType = 'date' | 'long' | 'double' | 'boolean' | 'keyword';

export interface QuivoAdditionalIdentifier {
	identifier: string;
	type: string;
}

export interface QuivoShipmentTracking {
	number: string;
	link: string;
}

export interface QuivoOrderPosition {
	positionId: number;
	positionIdentifier: string;
	name: string;
	sku: string;
	customAttributes: Record<string, string>;
}

export interface QuivoFulfillmentOrderPosition {
	fulfillmentOrderPositionId: number;
	orderedSku: string;
	sku: string;
	warehouseSku: string;
	quantity: number;
	lot: string | null;
	location: string | null;
	customsValue: number;
	expirationDate: string | null;
}

/** Only `shipmentId` is known, because the documented shipments sub-object is cut off after it. */
export interface QuivoFulfillmentShipment {
	shipmentId: number;
}

export interface QuivoFulfillmentOrder {
	fulfillmentOrderId: number;
	fulfillmentOrderIdentifier: string;
	fulfillmentStatus: string;
	positions: QuivoFulfillmentOrderPosition[];
	shipments: QuivoFulfillmentShipment[];
}

/** One order summary as `GET /orders` lists it. Date-times are ISO-8601 UTC, dates are YYYY-MM-DD. */
export interface QuivoOrder {
	orderId: number;
	sellerId: number;
	created: string;
	lastModified: string;
	orderIdentifier: string;
	orderReference: string;
	orderStatus: string;
	tags: string[];
	orderDate: string;
	cancelRequestedAt: string | null;
	shipToCountry: string;
	shipToZip: string;
	shipToCompany: string | null;
	shipToName1: string;
	shipToName2: string | null;
	shipToAddressIdentifier: string | null;
	shipToAdditionalIdentifiers: QuivoAdditionalIdentifier[];
	earliestPredatedShipment: string | null;
	latestPredatedShipment: string | null;
	shipmentTracking: QuivoShipmentTracking[];
	completedAt: string | null;
	exportedAt: string | null;
	shipToEmail: string;
	billToEmail: string;
	piiDataRemoved: boolean;
	totalShipmentWeight: number;
	positions: QuivoOrderPosition[];
	fulfillmentOrders: QuivoFulfillmentOrder[];
}

/** Elasticsearch type of every queryable leaf field, keyed by dotted path. */
export const ORDER_FIELD_TYPES: Readonly<Record<string, FieldType>> = {
	orderId: 'long',
	sellerId: 'long',
	created: 'date',
	lastModified: 'date',
	orderIdentifier: 'keyword',
	orderReference: 'keyword',
	orderStatus: 'keyword',
	tags: 'keyword',
	orderDate: 'date',
	cancelRequestedAt: 'date',
	shipToCountry: 'keyword',
	shipToZip: 'keyword',
	shipToCompany: 'keyword',
	shipToName1: 'keyword',
	shipToName2: 'keyword',
	shipToAddressIdentifier: 'keyword',
	'shipToAdditionalIdentifiers.identifier': 'keyword',
	'shipToAdditionalIdentifiers.type': 'keyword',
	earliestPredatedShipment: 'date',
	latestPredatedShipment: 'date',
	'shipmentTracking.number': 'keyword',
	'shipmentTracking.link': 'keyword',
	completedAt: 'date',
	exportedAt: 'date',
	shipToEmail: 'keyword',
	billToEmail: 'keyword',
	piiDataRemoved: 'boolean',
	totalShipmentWeight: 'double',
	'positions.positionId': 'long',
	'positions.positionIdentifier': 'keyword',
	'positions.name': 'keyword',
	'positions.sku': 'keyword',
	'fulfillmentOrders.fulfillmentOrderId': 'long',
	'fulfillmentOrders.fulfillmentOrderIdentifier': 'keyword',
	'fulfillmentOrders.fulfillmentStatus': 'keyword',
	'fulfillmentOrders.positions.fulfillmentOrderPositionId': 'long',
	'fulfillmentOrders.positions.orderedSku': 'keyword',
	'fulfillmentOrders.positions.sku': 'keyword',
	'fulfillmentOrders.positions.warehouseSku': 'keyword',
	'fulfillmentOrders.positions.quantity': 'long',
	'fulfillmentOrders.positions.lot': 'keyword',
	'fulfillmentOrders.positions.location': 'keyword',
	'fulfillmentOrders.positions.customsValue': 'double',
	'fulfillmentOrders.positions.expirationDate': 'date',
	'fulfillmentOrders.shipments.shipmentId': 'long',
};

/** Fixed "now" of the generated data set: all orders are created in the year before it. */
export const REFERENCE_DATE = '2026-11-30T00:00:00Z';

export const FIRST_ORDER_ID = 100001;
export const SELLER_IDS: readonly number[] = [501, 502, 503];

/** Share of orders whose `created` equals that of the previous order, so sorts by `created` alone have ties. */
export const CREATED_TIE_RATE = 0.05;

const REFERENCE_MS = Date.parse(REFERENCE_DATE);
const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const SPAN_MS = 365 * DAY_MS;

const TAGS: readonly string[] = ['express', 'b2b', 'gift', 'preorder'];

const FIRST_NAMES: readonly string[] = [
	'Anna', 'Lukas', 'Sophie', 'Jonas', 'Marie', 'Felix', 'Lena', 'Paul', 'Emma', 'Elias',
	'Jürgen', 'Zoë', 'Mateo', 'Chiara', 'Piotr', 'Agnieszka', 'Sven', 'Inès', 'Noah', 'Grace',
];

const LAST_NAMES: readonly string[] = [
	'Müller', 'Schmidt', 'Huber', 'Gruber', 'Wagner', 'Bauer', 'Steiner', 'Moser', 'Keller', 'Weber',
	'de Vries', 'Janssen', 'Dubois', 'Rossi', 'Kowalski', 'Nowak', 'Smith', 'Johnson', 'Brunner', 'Meier',
];

const COMPANIES: readonly string[] = [
	'Example Trading GmbH', 'Sample Goods AG', 'Demo Retail KG', 'Placeholder Store e.U.',
	'Fictional Outfitters Ltd', 'Test Market BV', 'Mock Supplies SA', 'Dummy Wholesale Sp. z o.o.',
];

const SHIP_TO_NAME2_VALUES: readonly string[] = ['c/o Reception', 'Dept. Purchasing', 'Floor 3', 'Back entrance'];

interface CatalogItem {
	sku: string;
	name: string;
	weightKg: number;
	price: number;
}

const CATALOG: readonly CatalogItem[] = [
	{ sku: 'SKU-1001', name: 'Ceramic Mug 350 ml', weightKg: 0.42, price: 12.9 },
	{ sku: 'SKU-1002', name: 'Espresso Cup Set', weightKg: 0.85, price: 24.5 },
	{ sku: 'SKU-1003', name: 'Linen Tea Towel', weightKg: 0.12, price: 9.9 },
	{ sku: 'SKU-1004', name: 'Cast Iron Pan 28 cm', weightKg: 3.1, price: 59 },
	{ sku: 'SKU-1005', name: 'Bamboo Cutting Board', weightKg: 0.95, price: 19.9 },
	{ sku: 'SKU-1006', name: 'Chef Knife 20 cm', weightKg: 0.31, price: 79 },
	{ sku: 'SKU-2001', name: 'Merino Socks (2 pairs)', weightKg: 0.15, price: 18 },
	{ sku: 'SKU-2002', name: 'Wool Beanie', weightKg: 0.09, price: 25 },
	{ sku: 'SKU-2003', name: 'Rain Jacket', weightKg: 0.62, price: 129 },
	{ sku: 'SKU-2004', name: 'Canvas Tote Bag', weightKg: 0.2, price: 15 },
	{ sku: 'SKU-3001', name: 'Notebook A5 Dotted', weightKg: 0.28, price: 8.5 },
	{ sku: 'SKU-3002', name: 'Fountain Pen', weightKg: 0.05, price: 34 },
	{ sku: 'SKU-3003', name: 'Desk Lamp', weightKg: 1.4, price: 49.9 },
	{ sku: 'SKU-3004', name: 'Wall Calendar 2027', weightKg: 0.33, price: 14.9 },
	{ sku: 'SKU-4001', name: 'Olive Oil 500 ml', weightKg: 0.92, price: 13.5 },
	{ sku: 'SKU-4002', name: 'Ground Coffee 1 kg', weightKg: 1.05, price: 21 },
	{ sku: 'SKU-4003', name: 'Green Tea Tin', weightKg: 0.18, price: 11 },
	{ sku: 'SKU-4004', name: 'Dark Chocolate Box', weightKg: 0.4, price: 16.9 },
];

/** ISO-3166 alpha-2 codes with relative weights: mostly DACH, some other destinations. */
const COUNTRY_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
	['DE', 50], ['AT', 20], ['CH', 10], ['NL', 5], ['FR', 5], ['IT', 4], ['PL', 3], ['US', 3],
];

/** Deterministic pseudo-random source (mulberry32), so no output depends on Math.random. */
class SeededRandom {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** Returns a float in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Returns an integer in [min, max], both inclusive. */
	integer(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(values: readonly T[]): T {
		return values[Math.floor(this.next() * values.length)];
	}

	weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
		const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
		let threshold = this.next() * total;
		for (const [value, weight] of entries) {
			threshold -= weight;
			if (threshold < 0) return value;
		}
		return entries[entries.length - 1][0];
	}

	digits(count: number): string {
		let text = '';
		for (let i = 0; i < count; i++) text += String(this.integer(0, 9));
		return text;
	}
}

/** Running counters for the ids that are unique across all orders. */
interface IdCounters {
	position: number;
	fulfillmentOrder: number;
	fulfillmentOrderPosition: number;
	shipment: number;
}

interface OrderLine {
	item: CatalogItem;
	quantity: number;
	position: QuivoOrderPosition;
}

interface OrderTimeline {
	status: string;
	exportedAtMs: number | null;
	completedAtMs: number | null;
	cancelRequestedAtMs: number | null;
	lastModifiedMs: number;
}

/** Formats epoch milliseconds like the API: `2026-03-07T05:31:56Z`, whole seconds, no fraction. */
export function formatDateTime(epochMs: number): string {
	return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

function formatDate(epochMs: number): string {
	return new Date(epochMs).toISOString().slice(0, 10);
}

/** Keeps generated event times before the reference date, so no order has a future timestamp. */
function capToReference(epochMs: number): number {
	return Math.min(epochMs, REFERENCE_MS - SECOND_MS);
}

/**
 * Generates `count` orders with ascending `orderId` from FIRST_ORDER_ID.
 * `created` grows with `orderId` but jitters by up to 1.5 average gaps, so sorting by `created`
 * differs from sorting by `orderId`; CREATED_TIE_RATE of the orders repeat the previous `created`.
 */
export function generateOrders(count: number, seed = 1): QuivoOrder[] {
	if (!Number.isInteger(count) || count < 0) {
		throw new RangeError(`orderCount must be a non-negative integer, got ${count}`);
	}

	const random = new SeededRandom(seed);
	const counters: IdCounters = { position: 2000001, fulfillmentOrder: 300001, fulfillmentOrderPosition: 3000001, shipment: 400001 };
	const gapMs = SPAN_MS / Math.max(count, 1);
	const firstMs = REFERENCE_MS - SPAN_MS;
	const orders: QuivoOrder[] = [];
	let previousCreatedMs = firstMs;

	for (let i = 0; i < count; i++) {
		let createdMs: number;
		if (i > 0 && random.chance(CREATED_TIE_RATE)) {
			createdMs = previousCreatedMs;
		} else {
			const jitterMs = (random.next() * 2 - 1) * 1.5 * gapMs;
			const baseMs = firstMs + (i + 0.5) * gapMs;
			createdMs = Math.floor(Math.min(Math.max(baseMs + jitterMs, firstMs), REFERENCE_MS - HOUR_MS) / SECOND_MS) * SECOND_MS;
		}
		previousCreatedMs = createdMs;
		orders.push(generateOrder(random, counters, i, createdMs));
	}
	return orders;
}

function generateOrder(random: SeededRandom, counters: IdCounters, index: number, createdMs: number): QuivoOrder {
	const orderNumber = 10001 + index;
	const orderIdentifier = `SHOP-${orderNumber}`;
	const firstName = random.pick(FIRST_NAMES);
	const lastName = random.pick(LAST_NAMES);
	const company = random.chance(0.25) ? random.pick(COMPANIES) : null;
	const country = random.weighted(COUNTRY_WEIGHTS);
	const tags = pickTags(random, company !== null);
	const timeline = generateTimeline(random, createdMs);
	const lines = generateLines(random, counters, orderIdentifier);
	const fulfillmentOrders = generateFulfillmentOrders(random, counters, orderIdentifier, timeline.status, timeline.exportedAtMs !== null, lines);
	const shipToEmail = `${toEmailLocalPart(firstName)}.${toEmailLocalPart(lastName)}${orderNumber}@example.com`;
	const predated = tags.includes('preorder') || random.chance(0.03) ? generatePredatedWindow(random, createdMs) : null;

	return {
		orderId: FIRST_ORDER_ID + index,
		sellerId: random.weighted<number>([[SELLER_IDS[0], 6], [SELLER_IDS[1], 3], [SELLER_IDS[2], 1]]),
		created: formatDateTime(createdMs),
		lastModified: formatDateTime(timeline.lastModifiedMs),
		orderIdentifier,
		orderReference: `#${orderNumber}`,
		orderStatus: timeline.status,
		tags,
		orderDate: formatDateTime(createdMs - random.integer(0, 6 * 60) * MINUTE_MS),
		cancelRequestedAt: timeline.cancelRequestedAtMs === null ? null : formatDateTime(timeline.cancelRequestedAtMs),
		shipToCountry: country,
		shipToZip: generateZip(random, country),
		shipToCompany: company,
		shipToName1: `${firstName} ${lastName}`,
		shipToName2: random.chance(0.1) ? random.pick(SHIP_TO_NAME2_VALUES) : null,
		shipToAddressIdentifier: company !== null && random.chance(0.3) ? `STORE-${random.integer(100, 999)}` : null,
		shipToAdditionalIdentifiers: company !== null && random.chance(0.2) ? [{ identifier: `400${random.digits(10)}`, type: 'GLN' }] : [],
		earliestPredatedShipment: predated === null ? null : predated.earliest,
		latestPredatedShipment: predated === null ? null : predated.latest,
		shipmentTracking: collectTracking(random, fulfillmentOrders),
		completedAt: timeline.completedAtMs === null ? null : formatDateTime(timeline.completedAtMs),
		exportedAt: timeline.exportedAtMs === null ? null : formatDateTime(timeline.exportedAtMs),
		shipToEmail,
		billToEmail: random.chance(0.85) ? shipToEmail : `accounts+${orderNumber}@example.org`,
		piiDataRemoved: false,
		totalShipmentWeight: Math.round(lines.reduce((sum, line) => sum + line.item.weightKg * line.quantity, 0) * 1000) / 1000,
		positions: lines.map((line) => line.position),
		fulfillmentOrders,
	};
}

function pickTags(random: SeededRandom, hasCompany: boolean): string[] {
	const tags: string[] = [];
	if (hasCompany && random.chance(0.7)) tags.push('b2b');
	const targetCount = Math.min(2, tags.length + random.weighted<number>([[0, 6], [1, 3], [2, 1]]));
	while (tags.length < targetCount) {
		const tag = random.pick(TAGS);
		if (!tags.includes(tag)) tags.push(tag);
	}
	return tags;
}

/**
 * Picks the status from the order's age: recent orders are still open, older ones completed.
 * NOTE: the docs only show PENDING, PROCESSING and COMPLETED; CANCELLED is a guess at the rest of the enum.
 */
function generateTimeline(random: SeededRandom, createdMs: number): OrderTimeline {
	const ageDays = (REFERENCE_MS - createdMs) / DAY_MS;
	let status: string;
	if (random.chance(0.02)) status = 'CANCELLED';
	else if (ageDays < 2) status = random.pick(['PENDING', 'PROCESSING']);
	else if (ageDays < 10) status = random.weighted<string>([['PENDING', 1], ['PROCESSING', 3], ['COMPLETED', 6]]);
	else status = random.chance(0.01) ? 'PROCESSING' : 'COMPLETED';

	const exportedAtMs = status === 'PENDING' || (status === 'CANCELLED' && random.chance(0.5))
		? null
		: capToReference(createdMs + random.integer(1, 30) * MINUTE_MS);
	const completedAtMs = status === 'COMPLETED' && exportedAtMs !== null
		? capToReference(exportedAtMs + random.integer(2 * 60, 72 * 60) * MINUTE_MS)
		: null;
	const cancelRequestedAtMs = status === 'CANCELLED' || (status === 'PROCESSING' && random.chance(0.05))
		? capToReference(createdMs + random.integer(10, 600) * MINUTE_MS)
		: null;

	const lastEventMs = Math.max(createdMs, exportedAtMs ?? 0, completedAtMs ?? 0, cancelRequestedAtMs ?? 0);
	const lastModifiedMs = capToReference(lastEventMs + random.integer(0, 48 * 60) * MINUTE_MS);
	return { status, exportedAtMs, completedAtMs, cancelRequestedAtMs, lastModifiedMs: Math.max(lastModifiedMs, lastEventMs) };
}

function generateLines(random: SeededRandom, counters: IdCounters, orderIdentifier: string): OrderLine[] {
	const lineCount = random.weighted<number>([[1, 6], [2, 3], [3, 2], [4, 1]]);
	const lines: OrderLine[] = [];
	while (lines.length < lineCount) {
		const item = random.pick(CATALOG);
		if (lines.some((line) => line.item === item)) continue;
		const position: QuivoOrderPosition = {
			positionId: counters.position++,
			positionIdentifier: `${orderIdentifier}-L${lines.length + 1}`,
			name: item.name,
			sku: item.sku,
			customAttributes: {},
		};
		lines.push({ item, quantity: random.weighted<number>([[1, 8], [2, 3], [3, 1]]), position });
	}
	return lines;
}

/**
 * Splits exported orders into one fulfillment order, sometimes two; pending orders have none.
 * NOTE: the fulfillmentStatus values are guesses because the docs do not list the enum.
 */
function generateFulfillmentOrders(
	random: SeededRandom,
	counters: IdCounters,
	orderIdentifier: string,
	status: string,
	exported: boolean,
	lines: OrderLine[],
): QuivoFulfillmentOrder[] {
	if (!exported) return [];

	let fulfillmentStatus = 'IN_PROGRESS';
	if (status === 'COMPLETED') fulfillmentStatus = 'SHIPPED';
	if (status === 'CANCELLED') fulfillmentStatus = 'CANCELLED';
	const splitAt = lines.length > 1 && random.chance(0.1) ? random.integer(1, lines.length - 1) : lines.length;
	const groups = splitAt < lines.length ? [lines.slice(0, splitAt), lines.slice(splitAt)] : [lines];

	return groups.map((group, groupIndex) => ({
		fulfillmentOrderId: counters.fulfillmentOrder++,
		fulfillmentOrderIdentifier: `${orderIdentifier}-F${groupIndex + 1}`,
		fulfillmentStatus,
		positions: group.map((line) => ({
			fulfillmentOrderPositionId: counters.fulfillmentOrderPosition++,
			orderedSku: line.item.sku,
			sku: line.item.sku,
			warehouseSku: `WH-${line.item.sku.slice(4)}`,
			quantity: line.quantity,
			lot: null,
			location: null,
			customsValue: line.item.price,
			expirationDate: null,
		})),
		shipments: status === 'COMPLETED' ? [{ shipmentId: counters.shipment++ }] : [],
	}));
}

function collectTracking(random: SeededRandom, fulfillmentOrders: QuivoFulfillmentOrder[]): QuivoShipmentTracking[] {
	const tracking: QuivoShipmentTracking[] = [];
	for (const fulfillmentOrder of fulfillmentOrders) {
		for (let i = 0; i < fulfillmentOrder.shipments.length; i++) {
			const number = `00340434${random.digits(12)}`;
			tracking.push({ number, link: `https://tracking.example.com/${number}` });
		}
	}
	return tracking;
}

function generatePredatedWindow(random: SeededRandom, createdMs: number): { earliest: string; latest: string } {
	const earliestMs = createdMs + random.integer(1, 5) * DAY_MS;
	return { earliest: formatDate(earliestMs), latest: formatDate(earliestMs + random.integer(0, 7) * DAY_MS) };
}

function generateZip(random: SeededRandom, country: string): string {
	switch (country) {
		case 'AT':
		case 'CH':
			return String(random.integer(1000, 9999));
		case 'NL':
			return `${random.integer(1000, 9999)} ${String.fromCharCode(65 + random.integer(0, 25), 65 + random.integer(0, 25))}`;
		case 'PL':
			return `${random.digits(2)}-${random.digits(3)}`;
		default:
			return random.digits(5);
	}
}

const emailLocalParts = new Map<string, string>();

/** Lower-cases a name and strips accents and spaces, so generated e-mail addresses are plain ASCII. */
function toEmailLocalPart(name: string): string {
	let localPart = emailLocalParts.get(name);
	if (localPart === undefined) {
		localPart = stripToAscii(name);
		emailLocalParts.set(name, localPart);
	}
	return localPart;
}

function stripToAscii(name: string): string {
	return name
		.replace(/ß/g, 'ss')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z]/g, '')
		.toLowerCase();
}
