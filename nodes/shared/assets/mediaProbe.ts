/**
 * What a file really is, read from its first bytes only (its magic numbers), and the duration and
 * picture size its headers tell, so an upload can be checked against the documented limits before
 * it is sent. Reads: JPEG / PNG / WebP size; MP4 / MOV / M4A whose `moov` box comes first (mvhd
 * duration, tkhd size, hdlr track kinds); WebM (Duration, PixelWidth/Height, track types); WAV
 * (data length / byte rate); MP3 (Xing/Info or VBRI frame count, else frames or bitrate and file
 * size); AAC in ADTS (frames). A header that does not fit in the bytes given yields nothing: the API
 * still checks the file.
 */
import type { AssetKind } from '../capabilities';

/** How many leading bytes the readers want. */
export const MEDIA_PROBE_BYTES = 256 * 1024;

export interface MediaFacts {
	width?: number;
	height?: number;
	durationMs?: number;
	/**
	 * true when durationMs is worked out from the file size and the first frames' lengths (MP3
	 * without a frame count, ADTS AAC) rather than read from a header or counted over the whole file
	 */
	durationEstimated?: boolean;
}

/** Which reader understands the bytes. */
export type Container =
	| 'jpeg'
	| 'png'
	| 'webp'
	| 'isobmff'
	| 'matroska'
	| 'wav'
	| 'mp3'
	| 'adts'
	| 'other';

export interface MediaFormat {
	/** what the bytes are, as a message says it: "a PNG image", "MP3 audio" */
	name: string;
	/** what the file holds, when the bytes tell */
	kind?: AssetKind;
	/** the format's MIME types, the most fitting first (whether Dreamina takes them is not decided here) */
	mimeTypes: string[];
	container: Container;
}

export interface MediaReading {
	format: MediaFormat;
	facts: MediaFacts;
}

const latin1 = (b: Buffer, from: number, to: number) =>
	b.toString('latin1', from, Math.min(to, b.length));

// ------------------------------------------------------------------------------------ images

function pngFacts(b: Buffer): MediaFacts {
	return b.length >= 24 && latin1(b, 12, 16) === 'IHDR'
		? { width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
		: {};
}

function jpegFacts(b: Buffer): MediaFacts {
	let i = 2;
	while (i + 4 <= b.length) {
		if (b[i] !== 0xff) {
			i++;
			continue;
		}
		const marker = b[i + 1];
		if (marker === 0xff) {
			i++;
			continue;
		}
		if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			i += 2;
			continue;
		}
		if (marker === 0xd9 || marker === 0xda) return {};
		// SOF0–SOF15 carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not
		const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
		if (isFrame) {
			return i + 9 <= b.length
				? { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) }
				: {};
		}
		i += 2 + b.readUInt16BE(i + 2);
	}
	return {};
}

function webpFacts(b: Buffer): MediaFacts {
	if (b.length < 30) return {};
	const chunk = latin1(b, 12, 16);
	if (chunk === 'VP8X') return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
	if (chunk === 'VP8 ') {
		return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
	}
	if (chunk === 'VP8L') {
		return {
			width: 1 + (b[21] | ((b[22] & 0x3f) << 8)),
			height: 1 + ((b[22] >> 6) | (b[23] << 2) | ((b[24] & 0x0f) << 10)),
		};
	}
	return {};
}

// ------------------------------------------------------------------------------------ ISO BMFF

interface Box {
	type: string;
	start: number;
	end: number;
}

