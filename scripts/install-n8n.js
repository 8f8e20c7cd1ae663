#!/usr/bin/env node
/**
 * Installs the n8n that the end-to-end tests run into the git-ignored folder `.cache/n8n-<version>/`.
 *
 * The pinned manifest (package.json and package-lock.json) lives in a folder listed in
 * `test/e2e/n8n/versions.json`. An install is complete only when its marker file exists and
 * stores the SHA-256 of that manifest, so an interrupted install or a changed pin is redone.
 * The end-to-end harness (`test/e2e/support/n8n.ts`) computes the same hash to check the install.
 *
 * Usage: node scripts/install-n8n.js [--version=<n8n version>] [--dir=<install folder>] [--force]
 * Without --version, N8N_E2E_VERSION or else the first entry of versions.json is installed.
 *
 * Needs Node.js and npm, plus python3, make and a C++ compiler, because sqlite3 is built from
 * source: install scripts stay off during `npm ci` (prebuilt-binary downloads from hosts other
 * than the npm registry fail), and only sqlite3 is rebuilt afterwards.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..');
const VERSIONS_FILE = path.join(REPO_ROOT, 'test', 'e2e', 'n8n', 'versions.json');
const MARKER_FILE_NAME = '.install-complete.json';
const NPM_CI_TIMEOUT_MS = 30 * 60 * 1000;
const NPM_REBUILD_TIMEOUT_MS = 15 * 60 * 1000;
const SMOKE_TEST_TIMEOUT_MS = 60 * 1000;

/** Lists the pinned n8n manifests from versions.json, the default first. */
function readManifests() {
	const versions = JSON.parse(fs.readFileSync(VERSIONS_FILE, 'utf8'));
	if (!Array.isArray(versions.manifests) || versions.manifests.length === 0) {
		throw new Error(`${VERSIONS_FILE}: "manifests" must be a non-empty array of folder names`);
	}

	return versions.manifests.map((folder) => {
		const manifestDir = path.resolve(path.dirname(VERSIONS_FILE), folder);
		const packageJsonPath = path.join(manifestDir, 'package.json');
		const lockfilePath = path.join(manifestDir, 'package-lock.json');
		const packageJson = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8'));
		const version = packageJson.dependencies && packageJson.dependencies.n8n;
		if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
			throw new Error(
				`${packageJsonPath}: dependencies.n8n must pin one exact version such as "1.123.81", found ${JSON.stringify(version)}`,
			);
		}
		if (!fs.existsSync(lockfilePath)) {
			throw new Error(`${lockfilePath} is missing: npm ci needs the lockfile next to the manifest`);
		}
		return { version, manifestDir, packageJsonPath, lockfilePath };
	});
}

/** Selects the manifest for `requestedVersion`, or the default one when it is empty. */
function selectManifest(requestedVersion) {
	const manifests = readManifests();
	if (!requestedVersion) return manifests[0];

	const manifest = manifests.find((candidate) => candidate.version === requestedVersion);
	if (!manifest) {
		const known = manifests.map((candidate) => candidate.version).join(', ');
		throw new Error(`n8n ${requestedVersion} is not listed in ${VERSIONS_FILE} (listed: ${known})`);
	}
	return manifest;
}

/** Hashes manifest and lockfile. The harness in test/e2e/support/n8n.ts must compute the same hash. */
function hashManifest(manifest) {
	const hash = crypto.createHash('sha256');
	hash.update(fs.readFileSync(manifest.packageJsonPath));
	hash.update('\0');
	hash.update(fs.readFileSync(manifest.lockfilePath));
	return hash.digest('hex');
}

function defaultInstallDir(version) {
	return path.join(REPO_ROOT, '.cache', `n8n-${version}`);
}

/** Returns true when `installDir` contains a finished install of exactly this manifest. */
function isInstallComplete(installDir, manifest) {
	let marker;
	try {
		marker = JSON.parse(fs.readFileSync(path.join(installDir, MARKER_FILE_NAME), 'utf8'));
	} catch {
		return false;
	}
	const n8nPackageJson = path.join(installDir, 'node_modules', 'n8n', 'package.json');
	return (
		marker.n8nVersion === manifest.version &&
		marker.manifestSha256 === hashManifest(manifest) &&
		fs.existsSync(n8nPackageJson)
	);
}

function writeMarker(installDir, manifest) {
	const marker = {
		n8nVersion: manifest.version,
		manifestSha256: hashManifest(manifest),
		nodeVersion: process.version,
		installedAt: new Date().toISOString(),
	};
	fs.writeFileSync(path.join(installDir, MARKER_FILE_NAME), `${JSON.stringify(marker, null, '\t')}\n`);
}

