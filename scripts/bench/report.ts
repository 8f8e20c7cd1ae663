/** Renders the results of a benchmark run as Markdown and writes them into BENCHMARKS.md. */
import { existsSync, promises as fs } from 'node:fs';

import type { MachineInfo } from './machine';
import {
	checkTargets,
	compare,
	COMPARISONS,
	type RunRecord,
	summarize,
	VARIANTS,
	type VariantId,
	type VariantSummary,
} from './results';

export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';

/** CPU use of processes outside the benchmark while one order count was measured. */
export interface MachineLoad {
	size: number;
	windowMs: number;
	/** CPU time of everything except the benchmark and the processes it started, or undefined without /proc/stat. */
	othersCpuMs?: number;
	stealMs?: number;
}

export interface RunInfo {
	startedAt: Date;
	durationMs: number;
	command: string;
	rounds: number;
	sizes: number[];
	n8nVersion?: string;
	n8nCoreVersion: string;
	machine: MachineInfo;
	loadBefore?: number;
	loadAfter?: number;
	loads: MachineLoad[];
}

const number = new Intl.NumberFormat('en-US');

function ms(value: number | undefined): string {
	if (value === undefined || Number.isNaN(value)) return '–';
	return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${number.format(Math.round(value))} ms`;
}

function mb(kilobytes: number | undefined): string {
	return kilobytes === undefined ? '–' : `${number.format(Math.round(kilobytes / 1024))} MB`;
}

function span([low, high]: [number, number]): string {
	return low === high ? String(low) : `${low}–${high}`;
}

function table(header: string[], rows: string[][]): string {
	const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
	for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
	return lines.join('\n');
}

function variantRows(records: RunRecord[], size: number): string[][] {
	return (Object.keys(VARIANTS) as VariantId[])
		.map((id) => summarize(records, size, id))
		.filter((summary): summary is VariantSummary => summary !== undefined)
		.map((summary) => [
			summary.variant.code,
			ms(summary.wallMs),
			ms(summary.nodeExecutionMs),
			ms(summary.processWallMs),
			mb(summary.maxRssKb),
			mb(summary.rssBeforeKb),
			span(summary.pageRequests),
			span(summary.logins),
			summary.allOrdersOnce ? 'yes' : '**no**',
		]);
}

function ratioRows(records: RunRecord[], size: number): string[][] {
	return COMPARISONS.map((comparison) => compare(records, size, comparison))
		.filter((ratios) => ratios !== undefined)
		.map((ratios) => [
			ratios.comparison.title,
			ratios.wall.toFixed(2),
			ratios.nodeExecution === undefined ? '–' : ratios.nodeExecution.toFixed(2),
			ratios.peakRss.toFixed(2),
		]);
}

function describeLoad(run: RunInfo): string[] {
	const lines: string[] = [];
	const format = (value: number | undefined) => (value === undefined ? 'unknown' : value.toFixed(2));
	lines.push(`- Load: 1-minute load average ${format(run.loadBefore)} before and ${format(run.loadAfter)} after the run; the benchmark's own processes add up to about 2 to it.`);
	for (const load of run.loads) {
		if (load.othersCpuMs === undefined) continue;
		const capacityMs = load.windowMs * run.machine.cpus;
		const share = (100 * load.othersCpuMs) / capacityMs;
		lines.push(
			`- While ${number.format(load.size)} orders were measured (${ms(load.windowMs)}), processes outside the benchmark (kernel work included) used ${ms(load.othersCpuMs)} of CPU time, ${share.toFixed(1)} % of the machine; steal time was ${ms(load.stealMs)}.`,
		);
	}
	return lines;
}

/** Renders the generated section of BENCHMARKS.md. */
export function renderResults(records: RunRecord[], run: RunInfo): string {
	const { machine } = run;
	const parts: string[] = [
		'## Latest run',
		'',
		'This section is written by `npm run bench`; a new run replaces it.',
		'',
		`- Date: ${run.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}, total time ${ms(run.durationMs)}`,
		`- Command: \`${run.command}\``,
		`- Rounds: ${run.rounds}; order counts: ${run.sizes.map((size) => number.format(size)).join(', ')}`,
		`- n8n: ${run.n8nVersion ?? 'not run (--skip-n8n)'}; n8n-core for A1: ${run.n8nCoreVersion}; Node.js ${machine.nodeVersion}`,
		`- Machine: ${machine.cpuModel}, ${machine.cpus} logical CPUs (\`nproc\`), ${machine.memoryGiB.toFixed(1)} GiB memory, ${machine.os}`,
		...describeLoad(run),
		'',
		'Wall is the median over the rounds: for A1 and B1 the measured call inside the child process, for A2 and B2 the whole `n8n execute` process.',
		"\"n8n nodes\" is the median of the `executionTime` that n8n recorded for the Quivo node, or for both HTTP Request nodes together.",
		'"RSS before" is the child\'s RSS after loading its modules, right before the measured call.',
	];

	for (const size of run.sizes) {
		parts.push(
			'',
			`### ${number.format(size)} orders`,
			'',
			table(['Variant', 'Wall', 'n8n nodes', 'Process', 'Peak RSS', 'RSS before', 'GET /orders', 'Logins', 'All orders once'], variantRows(records, size)),
			'',
			table(['Ratio of medians', 'Wall time', 'n8n nodes', 'Peak RSS'], ratioRows(records, size)),
			'',
			table(
				['Target', 'Measured', 'Result'],
				checkTargets(records, size).map((check) => [check.target, check.measured, check.passed ? 'met' : '**missed**']),
			),
		);
	}

	parts.push('', 'Variants:', '');
	const measured = new Set(records.map((record) => record.variant));
	for (const variant of Object.values(VARIANTS).filter((candidate) => measured.has(candidate.id))) {
		parts.push(`- ${variant.code}: ${variant.description}`);
	}
	return parts.join('\n');
}

/**
 * Replaces the text between the result markers of `filePath`. A file without markers gets the
 * section appended; a missing file is created with a title.
 */
export async function writeResults(filePath: string, section: string): Promise<void> {
	const block = `${RESULTS_START}\n${section}\n${RESULTS_END}`;
	if (!existsSync(filePath)) {
		await fs.writeFile(filePath, `# Benchmarks\n\n${block}\n`);
		return;
	}
	const text = await fs.readFile(filePath, 'utf8');
	const start = text.indexOf(RESULTS_START);
	const end = text.indexOf(RESULTS_END);
	if (start === -1 || end < start) {
		await fs.writeFile(filePath, `${text.trimEnd()}\n\n${block}\n`);
		return;
	}
	await fs.writeFile(filePath, `${text.slice(0, start)}${block}${text.slice(end + RESULTS_END.length)}`);
}
