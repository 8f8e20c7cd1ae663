import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import * as order from './actions/order/Order.resource';
import { route } from './actions/router';
import { isSessionFailure, repeatSessionFailure } from './transport/errors';

export class Quivo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Quivo',
		name: 'quivo',
		icon: { light: 'file:quivo.svg', dark: 'file:quivo.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Automate fulfillment with the Quivo API',
		defaults: { name: 'Quivo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'quivoApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Order', value: 'order' }],
				default: 'order',
			},
			...order.description,
		],
	};

	/**
	 * Processes the input items one after another, so one login serves them all. After a failed
	 * login the remaining items fail without calling Quivo again.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const returnData: INodeExecutionData[] = [];
		let sessionFailure: Error | undefined;

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				if (sessionFailure !== undefined) {
					throw repeatSessionFailure(this.getNode(), sessionFailure, itemIndex);
				}
				const results = await route.call(this, itemIndex);
				const executionData = this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(results), {
					itemData: { item: itemIndex },
				});
				// A loop, not push(...spread): spreading some 125,000 items exceeds the call stack.
				for (const entry of executionData) returnData.push(entry);
			} catch (error) {
				if (sessionFailure === undefined && isSessionFailure(error)) sessionFailure = error as Error;
				if (this.continueOnFail()) {
					returnData.push({
						json: { error: (error as Error).message },
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				if (error instanceof NodeApiError || error instanceof NodeOperationError) {
					/* eslint-disable-next-line @n8n/community-nodes/require-node-api-error --
					   The transport and the operations build these with the item index. Wrapping a NodeApiError
					   in a NodeOperationError would keep its message but drop its HTTP status and context. */
					throw error;
				}
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
		}

		return [returnData];
	}
}
