import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

import { accountOfRef } from './assetRef';
import { submitAndWaitForCallback } from './callbackWait';
import { itemZeroReader, readWaitSettings } from './descriptions';
import { RequestValidationError, validationError } from './errors';
import type { JobKind } from './jobs';
import type { JobPlan } from './jobRunner';
import { runJobs } from './jobRunner';
import { validate } from './schemas';

export interface GenerationSpec {
	kind: JobKind;
	/** API path of the POST, e.g. ['videos'] */
	path: string[];
	/** The request for one item, as the API takes it (empty fields left out). */
	buildRequest: (ctx: IExecuteFunctions, itemIndex: number) => IDataObject;
	/** The schema this item's request must pass (it may depend on the item's input mode). */
	schemaFor: (ctx: IExecuteFunctions, itemIndex: number) => z.ZodTypeAny;
	/** Why a key from another request shape can't be sent here. */
	unexpectedKey?: (ctx: IExecuteFunctions, itemIndex: number, key: string) => string;
}

/** The account a request runs on: the one named, else the one its assetRefs belong to. */
export function accountOfRequest(body: IDataObject): string | undefined {
	if (typeof body.account === 'string') return body.account;
	for (const [key, value] of Object.entries(body)) {
		if (/Ref(_\d+)?$/.test(key) && typeof value === 'string') {
			const account = accountOfRef(value);
			if (account) return account;
		}
	}
	return undefined;
}

/**
 * Execute for every node that creates jobs: build and validate every item's request first (nothing is
 * sent if one is invalid), then submit, wait and download through the shared job runner.
 */
export async function executeGeneration(
	ctx: IExecuteFunctions,
	spec: GenerationSpec,
): Promise<INodeExecutionData[][]> {
	const plans: JobPlan[] = ctx.getInputData().map((_item, itemIndex) => {
		try {
			const body = validate(
				spec.schemaFor(ctx, itemIndex),
				spec.buildRequest(ctx, itemIndex),
				spec.unexpectedKey ? (key) => spec.unexpectedKey!(ctx, itemIndex, key) : undefined,
			) as IDataObject;
			return {
				itemIndex,
				submit: { kind: spec.kind, path: spec.path, body, account: accountOfRequest(body) },
			};
		} catch (error) {
			if (error instanceof RequestValidationError) {
				return { itemIndex, invalid: validationError(ctx.getNode(), error.issues, itemIndex) };
			}
			return {
				itemIndex,
				invalid:
					error instanceof NodeOperationError
						? error
						: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex }),
			};
		}
	});
	const settings = readWaitSettings(itemZeroReader(ctx));
	if (settings.mode === 'callback') return await submitAndWaitForCallback(ctx, plans, settings);
	return [await runJobs(ctx, plans, settings)];
}
