import type { IDataObject } from 'n8n-workflow';

import type { AssetKind } from './capabilities';
import type { ValidationIssue } from './errors';
import { REFERENCE_SOURCES } from './fields/reference';
import type { ParameterSources } from './labels';
import type { ItemParameters } from './parameters';

/** A file of the input item that becomes an API field once uploaded (first frame, @image2, …). */
export interface BinaryReference {
	apiName: string;
	/** the binary field's name in the item */
	field: string;
	/** the parameter path that holds the field's name, for messages */
	path: string;
	kind: AssetKind;
}

/** One item's request as read from the node, before its files are uploaded. */
export interface RequestDraft {
	body: IDataObject;
	/** where each API field came from in the node (for messages naming the field) */
	sources: ParameterSources;
	binaries: BinaryReference[];
	/** what is wrong before the request's own rules are checked (an empty row, …) */
	issues: ValidationIssue[];
	skipModelChecks: boolean;
	addCallbackSecret: boolean;
	/** which shape of request this is, when a node has several (Generate Video's input mode) */
	variant?: string;
}

/** Where a reference's parts live in the node's parameters. */
export interface ReferencePaths {
	/** the parameter choosing binary or assetRef */
	source: string;
	binaryField: string;
	defaultBinaryField?: string;
	assetRef: string;
}

/** Builds a RequestDraft while reading parameters: every API field remembers its parameter. */
export class DraftBuilder {
	readonly body: IDataObject = {};
	readonly sources: ParameterSources = {};
	readonly binaries: BinaryReference[] = [];
	readonly issues: ValidationIssue[] = [];

	constructor(readonly params: ItemParameters) {}

	/** Where an API field would come from (a row not added yet), so a message can point there. */
	place(apiName: string, path: string): void {
		this.sources[apiName] ??= path;
	}

	/** Sets an API field from a parameter; undefined (left empty) is not sent. */
	set(apiName: string, value: unknown, path: string): void {
		this.sources[apiName] = path;
		if (value !== undefined) this.body[apiName] = value;
	}

	/** A text parameter as an API field. */
	text(apiName: string, path = apiName): string | undefined {
		const value = this.params.text(path);
		this.set(apiName, value, path);
		return value;
	}

	/** A number parameter as an API field. */
	number(apiName: string, path = apiName): number | undefined {
		const value = this.params.number(path);
		this.set(apiName, value, path);
		return value;
	}

	/**
	 * A reference: an assetRef, or a binary field of the item, uploaded before the
	 * job is sent. `emptyRule` reports a row left empty (instead of dropping it and renumbering
	 * the rest, which would send other files than the user meant).
	 */
	reference(apiName: string, kind: AssetKind, paths: ReferencePaths, emptyRule?: string): void {
		const source = this.params.choice(paths.source, REFERENCE_SOURCES, 'binary');
		if (source === 'binary') {
			const field = this.params.text(paths.binaryField) ?? paths.defaultBinaryField;
			this.sources[apiName] = paths.binaryField;
			if (field) this.binaries.push({ apiName, field, path: paths.binaryField, kind });
			else if (emptyRule) this.issues.push({ parameter: apiName, rule: emptyRule });
			return;
		}
		const ref = this.text(apiName, paths.assetRef);
		if (ref === undefined && emptyRule) this.issues.push({ parameter: apiName, rule: emptyRule });
	}

	draft(
		options: { skipModelChecks: boolean; addCallbackSecret: boolean },
		variant?: string,
	): RequestDraft {
		return {
			body: this.body,
			sources: this.sources,
			binaries: this.binaries,
			issues: this.issues,
			variant,
			...options,
		};
	}
}

/** The Options every job-creating request takes. */
export function readJobOptions(builder: DraftBuilder): {
	skipModelChecks: boolean;
	addCallbackSecret: boolean;
} {
	builder.number('maxJobs', 'options.maxJobs');
	builder.text('replyRef', 'options.replyRef');
	builder.text('replyUrl', 'options.replyUrl');
	const { params } = builder;
	return {
		skipModelChecks: params.boolean('options.skipModelChecks', false),
		addCallbackSecret: params.boolean('options.addCallbackSecret', true),
	};
}
