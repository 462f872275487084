import { createHash } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FieldNamer } from '../labels';
import { isToolNode } from '../parameters';
import type { ApiContext } from '../transport';
import { apiRequest } from '../transport';
import type { JobKind, JobRecord } from './records';
import { createdAtOfJobId, jobKindOf, jobPathSegment } from './records';

/** A job-creating request, ready to send. */
export interface JobSubmission {
	kind: JobKind;
	/** API path after the base URL, e.g. ['videos'] or ['images', 'upscale'] */
	path: string[];
	body: IDataObject;
	/** the account the job runs on, when known (named, or inferred from the references) */
	account?: string;
	nameField?: FieldNamer;
}

export interface SubmittedJob {
	job: JobRecord;
	/** when the node sent the request that created the job (paces polling) */
	sentAt: number;
	/** set when the reply was lost and the job was found among the executing jobs */
	recovered?: string;
	/** set when n8n's Retry On Fail ran the node again and this item's job already existed */
	resumed?: boolean;
}

/**
 * Jobs this node submitted in an execution, per item, so that n8n's *Retry On Fail* (which runs
 * execute() again in the same execution and process) carries on with them instead of paying for
 * them again. Keyed by execution and node; an item's entry is reused only for the same request.
 */
interface RunRecord {
	touchedAt: number;
	items: Map<number, { fingerprint: string; submitted: SubmittedJob }>;
}
const submittedByRun = new Map<string, RunRecord>();
const RUN_MEMORY_MS = 24 * 3_600_000;
const MAX_RUNS = 500;

function runKey(ctx: IExecuteFunctions): string | undefined {
	const executionId = ctx.getExecutionId();
	return executionId ? `${executionId}/${ctx.getNode().id ?? ctx.getNode().name}` : undefined;
}

function runRecord(ctx: IExecuteFunctions): RunRecord | undefined {
	const key = runKey(ctx);
	if (!key) return undefined;
	const now = Date.now();
	for (const [other, record] of submittedByRun) {
		if (now - record.touchedAt > RUN_MEMORY_MS || submittedByRun.size > MAX_RUNS) {
			submittedByRun.delete(other);
		}
	}
	let record = submittedByRun.get(key);
	if (!record) submittedByRun.set(key, (record = { touchedAt: now, items: new Map() }));
	record.touchedAt = now;
	return record;
}

function fingerprint(submission: JobSubmission): string {
	const body = Object.keys(submission.body)
		.sort()
		.map((key) => [key, submission.body[key]]);
	return createHash('sha256')
		.update(JSON.stringify([submission.path, body]))
		.digest('base64url');
}

/** The jobs of this node run, which a lost reply must never be matched to. */
function ownedJobids(record: RunRecord | undefined): Set<string> {
	return new Set([...(record?.items.values() ?? [])].map((entry) => entry.submitted.job.jobid));
}

/**
 * Sends a job-creating POST once. A 429 "All accounts at capacity" created nothing and is retried
 * for `capacityWaitMs`. When the reply is lost after the request went out (dropped connection,
 * timeout, 5xx), the job may exist: it is looked for instead of failing or resending.
 */
export async function submitJob(
	ctx: IExecuteFunctions,
	submission: JobSubmission,
	itemIndex: number,
	capacityWaitMs: number,
): Promise<SubmittedJob> {
	// An agent may call its tool twice with the same arguments and mean two jobs.
	const record = isToolNode(ctx.getNode()) ? undefined : runRecord(ctx);
	const print = fingerprint(submission);
	const earlier = record?.items.get(itemIndex);
	if (earlier && earlier.fingerprint === print) return { ...earlier.submitted, resumed: true };

	const context = {
		action: `submit the ${submission.kind} job`,
		createsJob: true,
		account: submission.account,
		itemIndex,
		nameField: submission.nameField,
	};
	let sentAt = Date.now();
	const sent = await apiRequest<JobRecord>(ctx, {
		method: 'POST',
		path: submission.path,
		body: submission.body,
		context,
		capacityWaitMs,
		onSend: () => (sentAt = Date.now()),
	}).then(
		(job) => ({ job }),
		(error: Error & { context?: IDataObject }) => ({ error }),
	);
	let submitted: SubmittedJob;
	if ('job' in sent) {
		submitted = { job: sent.job, sentAt };
	} else {
		// Only a reply lost after sending may hide a job; any other failure created nothing.
		if (sent.error.context?.outcome !== 'unknown') throw sent.error;
		const found = await findLostJob(ctx, submission, sentAt, Date.now(), ownedJobids(record));
		if (!('job' in found)) throw lostReplyError(ctx, sent.error, submission, found, itemIndex);
		submitted = {
			job: found.job,
			sentAt,
			recovered: `The reply to the submission was lost (${sent.error.message}). This job was found among the account’s executing jobs: same account, model and request, created while the request was in flight. Nothing was sent again.`,
		};
	}
	record?.items.set(itemIndex, { fingerprint: print, submitted });
	return submitted;
}

