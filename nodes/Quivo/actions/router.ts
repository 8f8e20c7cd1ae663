import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as order from './order/Order.resource';

type OperationHandler = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject[]>;

const handlers: Record<string, Record<string, OperationHandler>> = {
	order: { getAll: order.getAll.execute },
};

/** Runs the selected resource's operation for one input item. */
export async function route(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const resource = this.getNodeParameter('resource', itemIndex) as string;
	const operation = this.getNodeParameter('operation', itemIndex) as string;

	const handler = handlers[resource]?.[operation];
	if (handler === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for resource "${resource}"`,
			{ itemIndex, description: 'Choose another operation, or update the Quivo node package.' },
		);
	}
	return await handler.call(this, itemIndex);
}
