/**
 * The check every file gets before an upload (nodes/shared/assets/inspect.ts): the type from the
 * bytes, the documented limits (nodes/shared/capabilities.ts), the messages
 * (nodes/shared/assets/fileErrors.ts); the MP3 / AAC / MP4 readers against files ffmpeg writes;
 * and the emulator's streaming probe (test/emulator/media.js), which refuses what the API refuses.
 */
import type { INode } from 'n8n-workflow';

import { ASSET_RULES } from '../../nodes/shared/capabilities';
import {
	describeAcceptedFiles,
	normalizeContentType,
	resolveAssetContentType,
} from '../../nodes/shared/assets/contentType';
import { assetFileError, missingBinaryError } from '../../nodes/shared/assets/fileErrors';
import type { FileDescription, InspectedFile } from '../../nodes/shared/assets/inspect';
import { ESTIMATE_TOLERANCE, inspectAssetFile } from '../../nodes/shared/assets/inspect';
import { MEDIA_PROBE_BYTES, probeMedia, readMedia } from '../../nodes/shared/assets/mediaProbe';
import type { ValidationIssue } from '../../nodes/shared/errors';
import {
	MediaProbe,
	makeAdtsAac,
	makeBmp,
	makeGif,
	makeJpegHeader,
	makeM4a,
	makeMp3,
	makeMp4,
	makePng,
	makeWav,
	makeWebpHeader,
	mp4Header,
} from '../emulator/media';
import { startEmulator } from '../emulator/server';
import {
	PATH_SEP,
	env,
	fileExists,
	joinPath,
	readFile,
	removeDir,
	runProgram,
	tempDir,
} from '../support/system';

const MB = 1024 * 1024;
const MP3_FRAME_MS = (1152 / 44100) * 1000;

/** A file as a node hands it over: the first MEDIA_PROBE_BYTES bytes and the whole size. */
function fileOf(bytes: Buffer, facts: Omit<FileDescription, 'head' | 'size'> = {}) {
	return { head: bytes.subarray(0, MEDIA_PROBE_BYTES), size: bytes.length, ...facts };
}

function accepted(
	bytes: Buffer,
	facts: Omit<FileDescription, 'head' | 'size'> = {},
	chosen?: string,
	expectedKind?: 'image' | 'video' | 'audio',
): InspectedFile {
	const result = inspectAssetFile(fileOf(bytes, facts), chosen, expectedKind);
	if (!('file' in result)) {
		throw new Error(`expected the file to pass, got ${JSON.stringify(result.issues)}`);
	}
	return result.file;
}

function refused(
	bytes: Buffer,
	facts: Omit<FileDescription, 'head' | 'size'> = {},
	chosen?: string,
	expectedKind?: 'image' | 'video' | 'audio',
): Array<ValidationIssue & { hint?: string }> {
	const result = inspectAssetFile(fileOf(bytes, facts), chosen, expectedKind);
	if (!('issues' in result)) {
		throw new Error(`expected the file to be refused, got ${JSON.stringify(result.file)}`);
	}
	return result.issues;
}

