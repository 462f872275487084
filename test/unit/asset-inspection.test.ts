/**
 * The check every file gets before an upload (nodes/shared/assets/inspect.ts): the type from the
 * bytes, the documented limits (nodes/shared/capabilities.ts), the messages
 * (nodes/shared/assets/fileErrors.ts); and the MP3 / AAC / MP4 readers against files ffmpeg writes.
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
type Facts = Omit<FileDescription, 'head' | 'size'>;
type Kind = 'image' | 'video' | 'audio';

/** A file as a node hands it over: the first MEDIA_PROBE_BYTES bytes and the whole size. */
const fileOf = (bytes: Buffer, facts: Facts = {}) => ({
	head: bytes.subarray(0, MEDIA_PROBE_BYTES),
	size: bytes.length,
	...facts,
});

/** What a node passes besides the file: the Content Type parameter and the kind the parameter wants. */
type Input = Facts & { chosen?: string; kind?: Kind };
const inspect = (bytes: Buffer, { chosen, kind, ...facts }: Input = {}) =>
	inspectAssetFile(fileOf(bytes, facts), chosen, kind);

function accepted(bytes: Buffer, input?: Input): InspectedFile {
	const result = inspect(bytes, input);
	if (!('file' in result)) throw new Error(`refused: ${JSON.stringify(result.issues)}`);
	return result.file;
}

