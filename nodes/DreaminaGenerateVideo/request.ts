import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { VideoMode } from '../shared/capabilities';
import { findVideoModel } from '../shared/capabilities';
import { compact, readJobOptions } from '../shared/descriptions';

export interface Keyframe {
	imageRef?: string;
	prompt?: string;
	duration?: number;
}

export interface VideoParameters {
	account?: string;
	inputMode: VideoMode;
	model?: string;
	prompt?: string;
	firstFrameRef?: string;
	endFrameRef?: string;
	keyframes?: Keyframe[];
	references?: { image?: string[]; video?: string[]; audio?: string[] };
	duration?: number | string;
	ratio?: string;
	resolution?: string;
	options?: IDataObject;
}

const USES_PROMPT: VideoMode[] = ['prompt', 'first_frame', 'end_frame', 'omni'];
const USES_RATIO: VideoMode[] = ['prompt', 'omni'];

const text = (value: unknown) =>
	typeof value === 'string' ? value.trim() || undefined : undefined;

/**
 * POST /videos body for the chosen input mode. Only the fields that mode uses are sent, and a field
 * the user left at "default" is left out, except a duration the API's default (5 s) would break.
 */
export function buildVideoRequest(p: VideoParameters): IDataObject {
	const body: IDataObject = {
		account: text(p.account),
		model: text(p.model),
		prompt: USES_PROMPT.includes(p.inputMode) ? text(p.prompt) : undefined,
		ratio: USES_RATIO.includes(p.inputMode) ? text(p.ratio) : undefined,
		resolution: text(p.resolution),
	};

	if (p.inputMode !== 'multi_frame') {
		const model = findVideoModel(body.model as string | undefined);
		if (p.duration !== undefined && p.duration !== '') body.duration = Number(p.duration);
		else if (model && !model.durations.includes(5)) body.duration = model.defaultDuration;
	}
	if (p.inputMode === 'first_frame' || p.inputMode === 'end_frame')
		body.firstFrameRef = text(p.firstFrameRef);
	if (p.inputMode === 'end_frame') body.endFrameRef = text(p.endFrameRef);
	if (p.inputMode === 'multi_frame') {
		(p.keyframes ?? []).forEach((frame, index) => {
			const n = index + 1;
			body[`frame_${n}_imageRef`] = text(frame.imageRef);
			body[`frame_${n}_prompt`] = text(frame.prompt);
			if (frame.duration !== undefined && String(frame.duration) !== '') {
				body[`frame_${n}_duration`] = Number(frame.duration);
			}
		});
	}
	if (p.inputMode === 'omni') {
		for (const kind of ['image', 'video', 'audio'] as const) {
			(p.references?.[kind] ?? []).forEach((ref, index) => {
				body[`omni_${index + 1}_${kind}Ref`] = text(ref);
			});
		}
	}
	return compact({ ...body, ...compact(p.options ?? {}) });
}

/** Reads one item's parameters from the node. */
export function readVideoParameters(ctx: IExecuteFunctions, i: number): VideoParameters {
	const inputMode = ctx.getNodeParameter('inputMode', i) as VideoMode;
	const param = <T>(name: string, fallback: T) => ctx.getNodeParameter(name, i, fallback) as T;
	const refs = (name: string) =>
		param<Array<{ assetRef?: string }>>(`references.${name}`, []).map((r) => r.assetRef ?? '');
	return {
		account: param('account', ''),
		inputMode,
		model: param('model', ''),
		prompt: USES_PROMPT.includes(inputMode) ? param('prompt', '') : undefined,
		firstFrameRef:
			inputMode === 'first_frame' || inputMode === 'end_frame'
				? param('firstFrameRef', '')
				: undefined,
		endFrameRef: inputMode === 'end_frame' ? param('endFrameRef', '') : undefined,
		keyframes:
			inputMode === 'multi_frame' ? param<Keyframe[]>('keyframes.keyframe', []) : undefined,
		references:
			inputMode === 'omni'
				? { image: refs('image'), video: refs('video'), audio: refs('audio') }
				: undefined,
		duration: inputMode === 'multi_frame' ? undefined : param<number | string>('duration', ''),
		ratio: USES_RATIO.includes(inputMode) ? param('ratio', '') : undefined,
		resolution: param('resolution', ''),
		options: readJobOptions(ctx, i),
	};
}
