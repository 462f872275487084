/**
 * Content-Type names: normalising what n8n and operating systems report, mapping extensions, and
 * describing what the upload endpoint takes. The types and extensions themselves are in
 * nodes/shared/capabilities.ts (ASSET_CONTENT_TYPES, ASSET_CONTENT_TYPE_ALIASES).
 */
import type { AssetKind } from '../capabilities';
import { ASSET_CONTENT_TYPES, ASSET_CONTENT_TYPE_ALIASES, ASSET_RULES, MB } from '../capabilities';

/** What n8n knows about a binary file's type. */
export interface FileTypeFacts {
	mimeType?: string;
	fileName?: string;
	fileExtension?: string;
}

export interface AssetContentType {
	contentType: string;
	/** undefined when an explicit Content Type is not one the API takes */
	kind?: AssetKind;
	/** where the type came from: the node's Content Type parameter, the file's MIME type or its extension */
	source: 'parameter' | 'mimeType' | 'extension';
}

/** `Audio/X-WAV; codecs=1` → `audio/wav`: lower case, no parameters, known aliases folded. */
export function normalizeContentType(type: string | undefined): string | undefined {
	const bare = type?.split(';')[0].trim().toLowerCase();
	if (!bare) return undefined;
	return ASSET_CONTENT_TYPE_ALIASES[bare] ?? bare;
}

/** The kind of asset a Content-Type uploads as, or undefined when the API does not take it. */
export function kindOfContentType(type: string | undefined): AssetKind | undefined {
	return type === undefined ? undefined : ASSET_CONTENT_TYPES[type]?.kind;
}

export function fileExtensionOf(file: FileTypeFacts): string | undefined {
	const extension = file.fileExtension || /\.([^./\\]+)$/.exec(file.fileName ?? '')?.[1];
	return extension?.replace(/^\./, '').toLowerCase() || undefined;
}

/** The accepted Content-Type a file extension stands for (`m4a` → `audio/mp4`). */
export function contentTypeOfExtension(extension: string | undefined): string | undefined {
	if (!extension) return undefined;
	return Object.keys(ASSET_CONTENT_TYPES).find((type) =>
		ASSET_CONTENT_TYPES[type].extensions.includes(extension),
	);
}

/** The types the file's MIME type and extension claim (normalised, the MIME type first). */
export function declaredContentTypes(file: FileTypeFacts): string[] {
	const claimed = [
		normalizeContentType(file.mimeType),
		contentTypeOfExtension(fileExtensionOf(file)),
	];
	return claimed.filter((type): type is string => type !== undefined);
}

/**
 * The Content-Type to upload a file with when its bytes tell nothing: the one chosen in the node,
 * else the file's MIME type when the API takes it, else the type its extension stands for.
 * undefined when none of them fits.
 */
export function resolveAssetContentType(
	file: FileTypeFacts,
	chosen?: string,
): AssetContentType | undefined {
	const explicit = normalizeContentType(chosen);
	if (explicit) {
		return { contentType: explicit, kind: kindOfContentType(explicit), source: 'parameter' };
	}
	const fromMime = normalizeContentType(file.mimeType);
	if (fromMime && kindOfContentType(fromMime)) {
		return { contentType: fromMime, kind: kindOfContentType(fromMime), source: 'mimeType' };
	}
	const fromExtension = contentTypeOfExtension(fileExtensionOf(file));
	if (fromExtension) {
		return {
			contentType: fromExtension,
			kind: kindOfContentType(fromExtension),
			source: 'extension',
		};
	}
	return undefined;
}

/** `"photo.bmp" has MIME type image/bmp and extension .bmp`: what n8n says the file is. */
export function describeFileType(file: FileTypeFacts): string {
	const extension = fileExtensionOf(file);
	const parts = [
		file.mimeType ? `MIME type ${file.mimeType}` : 'no MIME type',
		extension ? `extension .${extension}` : 'no extension',
	];
	return `${file.fileName ? `"${file.fileName}"` : 'the file'} has ${parts.join(' and ')}`;
}


const PLURAL: Record<AssetKind, string> = { image: 'images', video: 'videos', audio: 'audio' };

/** "JPG, PNG or WEBP images (up to 10 MB)": what the upload endpoint takes of one kind. */
export function describeAcceptedKind(kind: AssetKind): string {
	const extensions = Object.values(ASSET_CONTENT_TYPES)
		.filter((type) => type.kind === kind)
		.flatMap((type) => type.extensions)
		.filter((extension) => extension !== 'jpeg')
		.map((extension) => extension.toUpperCase());
	const list =
		extensions.length > 1
			? `${extensions.slice(0, -1).join(', ')} or ${extensions[extensions.length - 1]}`
			: extensions.join('');
	return `${list} ${PLURAL[kind]} (up to ${ASSET_RULES[kind].maxBytes / MB} MB)`;
}

/** "JPG, PNG or WEBP images (up to 10 MB); …": what the upload endpoint takes, from the tables. */
export function describeAcceptedFiles(): string {
	return (['image', 'video', 'audio'] as AssetKind[]).map(describeAcceptedKind).join('; ');
}
