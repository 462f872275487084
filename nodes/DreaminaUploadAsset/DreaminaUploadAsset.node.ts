import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ASSET_CONTENT_TYPES } from '../shared/capabilities';
import { accountProperty } from '../shared/descriptions';
import { loadOptions } from '../shared/methods/loadOptions';
import { uploadAssets } from './upload';

const KIND_LABEL = { image: 'Image', video: 'Video', audio: 'Audio' };

const contentTypeOptions: INodePropertyOptions[] = Object.entries(ASSET_CONTENT_TYPES)
	.map(([type, { kind, extensions }]) => ({
		name: `${KIND_LABEL[kind]}: ${type}`,
		value: type,
		description: extensions.length
			? `Files ending in .${extensions.join(', .')}`
			: 'Another name the API takes for this type',
	}))
	.sort((a, b) => a.name.localeCompare(b.name));

export class DreaminaUploadAsset implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Upload Asset',
		name: 'dreaminaUploadAsset',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["account"] }}',
		description:
			'Upload an image, video or audio file to a Dreamina account and get the assetRef that Generate Video and Generate Image take as a reference',
		defaults: { name: 'Dreamina Upload Asset' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		properties: [
			{
				...accountProperty(false),
				description:
					'The Dreamina account the file is uploaded to: generate with the same account, an assetRef only works there. Choose from the list, or specify an ID (REGION:email) using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Input Binary Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				required: true,
				placeholder: 'e.g. data',
				hint: 'The name of the input binary field containing the file to be uploaded',
				description:
					'Images (JPEG, PNG, WebP) up to 10 MB; videos (MP4, MOV, WebM) up to 50 MB, 2–15.4 s, 200–2160 px per side; audio (MP3, WAV, M4A, AAC) up to 15 MB, 2–15 s',
			},
			{
				displayName: 'Content Type',
				name: 'contentType',
				type: 'options',
				options: [
					{
						name: 'From File (MIME Type, Then Extension)',
						value: '',
						description:
							'The file’s MIME type when Dreamina takes it, else the type its extension stands for (.jpg, .png, .webp, .mp4, .mov, .webm, .mp3, .wav, .m4a, .aac)',
					},
					...contentTypeOptions,
				],
				default: '',
				description:
					'The Content-Type the file is sent with; it tells Dreamina whether the file is an image, a video or audio',
			},
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await uploadAssets(this);
	}
}