function findOnPath(command) {
	const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
	return dirs.some((dir) => {
		try {
			fs.accessSync(path.join(dir, command), fs.constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

/**
 * Returns the folder whose `include/node` has the headers of the running Node.js.
 * node-gyp would otherwise download the headers from nodejs.org, which is not reachable here.
 */
function findNodeHeadersDir() {
	const nodeDir = path.dirname(path.dirname(process.execPath));
	const header = path.join(nodeDir, 'include', 'node', 'node_api.h');
	if (!fs.existsSync(header)) {
		throw new Error(
			`Node.js headers not found at ${header}; sqlite3 cannot be built without them. Install the headers that match ${process.version} (Debian: the nodejs or libnode-dev package).`,
		);
	}
	return nodeDir;
}

function checkBuildTools() {
	const missing = [];
	if (!findOnPath('python3') && !findOnPath('python')) missing.push('python3');
	if (!findOnPath('make')) missing.push('make');
	if (!findOnPath('g++') && !findOnPath('c++')) missing.push('g++');
	if (missing.length > 0) {
		throw new Error(`Missing build tools for sqlite3: ${missing.join(', ')}. Install them and run again.`);
	}
}

/**
 * Returns the environment for child npm commands.
 *
 * `npm run` exports its configuration as lower-case `npm_config_*` variables, including
 * `ignore-scripts=true` from this repository's .npmrc. A child npm would take them as its own
 * configuration, so they are dropped. The child still reads the user and global npmrc files.
 */
function childNpmEnv(extra) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!key.startsWith('npm_')) env[key] = value;
	}
	return { ...env, ...extra };
}

function formatSeconds(milliseconds) {
	return `${(milliseconds / 1000).toFixed(1)} s`;
}

/** Runs one step with inherited output and throws when it fails or times out. */
function runStep(title, command, args, options) {
	const commandLine = options.displayCommand || [command, ...args].join(' ');
	console.log(`[install-n8n] ${title}: ${commandLine}`);
	const startedAt = Date.now();
	const result = spawnSync(command, args, {
		cwd: options.cwd,
		env: options.env,
		stdio: 'inherit',
		timeout: options.timeoutMs,
		killSignal: 'SIGTERM',
	});
	const elapsed = Date.now() - startedAt;

	if (result.error) {
		const reason =
			result.error.code === 'ETIMEDOUT'
				? `timed out after ${formatSeconds(options.timeoutMs)}`
				: result.error.message;
		throw new Error(`${title} failed: ${reason}`);
	}
	if (result.status !== 0) {
		throw new Error(`${title} failed with exit code ${result.status} (signal ${result.signal})`);
	}
	console.log(`[install-n8n] ${title} finished in ${formatSeconds(elapsed)}`);
	return elapsed;
}

function install(manifest, installDir) {
	const totalStart = Date.now();
	checkBuildTools();
	const nodeHeadersDir = findNodeHeadersDir();

	console.log(`[install-n8n] Installing n8n ${manifest.version} into ${installDir}`);
	fs.mkdirSync(installDir, { recursive: true });
	// Removing the marker first makes an interrupted run count as incomplete next time.
	fs.rmSync(path.join(installDir, MARKER_FILE_NAME), { force: true });
	fs.copyFileSync(manifest.packageJsonPath, path.join(installDir, 'package.json'));
	fs.copyFileSync(manifest.lockfilePath, path.join(installDir, 'package-lock.json'));

	runStep('npm ci', 'npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: installDir,
		env: childNpmEnv({}),
		timeoutMs: NPM_CI_TIMEOUT_MS,
	});

	runStep('Build sqlite3', 'npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
		cwd: installDir,
		env: childNpmEnv({ npm_config_nodedir: nodeHeadersDir }),
		timeoutMs: NPM_REBUILD_TIMEOUT_MS,
	});

	runStep(
		'Smoke test',
		process.execPath,
		[
			'-e',
			`const sqlite3 = require('sqlite3');
new sqlite3.Database(':memory:').close();
const version = require('n8n/package.json').version;
if (version !== ${JSON.stringify(manifest.version)}) throw new Error('installed n8n is ' + version);
console.log('sqlite3 loads; n8n ' + version + ' is present');`,
		],
		{
			cwd: installDir,
			env: childNpmEnv({}),
			timeoutMs: SMOKE_TEST_TIMEOUT_MS,
			displayCommand: 'node -e <open an in-memory sqlite3 database, check the n8n version>',
		},
	);

	writeMarker(installDir, manifest);
	console.log(`[install-n8n] n8n ${manifest.version} installed in ${formatSeconds(Date.now() - totalStart)}`);
}

function parseArgs(argv) {
	const options = { version: process.env.N8N_E2E_VERSION || '', dir: '', force: false };
	for (const arg of argv) {
		if (arg.startsWith('--version=')) options.version = arg.slice('--version='.length);
		else if (arg.startsWith('--dir=')) options.dir = path.resolve(arg.slice('--dir='.length));
		else if (arg === '--force') options.force = true;
		else throw new Error(`Unknown argument: ${arg}. Usage: install-n8n.js [--version=X] [--dir=PATH] [--force]`);
	}
	return options;
}

function main() {
	const options = parseArgs(process.argv.slice(2));
	const manifest = selectManifest(options.version);
	const installDir = options.dir || defaultInstallDir(manifest.version);

	if (!options.force && isInstallComplete(installDir, manifest)) {
		console.log(`[install-n8n] n8n ${manifest.version} is already installed in ${installDir}`);
		return;
	}
	install(manifest, installDir);
}

module.exports = { MARKER_FILE_NAME, defaultInstallDir, hashManifest, isInstallComplete, selectManifest };

if (require.main === module) {
	try {
		main();
	} catch (error) {
		console.error(`[install-n8n] ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	}
}
