import type { INodeProperties } from 'n8n-workflow';

/** A jobid (n8n anchors a resource locator's regex: it must match the whole value). */
export const JOB_ID_PATTERN = 'j\\d+[A-Za-z]-u\\S+';

/**
 * A resource locator: the token's executing jobs and the jobs this n8n process has
 * recently seen, or an ID (usually mapped from an earlier node).
 */
export function jobIdLocator(
	description: string,
	{ searchListMethod = 'searchJobs' }: { searchListMethod?: string } = {},
): INodeProperties {
	return {
		displayName: 'Job ID',
		name: 'jobid',
		type: 'resourceLocator',
		default: { mode: 'id', value: '={{ $json.jobid }}' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. j0223140530123456789v-u12345-US:user@example.com-bot:dreamina',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: JOB_ID_PATTERN,
							errorMessage:
								'A Dreamina job ID starts like j0223140530123456789v-u… (v video, V video upscale, F interpolation, i image, I image upscale)',
						},
					},
				],
			},
		],
	};
}
