/** The measured variants, one run's record, medians per variant, ratios and the target checks. */

export type VariantId =
	| 'node-core'
	| 'node-core-saved'
	| 'fetch'
	| 'fetch-core-loaded'
	| 'fetch-n8n-helper'
	| 'node-n8n'
	| 'node-n8n-saved'
	| 'http-n8n';

export interface Variant {
	id: VariantId;
	/** Short code used in the tables: A is the Quivo node, B the baseline it is compared with. */
	code: string;
	description: string;
	/** Logins every run must make: 1 with an empty token, 0 with a saved valid one. */
	expectedLogins: 0 | 1;
	/** Whether this variant runs the Quivo node, so the request target applies. */
	runsNode: boolean;
	/** Whether it runs in a real `n8n execute`, where the wall time is the whole process. */
	inN8n: boolean;
}

export const VARIANTS: Record<VariantId, Variant> = {
	'node-core': {
		id: 'node-core',
		code: 'A1',
		description: "Quivo node in n8n-core's ExecuteContext, empty token",
		expectedLogins: 1,
		runsNode: true,
		inN8n: false,
	},
	'node-core-saved': {
		id: 'node-core-saved',
		code: 'A1 saved',
		description: "Quivo node in n8n-core's ExecuteContext, saved valid token",
		expectedLogins: 0,
		runsNode: true,
		inN8n: false,
	},
	fetch: {
		id: 'fetch',
		code: 'B1',
		description: 'raw fetch loop: one login, GET /orders at page size 1,000',
		expectedLogins: 1,
		runsNode: false,
		inN8n: false,
	},
	'fetch-core-loaded': {
		id: 'fetch-core-loaded',
		code: 'B1 core',
		description: 'raw fetch loop in a process that has loaded n8n-core and the node without using them',
		expectedLogins: 1,
		runsNode: false,
		inN8n: false,
	},
	'fetch-n8n-helper': {
		id: 'fetch-n8n-helper',
		code: 'B1 helper',
		description: "the raw loop's requests sent through n8n-core's httpRequest helper with the node's request options, without a credential",
		expectedLogins: 1,
		runsNode: false,
		inN8n: false,
	},
	'node-n8n': {
		id: 'node-n8n',
		code: 'A2',
		description: 'n8n execute: Manual Trigger → Quivo, empty token',
		expectedLogins: 1,
		runsNode: true,
		inN8n: true,
	},
	'node-n8n-saved': {
		id: 'node-n8n-saved',
		code: 'A2 saved',
		description: 'n8n execute: Manual Trigger → Quivo, token saved by the previous run',
		expectedLogins: 0,
		runsNode: true,
		inN8n: true,
	},
	'http-n8n': {
		id: 'http-n8n',
		code: 'B2',
		description: 'n8n execute: Manual Trigger → HTTP Request POST /login → HTTP Request GET /orders with pagination',
		expectedLogins: 1,
		runsNode: false,
		inN8n: true,
	},
};

/** One measured run of one variant. */
export interface RunRecord {
	variant: VariantId;
	size: number;
	round: number;
	/** In-process variants: the measured call. n8n variants: the whole `n8n execute` process. */
	wallMs: number;
	/** n8n variants: the summed `executionTime` of the nodes that call the API. */
	nodeExecutionMs?: number;
	/** From spawn to exit of the child process. */
	processWallMs: number;
	maxRssKb: number;
	/** In-process variants: RSS before the measured call, after module loading. */
	rssBeforeKb?: number;
	orders: number;
	distinctOrderIds: number;
	/** GET /orders requests. */
	pageRequests: number;
	/** POST /login requests, successful or not. */
	loginRequests: number;
	/** Logins that returned a token. */
	logins: number;
	/** Requests to any other path. */
	otherRequests: number;
	/** Responses other than 200, including reset connections. */
	failedResponses: number;
}

export interface VariantSummary {
	variant: Variant;
	size: number;
	runs: number;
	wallMs: number;
	nodeExecutionMs?: number;
	processWallMs: number;
	maxRssKb: number;
	rssBeforeKb?: number;
	pageRequests: [number, number];
	loginRequests: [number, number];
	logins: [number, number];
	otherRequests: number;
	failedResponses: number;
	/** Whether every run returned all orders exactly once. */
	allOrdersOnce: boolean;
}

