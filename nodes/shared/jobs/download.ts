import type {
	BinaryHelperFunctions,
	IBinaryData,
	IBinaryKeyData,
	IN8nHttpFullResponse,
	RequestHelperFunctions,
} from 'n8n-workflow';

import { readMedia } from '../assets/mediaProbe';
import type { RequestContext } from '../errors';
import { downloadError, networkCodeOf, resultFileError } from '../errors';
import { ownValue } from '../objects';
import type { JobRecord } from './records';
import { ExecutionCancelledError, sleep } from '../sleep';
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
				mimeType: ownValue(MIME_BY_FORMAT, format) ?? 'image/jpeg',
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
 * How long a download may take. A result host can send its headers and then nothing: without an
 * end, Get Job would run forever and the trigger would never start its execution. Tests shorten these.
 */
export const DOWNLOAD_LIMITS = {
	/** no byte for this long: the attempt is given up (and retried) */
	idleMs: 30_000,
	/** one file, all attempts together */
	totalMs: 15 * 60_000,
	retryDelaysMs: READ_RETRY_DELAYS_MS,
};

/** Bytes read before the file is handed to n8n: enough for its signature (assets/mediaProbe.ts). */
const SIGNATURE_BYTES = 64 * 1024;

/**
 * Where a download's time and bytes come from (like watcher.ts's WatchIo), so tests can drive it:
 * `open` is one GET of a result URL without the credential, resolved when its headers are in;
 * `store` writes the bytes to n8n's binary data.
 */
export interface DownloadIo {
	now(): number;
	sleep(ms: number, signal: AbortSignal): Promise<void>;
	open(
		url: string,
		signal: AbortSignal,
	): Promise<{ status: number; headers: Record<string, unknown>; body: BinaryStream }>;
	store(bytes: BinaryStream | Buffer, fileName: string, mimeType: string): Promise<IBinaryData>;
}

/** The download I/O of an n8n context: its HTTP helper (no credential) and its binary data. */
export function downloadIo(ctx: DownloadContext): DownloadIo {
	return {
		now: () => Date.now(),
		sleep: async (ms, signal) => await sleep(ms, signal),
		open: async (url, signal) => {
			const response = (await ctx.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// no `timeout`: the watchdog in attemptDownload ends a wait for headers and for bytes alike
				abortSignal: signal,
			})) as IN8nHttpFullResponse;
			return {
				status: response.statusCode,
				headers: response.headers as Record<string, unknown>,
				body: response.body as BinaryStream,
			};
		},
		store: async (bytes, fileName, mimeType) =>
			await ctx.helpers.prepareBinaryData(bytes, fileName, mimeType),
	};
}

/**
 * Streams a job's result files into n8n binary data (never whole in memory). Result URLs are CDN
 * links, not the API: they are fetched without the credential, so the token never leaves for them.
 */
export async function downloadResults(
	ctx: DownloadContext,
	job: JobRecord,
	binaryProperty: string,
	itemIndex: number,
	io: DownloadIo = downloadIo(ctx),
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
		binary[names[index]] = await downloadFile(ctx, io, file, context);
	}
	return binary;
}

/** Why one attempt failed: `retry` when another attempt may get the file; `status` when it answered one. */
class AttemptFailure {
	constructor(
		readonly reason: string,
		readonly retry: boolean,
		readonly code?: string,
		readonly status?: number,
	) {}
}

const failed = (reason: string, retry: boolean, code?: string, status?: number) =>
	new AttemptFailure(reason, retry, code, status);
const cancelled = () => new ExecutionCancelledError();

/** One file: attempts until it is stored whole and of its kind, or until retries or time run out. */
async function downloadFile(
	ctx: DownloadContext,
	io: DownloadIo,
	file: ResultFile,
	context: RequestContext,
): Promise<IBinaryData> {
	const cancel = ctx.getExecutionCancelSignal?.();
	const deadline = io.now() + DOWNLOAD_LIMITS.totalMs;
	let failure: AttemptFailure;
	for (let attempt = 0; ; attempt++) {
		if (cancel?.aborted) throw cancelled();
		const attemptSignal = new AbortController();
		const stop = () => attemptSignal.abort();
		cancel?.addEventListener('abort', stop, { once: true });
		try {
			return await attemptDownload(io, file, attemptSignal, deadline);
		} catch (error) {
			if (cancel?.aborted) throw cancelled();
			failure =
				error instanceof AttemptFailure
					? error
					: failed('the connection failed', true, networkCodeOf(error));
		} finally {
			attemptSignal.abort();
			cancel?.removeEventListener('abort', stop);
		}
		const delay = DOWNLOAD_LIMITS.retryDelaysMs[attempt];
		if (!failure.retry || delay === undefined || io.now() + delay >= deadline) break;
		await io.sleep(delay, cancel ?? new AbortController().signal);
	}
	if (failure.status !== undefined) {
		throw downloadError(ctx.getNode(), failure.status, file.fileName, context);
	}
	throw resultFileError(
		ctx.getNode(),
		file.fileName,
		failure.reason,
		failure.retry,
		context,
		failure.code,
	);
}

/**
 * One GET of the file, stored as n8n binary data. A watchdog ends it when no byte came for
 * DOWNLOAD_LIMITS.idleMs (before the headers or after) or at the file's deadline; the first bytes
 * must be of the file's kind, and as many bytes must come as Content-Length said.
 */
