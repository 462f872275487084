/**
 * The one check every file gets before it is uploaded to POST /assets/{account}: which
 * Content-Type it is sent with, and whether the documented limits (nodes/shared/capabilities.ts
 * ASSET_RULES) let it through. The bytes decide the type; the Content Type parameter, the MIME type
 * and the extension only fill in what the bytes cannot tell.
 */
import type { AssetKind } from '../capabilities';
import { ASSET_RULES, MB } from '../capabilities';
import {
	declaredContentTypes,
	describeAcceptedFiles,
	describeAcceptedKind,
	describeFileType,
	kindOfContentType,
	normalizeContentType,
	resolveAssetContentType,
} from './contentType';
import type { FileIssue } from './fileErrors';
import { EMPTY_FILE_HINT } from './fileErrors';
import type { MediaFacts, MediaReading } from './mediaProbe';
import { readMedia } from './mediaProbe';

/** A file as n8n describes it, with its first bytes (MEDIA_PROBE_BYTES of them, or all when fewer). */
export interface FileDescription {
	head: Buffer;
	size: number;
	mimeType?: string;
	fileName?: string;
	fileExtension?: string;
}

export interface InspectedFile {
	/** the Content-Type to upload with */
	contentType: string;
	kind: AssetKind;
	durationMs?: number;
	/** true when durationMs is an estimate (MP3 without a frame count, ADTS AAC) */
	durationEstimated?: boolean;
	width?: number;
	height?: number;
	/** what decided contentType */
	typeSource: 'parameter' | 'bytes' | 'mimeType' | 'extension';
}

/**
 * How far an estimated duration may pass a limit before the file is refused: an estimate assumes
 * the rest of the stream is like its first frames, and a file the API would take must not be
 * stopped here (a refused upload costs nothing, so near the limit the API decides).
 */
export const ESTIMATE_TOLERANCE = 0.05;

const A_KIND: Record<AssetKind, string> = { image: 'an image', video: 'a video', audio: 'audio' };

/** `value` in units, with enough decimals that it does not print as the limit it passes. */
function beyond(value: number, limit: number, unit: number): string {
	for (let digits = 1; digits < 4; digits++) {
		const shown = (value / unit).toFixed(digits);
		if (Number(shown) !== limit / unit) return shown;
	}
	return (value / unit).toFixed(4);
}

type Resolution =
	| { contentType: string; typeSource: InspectedFile['typeSource'] }
	| { issue: FileIssue };

/** The Content-Type, from the bytes when they are recognised, else as the node always did. */
function resolveType(
	file: FileDescription,
	reading: MediaReading | undefined,
	chosen: string | undefined,
	expectedKind: AssetKind | undefined,
): Resolution {
	const explicit = normalizeContentType(chosen);
	if (reading) {
		const { format } = reading;
		const accepted = format.mimeTypes.filter((type) => kindOfContentType(type) !== undefined);
		if (!accepted.length) {
			return {
				issue: {
					parameter: 'contentType',
					rule: `the file is ${format.name}, which Dreamina does not take. It takes ${describeAcceptedFiles()}`,
					hint: format.kind
						? `Convert it to a type Dreamina takes: ${describeAcceptedKind(format.kind)}. Setting Content Type does not change what the file is.`
						: 'This is not an image, video or audio file: check that the node before this one outputs the file itself (a download that got an error page or a JSON answer looks like this).',
				},
			};
		}
		if (explicit) {
			if (accepted.includes(explicit)) return { contentType: explicit, typeSource: 'parameter' };
			return {
				issue: {
					parameter: 'contentType',
					rule: `is set to ${explicit}, but the file is ${format.name} (${accepted[0]})`,
					hint: `Clear Content Type so the node sends the file’s own type, or set it to ${accepted.join(' or ')}.`,
				},
			};
		}
		// the bytes may fit several types (an MP4 container can be video or audio): the kind wanted
		// here, then what the MIME type or extension claims, narrows them
		const ofKind = accepted.filter((type) => kindOfContentType(type) === expectedKind);
		const candidates = ofKind.length ? ofKind : accepted;
		const declared = declaredContentTypes(file).find((type) => candidates.includes(type));
		return { contentType: declared ?? candidates[0], typeSource: 'bytes' };
	}

	const resolved = resolveAssetContentType(file, chosen);
	if (!resolved) {
		return {
			issue: {
				parameter: 'contentType',
				rule: `${describeFileType(file)}, which Dreamina does not take. It takes ${describeAcceptedFiles()}`,
			},
		};
	}
	if (!resolved.kind) {
		return {
			issue: {
				parameter: 'contentType',
				rule: `is set to ${resolved.contentType}, which Dreamina does not take. It takes ${describeAcceptedFiles()}`,
				hint: 'Pick a type from the Content Type list, or clear it so the node tells the type from the file.',
			},
		};
	}
	return { contentType: resolved.contentType, typeSource: resolved.source };
}

