import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { parameterTypeError, RequestValidationError, validationError } from './errors';
import { fieldNamer, propertyLabel } from './labels';
import { ParameterTypeError } from './parameters';

/**
 * How every node runs its input items: plan each item first (read and check its parameters and
 * files; nothing is sent when one is invalid, unless Continue On Fail), then run the plans with a
 * concurrency limit, and put out one result per input item, in input order, paired with it.
 */
export type NodeError = NodeApiError | NodeOperationError;

export type ItemPlan<T> = { itemIndex: number } & ({ task: T } | { error: NodeError });

/**
 * Any error as the n8n error shown for it, on the item it belongs to. `properties` (the node's)
 * name the parameter of a type error as the editor shows it.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	properties: INodeProperties[] = [],
): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof RequestValidationError) {
		const sources = Object.fromEntries(
			error.issues.map((i) => [i.parameter, i.path ?? i.parameter]),
		);
		return validationError(node, error.issues, itemIndex, fieldNamer(properties, sources));
	}
	if (error instanceof ParameterTypeError) {
		const label = propertyLabel(properties, error.path) ?? error.path;
		return parameterTypeError(node, error, itemIndex, label);
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * The item put out for a failed input item, so that n8n routes it (WorkflowExecute in n8n-core):
 * with *Continue (using error output)* an item whose JSON has no keys but `error`, `message` and
 * `details` goes to the error output, so the description and jobid go under `details`; with
 * *Continue (using regular output)* it stays on the main output as `{ error, description, jobid }`.
 * (An item carrying `error` itself would be routed too, but n8n then replaces its JSON with the
 * message alone, and the jobid would be lost: the job may have cost credits and can still be read.)
 */
export function failedItem(node: INode, error: NodeError, itemIndex: number): INodeExecutionData {
	const facts: IDataObject = {};
	if (error.description) facts.description = error.description;
	const jobid = error.context?.jobid;
	if (typeof jobid === 'string') facts.jobid = jobid;
	if (node.onError !== 'continueErrorOutput') {
		return { json: { error: error.message, ...facts }, pairedItem: { item: itemIndex } };
	}
	if (error instanceof NodeApiError && error.httpCode) facts.httpCode = error.httpCode;
	return { json: { error: error.message, details: facts }, pairedItem: { item: itemIndex } };
}

/**
 * Plans every input item. When any item can't be planned, its error is thrown before anything is
 * sent (the whole batch stops), unless the node continues on fail: then it becomes that item's output.
 */
export async function planItems<T>(
	ctx: IExecuteFunctions,
	plan: (itemIndex: number) => Promise<T> | T,
	properties: INodeProperties[] = [],
): Promise<Array<ItemPlan<T>>> {
	const plans: Array<ItemPlan<T>> = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			plans.push({ itemIndex, task: await plan(itemIndex) });
		} catch (error) {
			plans.push({ itemIndex, error: toNodeError(ctx.getNode(), error, itemIndex, properties) });
		}
	}
	const failed = plans.find((p): p is ItemPlan<T> & { error: NodeError } => 'error' in p);
	if (failed && !ctx.continueOnFail()) throw failed.error;
	return plans;
}

export interface RunOptions<T> {
	/** how many items run at once */
	concurrency: number;
	/** the output items for one planned item; `signal` aborts when the run stops */
	run: (task: T, itemIndex: number, signal: AbortSignal) => Promise<INodeExecutionData[]>;
}

/**
 * Runs the plans: at most `concurrency` at once. A failure becomes the item's output with Continue
 * On Fail; otherwise no further item starts (each may cost credits), running ones are told to stop,
 * and the first failure is thrown once they have.
 */
export async function runPlans<T>(
	ctx: IExecuteFunctions,
	plans: Array<ItemPlan<T>>,
	{ concurrency, run }: RunOptions<T>,
): Promise<INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	const stop = new AbortController();
	const cancel = ctx.getExecutionCancelSignal();
	const signal = cancel ? AbortSignal.any([cancel, stop.signal]) : stop.signal;
	const results: INodeExecutionData[][] = new Array(plans.length);
	let firstError: NodeError | undefined;

	await mapWithConcurrency(plans, concurrency, async (plan, index) => {
		if (signal.aborted) return;
		try {
			if ('error' in plan) throw plan.error;
			results[index] = await run(plan.task, plan.itemIndex, signal);
		} catch (error) {
			const nodeError = toNodeError(ctx.getNode(), error, plan.itemIndex);
			if (continueOnFail && !cancel?.aborted) {
				results[index] = [failedItem(ctx.getNode(), nodeError, plan.itemIndex)];
			} else {
				firstError ??= nodeError;
				stop.abort();
			}
		}
	});
	if (firstError) throw firstError;
	return results.flat();
}

/** Runs `worker` for every item, at most `limit` at a time, in order of the items. */
export async function mapWithConcurrency<T>(
	items: T[],
	limit: number,
	worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
		while (next < items.length) {
			const index = next++;
			await worker(items[index], index);
		}
	});
	await Promise.all(runners);
}

/** Reads a setting the whole run shares (from the first item): its errors name the field too. */
export function readRunSetting<T>(
	ctx: IExecuteFunctions,
	properties: INodeProperties[],
	read: () => T,
): T {
	try {
		return read();
	} catch (error) {
		throw toNodeError(ctx.getNode(), error, 0, properties);
	}
}
