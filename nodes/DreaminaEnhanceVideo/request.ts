import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { regionOfAccount } from '../shared/assetRef';
import { VIDEO_ENHANCEMENT } from '../shared/capabilities';
import type { RequestDraft } from '../shared/draft';
import { DraftBuilder, readJobOptions } from '../shared/draft';
import type { ValidationIssue } from '../shared/errors';
import type { ItemParameters } from '../shared/parameters';
import type { JobRecord } from '../shared/jobs/records';
import { accountOfJob, jobKindOf } from '../shared/jobs/records';
import { readJob } from '../shared/jobs/runJobs';
import { replyFields, schemaIssues } from '../shared/schemas/common';
import type { EnhanceOperation } from './properties';

/** One item's request: the source jobid and the operation's own field. */
export function readEnhanceRequest(
	operation: EnhanceOperation,
	params: ItemParameters,
): RequestDraft {
	const draft = new DraftBuilder(params);
	draft.text('jobid');
	if (operation === 'fullQuality') draft.text('resolution');
	if (operation === 'interpolate') draft.number('fps');
	return draft.draft(readJobOptions(draft), operation);
}

const schema = z
	.object({
		jobid: z
			.string()
			.trim()
			.min(1, 'is required: the ID of a completed video job')
			.refine(
				(id) => jobKindOf(id) !== 'image' && jobKindOf(id) !== 'upscale',
				'must be the ID of a video job, not an image job',
			),
		resolution: z.enum(VIDEO_ENHANCEMENT.fullQualityResolutions).optional(),
		fps: z
			.number()
			.refine((fps) => (VIDEO_ENHANCEMENT.interpolateFps as readonly number[]).includes(fps), {
				message: `must be ${VIDEO_ENHANCEMENT.interpolateFps.join(' or ')}`,
			})
			.optional(),
		...replyFields,
	})
	.strict();

export function enhanceRequestIssues(body: IDataObject): ValidationIssue[] {
	return schemaIssues(schema, body);
}

const issue = (rule: string, parameter = 'jobid'): ValidationIssue[] => [{ parameter, rule }];

/**
 * The documented rules on the source job, checked before anything is sent: it exists and is
 * completed; a draft is only finished, anything else only upscaled or interpolated; upscales are
 * not upscaled again, interpolations not interpolated again; 4K only on CA; one request per source
 * and operation in a run (each video once).
 */
export async function sourceIssues(
	operation: EnhanceOperation,
	ctx: IExecuteFunctions,
	body: IDataObject,
	itemIndex: number,
	claimed: Set<string>,
): Promise<ValidationIssue[]> {
	const jobid = String(body.jobid).trim();
	let source: JobRecord;
	try {
		source = await readJob(ctx, jobid, 'video', itemIndex);
	} catch (error) {
		return issue(`could not be read as a video job (${(error as Error).message})`);
	}
	if (source.status !== 'completed')
		return issue(`is ${source.status}: the source video must be completed first`);
	const draft = source.model === VIDEO_ENHANCEMENT.draftModel && source.type === 'video';
	if (operation === 'fullQuality') {
		if (!draft)
			return issue(
				`is a ${source.model ?? 'video'} ${source.type ?? 'video'} job, not a ${VIDEO_ENHANCEMENT.draftModel} draft: only drafts are finished in full quality (use Upscale for other videos)`,
			);
		const region = regionOfAccount(accountOfJob(jobid));
		const resolution = typeof body.resolution === 'string' ? body.resolution : undefined;
		if (
			resolution &&
			region &&
			region !== 'CA' &&
			VIDEO_ENHANCEMENT.caOnlyResolutions.includes(resolution)
		)
			return issue(
				`${resolution} is for CA accounts only; this draft was made on ${accountOfJob(jobid)}: choose 1080p`,
				'resolution',
			);
	} else {
		if (draft)
			return issue(
				`is a ${VIDEO_ENHANCEMENT.draftModel} draft, which cannot be upscaled or interpolated: finish it in full quality first`,
			);
		const again =
			operation === 'upscale'
				? source.type === VIDEO_ENHANCEMENT.upscaleType ||
					source.type === VIDEO_ENHANCEMENT.interpolateType
				: source.type === VIDEO_ENHANCEMENT.interpolateType;
		if (again)
			return issue(
				`is a ${source.type} job: ${operation === 'upscale' ? 'upscale the original video' : 'a video is interpolated once'}`,
			);
	}
	const key = `${operation} ${jobid}`;
	if (claimed.has(key))
		return issue(
			`is already ${operation === 'fullQuality' ? 'finished' : `${operation}d`} by another item of this run: each video once`,
		);
	claimed.add(key);
	return [];
}