const node: INode = {
	id: 'upload-1',
	name: 'Upload Asset',
	type: 'n8n-nodes-dreamina.dreaminaUploadAsset',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

// ------------------------------------------------------------------------------------ type

describe('the bytes decide the Content-Type', () => {
	it('uploads PNG bytes labelled image/jpeg (and named .jpg) as image/png', () => {
		expect(accepted(makePng(320, 240), { mimeType: 'image/jpeg', fileName: 'photo.jpg' })).toEqual({
			contentType: 'image/png',
			kind: 'image',
			typeSource: 'bytes',
			width: 320,
			height: 240,
		});
		expect(accepted(makeJpegHeader(640, 480, 2000), { mimeType: 'image/png' })).toMatchObject({
			contentType: 'image/jpeg',
			typeSource: 'bytes',
			width: 640,
			height: 480,
		});
		expect(
			accepted(makeWebpHeader(500, 400), { mimeType: 'application/octet-stream' }),
		).toMatchObject({ contentType: 'image/webp', typeSource: 'bytes', width: 500, height: 400 });
	});

	it('names audio and video by their bytes whatever the MIME type says', () => {
		expect(accepted(makeWav(3000), { mimeType: 'audio/mpeg', fileName: 'a.mp3' })).toMatchObject({
			contentType: 'audio/wav',
			kind: 'audio',
			durationMs: 3000,
		});
		expect(accepted(makeMp3(5000), { mimeType: 'audio/wav' })).toMatchObject({
			contentType: 'audio/mpeg',
			typeSource: 'bytes',
		});
		expect(accepted(makeAdtsAac(5000), { mimeType: 'audio/mpeg' }).contentType).toBe('audio/aac');
		// an M4A's sound track (hdlr "soun") makes it audio even when n8n says video/mp4
		expect(accepted(makeM4a(5000), { mimeType: 'video/mp4', fileName: 'x.mp4' })).toEqual({
			contentType: 'audio/mp4',
			kind: 'audio',
			typeSource: 'bytes',
			durationMs: 5000,
		});
		const video = makeMp4({ durationMs: 4000, width: 640, height: 360, totalBytes: 8192 });
		expect(accepted(video, { mimeType: 'audio/mp4' })).toMatchObject({
			contentType: 'video/mp4',
			kind: 'video',
			width: 640,
			height: 360,
		});
	});

	it('keeps a declared type the bytes allow (MOV or MP4, audio/mp3 or audio/mpeg)', () => {
		const video = makeMp4({ durationMs: 4000, width: 640, height: 360, totalBytes: 8192 });
		expect(accepted(video, { mimeType: 'video/quicktime' }).contentType).toBe('video/quicktime');
		expect(accepted(makeMp3(5000), { mimeType: 'audio/mp3' }).contentType).toBe('audio/mp3');
		expect(accepted(makeWav(3000), { mimeType: 'audio/x-wav' }).contentType).toBe('audio/wav');
		// an MP4 container whose tracks say nothing: the extension, then the kind wanted, choose
		const bare = makeMp4({ durationMs: 4000, width: 0, height: 0, totalBytes: 8192 });
		expect(accepted(bare, { fileName: 'song.m4a' })).toMatchObject({
			contentType: 'audio/mp4',
			typeSource: 'bytes',
		});
		expect(accepted(bare, { mimeType: 'video/mp4' }, undefined, 'audio').contentType).toBe(
			'audio/mp4',
		);
		expect(accepted(bare, {}).contentType).toBe('video/mp4');
	});

	it('a Content Type parameter must agree with the bytes', () => {
		expect(accepted(makePng(20, 20), { mimeType: 'image/jpeg' }, 'image/png')).toMatchObject({
			contentType: 'image/png',
			typeSource: 'parameter',
		});
		const [issue] = refused(makePng(20, 20), { fileName: 'p.png' }, 'image/jpeg');
		expect(issue).toEqual({
			parameter: 'contentType',
			rule: 'is set to image/jpeg, but the file is a PNG image (image/png)',
			hint: 'Clear Content Type so the node sends the file’s own type, or set it to image/png.',
		});
		expect(refused(makeM4a(5000), {}, 'audio/aac')[0].rule).toBe(
			'is set to audio/aac, but the file is M4A audio (audio/mp4)',
		);
	});

	it('refuses bytes of a type Dreamina does not take, saying what the file really is', () => {
		const cases: Array<[Buffer, string, string]> = [
			[makeBmp(40, 30), 'image/png', 'a BMP image'],
			[makeGif(), 'image/jpeg', 'a GIF image'],
			[
				Buffer.concat([Buffer.from('II*\0', 'latin1'), Buffer.alloc(60)]),
				'image/png',
				'a TIFF image',
			],
			[heifHeader('heic'), 'image/jpeg', 'a HEIC image'],
			[heifHeader('avif'), 'image/png', 'an AVIF image'],
			[
				Buffer.concat([Buffer.from('fLaC', 'latin1'), Buffer.alloc(60)]),
				'audio/mpeg',
				'FLAC audio',
			],
			[oggPage('OpusHead'), 'audio/mpeg', 'Ogg Opus audio'],
			[oggPage('\x01vorbis'), 'audio/wav', 'Ogg Vorbis audio'],
		];
		for (const [bytes, mimeType, name] of cases) {
			const issues = refused(bytes, { mimeType });
			expect(issues).toHaveLength(1);
			expect(issues[0].parameter).toBe('contentType');
			expect(issues[0].rule).toBe(
				`the file is ${name}, which Dreamina does not take. It takes ${describeAcceptedFiles()}`,
			);
			expect(issues[0].hint).toMatch(/^Convert it to a type Dreamina takes: /);
		}
		// the BMP is refused even when Content Type claims a type Dreamina takes
		expect(refused(makeBmp(40, 30), {}, 'image/png')[0].rule).toMatch(/^the file is a BMP image/);
		// a page saved instead of the file
		const page = refused(Buffer.from('<!DOCTYPE html><html><body>Not found</body></html>'), {
			mimeType: 'image/png',
			fileName: 'photo.png',
		});
		expect(page[0].rule).toMatch(/^the file is an HTML page, which Dreamina does not take/);
		expect(page[0].hint).toMatch(/error page/);
	});

	it('falls back to the parameter, the MIME type, then the extension when the bytes are unknown', () => {
		const unknown = Buffer.from('not a picture, just bytes');
		expect(accepted(unknown, { mimeType: 'image/png', fileName: 'x.png' }).typeSource).toBe(
			'mimeType',
		);
		expect(accepted(unknown, { fileName: 'x.webp' })).toMatchObject({
			contentType: 'image/webp',
			typeSource: 'extension',
		});
		expect(accepted(unknown, { mimeType: 'text/plain' }, 'audio/mpeg')).toMatchObject({
			contentType: 'audio/mpeg',
			kind: 'audio',
			typeSource: 'parameter',
		});
		expect(refused(unknown, { mimeType: 'text/plain', fileName: 'notes.txt' })[0]).toEqual({
			parameter: 'contentType',
			rule: `"notes.txt" has MIME type text/plain and extension .txt, which Dreamina does not take. It takes ${describeAcceptedFiles()}`,
		});
		expect(refused(unknown, {}, 'image/bmp')[0].rule).toMatch(
			/^is set to image\/bmp, which Dreamina does not take/,
		);
		// the helpers the fallback uses
		expect(normalizeContentType('Audio/X-WAV; codecs=1')).toBe('audio/wav');
		expect(resolveAssetContentType({ fileExtension: 'mov' })?.contentType).toBe('video/quicktime');
	});

	it('refuses a file of another kind than the parameter expects', () => {
		const clip = makeMp4({ durationMs: 5000, width: 640, height: 360, totalBytes: 8192 });
		const [issue] = refused(clip, { mimeType: 'video/mp4' }, undefined, 'image');
		expect(issue.parameter).toBe('file');
		expect(issue.rule).toBe('The file is an MP4 video, but an image is expected here');
		expect(refused(makePng(20, 20), {}, undefined, 'audio')[0].rule).toBe(
			'The file is a PNG image, but audio is expected here',
		);
		// unknown bytes: the kind comes from what declared the type
		expect(refused(Buffer.from('xyz'), { mimeType: 'video/mp4' }, undefined, 'image')[0].rule).toBe(
			'The file is a video (video/mp4, by its MIME type), but an image is expected here',
		);
		expect(accepted(makePng(20, 20), {}, undefined, 'image').kind).toBe('image');
	});
});

// ------------------------------------------------------------------------------------ limits

describe('the documented limits, read from the file', () => {
	it('an empty file gets its own advice, never "use a smaller file"', () => {
		const issues = refused(Buffer.alloc(0), { mimeType: 'image/png', fileName: 'empty.png' });
		expect(issues).toEqual([
			{ parameter: 'size', rule: 'the file is empty (0 bytes)', hint: expect.any(String) },
		]);
		const error = assetFileError(node, issues, {
			field: 'data',
			label: 'Input Binary Field',
			fileName: 'empty.png',
		});
		expect(error.message).toBe(
			'File Size (size): the file is empty (0 bytes) (file "empty.png" in Input Binary Field "data")',
		);
		expect(error.description).toMatch(/^The node before this one produced no data/);
		expect(error.description).not.toMatch(/smaller/);
	});

	it('refuses a 16 s MP3, CBR or VBR with a Xing frame, stating its duration', () => {
		for (const mp3 of [
			makeMp3(16_000),
			makeMp3(16_000, { vbr: true }),
			makeMp3(16_000, { id3: true }),
		]) {
			expect(refused(mp3, { mimeType: 'audio/mpeg' })).toEqual([
				{ parameter: 'durationMs', rule: 'audio must last 2–15 s; this one lasts 16.0 s' },
			]);
		}
		// longer than the head: CBR is told by bitrate and size, an estimate
		const long = makeMp3(16_000, { bitrateKbps: 320 });
		expect(long.length).toBeGreaterThan(MEDIA_PROBE_BYTES);
		expect(refused(long)[0].rule).toBe('audio must last 2–15 s; this one lasts about 16.0 s');
		expect(refused(makeMp3(16_000, { vbr: true, id3: true, bitrateKbps: 320 }))[0].rule).toBe(
			'audio must last 2–15 s; this one lasts 16.0 s',
		);
	});

	it('accepts a 10 s MP3 with its duration (ID3 tags are not audio)', () => {
		const plain = accepted(makeMp3(10_000), { fileName: 'voice.mp3' });
		expect(plain).toMatchObject({ contentType: 'audio/mpeg', kind: 'audio', typeSource: 'bytes' });
		expect(Math.abs(plain.durationMs! - 10_000)).toBeLessThanOrEqual(MP3_FRAME_MS);
		expect(plain.durationEstimated).toBeUndefined();
		for (const same of [
			makeMp3(10_000, { id3: true }),
			withZerosAfterId3(makeMp3(10_000, { id3: true }), 300),
			twoId3Tags(makeMp3(10_000)),
			makeMp3(10_000, { vbr: true }),
			makeMp3(10_000, { vbr: true, vbri: true }),
			makeMp3(10_000, { vbr: true, xing: false }),
		]) {
			const file = accepted(same);
			expect(file.durationMs).toBe(plain.durationMs);
			expect(file.durationEstimated).toBeUndefined();
		}
		expect(refused(makeMp3(16_000, { vbr: true, vbri: true }))[0].rule).toBe(
			'audio must last 2–15 s; this one lasts 16.0 s',
		);
		// beyond the head: CBR from bitrate and size (without the ID3v2 tag), VBR from frame lengths
		const cbr = accepted(makeMp3(10_000, { bitrateKbps: 320, id3: true }));
		expect(cbr.durationEstimated).toBe(true);
		expect(Math.abs(cbr.durationMs! - plain.durationMs!)).toBeLessThanOrEqual(5);
		const vbr = readMedia(
			makeMp3(40_000, { vbr: true, xing: false }).subarray(0, MEDIA_PROBE_BYTES),
			makeMp3(40_000, { vbr: true, xing: false }).length,
		);
		expect(vbr?.facts.durationEstimated).toBe(true);
		expect(Math.abs(vbr!.facts.durationMs! - 40_000) / 40_000).toBeLessThan(0.02);
	});

	it('gives estimated durations room before refusing (the API decides near the limit)', () => {
		const max = ASSET_RULES.audio.maxDurationMs!;
		// 15.5 s: exact (Xing frame count) is refused; estimated (CBR beyond the head) goes to the API
		expect(refused(makeMp3(15_500, { vbr: true }))[0].parameter).toBe('durationMs');
		const estimated = accepted(makeMp3(15_500, { bitrateKbps: 320 }));
		expect(estimated.durationEstimated).toBe(true);
		expect(estimated.durationMs!).toBeGreaterThan(max);
		expect(estimated.durationMs!).toBeLessThan(max * (1 + ESTIMATE_TOLERANCE));
	});

	it('reads ADTS AAC durations: counted when the whole stream is in the head, else estimated', () => {
		const short = accepted(makeAdtsAac(10_000));
		expect(short).toMatchObject({ contentType: 'audio/aac', kind: 'audio' });
		expect(Math.abs(short.durationMs! - 10_000)).toBeLessThanOrEqual(24);
		expect(short.durationEstimated).toBeUndefined();
		// an ID3v1 trailer after the frames is not audio: still counted, not estimated
		const tagged = Buffer.concat([makeAdtsAac(10_000), Buffer.from('TAG'), Buffer.alloc(125)]);
		expect(accepted(tagged)).toEqual(short);
		const long = makeAdtsAac(40_000);
		expect(long.length).toBeGreaterThan(MEDIA_PROBE_BYTES);
		const reading = readMedia(long.subarray(0, MEDIA_PROBE_BYTES), long.length);
		expect(reading?.facts.durationEstimated).toBe(true);
		expect(Math.abs(reading!.facts.durationMs! - 40_000) / 40_000).toBeLessThan(0.02);
		expect(refused(long)[0].rule).toBe('audio must last 2–15 s; this one lasts about 40.0 s');
		expect(refused(makeAdtsAac(16_000))[0].rule).toBe(
			'audio must last 2–15 s; this one lasts 16.0 s',
		);
	});

	it('reads M4A durations from the moov box when it comes first', () => {
		expect(accepted(makeM4a(4321)).durationMs).toBe(4321);
		expect(refused(makeM4a(16_000))[0].rule).toBe('audio must last 2–15 s; this one lasts 16.0 s');
		expect(refused(makeM4a(1500))[0].rule).toBe('audio must last 2–15 s; this one lasts 1.5 s');
		// moov after the head (not "fast start"): nothing claimed, the API still checks
		const late = moovLast(makeM4a(16_000), MEDIA_PROBE_BYTES);
		expect(accepted(late, { fileName: 'a.m4a' })).toEqual({
			contentType: 'audio/mp4',
			kind: 'audio',
			typeSource: 'bytes',
		});
		expect(streamed('audio', late)).toEqual({ durationMs: 16_000 });
		const truncated = inspectAssetFile({
			head: mp4Header({
				durationMs: 30_000,
				width: 640,
				height: 360,
				totalBytes: 40 * MB,
			}).subarray(0, 40),
			size: 40 * MB,
		});
		expect(truncated).toEqual({
			file: { contentType: 'video/mp4', kind: 'video', typeSource: 'bytes' },
		});
	});

	it('video duration and size, image and audio file sizes', () => {
		const video = (durationMs: number, width: number, height: number) =>
			makeMp4({ durationMs, width, height, totalBytes: 16 * 1024 });
		expect(accepted(video(15_400, 2160, 200))).toMatchObject({ durationMs: 15_400, width: 2160 });
		expect(refused(video(20_000, 1280, 720))[0].rule).toBe(
			'video must last 2–15.4 s; this one lasts 20.0 s',
		);
		expect(refused(video(15_420, 1280, 720))[0].rule).toBe(
			'video must last 2–15.4 s; this one lasts 15.42 s',
		);
		expect(refused(video(5000, 120, 3840))).toEqual([
			{ parameter: 'width', rule: 'video width must be 200–2160 px; this one is 120 px' },
			{ parameter: 'height', rule: 'video height must be 200–2160 px; this one is 3840 px' },
		]);
		const head = mp4Header({ durationMs: 5000, width: 1280, height: 720, totalBytes: 51 * MB });
		expect(inspectAssetFile({ head, size: 51 * MB })).toEqual({
			issues: [
				{ parameter: 'size', rule: 'video files may be at most 50 MB; this one is 51.0 MB' },
			],
		});
		const png = makePng(16, 16);
		expect(inspectAssetFile({ head: png, size: 10 * MB + 1024 })).toEqual({
			issues: [
				{ parameter: 'size', rule: 'image files may be at most 10 MB; this one is 10.001 MB' },
			],
		});
		expect(refused(makeWav(15_040))[0].rule).toBe('audio must last 2–15 s; this one lasts 15.04 s');
		expect(accepted(makeWav(15_000)).durationMs).toBe(15_000);
	});

	it('probeMedia reads only the format the Content-Type names', () => {
		const head = mp4Header({ durationMs: 4321, width: 1080, height: 1920, totalBytes: 30 * MB });
		expect(probeMedia(head, 30 * MB, 'video/mp4')).toEqual({
			durationMs: 4321,
			width: 1080,
			height: 1920,
		});
		expect(probeMedia(head, 30 * MB, 'audio/mp4')).toEqual({ durationMs: 4321 });
		expect(probeMedia(head, 30 * MB, 'video/webm')).toEqual({});
		expect(probeMedia(makePng(10, 10), 100, 'video/mp4')).toEqual({});
		expect(probeMedia(Buffer.alloc(0), 0, 'audio/wav')).toEqual({});
		expect(MEDIA_PROBE_BYTES).toBe(256 * 1024);
	});
});

// ------------------------------------------------------------------------------------ messages

describe('file errors name the parameter the file came from', () => {
	it('puts the rule, the file and the field in the message and the advice in the description', () => {
		const issues = refused(makeMp3(16_000), {}, undefined, 'audio');
		const error = assetFileError(
			node,
			issues,
			{ field: 'voice', label: 'Audio References › Input Binary Field', fileName: 'v.mp3' },
			2,
		);
		expect(error.message).toBe(
			'Duration (durationMs): audio must last 2–15 s; this one lasts 16.0 s (file "v.mp3" in Audio References › Input Binary Field "voice")',
		);
		expect(error.description).toBe('Trim the clip to the allowed length. Nothing was uploaded.');

		const kind = refused(
			makeMp4({ durationMs: 5000, width: 640, height: 360 }),
			{},
			undefined,
			'image',
		);
		const kindError = assetFileError(node, kind, {
			field: 'data',
			label: 'First Frame › Input Binary Field',
		});
		expect(kindError.message).toBe(
			'The file is an MP4 video, but an image is expected here (file in First Frame › Input Binary Field "data")',
		);
		expect(kindError.description).toMatch(
			/^Give this parameter an image: Dreamina takes JPG, PNG or WEBP/,
		);

		const many = assetFileError(
			node,
			refused(makeMp4({ durationMs: 5000, width: 120, height: 3840 })),
			{ field: 'data', label: 'Input Binary Field' },
		);
		expect(many.message).toMatch(/^Video Width \(width\): video width must be 200–2160 px/);
		expect(many.description).toBe(
			'Also: Video Height (height): video height must be 200–2160 px; this one is 3840 px. Scale the video so both sides are within the allowed range. Nothing was uploaded.',
		);

		const account = assetFileError(
			node,
			[{ parameter: 'account', rule: 'must be an account ID' }],
			{ field: 'data', label: 'Input Binary Field' },
			0,
			(name) => (name === 'account' ? 'Account (account)' : name),
		);
		expect(account.message).toMatch(/^Account \(account\): must be an account ID/);
	});

	it('missingBinaryError says which fields the item has', () => {
		const error = missingBinaryError(
			node,
			{ field: 'file', label: 'First Frame › Input Binary Field' },
			['data'],
			0,
		);
		expect(error.message).toBe(
			'First Frame › Input Binary Field: item 1 has no binary field "file"',
		);
		expect(error.description).toMatch(
			/^The item’s binary fields are: data\. Set First Frame › Input Binary Field/,
		);
	});
});

// ------------------------------------------------------------------------------------ emulator

/** Feeds a file to the emulator's probe in uneven chunks, as a socket delivers it. */
function streamed(kind: 'image' | 'video' | 'audio', bytes: Buffer) {
	const probe = new MediaProbe(kind);
	const sizes = [1, 7, 1000, 65_536, 3];
	for (let at = 0, i = 0; at < bytes.length; i++) {
		const n = sizes[i % sizes.length];
		probe.feed(bytes.subarray(at, at + n));
		at += n;
	}
	return probe.result();
}

describe('the emulator reads MP3 and AAC durations while the upload streams in', () => {
	it('counts every frame (or takes the Xing count), past ID3 tags, beyond the first 256 KiB', () => {
		const exact = Math.round(Math.round((16 * 44100) / 1152) * MP3_FRAME_MS);
		expect(streamed('audio', makeMp3(16_000))).toEqual({ durationMs: exact });
		expect(streamed('audio', makeMp3(16_000, { vbr: true }))).toEqual({ durationMs: exact });
		expect(streamed('audio', makeMp3(16_000, { vbr: true, xing: false, id3: true }))).toEqual({
			durationMs: exact,
		});
		for (const mp3 of [
			makeMp3(16_000, { bitrateKbps: 320, id3: true }),
			makeMp3(16_000, { vbr: true, vbri: true }),
			withZerosAfterId3(makeMp3(16_000, { id3: true }), 300),
			twoId3Tags(makeMp3(16_000)),
		]) {
			expect(streamed('audio', mp3)).toEqual({ durationMs: exact });
		}
		const aac = streamed('audio', makeAdtsAac(40_000));
		expect(Math.abs(aac.durationMs! - 40_000)).toBeLessThanOrEqual(24);
		expect(streamed('audio', makeM4a(4321))).toEqual({ durationMs: 4321 });
		expect(streamed('audio', makeWav(2500))).toEqual({ durationMs: 2500 });
		expect(streamed('audio', Buffer.alloc(4000, 7))).toEqual({});
	});

	it('answers an over-long MP3 upload with 400, as the API does, and takes a 20 s one', async () => {
		const emu = await startEmulator();
		try {
			const post = (bytes: Buffer, contentType: string) =>
				fetch(`${emu.baseUrl}/assets/${encodeURIComponent('CA:ca-user@example.com')}`, {
					method: 'POST',
					headers: { Authorization: `Bearer ${emu.token}`, 'Content-Type': contentType },
					body: bytes,
				});
			const long = await post(makeMp3(31_000, { bitrateKbps: 320 }), 'audio/mpeg');
			expect(long.status).toBe(400);
			expect(await long.json()).toEqual({ error: 'Audio duration 31.0s exceeds 30.2s limit' });
			const aac = await post(makeAdtsAac(31_000), 'audio/aac');
			expect(aac.status).toBe(400);
			const ok = await post(makeMp3(20_000, { vbr: true }), 'audio/mp3');
			expect(ok.status).toBe(200);
			const body = (await ok.json()) as { type: string; duration: number };
			expect(body.type).toBe('audio');
			expect(Math.abs(body.duration - 20_000)).toBeLessThanOrEqual(MP3_FRAME_MS);
		} finally {
			await emu.close();
		}
	});
});

// ------------------------------------------------------------------------------------ ffmpeg

/** ffmpeg and ffprobe on PATH (installed with `apt-get install -y ffmpeg`). */
const ffmpegPresent = ['ffmpeg', 'ffprobe'].every((tool) =>
	(env('PATH') ?? '')
		.split(':')
		.some((dir) => dir !== '' && fileExists(`${dir}${PATH_SEP}${tool}`)),
);
const withFfmpeg = ffmpegPresent ? describe : describe.skip;

withFfmpeg('the readers agree with files ffmpeg writes', () => {
	let dir = '';
	beforeAll(() => {
		dir = tempDir('asset-inspection-');
	});
	afterAll(() => removeDir(dir));

	/** Encodes a sine tone (or a test picture) with ffmpeg; returns the file's bytes and path. */
	async function encode(name: string, args: string[]): Promise<{ bytes: Buffer; path: string }> {
		const path = joinPath(dir, name);
		const result = await runProgram('ffmpeg', ['-v', 'error', '-y', ...args, path]);
		if (result.code !== 0) throw new Error(`ffmpeg failed for ${name}: ${result.stderr}`);
		return { bytes: readFile(path), path };
	}

	async function ffprobe(path: string, entries: string, extra: string[] = []): Promise<string> {
		const result = await runProgram('ffprobe', [
			'-v',
			'error',
			...extra,
			'-show_entries',
			entries,
			'-of',
			'default=nw=1:nk=1',
			path,
		]);
		if (result.code !== 0) throw new Error(`ffprobe failed for ${path}: ${result.stderr}`);
		return result.stdout.trim();
	}

	const tone = (seconds: number) => ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`];

	it('MP3: Info-tagged CBR, plain CBR, VBR, MPEG-2 and MPEG-2.5 with ID3 tags', async () => {
		const files: Array<[string, string[], number]> = [
			['cbr-info.mp3', [...tone(16), '-c:a', 'libmp3lame', '-b:a', '128k'], 16],
			[
				'cbr-plain.mp3',
				[...tone(16), '-c:a', 'libmp3lame', '-b:a', '192k', '-write_xing', '0'],
				16,
			],
			['vbr.mp3', [...tone(16), '-c:a', 'libmp3lame', '-q:a', '2'], 16],
			[
				'mpeg2.mp3',
				[
					...tone(10),
					'-ar',
					'22050',
					'-c:a',
					'libmp3lame',
					'-b:a',
					'64k',
					'-write_xing',
					'0',
					'-write_id3v1',
					'1',
				],
				10,
			],
			[
				'mpeg25.mp3',
				[...tone(10), '-ar', '8000', '-c:a', 'libmp3lame', '-b:a', '16k', '-write_id3v1', '1'],
				10,
			],
		];
		for (const [name, args, seconds] of files) {
			const { bytes, path } = await encode(name, args);
			const probed = Number(await ffprobe(path, 'format=duration')) * 1000;
			const reading = readMedia(bytes.subarray(0, MEDIA_PROBE_BYTES), bytes.length);
			expect(reading?.format.name).toBe('MP3 audio');
			// ffprobe counts the encoder's priming and padding samples too: within two frames
			expect(Math.abs(reading!.facts.durationMs! - probed)).toBeLessThanOrEqual(2 * MP3_FRAME_MS);
			const emulator = streamed('audio', bytes).durationMs!;
			expect(Math.abs(emulator - probed)).toBeLessThanOrEqual(2 * MP3_FRAME_MS);
			const result = inspectAssetFile(fileOf(bytes, { fileName: name }));
			if (seconds > ASSET_RULES.audio.maxDurationMs! / 1000) {
				expect('issues' in result && result.issues[0].parameter).toBe('durationMs');
			} else {
				expect('file' in result && result.file.contentType).toBe('audio/mpeg');
			}
		}
	});

	it('ADTS AAC: the count (or the estimate beyond the head) matches the frames ffprobe counts', async () => {
		for (const [name, seconds, bitrate] of [
			['short.aac', 10, '128k'],
			['long.aac', 40, '96k'],
		] as const) {
			const { bytes, path } = await encode(name, [
				...tone(seconds),
				'-c:a',
				'aac',
				'-b:a',
				bitrate,
			]);
			const [rate, packets] = (
				await ffprobe(path, 'stream=sample_rate,nb_read_packets', ['-count_packets'])
			)
				.split('\n')
				.map(Number);
			const counted = ((packets * 1024) / rate) * 1000;
			const reading = readMedia(bytes.subarray(0, MEDIA_PROBE_BYTES), bytes.length);
			expect(reading?.format.name).toBe('AAC (ADTS) audio');
			const estimated = bytes.length > MEDIA_PROBE_BYTES;
			expect(reading?.facts.durationEstimated).toBe(estimated ? true : undefined);
			expect(Math.abs(reading!.facts.durationMs! - counted) / counted).toBeLessThan(
				estimated ? ESTIMATE_TOLERANCE : 0.001,
			);
			expect(Math.abs(streamed('audio', bytes).durationMs! - counted)).toBeLessThanOrEqual(1);
		}
	});

	it('M4A with the moov first, and after the first 256 KiB (nothing claimed)', async () => {
		const fast = await encode('fast.m4a', [...tone(10), '-c:a', 'aac', '-movflags', '+faststart']);
		const probed = Number(await ffprobe(fast.path, 'format=duration')) * 1000;
		expect(accepted(fast.bytes, { fileName: 'fast.m4a' })).toEqual({
			contentType: 'audio/mp4',
			kind: 'audio',
			typeSource: 'bytes',
			durationMs: Math.round(probed),
		});
		const late = await encode('late.m4a', [...tone(40), '-c:a', 'aac', '-b:a', '128k']);
		expect(late.bytes.length).toBeGreaterThan(MEDIA_PROBE_BYTES);
		expect(accepted(late.bytes, { fileName: 'late.m4a' })).toEqual({
			contentType: 'audio/mp4',
			kind: 'audio',
			typeSource: 'bytes',
		});
		// the emulator, like the API, reads the moov wherever it is
		const whole = Number(await ffprobe(late.path, 'format=duration')) * 1000;
		expect(streamed('audio', late.bytes)).toEqual({ durationMs: Math.round(whole) });
	});

	it('video and image formats: dimensions and durations as ffprobe reports them', async () => {
		const picture = ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10:duration=3'];
		for (const [name, codec, contentType] of [
			['v.mp4', ['-c:v', 'libx264', '-movflags', '+faststart'], 'video/mp4'],
			['v.mov', ['-c:v', 'libx264', '-movflags', '+faststart'], 'video/quicktime'],
			['v.webm', ['-c:v', 'libvpx'], 'video/webm'],
		] as const) {
			const { bytes, path } = await encode(name, [...picture, ...codec]);
			const probed = Number(await ffprobe(path, 'format=duration')) * 1000;
			expect(accepted(bytes, { mimeType: 'application/octet-stream' })).toEqual({
				contentType,
				kind: 'video',
				typeSource: 'bytes',
				durationMs: Math.round(probed),
				width: 320,
				height: 240,
			});
		}
		const still = ['-f', 'lavfi', '-i', 'testsrc=size=64x48', '-frames:v', '1'];
		for (const [name, contentType] of [
			['i.png', 'image/png'],
			['i.jpg', 'image/jpeg'],
			['i.webp', 'image/webp'],
		] as const) {
			const { bytes } = await encode(name, still);
			expect(accepted(bytes, { mimeType: 'image/gif' })).toEqual({
				contentType,
				kind: 'image',
				typeSource: 'bytes',
				width: 64,
				height: 48,
			});
		}
		for (const [name, what] of [
			['i.gif', 'a GIF image'],
			['i.bmp', 'a BMP image'],
			['i.tiff', 'a TIFF image'],
		] as const) {
			const { bytes } = await encode(name, still);
			expect(refused(bytes, { mimeType: 'image/png' })[0].rule).toMatch(
				`the file is ${what}, which`,
			);
		}
		for (const [name, args, what] of [
			['a.flac', ['-c:a', 'flac'], 'FLAC audio'],
			['a.ogg', ['-c:a', 'libvorbis'], 'Ogg Vorbis audio'],
			['a.opus', ['-c:a', 'libopus'], 'Ogg Opus audio'],
			['a.webm', ['-c:a', 'libopus'], 'WebM audio'],
		] as const) {
			const { bytes } = await encode(name, [...tone(3), ...args]);
			expect(refused(bytes, { mimeType: 'audio/mpeg' })[0].rule).toMatch(
				`the file is ${what}, which`,
			);
		}
	});
});

function heifHeader(brand: string): Buffer {
	const ftyp = Buffer.alloc(24);
	ftyp.writeUInt32BE(24, 0);
	ftyp.write('ftyp', 4, 'latin1');
	ftyp.write(brand, 8, 'latin1');
	ftyp.write('mif1', 16, 'latin1');
	ftyp.write(brand, 20, 'latin1');
	return Buffer.concat([ftyp, Buffer.alloc(64)]);
}

/** The first Ogg page of a stream whose codec header starts with `codec`. */
function oggPage(codec: string): Buffer {
	const header = Buffer.alloc(28);
	header.write('OggS', 0, 'latin1');
	header[5] = 2; // beginning of stream
	header[26] = 1; // one segment
	header[27] = 19;
	return Buffer.concat([header, Buffer.from(codec, 'latin1'), Buffer.alloc(19 - codec.length)]);
}

/** The same MP4 file with `padding` bytes of mdat before its moov box, as encoders write by default. */
function moovLast(file: Buffer, padding: number): Buffer {
	const ftypEnd = file.readUInt32BE(0);
	const moovEnd = ftypEnd + file.readUInt32BE(ftypEnd);
	const mdat = Buffer.alloc(padding);
	mdat.writeUInt32BE(padding, 0);
	mdat.write('mdat', 4, 'latin1');
	return Buffer.concat([file.subarray(0, ftypEnd), mdat, file.subarray(ftypEnd, moovEnd)]);
}

/** The same MP3 with `count` zero bytes between its ID3v2 tag and the first frame, as some taggers leave. */
function withZerosAfterId3(file: Buffer, count: number): Buffer {
	const tagEnd = 10 + ((file[6] << 21) | (file[7] << 14) | (file[8] << 7) | file[9]);
	return Buffer.concat([file.subarray(0, tagEnd), Buffer.alloc(count), file.subarray(tagEnd)]);
}

/** Two ID3v2 tags (the second one small, then zero padding) before an MP3's first frame. */
function twoId3Tags(file: Buffer): Buffer {
	const tag = (bodyLength: number) =>
		Buffer.concat([
			Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, bodyLength >> 7, bodyLength & 0x7f]),
			Buffer.alloc(bodyLength),
		]);
	return Buffer.concat([tag(600), tag(10), Buffer.alloc(30), file]);
}
