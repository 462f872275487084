// @ts-check
'use strict';
/**
 * Media for the emulator and the tests.
 * - Fixtures: real PNG, BMP and GIF images, JPEG and WebP headers, MP4 (ftyp + moov/mvhd/tkhd +
 *   mdat) streamed without large allocations, M4A, WAV, MP3 (MPEG-1 layer III frames) and ADTS AAC.
 * - `MediaProbe`: reads an upload while it streams in, as the real API does, for its picture size
 *   (PNG / JPEG / WebP, MP4/MOV/M4A tkhd, WebM) and duration (mvhd wherever the moov box is, WebM,
 *   WAV, and MP3 and ADTS AAC by counting every frame).
 * Independent of nodes/ (it checks the nodes): nothing here is imported from there.
 */
const { Readable } = require('node:stream');
const { deflateSync } = require('node:zlib');

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

/**
 * @param {Buffer} buf
 * @returns {number}
 */
function crc32(buf) {
	let c = 0xffffffff;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/**
 * @param {string} type
 * @param {Buffer} data
 */
function pngChunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}

/**
 * A valid RGB PNG of width x height with a gradient derived from seed.
 * @param {number} width
 * @param {number} height
 * @param {number} [seed]
 * @returns {Buffer}
 */
function makePng(width, height, seed = 0) {
	const w = Math.max(1, Math.floor(width));
	const h = Math.max(1, Math.floor(height));
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0);
	ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
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

// ---------------------------------------------------------------- other images (types Dreamina refuses)

/**
 * A valid 24-bit uncompressed BMP (BITMAPINFOHEADER) of width x height.
 * @param {number} width
 * @param {number} height
 * @returns {Buffer}
 */
function makeBmp(width, height) {
	const w = Math.max(1, Math.floor(width));
	const h = Math.max(1, Math.floor(height));
	const rowBytes = Math.ceil((w * 3) / 4) * 4;
	const pixels = Buffer.alloc(rowBytes * h, 0x80);
	const header = Buffer.alloc(54);
	header.write('BM', 0, 'latin1');
	header.writeUInt32LE(54 + pixels.length, 2);
	header.writeUInt32LE(54, 10); // pixel data offset
	header.writeUInt32LE(40, 14); // BITMAPINFOHEADER
	header.writeInt32LE(w, 18);
	header.writeInt32LE(h, 22);
	header.writeUInt16LE(1, 26); // planes
	header.writeUInt16LE(24, 28); // bits per pixel
	header.writeUInt32LE(pixels.length, 34);
	header.writeUInt32LE(2835, 38); // 72 dpi
	header.writeUInt32LE(2835, 42);
	return Buffer.concat([header, pixels]);
}

/**
 * A valid 1x1 GIF89a (one white pixel).
 * @returns {Buffer}
 */
function makeGif() {
	return Buffer.from(
		'47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b',
		'hex',
	);
}

// ---------------------------------------------------------------- MP4 / M4A

/**
 * @param {string} type
 * @param {...Buffer} parts
 */