async function attemptDownload(
	io: DownloadIo,
	file: ResultFile,
	attempt: AbortController,
	deadline: number,
): Promise<IBinaryData> {
	const { idleMs, totalMs } = DOWNLOAD_LIMITS;
	let lastByteAt = io.now();
	let stalled: string | undefined;
	let body: BinaryStream | undefined;
	// However the attempt ends (stall, cancel, a failed check), the connection is closed.
	attempt.signal.addEventListener('abort', () => {
		if (body && !body.destroyed && !body.readableEnded)
			body.destroy(new Error(stalled ?? 'stopped'));
	});
	const watchdog = (async () => {
		while (!attempt.signal.aborted) {
			await io
				.sleep(Math.max(20, Math.min(idleMs / 4, 1000)), attempt.signal)
				.catch(() => undefined);
			const now = io.now();
			if (attempt.signal.aborted) return;
			if (now >= deadline)
				stalled = `the download took longer than ${totalMs >= 60_000 ? `${totalMs / 60_000} min` : `${totalMs / 1000} s`}`;
			else if (now - lastByteAt >= idleMs) stalled = `no data came for ${idleMs / 1000} s`;
			if (stalled) return attempt.abort();
		}
	})();
	const cut = (error: unknown) =>
		stalled
			? failed(`the file host stalled (${stalled})`, true)
			: failed('the connection was cut before the file was complete', true, networkCodeOf(error));
	try {
		const opened = await untilAborted(io.open(file.url, attempt.signal), attempt.signal).catch(
			(error: unknown) => {
				throw stalled ? cut(error) : failed('the connection failed', true, networkCodeOf(error));
			},
		);
		lastByteAt = io.now();
		body = opened.body;
		if (opened.status < 200 || opened.status >= 300) {
			body.resume?.(); // discard the error body
			const retry = opened.status >= 500 || opened.status === 429;
			throw failed(`HTTP ${opened.status}`, retry, undefined, opened.status);
		}
		const { head, ended } = await readHead(
			body,
			SIGNATURE_BYTES,
			() => (lastByteAt = io.now()),
		).catch((error: unknown) => {
			throw cut(error);
		});
		const expectedKind = file.mimeType.split('/')[0];
		const format = readMedia(head, head.length)?.format;
		// An MP4 whose tracks come after the head says only "an MP4 file": its MIME types tell.
		const isExpected =
			format?.kind === expectedKind ||
			(format !== undefined &&
				format.kind === undefined &&
				format.mimeTypes.includes(file.mimeType));
		if (!isExpected) {
			const what = `the file host sent ${describeBytes(head, format?.name)} instead of ${expectedKind === 'video' ? 'a video' : 'an image'}`;
			throw failed(what, false);
		}
		const headerType = String(opened.headers['content-type'] ?? '')
			.split(';')[0]
			.trim();
		const mimeType = headerType.startsWith(`${expectedKind}/`) ? headerType : file.mimeType;
		let received = head.length;
		let stored: IBinaryData;
		if (ended) {
			stored = await io.store(head, file.fileName, mimeType);
		} else {
			// Its first bytes put back, the rest counted on the way to n8n. A mapped stream, not a
			// 'data' listener: that would start the flow before n8n reads it (and n8n's in-memory and
			// database modes read with a 'data' listener of their own, which never resumes a paused stream).
			body.unshift(head);
			received = 0;
			const counted = body.map((chunk: Buffer) => {
				lastByteAt = io.now();
				received += chunk.length;
				return chunk;
			}) as BinaryStream;
			stored = await io.store(counted, file.fileName, mimeType).catch((error: unknown) => {
				throw cut(error);
			});
		}
		const declared = Number(opened.headers['content-length']);
		const encoded = !['', 'identity'].includes(String(opened.headers['content-encoding'] ?? ''));
		if (declared > 0 && !encoded && received !== declared) {
			throw failed(`the connection ended after ${received} of ${declared} bytes`, true);
		}
		return stored;
	} finally {
		attempt.abort();
		await watchdog;
	}
}

/**
 * The opened response, or a rejection as soon as `signal` aborts: a request helper that does not
 * heed its abort signal must not keep the attempt waiting for headers (a late answer is closed).
 */
async function untilAborted<T extends { body: BinaryStream }>(
	opening: Promise<T>,
	signal: AbortSignal,
): Promise<T> {
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(new Error('aborted'));
		if (signal.aborted) onAbort();
		else signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([opening, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort!);
		if (signal.aborted)
			void opening.then(
				(late) => late.body.destroy(),
				() => undefined,
			);
	}
}

/** The stream's first bytes (up to `size`), the stream left paused; `ended` when that was all of it. */
async function readHead(
	stream: BinaryStream,
	size: number,
	onChunk: () => void,
): Promise<{ head: Buffer; ended: boolean }> {
	return await new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let length = 0;
		const done = (ended: boolean) => {
			stream.off('data', onData);
			stream.off('end', onEnd);
			stream.off('error', onError);
			stream.off('close', onClose);
			if (!ended) stream.pause();
			resolve({ head: Buffer.concat(chunks), ended });
		};
		const onData = (chunk: Buffer) => {
			onChunk();
			chunks.push(chunk);
			length += chunk.length;
			if (length >= size) done(false);
		};
		const onEnd = () => done(true);
		const onError = (error: Error) => {
			stream.off('data', onData);
			reject(error);
		};
		const onClose = () => {
			if (!stream.readableEnded) onError(new Error('aborted'));
		};
		stream.on('data', onData);
		stream.once('end', onEnd);
		stream.once('error', onError);
		stream.once('close', onClose);
	});
}

/** What bytes that are not the file look like, for the message. */
function describeBytes(head: Buffer, format: string | undefined): string {
	if (format) return format;
	const start = head.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
	if (start.startsWith('<!doctype html') || start.startsWith('<html') || start.startsWith('<')) {
		return 'an HTML page';
	}
	if (start.startsWith('{') || start.startsWith('[')) return 'a JSON document';
	if (head.length === 0) return 'an empty file';
	return 'a file of unknown type';
}
