/**
 * Child process of the benchmark, variant "fetch loop through n8n's request helper": the loop of
 * fetch-loop.ts, but every request goes through `this.helpers.httpRequest` of n8n-core's
 * ExecuteContext (axios) with the request options the Quivo node uses, and without a credential.
 * Compared with run-fetch.ts it measures n8n's HTTP stack; compared with run-node.ts, the node's
 * own code and n8n's per-request authentication.
 */
import { ExecuteContext } from 'n8n-core';
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { FAKE_CREDENTIALS } from '../../test/emulator/server';
import { stopN8nBackgroundTimers } from '../../test/support/execute-node';
import { type ListedOrder, PAGE_SIZE } from './fetch-loop';
import { CHILD_ENV, measureCall, requireEnv, runChild } from './protocol';

/** A node type without parameters, only so that n8n-core can build an ExecuteContext. */
const loopNodeType: INodeType = {
	description: {
		displayName: 'Fetch Loop',
		name: 'fetchLoop',
		group: ['transform'],
		version: 1,
		description: 'Benchmark loop',
		defaults: { name: 'Fetch Loop' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
};

function createContext(): IExecuteFunctions {
	const items: INodeExecutionData[] = [{ json: {} }];
	const node: INode = { id: 'fetch-loop', name: 'Fetch Loop', type: 'bench.fetchLoop', typeVersion: 1, position: [0, 0], parameters: {} };
	const nodeTypes: INodeTypes = {
		getByName: () => loopNodeType,
		getByNameAndVersion: () => loopNodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ id: 'bench', nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = { currentNodeParameters: undefined } as unknown as IWorkflowExecuteAdditionalData;
	return new ExecuteContext(workflow, node, additionalData, 'manual', createRunExecutionData(), 0, items, { main: [items] }, { node, data: { main: [items] }, source: null }, []);
}

/** Sends one request with the options of the node's quivoApiRequest and parses the body as JSON. */
async function requestJson(context: IExecuteFunctions, options: IHttpRequestOptions): Promise<unknown> {
	const response = (await context.helpers.httpRequest({
		...options,
		json: true,
		encoding: 'arraybuffer',
		timeout: 60_000,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as IN8nHttpFullResponse;
	const text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body);
	if (response.statusCode !== 200) throw new Error(`${options.method ?? 'GET'} ${options.url} failed with HTTP ${response.statusCode}: ${text}`);
	return JSON.parse(text) as unknown;
}

async function fetchAllOrders(context: IExecuteFunctions, baseUrl: string, token: string): Promise<ListedOrder[]> {
	const orders: ListedOrder[] = [];
	let searchAfter: string | undefined;
	for (;;) {
		const qs: Record<string, string | number> = { sort: 'orderId:desc', pageSize: PAGE_SIZE };
		if (searchAfter !== undefined) qs.searchAfter = searchAfter;
		const headers = { 'X-Api-Key': FAKE_CREDENTIALS.apiKey, Authorization: token };
		const page = (await requestJson(context, { method: 'GET', url: `${baseUrl}/orders`, qs, headers })) as ListedOrder[];
		for (const order of page) orders.push(order);

		if (page.length < PAGE_SIZE) return orders;
		searchAfter = JSON.stringify(page[page.length - 1].sort);
	}
}

async function main(): Promise<void> {
	const baseUrl = requireEnv(CHILD_ENV.baseUrl);
	const context = createContext();

	await measureCall(async () => {
		const login = (await requestJson(context, {
			method: 'POST',
			url: `${baseUrl}/login`,
			headers: { 'X-Api-Key': FAKE_CREDENTIALS.apiKey },
			body: { username: FAKE_CREDENTIALS.username, password: FAKE_CREDENTIALS.password },
		})) as { Token: string };
		return await fetchAllOrders(context, baseUrl, login.Token);
	}, (order) => order.orderId);
	stopN8nBackgroundTimers();
}

runChild(main);
