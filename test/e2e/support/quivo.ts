/** Pieces that the end-to-end suite and the demo share: the packed package and Quivo workflows. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { buildNpmEnv, type WorkflowImport } from './n8n';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Credential id that workflows use unless they name another one. */
export const CREDENTIAL_ID = 'quivoE2eCred0001';

/** Packs the built package as `npm publish` would and returns the tarball path. */
export function packPackage(destination: string): string {
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: REPO_ROOT,
		env: buildNpmEnv(),
		encoding: 'utf8',
	});
	const [{ filename }] = JSON.parse(output) as Array<{ filename: string }>;
	return path.join(destination, filename);
}

export interface QuivoStep {
	parameters: Record<string, unknown>;
	credentialId?: string;
	continueOnFail?: boolean;
	inputCount?: number;
}

/** Builds Manual Trigger → (Code node making N items) → Quivo. */
export function quivoWorkflow(id: string, step: QuivoStep): WorkflowImport {
	const credentialId = step.credentialId ?? CREDENTIAL_ID;
	const inputCount = step.inputCount ?? 1;
	return {
		id,
		name: `Quivo ${id}`,
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'items',
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode: `return Array.from({ length: ${inputCount} }, (_, run) => ({ json: { run } }));` },
			},
			{
				id: 'quivo',
				name: 'Quivo',
				type: 'n8n-nodes-quivo.quivo',
				typeVersion: 1,
				position: [400, 0],
				parameters: { resource: 'order', operation: 'getAll', ...step.parameters },
				credentials: { quivoApi: { id: credentialId, name: `Quivo ${credentialId}` } },
				...(step.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Quivo', type: 'main', index: 0 }]] },
		},
	};
}

