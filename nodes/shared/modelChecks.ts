import type { IDataObject } from 'n8n-workflow';

import type { Region, VideoModel } from './capabilities';
import { parseAssetRef } from './assetRef';
import {
	DEFAULT_IMAGE_MODEL,
	DEFAULT_VIDEO_MODEL,
	describeDurations,
	findImageModel,
	findVideoModel,
	IMAGE_MODELS,
	REGIONS,
	VIDEO_LIMITS,
	VIDEO_MODELS,
} from './capabilities';
import type { ValidationIssue } from './errors';
import type { VideoMode } from './videoInputModes';
import { OMNI_KINDS, VIDEO_INPUT_MODES } from './videoInputModes';

/**
 * Model limits, checked before sending. The account's live model list (GET /accounts/{account})
 * decides which models it offers; the documented table says what each model takes (durations,
 * resolutions per region, input modes). A model the table does not know passes: the API decides.
 * The user can skip these checks (Options › Skip Model Limit Checks) when the docs lag behind.
 */
export interface ModelFacts {
	account?: string;
	region?: Region;
	/** the account's live model list, when it could be read */
	offered?: string[];
}

const issue = (parameter: string, rule: string): ValidationIssue => ({ parameter, rule });

function offeredList(offered: string[] | undefined, fallback: string[]): string {
	return (offered ?? fallback).join(', ') || 'none';
}

export function videoModelIssues(
	mode: VideoMode,
	request: IDataObject,
	facts: ModelFacts,
): ValidationIssue[] {
	const explicit = typeof request.model === 'string' ? request.model : undefined;
	const name = explicit ?? (facts.region ? DEFAULT_VIDEO_MODEL[facts.region] : undefined);
	const modeLabel = VIDEO_INPUT_MODES[mode].label;
	const documentedForMode = VIDEO_MODELS.filter((m) => m.modes.includes(mode)).map((m) => m.name);
	const forMode = (facts.offered ?? documentedForMode).filter((m) => {
		const known = findVideoModel(m);
		return !known || known.modes.includes(mode);
	});
	if (!name) {
		// Auto account and no model: the default depends on the account the API picks.
		return mode === 'multi_frame'
			? [
					issue(
						'model',
						`${modeLabel} needs a model that supports keyframes: choose ${documentedForMode.join(' or ')}`,
					),
				]
			: [];
	}
	if (explicit && facts.offered && !facts.offered.includes(explicit)) {
		return [
			issue(
				'model',
				`${explicit} is not offered by ${facts.account ?? 'this account'}; it offers ${offeredList(facts.offered, [])}`,
			),
		];
	}
	const model = findVideoModel(name);
	if (!model) return [];
	const which = explicit ? name : `${name} (the default for ${facts.region} accounts)`;
	if (!model.modes.includes(mode)) {
		return [
			issue(
				'model',
				`${which} does not support ${modeLabel}; models that do: ${forMode.join(', ')}`,
			),
		];
	}
	const issues: ValidationIssue[] = [];
	const duration = typeof request.duration === 'number' ? request.duration : undefined;
	if (duration !== undefined && !model.durations.includes(duration)) {
		issues.push(
			issue(
				'duration',
				`${model.name} takes ${describeDurations(model.durations)} seconds, not ${duration}`,
			),
		);
	}
	const total = keyframeTotal(mode, request);
	if (total !== undefined && !model.durations.includes(total)) {
		issues.push(
			issue(
				'frame_1_duration',
				`the durations of all keyframes but the last add up to ${total} s, which ${model.name} does not take; they must add up to ${describeDurations(model.durations)} seconds`,
			),
		);
	}
	const resolution = typeof request.resolution === 'string' ? request.resolution : undefined;
	const allowed = resolutionsOf(model, facts.region);
	if (resolution && !allowed.includes(resolution)) {
		const where = facts.region ? ` on ${facts.region} accounts` : '';
		issues.push(issue('resolution', `${model.name} supports ${allowed.join(', ')} only${where}`));
	}
	if (typeof request.ratio === 'string' && !model.ratios.includes(request.ratio)) {
		issues.push(issue('ratio', `${model.name} takes ${model.ratios.join(', ')} only`));
	}
	if (typeof request.prompt === 'string' && request.prompt.length > model.promptMaxChars) {
		issues.push(
			issue(
				'prompt',
				`${model.name} takes at most ${model.promptMaxChars} characters, got ${request.prompt.length}`,
			),
		);
	}
	return [...issues, ...referenceIssues(model, request)];
}

