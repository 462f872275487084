import type {
	BinaryHelperFunctions,
	IBinaryKeyData,
	IN8nHttpFullResponse,
	RequestHelperFunctions,
} from 'n8n-workflow';

import type { RequestContext } from '../errors';
import { downloadError, networkCodeOf, networkError } from '../errors';
import type { JobRecord } from './records';
import { sleep } from '../sleep';
import type { ApiContext, BinaryStream } from '../transport';
import { READ_RETRY_DELAYS_MS } from '../transport';

export interface ResultFile {
	url: string;
	fileName: string;
	mimeType: string;
}

const MIME_BY_FORMAT: Record<string, string> = {
	jpeg: 'image/jpeg',
	jpg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	mp4: 'video/mp4',
};

/** `j0223140530123456789v-u12345-…` → `j0223140530123456789v`: unique and safe in a file name. */
function shortJobId(jobid: string): string {
	return jobid.split('-')[0].replace(/[^A-Za-z0-9]/g, '') || 'job';
}

function extensionOfUrl(url: string): string | undefined {
	try {
		return /\.([a-z0-9]{2,4})$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
	} catch {
		return undefined;
	}
}

/** The files a finished job produced: its video, or each of its images. */
export function resultFiles(job: JobRecord): ResultFile[] {
	const response = job.response ?? {};
	const name = `dreamina-${job.type ?? 'job'}-${shortJobId(job.jobid)}`;
	if (typeof response.videoUrl === 'string') {
		return [{ url: response.videoUrl, fileName: `${name}.mp4`, mimeType: 'video/mp4' }];
	}
	const images = Array.isArray(response.images)
		? (response.images as Array<Record<string, unknown>>)
		: [];
	return images
		.filter((image) => typeof image.imageUrl === 'string')
		.map((image, index) => {
			const url = image.imageUrl as string;
			const format = String(image.format ?? extensionOfUrl(url) ?? 'jpeg').toLowerCase();
			const extension = format === 'jpeg' ? 'jpg' : format;
			return {
				url,
				fileName: `${name}${images.length > 1 ? `-${index + 1}` : ''}.${extension}`,
				mimeType: MIME_BY_FORMAT[format] ?? 'image/jpeg',
			};
		});
}

/** `data`, `data_1`, `data_2`, … — n8n's convention for several files in one item. */
export function binaryPropertyNames(base: string, count: number): string[] {
	return Array.from({ length: count }, (_, i) => (i === 0 ? base : `${base}_${i}`));
}

/** What a download needs: execute and webhook contexts both have it. */
export type DownloadContext = ApiContext & {
	helpers: Pick<RequestHelperFunctions, 'httpRequest'> &
		Pick<BinaryHelperFunctions, 'prepareBinaryData'>;
};

/**
 * Streams a job's result files into n8n binary data (never whole in memory). Result URLs are CDN
 * links, not the API: they are fetched without the credential, so the token never leaves for them.
 */
export async function downloadResults(
	ctx: DownloadContext,
	job: JobRecord,
	binaryProperty: string,
	itemIndex: number,
): Promise<IBinaryKeyData> {
	const files = resultFiles(job);
	const names = binaryPropertyNames(binaryProperty, files.length);
	const binary: IBinaryKeyData = {};
	for (const [index, file] of files.entries()) {
		const context: RequestContext = {
			action: `download ${file.fileName}`,
			jobid: job.jobid,
			itemIndex,
		};
		const stream = await openDownload(ctx, file, context);
		const contentType = String(stream.headers['content-type'] ?? '')
			.split(';')[0]
			.trim();
		const mimeType =
			contentType && contentType !== 'application/octet-stream' ? contentType : file.mimeType;
		binary[names[index]] = await ctx.helpers.prepareBinaryData(
			stream.body,
			file.fileName,
			mimeType,
		);
	}
	return binary;
}

async function openDownload(
	ctx: DownloadContext,
	{ url, fileName }: ResultFile,
	context: RequestContext,
): Promise<{ body: BinaryStream; headers: Record<string, unknown> }> {
	const signal = ctx.getExecutionCancelSignal?.();
	for (let attempt = 0; ; attempt++) {
		let response: IN8nHttpFullResponse;
		try {
			response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				abortSignal: signal,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			if (signal?.aborted || attempt >= READ_RETRY_DELAYS_MS.length) {
				throw networkError(ctx.getNode(), networkCodeOf(error), context);
			}
			await sleep(READ_RETRY_DELAYS_MS[attempt], signal);
			continue;
		}
		const body = response.body as BinaryStream;
		if (response.statusCode >= 200 && response.statusCode < 300) {
			return { body, headers: response.headers as Record<string, unknown> };
		}
		body.resume?.(); // discard the error body
		if (response.statusCode < 500 || attempt >= READ_RETRY_DELAYS_MS.length) {
			throw downloadError(ctx.getNode(), response.statusCode, fileName, context);
		}
		await sleep(READ_RETRY_DELAYS_MS[attempt], signal);
	}
}
