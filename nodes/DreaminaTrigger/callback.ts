import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { downloadResults } from '../shared/jobs/download';
import { readJob } from '../shared/jobs/runJobs';
import type { JobKind, JobRecord, JobStatus } from '../shared/jobs/records';
import { isTerminal, jobKindOf } from '../shared/jobs/records';
import { sleep } from '../shared/sleep';
import type { ApiContext } from '../shared/transport';
import { SECRET_QUERY_PARAMETER, callbackSecretOf, redactSecret } from '../shared/callbackSecret';
import { apiContextWith, triggerCredentials, type TriggerCredentials } from './credentialCache';
import { rememberInProcess, secretMatches, secretProblem } from './security';

export type TriggerEvent = 'submitted' | 'completed' | 'failed';

export const EVENT_OF_STATUS: Record<JobStatus, TriggerEvent> = {
	created: 'submitted',
	completed: 'completed',
	failed: 'failed',
};

/** A posted "completed"/"failed" that the API still reports as running is read once more after this. */
export const RECHECK_DELAY_MS = 2000;

export interface TriggerSettings {
	events: TriggerEvent[];
	jobTypes: JobKind[];
	verify: boolean;
	download: boolean;
	binaryProperty: string;
}

export function readSettings(ctx: IWebhookFunctions): TriggerSettings {
	const verify = ctx.getNodeParameter('verifyJob', true) as boolean;
	// Downloads only follow URLs the API itself returned: a URL from an unverified body could point
	// anywhere (an internal address, say) and n8n would fetch it.
	const download = verify && (ctx.getNodeParameter('downloadResult', true) as boolean);
	return {
		events: ctx.getNodeParameter('events', ['completed']) as TriggerEvent[],
		jobTypes: ctx.getNodeParameter('jobTypes', []) as JobKind[],
		verify,
		download,
		binaryProperty: download
			? String(ctx.getNodeParameter('binaryPropertyName', 'data')).trim() || 'data'
			: 'data',
	};
}

/** Answers the caller directly (a small JSON body) and tells n8n not to answer again. */
export function reply(
	ctx: IWebhookFunctions,
	status: number,
	body: IDataObject,
	workflowData?: INodeExecutionData[][],
): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return workflowData ? { noWebhookResponse: true, workflowData } : { noWebhookResponse: true };
}

export interface ParsedCallback {
	jobid: string;
	kind: JobKind;
	status: JobStatus;
	record: JobRecord;
}

/** The posted body must look like a Dreamina job record; nothing else in it is trusted yet. */
export function parseCallback(body: unknown): ParsedCallback | { error: string } {
	if (body === null || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
		return { error: 'Expected a JSON object (a Dreamina job record)' };
	}
	const record = body as IDataObject;
	if (typeof record.jobid !== 'string' || !record.jobid.trim()) {
		return { error: 'Expected a Dreamina job record with a string jobid' };
	}
	const jobid = record.jobid.trim();
	const kind = jobKindOf(jobid);
	if (!kind) return { error: 'jobid is not a Dreamina job ID' };
	if (typeof record.status !== 'string' || !(record.status in EVENT_OF_STATUS)) {
		return { error: 'status must be one of created, completed, failed' };
	}
	return {
		jobid,
		kind,
		status: record.status as JobStatus,
		record: { ...record, jobid } as JobRecord,
	};
}

export type Verified = { job: JobRecord } | { status: number; error: string };

/**
 * Reads the job with the trigger's credential: what the API says is what is emitted (a forged
 * record cannot inject URLs or a status). A posted terminal status the API does not show yet is
 * read once more, so a completion is not lost to a slow read; after that the API's status wins.
 * `api` is how the API is called (with the trigger's credential already read).
 */
export async function verifyJob(
	ctx: IWebhookFunctions,
	posted: ParsedCallback,
	api: ApiContext,
): Promise<Verified> {
	const { jobid, kind } = posted;
	try {
		let job = await readJob(api, jobid, kind, 0);
		if (isTerminal(posted) && !isTerminal(job)) {
			await sleep(RECHECK_DELAY_MS);
			job = await readJob(api, jobid, kind, 0);
		}
		if (job?.jobid !== jobid || !(String(job.status) in EVENT_OF_STATUS)) {
			ctx.logger.warn('Dreamina Trigger: the API returned an unexpected record; callback refused', {
				jobid,
			});
			return { status: 502, error: 'The Dreamina API returned an unexpected record for this job' };
		}
		return { job };
	} catch (error) {
		const httpCode = (error as { httpCode?: string | null }).httpCode;
		if (httpCode === '404') {
			ctx.logger.warn(
				'Dreamina Trigger: callback for a job the API does not know with this credential; refused (check the trigger uses the same API token as the node that created the job)',
				{ jobid },
			);
			return {
				status: 403,
				error: 'Unknown job: the Dreamina API has no job with this jobid for this trigger',
			};
		}
		ctx.logger.warn(
			`Dreamina Trigger: could not verify job with the API: ${(error as Error).message}`,
			{ jobid },
		);
		return {
			status: 502,
			error: 'Could not verify the job with the Dreamina API; send it again later',
		};
	}
}

/**
 * The item: the job record, the event, replyRef (and `extra`) at top level; the secret never
 * passed on.
 */