/** The documented size, duration and picture limits for one kind of asset. */
function limitIssues(kind: AssetKind, size: number, facts: MediaFacts): FileIssue[] {
	const rule = ASSET_RULES[kind];
	const issues: FileIssue[] = [];
	if (size > rule.maxBytes) {
		issues.push({
			parameter: 'size',
			rule: `${kind} files may be at most ${rule.maxBytes / MB} MB; this one is ${beyond(size, rule.maxBytes, MB)} MB`,
		});
	}
	const { durationMs } = facts;
	if (
		durationMs !== undefined &&
		rule.minDurationMs !== undefined &&
		rule.maxDurationMs !== undefined
	) {
		const slack = facts.durationEstimated ? ESTIMATE_TOLERANCE : 0;
		const tooLong = durationMs > rule.maxDurationMs * (1 + slack);
		const tooShort = durationMs < rule.minDurationMs * (1 - slack);
		if (tooLong || tooShort) {
			const limit = tooLong ? rule.maxDurationMs : rule.minDurationMs;
			issues.push({
				parameter: 'durationMs',
				rule: `${kind} must last ${rule.minDurationMs / 1000}–${rule.maxDurationMs / 1000} s; this one lasts ${facts.durationEstimated ? 'about ' : ''}${beyond(durationMs, limit, 1000)} s`,
			});
		}
	}
	if (rule.minPixels !== undefined && rule.maxPixels !== undefined) {
		for (const side of ['width', 'height'] as const) {
			const value = facts[side];
			if (value !== undefined && (value < rule.minPixels || value > rule.maxPixels)) {
				issues.push({
					parameter: side,
					rule: `${kind} ${side} must be ${rule.minPixels}–${rule.maxPixels} px; this one is ${value} px`,
				});
			}
		}
	}
	return issues;
}

/**
 * Checks a file before it is uploaded. The Content-Type comes from the bytes when they are a type
 * Dreamina takes (typeSource 'bytes'), whatever the MIME type or extension say; a Content Type
 * parameter must agree with them. Bytes of a type Dreamina does not take are refused, saying what
 * the file is. Unrecognised bytes fall back to the parameter, then the MIME type, then the
 * extension. `expectedKind` (an image for a first frame, …) refuses a file of another kind.
 * Then the documented size, duration and picture limits apply.
 */
export function inspectAssetFile(
	file: FileDescription,
	chosenContentType?: string,
	expectedKind?: AssetKind,
): { file: InspectedFile } | { issues: FileIssue[] } {
	if (file.size === 0) {
		return {
			issues: [{ parameter: 'size', rule: 'the file is empty (0 bytes)', hint: EMPTY_FILE_HINT }],
		};
	}
	const reading = readMedia(file.head, file.size);
	const resolution = resolveType(file, reading, chosenContentType, expectedKind);
	if ('issue' in resolution) return { issues: [resolution.issue] };
	const { contentType, typeSource } = resolution;
	const kind = kindOfContentType(contentType)!;

	if (expectedKind && kind !== expectedKind) {
		const how = {
			parameter: 'Content Type',
			mimeType: 'MIME type',
			extension: 'extension',
			bytes: '',
		};
		const what = reading
			? reading.format.name
			: `${A_KIND[kind]} (${contentType}, by its ${how[typeSource]})`;
		return {
			issues: [
				{
					parameter: 'file',
					rule: `The file is ${what}, but ${A_KIND[expectedKind]} is expected here`,
					hint: `Give this parameter ${A_KIND[expectedKind]}: Dreamina takes ${describeAcceptedKind(expectedKind)}.`,
				},
			],
		};
	}

	const facts: MediaFacts = { ...reading?.facts };
	if (kind === 'audio') {
		delete facts.width;
		delete facts.height;
	}
	const issues = limitIssues(kind, file.size, facts);
	if (issues.length) return { issues };
	const inspected: InspectedFile = { contentType, kind, typeSource };
	if (facts.durationMs !== undefined) inspected.durationMs = facts.durationMs;
	if (facts.durationEstimated) inspected.durationEstimated = true;
	if (facts.width !== undefined) inspected.width = facts.width;
	if (facts.height !== undefined) inspected.height = facts.height;
	return { file: inspected };
}
