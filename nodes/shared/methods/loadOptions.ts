import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { VideoMode } from '../capabilities';
import {
	findImageModel,
	findVideoModel,
	IMAGE_MODELS,
	VIDEO_MODE_LABELS,
	VIDEO_MODELS,
} from '../capabilities';
import { describeDurations } from '../schemas/video';
import { apiRequest } from '../transport';

interface AccountSummary {
	account?: string;
	region?: string;
	maxJobs?: number;
	error?: string;
	models?: { video?: string[]; image?: string[] };
}

/** A parameter's current value in the editor, or undefined while it is empty or an expression. */
function currentValue(ctx: ILoadOptionsFunctions, name: string): string | undefined {
	const value = ctx.getCurrentNodeParameter(name);
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(value);
	return text.startsWith('=') ? undefined : text;
}

async function listAccounts(ctx: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const accounts = await apiRequest<Record<string, AccountSummary>>(ctx, {
		method: 'GET',
		path: ['accounts'],
		context: { action: 'list the accounts' },
	});
	return Object.entries(accounts)
		.map(([id, account]) => ({
			name: id,
			value: id,
			description: [
				`Region ${account.region ?? id.split(':')[0]}`,
				account.maxJobs ? `up to ${account.maxJobs} jobs at once` : undefined,
				account.error ? `problem: ${account.error}` : undefined,
			]
				.filter(Boolean)
				.join(' · '),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getAccounts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await listAccounts(this);
}

export async function getAccountsWithAuto(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return [
		{
			name: 'Auto (Any Account with Capacity)',
			value: '',
			description:
				'The API picks an account with free capacity, or the one the assetRefs belong to',
		},
		...(await listAccounts(this)),
	];
}

/** The models an account offers today (GET /accounts/{account} → models), or undefined when unknown. */
async function liveModels(
	ctx: ILoadOptionsFunctions,
	kind: 'video' | 'image',
): Promise<string[] | undefined> {
	const account = currentValue(ctx, 'account');
	if (!account) return undefined;
	try {
		const details = await apiRequest<AccountSummary>(ctx, {
			method: 'GET',
			path: ['accounts', account],
			context: { action: 'read the account’s models', account },
		});
		const models = details.models?.[kind];
		return Array.isArray(models) && models.length ? models : undefined;
	} catch {
		// The documented list is a fine answer when the live one can't be had (it is only a dropdown).
		return undefined;
	}
}

const modeNames = (modes: VideoMode[]) => modes.map((mode) => VIDEO_MODE_LABELS[mode]).join(', ');

export async function getVideoModels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const mode = currentValue(this, 'inputMode') as VideoMode | undefined;
	const live = await liveModels(this, 'video');
	const names = live ?? VIDEO_MODELS.map((m) => m.name);
	const options = names
		.map((name): INodePropertyOptions | undefined => {
			const model = findVideoModel(name);
			if (!model) {
				return {
					name,
					value: name,
					description: 'Offered by the account; not in the documentation this node knows',
				};
			}
			if (mode && !model.modes.includes(mode)) return undefined;
			return {
				name,
				value: name,
				description: `${describeDurations(model.durations)} s · ${model.resolutions.join('/')} · ${modeNames(model.modes)} · ${model.regions.join('+')}`,
			};
		})
		.filter((option): option is INodePropertyOptions => option !== undefined);
	return [
		{
			name: 'Account Default',
			value: '',
			description: 'Uses seedance-2.0 on CA accounts and seedance-1.5-pro on US accounts',
		},
		...options,
	];
}

export async function getImageModels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const live = await liveModels(this, 'image');
	const names = live ?? IMAGE_MODELS.map((m) => m.name);
	return names.map((name) => {
		const model = findImageModel(name);
		return {
			name,
			value: name,
			description: model
				? `${model.resolutions.join('/')} · up to ${model.maxRefs} reference image${model.maxRefs === 1 ? '' : 's'} · prompt ${model.promptRequired ? 'required' : 'optional with references'}${model.autoRatio ? '' : ' · no auto ratio'}`
				: 'Offered by the account; not in the documentation this node knows',
		};
	});
}

export async function getVideoDurations(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const model = findVideoModel(currentValue(this, 'model'));
	const durations = model?.durations ?? Array.from({ length: 12 }, (_, i) => i + 4);
	return [
		{
			name: 'Model Default',
			value: '',
			description: model ? `${model.defaultDuration} Seconds` : 'The API’s default (5 seconds)',
		},
		...durations.map((seconds) => ({ name: `${seconds} Seconds`, value: seconds })),
	];
}

export async function getVideoResolutions(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const model = findVideoModel(currentValue(this, 'model'));
	const resolutions = model?.resolutions ?? ['720p', '1080p'];
	return [
		{
			name: 'Model Default',
			value: '',
			description: model ? resolutions[0] : '720p (1080p for seedance-1.0-pro)',
		},
		...resolutions.map((resolution) => ({ name: resolution, value: resolution })),
	];
}

export async function getImageResolutions(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const model = findImageModel(currentValue(this, 'model'));
	const resolutions = model?.resolutions ?? ['1k', '2k', '4k'];
	return [
		{
			name: 'Model Default',
			value: '',
			description: model ? model.defaultResolution : 'Depends on the model',
		},
		...resolutions.map((resolution) => ({ name: resolution, value: resolution })),
	];
}

export const loadOptions = {
	getAccounts,
	getAccountsWithAuto,
	getVideoModels,
	getImageModels,
	getVideoDurations,
	getVideoResolutions,
	getImageResolutions,
};