/** The boxes between start and end; a box cut off by the end of the head is clipped. */
function boxesIn(head: Buffer, start: number, end: number): Box[] {
	const boxes: Box[] = [];
	let offset = start;
	while (offset + 8 <= end) {
		let size = head.readUInt32BE(offset);
		const type = latin1(head, offset + 4, offset + 8);
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

const HEIF_BRANDS = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'];
const AVIF_BRANDS = ['avif', 'avis'];
const M4A_BRANDS = ['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B '];
/** First boxes of old QuickTime files, which have no ftyp. */
const QUICKTIME_FIRST_BOXES = ['moov', 'mdat', 'wide', 'free', 'skip'];

function brandsOf(head: Buffer, ftyp: Box): string[] {
	const brands = [latin1(head, ftyp.start, ftyp.start + 4)];
	for (let at = ftyp.start + 8; at + 4 <= ftyp.end; at += 4) brands.push(latin1(head, at, at + 4));
	return brands;
}

function isoReading(head: Buffer): MediaReading | undefined {
	const top = boxesIn(head, 0, head.length);
	const first = top[0];
	if (!first || (first.type !== 'ftyp' && !QUICKTIME_FIRST_BOXES.includes(first.type))) {
		return undefined;
	}
	const brands = first.type === 'ftyp' ? brandsOf(head, first) : ['qt  '];
	// an image brand as the major brand, or among the others of a generic HEIF file, is a still image
	const imageBrand = (list: string[]) =>
		list.find((brand) => AVIF_BRANDS.includes(brand)) ??
		list.find((brand) => HEIF_BRANDS.includes(brand));
	const still = HEIF_BRANDS.includes(brands[0]) || AVIF_BRANDS.includes(brands[0]);
	if (still) {
		const brand = imageBrand(brands);
		return AVIF_BRANDS.includes(brand ?? '')
			? { format: image('an AVIF image', 'image/avif', 'other'), facts: {} }
			: { format: image('a HEIC image', 'image/heic', 'other'), facts: {} };
	}

	const facts: MediaFacts = {};
	let hasPicture = false;
	let hasSound = false;
	const moov = top.find((box) => box.type === 'moov');
	if (moov) {
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
		for (const trak of children.filter((box) => box.type === 'trak')) {
			const parts = boxesIn(head, trak.start, trak.end);
			const tkhd = parts.find((box) => box.type === 'tkhd');
			if (tkhd) {
				const at = tkhd.start + (head[tkhd.start] === 1 ? 88 : 76);
				if (at + 8 <= tkhd.end) {
					const width = Math.round(head.readUInt32BE(at) / 65536);
					const height = Math.round(head.readUInt32BE(at + 4) / 65536);
					if (width > 0 && height > 0) {
						hasPicture = true;
						if (facts.width === undefined) {
							facts.width = width;
							facts.height = height;
						}
					}
				}
			}
			const mdia = parts.find((box) => box.type === 'mdia');
			const hdlr = mdia && boxesIn(head, mdia.start, mdia.end).find((box) => box.type === 'hdlr');
			if (hdlr && hdlr.start + 12 <= hdlr.end) {
				const handler = latin1(head, hdlr.start + 8, hdlr.start + 12);
				if (handler === 'vide') hasPicture = true;
				if (handler === 'soun') hasSound = true;
			}
		}
	}

	const quickTime = brands[0] === 'qt  ';
	const videoTypes = quickTime
		? ['video/quicktime', 'video/mp4']
		: ['video/mp4', 'video/quicktime'];
	const movie = quickTime ? 'a QuickTime (MOV) video' : 'an MP4 video';
	let format: MediaFormat;
	if (hasPicture) {
		format = { name: movie, kind: 'video', mimeTypes: videoTypes, container: 'isobmff' };
	} else if (hasSound || brands.some((brand) => M4A_BRANDS.includes(brand))) {
		format = { name: 'M4A audio', kind: 'audio', mimeTypes: ['audio/mp4'], container: 'isobmff' };
	} else {
		// an MP4 container whose tracks are not in the head: video or audio, the bytes do not say
		format = {
			name: quickTime ? 'a QuickTime (MOV) file' : 'an MP4 file',
			mimeTypes: [...videoTypes, 'audio/mp4'],
			container: 'isobmff',
		};
	}
	if (format.kind === 'audio') {
		delete facts.width;
		delete facts.height;
	}
	return { format, facts };
}

// ------------------------------------------------------------------------------------ Matroska / WebM

interface Vint {
	value: number;
	length: number;
	unknown: boolean;
}

function readVint(b: Buffer, at: number, keepMarker: boolean): Vint | undefined {
	if (at >= b.length) return undefined;
	const first = b[at];
	let length = 1;
	let mask = 0x80;
	while (length <= 8 && !(first & mask)) {
		length++;
		mask >>= 1;
	}
	if (length > 8 || at + length > b.length) return undefined;
	let value = keepMarker ? first : first & (mask - 1);
	let allOnes = (first & (mask - 1)) === mask - 1;
	for (let k = 1; k < length; k++) {
		value = value * 256 + b[at + k];
		if (b[at + k] !== 0xff) allOnes = false;
	}
	return { value, length, unknown: !keepMarker && allOnes };
}

const EBML = {
	header: 0x1a45dfa3,
	docType: 0x4282,
	segment: 0x18538067,
	info: 0x1549a966,
	timecodeScale: 0x2ad7b1,
	duration: 0x4489,
	tracks: 0x1654ae6b,
	trackEntry: 0xae,
	trackType: 0x83,
	video: 0xe0,
	pixelWidth: 0xb0,
	pixelHeight: 0xba,
	cluster: 0x1f43b675,
};
const EBML_MASTERS = new Set([
	EBML.header,
	EBML.segment,
	EBML.info,
	EBML.tracks,
	EBML.trackEntry,
	EBML.video,
]);

function matroskaReading(b: Buffer): MediaReading {
	const facts: MediaFacts = {};
	let docType = '';
	let timecodeScale = 1_000_000;
	let duration: number | undefined;
	let tracksSeen = false;
	const trackTypes: number[] = [];
	/** true once the first Cluster is reached: the metadata comes before it */
	const walk = (start: number, end: number, depth: number): boolean => {
		let i = start;
		while (i < end) {
			const id = readVint(b, i, true);
			const size = id && readVint(b, i + id.length, false);
			if (!id || !size) return false;
			const dataStart = i + id.length + size.length;
			const dataEnd = size.unknown ? end : Math.min(end, dataStart + size.value);
			if (id.value === EBML.cluster) return true;
			if (id.value === EBML.tracks) tracksSeen = true;
			if (EBML_MASTERS.has(id.value) && depth < 6) {
				if (walk(dataStart, dataEnd, depth + 1)) return true;
				if (id.value === EBML.tracks && dataStart + size.value > b.length) tracksSeen = false;
			} else if (dataStart + size.value <= b.length) {
				const n = size.value;
				const uint = () => (n >= 1 && n <= 6 ? b.readUIntBE(dataStart, n) : undefined);
				if (id.value === EBML.docType) docType = latin1(b, dataStart, dataStart + n);
				else if (id.value === EBML.timecodeScale) timecodeScale = uint() ?? timecodeScale;
				else if (id.value === EBML.duration && n === 8) duration = b.readDoubleBE(dataStart);
				else if (id.value === EBML.duration && n === 4) duration = b.readFloatBE(dataStart);
				else if (id.value === EBML.trackType) trackTypes.push(uint() ?? 0);
				else if (id.value === EBML.pixelWidth && facts.width === undefined) facts.width = uint();
				else if (id.value === EBML.pixelHeight && facts.height === undefined) facts.height = uint();
			}
			if (size.unknown) return false;
			i = dataStart + size.value;
		}
		return false;
	};
	walk(0, b.length, 0);
	if (duration !== undefined && duration > 0) {
		facts.durationMs = Math.round((duration * timecodeScale) / 1e6);
	}
	// track type 1 is video, 2 audio; only a complete Tracks element proves there is no video
	const audioOnly = tracksSeen && !trackTypes.includes(1) && trackTypes.includes(2);
	const webm = docType !== 'matroska';
	if (audioOnly) {
		delete facts.width;
		delete facts.height;
		return {
			format: webm
				? { name: 'WebM audio', kind: 'audio', mimeTypes: ['audio/webm'], container: 'matroska' }
				: {
						name: 'Matroska (MKA) audio',
						kind: 'audio',
						mimeTypes: ['audio/x-matroska'],
						container: 'matroska',
					},
			facts,
		};
	}
	return {
		format: webm
			? { name: 'a WebM video', kind: 'video', mimeTypes: ['video/webm'], container: 'matroska' }
			: {
					name: 'a Matroska (MKV) video',
					kind: 'video',
					mimeTypes: ['video/x-matroska'],
					container: 'matroska',
				},
		facts,
	};
}

// ------------------------------------------------------------------------------------ WAV

function wavFacts(head: Buffer, fileSize: number): MediaFacts {
	let byteRate = 0;
	let offset = 12;
	while (offset + 8 <= head.length) {
		const id = latin1(head, offset, offset + 4);
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

// ------------------------------------------------------------------------------------ MP3

/** Layer III bitrates (kbps) by bitrate index: MPEG-1, and MPEG-2 / 2.5. */
const MP3_KBPS = {
	mpeg1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
	mpeg2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
/** Sample rates by the header's version bits (3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5) and rate index. */
const MP3_SAMPLE_RATES: Record<number, number[]> = {
	3: [44100, 48000, 32000],
	2: [22050, 24000, 16000],
	0: [11025, 12000, 8000],
};

interface Mp3Frame {
	length: number;
	kbps: number;
	sampleRate: number;
	samplesPerFrame: number;
	/** offset of the Xing/Info tag from the frame start (after the side information) */
	xingOffset: number;
}

/** An MPEG audio layer III frame header at `at` (free-format and reserved values refused). */
function mp3FrameAt(b: Buffer, at: number): Mp3Frame | undefined {
	if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return undefined;
	const version = (b[at + 1] >> 3) & 3;
	const layer = (b[at + 1] >> 1) & 3;
	const bitrateIndex = b[at + 2] >> 4;
	const rateIndex = (b[at + 2] >> 2) & 3;
	if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15) return undefined;
	if (rateIndex === 3 || (b[at + 3] & 3) === 2) return undefined;
	const mpeg1 = version === 3;
	const kbps = (mpeg1 ? MP3_KBPS.mpeg1 : MP3_KBPS.mpeg2)[bitrateIndex];
	const sampleRate = MP3_SAMPLE_RATES[version][rateIndex];
	const padding = (b[at + 2] >> 1) & 1;
	const mono = b[at + 3] >> 6 === 3;
	const samplesPerFrame = mpeg1 ? 1152 : 576;
	return {
		length: Math.floor(((samplesPerFrame / 8) * kbps * 1000) / sampleRate) + padding,
		kbps,
		sampleRate,
		samplesPerFrame,
		xingOffset: 4 + (mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17),
	};
}

/** A frame at `at` whose successor, when the head holds it, is a frame of the same stream too. */
function mp3StreamAt(b: Buffer, at: number, fileSize: number): Mp3Frame | undefined {
	const frame = mp3FrameAt(b, at);
	if (!frame) return undefined;
	const next = at + frame.length;
	if (next + 4 <= b.length) {
		const following = mp3FrameAt(b, next);
		return following && following.sampleRate === frame.sampleRate ? frame : undefined;
	}
	return next <= fileSize ? frame : undefined;
}

interface FrameWalk {
	frames: number;
	bytes: number;
	/** the walk reached the end of the audio (the whole stream was in the head) */
	complete: boolean;
}

/** The ID3v1 trailer's length when the head reaches the end of the file and has one, else 0. */
function id3v1Length(head: Buffer, fileSize: number): number {
	return head.length >= fileSize &&
		fileSize >= 128 &&
		latin1(head, fileSize - 128, fileSize - 125) === 'TAG'
		? 128
		: 0;
}

function mp3Facts(head: Buffer, fileSize: number, start: number): MediaFacts {
	const first = mp3FrameAt(head, start);
	if (!first) return {};
	const msOf = (frames: number) =>
		Math.round(((frames * first.samplesPerFrame) / first.sampleRate) * 1000);

	// a Xing/Info (LAME, ffmpeg) or VBRI (Fraunhofer) frame states the frame count; it holds no audio
	const xing = start + first.xingOffset;
	const tag = latin1(head, xing, xing + 4);
	if ((tag === 'Xing' || tag === 'Info') && xing + 12 <= head.length) {
		if (head.readUInt32BE(xing + 4) & 1) return { durationMs: msOf(head.readUInt32BE(xing + 8)) };
	}
	const vbri = start + 36;
	if (latin1(head, vbri, vbri + 4) === 'VBRI' && vbri + 18 <= head.length) {
		return { durationMs: msOf(head.readUInt32BE(vbri + 14)) };
	}
	const audioStart = tag === 'Xing' || tag === 'Info' ? start + first.length : start;
	const audioEnd = fileSize - id3v1Length(head, fileSize);

	const walk: FrameWalk = { frames: 0, bytes: 0, complete: false };
	const bitrates = new Set<number>();
	let at = audioStart;
	for (;;) {
		if (at >= audioEnd) {
			walk.complete = true;
			break;
		}
		const frame = mp3FrameAt(head, at);
		if (!frame || frame.sampleRate !== first.sampleRate) break;
		walk.frames++;
		walk.bytes += frame.length;
		bitrates.add(frame.kbps);
		at += frame.length;
	}
	if (walk.complete) return { durationMs: msOf(walk.frames) };
	if (walk.frames === 0) return {};
	const audioBytes = audioEnd - audioStart;
	if (bitrates.size === 1) {
		// constant bitrate: the size and the bitrate tell the length (as ffprobe estimates it)
		const [kbps] = [...bitrates];
		return { durationMs: Math.round((audioBytes * 8) / kbps), durationEstimated: true };
	}
	// variable bitrate without a frame count: assume the rest has the first frames' average length
	return { durationMs: msOf(audioBytes / (walk.bytes / walk.frames)), durationEstimated: true };
}

// ------------------------------------------------------------------------------------ AAC (ADTS)

const ADTS_SAMPLE_RATES = [
	96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];

interface AdtsFrame {
	length: number;
	sampleRate: number;
	/** raw data blocks in the frame, 1024 samples each */
	blocks: number;
}

function adtsFrameAt(b: Buffer, at: number): AdtsFrame | undefined {
	if (at + 7 > b.length || b[at] !== 0xff || (b[at + 1] & 0xf6) !== 0xf0) return undefined;
	const sampleRate = ADTS_SAMPLE_RATES[(b[at + 2] >> 2) & 15];
	const length = ((b[at + 3] & 3) << 11) | (b[at + 4] << 3) | (b[at + 5] >> 5);
	const headerLength = b[at + 1] & 1 ? 7 : 9;
	if (!sampleRate || length < headerLength) return undefined;
	return { length, sampleRate, blocks: (b[at + 6] & 3) + 1 };
}

function adtsStreamAt(b: Buffer, at: number, fileSize: number): AdtsFrame | undefined {
	const frame = adtsFrameAt(b, at);
	if (!frame) return undefined;
	const next = at + frame.length;
	if (next + 7 <= b.length) {
		const following = adtsFrameAt(b, next);
		return following && following.sampleRate === frame.sampleRate ? frame : undefined;
	}
	return next <= fileSize ? frame : undefined;
}

function adtsFacts(head: Buffer, fileSize: number, start: number): MediaFacts {
	const first = adtsFrameAt(head, start);
	if (!first) return {};
	const audioEnd = fileSize - id3v1Length(head, fileSize);
	let blocks = 0;
	let bytes = 0;
	let at = start;
	while (at < audioEnd) {
		const frame = adtsFrameAt(head, at);
		if (!frame || frame.sampleRate !== first.sampleRate) break;
		blocks += frame.blocks;
		bytes += frame.length;
		at += frame.length;
	}
	const msOf = (count: number) => Math.round(((count * 1024) / first.sampleRate) * 1000);
	if (at >= audioEnd) return { durationMs: msOf(blocks) };
	if (blocks === 0) return {};
	// ADTS states no length: frames × 1024 / sample rate needs the whole stream, so this is an
	// estimate from the first frames' average length and the file size
	return { durationMs: msOf((audioEnd - start) / (bytes / blocks)), durationEstimated: true };
}

// ------------------------------------------------------------------------------------ ID3v2

/** Where the audio starts after any ID3v2 tags (and the zero padding some taggers leave). */
function afterId3v2(b: Buffer): number {
	let at = 0;
	while (at + 10 <= b.length && latin1(b, at, at + 3) === 'ID3') {
		const size =
			((b[at + 6] & 0x7f) << 21) |
			((b[at + 7] & 0x7f) << 14) |
			((b[at + 8] & 0x7f) << 7) |
			(b[at + 9] & 0x7f);
		at += 10 + size + (b[at + 5] & 0x10 ? 10 : 0);
	}
	if (at > 0) while (at < b.length && b[at] === 0) at++;
	return at;
}

// ------------------------------------------------------------------------------------ identification

function image(name: string, mimeType: string, container: Container): MediaFormat {
	return { name, kind: 'image', mimeTypes: [mimeType], container };
}

function other(name: string, mimeType: string, kind?: AssetKind): MediaFormat {
	return { name, kind, mimeTypes: [mimeType], container: 'other' };
}

const BMP_HEADER_SIZES = [12, 40, 52, 56, 64, 108, 124];

function textReading(b: Buffer): MediaFormat | undefined {
	const text = latin1(b, 0, 1024)
		.replace(/^\xef\xbb\xbf/, '')
		.trimStart()
		.toLowerCase();
	if (text.startsWith('<!doctype html') || text.startsWith('<html')) {
		return other('an HTML page', 'text/html');
	}
	if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) {
		return other('an SVG drawing', 'image/svg+xml', 'image');
	}
	if (text.startsWith('<?xml')) return other('an XML document', 'application/xml');
	if (/^(\{\s*["}]|\[\s*[-\d"{[\]tfn])/.test(text)) return other('JSON text', 'application/json');
	return undefined;
}

function audioAfterId3(head: Buffer, fileSize: number): MediaReading {
	const start = afterId3v2(head);
	if (mp3StreamAt(head, start, fileSize)) return mp3Reading(head, fileSize, start);
	if (adtsStreamAt(head, start, fileSize)) return adtsReading(head, fileSize, start);
	if (latin1(head, start, start + 4) === 'fLaC') {
		return { format: other('FLAC audio', 'audio/flac', 'audio'), facts: {} };
	}
	// the tag is longer than the head, or hides something else: some audio, which one is unsure
	return {
		format: {
			name: 'audio with an ID3 tag',
			kind: 'audio',
			mimeTypes: ['audio/mpeg', 'audio/mp3', 'audio/aac'],
			container: 'other',
		},
		facts: {},
	};
}

function mp3Reading(head: Buffer, fileSize: number, start: number): MediaReading {
	return {
		format: {
			name: 'MP3 audio',
			kind: 'audio',
			mimeTypes: ['audio/mpeg', 'audio/mp3'],
			container: 'mp3',
		},
		facts: mp3Facts(head, fileSize, start),
	};
}

function adtsReading(head: Buffer, fileSize: number, start: number): MediaReading {
	return {
		format: {
			name: 'AAC (ADTS) audio',
			kind: 'audio',
			mimeTypes: ['audio/aac'],
			container: 'adts',
		},
		facts: adtsFacts(head, fileSize, start),
	};
}

/**
 * What the file's first bytes say it is, with the duration and size its headers tell.
 * undefined when the bytes are not a format known here.
 */
export function readMedia(head: Buffer, fileSize: number): MediaReading | undefined {
	const b = head;
	if (b.length < 4) return undefined;
	const ascii4 = latin1(b, 0, 4);
	if (b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) {
		return { format: image('a PNG image', 'image/png', 'png'), facts: pngFacts(b) };
	}
	if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
		return { format: image('a JPEG image', 'image/jpeg', 'jpeg'), facts: jpegFacts(b) };
	}
	if (ascii4 === 'RIFF' && b.length >= 12) {
		const riff = latin1(b, 8, 12);
		if (riff === 'WEBP') {
			return { format: image('a WebP image', 'image/webp', 'webp'), facts: webpFacts(b) };
		}
		if (riff === 'WAVE') {
			return {
				format: { name: 'WAV audio', kind: 'audio', mimeTypes: ['audio/wav'], container: 'wav' },
				facts: wavFacts(b, fileSize),
			};
		}
		if (riff === 'AVI ')
			return { format: other('an AVI video', 'video/x-msvideo', 'video'), facts: {} };
	}
	if (b.readUInt32BE(0) === EBML.header) return matroskaReading(b);
	if (latin1(b, 4, 8) === 'ftyp' || QUICKTIME_FIRST_BOXES.includes(latin1(b, 4, 8))) {
		const iso = isoReading(b);
		if (iso) return iso;
	}
	if (latin1(b, 0, 3) === 'ID3') return audioAfterId3(b, fileSize);
	if (mp3StreamAt(b, 0, fileSize)) return mp3Reading(b, fileSize, 0);
	if (adtsStreamAt(b, 0, fileSize)) return adtsReading(b, fileSize, 0);

	const format = otherFormat(b);
	return format ? { format, facts: {} } : undefined;
}

/** Formats Dreamina does not take, recognised so that the message can say what the file is. */
function otherFormat(b: Buffer): MediaFormat | undefined {
	const ascii4 = latin1(b, 0, 4);
	if (ascii4 === 'GIF8') return image('a GIF image', 'image/gif', 'other');
	if (latin1(b, 0, 2) === 'BM' && b.length >= 18 && BMP_HEADER_SIZES.includes(b.readUInt32LE(14))) {
		return image('a BMP image', 'image/bmp', 'other');
	}
	if (ascii4 === 'II*\0' || ascii4 === 'MM\0*') return image('a TIFF image', 'image/tiff', 'other');
	if (ascii4 === 'fLaC') return other('FLAC audio', 'audio/flac', 'audio');
	if (ascii4 === 'OggS') {
		const page = latin1(b, 0, 512);
		if (page.includes('\x80theora')) return other('an Ogg video', 'video/ogg', 'video');
		if (page.includes('OpusHead')) return other('Ogg Opus audio', 'audio/ogg', 'audio');
		return other('Ogg Vorbis audio', 'audio/ogg', 'audio');
	}
	if (ascii4 === 'FORM' && ['AIFF', 'AIFC'].includes(latin1(b, 8, 12))) {
		return other('AIFF audio', 'audio/aiff', 'audio');
	}
	if (ascii4 === '%PDF') return other('a PDF document', 'application/pdf');
	if (ascii4 === 'PK\x03\x04') return other('a ZIP archive', 'application/zip');
	return textReading(b);
}

/** Which reader a Content-Type's files need. */
const CONTAINER_OF_TYPE: Record<string, Container> = {
	'image/jpeg': 'jpeg',
	'image/png': 'png',
	'image/webp': 'webp',
	'video/mp4': 'isobmff',
	'video/quicktime': 'isobmff',
	'audio/mp4': 'isobmff',
	'video/webm': 'matroska',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/mpeg': 'mp3',
	'audio/mp3': 'mp3',
	'audio/aac': 'adts',
};

/**
 * Duration (ms) and picture size a file's first bytes tell, when they are a format `contentType`
 * names (an MP4 head read as `video/webm` tells nothing). Audio types get no picture size.
 */
export function probeMedia(head: Buffer, fileSize: number, contentType: string): MediaFacts {
	const reading = readMedia(head, fileSize);
	if (!reading || reading.format.container !== CONTAINER_OF_TYPE[contentType]) return {};
	const facts = { ...reading.facts };
	if (contentType.startsWith('audio/')) {
		delete facts.width;
		delete facts.height;
	}
	return facts;
}
