#!/usr/bin/env node
/**
 * Installs the PostgreSQL and Redis servers that the queue-mode end-to-end test
 * (`test/e2e/scale-out.e2e.test.ts`) starts for itself, from Debian's packages.
 *
 * The test runs its own throwaway instances, so this script leaves the packaged system services
 * stopped: during the install a `/usr/sbin/policy-rc.d` that exits 101 stops `invoke-rc.d` from
 * starting them, and a service that runs afterwards but was stopped before is stopped again.
 * An existing policy-rc.d is left as it is. When both servers are found, the script changes nothing.
 *
 * Usage: node scripts/install-services.js
 * Needs root (apt-get) only when a server is missing.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const POSTGRES_LIB_DIR = '/usr/lib/postgresql';
const POSTGRES_PROGRAMS = ['initdb', 'pg_ctl', 'postgres'];
const REDIS_PROGRAM_DIRS = ['/usr/bin', '/usr/local/bin', '/usr/sbin'];
const APT_PACKAGES = ['postgresql', 'redis-server'];
const SYSTEM_SERVICES = ['postgresql', 'redis-server'];
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

function installPackages() {
	const startedAt = Date.now();
	const runningBefore = new Set(SYSTEM_SERVICES.filter(isServiceRunning));
	const createdPolicy = blockServiceStarts();
	const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	try {
		run('apt-get', ['update'], APT_UPDATE_TIMEOUT_MS, aptEnv);
		run('apt-get', ['install', '-y', '--no-install-recommends', ...APT_PACKAGES], APT_INSTALL_TIMEOUT_MS, aptEnv);
	} finally {
		if (createdPolicy) {
			fs.rmSync(POLICY_RC_PATH, { force: true });
			console.log(`install-services: removed ${POLICY_RC_PATH}`);
		}
	}

	for (const service of SYSTEM_SERVICES) {
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

function main() {
	const startedAt = Date.now();
	const postgresBinDir = findPostgresBinDir();
	const redisServer = findRedisServer();
	if (postgresBinDir !== null && redisServer !== null) {
		console.log(
			`install-services: PostgreSQL (${postgresBinDir}) and Redis (${redisServer}) are installed; nothing to do (${seconds(Date.now() - startedAt)})`,
		);
		return;
	}

	const missing = [];
	if (postgresBinDir === null) missing.push(`PostgreSQL server (${POSTGRES_PROGRAMS.join(', ')} in ${POSTGRES_LIB_DIR}/<version>/bin)`);
	if (redisServer === null) missing.push('Redis server (redis-server)');
	console.log(`install-services: missing ${missing.join(' and ')}`);

	if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
		throw new Error(
			`Missing ${missing.join(' and ')}, and installing needs root. ` +
				`Run as root: apt-get update && apt-get install -y --no-install-recommends ${APT_PACKAGES.join(' ')}`,
		);
	}

	installPackages();

	const installedPostgres = findPostgresBinDir();
	const installedRedis = findRedisServer();
	if (installedPostgres === null || installedRedis === null) {
		throw new Error(
			`apt-get install finished, but ${installedPostgres === null ? 'initdb, pg_ctl or postgres' : 'redis-server'} is still missing`,
		);
	}
	console.log(
		`install-services: installed PostgreSQL (${installedPostgres}) and Redis (${installedRedis}) in ${seconds(Date.now() - startedAt)}`,
	);
}

try {
	main();
} catch (error) {
	console.error(`install-services: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
