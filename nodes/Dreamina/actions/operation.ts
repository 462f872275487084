import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ItemParameters } from '../../shared/parameters';

/**
 * An operation of the Dreamina node: `read` takes one item's parameters and checks them (every
 * item is read before any request is sent), `execute` sends the request and shapes the output.
 */
export interface Operation<Args = unknown> {
	read: (
		this: IExecuteFunctions,
		params: ItemParameters,
		itemIndex: number,
	) => Args | Promise<Args>;
	execute: (
		this: IExecuteFunctions,
		args: Args,
		itemIndex: number,
	) => Promise<INodeExecutionData[]>;
}

export function operation<Args>(op: Operation<Args>): Operation<unknown> {
	return op as Operation<unknown>;
}
