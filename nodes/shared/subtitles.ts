import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * The subtitle scheme of every node: the node's main choice, named as the editor names it. For an
 * options field the names come from its options (one place to change a label); for a resource
 * locator or text field it is the value itself, or `fallback` while it is empty.
 */
export function optionSubtitle(property: INodeProperties): string {
	const names = Object.fromEntries(
		((property.options ?? []) as INodePropertyOptions[]).map((option) => [
			option.value,
			option.name,
		]),
	);
	return `={{ ${JSON.stringify(names)}[$parameter["${property.name}"]] }}`;
}

export function valueSubtitle(name: string, fallback: string): string {
	const value = `$parameter["${name}"]`;
	return `={{ (typeof ${value} === "object" && ${value} !== null ? ${value}.value : ${value}) || ${JSON.stringify(fallback)} }}`;
}
