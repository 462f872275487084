/**
 * Media helpers for the emulator: real PNG generation, MP4 (ftyp+moov/mvhd/tkhd+mdat) generation
 * streamed without large allocations, and streaming header probes for uploads
 * (PNG / JPEG / WebP dimensions, MP4/MOV/M4A mvhd+tkhd, WebM EBML, WAV, MP3, AAC durations).
 * Also exports small fixture builders (JPEG header, WAV, WebP) used by tests.
 */
import { Readable } from 'node:stream';
import { deflateSync } from 'node:zlib';

// ---------------------------------------------------------------- CRC32 / PNG

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

export function crc32(buf: Buffer): number {
	let c = 0xffffffff;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}

/** A valid RGB PNG of width x height with a gradient derived from seed. */
export function makePng(width: number, height: number, seed = 0): Buffer {
	const w = Math.max(1, Math.floor(width));
	const h = Math.max(1, Math.floor(height));
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	ihdr[10] = 0;
	ihdr[11] = 0;
	ihdr[12] = 0;
	const raw = Buffer.alloc((w * 3 + 1) * h);
	const r0 = (seed * 67) & 0xff;
	const g0 = (seed * 151) & 0xff;
	const b0 = (seed * 29 + 90) & 0xff;
	for (let y = 0; y < h; y++) {
		const row = y * (w * 3 + 1);
		raw[row] = 0;
		for (let x = 0; x < w; x++) {
			const p = row + 1 + x * 3;
			raw[p] = (r0 + Math.floor((x * 255) / w)) & 0xff;
			raw[p + 1] = (g0 + Math.floor((y * 255) / h)) & 0xff;
			raw[p + 2] = b0;
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

// ---------------------------------------------------------------- MP4

function box(type: string, ...parts: Buffer[]): Buffer {
	const body = Buffer.concat(parts);
	const hdr = Buffer.alloc(8);
	hdr.writeUInt32BE(body.length + 8, 0);
	hdr.write(type, 4, 'latin1');
	return Buffer.concat([hdr, body]);
}

const UNITY_MATRIX = (() => {
	const m = Buffer.alloc(36);
	m.writeUInt32BE(0x00010000, 0);
	m.writeUInt32BE(0x00010000, 16);
	m.writeUInt32BE(0x40000000, 32);
	return m;
})();

/**
 * Bytes of a minimal MP4 file *before* the mdat payload: ftyp + moov(mvhd + trak/tkhd) + mdat header.
 * The mdat payload (zeros) fills the file up to totalBytes. If totalBytes is smaller than the
 * header, the returned header is simply longer than the file (callers truncate).
 */
export function mp4Header(opts: {
	durationMs: number;
	width: number;
	height: number;
	totalBytes: number;
}): Buffer {
	const ftyp = box(
		'ftyp',
		Buffer.from('isom', 'latin1'),
		Buffer.from([0, 0, 2, 0]),
		Buffer.from('isomiso2mp41', 'latin1'),
	);
	const mvhd = Buffer.alloc(100);
	mvhd.writeUInt32BE(0, 0); // version 0 + flags
	mvhd.writeUInt32BE(1000, 12); // timescale
	mvhd.writeUInt32BE(Math.max(0, Math.round(opts.durationMs)) >>> 0, 16);
	mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
	mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
	UNITY_MATRIX.copy(mvhd, 36);
	mvhd.writeUInt32BE(2, 96); // next track id
	const tkhd = Buffer.alloc(84);
	tkhd.writeUInt32BE(0x00000003, 0); // version 0, flags enabled|in_movie
	tkhd.writeUInt32BE(1, 12); // track id
	tkhd.writeUInt32BE(Math.max(0, Math.round(opts.durationMs)) >>> 0, 20);
	UNITY_MATRIX.copy(tkhd, 40);
	tkhd.writeUInt32BE((opts.width << 16) >>> 0, 76);
	tkhd.writeUInt32BE((opts.height << 16) >>> 0, 80);
	const moov = box('moov', box('mvhd', mvhd), box('trak', box('tkhd', tkhd)));
	const before = ftyp.length + moov.length;
	const remaining = opts.totalBytes - before;
	let mdatHdr: Buffer;
	if (remaining > 0xffffffff) {
		mdatHdr = Buffer.alloc(16);
		mdatHdr.writeUInt32BE(1, 0);
		mdatHdr.write('mdat', 4, 'latin1');
		mdatHdr.writeBigUInt64BE(BigInt(remaining), 8);
	} else {
		mdatHdr = Buffer.alloc(8);
		mdatHdr.writeUInt32BE(Math.max(8, remaining), 0);
		mdatHdr.write('mdat', 4, 'latin1');
	}
	return Buffer.concat([ftyp, moov, mdatHdr]);
}

const ZEROS = Buffer.alloc(64 * 1024);

/** Stream bytes [start, end) of a file made of `header` followed by zeros up to `total` bytes. */
export function paddedStream(header: Buffer, total: number, start = 0, end = total): Readable {
	let pos = Math.max(0, start);
	const stop = Math.min(end, total);
	return new Readable({
		read() {
			if (pos >= stop) {
				this.push(null);
				return;
			}
			if (pos < header.length) {
				const e = Math.min(header.length, stop);
				this.push(header.subarray(pos, e));
				pos = e;
				return;
			}
			const n = Math.min(ZEROS.length, stop - pos);
			this.push(n === ZEROS.length ? ZEROS : ZEROS.subarray(0, n));
			pos += n;
		},
	});
}

/** A complete in-memory MP4 (tests / small files). */
export function makeMp4(opts: {
	durationMs: number;
	width: number;
	height: number;
	totalBytes?: number;
}): Buffer {
	const hdr = mp4Header({ ...opts, totalBytes: opts.totalBytes ?? 0 });
	const total = Math.max(opts.totalBytes ?? hdr.length, hdr.length);
	const again = mp4Header({ ...opts, totalBytes: total });
	const out = Buffer.alloc(total);
	again.copy(out, 0, 0, Math.min(again.length, total));
	return out;
}

// ---------------------------------------------------------------- fixture builders (tests)

/** JPEG: SOI + APP0 + SOF0 with the given size + EOI (enough for a header probe). */
export function makeJpegHeader(width: number, height: number, padTo = 0): Buffer {
	const app0 = Buffer.from([
		0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
		0x00, 0x00,
	]);
	const sof = Buffer.from([
		0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11,
		0x01,
	]);
	sof.writeUInt16BE(height, 5);
	sof.writeUInt16BE(width, 7);
	const parts = [Buffer.from([0xff, 0xd8]), app0, sof];
	const used = 2 + app0.length + sof.length + 2;
	if (padTo > used) parts.push(Buffer.alloc(padTo - used));
	parts.push(Buffer.from([0xff, 0xd9]));
	return Buffer.concat(parts);
}

/** WebP (VP8X extended header) of the given canvas size. */
export function makeWebpHeader(width: number, height: number): Buffer {
	const vp8x = Buffer.alloc(10);
	vp8x.writeUIntLE(width - 1, 4, 3);
	vp8x.writeUIntLE(height - 1, 7, 3);
	const chunk = Buffer.concat([Buffer.from('VP8X', 'latin1'), Buffer.from([10, 0, 0, 0]), vp8x]);
	const riffSize = Buffer.alloc(4);
	riffSize.writeUInt32LE(4 + chunk.length);
	return Buffer.concat([
		Buffer.from('RIFF', 'latin1'),
		riffSize,
		Buffer.from('WEBP', 'latin1'),
		chunk,
	]);
}

/** PCM WAV (8 kHz mono 8-bit unless told otherwise) lasting durationMs. */
export function makeWav(
	durationMs: number,
	sampleRate = 8000,
	channels = 1,
	bitsPerSample = 8,
): Buffer {
	const byteRate = (sampleRate * channels * bitsPerSample) / 8;
	const dataLen = Math.round((byteRate * durationMs) / 1000);
	const h = Buffer.alloc(44);
	h.write('RIFF', 0, 'latin1');
	h.writeUInt32LE(36 + dataLen, 4);
	h.write('WAVE', 8, 'latin1');
	h.write('fmt ', 12, 'latin1');
	h.writeUInt32LE(16, 16);
	h.writeUInt16LE(1, 20);
	h.writeUInt16LE(channels, 22);
	h.writeUInt32LE(sampleRate, 24);
	h.writeUInt32LE(byteRate, 28);
	h.writeUInt16LE((channels * bitsPerSample) / 8, 32);
	h.writeUInt16LE(bitsPerSample, 34);
	h.write('data', 36, 'latin1');
	h.writeUInt32LE(dataLen, 40);
	return Buffer.concat([h, Buffer.alloc(dataLen, 0x80)]);
}

// ---------------------------------------------------------------- probes

export interface MediaInfo {
	width?: number;
	height?: number;
	durationMs?: number;
}

const HEAD_MAX = 256 * 1024;
const MOOV_MAX = 16 * 1024 * 1024;

/** Streaming scanner of top-level ISO-BMFF boxes that captures the `moov` box wherever it is. */
class Mp4Scanner {
	private pending: Buffer = Buffer.alloc(0);
	private skip = 0;
	private captureLeft = 0;
	private parts: Buffer[] = [];
	private done = false;
	private boxes = 0;
	sawFtyp = false;
	moov?: Buffer;

	feed(chunk: Buffer): void {
		if (this.done) return;
		let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
		this.pending = Buffer.alloc(0);
		let i = 0;
		while (i < buf.length && !this.done) {
			if (this.captureLeft > 0) {
				const take = Math.min(this.captureLeft, buf.length - i);
				this.parts.push(Buffer.from(buf.subarray(i, i + take)));
				i += take;
				this.captureLeft -= take;
				if (this.captureLeft === 0) {
					this.moov = Buffer.concat(this.parts);
					this.parts = [];
					this.done = true;
				}
				continue;
			}
			if (this.skip > 0) {
				const take = Math.min(this.skip, buf.length - i);
				i += take;
				this.skip -= take;
				continue;
			}
			if (buf.length - i < 8) break;
			let size = buf.readUInt32BE(i);
			const type = buf.toString('latin1', i + 4, i + 8);
			let hdr = 8;
			if (size === 1) {
				if (buf.length - i < 16) break;
				size = Number(buf.readBigUInt64BE(i + 8));
				hdr = 16;
			}
			if (this.boxes === 0 && !/^[a-zA-Z0-9 ]{4}$/.test(type)) {
				this.done = true; // not ISO-BMFF
				break;
			}
			this.boxes++;
			if (type === 'ftyp') this.sawFtyp = true;
			if (size === 0 || size < hdr) {
				this.done = true;
				break;
			}
			i += hdr;
			if (type === 'moov' && size - hdr <= MOOV_MAX) {
				this.captureLeft = size - hdr;
				if (this.captureLeft === 0) this.done = true;
			} else {
				this.skip = size - hdr;
			}
		}
		if (!this.done && i < buf.length) this.pending = Buffer.from(buf.subarray(i));
		buf = Buffer.alloc(0);
	}
}

function parseMoov(moov: Buffer): MediaInfo {
	const info: MediaInfo = {};
	const walk = (buf: Buffer, start: number, end: number) => {
		let i = start;
		while (i + 8 <= end) {
			let size = buf.readUInt32BE(i);
			const type = buf.toString('latin1', i + 4, i + 8);
			let hdr = 8;
			if (size === 1 && i + 16 <= end) {
				size = Number(buf.readBigUInt64BE(i + 8));
				hdr = 16;
			} else if (size === 0) size = end - i;
			if (size < hdr) return;
			const bodyStart = i + hdr;
			const boxEnd = Math.min(end, i + size);
			if (type === 'mvhd' && bodyStart + 32 <= boxEnd) {
				const v = buf[bodyStart];
				let timescale: number;
				let duration: number;
				if (v === 1) {
					timescale = buf.readUInt32BE(bodyStart + 20);
					duration = Number(buf.readBigUInt64BE(bodyStart + 24));
				} else {
					timescale = buf.readUInt32BE(bodyStart + 12);
					duration = buf.readUInt32BE(bodyStart + 16);
				}
				if (timescale > 0 && duration > 0 && duration !== 0xffffffff) {
					info.durationMs = Math.round((duration / timescale) * 1000);
				}
			} else if (type === 'tkhd') {
				const v = buf[bodyStart];
				const off = v === 1 ? 88 : 76;
				if (bodyStart + off + 8 <= boxEnd) {
					const w = buf.readUInt32BE(bodyStart + off) / 65536;
					const h = buf.readUInt32BE(bodyStart + off + 4) / 65536;
					if (w > 0 && h > 0 && info.width === undefined) {
						info.width = Math.round(w);
						info.height = Math.round(h);
					}
				}
			} else if (type === 'trak') {
				walk(buf, bodyStart, boxEnd);
			}
			i += size;
		}
	};
	walk(moov, 0, moov.length);
	return info;
}

function pngInfo(b: Buffer): MediaInfo | undefined {
	if (
		b.length >= 24 &&
		b.readUInt32BE(0) === 0x89504e47 &&
		b.toString('latin1', 12, 16) === 'IHDR'
	) {
		return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
	}
	return undefined;
}

function jpegInfo(b: Buffer): MediaInfo | undefined {
	if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
	let i = 2;
	while (i + 4 <= b.length) {
		if (b[i] !== 0xff) {
			i++;
			continue;
		}
		const m = b[i + 1];
		if (m === 0xff) {
			i++;
			continue;
		}
		if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
			i += 2;
			continue;
		}
		if (m === 0xd9 || m === 0xda) return undefined;
		const len = b.readUInt16BE(i + 2);
		if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
			if (i + 9 > b.length) return undefined;
			return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
		}
		i += 2 + len;
	}
	return undefined;
}

function webpInfo(b: Buffer): MediaInfo | undefined {
	if (
		b.length < 30 ||
		b.toString('latin1', 0, 4) !== 'RIFF' ||
		b.toString('latin1', 8, 12) !== 'WEBP'
	)
		return undefined;
	const kind = b.toString('latin1', 12, 16);
	if (kind === 'VP8X') return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
	if (kind === 'VP8 ')
		return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
	if (kind === 'VP8L') {
		const b1 = b[22];
		const b2 = b[23];
		const b3 = b[24];
		return {
			width: 1 + (b[21] | ((b1 & 0x3f) << 8)),
			height: 1 + ((b1 >> 6) | (b2 << 2) | ((b3 & 0x0f) << 10)),
		};
	}
	return undefined;
}

function readVint(
	b: Buffer,
	pos: number,
	keepMarker: boolean,
): { value: number; len: number; unknown: boolean } | undefined {
	if (pos >= b.length) return undefined;
	const first = b[pos];
	let len = 1;
	let mask = 0x80;
	while (len <= 8 && !(first & mask)) {
		len++;
		mask >>= 1;
	}
	if (len > 8 || pos + len > b.length) return undefined;
	let value = keepMarker ? first : first & (mask - 1);
	let allOnes = (first & (mask - 1)) === mask - 1;
	for (let k = 1; k < len; k++) {
		value = value * 256 + b[pos + k];
		if (b[pos + k] !== 0xff) allOnes = false;
	}
	return { value, len, unknown: !keepMarker && allOnes };
}

function webmInfo(b: Buffer): MediaInfo | undefined {
	if (b.length < 4 || b.readUInt32BE(0) !== 0x1a45dfa3) return undefined;
	const info: MediaInfo = {};
	let timecodeScale = 1_000_000;
	let duration: number | undefined;
	const MASTERS = new Set([0x18538067, 0x1549a966, 0x1654ae6b, 0xae, 0xe0]);
	const walk = (start: number, end: number, depth: number): boolean => {
		let i = start;
		while (i < end) {
			const id = readVint(b, i, true);
			if (!id) return false;
			const size = readVint(b, i + id.len, false);
			if (!size) return false;
			const dataStart = i + id.len + size.len;
			const dataEnd = size.unknown ? end : Math.min(end, dataStart + size.value);
			if (id.value === 0x1f43b675) return true; // Cluster: metadata is before it
			if (MASTERS.has(id.value) && depth < 6) {
				if (walk(dataStart, dataEnd, depth + 1)) return true;
			} else if (dataStart + size.value <= b.length) {
				const n = size.value;
				if (id.value === 0x2ad7b1 && n >= 1 && n <= 6) timecodeScale = b.readUIntBE(dataStart, n);
				else if (id.value === 0x4489 && n === 8) duration = b.readDoubleBE(dataStart);
				else if (id.value === 0x4489 && n === 4) duration = b.readFloatBE(dataStart);
				else if (id.value === 0xb0 && n >= 1 && n <= 6 && info.width === undefined)
					info.width = b.readUIntBE(dataStart, n);
				else if (id.value === 0xba && n >= 1 && n <= 6 && info.height === undefined)
					info.height = b.readUIntBE(dataStart, n);
			}
			if (size.unknown) return false;
			i = dataStart + size.value;
		}
		return false;
	};
	walk(0, b.length, 0);
	if (duration !== undefined && duration > 0)
		info.durationMs = Math.round((duration * timecodeScale) / 1e6);
	return info;
}

function wavInfo(b: Buffer, total: number): MediaInfo | undefined {
	if (
		b.length < 12 ||
		b.toString('latin1', 0, 4) !== 'RIFF' ||
		b.toString('latin1', 8, 12) !== 'WAVE'
	)
		return undefined;
	let i = 12;
	let byteRate = 0;
	while (i + 8 <= b.length) {
		const id = b.toString('latin1', i, i + 4);
		const size = b.readUInt32LE(i + 4);
		if (id === 'fmt ' && i + 20 <= b.length) byteRate = b.readUInt32LE(i + 16);
		if (id === 'data') {
			const dataStart = i + 8;
			let dataLen = size;
			if (dataLen === 0 || dataLen === 0xffffffff || dataStart + dataLen > total)
				dataLen = total - dataStart;
			if (byteRate > 0) return { durationMs: Math.round((dataLen / byteRate) * 1000) };
			return {};
		}
		i += 8 + size + (size & 1);
	}
	return {};
}

const MP3_BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const MP3_RATES: Record<number, number[]> = {
	3: [44100, 48000, 32000],
	2: [22050, 24000, 16000],
	0: [11025, 12000, 8000],
};

function mp3Info(b: Buffer, total: number): MediaInfo | undefined {
	let i = 0;
	if (b.length >= 10 && b.toString('latin1', 0, 3) === 'ID3') {
		const sz = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
		i = 10 + sz + (b[5] & 0x10 ? 10 : 0);
	}
	for (; i + 4 <= b.length; i++) {
		if (b[i] !== 0xff || (b[i + 1] & 0xe0) !== 0xe0) continue;
		const ver = (b[i + 1] >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
		const layer = (b[i + 1] >> 1) & 3; // 1 = Layer III
		const brIdx = (b[i + 2] >> 4) & 15;
		const srIdx = (b[i + 2] >> 2) & 3;
		if (ver === 1 || layer !== 1 || brIdx === 0 || brIdx === 15 || srIdx === 3) continue;
		const sampleRate = MP3_RATES[ver][srIdx];
		const bitrate = (ver === 3 ? MP3_BITRATES_V1 : MP3_BITRATES_V2)[brIdx] * 1000;
		const mono = ((b[i + 3] >> 6) & 3) === 3;
		const sideInfo = ver === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
		const x = i + 4 + sideInfo;
		if (x + 12 <= b.length) {
			const tag = b.toString('latin1', x, x + 4);
			if ((tag === 'Xing' || tag === 'Info') && b.readUInt32BE(x + 4) & 1) {
				const frames = b.readUInt32BE(x + 8);
				const spf = ver === 3 ? 1152 : 576;
				return { durationMs: Math.round(((frames * spf) / sampleRate) * 1000) };
			}
		}
		return { durationMs: Math.round((((total - i) * 8) / bitrate) * 1000) };
	}
	return undefined;
}

const AAC_RATES = [
	96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];
function aacInfo(b: Buffer, total: number): MediaInfo | undefined {
	for (let i = 0; i + 7 <= b.length; i++) {
		if (b[i] !== 0xff || (b[i + 1] & 0xf6) !== 0xf0) continue;
		const sr = AAC_RATES[(b[i + 2] >> 2) & 15];
		const frameLen = ((b[i + 3] & 3) << 11) | (b[i + 4] << 3) | (b[i + 5] >> 5);
		if (!sr || frameLen < 7) continue;
		return { durationMs: Math.round((((total - i) / frameLen) * 1024 * 1000) / sr) };
	}
	return undefined;
}

/** Streaming probe: feed() every chunk, then result(). Keeps at most HEAD_MAX bytes (+ moov). */
export class MediaProbe {
	private head: Buffer[] = [];
	private headLen = 0;
	private mp4?: Mp4Scanner;
	total = 0;

	constructor(private readonly kind: 'image' | 'video' | 'audio') {
		if (kind !== 'image') this.mp4 = new Mp4Scanner();
	}

	feed(chunk: Buffer): void {
		this.total += chunk.length;
		if (this.headLen < HEAD_MAX) {
			const take = chunk.subarray(0, HEAD_MAX - this.headLen);
			this.head.push(Buffer.from(take));
			this.headLen += take.length;
		}
		this.mp4?.feed(chunk);
	}

	result(): MediaInfo {
		const b = Buffer.concat(this.head);
		if (this.kind === 'image') return pngInfo(b) ?? jpegInfo(b) ?? webpInfo(b) ?? {};
		if (this.mp4?.moov) return parseMoov(this.mp4.moov);
		if (this.mp4?.sawFtyp) return {};
		if (this.kind === 'video') return webmInfo(b) ?? {};
		return (
			wavInfo(b, this.total) ??
			mp3Info(b, this.total) ??
			aacInfo(b, this.total) ??
			webmInfo(b) ??
			{}
		);
	}
}
