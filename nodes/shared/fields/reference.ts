import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { AssetKind } from '../capabilities';

/**
 * A reference (first frame, keyframe image, omni video, …): a file of the input item,
 * uploaded by the node to the account that generates, or an assetRef uploaded before.
 */
export type ReferenceSource = 'binary' | 'assetRef';
export const REFERENCE_SOURCES: ReferenceSource[] = ['binary', 'assetRef'];

const KIND_FILES: Record<AssetKind, string> = {
	image: 'JPEG, PNG or WebP, up to 10 MB',
	video: 'MP4, MOV or WebM, 2–15.4 s, up to 50 MB',
	audio: 'MP3, WAV, M4A or AAC, 2–15 s, up to 15 MB',
};

function sourceField(
	name: string,
	kind: AssetKind,
	displayOptions?: IDisplayOptions,
): INodeProperties {
	return {
		displayName: 'Input Type',
		name,
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: `A file of the input item (${KIND_FILES[kind]}); the node uploads it to the account that generates`,
			},
			{
				name: 'Asset Ref',
				value: 'assetRef',
				description:
					'An assetRef from Dreamina Upload Asset, the account’s history or an earlier image job',
			},
		],
		default: 'binary',
		...(displayOptions ? { displayOptions } : {}),
	};
}

function binaryField(
	name: string,
	defaultField: string,
	displayOptions: IDisplayOptions,
): INodeProperties {
	return {
		displayName: 'Input Binary Field',
		name,
		type: 'string',
		default: defaultField,
		placeholder: 'e.g. data',
		hint: 'The name of the input item’s binary field that holds the file',
		displayOptions,
	};
}

function assetRefField(
	name: string,
	kind: AssetKind,
	displayOptions: IDisplayOptions,
): INodeProperties {
	return {
		displayName: 'Asset Ref',
		name,
		type: 'string',
		default: '',
		placeholder: '={{ $json.assetRef }}',
		description: `An ${kind} assetRef`,
		displayOptions,
	};
}

/**
 * Three top-level fields for a single reference: `<prefix>Source`, `<prefix>BinaryProperty` and
 * `<refName>` (the assetRef; its name is the API's).
 */
export function singleReferenceFields(spec: {
	prefix: string;
	refName: string;
	label: string;
	description: string;
	kind: AssetKind;
	defaultBinaryProperty: string;
	show: IDisplayOptions['show'];
}): INodeProperties[] {
	const sourceName = `${spec.prefix}Source`;
	const when = (source: ReferenceSource): IDisplayOptions => ({
		show: { ...spec.show, [sourceName]: [source] },
	});
	return [
		{
			...sourceField(sourceName, spec.kind, { show: spec.show }),
			displayName: spec.label,
			description: spec.description,
		},
		{
			...binaryField(`${spec.prefix}BinaryProperty`, spec.defaultBinaryProperty, when('binary')),
			displayName: `${spec.label} Binary Field`,
		},
		{
			...assetRefField(spec.refName, spec.kind, when('assetRef')),
			displayName: `${spec.label} Asset Ref`,
		},
	];
}

/** The values of one row of a reference list: source, binary field, assetRef (named `refName`). */
export function referenceRowValues(kind: AssetKind, refName = 'assetRef'): INodeProperties[] {
	const when = (source: ReferenceSource): IDisplayOptions => ({ show: { source: [source] } });
	return [
		sourceField('source', kind),
		binaryField('binaryPropertyName', 'data', when('binary')),
		assetRefField(refName, kind, when('assetRef')),
	];
}
