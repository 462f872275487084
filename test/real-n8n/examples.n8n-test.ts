/**
 * The example workflows in examples/ run unchanged in a real n8n 2.41.1 (`n8n execute`), against
 * the API emulator. The tests change only what a user edits (the credential's Base URL/token,
 * input file paths, the Upload Asset account) plus fast polling: emulator jobs take a fraction of
 * a second, not the 45 s the default schedule first waits for a video.
 *
 * One user folder for the file: the package is installed once, the credential and all examples
 * are imported with one CLI call each, then each example is one `n8n execute` (~3–5 s).
 * (SERVER_ONLY examples need a running server: callbacks.n8n-test.ts.)
 */

import { makePng } from '../emulator/media';
import type { Emulator } from '../emulator/server';
import { startEmulator } from '../emulator/server';
import {
	EXAMPLE_CREDENTIAL,
	N8nTestInstance,
	assertSucceeded,
	describeExecution,
	nodeBinaries,
	n8nVersion,
	nodeItems,
	readBinary,
	readExample,
	workflowNode,
	type ExecutionResult,
	type WorkflowJson,
} from './n8n';
import {
	joinPath,
	keepFolders,
	listDir,
	makeDir,
	removeDir,
	repoPath,
	tempDir,
	writeFile,
} from '../support/system';

const VIDEO_BYTES = 200_000;
/** n8n 2.x records a binary's exact size (`bytes`); 1.x (this file runs on both) only `fileSize`. */
const RECORDS_BYTES = !n8nVersion().startsWith('1.');
/** Fast polling where each node version keeps it (version 2: under Options). */
const FAST_POLL = { firstCheckSeconds: 0.3, maxIntervalSeconds: 0.3 };
/** The callback secret the test's credential carries (the submit example adds it to its Reply URL). */
const CALLBACK_SECRET = 'example-callback-secret-0123';
/** What the examples read from (the path users edit), and where the tests put the files instead. */
const EXAMPLE_FILES_DIR = '/home/node/.n8n-files/dreamina';
const ACCOUNT = 'US:us-user@example.com';

/** Examples that need a running server (a trigger, a Wait node): run in callbacks.n8n-test.ts. */
const SERVER_ONLY = ['callback-trigger', 'draft-then-finish'];
/** Every other example runs here; the ones without a test of their own below just have to succeed. */
const files = listDir(repoPath('examples'))
	.filter((f) => f.endsWith('.json'))
	.map((f) => f.replace(/\.json$/, ''))
	.filter((f) => !SERVER_ONLY.includes(f));
const CHECKED = [
	'text-to-video',
	'image-to-video',
	'multi-frame',
	'image-upscale',
	'callback-submit',
];

const filesDir = tempDir('dreamina-example-files-');
const n8n = new N8nTestInstance({ env: { N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
let emu: Emulator;
const ids: Record<string, string> = {};

/** The placeholder n8n address of callback-submit's Reply URL; nothing listens on the stand-in. */
const EXAMPLE_N8N_URL = 'https://n8n.example.com/';
const NOWHERE = 'http://127.0.0.1:9/';

/** Points every file path of an example at the test's folder (and the placeholder host nowhere). */
function withTestPaths(wf: WorkflowJson): WorkflowJson {
	return JSON.parse(
		JSON.stringify(wf).split(EXAMPLE_FILES_DIR).join(filesDir).split(EXAMPLE_N8N_URL).join(NOWHERE),
	);
}

/** The example as a user would run it here: test paths, the account chosen, polling sped up. */
function prepare(file: string): WorkflowJson {
	const wf = withTestPaths(readExample(file));
	for (const node of wf.nodes) {
		if (node.type === 'n8n-nodes-dreamina.dreaminaUploadAsset') {
			node.parameters.account = { __rl: true, mode: 'id', value: ACCOUNT };
		}
		if (node.parameters?.waitForCompletion !== 'poll') continue;
		node.parameters.options = { ...(node.parameters.options as object), ...FAST_POLL };
	}
	return wf;
}

function expectMp4(run: ExecutionResult, nodeName: string): Buffer {
	const [binary] = nodeBinaries(run, nodeName);
	expect(binary.data).toMatchObject({
		mimeType: 'video/mp4',
		fileExtension: 'mp4',
		...(RECORDS_BYTES ? { bytes: VIDEO_BYTES } : {}),
	});
	expect(binary.data.fileName).toMatch(/^dreamina-video-j\d+v\.mp4$/);
	const bytes = readBinary(n8n.userFolder, binary.data);
	expect(bytes.length).toBe(VIDEO_BYTES);
	expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
	return bytes;
}

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 600, image: 300, upscale: 300 },
		videoBytes: VIDEO_BYTES,
	});
	writeFile(joinPath(filesDir, 'first-frame.png'), makePng(1024, 576, 1));
	writeFile(joinPath(filesDir, 'reference.png'), makePng(768, 768, 2));
	makeDir(joinPath(filesDir, 'keyframes'));
	for (const n of [1, 2, 3])
		writeFile(joinPath(filesDir, 'keyframes', `keyframe-${n}.png`), makePng(1024, 576, 10 + n));
	makeDir(joinPath(filesDir, 'results'));

	await n8n.packAndInstall();
	await n8n.importCredential({
		...EXAMPLE_CREDENTIAL,
		data: { apiToken: emu.token, baseUrl: emu.baseUrl, callbackSecret: CALLBACK_SECRET },
	});
	const imported = await n8n.importWorkflow(files.map(prepare));
	files.forEach((f, i) => (ids[f] = imported[i]));
});

