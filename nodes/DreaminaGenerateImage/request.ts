import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { compact, readJobOptions } from '../shared/descriptions';

export interface ImageParameters {
	account?: string;
	prompt?: string;
	model?: string;
	referenceImages?: string[];
	ratio?: string;
	resolution?: string;
	imageStrength?: number;
	options?: IDataObject;
}

/** POST /images body; image strength only goes with reference images, empty fields are left out. */
export function buildImageRequest(p: ImageParameters): IDataObject {
	const refs = (p.referenceImages ?? []).map((ref) => ref.trim()).filter(Boolean);
	const body: IDataObject = {
		account: p.account,
		prompt: p.prompt?.trim(),
		model: p.model,
		ratio: p.ratio,
		resolution: p.resolution,
		imageStrength: refs.length ? p.imageStrength : undefined,
	};
	refs.forEach((ref, index) => (body[`imageRef_${index + 1}`] = ref));
	return compact({ ...body, ...compact(p.options ?? {}) });
}

export function readImageParameters(ctx: IExecuteFunctions, i: number): ImageParameters {
	const param = <T>(name: string, fallback: T) => ctx.getNodeParameter(name, i, fallback) as T;
	return {
		account: param('account', ''),
		prompt: param('prompt', ''),
		model: param('model', ''),
		referenceImages: param<Array<{ assetRef?: string }>>('referenceImages.image', []).map(
			(r) => r.assetRef ?? '',
		),
		ratio: param('ratio', ''),
		resolution: param('resolution', ''),
		imageStrength: param<number | undefined>('imageStrength', undefined),
		options: readJobOptions(ctx, i),
	};
}
