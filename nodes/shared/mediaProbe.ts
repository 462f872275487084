/**
 * Reads a media file's duration and size from its first bytes only, so an upload can be checked
 * against the documented limits before it is sent. Covered: MP4 / MOV / M4A whose `moov` box comes
 * first (mvhd duration, tkhd size) and WAV (data length / byte rate). Anything else, or a file
 * whose header does not fit in the bytes given, yields nothing — the API still checks it.
 */

export interface MediaFacts {
	width?: number;
	height?: number;
	durationMs?: number;
}

/** How many leading bytes `probeMedia` wants. */
export const MEDIA_PROBE_BYTES = 256 * 1024;

interface Box {
	type: string;
	start: number;
	end: number;
}

/** The boxes (ISO BMFF) between start and end; a box cut off by the end of the head is clipped. */
function boxesIn(head: Buffer, start: number, end: number): Box[] {
	const boxes: Box[] = [];
	let offset = start;
	while (offset + 8 <= end) {
		let size = head.readUInt32BE(offset);
		const type = head.toString('latin1', offset + 4, offset + 8);
		let header = 8;
		if (!/^[A-Za-z0-9 ©]{4}$/.test(type)) break;
		if (size === 1) {
			if (offset + 16 > end) break;
			size = Number(head.readBigUInt64BE(offset + 8));
			header = 16;
		} else if (size === 0) {
			size = end - offset;
		}
		if (size < header) break;
		boxes.push({ type, start: offset + header, end: Math.min(offset + size, end) });
		offset += size;
	}
	return boxes;
}

function isoMediaFacts(head: Buffer, withPicture: boolean): MediaFacts {
	const top = boxesIn(head, 0, head.length);
	const moov = top.find((box) => box.type === 'moov');
	if (!moov || top[0]?.type !== 'ftyp') return {};
	const facts: MediaFacts = {};
	const children = boxesIn(head, moov.start, moov.end);

	const mvhd = children.find((box) => box.type === 'mvhd');
	if (mvhd && mvhd.start + 32 <= mvhd.end) {
		const version = head[mvhd.start];
		const timescale = head.readUInt32BE(mvhd.start + (version === 1 ? 20 : 12));
		const duration =
			version === 1
				? Number(head.readBigUInt64BE(mvhd.start + 24))
				: head.readUInt32BE(mvhd.start + 16);
		if (timescale > 0 && duration > 0 && duration !== 0xffffffff) {
			facts.durationMs = Math.round((duration / timescale) * 1000);
		}
	}

	if (withPicture) {
		for (const trak of children.filter((box) => box.type === 'trak')) {
			const tkhd = boxesIn(head, trak.start, trak.end).find((box) => box.type === 'tkhd');
			if (!tkhd) continue;
			const at = tkhd.start + (head[tkhd.start] === 1 ? 88 : 76);
			if (at + 8 > tkhd.end) continue;
			const width = Math.round(head.readUInt32BE(at) / 65536);
			const height = Math.round(head.readUInt32BE(at + 4) / 65536);
			if (width > 0 && height > 0) {
				facts.width = width;
				facts.height = height;
				break;
			}
		}
	}
	return facts;
}

function wavFacts(head: Buffer, fileSize: number): MediaFacts {
	if (
		head.length < 12 ||
		head.toString('latin1', 0, 4) !== 'RIFF' ||
		head.toString('latin1', 8, 12) !== 'WAVE'
	) {
		return {};
	}
	let byteRate = 0;
	let offset = 12;
	while (offset + 8 <= head.length) {
		const id = head.toString('latin1', offset, offset + 4);
		const size = head.readUInt32LE(offset + 4);
		if (id === 'fmt ' && offset + 20 <= head.length) byteRate = head.readUInt32LE(offset + 16);
		if (id === 'data') {
			const dataStart = offset + 8;
			const available = fileSize - dataStart;
			const length = size === 0 || size === 0xffffffff || size > available ? available : size;
			return byteRate > 0 && length > 0
				? { durationMs: Math.round((length / byteRate) * 1000) }
				: {};
		}
		offset += 8 + size + (size & 1);
	}
	return {};
}

/** Duration (ms) and picture size a file's first bytes tell, by its Content-Type. */
export function probeMedia(head: Buffer, fileSize: number, contentType: string): MediaFacts {
	switch (contentType) {
		case 'video/mp4':
		case 'video/quicktime':
			return isoMediaFacts(head, true);
		case 'audio/mp4':
			return isoMediaFacts(head, false);
		case 'audio/wav':
		case 'audio/x-wav':
			return wavFacts(head, fileSize);
		default:
			return {};
	}
}