/** The model's own caps on omni references (per kind, in all, summed lengths) and each video's length. */
function referenceIssues(model: VideoModel, request: IDataObject): ValidationIssue[] {
	const issues: ValidationIssue[] = [];
	const refs = (pattern: RegExp) =>
		Object.keys(request)
			.filter((key) => pattern.test(key) && typeof request[key] === 'string' && request[key])
			.map((key) => ({ key, parsed: parseAssetRef(request[key] as string) }));
	const span = model.refVideoMs;
	if (span) {
		for (const { key, parsed } of refs(/(?:^omni_\d+_videoRef|^editVideoRef)$/)) {
			const ms = parsed?.durationMs;
			if (ms !== undefined && (ms < span.min || ms > span.max))
				issues.push(
					issue(
						key,
						`lasts ${(ms / 1000).toFixed(1)} s; ${model.name} takes reference videos of ${span.min / 1000}–${span.max / 1000} s`,
					),
				);
		}
	}
	const omni = model.omni;
	if (omni) {
		const caps = { image: omni.maxImages, video: omni.maxVideos, audio: omni.maxAudios };
		let total = 0;
		for (const kind of OMNI_KINDS) {
			const list = refs(new RegExp(`^omni_\\d+_${kind}Ref$`));
			total += list.length;
			if (list.length > caps[kind])
				issues.push(
					issue(
						`omni_${caps[kind] + 1}_${kind}Ref`,
						`${model.name} takes at most ${caps[kind]} ${kind} references, got ${list.length}`,
					),
				);
			const limit =
				kind === 'video'
					? omni.maxTotalVideoMs
					: kind === 'audio'
						? omni.maxTotalAudioMs
						: undefined;
			const ms = list.reduce((sum, r) => sum + (r.parsed?.durationMs ?? 0), 0);
			if (limit !== undefined && ms > limit)
				issues.push(
					issue(
						list[list.length - 1].key,
						`${kind} references last ${(ms / 1000).toFixed(1)} s together; ${model.name} takes ${limit / 1000} s`,
					),
				);
		}
		if (total > omni.maxMaterials)
			issues.push(
				issue(
					'omni_1_imageRef',
					`${model.name} takes at most ${omni.maxMaterials} references in all, got ${total}`,
				),
			);
	}
	return issues;
}

/**
 * Whether the request names a model the table has no limits for (a model of the account's live list
 * no page describes yet, or one the docs only name): it is sent unchecked and the item says so.
 */
export function uncheckedVideoModel(request: IDataObject): string | undefined {
	const name = typeof request.model === 'string' ? request.model : undefined;
	return name && !findVideoModel(name) ? name : undefined;
}

/** A multi-frame video lasts as long as the intervals: the durations of every keyframe but the last. */
function keyframeTotal(mode: VideoMode, request: IDataObject): number | undefined {
	if (!VIDEO_INPUT_MODES[mode].keyframes) return undefined;
	const frames = Object.keys(request)
		.map((key) => /^frame_(\d+)_imageRef$/.exec(key)?.[1])
		.filter((n): n is string => n !== undefined)
		.map(Number)
		.sort((a, b) => a - b);
	return frames.slice(0, -1).reduce((sum, n) => {
		const duration = request[`frame_${n}_duration`];
		return (
			sum + (typeof duration === 'number' ? duration : VIDEO_LIMITS.multiFrame.defaultDuration)
		);
	}, 0);
}

/** What the model takes in the region; with the region unknown, what it takes in any region. */
function resolutionsOf(model: VideoModel, region: Region | undefined): string[] {
	if (region) return model.resolutions[region];
	return [...new Set(REGIONS.flatMap((r) => model.resolutions[r]))];
}

export function imageModelIssues(request: IDataObject, facts: ModelFacts): ValidationIssue[] {
	const explicit = typeof request.model === 'string' ? request.model : undefined;
	if (explicit && facts.offered && !facts.offered.includes(explicit)) {
		return [
			issue(
				'model',
				`${explicit} is not offered by ${facts.account ?? 'this account'}; it offers ${offeredList(
					facts.offered,
					IMAGE_MODELS.map((m) => m.name),
				)}`,
			),
		];
	}
	const model = findImageModel(explicit ?? DEFAULT_IMAGE_MODEL);
	if (!model) return [];
	const refs = Object.keys(request).filter(
		(key) => /^imageRef_\d+$/.test(key) && request[key],
	).length;
	const issues: ValidationIssue[] = [];
	if (!request.prompt && model.promptRequired)
		issues.push(issue('prompt', `is required for ${model.name}`));
	if (refs > model.maxRefs) {
		issues.push(
			issue(
				`imageRef_${model.maxRefs + 1}`,
				`${model.name} takes at most ${model.maxRefs} reference image${model.maxRefs === 1 ? '' : 's'}, got ${refs}`,
			),
		);
	}
	if (
		typeof request.resolution === 'string' &&
		!model.resolutions.includes(request.resolution as never)
	) {
		issues.push(issue('resolution', `${model.name} supports ${model.resolutions.join(', ')} only`));
	}
	if (request.ratio === 'auto' && !model.autoRatio) {
		issues.push(issue('ratio', `${model.name} has no auto ratio: choose a fixed ratio`));
	}
	return issues;
}
