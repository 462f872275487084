import type { INodeProperties } from 'n8n-workflow';

/** The Model field: the chosen account's live models (searchable) or a name. */
export function modelLocator(
	kind: 'video' | 'image',
	dependsOn: string[],
	defaultValue: string,
): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: defaultValue },
		description:
			kind === 'video'
				? 'The models the chosen account offers for this input mode, with their durations and resolutions. Empty: the account’s default model.'
				: 'The image models the chosen account offers, with their limits',
		typeOptions: { loadOptionsDependsOn: dependsOn },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: {
					searchListMethod: kind === 'video' ? 'searchVideoModels' : 'searchImageModels',
					searchable: true,
				},
			},
			{
				displayName: 'By Name',
				name: 'id',
				type: 'string',
				placeholder: kind === 'video' ? 'e.g. seedance-2.0' : 'e.g. seedream-4.5',
			},
		],
	};
}