function refused(bytes: Buffer, input?: Input): Array<ValidationIssue & { hint?: string }> {
	const result = inspect(bytes, input);
	if (!('issues' in result)) throw new Error(`accepted: ${JSON.stringify(result.file)}`);
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

const video = (durationMs: number, width = 640, height = 360, totalBytes = 8192) =>
	makeMp4({ durationMs, width, height, totalBytes });
const bare = video(4000, 0, 0); // an MP4 container whose tracks say nothing
const unknown = Buffer.from('not a picture, just bytes');
const latin1 = (text: string) => Buffer.concat([Buffer.from(text, 'latin1'), Buffer.alloc(60)]);

describe('the bytes decide the Content-Type', () => {
	const png = makePng(320, 240);
	it('reads the type (and the facts it carries) from the bytes, whatever the MIME type says', () => {
		expect(accepted(png, { mimeType: 'image/jpeg', fileName: 'photo.jpg' })).toEqual({
			contentType: 'image/png',
			kind: 'image',
			typeSource: 'bytes',
			width: 320,
			height: 240,
		});
		// an M4A's sound track (hdlr "soun") makes it audio even when n8n says video/mp4
		expect(accepted(makeM4a(5000), { mimeType: 'video/mp4', fileName: 'x.mp4' })).toEqual({
			contentType: 'audio/mp4',
			kind: 'audio',
			typeSource: 'bytes',
			durationMs: 5000,
		});
	});
	const jpeg: Partial<InspectedFile> = {
		contentType: 'image/jpeg',
		typeSource: 'bytes',
		width: 640,
		height: 480,
	};
	const webp: Partial<InspectedFile> = {
		contentType: 'image/webp',
		typeSource: 'bytes',
		width: 500,
		height: 400,
	};
	const mp4: Partial<InspectedFile> = {
		contentType: 'video/mp4',
		kind: 'video',
		width: 640,
		height: 360,
	};
	it.each<[string, Buffer, Input, Partial<InspectedFile>]>([
		['JPEG labelled PNG', makeJpegHeader(640, 480, 2000), { mimeType: 'image/png' }, jpeg],
		[
			'WebP as octet-stream',
			makeWebpHeader(500, 400),
			{ mimeType: 'application/octet-stream' },
			webp,
		],
		[
			'WAV named .mp3',
			makeWav(3000),
			{ mimeType: 'audio/mpeg', fileName: 'a.mp3' },
			{ contentType: 'audio/wav', kind: 'audio', durationMs: 3000 },
		],
		[
			'MP3 labelled WAV',
			makeMp3(5000),
			{ mimeType: 'audio/wav' },
			{ contentType: 'audio/mpeg', typeSource: 'bytes' },
		],
		[
			'ADTS AAC labelled MP3',
			makeAdtsAac(5000),
			{ mimeType: 'audio/mpeg' },
			{ contentType: 'audio/aac' },
		],
		['MP4 video labelled audio/mp4', video(4000), { mimeType: 'audio/mp4' }, mp4],
		// a declared type the bytes allow is kept
		[
			'MP4 declared MOV',
			video(4000),
			{ mimeType: 'video/quicktime' },
			{ contentType: 'video/quicktime' },
		],
		[
			'MP3 declared audio/mp3',
			makeMp3(5000),
			{ mimeType: 'audio/mp3' },
			{ contentType: 'audio/mp3' },
		],
		[
			'WAV declared audio/x-wav',
			makeWav(3000),
			{ mimeType: 'audio/x-wav' },
			{ contentType: 'audio/wav' },
		],
		// a bare MP4 container: the extension, then the kind wanted, choose
		[
			'bare MP4 named .m4a',
			bare,
			{ fileName: 'song.m4a' },
			{ contentType: 'audio/mp4', typeSource: 'bytes' },
		],
		[
			'bare MP4 where audio is wanted',
			bare,
			{ mimeType: 'video/mp4', kind: 'audio' },
			{ contentType: 'audio/mp4' },
		],
		['bare MP4', bare, {}, { contentType: 'video/mp4' }],
		[
			'PNG with Content Type image/png',
			png,
			{ mimeType: 'image/jpeg', chosen: 'image/png' },
			{ typeSource: 'parameter' },
		],
		['PNG where an image is wanted', png, { kind: 'image' }, { kind: 'image' }],
		// unknown bytes: the parameter, the MIME type, then the extension
		[
			'unknown bytes, MIME type',
			unknown,
			{ mimeType: 'image/png', fileName: 'x.png' },
			{ typeSource: 'mimeType' },
		],
		[
			'unknown bytes, extension',
			unknown,
			{ fileName: 'x.webp' },
			{ contentType: 'image/webp', typeSource: 'extension' },
		],
		[
			'unknown bytes, parameter',
			unknown,
			{ mimeType: 'text/plain', chosen: 'audio/mpeg' },
			{ contentType: 'audio/mpeg', kind: 'audio', typeSource: 'parameter' },
		],
	])('%s', (_, bytes, input, expected) => expect(accepted(bytes, input)).toMatchObject(expected));

	it('refuses a type Dreamina does not take, saying what the file really is', () => {
		const oggPage = (codec: string) => {
			const header = Buffer.alloc(28);
			header.write('OggS', 0, 'latin1');
			[header[5], header[26], header[27]] = [2, 1, 19]; // beginning of stream, one segment
			return Buffer.concat([header, Buffer.from(codec, 'latin1'), Buffer.alloc(19 - codec.length)]);
		};
		const heif = (brand: string) => {
			const ftyp = Buffer.alloc(24);
			ftyp.writeUInt32BE(24, 0);
			ftyp.write(`ftyp${brand}\0\0\0\0mif1${brand}`, 4, 'latin1');
			return Buffer.concat([ftyp, Buffer.alloc(64)]);
		};
		const cases: Array<[Buffer, string, string]> = [
			[makeBmp(40, 30), 'image/png', 'a BMP image'],
			[makeGif(), 'image/jpeg', 'a GIF image'],
			[latin1('II*\0'), 'image/png', 'a TIFF image'],
			[heif('heic'), 'image/jpeg', 'a HEIC image'],
			[heif('avif'), 'image/png', 'an AVIF image'],
			[latin1('fLaC'), 'audio/mpeg', 'FLAC audio'],
			[oggPage('OpusHead'), 'audio/mpeg', 'Ogg Opus audio'],
			[oggPage('\x01vorbis'), 'audio/wav', 'Ogg Vorbis audio'],
		];
		for (const [bytes, mimeType, name] of cases) {
			const issues = refused(bytes, { mimeType });
			expect(issues).toEqual([
				{
					parameter: 'contentType',
					rule: `the file is ${name}, which Dreamina does not take. It takes ${describeAcceptedFiles()}`,
					hint: expect.stringMatching(/^Convert it to a type Dreamina takes: /),
				},
			]);
		}
		// even when Content Type claims a type Dreamina takes
		expect(refused(makeBmp(40, 30), { chosen: 'image/png' })[0].rule).toMatch(
			/^the file is a BMP image/,
		);
		const page = refused(Buffer.from('<!DOCTYPE html><html><body>Not found</body></html>'), {
			mimeType: 'image/png',
			fileName: 'photo.png',
		});
		expect(page[0].rule).toMatch(/^the file is an HTML page, which Dreamina does not take/);
		expect(page[0].hint).toMatch(/error page/);
		expect(refused(unknown, { mimeType: 'text/plain', fileName: 'notes.txt' })).toEqual([
			{
				parameter: 'contentType',
				rule: `"notes.txt" has MIME type text/plain and extension .txt, which Dreamina does not take. It takes ${describeAcceptedFiles()}`,
			},
		]);
		expect(refused(unknown, { chosen: 'image/bmp' })[0].rule).toMatch(
			/^is set to image\/bmp, which Dreamina does not take/,
		);
		expect(normalizeContentType('Audio/X-WAV; codecs=1')).toBe('audio/wav');
		expect(normalizeContentType('audio/vnd.wave')).toBe('audio/wav');
		expect(normalizeContentType('Image/JPG; charset=binary')).toBe('image/jpeg');
		expect(resolveAssetContentType({ fileExtension: 'mov' })?.contentType).toBe('video/quicktime');
	});

	it('a Content Type parameter or the kind wanted must agree with the bytes', () => {
		expect(refused(makePng(20, 20), { fileName: 'p.png', chosen: 'image/jpeg' })).toEqual([
			{
				parameter: 'contentType',
				rule: 'is set to image/jpeg, but the file is a PNG image (image/png)',
				hint: 'Clear Content Type so the node sends the file’s own type, or set it to image/png.',
			},
		]);
		const cases: Array<[Buffer, Input, string, string]> = [
			[
				makeM4a(5000),
				{ chosen: 'audio/aac' },
				'contentType',
				'is set to audio/aac, but the file is M4A audio (audio/mp4)',
			],
			[
				video(5000),
				{ mimeType: 'video/mp4', kind: 'image' },
				'file',
				'The file is an MP4 video, but an image is expected here',
			],
			[
				makePng(20, 20),
				{ kind: 'audio' },
				'file',
				'The file is a PNG image, but audio is expected here',
			],
			// unknown bytes: the kind comes from what declared the type
			[
				Buffer.from('xyz'),
				{ mimeType: 'video/mp4', kind: 'image' },
				'file',
				'The file is a video (video/mp4, by its MIME type), but an image is expected here',
			],
		];
		for (const [bytes, input, parameter, rule] of cases) {
			expect(refused(bytes, input)[0]).toMatchObject({ parameter, rule });
		}
	});
});

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

	// past the head a duration is estimated ("about"); 40 s is beyond the estimate's tolerance
	const audio = (lasts: string) =>
		new RegExp(`^audio must last 1\\.8–30\\.2 s; this one lasts (about )?${lasts} s$`);
	it.each<[string, Buffer, string | RegExp]>([
		['MP3 CBR', makeMp3(40_000), audio('(39|40)\\.\\d+')],
		['MP3 VBR (Xing)', makeMp3(40_000, { vbr: true }), audio('(39|40)\\.\\d+')],
		['MP3 with ID3', makeMp3(40_000, { id3: true }), audio('(39|40)\\.\\d+')],
		['MP3 VBRI', makeMp3(40_000, { vbr: true, vbri: true }), audio('(39|40)\\.\\d+')],
		[
			'MP3 CBR beyond the head (estimated)',
			makeMp3(40_000, { bitrateKbps: 320 }),
			audio('(39|40)\\.\\d+'),
		],
		[
			'MP3 VBR beyond the head',
			makeMp3(40_000, { vbr: true, id3: true, bitrateKbps: 320 }),
			audio('(39|40)\\.\\d+'),
		],
		['ADTS AAC', makeAdtsAac(40_000), audio('(39|40)\\.\\d+')],
		['ADTS AAC beyond the head (estimated)', makeAdtsAac(40_000), audio('(39|40)\\.\\d+')],
		['M4A', makeM4a(40_000), audio('(39|40)\\.\\d+')],
		['M4A too short', makeM4a(1500), audio('1\\.5')],
		['WAV', makeWav(30_240), audio('30\\.24')],
		[
			'MP4 video',
			video(31_000, 1280, 720, 16384),
			'video must last 1.8–30.2 s; this one lasts 31.0 s',
		],
		[
			'MP4 video just over',
			video(30_220, 1280, 720, 16384),
			'video must last 1.8–30.2 s; this one lasts 30.22 s',
		],
	])('refuses %s over the limit, stating its duration', (_, bytes, rule) => {
		const expected = typeof rule === 'string' ? rule : expect.stringMatching(rule);
		expect(refused(bytes)).toEqual([{ parameter: 'durationMs', rule: expected }]);
	});

	it('reads MP3 durations: exact from frames or the Xing/VBRI count, past ID3 tags; estimated beyond the head', () => {
		const plain = accepted(makeMp3(10_000), { fileName: 'voice.mp3' });
		expect(plain).toMatchObject({ contentType: 'audio/mpeg', kind: 'audio', typeSource: 'bytes' });
		expect(Math.abs(plain.durationMs! - 10_000)).toBeLessThanOrEqual(MP3_FRAME_MS);
		const tagged = makeMp3(10_000, { id3: true });
		const tagEnd = 10 + ((tagged[6] << 21) | (tagged[7] << 14) | (tagged[8] << 7) | tagged[9]);
		const id3 = (length: number) =>
			Buffer.concat([
				Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, length >> 7, length & 0x7f]),
				Buffer.alloc(length),
			]);
		for (const same of [
			tagged,
			// zeros between the ID3v2 tag and the first frame, as some taggers leave
			Buffer.concat([tagged.subarray(0, tagEnd), Buffer.alloc(300), tagged.subarray(tagEnd)]),
			Buffer.concat([id3(600), id3(10), Buffer.alloc(30), makeMp3(10_000)]), // two tags
			makeMp3(10_000, { vbr: true }),
			makeMp3(10_000, { vbr: true, vbri: true }),
			makeMp3(10_000, { vbr: true, xing: false }),
		]) {
			expect(accepted(same)).toEqual(plain);
		}
		// beyond the head: CBR from bitrate and size (without the ID3v2 tag), VBR from frame lengths
		const cbr = accepted(makeMp3(10_000, { bitrateKbps: 320, id3: true }));
		expect(cbr.durationEstimated).toBe(true);
		expect(Math.abs(cbr.durationMs! - plain.durationMs!)).toBeLessThanOrEqual(5);
		const long = makeMp3(40_000, { vbr: true, xing: false });
		const vbr = readMedia(long.subarray(0, MEDIA_PROBE_BYTES), long.length)!.facts;
		expect(vbr.durationEstimated).toBe(true);
		expect(Math.abs(vbr.durationMs! - 40_000) / 40_000).toBeLessThan(0.02);
	});

	it('gives estimated durations room before refusing (the API decides near the limit)', () => {
		const max = ASSET_RULES.audio.maxDurationMs!;
		expect(refused(makeMp3(max + 500, { vbr: true }))[0].parameter).toBe('durationMs'); // exact
		const estimated = accepted(makeMp3(max + 500, { bitrateKbps: 320 }));
		expect(estimated.durationEstimated).toBe(true);
		expect(estimated.durationMs!).toBeGreaterThan(max);
		expect(estimated.durationMs!).toBeLessThan(max * (1 + ESTIMATE_TOLERANCE));
	});

	it('reads ADTS AAC and M4A durations', () => {
		const short = accepted(makeAdtsAac(10_000));
		expect(short).toMatchObject({ contentType: 'audio/aac', kind: 'audio' });
		expect(Math.abs(short.durationMs! - 10_000)).toBeLessThanOrEqual(24);
		expect(short.durationEstimated).toBeUndefined();
		// an ID3v1 trailer after the frames is not audio: still counted, not estimated
		expect(
			accepted(Buffer.concat([makeAdtsAac(10_000), Buffer.from('TAG'), Buffer.alloc(125)])),
		).toEqual(short);
		const long = makeAdtsAac(40_000);
		const reading = readMedia(long.subarray(0, MEDIA_PROBE_BYTES), long.length)!.facts;
		expect(reading.durationEstimated).toBe(true);
		expect(Math.abs(reading.durationMs! - 40_000) / 40_000).toBeLessThan(0.02);
		expect(accepted(makeM4a(4321)).durationMs).toBe(4321);
		// the moov box after the head (not "fast start"): nothing claimed, the API still checks
		const m4a = makeM4a(16_000);
		const ftypEnd = m4a.readUInt32BE(0);
		const mdat = Buffer.alloc(MEDIA_PROBE_BYTES);
		mdat.writeUInt32BE(MEDIA_PROBE_BYTES, 0);
		mdat.write('mdat', 4, 'latin1');
		const late = Buffer.concat([
			m4a.subarray(0, ftypEnd),
			mdat,
			m4a.subarray(ftypEnd, ftypEnd + m4a.readUInt32BE(ftypEnd)),
		]);
		expect(accepted(late, { fileName: 'a.m4a' })).toEqual({
			contentType: 'audio/mp4',
			kind: 'audio',
			typeSource: 'bytes',
		});
		const head = mp4Header({ durationMs: 30_000, width: 640, height: 360, totalBytes: 40 * MB });
		expect(inspectAssetFile({ head: head.subarray(0, 40), size: 40 * MB })).toEqual({
			file: { contentType: 'video/mp4', kind: 'video', typeSource: 'bytes' },
		});
	});

	it('video dimensions and the file sizes per kind', () => {
		expect(accepted(video(30_200, 6000, 300, 16384))).toMatchObject({
			durationMs: 30_200,
			width: 6000,
		});
		expect(accepted(makeWav(30_000)).durationMs).toBe(30_000);
		expect(refused(video(5000, 120, 7000, 16384))).toEqual([
			{ parameter: 'width', rule: 'video width must be 300–6000 px; this one is 120 px' },
			{ parameter: 'height', rule: 'video height must be 300–6000 px; this one is 7000 px' },
		]);
		const head = mp4Header({ durationMs: 5000, width: 1280, height: 720, totalBytes: 51 * MB });
		expect(inspectAssetFile({ head, size: 51 * MB })).toEqual({
			issues: [
				{ parameter: 'size', rule: 'video files may be at most 50 MB; this one is 51.0 MB' },
			],
		});
		expect(inspectAssetFile({ head: makePng(16, 16), size: 10 * MB + 1024 })).toEqual({
			issues: [
				{ parameter: 'size', rule: 'image files may be at most 10 MB; this one is 10.001 MB' },
			],
		});
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

describe('file errors name the parameter the file came from', () => {
	it('the rule, the file and the field in the message; the advice in the description', () => {
		const voice = {
			field: 'voice',
			label: 'Audio References › Input Binary Field',
			fileName: 'v.mp3',
		};
		const error = assetFileError(
			node,
			refused(makeMp3(31_000, { vbr: true }), { kind: 'audio' }),
			voice,
			2,
		);
		expect(error.message).toBe(
			'Duration (durationMs): audio must last 1.8–30.2 s; this one lasts 31.0 s (file "v.mp3" in Audio References › Input Binary Field "voice")',
		);
		expect(error.description).toBe('Trim the clip to the allowed length. Nothing was uploaded.');
		const kind = assetFileError(node, refused(video(5000), { kind: 'image' }), {
			field: 'data',
			label: 'First Frame › Input Binary Field',
		});
		expect(kind.message).toBe(
			'The file is an MP4 video, but an image is expected here (file in First Frame › Input Binary Field "data")',
		);
		expect(kind.description).toMatch(
			/^Give this parameter an image: Dreamina takes JPG, PNG or WEBP/,
		);
		const field = { field: 'data', label: 'Input Binary Field' };
		const many = assetFileError(node, refused(video(5000, 120, 7000)), field);
		expect(many.message).toMatch(/^Video Width \(width\): video width must be 300–6000 px/);
		expect(many.description).toBe(
			'Also: Video Height (height): video height must be 300–6000 px; this one is 7000 px. Scale the video so both sides are within the allowed range. Nothing was uploaded.',
		);
		const label = (name: string) => (name === 'account' ? 'Account (account)' : name);
		const account = assetFileError(
			node,
			[{ parameter: 'account', rule: 'must be an account ID' }],
			field,
			0,
			label,
		);
		expect(account.message).toMatch(/^Account \(account\): must be an account ID/);
	});

	it('missingBinaryError says which fields the item has', () => {
		const field = { field: 'file', label: 'First Frame › Input Binary Field' };
		const error = missingBinaryError(node, field, ['data'], 0);
		expect(error.message).toBe(
			'First Frame › Input Binary Field: item 1 has no binary field "file"',
		);
		expect(error.description).toMatch(
			/^The item’s binary fields are: data\. Set First Frame › Input Binary Field/,
		);
	});
});

/** ffmpeg and ffprobe on PATH (installed with `apt-get install -y ffmpeg`). */
const ffmpegPresent = ['ffmpeg', 'ffprobe'].every((tool) =>
	(env('PATH') ?? '')
		.split(':')
		.some((dir) => dir !== '' && fileExists(`${dir}${PATH_SEP}${tool}`)),
);

// The only proof that the probes agree with a real decoder: files encoded by ffmpeg, measured by ffprobe.
(ffmpegPresent ? describe : describe.skip)('the readers agree with files ffmpeg writes', () => {
	let dir = '';
	beforeAll(() => (dir = tempDir('asset-inspection-')));
	afterAll(() => removeDir(dir));

	async function run(tool: string, args: string[]) {
		const result = await runProgram(tool, ['-v', 'error', ...args]);
		if (result.code !== 0) throw new Error(`${tool} ${args.join(' ')}: ${result.stderr}`);
		return result.stdout.trim();
	}
	async function encode(name: string, args: string[]) {
		const path = joinPath(dir, name);
		await run('ffmpeg', ['-y', ...args, path]);
		return { bytes: readFile(path), path };
	}
	const probe = (path: string, entries: string, ...extra: string[]) =>
		run('ffprobe', [...extra, '-show_entries', entries, '-of', 'default=nw=1:nk=1', path]);
	const durationOf = async (path: string) => Number(await probe(path, 'format=duration')) * 1000;
	const tone = (seconds: number) => ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`];
	const readingOf = (bytes: Buffer) =>
		readMedia(bytes.subarray(0, MEDIA_PROBE_BYTES), bytes.length)!;
	const lame = (...args: string[]) => ['-c:a', 'libmp3lame', ...args];
	const v1 = ['-write_id3v1', '1'];

	it.each<[string, number, string[]]>([
		['cbr-info.mp3', 16, lame('-b:a', '128k')],
		['cbr-plain.mp3', 16, lame('-b:a', '192k', '-write_xing', '0')],
		['vbr.mp3', 16, lame('-q:a', '2')],
		['mpeg2.mp3', 10, ['-ar', '22050', ...lame('-b:a', '64k', '-write_xing', '0', ...v1)]],
		['mpeg25.mp3', 10, ['-ar', '8000', ...lame('-b:a', '16k', ...v1)]],
	])('MP3 %s (%d s): within two frames of ffprobe (priming and padding)', async (name, s, args) => {
		const { bytes, path } = await encode(name, [...tone(s), ...args]);
		const reading = readingOf(bytes);
		expect(reading.format.name).toBe('MP3 audio');
		expect(Math.abs(reading.facts.durationMs! - (await durationOf(path)))).toBeLessThanOrEqual(
			2 * MP3_FRAME_MS,
		);
		const result = inspectAssetFile(fileOf(bytes, { fileName: name }));
		expect('issues' in result ? result.issues[0].parameter : result.file.contentType).toBe(
			s * 1000 > ASSET_RULES.audio.maxDurationMs! ? 'durationMs' : 'audio/mpeg',
		);
	});

	it.each([
		['short.aac', 10, '128k'],
		['long.aac', 40, '96k'],
	] as const)(
		'ADTS AAC %s: counted (or estimated beyond the head) like ffprobe',
		async (name, s, rate) => {
			const { bytes, path } = await encode(name, [...tone(s), '-c:a', 'aac', '-b:a', rate]);
			const probed = await probe(path, 'stream=sample_rate,nb_read_packets', '-count_packets');
			const [sampleRate, packets] = probed.split('\n').map(Number);
			const counted = ((packets * 1024) / sampleRate) * 1000;
			const reading = readingOf(bytes);
			expect(reading.format.name).toBe('AAC (ADTS) audio');
			const estimated = bytes.length > MEDIA_PROBE_BYTES;
			expect(reading.facts.durationEstimated).toBe(estimated ? true : undefined);
			expect(Math.abs(reading.facts.durationMs! - counted) / counted).toBeLessThan(
				estimated ? ESTIMATE_TOLERANCE : 0.001,
			);
		},
	);

	it('M4A, MP4, MOV, WebM, PNG, JPEG, WebP as ffprobe reports them; the others refused by name', async () => {
		const picture = ['-f', 'lavfi', '-i', 'testsrc=size=400x320:rate=10:duration=3'];
		const still = ['-f', 'lavfi', '-i', 'testsrc=size=64x48', '-frames:v', '1'];
		const x264 = [...picture, '-c:v', 'libx264', '-movflags', '+faststart'];
		const audio = { contentType: 'audio/mp4', kind: 'audio', typeSource: 'bytes' };
		const clip = { kind: 'video', typeSource: 'bytes', width: 400, height: 320 };
		const image = { kind: 'image', typeSource: 'bytes', width: 64, height: 48 };
		const timed = true; // the expected duration is ffprobe's
		for (const [name, args, expected, withDuration] of [
			['fast.m4a', [...tone(10), '-c:a', 'aac', '-movflags', '+faststart'], audio, timed],
			['late.m4a', [...tone(40), '-c:a', 'aac', '-b:a', '128k'], audio, false], // moov last
			['v.mp4', x264, { ...clip, contentType: 'video/mp4' }, timed],
			['v.mov', x264, { ...clip, contentType: 'video/quicktime' }, timed],
			['v.webm', [...picture, '-c:v', 'libvpx'], { ...clip, contentType: 'video/webm' }, timed],
			['i.png', still, { ...image, contentType: 'image/png' }, false],
			['i.jpg', still, { ...image, contentType: 'image/jpeg' }, false],
			['i.webp', still, { ...image, contentType: 'image/webp' }, false],
		] as const) {
			const { bytes, path } = await encode(name, [...args]);
			const durationMs = withDuration ? Math.round(await durationOf(path)) : undefined;
			const file = accepted(bytes, { mimeType: 'application/octet-stream', fileName: name });
			expect(file).toEqual(durationMs === undefined ? expected : { ...expected, durationMs });
		}
		for (const [name, args, what] of [
			['i.gif', still, 'a GIF image'],
			['i.bmp', still, 'a BMP image'],
			['i.tiff', still, 'a TIFF image'],
			['a.flac', [...tone(3), '-c:a', 'flac'], 'FLAC audio'],
			['a.ogg', [...tone(3), '-c:a', 'libvorbis'], 'Ogg Vorbis audio'],
			['a.opus', [...tone(3), '-c:a', 'libopus'], 'Ogg Opus audio'],
			['a.webm', [...tone(3), '-c:a', 'libopus'], 'WebM audio'],
		] as const) {
			const { bytes } = await encode(name, [...args]);
			const mimeType = what.endsWith('audio') ? 'audio/mpeg' : 'image/png';
			expect(refused(bytes, { mimeType })[0].rule).toMatch(`the file is ${what}, which`);
		}
	});
});
