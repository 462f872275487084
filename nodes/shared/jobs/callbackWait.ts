import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { UploadedAsset } from '../assets/upload';
import { continuesOnFail, failedJobError, waitTimeoutError } from '../errors';
import type { ItemPlan } from '../itemRunner';
import { failedItem, runPlans, toNodeError } from '../itemRunner';
import { ItemParameters } from '../parameters';
import { downloadResults } from './download';
import type { JobRecord } from './records';
import { isTerminal, jobKindOf } from './records';
import { publicRecord, readExecutingJobids, readJob } from './runJobs';
import { readWaitSettings } from './settings';
import type { WaitSettings } from './settings';
import type { SubmittedJob } from './submit';

/**
 * Wait for Callback: every item's job gets this execution's resume URL as its replyUrl and the
 * execution waits in n8n's waiting state (no worker held, no polling). Each callback reaches the
 * node's webhook(); the execution stays waiting until every job has reported a terminal status,
 * then resumes once, reads each job (verifying it and getting its result links) and puts out one
 * item per input item, in input order. If the callbacks don't all come in time, n8n resumes the
 * execution at the deadline and passes the node's input on without running it: so that input is
 * prepared as what a timeout must put out (each job marked timedOut, with the jobid).
 */
const CALLBACK_WEBHOOK: IWebhookDescription = {
	name: 'default',
	httpMethod: 'POST',
	responseMode: 'onReceived',
	path: '',
	restartWebhook: true,
	isFullPath: true,
	ndvHideUrl: true,
};

/** The resume webhook (like n8n's Wait node): not registered anywhere, so no webhookMethods lifecycle. */
export const CALLBACK_WEBHOOKS: IWebhookDescription[] = [CALLBACK_WEBHOOK];

export type SubmitForCallback<T> = (
	task: T,
	itemIndex: number,
	resumeUrl: string,
) => Promise<{ submitted: SubmittedJob; uploads: UploadedAsset[] }>;

/** Marks a waiting item as the job it waits for; the webhook finds the jobs by it. */
const WAITING_JOB = 'dreaminaWaitingJob';

export async function submitAndWaitForCallback<T>(
	ctx: IExecuteFunctions,
	plans: Array<ItemPlan<T>>,
	settings: WaitSettings,
	submit: SubmitForCallback<T>,
): Promise<INodeExecutionData[][]> {
	const resumeUrl = ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0) as string;
	const submittedItems = await runPlans(ctx, plans, {
		concurrency: plans.length,
		run: async (task, itemIndex) => {
			const { submitted } = await submit(task, itemIndex, resumeUrl);
			const timeout = waitTimeoutError(ctx.getNode(), submitted.job.jobid, settings.timeoutMinutes, itemIndex);
			return [
				{
					json: {
						...publicRecord(submitted.job),
						timedOut: true,
						error: timeout.message,
						description: timeout.description ?? '',
						[WAITING_JOB]: submitted.job.jobid,
					},
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
	// No job to call back (every item failed, with Continue On Fail): nothing to wait for.
	if (!submittedItems.some((item) => typeof item.json[WAITING_JOB] === 'string')) {
		return [submittedItems];
	}
	// When n8n resumes a wait at its deadline it does not run the node again: it passes this input on.
	ctx.getExecuteData().data.main = [submittedItems];
	await ctx.putExecutionToWait(new Date(Date.now() + settings.timeoutMinutes * 60_000));
	return [submittedItems];
}

function reply(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/** The items the execution waits with (its node input): one per input item, in order. */
function waitingItems(ctx: IWebhookFunctions): IDataObject[] {
	const items = ctx.evaluateExpression('{{ $input.all().map((item) => item.json) }}', 0);
	return Array.isArray(items) ? (items as IDataObject[]) : [];
}

/**
 * A callback to the resume URL. Its body is the API's job record; the URL's signature says it came
 * from the API, and once all jobs have reported, each is read back with the credential (a forged
 * body can't inject a result). Jobs not submitted by this execution are refused.
 */
export async function resumeFromCallback(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = ctx.getBodyData() as IDataObject;
	const jobid = typeof body?.jobid === 'string' ? body.jobid : undefined;
	if (!jobid || !jobKindOf(jobid) || typeof body.status !== 'string') {
		return reply(ctx, 400, { error: 'Expected a Dreamina job record with jobid and status' });
	}
	const items = waitingItems(ctx);
	const jobids = items.map((item) => item[WAITING_JOB]).filter((id): id is string => typeof id === 'string');
	if (!jobids.includes(jobid)) {
		return reply(ctx, 403, { error: 'This job was not submitted by this execution' });
	}
	// The submission callback, or a job still running: keep waiting for the terminal ones.
	if (body.status !== 'completed' && body.status !== 'failed') {
		return reply(ctx, 200, { received: true, waiting: true });
	}
	const others = jobids.filter((id) => id !== jobid);
	if (others.length && (await anyStillRunning(ctx, others))) {
		return reply(ctx, 200, { received: true, waiting: true });
	}
	return await resumeWithResults(ctx, items);
}

/**
 * Whether another job of this execution is still running: one GET /scheduler (a finished job has
 * left it), not a read of each job. Only when the scheduler can't be read are the jobs read.
 */
async function anyStillRunning(ctx: IWebhookFunctions, jobids: string[]): Promise<boolean> {
	const executing = await readExecutingJobids(ctx);
	if (executing) return jobids.some((id) => executing.has(id));
	for (const id of jobids) {
		if (!isTerminal(await readJob(ctx, id, jobKindOf(id)!, 0))) return true;
	}
	return false;
}

async function resumeWithResults(
	ctx: IWebhookFunctions,
	items: IDataObject[],
): Promise<IWebhookResponseData> {
	const settings = readWaitSettings(new ItemParameters(ctx), 30);
	const continueOnFail = continuesOnFail(ctx.getNode());
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, waiting] of items.entries()) {
		const jobid = waiting[WAITING_JOB];
		if (typeof jobid !== 'string') {
			// An item whose submission failed (Continue On Fail): its error item goes on as it was.
			output.push({ json: waiting, pairedItem: { item: itemIndex } });
			continue;
		}
		try {
			output.push(await resultItem(ctx, jobid, itemIndex, settings));
		} catch (error) {
			const nodeError = toNodeError(ctx.getNode(), error, itemIndex);
			if (!continueOnFail) throw nodeError;
			output.push(failedItem(ctx.getNode(), nodeError, itemIndex));
		}
	}
	return { workflowData: [output], webhookResponse: { received: true } };
}

async function resultItem(
	ctx: IWebhookFunctions,
	jobid: string,
	itemIndex: number,
	settings: WaitSettings,
): Promise<INodeExecutionData> {
	const job: JobRecord = await readJob(ctx, jobid, jobKindOf(jobid)!, itemIndex);
	if (job.status === 'failed') throw failedJobError(ctx.getNode(), job, itemIndex);
	const item: INodeExecutionData = { json: publicRecord(job), pairedItem: { item: itemIndex } };
	if (settings.download && job.status === 'completed') {
		item.binary = await downloadResults(ctx, job, settings.binaryProperty, itemIndex);
	}
	return item;
}
