/**
 * Checks the harness that drives a real n8n (test/e2e/support/n8n.ts) with built-in nodes and a
 * tiny community package, before any test depends on it for the Quivo node.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { buildNpmEnv, N8nCli, nodeError, outputItems, type WorkflowImport } from './support/n8n';

jest.setTimeout(120_000);

const PROBE_PACKAGE = 'n8n-nodes-e2e-probe';

const PROBE_NODE_SOURCE = `'use strict';

class E2eProbe {
	constructor() {
		this.description = {
			displayName: 'E2E Probe',
			name: 'e2eProbe',
			group: ['transform'],
			version: 1,
			description: 'Returns one fixed item',
			defaults: { name: 'E2E Probe' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		};
	}

	async execute() {
		return [[{ json: { probe: true } }]];
	}
}

module.exports = { E2eProbe };
`;

/** Builds a workflow of a Manual Trigger named "Start" followed by `node`. */
function manualWorkflow(id: string, node: { name: string; type: string; typeVersion: number; parameters: object }): WorkflowImport {
	return {
		id,
		name: `Harness ${id}`,
		nodes: [
			{
				id: 'node-start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{ id: 'node-under-test', position: [220, 0], ...node },
		],
		connections: {
			Start: { main: [[{ node: node.name, type: 'main', index: 0 }]] },
		},
	};
}

/** Packs a community package with one node into `dir` and returns the tarball path. */
async function packProbePackage(dir: string): Promise<string> {
	const packageDir = path.join(dir, 'package-source');
	await fs.mkdir(path.join(packageDir, 'nodes'), { recursive: true });
	const packageJson = {
		name: PROBE_PACKAGE,
		version: '0.0.1',
		description: 'Community package that only checks the install path of the e2e harness',
		keywords: ['n8n-community-node-package'],
		license: 'MIT',
		files: ['nodes'],
		n8n: { n8nNodesApiVersion: 1, nodes: ['nodes/E2eProbe.node.js'], credentials: [] },
		peerDependencies: { 'n8n-workflow': '*' },
		devDependencies: { typescript: '5.9.3' },
	};
	await fs.writeFile(path.join(packageDir, 'package.json'), JSON.stringify(packageJson, null, '\t'));
	await fs.writeFile(path.join(packageDir, 'nodes', 'E2eProbe.node.js'), PROBE_NODE_SOURCE);

	const packOutput = execFileSync('npm', ['pack', '--json', `--pack-destination=${dir}`], {
		cwd: packageDir,
		env: buildNpmEnv(),
		encoding: 'utf8',
	});
	const [packed] = JSON.parse(packOutput) as Array<{ filename: string }>;
	return path.join(dir, packed.filename);
}

describe('n8n command-line harness', () => {
	let n8n: N8nCli;

	beforeAll(async () => {
		n8n = await N8nCli.create();
	});

	afterAll(async () => {
		await n8n?.dispose();
	});

	test('executes Set node workflow', async () => {
		await n8n.importWorkflow(
			manualWorkflow('harnessSet', {
				name: 'Set',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: {
					assignments: {
						assignments: [{ id: 'assignment-1', name: 'greeting', value: 'hello', type: 'string' }],
					},
					options: {},
				},
			}),
		);

		const result = await n8n.execute('harnessSet');

		expect(result.exitCode).toBe(0);
		expect(result.data?.status).toBe('success');
		expect(outputItems(result, 'Set')).toEqual([{ json: { greeting: 'hello' }, pairedItem: { item: 0 } }]);
	});

	test('reports node error with exit code 1', async () => {
		await n8n.importWorkflow(
			manualWorkflow('harnessError', {
				name: 'Fail',
				type: 'n8n-nodes-base.stopAndError',
				typeVersion: 1,
				parameters: { errorMessage: 'probe failure' },
			}),
		);

		const result = await n8n.execute('harnessError');

		expect(result.exitCode).toBe(1);
		expect(result.data?.status).toBe('error');
		expect(result.data?.data.resultData.error?.message).toBe('probe failure');
		expect(nodeError(result, 'Fail')?.message).toBe('probe failure');
		expect(nodeError(result, 'Start')).toBeUndefined();
		expect(() => outputItems(result, 'Fail')).toThrow('failed with: probe failure');
	});

	test('round-trips credential data', async () => {
		const data = { name: 'X-Fake-Header', value: 'fake-header-value-for-e2e' };

		await n8n.importCredentials([{ id: 'harnessCred1', name: 'Fake header', type: 'httpHeaderAuth', data }]);
		const exported = await n8n.exportCredential('harnessCred1');

		expect(exported).toEqual(data);
		expect(n8n.logs).not.toContain(data.value);
	});

	test('installs community package tarball', async () => {
		const packDir = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-probe-'));
		try {
			const tarball = await packProbePackage(packDir);
			await n8n.installCommunityPackage(tarball);
		} finally {
			await fs.rm(packDir, { recursive: true, force: true });
		}

		const nodesDir = path.join(n8n.userFolder, '.n8n', 'nodes');
		const installed = JSON.parse(
			await fs.readFile(path.join(nodesDir, 'node_modules', PROBE_PACKAGE, 'package.json'), 'utf8'),
		) as Record<string, unknown>;
		const nodesManifest = JSON.parse(await fs.readFile(path.join(nodesDir, 'package.json'), 'utf8')) as {
			dependencies: Record<string, string>;
		};
		expect(installed.devDependencies).toBeUndefined();
		expect(installed.peerDependencies).toBeUndefined();
		expect(nodesManifest.dependencies[PROBE_PACKAGE]).toBe('0.0.1');

		await n8n.importWorkflow(
			manualWorkflow('harnessProbe', {
				name: 'Probe',
				type: `${PROBE_PACKAGE}.e2eProbe`,
				typeVersion: 1,
				parameters: {},
			}),
		);
		const result = await n8n.execute('harnessProbe');

		expect(result.exitCode).toBe(0);
		expect(outputItems(result, 'Probe').map((item) => item.json)).toEqual([{ probe: true }]);
	});
});
