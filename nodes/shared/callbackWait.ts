import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readWaitSettings } from './descriptions';
import { continuesOnFail, failedJobError, waitTimeoutError } from './errors';
import { downloadResults } from './download';
import type { JobPlan, WaitSettings } from './jobRunner';
import { errorItem, readJob } from './jobRunner';
import type { JobRecord } from './jobs';
import { isTerminal, jobKindOf } from './jobs';
import { apiRequest } from './transport';

/**
 * Wait for Callback: the job's replyUrl is this execution's resume URL and the execution waits in
 * n8n's waiting state (no worker held, no polling). The API's terminal callback resumes it through
 * the node's webhook(); if none comes in time, n8n resumes it at the deadline and the node outputs the
 * job marked `timedOut` with the timeout error and jobid (n8n passes data on at a deadline; it cannot throw).
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

export async function submitAndWaitForCallback(
	ctx: IExecuteFunctions,
	plans: JobPlan[],
	settings: WaitSettings,
): Promise<INodeExecutionData[][]> {
	if (plans.length !== 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Wait for Callback takes one item per execution; this run has ${plans.length}`,
			{
				description:
					'A waiting execution resumes on the first finished job, so several jobs cannot be awaited this way. Use Poll Until Done, or loop over the items (Loop Over Items node) so each run submits one job.',
			},
		);
	}
	const [plan] = plans;
	if ('invalid' in plan) throw plan.invalid;
	if (!('submit' in plan))
		throw new NodeOperationError(ctx.getNode(), 'Wait for Callback needs a job to submit');
	if (plan.submit.body.replyUrl) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Options › Reply URL: cannot be set with Wait for Callback',
			{
				itemIndex: 0,
				description:
					'Wait for Callback uses this execution’s own resume URL as the Reply URL. Remove the option, or choose another Wait for Completion mode.',
			},
		);
	}
	const resumeUrl = ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0) as string;
	const job = await apiRequest<JobRecord>(ctx, {
		method: 'POST',
		path: plan.submit.path,
		body: { ...plan.submit.body, replyUrl: resumeUrl },
		context: {
			action: `submit the ${plan.submit.kind} job`,
			createsJob: true,
			account: plan.submit.account,
			itemIndex: 0,
		},
		capacityWaitMs: settings.timeoutMinutes * 60_000,
	});
	// When n8n resumes a wait at its deadline it does not run the node again: it passes the node's input on.
	// So the input becomes what a timeout must output: the job, marked as timed out, with its jobid.
	const timeout = waitTimeoutError(ctx.getNode(), job.jobid, settings.timeoutMinutes, 0);
	ctx.getExecuteData().data.main = [
		[
			{
				json: {
					...job,
					timedOut: true,
					error: timeout.message,
					description: timeout.description ?? '',
				},
				pairedItem: { item: 0 },
			},
		],
	];
	await ctx.putExecutionToWait(new Date(Date.now() + settings.timeoutMinutes * 60_000));
	return [[{ json: job, pairedItem: { item: 0 } }]];
}

function reply(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/**
 * The callback's body is not trusted: the job is read from the API with the credential, and must be
 * the one submitted by this execution (its replyUrl is this execution's resume URL).
 */
export async function resumeFromCallback(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = ctx.getBodyData() as IDataObject;
	const jobid = typeof body?.jobid === 'string' ? body.jobid : undefined;
	const kind = jobid ? jobKindOf(jobid) : undefined;
	if (!jobid || !kind || typeof body.status !== 'string') {
		return reply(ctx, 400, { error: 'Expected a Dreamina job record with jobid and status' });
	}
	// The submission callback: keep waiting for the terminal one.
	if (body.status === 'created') return reply(ctx, 200, { received: true, waiting: true });

	let job: JobRecord;
	try {
		job = await readJob(ctx, jobid, kind, 0);
	} catch {
		return reply(ctx, 403, { error: 'Unknown job' });
	}
	const resumeUrl = String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const replyUrl = String(job.request?.replyUrl ?? '');
	if (!replyUrl || replyUrl.split('?')[0] !== resumeUrl.split('?')[0]) {
		return reply(ctx, 403, { error: 'This job was not submitted by this execution' });
	}
	if (!isTerminal(job)) return reply(ctx, 200, { received: true, waiting: true });

	const settings = readWaitSettings((name, fallback) => ctx.getNodeParameter(name, fallback));
	if (job.status === 'failed') {
		const error = failedJobError(ctx.getNode(), job, 0);
		if (!continuesOnFail(ctx.getNode())) throw error;
		return { workflowData: [[errorItem(error, 0)]], webhookResponse: { received: true } };
	}
	const item: INodeExecutionData = { json: job, pairedItem: { item: 0 } };
	if (settings.download) item.binary = await downloadResults(ctx, job, settings.binaryProperty, 0);
	return { workflowData: [[item]], webhookResponse: { received: true } };
}
