import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { downloadResults } from '../shared/jobs/download';
import type { JobRecord } from '../shared/jobs/records';
import {
	EVENT_OF_STATUS,
	outputItem,
	parseCallback,
	readSettings,
	reply,
	verifyJob,
} from './callback';
import { apiContextWith, triggerCredentials, type TriggerCredentials } from './credentialCache';
import {
	SECRET_LABEL,
	SECRET_QUERY_PARAMETER,
	callbackSecretOf,
	rememberInProcess,
	secretMatches,
	secretProblem,
} from './security';

/** `<jobid>:<status>`: the same for every delivery of one callback, in every n8n process. */
export function dedupeKeyOf(jobid: string, status: string): string {
	return `${jobid}:${status}`;
}

/**
 * Version 2: one callback from the API (or from anyone who knows the URL). The Dreamina API waits
 * about 10 s for the answer and never sends a callback again, so the answer comes as soon as the
 * callback is known to be genuine, and the result is downloaded after it:
 * credential (cached) → secret → shape → job type → verification (one GET) → event → duplicate
 * (in memory) → answer → download → one item. Nothing is written to n8n's database here; n8n saves
 * the execution as for any webhook. Every refusal is answered here and starts nothing.
 */
export async function handleCallbackV2(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
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
	const secret = callbackSecretOf(credentials);
	const problem = secretProblem(secret, SECRET_LABEL.credential);
	if (problem) {
		ctx.logger.error(`Dreamina Trigger "${nodeName}" refused a callback: ${problem}`);
		return reply(ctx, 500, {
			error:
				'This Dreamina Trigger’s credential has no usable Callback Secret; callbacks are refused',
		});
	}
	const query = ctx.getQueryData() as IDataObject;
	if (!secretMatches(query[SECRET_QUERY_PARAMETER], secret)) {
		return reply(ctx, 401, { error: `Missing or wrong ${SECRET_QUERY_PARAMETER}` });
	}

	const posted = parseCallback(ctx.getBodyData());
	if ('error' in posted) return reply(ctx, 400, { error: posted.error });

	const settings = readSettings(ctx);
	if (settings.jobTypes.length > 0 && !settings.jobTypes.includes(posted.kind)) {
		return reply(ctx, 200, { received: true, ignored: `${posted.kind} jobs are not selected` });
	}

	let job: JobRecord = posted.record;
	if (settings.verify) {
		const verified = await verifyJob(ctx, posted, apiContextWith(ctx, credentials));
		if ('error' in verified) return reply(ctx, verified.status, { error: verified.error });
		job = verified.job;
	}

	const event = EVENT_OF_STATUS[job.status];
	if (!settings.events.includes(event)) {
		return reply(ctx, 200, { received: true, ignored: `${event} events are not selected` });
	}
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

	if (settings.download && job.status === 'completed') {
		try {
			item.binary = await downloadResults(ctx, job, settings.binaryProperty, 0);
		} catch (error) {
			// The job is done and paid for: emit it anyway, with the reason, rather than lose it.
			const { message, description } = error as Error & { description?: string | null };
			item.json.downloadError = { message, ...(description ? { description } : {}) };
			ctx.logger.warn(`Dreamina Trigger: result download failed: ${message}`, {
				jobid: posted.jobid,
			});
		}
	}
	return { noWebhookResponse: true, workflowData: [[item]] };
}
