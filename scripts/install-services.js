#!/usr/bin/env node
/**
 * Installs the programs from Debian's packages that the end-to-end tests start for themselves:
 * the PostgreSQL and Redis servers of the queue-mode test (`test/e2e/scale-out.e2e.test.ts`) and
 * the headless Chromium of the browser test (`test/browser/`).
 *
 * The tests run their own throwaway instances, so this script leaves the packaged system services
 * stopped: during the install a `/usr/sbin/policy-rc.d` that exits 101 stops `invoke-rc.d` from
 * starting them, and a service that runs afterwards but was stopped before is stopped again.
 * An existing policy-rc.d is left as it is. When every requested program is found, the script
 * changes nothing.
 *
 * Usage: node scripts/install-services.js [postgresql] [redis] [chromium]
 * Without arguments it installs PostgreSQL and Redis. Needs root (apt-get) only when a program is missing.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const POSTGRES_LIB_DIR = '/usr/lib/postgresql';
const POSTGRES_PROGRAMS = ['initdb', 'pg_ctl', 'postgres'];
const REDIS_PROGRAM_DIRS = ['/usr/bin', '/usr/local/bin', '/usr/sbin'];
/** Path of the browser from Debian's chromium package, which the browser test launches. */
const CHROMIUM_PATH = '/usr/bin/chromium';
const POLICY_RC_PATH = '/usr/sbin/policy-rc.d';
const APT_UPDATE_TIMEOUT_MS = 5 * 60 * 1000;
const APT_INSTALL_TIMEOUT_MS = 15 * 60 * 1000;
const SERVICE_TIMEOUT_MS = 60 * 1000;

/** Returns the bin folder of the newest PostgreSQL major version that has initdb, pg_ctl and postgres, or null. */
function findPostgresBinDir() {
	let versions;
	try {
		versions = fs.readdirSync(POSTGRES_LIB_DIR);
	} catch {
		return null;
	}

	const complete = versions
		.filter((version) => /^\d+$/.test(version))
		.sort((a, b) => Number(b) - Number(a))
		.map((version) => path.join(POSTGRES_LIB_DIR, version, 'bin'))
		.filter((binDir) => POSTGRES_PROGRAMS.every((program) => isExecutable(path.join(binDir, program))));
	return complete[0] ?? null;
}

/** Returns the path of redis-server from PATH or the usual Debian folders, or null. */
function findRedisServer() {
	const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
	for (const dir of [...pathDirs, ...REDIS_PROGRAM_DIRS]) {
		const candidate = path.join(dir, 'redis-server');
		if (isExecutable(candidate)) return candidate;
	}
	return null;
}

function isExecutable(filePath) {
	try {
		fs.accessSync(filePath, fs.constants.X_OK);
		return fs.statSync(filePath).isFile();
	} catch {
		return false;
	}
}

function seconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs a command with inherited output and throws when it fails or times out. */
function run(command, args, timeoutMs, env = process.env) {
	const startedAt = Date.now();
	console.log(`install-services: running ${[command, ...args].join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env, timeout: timeoutMs });
	if (result.error) {
		throw new Error(`${command} ${args.join(' ')} failed: ${result.error.message}`);
	}
	if (result.status !== 0) {
		const reason = result.signal ? `was ended by ${result.signal}` : `exited with code ${result.status}`;
		throw new Error(`${command} ${args.join(' ')} ${reason}`);
	}
	console.log(`install-services: ${command} ${args[0]} took ${seconds(Date.now() - startedAt)}`);
}

/**
 * Returns whether a system service reports itself running. `service <name> status` exits 0 for a
 * running service, 3 for a stopped one and 4 (or fails to start) for an unknown one.
 */
function isServiceRunning(name) {
	const result = spawnSync('service', [name, 'status'], { stdio: 'ignore', timeout: SERVICE_TIMEOUT_MS });
	return !result.error && result.status === 0;
}

/** Creates a policy-rc.d that forbids starting services, unless one exists. Returns whether it created one. */
function blockServiceStarts() {
	if (fs.existsSync(POLICY_RC_PATH)) {
		console.log(`install-services: keeping the existing ${POLICY_RC_PATH}`);
		return false;
	}
	fs.writeFileSync(
		POLICY_RC_PATH,
		'#!/bin/sh\n# Written by n8n-nodes-quivo scripts/install-services.js during apt-get install; removed afterwards.\nexit 101\n',
		{ mode: 0o755 },
	);
	console.log(`install-services: wrote ${POLICY_RC_PATH} so that apt-get starts no service`);
	return true;
}

/**
 * The programs this script can install. `find` returns the program's path or folder, or null when
 * it is missing. `services` are the system services that the packages register.
 */
const PROGRAMS = {
	postgresql: {
		label: `PostgreSQL server (${POSTGRES_PROGRAMS.join(', ')} in ${POSTGRES_LIB_DIR}/<version>/bin)`,
		find: findPostgresBinDir,
		aptPackages: ['postgresql'],
		services: ['postgresql'],
	},
	redis: {
		label: 'Redis server (redis-server)',
		find: findRedisServer,
		aptPackages: ['redis-server'],
		services: ['redis-server'],
	},
	chromium: {
		label: `Chromium (${CHROMIUM_PATH})`,
		find: () => (isExecutable(CHROMIUM_PATH) ? CHROMIUM_PATH : null),
		aptPackages: ['chromium'],
		services: [],
	},
};
const DEFAULT_PROGRAMS = ['postgresql', 'redis'];

function installPackages(aptPackages, systemServices) {
	const startedAt = Date.now();
	const runningBefore = new Set(systemServices.filter(isServiceRunning));
	const createdPolicy = blockServiceStarts();
	const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	try {
		run('apt-get', ['update'], APT_UPDATE_TIMEOUT_MS, aptEnv);
		run('apt-get', ['install', '-y', '--no-install-recommends', ...aptPackages], APT_INSTALL_TIMEOUT_MS, aptEnv);
	} finally {
		if (createdPolicy) {
			fs.rmSync(POLICY_RC_PATH, { force: true });
			console.log(`install-services: removed ${POLICY_RC_PATH}`);
		}
	}

	for (const service of systemServices) {
		if (runningBefore.has(service)) {
			console.log(`install-services: ${service} was running before the install; leaving it running`);
		} else if (isServiceRunning(service)) {
			console.log(`install-services: the install started ${service}; stopping it`);
			run('service', [service, 'stop'], SERVICE_TIMEOUT_MS);
		} else {
			console.log(`install-services: ${service} is not running`);
		}
	}
	console.log(`install-services: apt-get update and install took ${seconds(Date.now() - startedAt)}`);
}

/** Returns the program names from the command line, or the defaults, and throws on an unknown name. */
function requestedPrograms(args) {
	const names = args.length > 0 ? args : DEFAULT_PROGRAMS;
	const unknown = names.filter((name) => !Object.hasOwn(PROGRAMS, name));
	if (unknown.length > 0) {
		throw new Error(`Unknown program ${unknown.join(', ')}. Expected any of: ${Object.keys(PROGRAMS).join(', ')}`);
	}
	return [...new Set(names)];
}

function describeFound(names) {
	return names.map((name) => `${name} (${PROGRAMS[name].find()})`).join(', ');
}

function main() {
	const startedAt = Date.now();
	const names = requestedPrograms(process.argv.slice(2));
	const missing = names.filter((name) => PROGRAMS[name].find() === null);
	if (missing.length === 0) {
		console.log(`install-services: ${describeFound(names)} installed, nothing to do (${seconds(Date.now() - startedAt)})`);
		return;
	}

	const missingLabels = missing.map((name) => PROGRAMS[name].label).join(' and ');
	const aptPackages = missing.flatMap((name) => PROGRAMS[name].aptPackages);
	console.log(`install-services: missing ${missingLabels}`);

	if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
		throw new Error(
			`Missing ${missingLabels}, and installing needs root. ` +
				`Run as root: apt-get update && apt-get install -y --no-install-recommends ${aptPackages.join(' ')}`,
		);
	}

	installPackages(aptPackages, missing.flatMap((name) => PROGRAMS[name].services));

	const stillMissing = missing.filter((name) => PROGRAMS[name].find() === null);
	if (stillMissing.length > 0) {
		throw new Error(
			`apt-get install finished, but ${stillMissing.map((name) => PROGRAMS[name].label).join(' and ')} is still missing`,
		);
	}
	console.log(`install-services: installed ${describeFound(missing)} in ${seconds(Date.now() - startedAt)}`);
}

try {
	main();
} catch (error) {
	console.error(`install-services: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