afterAll(async () => {
	await emu?.close();
	n8n.cleanup();
	if (!keepFolders()) removeDir(filesDir);
});

beforeEach(() => emu.clearRequests());

test('every example is importable editor JSON that uses the one credential and only installed node types', () => {
	for (const file of listDir(repoPath('examples')).filter((f) => f.endsWith('.json'))) {
		const wf = readExample(file);
		expect(wf).toMatchObject({
			name: expect.any(String),
			nodes: expect.any(Array),
			connections: expect.any(Object),
			settings: { executionOrder: 'v1' },
		});
		for (const node of wf.nodes) {
			expect(node).toMatchObject({
				id: expect.any(String),
				name: expect.any(String),
				type: expect.any(String),
				position: [expect.any(Number), expect.any(Number)],
			});
			if (node.type.startsWith('n8n-nodes-dreamina.'))
				expect(node.credentials).toEqual({
					dreaminaApi: { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name },
				});
			// every connection points at a node that exists
			for (const out of wf.connections[node.name]?.main ?? [])
				for (const c of out) expect(workflowNode(wf, c.node)).toBeDefined();
		}
		// the editor's and the test's "before you run it" instructions are in a sticky note
		expect(wf.nodes.some((n) => n.type === 'n8n-nodes-base.stickyNote')).toBe(true);
	}
});

test('text-to-video: Manual Trigger → Generate Video (poll, download) → the MP4 in binary data', async () => {
	const run = await n8n.executeWorkflow(ids['text-to-video']);
	assertSucceeded(run);
	const [job] = nodeItems(run, 'Generate Video');
	expect(job).toMatchObject({
		status: 'completed',
		type: 'video',
		model: 'seedance-2.0',
		request: { inputMode: 'prompt', duration: 5, ratio: '16:9' },
	});
	expectMp4(run, 'Generate Video');
	const posts = emu.requests.filter((r) => r.method === 'POST' && r.path === '/v1/dreamina/videos');
	expect(posts).toHaveLength(1);
	expect(posts[0].body).not.toHaveProperty('account'); // Account: Auto
}, 60_000);

test('image-to-video: read PNG → Generate Video (First Frame from the binary field, no Upload Asset node)', async () => {
	const run = await n8n.executeWorkflow(ids['image-to-video']);
	if (run.status !== 'success') throw new Error(describeExecution(run));
	expect(nodeItems(run, 'Read First Frame')[0]).toMatchObject({
		fileName: 'first-frame.png',
		mimeType: 'image/png',
	});
	const [job] = nodeItems(run, 'Generate Video');
	expect(job).toMatchObject({ status: 'completed', request: { inputMode: 'first_frame' } });
	// The node uploaded the file itself (Account Auto: to an account offering the model) …
	const assetPosts = emu.requests.filter(
		(r) => r.method === 'POST' && r.path.startsWith('/v1/dreamina/assets/'),
	);
	expect(assetPosts).toHaveLength(1);
	expect(assetPosts[0].contentType).toBe('image/png');
	const [uploaded] = job.uploadedAssets as Array<Record<string, unknown>>;
	expect(uploaded).toMatchObject({
		parameter: 'firstFrameRef',
		type: 'image',
		width: 1024,
		height: 576,
		fileName: 'first-frame.png',
	});
	// … and sent the job with the assetRef it got back.
	const post = emu.requests.find((r) => r.method === 'POST' && r.path === '/v1/dreamina/videos')!;
	expect((post.body as { firstFrameRef?: string }).firstFrameRef).toBe(uploaded.assetRef);
	expectMp4(run, 'Generate Video');
}, 60_000);

