import { Container } from '@n8n/di';
import { ExecuteContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsHelper,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { QuivoApi } from '../../credentials/QuivoApi.credentials';
import { Quivo } from '../../nodes/Quivo/Quivo.node';

const quivoApi = new QuivoApi();

/**
 * Stores one Quivo credential in memory and calls its hooks the way n8n 1.123's CredentialsHelper
 * does: log in when the expirable token is empty or a request got a 401, save what the hook
 * returns, and resolve the `authenticate` headers with n8n's expression engine. Unit tests only;
 * the end-to-end suite checks the same cycle in a real n8n.
 */
export class MemoryCredentialsHelper implements ICredentialsHelper {
	readonly saved: ICredentialDataDecryptedObject[] = [];

	constructor(public data: ICredentialDataDecryptedObject) {}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const headers: IDataObject = { ...(requestOptions.headers ?? {}) };
		for (const [name, value] of Object.entries(quivoApi.authenticate.properties.headers ?? {})) {
			headers[name] = workflow.expression.getSimpleParameterValue(
				node,
				value as string,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			) as string;
		}
		return { ...requestOptions, headers };
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		if (credentials.sessionToken !== '' && !credentialsExpired) return undefined;
		const output = await quivoApi.preAuthentication.call(helpers, credentials);
		this.data = { ...this.data, ...output };
		this.saved.push(output);
		return Object.assign(credentials, output);
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the Quivo node');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data = { ...data };
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return quivoApi.properties;
	}
}

const nodeTypes: INodeTypes = {
	getByName: () => new Quivo() as INodeType,
	getByNameAndVersion: () => new Quivo() as INodeType,
	getKnownTypes: () => ({}),
};

export interface ExecuteOptions {
	parameters: IDataObject;
	credentials: MemoryCredentialsHelper;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
}

/** Runs the Quivo node's `execute` in n8n-core's own ExecuteContext. */
export async function executeQuivoNode(options: ExecuteOptions): Promise<INodeExecutionData[][]> {
	const items = options.items ?? [{ json: {} }];
	const node: INode = {
		id: 'quivo-node',
		name: 'Quivo',
		type: 'n8n-nodes-quivo.quivo',
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: { quivoApi: { id: 'quivo-credential', name: 'Quivo account' } },
		onError: options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
	};
	const workflow = new Workflow({
		id: 'unit-test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const additionalData = {
		credentialsHelper: options.credentials,
		currentNodeParameters: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	const runExecutionData = createRunExecutionData();
	const executeData: IExecuteData = { node, data: { main: [items] }, source: null };

	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'manual',
		runExecutionData,
		0,
		items,
		{ main: [items] },
		executeData,
		[],
	);
	return await new Quivo().execute.call(context);
}

/**
 * Stops the timer that n8n-core's SSH client manager starts with the first ExecuteContext,
 * so that jest can exit. Call it in `afterAll` of suites that use `executeQuivoNode`.
 */
export function stopN8nBackgroundTimers(): void {
	const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager') as {
		SSHClientsManager: new () => { onShutdown(): void };
	};
	Container.get(SSHClientsManager).onShutdown();
}
