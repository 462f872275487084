import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { missingBinaryError } from '../shared/errors';
import { MEDIA_PROBE_BYTES } from '../shared/mediaProbe';
import type { BinaryStream } from '../shared/transport';

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
 * The item's file under `field`. Binary data n8n keeps in storage (it has an id: filesystem, S3, …)
 * is measured from its metadata and streamed when sent; binary data held in the item itself
 * (base64) is already in memory and is sent from its buffer.
 */
export async function readBinaryInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
): Promise<BinaryInput> {
	let binary: IBinaryData;
	try {
		binary = ctx.helpers.assertBinaryData(itemIndex, field);
	} catch {
		const present = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
		throw missingBinaryError(ctx.getNode(), field, present, itemIndex);
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
