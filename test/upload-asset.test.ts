/**
 * Dreamina Upload Asset: in-process n8n runs (test/harness) against the API emulator (test/emulator),
 * plus the memory benchmark (scripts/bench-upload-memory.js) in child processes.
 */

import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	DreaminaUploadAsset,
	UPLOAD_CONCURRENCY,
} from '../nodes/DreaminaUploadAsset/DreaminaUploadAsset.node';
import { makeMp3, makeMp4, makePng, makeWav } from './emulator/media';
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { runUploadMemoryBench } from '../scripts/lib/upload-memory-bench';
import { disposeHarness, listSearch, runWorkflow } from './harness';
import {
	fileSize,
	joinPath,
	readFile,
	removeDir,
	report,
	tempDir,
	truncateFile,
	writeFile,
} from './support/system';
import { linearWorkflow, type RawNodeSpec } from './support/workflows';

const TOKEN = 'dummy-token-upload-7f3a91c2';
const CA = 'CA:ca-user@example.com';
const US = 'US:us-user@example.com';
const EXPIRED = 'CA:expired@example.com';
const MB = 1024 * 1024;

const UPLOAD = 'n8n-nodes-dreamina.dreaminaUploadAsset';

/** Outputs one item whose binary is held in the item itself (base64, no id), as some nodes produce it. */
class InlineBinary implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Inline Binary',
		name: 'inlineBinary',
		group: ['input'],
		version: 1,
		description: 'Binary data kept in the item (test only)',
		defaults: { name: 'Inline Binary' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Base64', name: 'base64', type: 'string', default: '' },
			{ displayName: 'File Name', name: 'fileName', type: 'string', default: 'inline.png' },
			{ displayName: 'MIME Type', name: 'mimeType', type: 'string', default: 'image/png' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const binary: IBinaryData = {
			data: this.getNodeParameter('base64', 0) as string,
			fileName: this.getNodeParameter('fileName', 0) as string,
			mimeType: this.getNodeParameter('mimeType', 0) as string,
		};
		return [[{ json: {}, binary: { data: binary }, pairedItem: { item: 0 } }]];
	}
}

// The Dreamina nodes come from package.json's n8n.nodes, loaded the way n8n loads them.
const extraNodeTypes = { 'test.inlineBinary': new InlineBinary() };

// ------------------------------------------------------------------------------------ workflow JSON

type NodeSpec = RawNodeSpec;
const credRef = { credentials: { dreaminaApi: { id: '1', name: 'Dreamina' } } };

const chain = (...specs: NodeSpec[]) => linearWorkflow(specs, 'Upload asset test');

const start: NodeSpec = { name: 'Start', type: 'n8n-nodes-base.manualTrigger' };
const files = (
	list: Array<{ path: string; mimeType?: string; fileName?: string; property?: string }>,
): NodeSpec => ({
	name: 'Files',
	type: 'test.binaryFixture',
	parameters: { files: JSON.stringify(list) },
});
const upload = (parameters: IDataObject, extra: IDataObject = {}): NodeSpec => ({
	name: 'Upload Asset',
	type: UPLOAD,
	parameters: { binaryPropertyName: 'data', contentType: '', ...parameters },
	extra: { ...credRef, ...extra },
});

// ------------------------------------------------------------------------------------ fixtures

let emu: Emulator;
let dir: string;
const fixture = (name: string, bytes: Buffer) => {
	const file = joinPath(dir, name);
	writeFile(file, bytes);
	return file;
};

beforeAll(async () => {
	emu = await startEmulator({
		token: TOKEN,
		jobDurationMs: { video: 300, image: 200, upscale: 200 },
	});
	dir = tempDir('upload-asset-');
});

afterAll(async () => {
	await emu.close();
	removeDir(dir);
	await disposeHarness();
});

beforeEach(() => emu.reset());

