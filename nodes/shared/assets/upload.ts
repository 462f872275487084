import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AssetKind } from '../capabilities';
import { compact } from '../objects';
import type { BinaryStream } from '../transport';
import { apiRequest } from '../transport';
import type { BinaryInput } from './binaryInput';
import { contentDigest, readBinaryInput } from './binaryInput';
import type { FileSource, NameField } from './fileErrors';
import { assetFileError } from './fileErrors';
import type { InspectedFile } from './inspect';
import { inspectAssetFile } from './inspect';

/** A file of an input item, read and checked, ready to upload. */
export interface CheckedFile {
	input: BinaryInput;
	file: InspectedFile;
	source: FileSource;
}

/** POST /assets/{account} answer (2026-04-03); `type` is left out for images. */
export interface UploadedAsset extends IDataObject {
	assetRef: string;
	account: string;
	type: AssetKind;
	width?: number;
	height?: number;
	duration?: number;
	size: number;
	fileName?: string;
	mimeType: string;
}

/**
 * Reads an item's binary field and checks the file the way the API will (type by its bytes, size,
 * duration, picture size): a file the API would refuse stops the item before anything is sent.
 */
export async function checkBinaryFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	source: { field: string; label: string },
	options: { contentType?: string; expectedKind?: AssetKind; nameField?: NameField } = {},
): Promise<CheckedFile> {
	const input = await readBinaryInput(ctx, itemIndex, source.field, source.label);
	const fileSource: FileSource = { ...source, fileName: input.binary.fileName };
	const inspected = inspectAssetFile(
		{
			head: input.head,
			size: input.size,
			mimeType: input.binary.mimeType,
			fileName: input.binary.fileName,
			fileExtension: input.binary.fileExtension,
		},
		options.contentType,
		options.expectedKind,
	);
	if ('issues' in inspected) {
		throw assetFileError(ctx.getNode(), inspected.issues, fileSource, itemIndex, options.nameField);
	}
	return { input, file: inspected.file, source: fileSource };
}

/** Streams one file to POST /assets/{account}; an upload is sent once (it is not resent on errors). */
export async function uploadFile(
	ctx: IExecuteFunctions,
	account: string,
	checked: CheckedFile,
	itemIndex: number,
): Promise<UploadedAsset> {
	const { input, file } = checked;
	let opened: Buffer | BinaryStream | undefined;
	let response: Partial<UploadedAsset>;
	try {
		response = await apiRequest<Partial<UploadedAsset>>(ctx, {
			method: 'POST',
			path: ['assets', account],
			body: async () => (opened = await input.open()),
			contentType: file.contentType,
			contentLength: input.size,
			context: { action: `upload ${input.binary.fileName ?? 'the file'}`, account, itemIndex },
		});
	} finally {
		if (opened && !Buffer.isBuffer(opened)) opened.destroy();
	}
	return compact({
		assetRef: response.assetRef,
		account: response.account ?? account,
		type: response.type ?? file.kind,
		width: response.width ?? file.width,
		height: response.height ?? file.height,
		duration: response.duration,
		size: response.size ?? input.size,
		fileName: input.binary.fileName,
		mimeType: file.contentType,
	}) as UploadedAsset;
}

/**
 * Uploads of one execution, so the same file (by its bytes) for the same account is uploaded
 * once: used twice in an item, in several items, or again when n8n's Retry On Fail runs the node
 * again. A failed upload is forgotten (uploads cost no credits; the next try sends it again).
 */
const uploadsByExecution = new Map<string, { touchedAt: number; uploads: Map<string, Promise<UploadedAsset>> }>();
const EXECUTION_MEMORY_MS = 24 * 3_600_000;

function executionUploads(ctx: IExecuteFunctions): Map<string, Promise<UploadedAsset>> {
	const key = `${ctx.getExecutionId() ?? 'no-execution'}/${ctx.getNode().id ?? ctx.getNode().name}`;
	const now = Date.now();
	for (const [other, entry] of uploadsByExecution) {
		if (now - entry.touchedAt > EXECUTION_MEMORY_MS) uploadsByExecution.delete(other);
	}
	let entry = uploadsByExecution.get(key);
	if (!entry) uploadsByExecution.set(key, (entry = { touchedAt: now, uploads: new Map() }));
	entry.touchedAt = now;
	return entry.uploads;
}

export async function uploadOnce(
	ctx: IExecuteFunctions,
	account: string,
	checked: CheckedFile,
	itemIndex: number,
): Promise<UploadedAsset> {
	const uploads = executionUploads(ctx);
	const key = `${account}/${await contentDigest(checked.input)}`;
	let upload = uploads.get(key);
	if (!upload) {
		upload = uploadFile(ctx, account, checked, itemIndex);
		uploads.set(key, upload);
		upload.catch(() => uploads.delete(key));
	}
	return await upload;
}