test('multi-frame: 3 images → Upload Asset (3 items) → Code (assetRefs in file-name order) → Multi-Frame seedance-1.0-mini', async () => {
	const run = await n8n.executeWorkflow(ids['multi-frame']);
	if (run.status !== 'success') throw new Error(describeExecution(run));
	const uploads = nodeItems(run, 'Upload Asset');
	expect(uploads).toHaveLength(3);
	const [collected] = nodeItems(run, 'Keyframes in Order');
	expect(collected.fileNames).toEqual(['keyframe-1.png', 'keyframe-2.png', 'keyframe-3.png']);
	const refByFile = Object.fromEntries(uploads.map((u) => [u.fileName, u.assetRef]));
	expect(collected.assetRefs).toEqual(collected.fileNames.map((f: string) => refByFile[f]));

	const body = emu.requests.find((r) => r.method === 'POST' && r.path === '/v1/dreamina/videos')!
		.body as Record<string, unknown>;
	expect(body).toMatchObject({
		model: 'seedance-1.0-mini',
		frame_1_imageRef: refByFile['keyframe-1.png'],
		frame_2_imageRef: refByFile['keyframe-2.png'],
		frame_3_imageRef: refByFile['keyframe-3.png'],
		frame_1_duration: 3,
		frame_2_duration: 2,
	});
	expect(body).not.toHaveProperty('prompt');
	const [job] = nodeItems(run, 'Generate Video');
	expect(job).toMatchObject({
		status: 'completed',
		model: 'seedance-1.0-mini',
		request: { inputMode: 'multi_frame' },
	});
	expectMp4(run, 'Generate Video');
}, 60_000);

test('image-upscale: read reference → Generate Image (reference from the binary field) → Upscale Image ($json.jobid) → 4K PNG', async () => {
	const run = await n8n.executeWorkflow(ids['image-upscale']);
	if (run.status !== 'success') throw new Error(describeExecution(run));
	const [image] = nodeItems(run, 'Generate Image');
	const [asset] = image.uploadedAssets as Array<{ assetRef: string }>;
	expect(image).toMatchObject({ status: 'completed', type: 'image', model: 'seedream-4.0' });
	const imagePost = emu.requests.find(
		(r) => r.method === 'POST' && r.path === '/v1/dreamina/images',
	)!;
	expect(imagePost.body).toMatchObject({ imageRef_1: asset.assetRef, model: 'seedream-4.0' });
	const [imageBinaries] = nodeBinaries(run, 'Generate Image');
	expect(Object.keys(imageBinaries).length).toBe((image.response.images as unknown[]).length);

	const [upscale] = nodeItems(run, 'Upscale Image');
	expect(upscale).toMatchObject({ status: 'completed', type: 'upscale' });
	const upscalePost = emu.requests.find(
		(r) => r.method === 'POST' && r.path === '/v1/dreamina/images/upscale',
	)!;
	expect(upscalePost.body).toMatchObject({
		jobid: image.jobid,
		imageIndex: 0,
		upscaleResolution: '4k',
	});
	const [{ data }] = nodeBinaries(run, 'Upscale Image');
	expect(data.mimeType).toMatch(/^image\/(png|jpeg|webp)$/);
	const bytes = readBinary(n8n.userFolder, data);
	if (RECORDS_BYTES) expect(bytes.length).toBe(data.bytes);
	expect(bytes.length).toBeGreaterThan(0);
	if (data.mimeType === 'image/png') expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
}, 60_000);

test('callback-submit: Don’t Wait returns the created job at once and sends the Reply URL and Reply Reference', async () => {
	// The trigger side needs a running server: callbacks.n8n-test.ts. Here: what the submit example sends.
	const run = await n8n.executeWorkflow(ids['callback-submit']);
	assertSucceeded(run);
	const [job] = nodeItems(run, 'Submit Video Job');
	expect(job).toMatchObject({ status: 'created', type: 'video' });
	expect(nodeBinaries(run, 'Submit Video Job')[0]).toEqual({});
	const post = emu.requests.find((r) => r.method === 'POST' && r.path === '/v1/dreamina/videos')!;
	expect(post.body).toMatchObject({
		// the Reply URL as the example has it, plus the credential's Callback Secret
		replyUrl: expect.stringMatching(
			new RegExp(
				`^http://127\\.0\\.0\\.1:9/webhook/[0-9a-f-]{36}/dreamina\\?secret=${CALLBACK_SECRET}$`,
			),
		),
		replyRef: `execution-${run.executionId}`,
	});
	expect(
		emu.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/dreamina/videos/')),
	).toHaveLength(0);
}, 60_000);

const unchecked = files.filter((f) => !CHECKED.includes(f));
if (unchecked.length > 0)
	test.each(unchecked)(
		'%s runs with n8n execute',
		async (file) => {
			const run = await n8n.executeWorkflow(ids[file]);
			if (run.status !== 'success') throw new Error(describeExecution(run));
		},
		60_000,
	);