const credentials = () => ({ dreaminaApi: { apiToken: TOKEN, baseUrl: emu.baseUrl } });
const run = async (workflow: object, timeoutMs = 30_000) =>
	await runWorkflow({ workflow, credentials: credentials(), extraNodeTypes, timeoutMs });
const uploads = () =>
	emu.requests.filter((r) => r.method === 'POST' && /^\/v1\/dreamina\/assets\//.test(r.path));

function expectNoSecret(value: unknown) {
	expect(JSON.stringify(value)).not.toContain(TOKEN);
}

// ------------------------------------------------------------------------------------ tests

describe('Dreamina Upload Asset', () => {
	it('uploads a PNG, an MP4 and a WAV, and their assetRefs drive Omni Reference video and reference-image jobs', async () => {
		const png = fixture('photo.png', makePng(320, 240, 7));
		const mp4 = fixture(
			'clip.mp4',
			makeMp4({ durationMs: 3000, width: 640, height: 360, totalBytes: 96 * 1024 }),
		);
		const wav = fixture('voice.wav', makeWav(2500));
		const ref = (type: string) =>
			`={{ $('Upload Asset').all().find((i) => i.json.type === '${type}').json.assetRef }}`;
		const polling = { firstCheckSeconds: 1, maxIntervalSeconds: 1 };

		const result = await run(
			chain(
				start,
				files([{ path: png }, { path: mp4 }, { path: wav }]),
				upload({ account: CA }),
				{
					name: 'Video',
					type: 'n8n-nodes-dreamina.dreaminaGenerateVideo',
					parameters: {
						account: CA,
						inputMode: 'omni',
						prompt:
							'The character from @image1 dances like the dancer in @video1, to the beat of @audio1',
						imageReferences: { reference: [{ source: 'assetRef', assetRef: ref('image') }] },
						videoReferences: { reference: [{ source: 'assetRef', assetRef: ref('video') }] },
						audioReferences: { reference: [{ source: 'assetRef', assetRef: ref('audio') }] },
						waitForCompletion: 'poll',
						options: { downloadResult: false, ...polling },
					},
					extra: { ...credRef, executeOnce: true },
				},
				{
					name: 'Image',
					type: 'n8n-nodes-dreamina.dreaminaGenerateImage',
					parameters: {
						account: CA,
						prompt: 'A movie poster of this character',
						referenceImages: { image: [{ source: 'assetRef', assetRef: ref('image') }] },
						waitForCompletion: 'poll',
						options: { downloadResult: false, ...polling },
					},
					extra: credRef,
				},
			),
			60_000,
		);
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');

		const input = result.output('Files');
		const out = result.output('Upload Asset');
		expect(out).toHaveLength(3);
		const [image, video, audio] = out;
		expect(image.json).toEqual({
			assetRef: expect.stringMatching(/^CA:ca-user@example\.com-image:w320:h240:s\d+-uri:/),
			account: CA,
			type: 'image',
			width: 320,
			height: 240,
			size: fileSize(png),
			fileName: 'photo.png',
			mimeType: 'image/png',
		});
		expect(video.json).toMatchObject({
			type: 'video',
			width: 640,
			height: 360,
			duration: 3000,
			size: 96 * 1024,
			fileName: 'clip.mp4',
			mimeType: 'video/mp4',
		});
		expect(audio.json).toMatchObject({
			type: 'audio',
			duration: 2500,
			size: fileSize(wav),
			fileName: 'voice.wav',
			mimeType: 'audio/wav',
		});
		expect(audio.json).not.toHaveProperty('width');
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			// The input file stays on the item for later nodes (same stored binary, not a copy).
			expect(item.binary?.data.id).toBe(input[i].binary?.data.id);
		});
		expect(await result.readBinary(image.binary!.data)).toEqual(readFile(png));

		// What the API saw: the raw bytes, with the Content-Type and Content-Length of each file.
		const posted = uploads();
		expect(posted.map((r) => r.path).every((p) => p === `/v1/dreamina/assets/${CA}`)).toBe(true);
		expect(
			posted.map((r) => [r.contentType, r.bodyBytes, Number(r.headers['content-length'])]).sort(),
		).toEqual(
			[
				['image/png', fileSize(png), fileSize(png)],
				['video/mp4', 96 * 1024, 96 * 1024],
				['audio/wav', fileSize(wav), fileSize(wav)],
			].sort(),
		);

		const [videoJob] = result.output('Video');
		expect(videoJob.json).toMatchObject({
			status: 'completed',
			type: 'video',
			request: {
				omni_1_imageRef: image.json.assetRef,
				omni_1_videoRef: video.json.assetRef,
				omni_1_audioRef: audio.json.assetRef,
			},
		});
		const [imageJob] = result.output('Image');
		expect(imageJob.json).toMatchObject({ status: 'completed', type: 'image' });
		const imagePost = emu.requests.find(
			(r) => r.method === 'POST' && r.path === '/v1/dreamina/images',
		);
		expect(imagePost?.body).toMatchObject({ imageRef_1: image.json.assetRef });
		expectNoSecret(result.runData);
	});

	it('folds MIME aliases (audio/x-wav), falls back to the extension, and lets Content Type override', async () => {
		const wav = fixture('take.wav', makeWav(3000));
		const m4a = fixture(
			'song.m4a',
			makeMp4({ durationMs: 4000, width: 0, height: 0, totalBytes: 8 * 1024 }),
		);
		const mov = fixture(
			'raw.bin',
			makeMp4({ durationMs: 2500, width: 400, height: 300, totalBytes: 8 * 1024 }),
		);

		let result = await run(
			chain(
				start,
				files([
					{ path: wav, mimeType: 'audio/x-wav' },
					{ path: m4a, mimeType: 'application/octet-stream' },
				]),
				upload({ account: US }),
			),
		);
		expect(result.status).toBe('success');
		expect(
			result.output('Upload Asset').map((i) => [i.json.mimeType, i.json.type, i.json.duration]),
		).toEqual([
			['audio/wav', 'audio', 3000],
			['audio/mp4', 'audio', 4000],
		]);

		emu.clearRequests();
		result = await run(
			chain(
				start,
				files([{ path: mov, mimeType: 'application/octet-stream' }]),
				upload({ account: US, contentType: 'video/quicktime' }),
			),
		);
		expect(result.status).toBe('success');
		expect(result.output('Upload Asset')[0].json).toMatchObject({
			type: 'video',
			mimeType: 'video/quicktime',
			width: 400,
			height: 300,
		});
		expect(uploads().map((r) => r.contentType)).toEqual(['video/quicktime']);
	});

	it.each([
		{
			title: 'a 25 s VBR MP3 is uploaded as audio/mpeg',
			name: 'short.mp3',
			bytes: () => makeMp3(25_000, { vbr: true }),
			mimeType: 'audio/mpeg',
			sent: 'audio/mpeg',
			type: 'audio',
		},
		{
			title: 'PNG bytes labelled image/jpeg are sent as image/png: the bytes decide',
			name: 'photo.jpg',
			bytes: () => makePng(640, 480, 9),
			mimeType: 'image/jpeg',
			sent: 'image/png',
			type: 'image',
		},
	])('$title', async ({ name, bytes, mimeType, sent, type }) => {
		const path = fixture(name, bytes());
		const result = await run(chain(start, files([{ path, mimeType }]), upload({ account: US })));
		expect(result.error).toBeUndefined();
		expect(result.output('Upload Asset')[0].json).toMatchObject({ type, mimeType: sent });
		expect(uploads().map((r) => r.contentType)).toEqual([sent]);
	});

	it('uploads binary data held in the item itself (no binary id) from its buffer', async () => {
		const png = makePng(64, 48, 3);
		const result = await run(
			chain(
				start,
				{
					name: 'Inline',
					type: 'test.inlineBinary',
					parameters: {
						base64: png.toString('base64'),
						fileName: 'inline.png',
						mimeType: 'image/png',
					},
				},
				upload({ account: US }),
			),
		);
		expect(result.status).toBe('success');
		expect(result.output('Inline')[0].binary?.data.id).toBeUndefined();
		expect(result.output('Upload Asset')[0].json).toMatchObject({
			type: 'image',
			width: 64,
			height: 48,
			size: png.length,
			fileName: 'inline.png',
		});
		expect(uploads()[0].bodyBytes).toBe(png.length);
	});

	// The messages themselves are unit-tested (test/unit/asset-inspection.test.ts); here: n8n runs
	// the checks on every item before the first upload, and the error names the field.
	const bmp = () => fixture('picture.bmp', Buffer.concat([Buffer.from('BM'), Buffer.alloc(256)]));
	const mp4 = (name: string, durationMs: number, width: number) =>
		fixture(name, makeMp4({ durationMs, width, height: 720, totalBytes: 16 * 1024 }));
	const bigPng = () => {
		const big = fixture('huge.png', makePng(16, 16));
		truncateFile(big, 11 * MB); // sparse: a PNG header followed by zeros
		return big;
	};
	it.each([
		{
			title: 'a type Dreamina does not take (.bmp)',
			nodes: () => [files([{ path: bmp(), mimeType: 'image/bmp' }]), upload({ account: CA })],
			message:
				/^Content Type \(contentType\): "picture\.bmp" has MIME type image\/bmp and extension \.bmp, which Dreamina does not take\. It takes JPG.*\(file "picture\.bmp" in Input Binary Field "data"\)$/,
			description: /set Content Type if the file’s MIME type or extension is wrong/,
		},
		{
			title: 'a text file',
			nodes: () => [
				files([{ path: fixture('notes.txt', Buffer.from('no')) }]),
				upload({ account: CA }),
			],
			message: /^Content Type \(contentType\): "notes\.txt" has MIME type text\/plain/,
		},
		{
			title: 'a file over the size limit (11 MB PNG)',
			nodes: () => [files([{ path: bigPng() }]), upload({ account: CA })],
			message:
				/^File Size \(size\): image files may be at most 10 MB; this one is 11\.0 MB \(file "huge\.png" in Input Binary Field "data"\)$/,
			description: /Use a smaller file/,
		},
		{
			title: 'a video too long, read from its header',
			nodes: () => [files([{ path: mp4('long.mp4', 31_000, 1280) }]), upload({ account: CA })],
			message:
				/^Duration \(durationMs\): video must last 1\.8–30\.2 s; this one lasts 31\.0 s \(file "long\.mp4"/,
			description: /Trim the clip/,
		},
		{
			title: 'a video too narrow',
			nodes: () => [files([{ path: mp4('tiny.mp4', 5000, 120) }]), upload({ account: CA })],
			message: /^Video Width \(width\): video width must be 300–6000 px; this one is 120 px/,
		},
		{
			title: 'an audio clip too long',
			nodes: () => [
				files([{ path: fixture('speech.wav', makeWav(31_000)) }]),
				upload({ account: CA }),
			],
			message: /^Duration \(durationMs\): audio must last 1\.8–30\.2 s; this one lasts 31\.0 s/,
		},
		{
			title: 'a 40 s MP3 (its duration read from the frames)',
			nodes: () => [
				files([{ path: fixture('long.mp3', makeMp3(40_000)), mimeType: 'audio/mpeg' }]),
				upload({ account: CA }),
			],
			message: /audio must last 1\.8–30\.2 s; this one lasts (about )?(39|40)\.\d+ s/,
			description: /Trim the clip/,
		},
		{
			title: 'an empty file: advice about empty files, not "use a smaller file"',
			nodes: () => [
				files([{ path: fixture('nothing.png', Buffer.alloc(0)), mimeType: 'image/png' }]),
				upload({ account: CA }),
			],
			message: /the file is empty \(0 bytes\)/,
			description: /produced no data/,
		},
		{
			title: 'no binary under Input Binary Field',
			nodes: () => [
				files([{ path: fixture('p.png', makePng(20, 20)) }]),
				upload({ account: CA, binaryPropertyName: 'file' }),
			],
			message: /^Input Binary Field: item 1 has no binary field "file"$/,
			description: /^The item’s binary fields are: data\. Set Input Binary Field/,
		},
		{
			title: 'no file at all',
			nodes: () => [upload({ account: CA })],
			message: /^Input Binary Field: item 1 has no binary field "data"$/,
			description: /carries no file/,
		},
		{
			title: 'an account that is not an account ID',
			nodes: () => [
				files([{ path: fixture('q.png', makePng(20, 20)) }]),
				upload({ account: 'ca-user@example.com' }),
			],
			message: /^Account \(account\): must be an account ID like US:user@example\.com/,
		},
		{
			title: 'one bad file in a batch: nothing is uploaded',
			nodes: () => [
				files([
					{ path: fixture('good.png', makePng(30, 30)) },
					{ path: fixture('bad.bmp', Buffer.from('BM....')), mimeType: 'image/bmp' },
				]),
				upload({ account: CA }),
			],
			message: /"bad\.bmp" has MIME type image\/bmp/,
		},
	])(
		'stops before any upload, naming the field: $title',
		async ({ nodes, message, description }) => {
			const result = await run(chain(start, ...nodes()));
			expect(result.status).toBe('error');
			expect(uploads()).toHaveLength(0);
			const error = result.nodeError('Upload Asset')!;
			expect(error.message).toMatch(message);
			if (description) expect(error.description).toMatch(description);
			// file checks say "Nothing was uploaded."; parameter checks shared with the other nodes say
			// "Nothing was sent to Dreamina"
			expect(error.description).toMatch(/Nothing was uploaded\.|Nothing was sent to Dreamina/);
			expectNoSecret(error);
		},
	);

	// Continue On Fail and the error output per item: test/error-output.test.ts
	it('an account the API does not know: 404, named', async () => {
		const good = fixture('ok.png', makePng(50, 40));
		const unknown = await run(
			chain(start, files([{ path: good }]), upload({ account: 'US:nobody@example.com' })),
		);
		expect(unknown.status).toBe('error');
		expect(unknown.nodeError('Upload Asset')).toMatchObject({
			message:
				'Dreamina account not found (404): Unable to find configuration for account US:nobody@example.com',
			httpCode: '404',
		});
		expectNoSecret(unknown.runData);
	});

	it('never resends an upload: a 500 or a dropped connection fails after one POST', async () => {
		const png = fixture('once.png', makePng(40, 40));
		for (const fault of [{ status: 500, body: { error: 'upstream broke' } }, { drop: true }]) {
			emu.reset();
			emu.injectFault({ method: 'POST', path: /^\/v1\/dreamina\/assets\//, ...fault });
			const result = await run(chain(start, files([{ path: png }]), upload({ account: CA })));
			expect(result.status).toBe('error');
			expect(uploads()).toHaveLength(1);
			expect(result.nodeError('Upload Asset')?.message).toMatch(
				fault.drop
					? /^Could not reach the Dreamina API to upload once\.png/
					: /^The Dreamina API failed \(500\) when trying to upload once\.png: upstream broke/,
			);
			if (fault.drop)
				expect(result.nodeError('Upload Asset')?.description).toMatch(
					/this request is sent only once/,
				);
		}
	});

	it(`uploads many items ${UPLOAD_CONCURRENCY} at a time, outputs in input order`, async () => {
		const paths = Array.from({ length: 7 }, (_, i) => fixture(`n${i}.png`, makePng(100 + i, 100)));
		emu.injectFault({ method: 'POST', path: /^\/v1\/dreamina\/assets\//, delayMs: 150, times: 0 });
		const result = await run(
			chain(start, files(paths.map((p) => ({ path: p }))), upload({ account: US })),
		);
		expect(result.status).toBe('success');
		expect(result.output('Upload Asset').map((i) => i.json.width)).toEqual([
			100, 101, 102, 103, 104, 105, 106,
		]);
		// Each upload takes ≥ 150 ms: three start together, the fourth only once one of them is done.
		const arrivals = uploads()
			.map((r) => r.time)
			.sort((a, b) => a - b);
		expect(arrivals).toHaveLength(7);
		expect(arrivals[UPLOAD_CONCURRENCY - 1] - arrivals[0]).toBeLessThan(150);
		expect(arrivals[UPLOAD_CONCURRENCY] - arrivals[0]).toBeGreaterThanOrEqual(150);
	});

	it('lists the accounts for the Account field', async () => {
		const { results } = await listSearch(UPLOAD, 'searchAccounts', {}, credentials(), {
			extraNodeTypes,
		});
		expect(results.map((o) => o.value)).toEqual([CA, EXPIRED, US]);
	});

	it('is described as the brief says (tool-usable, required account, binary field, content type)', () => {
		const { description } = new DreaminaUploadAsset();
		expect(description.usableAsTool).toBe(true);
		expect(description.properties.map((p) => p.name)).toEqual([
			'account',
			'binaryPropertyName',
			'contentType',
		]);
		expect(description.properties[0]).toMatchObject({
			type: 'resourceLocator',
			required: true,
			modes: expect.arrayContaining([
				expect.objectContaining({
					typeOptions: { searchListMethod: 'searchAccounts', searchable: true },
				}),
			]),
		});
		const contentType = description.properties.find((p) => p.name === 'contentType')!;
		const types = (contentType.options as Array<{ value: string }>).map((o) => o.value);
		expect(types[0]).toBe('');
		expect(types).toEqual(
			expect.arrayContaining(['image/jpeg', 'video/mp4', 'audio/wav', 'audio/mp4']),
		);
	});
});

// ------------------------------------------------------------------------------------ memory

const bench = (mode: string) =>
	runUploadMemoryBench({ mode, mb: 40, baseUrl: emu.baseUrl, token: TOKEN, account: CA });

describe('memory', () => {
	it('streams a 40 MB video: peak memory grows by a small fraction of the file, unlike loading it into a Buffer', async () => {
		const stream = await bench('stream');
		const buffer = await bench('buffer');
		const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
		report(
			`40 MB upload, peak RSS growth: streamed ${mb(stream.peakDelta)} (${((100 * stream.peakDelta) / stream.fileBytes).toFixed(0)}% of the file), ` +
				`buffered baseline ${mb(buffer.peakDelta)} (${((100 * buffer.peakDelta) / buffer.fileBytes).toFixed(0)}%)`,
		);
		expect(stream.uploadedBytes).toBe(40 * MB);
		expect(buffer.uploadedBytes).toBe(40 * MB);
		// The baseline really holds the file (Buffer memory grows by at least its size, RSS by most of it) …
		expect(buffer.buffersDelta).toBeGreaterThanOrEqual(buffer.fileBytes);
		expect(buffer.peakDelta).toBeGreaterThan(0.5 * buffer.fileBytes);
		// … the node does not.
		expect(stream.peakDelta).toBeLessThan(0.25 * stream.fileBytes);
		expect(stream.peakDelta).toBeLessThan(buffer.peakDelta / 2);

		// The emulator counted every byte while streaming (it keeps at most a 256 KB header).
		const big = uploads().filter((r) => r.bodyBytes === 40 * MB);
		expect(big).toHaveLength(2);
		expect(big.every((r) => r.status === 200 && r.contentType === 'video/mp4')).toBe(true);
	}, 120_000);
});
