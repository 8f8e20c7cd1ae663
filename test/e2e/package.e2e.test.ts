/**
 * Checks the packed package as n8n installs it: only what n8n needs, every file the `n8n` field
 * names, icons beside them, no runtime dependencies, and no import n8n does not provide.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { buildNpmEnv } from './support/n8n';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	n8n: { credentials: string[]; nodes: string[] };
};

/** Modules that n8n provides at run time: n8n-workflow and Node's crypto (n8n's own lint allows it). */
const ALLOWED_IMPORTS = new Set(['n8n-workflow', 'node:crypto', 'crypto']);

let packedFiles: string[];

beforeAll(() => {
	const output = execFileSync('npm', ['pack', '--dry-run', '--json'], {
		cwd: REPO_ROOT,
		env: buildNpmEnv(),
		encoding: 'utf8',
	});
	const [{ files }] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
	packedFiles = files.map((file) => file.path);
});

describe('packed package', () => {
	test('contains only what n8n needs', () => {
		const unexpected = packedFiles.filter(
			(file) => !file.startsWith('dist/') && !['package.json', 'index.js', 'README.md', 'README.de.md'].includes(file),
		);
		expect(unexpected).toEqual([]);
		expect(packedFiles.filter((file) => /(^|\/)(test|scripts|\.cache)\//.test(file))).toEqual([]);
	});

	test('has every file the n8n field names', () => {
		for (const file of [...packageJson.n8n.credentials, ...packageJson.n8n.nodes]) {
			expect(packedFiles).toContain(file);
		}
	});

	test('has each icon beside its file', () => {
		for (const file of [...packageJson.n8n.credentials, ...packageJson.n8n.nodes]) {
			const source = readFileSync(path.join(REPO_ROOT, file), 'utf8');
			const icons = [...source.matchAll(/file:([\w.-]+\.(?:svg|png))/g)].map((match) => match[1]);
			expect(icons.length).toBeGreaterThan(0);
			for (const icon of icons) expect(packedFiles).toContain(path.posix.join(path.posix.dirname(file), icon));
		}
	});

	test('has no runtime dependencies', () => {
		expect(packageJson.dependencies ?? {}).toEqual({});
		expect(Object.keys(packageJson.peerDependencies ?? {})).toEqual(['n8n-workflow']);
	});

	test('imports only what n8n provides', () => {
		const imports = new Set<string>();
		for (const file of packedFiles.filter((name) => name.endsWith('.js'))) {
			const source = readFileSync(path.join(REPO_ROOT, file), 'utf8');
			for (const match of source.matchAll(/require\(["']([^"']+)["']\)/g)) {
				if (!match[1].startsWith('.')) imports.add(match[1]);
			}
		}
		expect([...imports].filter((name) => !ALLOWED_IMPORTS.has(name))).toEqual([]);
		expect(imports.has('n8n-workflow')).toBe(true);
	});
});
