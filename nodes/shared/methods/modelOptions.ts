import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { regionOfAccount } from '../assetRef';
import type { Region, VideoModel } from '../capabilities';
import {
	ALL_VIDEO_RATIOS,
	findVideoModel,
	NAMED_VIDEO_MODELS,
	REGIONS,
	VIDEO_MODELS,
	VIDEO_RATIOS,
	VIDEO_RESOLUTIONS,
} from '../capabilities';
import { currentValue } from './catalog';

/**
 * Generate Video's Duration, Aspect Ratio and Resolution dropdowns: what the chosen model takes
 * (in the chosen account's region), read from the model table alone. A model the table does not
 * know, none, or an expression: every value some model takes (the API decides).
 */
const MODEL_DEFAULT = 'Model Default';

const unique = <T>(values: T[]): T[] => [...new Set(values)];

/** The chosen model's row, and the regions whose values count (all for Auto, an expression or an unknown model). */
function chosen(ctx: ILoadOptionsFunctions): { model?: VideoModel; regions: Region[] } {
	const region = regionOfAccount(currentValue(ctx, 'account'));
	const model = findVideoModel(currentValue(ctx, 'model'));
	return { model, regions: model && region ? [region] : REGIONS };
}

const takers = (takes: (model: VideoModel) => boolean) =>
	VIDEO_MODELS.filter(takes)
		.map((model) => model.name)
		.join(', ');

export async function videoDurations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { model } = chosen(this);
	const seconds = model
		? model.durations
		: unique(VIDEO_MODELS.flatMap((m) => m.durations)).sort((a, b) => a - b);
	return [
		{
			name: MODEL_DEFAULT,
			value: '',
			description: model
				? `${model.defaultDuration} s`
				: VIDEO_MODELS.map((m) => `${m.name} ${m.defaultDuration} s`).join(', '),
		},
		...seconds.map((value) => ({
			name: `${value}`,
			value,
			description: model ? undefined : takers((m) => m.durations.includes(value)),
		})),
	];
}

export async function videoResolutions(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const { model, regions } = chosen(this);
	const taking = (resolution: (typeof VIDEO_RESOLUTIONS)[number]) =>
		regions
			.map((region) => {
				const names = takers(
					(m) => (!model || m === model) && m.resolutions[region].includes(resolution),
				);
				return names && `${region}: ${names}`;
			})
			.filter(Boolean);
	return [
		{
			name: MODEL_DEFAULT,
			value: '',
			description: (model ? [model] : VIDEO_MODELS)
				.map((m) => `${m.name} ${regions.map((r) => m.resolutions[r][0]).find(Boolean)}`)
				.join(', '),
		},
		...VIDEO_RESOLUTIONS.flatMap((resolution) => {
			const where = taking(resolution);
			return where.length === 0
				? []
				: [
						{
							name: resolution,
							value: resolution,
							description: model ? undefined : where.join('; '),
						},
					];
		}),
	];
}

export async function videoRatios(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const name = currentValue(this, 'model');
	const rows = [...VIDEO_MODELS, ...NAMED_VIDEO_MODELS];
	const row = rows.find((m) => m.name === name && m.ratios);
	const ratios = row?.ratios ?? ALL_VIDEO_RATIOS;
	return [
		{ name: 'Default (16:9)', value: '' },
		...ratios.map((ratio) => ({
			name: ratio,
			value: ratio,
			description:
				row || (VIDEO_RATIOS as readonly string[]).includes(ratio)
					? undefined
					: `Only ${rows
							.filter((m) => m.ratios?.includes(ratio))
							.map((m) => m.name)
							.join(', ')}`,
		})),
	];
}

export const modelOptions = { videoDurations, videoResolutions, videoRatios };
