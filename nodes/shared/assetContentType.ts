import type { AssetKind } from './capabilities';
import { ASSET_CONTENT_TYPE_ALIASES, ASSET_CONTENT_TYPES, ASSET_RULES } from './capabilities';

/** What n8n knows about a binary file's type. */
export interface FileTypeFacts {
	mimeType?: string;
	fileName?: string;
	fileExtension?: string;
}

export interface AssetContentType {
	contentType: string;
	/** undefined when an explicit Content Type is not one the API takes (the schema reports it) */
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

export function fileExtensionOf(file: FileTypeFacts): string | undefined {
	const extension = file.fileExtension || /\.([^./\\]+)$/.exec(file.fileName ?? '')?.[1];
	return extension?.replace(/^\./, '').toLowerCase() || undefined;
}

function contentTypeOfExtension(extension: string | undefined): string | undefined {
	if (!extension) return undefined;
	return Object.keys(ASSET_CONTENT_TYPES).find((type) =>
		ASSET_CONTENT_TYPES[type].extensions.includes(extension),
	);
}

/**
 * The Content-Type to upload a file with: the one chosen in the node, else the file's MIME type when
 * the API takes it, else the type its extension stands for. undefined when none of them fits.
 */
export function resolveAssetContentType(
	file: FileTypeFacts,
	chosen?: string,
): AssetContentType | undefined {
	const explicit = normalizeContentType(chosen);
	if (explicit)
		return {
			contentType: explicit,
			kind: ASSET_CONTENT_TYPES[explicit]?.kind,
			source: 'parameter',
		};
	const fromMime = normalizeContentType(file.mimeType);
	if (fromMime && ASSET_CONTENT_TYPES[fromMime]) {
		return { contentType: fromMime, kind: ASSET_CONTENT_TYPES[fromMime].kind, source: 'mimeType' };
	}
	const fromExtension = contentTypeOfExtension(fileExtensionOf(file));
	if (fromExtension) {
		return {
			contentType: fromExtension,
			kind: ASSET_CONTENT_TYPES[fromExtension].kind,
			source: 'extension',
		};
	}
	return undefined;
}

const MB = 1024 * 1024;

/** "JPG, PNG or WEBP images (up to 10 MB), …": what the upload endpoint takes, from the tables. */
export function describeAcceptedFiles(): string {
	const plural: Record<AssetKind, string> = { image: 'images', video: 'videos', audio: 'audio' };
	return (['image', 'video', 'audio'] as AssetKind[])
		.map((kind) => {
			const extensions = Object.values(ASSET_CONTENT_TYPES)
				.filter((type) => type.kind === kind)
				.flatMap((type) => type.extensions)
				.filter((extension) => extension !== 'jpeg')
				.map((extension) => extension.toUpperCase());
			const list = `${extensions.slice(0, -1).join(', ')} or ${extensions[extensions.length - 1]}`;
			return `${list} ${plural[kind]} (up to ${ASSET_RULES[kind].maxBytes / MB} MB)`;
		})
		.join('; ');
}
