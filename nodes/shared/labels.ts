import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

/**
 * The label a user sees for a parameter, read from the node's own properties, so a message names
 * the field exactly as the editor shows it. Paths are n8n's parameter paths:
 * `prompt`, `options.timeoutMinutes`, `keyframes.keyframe[1].imageRef`.
 *   → "Prompt", "Options › Timeout (Minutes)", "Keyframes › Keyframe 2 › Image".
 */
export function propertyLabel(properties: INodeProperties[], path: string): string | undefined {
	const [head, ...rest] = path.split('.');
	// Several fields can share a name (one Options per operation): the one that has the path names it.
	for (const property of properties) {
		if (property.name !== head) continue;
		const label = fieldName(property);
		if (rest.length === 0) return label;
		const inner = labelInside(property, rest);
		if (inner !== undefined) return `${label} › ${inner}`;
	}
	return undefined;
}

/**
 * A dropdown whose list the node loads must be labelled "… Name or ID" (n8n's lint: an expression may
 * give the value instead); a message names the field without that hint: "Duration (Seconds)".
 */
function fieldName(property: INodeProperties): string {
	return property.typeOptions?.loadOptionsMethod
		? property.displayName.replace(/ Name or ID$/, '')
		: property.displayName;
}

function labelInside(property: INodeProperties, segments: string[]): string | undefined {
	const [segment, ...rest] = segments;
	if (property.type === 'collection') {
		const option = (property.options as INodeProperties[] | undefined)?.find(
			(candidate) => candidate.name === segment,
		);
		if (!option) return undefined;
		return rest.length === 0 ? option.displayName : labelInside(option, rest);
	}
	if (property.type === 'fixedCollection') {
		const match = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(segment);
		const group = (property.options as INodePropertyCollection[] | undefined)?.find(
			(candidate) => candidate.name === match?.[1],
		);
		if (!match || !group) return undefined;
		const row =
			match[2] === undefined ? group.displayName : `${group.displayName} ${Number(match[2]) + 1}`;
		if (rest.length === 0) return row;
		const value = group.values.find((candidate) => candidate.name === rest[0]);
		if (!value) return undefined;
		const inner = rest.length === 1 ? value.displayName : labelInside(value, rest.slice(1));
		return inner === undefined ? undefined : `${row} › ${inner}`;
	}
	return undefined;
}

/** Where each API field of a request came from in the node, so messages can name the field. */
export type ParameterSources = Record<string, string>;

/** Turns an API field name into "Label (apiName)". */
export interface FieldNamer {
	(apiName: string): string;
}

export function fieldNamer(properties: INodeProperties[], sources: ParameterSources): FieldNamer {
	return (apiName) => {
		const label = propertyLabel(properties, sources[apiName] ?? apiName);
		return label ? `${label} (${apiName})` : apiName;
	};
}
