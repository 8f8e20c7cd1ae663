/** Facts about the machine a benchmark ran on, and how busy other processes kept it. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
	cpuModel: string;
	/** Logical CPUs available to this process (`nproc`). */
	cpus: number;
	memoryGiB: number;
	os: string;
	nodeVersion: string;
}

/** CPU time of all CPUs since boot from /proc/stat, in microseconds. */
export interface CpuTimes {
	/** user, nice, system, irq and softirq. */
	busyUs: number;
	/** Time the hypervisor gave to other virtual machines while this one wanted to run. */
	stealUs: number;
}

export function describeMachine(): MachineInfo {
	let cpuModel = os.cpus()[0]?.model ?? 'unknown';
	try {
		const modelLine = readFileSync('/proc/cpuinfo', 'utf8')
			.split('\n')
			.find((line) => line.startsWith('model name'));
		if (modelLine !== undefined) cpuModel = modelLine.slice(modelLine.indexOf(':') + 1).trim();
	} catch {
		// Not Linux: keep the model that os.cpus() reports.
	}
	return {
		cpuModel,
		cpus: os.availableParallelism(),
		memoryGiB: os.totalmem() / 1024 ** 3,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		nodeVersion: process.version,
	};
}

function clockTicksPerSecond(): number {
	try {
		const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
		if (Number.isFinite(value) && value > 0) return value;
	} catch {
		// getconf is missing; fall through.
	}
	// USER_HZ, the unit of /proc/stat, is 100 on x86 and arm64 Linux.
	return 100;
}

const TICKS_PER_SECOND = clockTicksPerSecond();

/** Reads the summed CPU times of /proc/stat; undefined where /proc/stat does not exist. */
export function readCpuTimes(): CpuTimes | undefined {
	let firstLine: string;
	try {
		firstLine = readFileSync('/proc/stat', 'utf8').split('\n')[0];
	} catch {
		return undefined;
	}
	const [label, ...fields] = firstLine.trim().split(/\s+/);
	if (label !== 'cpu') return undefined;
	const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
	const toUs = (ticks: number) => (ticks * 1e6) / TICKS_PER_SECOND;
	return { busyUs: toUs(user + nice + system + irq + softirq), stealUs: toUs(steal ?? 0) };
}

/** Returns the 1-minute load average, or undefined where the OS does not report one. */
export function loadAverage(): number | undefined {
	const [oneMinute] = os.loadavg();
	return os.platform() === 'win32' ? undefined : oneMinute;
}