export function median(values: number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((left, right) => left - right);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function range(values: number[]): [number, number] {
	return [Math.min(...values), Math.max(...values)];
}

export function summarize(records: RunRecord[], size: number, variantId: VariantId): VariantSummary | undefined {
	const runs = records.filter((record) => record.size === size && record.variant === variantId);
	if (runs.length === 0) return undefined;
	const nodeTimes = runs.map((run) => run.nodeExecutionMs).filter((value): value is number => value !== undefined);
	const rssBefore = runs.map((run) => run.rssBeforeKb).filter((value): value is number => value !== undefined);
	return {
		variant: VARIANTS[variantId],
		size,
		runs: runs.length,
		wallMs: median(runs.map((run) => run.wallMs)),
		nodeExecutionMs: nodeTimes.length > 0 ? median(nodeTimes) : undefined,
		processWallMs: median(runs.map((run) => run.processWallMs)),
		maxRssKb: median(runs.map((run) => run.maxRssKb)),
		rssBeforeKb: rssBefore.length > 0 ? median(rssBefore) : undefined,
		pageRequests: range(runs.map((run) => run.pageRequests)),
		loginRequests: range(runs.map((run) => run.loginRequests)),
		logins: range(runs.map((run) => run.logins)),
		otherRequests: Math.max(...runs.map((run) => run.otherRequests)),
		failedResponses: Math.max(...runs.map((run) => run.failedResponses)),
		allOrdersOnce: runs.every((run) => run.orders === size && run.distinctOrderIds === size),
	};
}

export interface Comparison {
	title: string;
	subject: VariantId;
	baseline: VariantId;
	/** Whether the wall time and peak RSS targets apply to this pair. The other pairs show where a difference comes from. */
	hasTargets: boolean;
}

export const COMPARISONS: Comparison[] = [
	{ title: 'A1 ÷ B1: node in n8n-core ÷ raw fetch loop', subject: 'node-core', baseline: 'fetch', hasTargets: true },
	{ title: 'A1 ÷ B1 core: the same at equal module baseline', subject: 'node-core', baseline: 'fetch-core-loaded', hasTargets: false },
	{ title: "B1 helper ÷ B1: n8n's request helper ÷ fetch", subject: 'fetch-n8n-helper', baseline: 'fetch', hasTargets: false },
	{ title: "A1 ÷ B1 helper: node ÷ the loop on n8n's request helper", subject: 'node-core', baseline: 'fetch-n8n-helper', hasTargets: false },
	{ title: 'A2 ÷ B2: Quivo node ÷ HTTP Request workflow in n8n', subject: 'node-n8n', baseline: 'http-n8n', hasTargets: true },
];

export interface Ratios {
	comparison: Comparison;
	wall: number;
	/** n8n pairs: ratio of the API nodes' execution time. */
	nodeExecution?: number;
	peakRss: number;
}

export function compare(records: RunRecord[], size: number, comparison: Comparison): Ratios | undefined {
	const subject = summarize(records, size, comparison.subject);
	const baseline = summarize(records, size, comparison.baseline);
	if (subject === undefined || baseline === undefined) return undefined;
	const nodeExecution =
		subject.nodeExecutionMs !== undefined && baseline.nodeExecutionMs !== undefined
			? subject.nodeExecutionMs / baseline.nodeExecutionMs
			: undefined;
	return { comparison, wall: subject.wallMs / baseline.wallMs, nodeExecution, peakRss: subject.maxRssKb / baseline.maxRssKb };
}

export const MAX_TIME_RATIO = 1.1;
export const MAX_RSS_RATIO = 1.3;
const PAGE_SIZE = 1000;

export interface TargetCheck {
	target: string;
	measured: string;
	passed: boolean;
}

function formatRange([low, high]: [number, number]): string {
	return low === high ? String(low) : `${low}–${high}`;
}

/**
 * Checks the targets for one order count: wall time and peak RSS ratios, GET /orders requests,
 * logins and complete results. Pairs and variants that did not run are left out.
 */
export function checkTargets(records: RunRecord[], size: number): TargetCheck[] {
	const checks: TargetCheck[] = [];
	for (const ratios of COMPARISONS.filter((comparison) => comparison.hasTargets).map((comparison) => compare(records, size, comparison))) {
		if (ratios === undefined) continue;
		const { subject, baseline } = ratios.comparison;
		const pair = `${VARIANTS[subject].code} ÷ ${VARIANTS[baseline].code}`;
		const nodeTime = ratios.nodeExecution === undefined ? '' : ` (nodes' own execution time: ${ratios.nodeExecution.toFixed(2)})`;
		checks.push({
			target: `Wall time ${pair} ≤ ${MAX_TIME_RATIO.toFixed(2)}`,
			measured: `${ratios.wall.toFixed(2)}${nodeTime}`,
			passed: ratios.wall <= MAX_TIME_RATIO,
		});
		checks.push({
			target: `Peak RSS ${pair} ≤ ${MAX_RSS_RATIO.toFixed(2)}`,
			measured: ratios.peakRss.toFixed(2),
			passed: ratios.peakRss <= MAX_RSS_RATIO,
		});
	}

	const maxPages = Math.ceil(size / PAGE_SIZE) + 1;
	const nodeSummaries = (Object.keys(VARIANTS) as VariantId[])
		.filter((id) => VARIANTS[id].runsNode)
		.map((id) => summarize(records, size, id))
		.filter((summary): summary is VariantSummary => summary !== undefined);
	if (nodeSummaries.length > 0) {
		const highest = Math.max(...nodeSummaries.map((summary) => summary.pageRequests[1]));
		const other = Math.max(...nodeSummaries.map((summary) => summary.otherRequests + summary.failedResponses));
		checks.push({
			target: `GET /orders requests per node run ≤ ⌈N/1000⌉ + 1 = ${maxPages}`,
			measured: `at most ${highest}${other > 0 ? `, plus ${other} other or failed requests` : ''}`,
			passed: highest <= maxPages && other === 0,
		});
	}
	for (const summary of nodeSummaries) {
		const expected = summary.variant.expectedLogins;
		checks.push({
			target: `${summary.variant.code}: ${expected} login${expected === 1 ? '' : 's'} per run`,
			measured: `${formatRange(summary.logins)} (login requests ${formatRange(summary.loginRequests)})`,
			passed: summary.logins[0] === expected && summary.logins[1] === expected && summary.loginRequests[1] === expected,
		});
	}

	const all = (Object.keys(VARIANTS) as VariantId[])
		.map((id) => summarize(records, size, id))
		.filter((summary): summary is VariantSummary => summary !== undefined);
	const incomplete = all.filter((summary) => !summary.allOrdersOnce).map((summary) => summary.variant.code);
	checks.push({
		target: `Every run returns all ${size} orders exactly once`,
		measured: incomplete.length === 0 ? 'yes, in every variant' : `no: ${incomplete.join(', ')}`,
		passed: incomplete.length === 0,
	});
	return checks;
}
