import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { planItems, runPlans } from '../../shared/itemRunner';
import { ItemParameters } from '../../shared/parameters';
import * as account from './account';
import * as asset from './asset';
import * as job from './job';
import type { Operation } from './operation';

export const resources: Record<string, Record<string, Operation>> = {
	account: account.operations,
	asset: asset.operations,
	job: job.operations,
};

/**
 * Reads every item's parameters first (nothing is sent when one is wrong, unless Continue On Fail),
 * then runs the chosen operation for each item in order, one at a time.
 */
export async function router(
	this: IExecuteFunctions,
	properties: INodeProperties[],
): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const op = resources[resource]?.[operationName];
	if (!op) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not known for resource "${resource}"`,
		);
	}
	const plans = await planItems(
		this,
		async (itemIndex) => await op.read.call(this, new ItemParameters(this, itemIndex), itemIndex),
		properties,
	);
	const output = await runPlans(this, plans, {
		concurrency: 1,
		run: async (args, itemIndex) => await op.execute.call(this, args, itemIndex),
	});
	return [output];
}
