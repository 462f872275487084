import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { checkBinaryFile, uploadFile } from '../shared/assets/upload';
import { ASSET_CONTENT_TYPES } from '../shared/capabilities';
import { accountLocator, readAccountId } from '../shared/fields/account';
import { planItems, runPlans } from '../shared/itemRunner';
import { fieldNamer, propertyLabel } from '../shared/labels';
import { listSearch } from '../shared/methods/listSearch';
import { ItemParameters } from '../shared/parameters';
import { valueSubtitle } from '../shared/subtitles';

/**
 * Uploads at once. Each upload is streamed, so memory does not grow with this number; a few at a
 * time hide the per-request wait for batches of small images without splitting the bandwidth among
 * many large videos.
 */
export const UPLOAD_CONCURRENCY = 3;

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

const accountDescription =
	'The Dreamina account the file is uploaded to: generate with the same account, an assetRef only works there';

const properties: INodeProperties[] = [
	{ ...accountLocator(false), description: accountDescription },
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
				name: 'From File (Bytes, MIME Type, Then Extension)',
				value: '',
				description:
					'What the file’s bytes are when they tell (a PNG labelled image/jpeg is sent as image/png), else its MIME type, else its extension',
			},
			...contentTypeOptions,
		],
		default: '',
		description:
			'The Content-Type the file is sent with; it tells Dreamina whether the file is an image, a video or audio',
	},
];

export class DreaminaUploadAsset implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dreamina Upload Asset',
		name: 'dreaminaUploadAsset',
		icon: { light: 'file:../shared/dreamina.svg', dark: 'file:../shared/dreamina.dark.svg' },
		group: ['transform'],
		version: 2,
		subtitle: valueSubtitle('account', 'Choose an Account'),
		description:
			'Upload an image, video or audio file to a Dreamina account and get the assetRef that Generate Video and Generate Image take as a reference',
		defaults: { name: 'Dreamina Upload Asset' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dreaminaApi', required: true }],
		properties,
	};

	methods = { listSearch };

	/**
	 * Every item's file is read and checked first: when one is invalid nothing is uploaded (with
	 * Continue On Fail it becomes an error item and the others go ahead). Uploads are never resent.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const nameField = fieldNamer(properties, {});
		const plans = await planItems(
			this,
			async (itemIndex) => {
				const params = new ItemParameters(this, itemIndex);
				const account = readAccountId(params);
				const field = params.text('binaryPropertyName') ?? 'data';
				const checked = await checkBinaryFile(
					this,
					itemIndex,
					{ field, label: propertyLabel(properties, 'binaryPropertyName')! },
					{ contentType: params.text('contentType'), nameField },
				);
				return { account, checked };
			},
			properties,
		);
		const output = await runPlans(this, plans, {
			concurrency: UPLOAD_CONCURRENCY,
			run: async ({ account, checked }, itemIndex) => {
				const uploaded = await uploadFile(this, account, checked, itemIndex);
				const { binary } = this.getInputData()[itemIndex];
				return [{ json: uploaded, binary, pairedItem: { item: itemIndex } }];
			},
		});
		return [output];
	}
}
