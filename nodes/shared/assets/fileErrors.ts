/**
 * Errors about an input file, raised before it is uploaded (Upload Asset, and the binary references
 * of the generation nodes): each names the node parameter the file came from.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ValidationIssue } from '../errors';

/** Where a file came from, so its errors can point at it. */
export interface FileSource {
	/** the binary field's name, e.g. "data" */
	field: string;
	/** the node parameter that names the field, e.g. "Input Binary Field" or "First Frame › Input Binary Field" */
	label: string;
	fileName?: string;
}

/**
 * A problem with a file. `parameter` is an API-ish name (contentType, size, durationMs, width,
 * height) or `file` for what the file is as a whole (its kind); `hint` replaces the usual advice
 * for that parameter when the problem needs other advice.
 */
export interface FileIssue extends ValidationIssue {
	hint?: string;
}

const FILE_HINTS: Record<string, string> = {
	account: 'Pick an account from the Account list.',
	contentType:
		'Convert the file to a type Dreamina takes, or set Content Type if the file’s MIME type or extension is wrong.',
	size: 'Use a smaller file: compress or scale down the image, or shorten or re-encode the video or audio.',
	durationMs: 'Trim the clip to the allowed length.',
	width: 'Scale the video so both sides are within the allowed range.',
	height: 'Scale the video so both sides are within the allowed range.',
};

/** Advice for an empty file: it is the previous node's output that is wrong, not the file's size. */
export const EMPTY_FILE_HINT =
	'The node before this one produced no data for this field (for example an HTTP Request whose answer had no body, or a file that was empty on disk): check its output.';

/** What the file-fact names stand for (they are facts about the file, not node parameters). */
const FILE_FACT_LABELS: Record<string, string> = {
	contentType: 'Content Type',
	size: 'File Size',
	durationMs: 'Duration',
	width: 'Video Width',
	height: 'Video Height',
};

/** Names an API field as the node shows it, e.g. "Account (account)" (a FieldNamer from nodes/shared/labels.ts). */
export type NameField = (apiName: string) => string;

function describeIssue(issue: ValidationIssue, nameField: NameField | undefined): string {
	// a `file` issue is a whole sentence about the file
	if (issue.parameter === 'file') return issue.rule;
	const named = nameField?.(issue.parameter);
	const label = FILE_FACT_LABELS[issue.parameter];
	const subject =
		named && named !== issue.parameter
			? named
			: label
				? `${label} (${issue.parameter})`
				: issue.parameter;
	return `${subject}: ${issue.rule}`;
}

/** A file stopped before it was uploaded (wrong type, empty, too large, too long, …). */
export function assetFileError(
	node: INode,
	issues: Array<ValidationIssue | FileIssue>,
	source: FileSource,
	itemIndex?: number,
	/** names the issues' API fields that are node parameters (account, contentType) */
	nameField?: NameField,
): NodeOperationError {
	const [first, ...rest] = issues;
	const describe = (issue: ValidationIssue) => describeIssue(issue, nameField);
	const which = `file ${source.fileName ? `"${source.fileName}" ` : ''}in ${source.label} "${source.field}"`;
	const hints = [
		...new Set(
			issues.map((issue) => ('hint' in issue && issue.hint) || FILE_HINTS[issue.parameter]),
		),
	]
		.filter(Boolean)
		.join(' ');
	return new NodeOperationError(node, `${describe(first)} (${which})`, {
		itemIndex,
		description:
			(rest.length ? `Also: ${rest.map(describe).join('; ')}. ` : '') +
			`${hints ? `${hints} ` : ''}Nothing was uploaded.`,
	});
}

/** The item has no binary data under the field the node reads. */
export function missingBinaryError(
	node: INode,
	source: Omit<FileSource, 'fileName'>,
	present: string[],
	itemIndex: number,
): NodeOperationError {
	return new NodeOperationError(
		node,
		`${source.label}: item ${itemIndex + 1} has no binary field "${source.field}"`,
		{
			itemIndex,
			description:
				(present.length
					? `The item’s binary fields are: ${present.join(', ')}. Set ${source.label} to the one that holds the file.`
					: 'The item carries no file. Put a node that outputs one before this node (for example Read/Write Files from Disk, or HTTP Request with Response Format File).') +
				' Nothing was uploaded.',
		},
	);
}
