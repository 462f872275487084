import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { callbackSecretOf } from '../shared/callbackSecret';
import { attachResult, outputItem, reply, screenCallback } from './callback';
import { apiContextWith, triggerCredentials, type TriggerCredentials } from './credentialCache';
import { SECRET_LABEL, rememberInProcess } from './security';

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
	const screened = await screenCallback(
		ctx,
		{
			secret: callbackSecretOf(credentials),
			label: SECRET_LABEL.credential,
			unusable:
				'This Dreamina Trigger’s credential has no usable Callback Secret; callbacks are refused',
		},
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
