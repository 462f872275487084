import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { downloadResults } from './download';
import { failedJobError, waitTimeoutError } from './errors';
import type { JobKind, JobRecord } from './jobs';
import { isTerminal, jobKindOf, jobPathSegment } from './jobs';
import type { PollSchedule } from './polling';
import { nextPollDelay, scheduleWith } from './polling';
import { sleep } from './sleep';
import type { ApiContext } from './transport';
import { apiRequest } from './transport';

export type WaitMode = 'none' | 'poll' | 'callback';

export interface WaitSettings {
	mode: WaitMode;
	timeoutMinutes: number;
	download: boolean;
	binaryProperty: string;
	poll?: { firstCheckSeconds?: number; maxIntervalSeconds?: number };
}

export interface JobSubmission {
	kind: JobKind;
	/** API path after the base URL, e.g. ['videos'] or ['images', 'upscale'] */
	path: string[];
	body: IDataObject;
	account?: string;
}

/** What to do for one input item: submit a job, follow an existing one, or report why it can't. */
export type JobPlan = { itemIndex: number } & (
	| { submit: JobSubmission }
	| { jobid: string }
	| { invalid: Error }
);

/** Used when the accounts' capacity can't be read. */
const FALLBACK_CONCURRENCY = 3;

/**
 * Runs every item's job: submits (at most as many at once as the accounts run), waits for them
 * together, downloads results, and returns one item per input item in input order.
 * Nothing is submitted when any item is invalid (unless Continue On Fail), and after a failure no
 * further job is submitted: each job may cost credits.
 */
export async function runJobs(
	ctx: IExecuteFunctions,
	plans: JobPlan[],
	settings: WaitSettings,
): Promise<INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	const invalid = plans.find((plan): plan is JobPlan & { invalid: Error } => 'invalid' in plan);
	if (invalid && !continueOnFail) throw invalid.invalid;

	const stop = new AbortController();
	const cancel = ctx.getExecutionCancelSignal();
	const signal = cancel ? AbortSignal.any([cancel, stop.signal]) : stop.signal;
	const limit = await concurrencyFor(ctx, plans);
	const results: INodeExecutionData[] = new Array(plans.length);
	let firstError: Error | undefined;

	await mapWithConcurrency(plans, limit, async (plan, index) => {
		if (signal.aborted) return;
		try {
			if ('invalid' in plan) throw plan.invalid;
			results[index] = await runOne(ctx, plan, settings, signal);
		} catch (error) {
			if (continueOnFail && !cancel?.aborted) {
				results[index] = errorItem(error as Error, plan.itemIndex);
			} else {
				firstError ??= error as Error;
				stop.abort();
			}
		}
	});
	if (firstError) throw firstError;
	return results;
}

async function runOne(
	ctx: IExecuteFunctions,
	plan: JobPlan & ({ submit: JobSubmission } | { jobid: string }),
	settings: WaitSettings,
	signal: AbortSignal,
): Promise<INodeExecutionData> {
	const { itemIndex } = plan;
	let job: JobRecord;
	let kind: JobKind;
	let startedAt = Date.now();
	if ('submit' in plan) {
		kind = plan.submit.kind;
		job = await apiRequest<JobRecord>(withSignal(ctx, signal), {
			method: 'POST',
			path: plan.submit.path,
			body: plan.submit.body,
			context: {
				action: `submit the ${kind} job`,
				createsJob: true,
				account: plan.submit.account,
				itemIndex,
			},
			// 429 created nothing: keep trying while the user is prepared to wait for the result.
			capacityWaitMs: settings.timeoutMinutes * 60_000,
		});
	} else {
		kind = jobKindOf(plan.jobid) ?? 'video';
		job = await readJob(ctx, plan.jobid, kind, itemIndex, signal);
		startedAt = createdAt(job) ?? startedAt;
	}

	if (settings.mode === 'poll' && !isTerminal(job)) {
		job = await waitForJob(ctx, job.jobid, kind, startedAt, settings, itemIndex, signal);
	}
	if (job.status === 'failed' && (settings.mode === 'poll' || 'submit' in plan)) {
		throw failedJobError(ctx.getNode(), job, itemIndex);
	}
	const item: INodeExecutionData = { json: job, pairedItem: { item: itemIndex } };
	if (settings.download && job.status === 'completed') {
		item.binary = await downloadResults(ctx, job, settings.binaryProperty, itemIndex);
	}
	return item;
}

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

/** Polls on the schedule until the job is completed or failed, the timeout passes, or the run is cancelled. */
export async function waitForJob(
	ctx: IExecuteFunctions,
	jobid: string,
	kind: JobKind,
	jobStartedAt: number,
	settings: WaitSettings,
	itemIndex: number,
	signal: AbortSignal,
): Promise<JobRecord> {
	const schedule: PollSchedule = scheduleWith(kind, settings.poll);
	const deadline = Date.now() + settings.timeoutMinutes * 60_000;
	for (;;) {
		const remaining = deadline - Date.now();
		if (remaining <= 0)
			throw waitTimeoutError(ctx.getNode(), jobid, settings.timeoutMinutes, itemIndex);
		await sleep(Math.min(nextPollDelay(schedule, Date.now() - jobStartedAt), remaining), signal);
		const job = await readJob(ctx, jobid, kind, itemIndex, signal);
		if (isTerminal(job)) return job;
	}
}

/** When the job was created, if the record says so plausibly (used to pace polling of older jobs). */
function createdAt(job: JobRecord): number | undefined {
	const time = job.created ? Date.parse(job.created) : NaN;
	return Number.isFinite(time) && time <= Date.now() ? time : undefined;
}

/** The execution's cancel signal, or ours when another item failed. */
function withSignal<T extends ApiContext>(ctx: T, signal?: AbortSignal): T {
	if (!signal) return ctx;
	return Object.assign(Object.create(ctx) as T, { getExecutionCancelSignal: () => signal });
}

/** How many jobs to run at once: the Max Jobs option, else the capacity (`maxJobs`) of the accounts used. */
async function concurrencyFor(ctx: IExecuteFunctions, plans: JobPlan[]): Promise<number> {
	const submissions = plans.flatMap((plan) => ('submit' in plan ? [plan.submit] : []));
	if (submissions.length === 0) return Math.max(1, Math.min(plans.length, 10));
	const requested = submissions
		.map((s) => s.body.maxJobs)
		.filter((n): n is number => typeof n === 'number');
	if (requested.length) return Math.max(...requested);
	try {
		const accounts = await apiRequest<Record<string, { maxJobs?: number }>>(ctx, {
			method: 'GET',
			path: ['accounts'],
			context: { action: 'read the accounts’ capacity' },
		});
		const named = new Set(submissions.map((s) => s.account));
		const used = named.has(undefined)
			? Object.keys(accounts)
			: [...named].filter((a): a is string => !!a);
		const total = used.reduce((sum, account) => sum + (accounts[account]?.maxJobs ?? 0), 0);
		return total > 0 ? total : FALLBACK_CONCURRENCY;
	} catch {
		return FALLBACK_CONCURRENCY;
	}
}

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

/** The item Continue On Fail puts out: what went wrong, and the job ID so the work is not lost. */
export function errorItem(
	error: Error & { description?: string | null; context?: IDataObject },
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error.context?.jobid) json.jobid = error.context.jobid;
	return { json, pairedItem: { item: itemIndex } };
}
