/** Pieces that the end-to-end suite and the demo share: the packed package and Quivo workflows. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { FAKE_CREDENTIALS } from '../../emulator/server';
import { buildNpmEnv, type CredentialImport, type WorkflowImport } from './n8n';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Credential id that workflows use unless they name another one. */
export const CREDENTIAL_ID = 'quivoE2eCred0001';

/** Manual Trigger node that starts every workflow run with `n8n execute`. */
export const MANUAL_TRIGGER = {
	id: 'start',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Returns the credential "Quivo emulator" for the emulator at `baseUrl`, with an empty session token. */
export function emulatorCredential(baseUrl: string, id = CREDENTIAL_ID): CredentialImport {
	return {
		id,
		name: 'Quivo emulator',
		type: 'quivoApi',
		data: { environment: 'custom', baseUrl, ...FAKE_CREDENTIALS, sessionToken: '' },
	};
}

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

/**
 * Builds Manual Trigger → Input (Set: one item with N entries) → Items (Split Out: N items
 * `{ run }`) → Quivo. Set and Split Out run inside the n8n process without expressions. A Code
 * node would run in n8n 2.x's task runner, which added about 0.8 s to each execution here.
 */
export function quivoWorkflow(id: string, step: QuivoStep): WorkflowImport {
	const credentialId = step.credentialId ?? CREDENTIAL_ID;
	const inputCount = step.inputCount ?? 1;
	const entries = Array.from({ length: inputCount }, (_, run) => ({ run }));
	return {
		id,
		name: `Quivo ${id}`,
		nodes: [
			MANUAL_TRIGGER,
			{
				id: 'input',
				name: 'Input',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ entries }), options: {} },
			},
			{
				id: 'items',
				name: 'Items',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'entries', include: 'noOtherFields', options: {} },
			},
			{
				id: 'quivo',
				name: 'Quivo',
				type: 'n8n-nodes-quivo.quivo',
				typeVersion: 1,
				position: [600, 0],
				parameters: { resource: 'order', operation: 'getAll', ...step.parameters },
				credentials: { quivoApi: { id: credentialId, name: `Quivo ${credentialId}` } },
				...(step.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: {
			Start: { main: [[{ node: 'Input', type: 'main', index: 0 }]] },
			Input: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Quivo', type: 'main', index: 0 }]] },
		},
	};
}

