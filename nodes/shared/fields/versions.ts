import type { INodeProperties } from 'n8n-workflow';

/**
 * Node versions: 1 is the layout of 0.1.0 (kept so existing workflows load and run unchanged),
 * 2 the current one. A property marked for some versions only is shown (and read) only there.
 */
export function onlyInVersions(versions: number[], properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, '@version': versions },
		},
	}));
}
