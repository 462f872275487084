import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { redactSecret } from '../callbackSecret';
import { failedJobError, waitTimeoutError } from '../errors';
import { sleep } from '../sleep';
import type { ApiContext } from '../transport';
import { apiRequest } from '../transport';
import { downloadResults } from './download';
import { scheduleWith } from './polling';
import { rememberJob } from './recent';
import type { JobKind, JobRecord } from './records';
import { isTerminal, jobPathSegment } from './records';
import type { WaitSettings } from './settings';
import type { WatchIo } from './watcher';
import { JobWatcher } from './watcher';

/** Reads a job record; images and upscales share GET /images/{jobid}. */
export async function readJob(
	ctx: ApiContext,
	jobid: string,
	kind: JobKind,
	itemIndex: number,
	signal?: AbortSignal,
): Promise<JobRecord> {
	return await apiRequest<JobRecord>(withSignal(ctx, signal), {
		method: 'GET',
		path: [jobPathSegment(kind), jobid],
		context: { action: `read ${kind} job`, jobid, itemIndex },
	});
}

/** The executing jobs of the token (GET /scheduler), or undefined when they can't be read now. */
export async function readExecutingJobids(ctx: ApiContext): Promise<Set<string> | undefined> {
	try {
		const answer = await apiRequest<{ executing?: Record<string, Array<{ jobid?: string }>> }>(ctx, {
			method: 'GET',
			path: ['scheduler'],
			context: { action: 'list the executing jobs' },
			attempts: 'once',
		});
		return new Set(
			Object.values(answer.executing ?? {})
				.flatMap((jobs) => (Array.isArray(jobs) ? jobs : []))
				.map((job) => job.jobid)
				.filter((jobid): jobid is string => typeof jobid === 'string'),
		);
	} catch {
		// The watcher then reads the due jobs one by one.
		return undefined;
	}
}

/** The watcher of one node run, on n8n's clock and the API. */
export function jobWatcher(ctx: IExecuteFunctions, signal: AbortSignal): JobWatcher {
	const io: WatchIo = {
		now: () => Date.now(),
		sleep: async (ms, wake) => await sleep(ms, AbortSignal.any([wake, signal])),
		readScheduler: async () => await readExecutingJobids(withSignal(ctx, signal)),
		readJob: async (jobid, kind) => await readJob(ctx, jobid, kind, 0, signal),
	};
	return new JobWatcher(io);
}

/** What to carry a job through once it exists: waiting, failure, download. */
export interface FinishOptions {
	settings: WaitSettings;
	watcher: JobWatcher;
	itemIndex: number;
	signal: AbortSignal;
	/** when the job started (paces polling): the submission, or the record's `created` */
	startedAt: number;
	/** a failed job is an error (not a record to pass on) */
	failIfFailed: boolean;
	/** more fields for the output item (uploads, how the submission went) */
	extra?: IDataObject;
}

/** Waits for the job when asked, fails on a failed job, downloads its result: one output item. */
export async function finishJob(
	ctx: IExecuteFunctions,
	submitted: JobRecord,
	kind: JobKind,
	options: FinishOptions,
): Promise<INodeExecutionData> {
	const { settings, itemIndex, signal } = options;
	let job = submitted;
	if (settings.mode === 'poll' && !isTerminal(job)) {
		job = await options.watcher.watch({
			jobid: job.jobid,
			kind,
			startedAt: options.startedAt,
			schedule: scheduleWith(kind, settings.poll),
			deadline: Date.now() + settings.timeoutMinutes * 60_000,
			onTimeout: () => waitTimeoutError(ctx.getNode(), job.jobid, settings.timeoutMinutes, itemIndex),
			signal,
		});
	}
	rememberJob({ jobid: job.jobid, kind, status: job.status, model: job.model, seenAt: Date.now() });
	if (job.status === 'failed' && options.failIfFailed) {
		throw failedJobError(ctx.getNode(), job, itemIndex);
	}
	const item: INodeExecutionData = {
		json: { ...publicRecord(job), ...options.extra },
		pairedItem: { item: itemIndex },
	};
	if (settings.download && job.status === 'completed') {
		item.binary = await downloadResults(withSignal(ctx, signal), job, settings.binaryProperty, itemIndex);
	}
	return item;
}

/** A job record as the node puts it out: a Reply URL's secret is never passed on. */
export function publicRecord(job: JobRecord): JobRecord {
	const replyUrl = job.request?.replyUrl;
	if (typeof replyUrl !== 'string') return job;
	return { ...job, request: { ...job.request, replyUrl: redactSecret(replyUrl) } };
}

/** When the job was created, if the record says so plausibly (paces polling of older jobs). */
export function createdAt(job: JobRecord): number | undefined {
	const time = job.created ? Date.parse(job.created) : NaN;
	return Number.isFinite(time) && time <= Date.now() ? time : undefined;
}

/** The execution's cancel signal, or ours when another item failed. */
export function withSignal<T extends ApiContext>(ctx: T, signal?: AbortSignal): T {
	if (!signal) return ctx;
	return Object.assign(Object.create(ctx) as T, { getExecutionCancelSignal: () => signal });
}