function box(type, ...parts) {
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

/** @param {number} durationMs */
function mvhdBox(durationMs) {
	const mvhd = Buffer.alloc(100);
	mvhd.writeUInt32BE(0, 0); // version 0 + flags
	mvhd.writeUInt32BE(1000, 12); // timescale
	mvhd.writeUInt32BE(Math.max(0, Math.round(durationMs)) >>> 0, 16);
	mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
	mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
	UNITY_MATRIX.copy(mvhd, 36);
	mvhd.writeUInt32BE(2, 96); // next track id
	return box('mvhd', mvhd);
}

/**
 * @param {number} durationMs
 * @param {number} width
 * @param {number} height
 */
function tkhdBox(durationMs, width, height) {
	const tkhd = Buffer.alloc(84);
	tkhd.writeUInt32BE(0x00000003, 0); // version 0, flags enabled|in_movie
	tkhd.writeUInt32BE(1, 12); // track id
	tkhd.writeUInt32BE(Math.max(0, Math.round(durationMs)) >>> 0, 20);
	if (width === 0 && height === 0) tkhd.writeUInt16BE(0x0100, 36); // audio track: volume 1.0
	UNITY_MATRIX.copy(tkhd, 40);
	tkhd.writeUInt32BE((width << 16) >>> 0, 76);
	tkhd.writeUInt32BE((height << 16) >>> 0, 80);
	return box('tkhd', tkhd);
}

/**
 * The mdat header that makes the file `totalBytes` long after `before` bytes (64-bit when needed).
 * @param {number} before
 * @param {number} totalBytes
 */
function mdatHeader(before, totalBytes) {
	const remaining = totalBytes - before;
	if (remaining > 0xffffffff) {
		const h = Buffer.alloc(16);
		h.writeUInt32BE(1, 0);
		h.write('mdat', 4, 'latin1');
		h.writeBigUInt64BE(BigInt(remaining), 8);
		return h;
	}
	const h = Buffer.alloc(8);
	h.writeUInt32BE(Math.max(8, remaining), 0);
	h.write('mdat', 4, 'latin1');
	return h;
}

/**
 * Bytes of a minimal MP4 file *before* the mdat payload: ftyp + moov(mvhd + trak/tkhd) + mdat header.
 * The mdat payload (zeros) fills the file up to totalBytes. If totalBytes is smaller than the
 * header, the returned header is simply longer than the file (callers truncate).
 * @param {{ durationMs: number; width: number; height: number; totalBytes: number }} opts
 * @returns {Buffer}
 */
function mp4Header(opts) {
	const ftyp = box(
		'ftyp',
		Buffer.from('isom', 'latin1'),
		Buffer.from([0, 0, 2, 0]),
		Buffer.from('isomiso2mp41', 'latin1'),
	);
	const moov = box(
		'moov',
		mvhdBox(opts.durationMs),
		box('trak', tkhdBox(opts.durationMs, opts.width, opts.height)),
	);
	return Buffer.concat([ftyp, moov, mdatHeader(ftyp.length + moov.length, opts.totalBytes)]);
}

const ZEROS = Buffer.alloc(64 * 1024);

/**
 * Stream bytes [start, end) of a file made of `header` followed by zeros up to `total` bytes.
 * @param {Buffer} header
 * @param {number} total
 * @param {number} [start]
 * @param {number} [end]
 * @returns {Readable}
 */
function paddedStream(header, total, start = 0, end = total) {
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

/**
 * A complete in-memory MP4 (tests / small files).
 * @param {{ durationMs: number; width: number; height: number; totalBytes?: number }} opts
 * @returns {Buffer}
 */
function makeMp4(opts) {
	const hdr = mp4Header({ ...opts, totalBytes: opts.totalBytes ?? 0 });
	const total = Math.max(opts.totalBytes ?? hdr.length, hdr.length);
	const again = mp4Header({ ...opts, totalBytes: total });
	const out = Buffer.alloc(total);
	again.copy(out, 0, 0, Math.min(again.length, total));
	return out;
}

/**
 * An M4A (MP4 audio) file: ftyp `M4A `, moov first (mvhd, and one sound track: tkhd, mdhd, hdlr
 * `soun`), then a zero mdat filling it to totalBytes (default 4 KiB).
 * @param {number} durationMs
 * @param {{ totalBytes?: number; sampleRate?: number }} [opts]
 * @returns {Buffer}
 */
function makeM4a(durationMs, opts = {}) {
	const sampleRate = opts.sampleRate ?? 44100;
	const ftyp = box(
		'ftyp',
		Buffer.from('M4A ', 'latin1'),
		Buffer.from([0, 0, 2, 0]),
		Buffer.from('M4A mp42isom', 'latin1'),
	);
	const mdhd = Buffer.alloc(24);
	mdhd.writeUInt32BE(sampleRate, 12); // timescale
	mdhd.writeUInt32BE(Math.round((durationMs * sampleRate) / 1000) >>> 0, 16);
	mdhd.writeUInt16BE(0x55c4, 20); // language "und"
	const hdlr = Buffer.concat([
		Buffer.alloc(8), // version/flags, pre_defined
		Buffer.from('soun', 'latin1'),
		Buffer.alloc(12),
		Buffer.from('SoundHandler\0', 'latin1'),
	]);
	const smhd = Buffer.alloc(8);
	const moov = box(
		'moov',
		mvhdBox(durationMs),
		box(
			'trak',
			tkhdBox(durationMs, 0, 0),
			box('mdia', box('mdhd', mdhd), box('hdlr', hdlr), box('minf', box('smhd', smhd))),
		),
	);
	const before = ftyp.length + moov.length;
	const total = Math.max(opts.totalBytes ?? 4096, before + 8);
	const out = Buffer.alloc(total);
	Buffer.concat([ftyp, moov, mdatHeader(before, total)]).copy(out);
	return out;
}

// ---------------------------------------------------------------- JPEG / WebP / WAV

/**
 * JPEG: SOI + APP0 + SOF0 with the given size + EOI (enough for a header probe).
 * @param {number} width
 * @param {number} height
 * @param {number} [padTo]
 * @returns {Buffer}
 */
function makeJpegHeader(width, height, padTo = 0) {
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

/**
 * WebP (VP8X extended header) of the given canvas size.
 * @param {number} width
 * @param {number} height
 * @returns {Buffer}
 */
function makeWebpHeader(width, height) {
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

/**
 * PCM WAV (8 kHz mono 8-bit unless told otherwise) lasting durationMs.
 * @param {number} durationMs
 * @param {number} [sampleRate]
 * @param {number} [channels]
 * @param {number} [bitsPerSample]
 * @returns {Buffer}
 */
function makeWav(durationMs, sampleRate = 8000, channels = 1, bitsPerSample = 8) {
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

// ---------------------------------------------------------------- MP3 / AAC (ADTS) fixtures

/** MPEG-1 layer III bitrates (kbps) by bitrate index. */
const MPEG1_L3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
/** MPEG-2 / 2.5 layer III bitrates (kbps) by bitrate index. */
const MPEG2_L3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
/**
 * Sample rates by the header's version bits: 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5.
 * @type {Record<number, number[]>}
 */
const MPEG_SAMPLE_RATES = {
	3: [44100, 48000, 32000],
	2: [22050, 24000, 16000],
	0: [11025, 12000, 8000],
};
const MP3_SAMPLES_PER_FRAME = 1152; // MPEG-1 layer III
const MP3_RATE = 44100;
/** Bitrates a VBR fixture cycles through (an encoder's choice varies like this with the music). */
const VBR_PATTERN_KBPS = [128, 160, 96, 192, 112, 224, 128, 80];
/** Joint stereo, original: the last header byte of the fixtures' frames. */
const MP3_MODE_BYTE = 0x44;
const MP3_SIDE_INFO = 32; // MPEG-1, not mono

/**
 * One MPEG-1 layer III frame at 44.1 kHz, joint stereo: header, empty side information (every
 * granule is silent), zero main data.
 * @param {number} kbps
 * @param {0 | 1} padding
 */
function mp3Frame(kbps, padding) {
	const index = MPEG1_L3_KBPS.indexOf(kbps);
	if (index < 1) throw new Error(`makeMp3: ${kbps} kbps is not an MPEG-1 layer III bitrate`);
	const length = Math.floor((144_000 * kbps) / MP3_RATE) + padding;
	const frame = Buffer.alloc(length);
	frame[0] = 0xff;
	frame[1] = 0xfb; // MPEG-1, layer III, no CRC
	frame[2] = (index << 4) | (0 << 2) | (padding << 1); // 44.1 kHz
	frame[3] = MP3_MODE_BYTE;
	return frame;
}

/**
 * An MP3 file lasting durationMs (to one frame, 26.1 ms): MPEG-1 layer III frames at 44.1 kHz
 * with real headers, so ffprobe reads it.
 * - CBR (default): every frame at bitrateKbps (default 128), padded like an encoder pads them, no
 *   Xing header: its length is told by bitrate and size.
 * - `vbr: true`: frames cycle through several bitrates, with a Xing frame first stating the frame
 *   and byte counts (`vbri: true`: a Fraunhofer VBRI frame instead; `xing: false`: neither, then
 *   nothing states the length).
 * - `id3: true`: an ID3v2.3 tag (title, padding) before the audio and an ID3v1 tag after it.
 * @param {number} durationMs
 * @param {{ vbr?: boolean; xing?: boolean; vbri?: boolean; id3?: boolean; bitrateKbps?: number }} [opts]
 * @returns {Buffer}
 */
function makeMp3(durationMs, opts = {}) {
	const kbps = opts.bitrateKbps ?? 128;
	const frames = Math.max(1, Math.round((durationMs / 1000) * (MP3_RATE / MP3_SAMPLES_PER_FRAME)));
	/** @type {Buffer[]} */
	const audio = [];
	const exact = (144_000 * kbps) / MP3_RATE;
	for (let i = 0; i < frames; i++) {
		if (opts.vbr) {
			audio.push(mp3Frame(VBR_PATTERN_KBPS[i % VBR_PATTERN_KBPS.length], 0));
		} else {
			// pad the frames whose running total falls behind the exact bitrate (as encoders do)
			const padding =
				Math.floor((i + 1) * exact) - Math.floor(i * exact) > Math.floor(exact) ? 1 : 0;
			audio.push(mp3Frame(kbps, padding));
		}
	}
	/** @type {Buffer[]} */
	const parts = [];
	if (opts.id3) parts.push(id3v2Tag('Dreamina fixture'));
	const audioBytes = audio.reduce((sum, frame) => sum + frame.length, 0);
	if (opts.vbr && opts.vbri) {
		// VBRI sits 32 bytes after the header whatever the channel mode
		const vbri = mp3Frame(128, 0);
		vbri.write('VBRI', 36, 'latin1');
		vbri.writeUInt16BE(1, 40); // version
		vbri.writeUInt16BE(576, 42); // encoder delay
		vbri.writeUInt16BE(75, 44); // quality
		vbri.writeUInt32BE(vbri.length + audioBytes, 46);
		vbri.writeUInt32BE(frames, 50); // audio frames
		parts.push(vbri); // no seek table (0 entries)
	} else if (opts.vbr && opts.xing !== false) {
		const xing = mp3Frame(128, 0);
		const at = 4 + MP3_SIDE_INFO;
		xing.write('Xing', at, 'latin1');
		xing.writeUInt32BE(0x3, at + 4); // frames and bytes fields present
		xing.writeUInt32BE(frames, at + 8); // audio frames, the Xing frame not counted
		xing.writeUInt32BE(xing.length + audioBytes, at + 12);
		parts.push(xing);
	}
	parts.push(...audio);
	if (opts.id3) parts.push(id3v1Tag('Dreamina fixture'));
	return Buffer.concat(parts);
}

/**
 * ID3v2.3 tag with a TIT2 (title) frame and 512 bytes of padding.
 * @param {string} title
 */
function id3v2Tag(title) {
	const text = Buffer.concat([Buffer.from([0]), Buffer.from(title, 'latin1')]);
	const frameHeader = Buffer.alloc(10);
	frameHeader.write('TIT2', 0, 'latin1');
	frameHeader.writeUInt32BE(text.length, 4);
	const body = Buffer.concat([frameHeader, text, Buffer.alloc(512)]);
	const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]);
	const n = body.length; // syncsafe: 7 bits a byte
	header[6] = (n >> 21) & 0x7f;
	header[7] = (n >> 14) & 0x7f;
	header[8] = (n >> 7) & 0x7f;
	header[9] = n & 0x7f;
	return Buffer.concat([header, body]);
}

/**
 * ID3v1 trailer: 128 bytes starting "TAG".
 * @param {string} title
 */
function id3v1Tag(title) {
	const tag = Buffer.alloc(128);
	tag.write('TAG', 0, 'latin1');
	tag.write(title.slice(0, 30), 3, 'latin1');
	tag[127] = 255; // no genre
	return tag;
}

const ADTS_SAMPLE_RATES = [
	96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
];
/** ADTS frame lengths a fixture cycles through (AAC frames vary in size; about 128 kbps at 44.1 kHz). */
const ADTS_FRAME_PATTERN = [360, 384, 371, 352, 390];

/**
 * An AAC-LC stream in ADTS frames lasting durationMs (to one frame, 1024 samples): real ADTS
 * headers (no CRC, one raw data block each) followed by zero payload.
 * @param {number} durationMs
 * @param {{ sampleRate?: number; channels?: number }} [opts]
 * @returns {Buffer}
 */
function makeAdtsAac(durationMs, opts = {}) {
	const sampleRate = opts.sampleRate ?? 44100;
	const channels = opts.channels ?? 2;
	const rateIndex = ADTS_SAMPLE_RATES.indexOf(sampleRate);
	if (rateIndex < 0) throw new Error(`makeAdtsAac: ${sampleRate} Hz is not an ADTS sample rate`);
	const frames = Math.max(1, Math.round(((durationMs / 1000) * sampleRate) / 1024));
	/** @type {Buffer[]} */
	const parts = [];
	for (let i = 0; i < frames; i++) {
		const length = ADTS_FRAME_PATTERN[i % ADTS_FRAME_PATTERN.length];
		const frame = Buffer.alloc(length);
		frame[0] = 0xff;
		frame[1] = 0xf1; // MPEG-4, layer 0, no CRC
		frame[2] = (1 << 6) | (rateIndex << 2) | (channels >> 2); // profile AAC LC
		frame[3] = ((channels & 3) << 6) | (length >> 11);
		frame[4] = (length >> 3) & 0xff;
		frame[5] = ((length & 7) << 5) | 0x1f; // buffer fullness 0x7ff (VBR)
		frame[6] = 0xfc; // buffer fullness, one raw data block
		parts.push(frame);
	}
	return Buffer.concat(parts);
}

// ---------------------------------------------------------------- probes

/** @typedef {{ width?: number; height?: number; durationMs?: number }} MediaInfo */

const HEAD_MAX = 256 * 1024;
const MOOV_MAX = 16 * 1024 * 1024;

/** Streaming scanner of top-level ISO-BMFF boxes that captures the `moov` box wherever it is. */
class Mp4Scanner {
	constructor() {
		/** @type {Buffer} */
		this.pending = Buffer.alloc(0);
		this.skip = 0;
		this.captureLeft = 0;
		/** @type {Buffer[]} */
		this.parts = [];
		this.done = false;
		this.boxes = 0;
		this.sawFtyp = false;
		/** @type {Buffer | undefined} */
		this.moov = undefined;
	}

	/** @param {Buffer} chunk */
	feed(chunk) {
		if (this.done) return;
		const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
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
	}
}

/**
 * @param {Buffer} moov
 * @returns {MediaInfo}
 */
function parseMoov(moov) {
	/** @type {MediaInfo} */
	const info = {};
	/**
	 * @param {Buffer} buf
	 * @param {number} start
	 * @param {number} end
	 */
	const walk = (buf, start, end) => {
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
				let timescale;
				let duration;
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

/**
 * @param {Buffer} b
 * @returns {MediaInfo | undefined}
 */
function pngInfo(b) {
	if (
		b.length >= 24 &&
		b.readUInt32BE(0) === 0x89504e47 &&
		b.toString('latin1', 12, 16) === 'IHDR'
	) {
		return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
	}
	return undefined;
}

/**
 * @param {Buffer} b
 * @returns {MediaInfo | undefined}
 */
function jpegInfo(b) {
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

/**
 * @param {Buffer} b
 * @returns {MediaInfo | undefined}
 */
function webpInfo(b) {
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

/**
 * @param {Buffer} b
 * @param {number} pos
 * @param {boolean} keepMarker
 * @returns {{ value: number; len: number; unknown: boolean } | undefined}
 */
function readVint(b, pos, keepMarker) {
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

/**
 * @param {Buffer} b
 * @returns {MediaInfo | undefined}
 */
function webmInfo(b) {
	if (b.length < 4 || b.readUInt32BE(0) !== 0x1a45dfa3) return undefined;
	/** @type {MediaInfo} */
	const info = {};
	let timecodeScale = 1_000_000;
	/** @type {number | undefined} */
	let duration;
	const MASTERS = new Set([0x18538067, 0x1549a966, 0x1654ae6b, 0xae, 0xe0]);
	/**
	 * @param {number} start
	 * @param {number} end
	 * @param {number} depth
	 * @returns {boolean}
	 */
	const walk = (start, end, depth) => {
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

/**
 * @param {Buffer} b
 * @param {number} total
 * @returns {MediaInfo | undefined}
 */
function wavInfo(b, total) {
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

/**
 * @typedef {object} AudioFrame
 * @property {number} length bytes, header included
 * @property {number} sampleRate
 * @property {number} samples per frame
 */

/**
 * An MPEG audio layer III frame header (MPEG-1, 2 or 2.5) at `at`, or undefined.
 * @param {Buffer} b
 * @param {number} at
 * @returns {AudioFrame | undefined}
 */
function mp3FrameAt(b, at) {
	if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return undefined;
	const version = (b[at + 1] >> 3) & 3;
	const layer = (b[at + 1] >> 1) & 3;
	const bitrateIndex = b[at + 2] >> 4;
	const rateIndex = (b[at + 2] >> 2) & 3;
	if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3)
		return undefined;
	const mpeg1 = version === 3;
	const kbps = (mpeg1 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS)[bitrateIndex];
	const sampleRate = MPEG_SAMPLE_RATES[version][rateIndex];
	const samples = mpeg1 ? 1152 : 576;
	const padding = (b[at + 2] >> 1) & 1;
	return {
		length: Math.floor(((samples / 8) * kbps * 1000) / sampleRate) + padding,
		sampleRate,
		samples,
	};
}

/**
 * An ADTS (AAC) frame header at `at`, or undefined; `samples` covers all its raw data blocks.
 * @param {Buffer} b
 * @param {number} at
 * @returns {AudioFrame | undefined}
 */
function adtsFrameAt(b, at) {
	if (at + 7 > b.length || b[at] !== 0xff || (b[at + 1] & 0xf6) !== 0xf0) return undefined;
	const sampleRate = ADTS_SAMPLE_RATES[(b[at + 2] >> 2) & 15];
	const length = ((b[at + 3] & 3) << 11) | (b[at + 4] << 3) | (b[at + 5] >> 5);
	if (!sampleRate || length < 7) return undefined;
	return { length, sampleRate, samples: ((b[at + 6] & 3) + 1) * 1024 };
}

/** Bytes of a first MP3 frame that hold its Xing/Info (after 32 bytes of side information) or VBRI tag. */
const FIRST_FRAME_BYTES = 54;

/**
 * Counts every frame of an MP3 or ADTS AAC stream while it streams in (after any ID3v2 tags), so
 * its duration is exact, or takes the frame count an MP3's Xing/Info or VBRI frame states (as
 * ffprobe does). Counting stops where the frames stop (an ID3v1 trailer, other data).
 */
class AudioFrameCounter {
	constructor() {
		/** @type {'start' | 'zeros' | 'first' | 'frames' | 'stopped'} */
		this.state = 'start';
		/** @type {Buffer} */
		this.pending = Buffer.alloc(0);
		this.skip = 0;
		/** @type {'mp3' | 'adts' | undefined} */
		this.container = undefined;
		this.sampleRate = 0;
		this.samples = 0;
		/** @type {number | undefined} frames an MP3's Xing/Info or VBRI frame states */
		this.statedFrames = undefined;
		this.samplesPerStatedFrame = 0;
	}

	/** @param {Buffer} chunk */
	feed(chunk) {
		let data = chunk;
		for (;;) {
			if (this.state === 'stopped') return;
			if (this.skip > 0) {
				if (!data.length) return;
				const n = Math.min(this.skip, data.length);
				this.skip -= n;
				data = data.subarray(n);
				continue;
			}
			if (this.state === 'zeros') {
				// the zero padding some taggers leave after an ID3v2 tag
				let p = 0;
				while (p < this.pending.length && this.pending[p] === 0) p++;
				this.pending = this.pending.subarray(p);
				if (this.pending.length) {
					this.state = 'first';
					continue;
				}
				let i = 0;
				while (i < data.length && data[i] === 0) i++;
				data = data.subarray(i);
				if (!data.length) return;
				this.state = 'first';
				continue;
			}
			const need =
				this.state === 'start'
					? 10
					: this.state === 'first'
						? FIRST_FRAME_BYTES
						: this.container === 'mp3'
							? 4
							: 7;
			if (this.pending.length < need) {
				if (!data.length) return;
				const take = Math.min(need - this.pending.length, data.length);
				this.pending = Buffer.concat([this.pending, data.subarray(0, take)]);
				data = data.subarray(take);
				continue;
			}
			this.step();
		}
	}

	/** Decides on the pending bytes: a tag to skip, the first frame, or the next frame. */
	step() {
		const b = this.pending;
		if (this.state === 'start') {
			if (b.toString('latin1', 0, 3) === 'ID3') {
				const size =
					((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
				this.state = 'zeros';
				this.consume(10 + size + (b[5] & 0x10 ? 10 : 0));
				return;
			}
			this.state = 'first';
			return;
		}
		if (this.state === 'first') {
			if (b.toString('latin1', 0, 3) === 'ID3') {
				this.state = 'start';
				return;
			}
			const mp3 = mp3FrameAt(b, 0);
			const adts = mp3 ? undefined : adtsFrameAt(b, 0);
			const frame = mp3 ?? adts;
			if (!frame) {
				this.state = 'stopped';
				return;
			}
			this.container = mp3 ? 'mp3' : 'adts';
			this.sampleRate = frame.sampleRate;
			if (mp3) {
				const mono = b[3] >> 6 === 3;
				const mpeg1 = ((b[1] >> 3) & 3) === 3;
				const xing = 4 + (mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17);
				const tag = b.toString('latin1', xing, xing + 4);
				if (
					(tag === 'Xing' || tag === 'Info') &&
					xing + 12 <= b.length &&
					b.readUInt32BE(xing + 4) & 1
				) {
					this.statedFrames = b.readUInt32BE(xing + 8);
				} else if (b.toString('latin1', 36, 40) === 'VBRI') {
					this.statedFrames = b.readUInt32BE(50);
				}
				if (this.statedFrames !== undefined) {
					this.samplesPerStatedFrame = frame.samples;
					this.state = 'stopped';
					return;
				}
				// an Info/Xing frame without a count holds no audio
				if (tag !== 'Xing' && tag !== 'Info') this.samples += frame.samples;
			} else {
				this.samples += frame.samples;
			}
			this.state = 'frames';
			this.consume(frame.length);
			return;
		}
		const frame = this.container === 'mp3' ? mp3FrameAt(b, 0) : adtsFrameAt(b, 0);
		if (!frame || frame.sampleRate !== this.sampleRate) {
			this.state = 'stopped';
			return;
		}
		this.samples += frame.samples;
		this.consume(frame.length);
	}

	/**
	 * Moves past a frame of `length` bytes that starts at the beginning of the pending bytes.
	 * @param {number} length
	 */
	consume(length) {
		if (length <= this.pending.length) {
			this.pending = this.pending.subarray(length);
		} else {
			this.skip = length - this.pending.length;
			this.pending = Buffer.alloc(0);
		}
	}

	/** @returns {number | undefined} */
	durationMs() {
		if (this.statedFrames !== undefined) {
			return Math.round(
				((this.statedFrames * this.samplesPerStatedFrame) / this.sampleRate) * 1000,
			);
		}
		return this.samples > 0 ? Math.round((this.samples / this.sampleRate) * 1000) : undefined;
	}
}

/** Streaming probe: feed() every chunk, then result(). Keeps at most HEAD_MAX bytes (+ moov). */
class MediaProbe {
	/** @param {'image' | 'video' | 'audio'} kind */
	constructor(kind) {
		this.kind = kind;
		/** @type {Buffer[]} */
		this.head = [];
		this.headLen = 0;
		this.total = 0;
		/** @type {Mp4Scanner | undefined} */
		this.mp4 = kind !== 'image' ? new Mp4Scanner() : undefined;
		/** @type {AudioFrameCounter | undefined} */
		this.frames = kind === 'audio' ? new AudioFrameCounter() : undefined;
	}

	/** @param {Buffer} chunk */
	feed(chunk) {
		this.total += chunk.length;
		if (this.headLen < HEAD_MAX) {
			const take = chunk.subarray(0, HEAD_MAX - this.headLen);
			this.head.push(Buffer.from(take));
			this.headLen += take.length;
		}
		this.mp4?.feed(chunk);
		this.frames?.feed(chunk);
	}

	/** @returns {MediaInfo} */
	result() {
		const b = Buffer.concat(this.head);
		if (this.kind === 'image') return pngInfo(b) ?? jpegInfo(b) ?? webpInfo(b) ?? {};
		if (this.mp4?.moov) return parseMoov(this.mp4.moov);
		if (this.mp4?.sawFtyp) return {};
		if (this.kind === 'video') return webmInfo(b) ?? {};
		const wav = wavInfo(b, this.total);
		if (wav) return wav;
		const durationMs = this.frames?.durationMs();
		if (durationMs !== undefined) return { durationMs };
		return webmInfo(b) ?? {};
	}
}

module.exports = {
	crc32,
	makePng,
	makeBmp,
	makeGif,
	mp4Header,
	paddedStream,
	makeMp4,
	makeM4a,
	makeJpegHeader,
	makeWebpHeader,
	makeWav,
	makeMp3,
	makeAdtsAac,
	MediaProbe,
};