export function outputItem(
	job: JobRecord,
	event: TriggerEvent,
	extra: IDataObject = {},
): INodeExecutionData {
	const record = JSON.parse(JSON.stringify(job)) as JobRecord;
	if (record.request && typeof record.request.replyUrl === 'string') {
		record.request.replyUrl = redactSecret(record.request.replyUrl);
	}
	const found = typeof record.replyRef === 'string' ? record.replyRef : record.request?.replyRef;
	const replyRef = typeof found === 'string' ? found : null;
	// event and replyRef first (easy to spot), and never overwritten by fields of the record.
	const own: IDataObject = { event, replyRef, ...extra };
	return { json: Object.assign({ ...own }, record, own) };
}

/** A callback the trigger takes (genuine, of a selected kind and event), or the answer that ends it. */
export type Screened =
	| { answer: IWebhookResponseData }
	| { posted: ParsedCallback; job: JobRecord; event: TriggerEvent; settings: TriggerSettings };

/**
 * What a callback must pass, in order: secret → shape → job type → verification (one GET with
 * `api`) → event. Every refusal is answered here and starts nothing.
 */
async function screenCallback(
	ctx: IWebhookFunctions,
	secret: string,
	api: ApiContext,
): Promise<Screened> {
	const problem = secretProblem(secret);
	if (problem) {
		ctx.logger.error(`Dreamina Trigger "${ctx.getNode().name}" refused a callback: ${problem}`);
		return {
			answer: reply(ctx, 500, {
				error:
					'This Dreamina Trigger’s credential has no usable Callback Secret; callbacks are refused',
			}),
		};
	}
	const query = ctx.getQueryData() as IDataObject;
	if (!secretMatches(query[SECRET_QUERY_PARAMETER], secret)) {
		return { answer: reply(ctx, 401, { error: `Missing or wrong ${SECRET_QUERY_PARAMETER}` }) };
	}

	const posted = parseCallback(ctx.getBodyData());
	if ('error' in posted) return { answer: reply(ctx, 400, { error: posted.error }) };

	const settings = readSettings(ctx);
	if (settings.jobTypes.length > 0 && !settings.jobTypes.includes(posted.kind)) {
		return {
			answer: reply(ctx, 200, { received: true, ignored: `${posted.kind} jobs are not selected` }),
		};
	}

	let job = posted.record;
	if (settings.verify) {
		const verified = await verifyJob(ctx, posted, api);
		if ('error' in verified)
			return { answer: reply(ctx, verified.status, { error: verified.error }) };
		job = verified.job;
	}

	const event = EVENT_OF_STATUS[job.status];
	if (!settings.events.includes(event)) {
		return {
			answer: reply(ctx, 200, { received: true, ignored: `${event} events are not selected` }),
		};
	}
	return { posted, job, event, settings };
}

/** A completed job's result, downloaded into the item; the job is done and paid for, so a failed download is reported on the item, not lost. */
export async function attachResult(
	ctx: IWebhookFunctions,
	item: INodeExecutionData,
	job: JobRecord,
	settings: TriggerSettings,
): Promise<void> {
	if (!settings.download || job.status !== 'completed') return;
	try {
		item.binary = await downloadResults(ctx, job, settings.binaryProperty, 0);
	} catch (error) {
		const { message, description } = error as Error & { description?: string | null };
		item.json.downloadError = { message, ...(description ? { description } : {}) };
		ctx.logger.warn(`Dreamina Trigger: result download failed: ${message}`, { jobid: job.jobid });
	}
}

/** `<jobid>:<status>`: the same for every delivery of one callback, in every n8n process. */
export function dedupeKeyOf(jobid: string, status: string): string {
	return `${jobid}:${status}`;
}

/**
 * One callback from the API (or from anyone who knows the URL). The Dreamina API waits
 * about 10 s for the answer and never sends a callback again, so the answer comes as soon as the
 * callback is known to be genuine, and the result is downloaded after it:
 * credential (cached) → secret → shape → job type → verification (one GET) → event → duplicate
 * (in memory) → answer → download → one item. Nothing is written to n8n's database here; n8n saves
 * the execution as for any webhook. Every refusal is answered here and starts nothing.
 */
export async function handleCallback(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const nodeName = ctx.getNode().name;
	let credentials: TriggerCredentials;
	try {
		credentials = await triggerCredentials(ctx);
	} catch (error) {
		ctx.logger.error(
			`Dreamina Trigger "${nodeName}" refused a callback: its Dreamina API credential could not be read: ${(error as Error).message}`,
		);
		return reply(ctx, 500, {
			error: 'This Dreamina Trigger has no usable Dreamina API credential; callbacks are refused',
		});
	}
	const screened = await screenCallback(
		ctx,
		callbackSecretOf(credentials),
		apiContextWith(ctx, credentials),
	);
	if ('answer' in screened) return screened.answer;
	const { posted, job, event, settings } = screened;
	const dedupeKey = dedupeKeyOf(posted.jobid, job.status);
	// Test URL calls (manual mode) are never duplicates: resending one while building must work.
	const trigger = `${ctx.getWorkflow().id ?? ''}/${ctx.getNode().id}`;
	if (ctx.getMode() !== 'manual' && !rememberInProcess(trigger, dedupeKey)) {
		return reply(ctx, 200, { received: true, duplicate: true });
	}

	const item = outputItem(job, event, { dedupeKey });
	// Answered now: n8n sends nothing more for `noWebhookResponse` and still starts the execution
	// with `workflowData` once this function returns (n8n's webhooks/webhook-helpers.js).
	reply(ctx, 200, { received: true, event, jobid: posted.jobid });
	await attachResult(ctx, item, job, settings);
	return { noWebhookResponse: true, workflowData: [[item]] };
}