/**
 * A job created before the request went out is never ours, so the window starts exactly at the
 * send (were the API's clock behind ours, the job is missed and the item fails: nothing is sent
 * twice either way). It ends a little after the reply was lost, for an API clock ahead of ours.
 */
const CLOCK_TOLERANCE_MS = 2000;

type LostJobSearch = { job: JobRecord } | { none: true; account?: string } | { several: string[] };

interface SchedulerEntry extends IDataObject {
	jobid: string;
	model?: string;
	replyUrl?: string;
}

/**
 * The job a request whose reply was lost may have created: executing on the request's account,
 * of its kind and model, created inside the request's send window, owned by no item of this run,
 * and whose recorded request is the one sent. Exactly one such job is ours.
 */
async function findLostJob(
	ctx: ApiContext,
	submission: JobSubmission,
	sentAt: number,
	failedAt: number,
	owned: Set<string>,
): Promise<LostJobSearch> {
	const scheduler = await apiRequest<{ executing?: Record<string, SchedulerEntry[]> }>(ctx, {
		method: 'GET',
		path: ['scheduler'],
		context: { action: 'look for the job whose reply was lost' },
	});
	const candidates = Object.entries(scheduler.executing ?? {})
		.filter(([account]) => !submission.account || account === submission.account)
		.flatMap(([account, jobs]) =>
			(Array.isArray(jobs) ? jobs : []).map((job) => ({ account, job })),
		)
		.filter(({ job }) => {
			const created = createdAtOfJobId(job.jobid);
			// Model empty: the API's default decides, which the package does not guess here.
			const model = submission.body.model;
			return (
				!owned.has(job.jobid) &&
				jobKindOf(job.jobid) === submission.kind &&
				(model === undefined || job.model === undefined || job.model === model) &&
				(job.replyUrl ?? '') === (submission.body.replyUrl ?? '') &&
				created !== undefined &&
				created >= sentAt &&
				created <= failedAt + CLOCK_TOLERANCE_MS
			);
		});
	const matching: JobRecord[] = [];
	for (const { job } of candidates) {
		const record = await apiRequest<JobRecord>(ctx, {
			method: 'GET',
			path: [jobPathSegment(submission.kind), job.jobid],
			context: { action: 'read a job that may be the lost one', jobid: job.jobid },
		});
		if (sameRequest(record.request, submission.body)) matching.push(record);
	}
	if (matching.length === 1) return { job: matching[0] };
	if (matching.length > 1) return { several: matching.map((job) => job.jobid) };
	return { none: true, account: submission.account };
}

/**
 * The job's recorded request says what was sent: every field sent that the record shows has the
 * same value (the record leaves out some, e.g. the account, which the scheduler's grouping gave).
 */
function sameRequest(recorded: IDataObject | undefined, sent: IDataObject): boolean {
	if (!recorded) return false;
	const shown = Object.entries(sent).filter(([key]) => key in recorded);
	return (
		shown.length > 0 &&
		shown.every(([key, value]) => JSON.stringify(recorded[key]) === JSON.stringify(value))
	);
}

function lostReplyError(
	ctx: IExecuteFunctions,
	cause: Error,
	submission: JobSubmission,
	found: Exclude<LostJobSearch, { job: JobRecord }>,
	itemIndex: number,
) {
	const where = submission.account ? `on ${submission.account}` : 'on any account';
	const message =
		'several' in found
			? `The reply to the submission was lost, and ${found.several.length} executing jobs ${where} match the request`
			: `The reply to the submission was lost, and no matching job is executing ${where}`;
	const description =
		'several' in found
			? `One of them is probably this item’s; the node did not pick one and sent nothing again. Jobs: ${found.several.join(', ')}. Read them with Dreamina Get Job, and cancel the extra one (Dreamina → Job → Cancel). (${cause.message})`
			: `The request probably created no job, so nothing was sent again and no credits were spent twice. If a job was created and has already finished, it is in the account’s history (Dreamina → Asset → List). Run the node again to submit it. (${cause.message})`;
	const error = new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	if ('several' in found) error.context.jobids = found.several;
	return error;
}
