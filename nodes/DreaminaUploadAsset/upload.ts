import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	describeAcceptedFiles,
	fileExtensionOf,
	resolveAssetContentType,
} from '../shared/assetContentType';
import type { AssetKind } from '../shared/capabilities';
import { compact } from '../shared/descriptions';
import type { ValidationIssue } from '../shared/errors';
import { assetFileError, RequestValidationError } from '../shared/errors';
import { errorItem, mapWithConcurrency } from '../shared/jobRunner';
import { probeMedia } from '../shared/mediaProbe';
import { assetUploadSchema, validate } from '../shared/schemas';
import type { BinaryStream } from '../shared/transport';
import { apiRequest } from '../shared/transport';
import type { BinaryInput } from './binaryInput';
import { readBinaryInput } from './binaryInput';

/**
 * Uploads at once. Each upload is streamed, so memory does not grow with this number; a few at a
 * time hide the per-request wait for batches of small images without splitting the bandwidth among
 * many large videos.
 */
export const UPLOAD_CONCURRENCY = 3;

/** POST /assets/{account} answer (2026-04-03); `type` is left out for images. */
interface AssetUploadResponse extends IDataObject {
	assetRef: string;
	account: string;
	type?: AssetKind;
	width?: number;
	height?: number;
	duration?: number;
	size?: number;
}

interface PlannedUpload {
	account: string;
	contentType: string;
	kind: AssetKind;
	input: BinaryInput;
}

type Plan = { itemIndex: number } & ({ upload: PlannedUpload } | { invalid: Error });

function describeFileType(input: BinaryInput): string {
	const { mimeType, fileName } = input.binary;
	const extension = fileExtensionOf(input.binary);
	const parts = [
		mimeType ? `MIME type ${mimeType}` : 'no MIME type',
		extension ? `extension .${extension}` : 'no extension',
	];
	return `${fileName ? `"${fileName}"` : 'the file'} has ${parts.join(' and ')}`;
}

/** Reads and checks one item's file; throws a parameter-named error before anything is sent. */
async function planUpload(ctx: IExecuteFunctions, itemIndex: number): Promise<PlannedUpload> {
	const account = String(ctx.getNodeParameter('account', itemIndex, '')).trim();
	const field = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	const chosenType = String(ctx.getNodeParameter('contentType', itemIndex, '') ?? '');
	const input = await readBinaryInput(ctx, itemIndex, field);
	const file = { field, fileName: input.binary.fileName };

	const resolved = resolveAssetContentType(input.binary, chosenType);
	if (!resolved) {
		const issue: ValidationIssue = {
			parameter: 'contentType',
			rule: `${describeFileType(input)}, which Dreamina does not take. It takes ${describeAcceptedFiles()}`,
		};
		throw assetFileError(ctx.getNode(), [issue], file, itemIndex);
	}

	const facts =
		resolved.kind === 'image' ? {} : probeMedia(input.head, input.size, resolved.contentType);
	try {
		validate(assetUploadSchema, {
			account,
			contentType: resolved.contentType,
			size: input.size,
			durationMs: facts.durationMs,
			width: facts.width,
			height: facts.height,
		});
	} catch (error) {
		throw error instanceof RequestValidationError
			? assetFileError(ctx.getNode(), error.issues, file, itemIndex)
			: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
	return { account, contentType: resolved.contentType, kind: resolved.kind!, input };
}

async function upload(
	ctx: IExecuteFunctions,
	itemIndex: number,
	plan: PlannedUpload,
): Promise<INodeExecutionData> {
	const { account, contentType, kind, input } = plan;
	let opened: Buffer | BinaryStream | undefined;
	let response: AssetUploadResponse;
	try {
		response = await apiRequest<AssetUploadResponse>(ctx, {
			method: 'POST',
			path: ['assets', account],
			body: async () => (opened = await input.open()),
			contentType,
			contentLength: input.size,
			context: { action: `upload ${input.binary.fileName ?? 'the file'}`, account, itemIndex },
		});
	} finally {
		if (opened && !Buffer.isBuffer(opened)) opened.destroy();
	}
	const item = ctx.getInputData()[itemIndex];
	return {
		json: compact({
			assetRef: response.assetRef,
			account: response.account ?? account,
			type: response.type ?? kind,
			width: response.width,
			height: response.height,
			duration: response.duration,
			size: response.size ?? input.size,
			fileName: input.binary.fileName,
			mimeType: contentType,
		}),
		binary: item.binary,
		pairedItem: { item: itemIndex },
	};
}

/**
 * Every item's file is read and checked first: when one is invalid nothing is uploaded (with
 * Continue On Fail it becomes an error item and the others go ahead). Uploads are never resent.
 */
export async function uploadAssets(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const continueOnFail = ctx.continueOnFail();
	const plans: Plan[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			plans.push({ itemIndex, upload: await planUpload(ctx, itemIndex) });
		} catch (error) {
			if (!continueOnFail) throw asNodeError(ctx, error, itemIndex);
			plans.push({ itemIndex, invalid: asNodeError(ctx, error, itemIndex) });
		}
	}

	const results: INodeExecutionData[] = new Array(plans.length);
	let firstError: Error | undefined;
	await mapWithConcurrency(plans, UPLOAD_CONCURRENCY, async (plan, index) => {
		if (firstError) return;
		try {
			if ('invalid' in plan) throw plan.invalid;
			results[index] = await upload(ctx, plan.itemIndex, plan.upload);
		} catch (error) {
			if (continueOnFail) results[index] = errorItem(error as Error, plan.itemIndex);
			else firstError ??= error as Error;
		}
	});
	if (firstError) throw firstError;
	return [results];
}

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}
