#!/usr/bin/env node
/**
 * Installs n8n's community-node lint plugin (@n8n/eslint-plugin-community-nodes) into
 * `lint/community-nodes/node_modules/`, from the package.json and package-lock.json in that folder.
 *
 * The plugin needs n8n-workflow 2.x as a peer, while the root package pins n8n-workflow 1.x for
 * the unit tests, so it gets its own small install. The root eslint.config.mjs loads it from there.
 * An install is complete only when its marker file stores the SHA-256 of that package.json and
 * lockfile, so an interrupted install or a changed pin is redone with `npm ci`.
 *
 * npm warns during the install that isolated-vm 7 requires Node.js 24. n8n-workflow 2.x depends
 * on it for expressions, but the lint never loads it, and with install scripts off it is not built.
 *
 * Usage: node scripts/install-community-lint.js [--force]
 * To change a pinned version, edit lint/community-nodes/package.json, then run
 * `npm install --package-lock-only --ignore-scripts` in that folder and this script.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const LINT_DIR = path.resolve(__dirname, '..', 'lint', 'community-nodes');
const PACKAGE_JSON_PATH = path.join(LINT_DIR, 'package.json');
const LOCKFILE_PATH = path.join(LINT_DIR, 'package-lock.json');
const MARKER_PATH = path.join(LINT_DIR, 'node_modules', '.install-complete.json');
const PLUGIN_PACKAGE_JSON_PATH = path.join(
	LINT_DIR,
	'node_modules',
	'@n8n',
	'eslint-plugin-community-nodes',
	'package.json',
);
const NPM_CI_TIMEOUT_MS = 10 * 60 * 1000;

function hashManifest() {
	const hash = crypto.createHash('sha256');
	hash.update(fs.readFileSync(PACKAGE_JSON_PATH));
	hash.update('\0');
	hash.update(fs.readFileSync(LOCKFILE_PATH));
	return hash.digest('hex');
}

function isInstallComplete(manifestSha256) {
	let marker;
	try {
		marker = JSON.parse(fs.readFileSync(MARKER_PATH, 'utf8'));
	} catch {
		return false;
	}
	return marker.manifestSha256 === manifestSha256 && fs.existsSync(PLUGIN_PACKAGE_JSON_PATH);
}

/**
 * Returns the environment for the child npm without the `npm_*` variables that `npm run` exports,
 * because a child npm would read them as its own configuration.
 */
function childNpmEnv() {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!key.startsWith('npm_')) env[key] = value;
	}
	return env;
}

function seconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

function install(manifestSha256) {
	const startedAt = Date.now();
	// npm ci empties node_modules first, which also removes the marker of an older install.
	// Install scripts stay off, as in the root's .npmrc, because the lint needs none of them.
	const args = ['ci', '--ignore-scripts', '--no-audit', '--no-fund'];
	console.log(`install-community-lint: running npm ${args.join(' ')} in ${LINT_DIR}`);
	const result = spawnSync('npm', args, {
		cwd: LINT_DIR,
		env: childNpmEnv(),
		stdio: 'inherit',
		timeout: NPM_CI_TIMEOUT_MS,
	});
	if (result.error) {
		const reason =
			result.error.code === 'ETIMEDOUT' ? `timed out after ${seconds(NPM_CI_TIMEOUT_MS)}` : result.error.message;
		throw new Error(`npm ci in ${LINT_DIR} failed: ${reason}`);
	}
	if (result.status !== 0) {
		const reason = result.signal ? `was ended by ${result.signal}` : `exited with code ${result.status}`;
		throw new Error(`npm ci in ${LINT_DIR} ${reason}`);
	}
	if (!fs.existsSync(PLUGIN_PACKAGE_JSON_PATH)) {
		throw new Error(`npm ci finished, but ${PLUGIN_PACKAGE_JSON_PATH} is missing`);
	}

	const marker = { manifestSha256, installedAt: new Date().toISOString() };
	fs.writeFileSync(MARKER_PATH, `${JSON.stringify(marker, null, '\t')}\n`);
	console.log(`install-community-lint: installed in ${seconds(Date.now() - startedAt)}`);
}

function main() {
	const args = process.argv.slice(2);
	const unknown = args.filter((arg) => arg !== '--force');
	if (unknown.length > 0) {
		throw new Error(`Unknown argument: ${unknown[0]}. Usage: install-community-lint.js [--force]`);
	}

	const manifestSha256 = hashManifest();
	if (!args.includes('--force') && isInstallComplete(manifestSha256)) return;
	install(manifestSha256);
}

try {
	main();
} catch (error) {
	console.error(`install-community-lint: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
}
