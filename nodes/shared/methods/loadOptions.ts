import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { findImageModel, findVideoModel, IMAGE_RESOLUTIONS, VIDEO_RESOLUTIONS } from '../capabilities';
import { accountOptions, currentValue, imageModelOptions, videoModelOptions } from './catalog';

/** Dropdowns of version 1 (options fields); version 2 uses resource locators (listSearch.ts). */

export async function getAccounts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await accountOptions(this, false, '');
}

export async function getAccountsWithAuto(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await accountOptions(this, true, '');
}

export async function getVideoModels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await videoModelOptions(this);
}

export async function getImageModels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await imageModelOptions(this);
}

export async function getVideoDurations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
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

export async function getVideoResolutions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const model = findVideoModel(currentValue(this, 'model'));
	const resolutions = model ? [...new Set([...model.resolutions.US, ...model.resolutions.CA])] : VIDEO_RESOLUTIONS;
	return [
		{
			name: 'Model Default',
			value: '',
			description: model ? resolutions[0] : '720p (1080p for seedance-1.0-pro)',
		},
		...resolutions.map((resolution) => ({ name: resolution, value: resolution })),
	];
}

export async function getImageResolutions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const model = findImageModel(currentValue(this, 'model'));
	const resolutions = model?.resolutions ?? IMAGE_RESOLUTIONS;
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
