/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`) over the time window of the measured call:
 * self time per function and per code origin (this package, n8n-core, axios, Node.js, GC, idle).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}

interface ProfileNode {
	id: number;
	callFrame: CallFrame;
}

/** The `.cpuprofile` format; times are microseconds on the monotonic clock. */
interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export interface ProfileSummary {
	windowMs: number;
	/** Self time in milliseconds per code origin, largest first. */
	byOrigin: Array<[string, number]>;
	/** Self time in milliseconds per function, largest first. */
	byFunction: Array<[string, number]>;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Names where a function's code comes from: an npm package, a folder of this repository, Node.js, or a V8 state. */
function originOf(frame: CallFrame): string {
	const { url, functionName } = frame;
	if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
	if (url.startsWith('node:')) return 'Node.js';
	const modulePath = url.split('/node_modules/').pop() ?? url;
	if (modulePath !== url) {
		const [first, second] = modulePath.split('/');
		return first.startsWith('@') ? `${first}/${second}` : first;
	}
	const relative = path.relative(REPO_ROOT, url.replace(/^file:\/\//, ''));
	const [top, next] = relative.split(path.sep);
	return top === 'nodes' || top === 'credentials' ? 'this package' : `${top}/${next}`;
}

function describeFrame(frame: CallFrame): string {
	const file = frame.url.replace(/^file:\/\//, '').replace(`${REPO_ROOT}/`, '').replace(/^.*\/node_modules\//, '');
	const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
	return file === '' ? name : `${name} ${file}:${frame.lineNumber + 1}`;
}

function topEntries(totals: Map<string, number>, count: number): Array<[string, number]> {
	return [...totals.entries()]
		.map(([key, micros]): [string, number] => [key, micros / 1000])
		.sort((left, right) => right[1] - left[1])
		.slice(0, count);
}

/** Adds up the self time of the samples taken between `fromUs` and `toUs`. */
export async function summarizeProfile(profilePath: string, fromUs: number, toUs: number, count = 15): Promise<ProfileSummary> {
	const profile = JSON.parse(await fs.readFile(profilePath, 'utf8')) as CpuProfile;
	const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
	const byOrigin = new Map<string, number>();
	const byFunction = new Map<string, number>();

	// Sample i is taken at startTime + the sum of timeDeltas[0..i] and lasts until the next sample.
	let sampleTime = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		sampleTime += profile.timeDeltas[i];
		const duration = profile.timeDeltas[i + 1] ?? 0;
		if (sampleTime < fromUs || sampleTime > toUs) continue;
		const frame = frames.get(profile.samples[i]);
		if (frame === undefined) continue;
		const origin = originOf(frame);
		byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + duration);
		const name = describeFrame(frame);
		byFunction.set(name, (byFunction.get(name) ?? 0) + duration);
	}
	return { windowMs: (toUs - fromUs) / 1000, byOrigin: topEntries(byOrigin, count), byFunction: topEntries(byFunction, count) };
}

/** Finds the main-thread profile that `node --cpu-prof` wrote for `pid` into `dir`. */
export async function findProfile(dir: string, pid: number): Promise<string> {
	// Node.js names profiles CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile; thread 0 is the main thread.
	const name = (await fs.readdir(dir)).find((file) => file.includes(`.${pid}.0.`) && file.endsWith('.cpuprofile'));
	if (name === undefined) throw new Error(`No CPU profile of process ${pid} in ${dir}`);
	return path.join(dir, name);
}

export function formatSummary(title: string, summary: ProfileSummary): string {
	const lines = [`${title}: self time in the ${summary.windowMs.toFixed(0)} ms of the measured call`, '  by origin:'];
	for (const [origin, ms] of summary.byOrigin) lines.push(`    ${ms.toFixed(0).padStart(6)} ms  ${origin}`);
	lines.push('  by function:');
	for (const [name, ms] of summary.byFunction) lines.push(`    ${ms.toFixed(0).padStart(6)} ms  ${name}`);
	return lines.join('\n');
}
