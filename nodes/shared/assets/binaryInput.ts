import { createHash } from 'node:crypto';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import type { BinaryStream } from '../transport';
import { missingBinaryError } from './fileErrors';
import { MEDIA_PROBE_BYTES } from './mediaProbe';

/** An input file, measured but not loaded: only its first bytes are read until it is sent. */
export interface BinaryInput {
	binary: IBinaryData;
	field: string;
	size: number;
	/** the first MEDIA_PROBE_BYTES bytes (or the whole file when smaller) */
	head: Buffer;
	/** the file's bytes for sending: a fresh stream for stored binaries, the buffer for in-memory ones */
	open: () => Promise<Buffer | BinaryStream>;
}

async function readHead(stream: BinaryStream, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let length = 0;
	try {
		for await (const chunk of stream) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
			chunks.push(bytes);
			length += bytes.length;
			if (length >= limit) break;
		}
	} finally {
		stream.destroy();
	}
	return Buffer.concat(chunks).subarray(0, limit);
}

async function countBytes(stream: BinaryStream): Promise<number> {
	let length = 0;
	for await (const chunk of stream) length += (chunk as Uint8Array).length;
	return length;
}

/**
 * The item's file under `field`. Binary data n8n keeps in storage (it has an id: filesystem, S3,
 * database) is measured from its metadata and streamed when sent; binary data held in the item
 * itself (base64) is already in memory and is sent from its buffer. `label` names the node
 * parameter that holds the field name, for the error when the item has no such field.
 */
export async function readBinaryInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	label: string,
): Promise<BinaryInput> {
	let binary: IBinaryData;
	try {
		binary = ctx.helpers.assertBinaryData(itemIndex, field);
	} catch {
		const present = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		throw missingBinaryError(ctx.getNode(), { field, label }, present, itemIndex);
	}

	const id = binary.id;
	if (id) {
		const metadata = await ctx.helpers.getBinaryMetadata(id);
		const size =
			typeof metadata.fileSize === 'number' && metadata.fileSize > 0
				? metadata.fileSize
				: await countBytes(await ctx.helpers.getBinaryStream(id));
		const head = await readHead(
			await ctx.helpers.getBinaryStream(id, 64 * 1024),
			MEDIA_PROBE_BYTES,
		);
		return { binary, field, size, head, open: async () => await ctx.helpers.getBinaryStream(id) };
	}

	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
	return {
		binary,
		field,
		size: buffer.length,
		head: buffer.subarray(0, MEDIA_PROBE_BYTES),
		open: async () => buffer,
	};
}

/** The file's SHA-256, streamed: the same file in two places (or items) is uploaded once. */
export async function contentDigest(input: BinaryInput): Promise<string> {
	const hash = createHash('sha256');
	const bytes = await input.open();
	if (Buffer.isBuffer(bytes)) return hash.update(bytes).digest('hex');
	try {
		for await (const chunk of bytes) hash.update(chunk as Uint8Array);
	} finally {
		bytes.destroy();
	}
	return hash.digest('hex');
}
