import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { RequestValidationError, validationError } from '../../shared/errors';
import { errorItem } from '../../shared/jobRunner';
import * as account from './account';
import * as asset from './asset';
import * as job from './job';

type Operation = {
	execute: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;
};

export const resources: Record<string, Record<string, Operation>> = {
	account: account.operations,
	asset: asset.operations,
	job: job.operations,
};

function asNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof RequestValidationError)
		return validationError(ctx.getNode(), error.issues, itemIndex);
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** Runs the chosen operation for every input item, in order; Continue On Fail turns a failure into an item. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = resources[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not known for resource "${resource}"`,
		);
	}

	const output: INodeExecutionData[] = [];
	const items = this.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push(...(await run.execute.call(this, itemIndex)));
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			output.push(errorItem(nodeError, itemIndex));
		}
	}
	return [output];
}
