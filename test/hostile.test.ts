/**
 * Hostile hosts and bytes, through n8n's engine: the token goes to the API's origin only, no
 * secret is in what the nodes put out, every download ends and is what it claims, IDs cannot
 * change a request's path, errors name the field, and a file is uploaded once per execution.
 * A second local host (test/support/http-server.js) plays the other origin and the bad file host.
 */
import type { IDataObject } from 'n8n-workflow';

import { DOWNLOAD_LIMITS } from '../nodes/shared/jobs/download';
import { makePng } from './emulator/media';
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { callWebhook, disposeHarness, runWorkflow, testCredential } from './harness';
import { emulatorClient } from './support/emulator-client';
import type { Reply, TestHttpServer } from './support/http-server';
import { startJsonServer } from './support/http-server';
import { joinPath, removeDir, tempDir, writeFile } from './support/system';
import type { NodeSpec } from './support/workflows';
import { chain, CREDENTIAL_REF, dreamina, linearWorkflow } from './support/workflows';

const CA = 'CA:ca-user@example.com';
const SECRET = 'dummy-callback-secret-1234';
let emu: Emulator;
let other: TestHttpServer;
/** What the other host answers (by path). */
let otherAnswer: (path: string) => Reply;
let dir: string;

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 200, image: 200, upscale: 200 },
		render: false,
		videoBytes: 60_000,
	});
	other = await startJsonServer((request) => otherAnswer(request.path));
	dir = tempDir('hostile-');
});
afterAll(async () => {
	await emu.close();
	await other.close();
	removeDir(dir);
	await disposeHarness();
});
beforeEach(() => {
	emu.clearRequests();
	emu.clearFaults();
	other.requests.length = 0;
	Object.assign(DOWNLOAD_LIMITS, { idleMs: 300, totalMs: 5_000, retryDelaysMs: [50, 50] });
});

const credentials = (baseUrl = emu.baseUrl) => ({
	dreaminaApi: { apiToken: emu.token, baseUrl, callbackSecret: SECRET },
});

async function run(nodes: NodeSpec[], baseUrl?: string) {
	return await runWorkflow({
		workflow: chain(nodes),
		credentials: credentials(baseUrl),
		timeoutMs: 20_000,
	});
}

const getJob = (jobid: string, parameters: IDataObject = {}): NodeSpec => ({
	name: 'Dreamina',
	type: dreamina('dreaminaGetJob'),
	parameters: { jobid, waitForCompletion: 'none', ...parameters },
});

const image = (parameters: IDataObject, extra: Partial<NodeSpec> = {}): NodeSpec => ({
	name: 'Dreamina',
	type: dreamina('dreaminaGenerateImage'),
	parameters: { account: { __rl: true, mode: 'id', value: CA }, prompt: 'p', ...parameters },
	...extra,
});

/** A completed video job (its result link at the other host, when asked). */
async function finishedVideo(servedByOther = false): Promise<string> {
	const jobid = await emulatorClient(emu).submitJob('/videos', { account: CA, prompt: 'p' });
	await emulatorClient(emu).jobLeftCreated(jobid);
	if (servedByOther) emu.jobs.get(jobid)!.response!.videoUrl = `${other.origin}/result.mp4`;
	return jobid;
}

/** The text of everything a run put out: its error, and the JSON of the node's items. */
function everything(result: Awaited<ReturnType<typeof run>>): string {
	const out = result.error ? [] : result.output('Dreamina').map((item) => item.json);
	return JSON.stringify([result.error, out]);
}

describe('the token goes to the Base URL’s origin only', () => {
	it('the credential test does not follow a redirect to another host', async () => {
		otherAnswer = (path) => ({ status: 302, headers: { location: emu.baseUrl + path } });
		emu.clearRequests();
		const result = await testCredential('dreaminaApi', {
			apiToken: emu.token,
			baseUrl: other.origin,
		});
		expect(result.status).toBe('Error');
		expect(emu.requests).toEqual([]);
	});

	it.each([
		[
			'a redirect to another host',
			'redirect',
			/redirect \(302\) to another host \(http:\/\/127\.0\.0\.1:\d+\)/,
		],
		['a record of another job', 'foreign', /record of another job/],
	])('%s is refused', async (_case, kind, message) => {
		const jobid = await emulatorClient(emu).submitJob('/videos', { account: CA, prompt: 'p' });
		const foreign = await emulatorClient(emu).submitJob('/videos', { account: CA, prompt: 'q' });
		emu.clearRequests();
		otherAnswer = (path) =>
			kind === 'redirect'
				? { status: 302, headers: { location: emu.baseUrl + path } }
				: { status: 200, json: emu.jobs.get(foreign) };
		const result = await run([getJob(jobid)], other.origin);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toContain(jobid);
		// The emulator, on another origin, never saw the token (a followed redirect would carry it).
		expect(emu.requests.filter((r) => r.headers.authorization)).toEqual([]);
	});
});

it('masks the API token and the Callback Secret in errors and outputs, whatever text carries them', async () => {
	emu.injectFault({
		method: 'POST',
		path: '/images',
		status: 400,
		times: 0,
		body: {
			error: `Parameter replyUrl (https://n8n.example.com/hook?secret=${SECRET}) is unreachable with token ${emu.token}`,
		},
	});
	const options = { replyUrl: 'https://n8n.example.com/hook', addCallbackSecret: true };
	for (const continueOnFail of [false, true]) {
		const result = await run([image({ waitForCompletion: 'none', options }, { continueOnFail })]);
		const text = everything(result);
		expect(text).toMatch(/unreachable with token \*\*\*/);
		expect(text).not.toContain(SECRET);
		expect(text).not.toContain(emu.token);
	}
	// The API did get the secret: the mask is on what the node puts out.
	expect(JSON.stringify(emulatorClient(emu).posts('/images')[0].body)).toContain(SECRET);
});

describe('every download ends, whole and of its kind, or fails clearly with the jobid', () => {
	const stall: Reply = {
		status: 200,
		headers: { 'content-type': 'video/mp4', 'content-length': '60000' },
		hang: true,
	};
	it.each([
		{
			case: 'headers, then nothing',
			answer: stall,
			message: /stalled \(no data came for 0\.3 s\)/,
			requests: 3,
		},
		{
			case: 'longer than the overall limit',
			answer: stall,
			limits: { idleMs: 60_000, totalMs: 500 },
			message: /stalled \(the download took longer than 0\.5 s\)/,
			requests: 1,
		},
		{
			case: 'an HTML page with status 200',
			answer: {
				status: 200,
				headers: { 'content-type': 'text/html' },
				text: '<!DOCTYPE html><html>Error</html>',
			},
			message: /sent an HTML page instead of a video/,
			requests: 1,
		},
	])('$case', async ({ answer, limits, message, requests }) => {
		Object.assign(DOWNLOAD_LIMITS, limits);
		const jobid = await finishedVideo(true);
		otherAnswer = () => answer;
		const result = await run([getJob(jobid, { waitForCompletion: 'poll', downloadResult: true })]);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toContain(jobid);
		expect(other.requests).toHaveLength(requests);
		// a result link is fetched without the credential
		expect(other.requests.every((r) => !r.headers.authorization)).toBe(true);
	});

	it('a connection cut mid-file is retried, and the whole file is stored', async () => {
		const jobid = await finishedVideo();
		emu.injectFault({ method: 'GET', path: /^\/files\//, afterHandling: true, drop: true });
		const result = await run([getJob(jobid, { waitForCompletion: 'poll', downloadResult: true })]);
		expect(result.error).toBeUndefined();
		const [item] = result.output('Dreamina');
		expect((await result.readBinary(item.binary!.data)).length).toBe(60_000);
		expect(emulatorClient(emu).gets('/files/')).toHaveLength(2);
	});
});

describe('IDs and fields say what is wrong before anything is sent', () => {
	it.each(['..', '.', 'a/b'])('Asset ID "%s" never reaches a path', async (assetId) => {
		const parameters = { resource: 'asset', operation: 'delete', assetId };
		const result = await run([{ name: 'Dreamina', type: dreamina('dreamina'), parameters }]);
		expect(result.error?.message).toContain(`"${assetId}" is not a valid ID`);
		expect(emu.requests).toEqual([]);
	});

	it('a Reply URL that is not a URL, with Add Callback Secret on, names the field', async () => {
		const options = { replyUrl: 'n8n.example.com/hook', addCallbackSecret: true };
		const result = await run([image({ options })]);
		expect(result.error?.message).toMatch(
			/^Options › Reply URL \(replyUrl\): must be a full http\(s\) URL/,
		);
		expect(emu.requests.filter((r) => r.method === 'POST')).toEqual([]);
	});
});

it('the same file feeding two nodes of one execution is uploaded once', async () => {
	const path = joinPath(dir, 'ref.png');
	writeFile(path, makePng(640, 640, 3));
	const references = { image: [{ source: 'binary', binaryPropertyName: 'data' }] };
	const generate = (name: string) =>
		image({ waitForCompletion: 'none', referenceImages: references }, { name });
	const files: NodeSpec = {
		name: 'Files',
		type: 'test.binaryFixture',
		parameters: {
			files: JSON.stringify([
				{ path, mimeType: 'image/png', fileName: 'ref.png', property: 'data' },
			]),
		},
	};
	const workflow = chain([files, generate('A'), generate('B')]);
	workflow.connections.Files = {
		main: [
			[
				{ node: 'A', type: 'main', index: 0 },
				{ node: 'B', type: 'main', index: 0 },
			],
		],
	};
	delete workflow.connections.A;
	const result = await runWorkflow({ workflow, credentials: credentials(), timeoutMs: 20_000 });
	expect(result.error).toBeUndefined();
	expect(emulatorClient(emu).posts(`/assets/${CA}`)).toHaveLength(1);
	expect(emulatorClient(emu).posts('/images')).toHaveLength(2);
});

describe('Dreamina Trigger', () => {
	// One workflow per case: the trigger keeps a workflow's credential for a minute.
	const trigger = (name: string, parameters: IDataObject = {}) =>
		linearWorkflow(
			[
				{
					name: 'Trigger',
					type: dreamina('dreaminaTrigger'),
					parameters: { downloadResult: true, ...parameters },
					extra: { webhookId: 'hostile-trigger', credentials: CREDENTIAL_REF },
				},
				{ name: 'Next', type: 'n8n-nodes-base.noOp' },
			],
			name,
		);
	const deliver = async (
		body: unknown,
		{ baseUrl, raw, parameters }: { baseUrl?: string; raw?: string; parameters?: IDataObject } = {},
	) =>
		await callWebhook({
			workflow: trigger(expect.getState().currentTestName ?? '', parameters),
			nodeName: 'Trigger',
			method: 'POST',
			query: { secret: SECRET },
			...(raw === undefined
				? { body }
				: { headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(raw) }),
			credentials: credentials(baseUrl),
			webhookBaseUrl: 'https://n8n.example.com',
		});

	it('its verification read does not follow a redirect to another host', async () => {
		const jobid = await finishedVideo();
		emu.clearRequests();
		otherAnswer = (path) => ({ status: 302, headers: { location: emu.baseUrl + path } });
		const result = await deliver(emu.jobs.get(jobid), { baseUrl: other.origin });
		expect(result.statusCode).toBe(502);
		expect(result.run).toBeUndefined();
		expect(emu.requests.filter((r) => r.headers.authorization)).toEqual([]);
	});

	it('a stalled download still starts the execution, with downloadError and the jobid', async () => {
		const jobid = await finishedVideo(true);
		otherAnswer = () => ({ status: 200, headers: { 'content-type': 'video/mp4' }, hang: true });
		const result = await deliver(emu.jobs.get(jobid));
		expect(result.statusCode).toBe(200);
		const [item] = result.run!.output('Trigger');
		expect(item.json).toMatchObject({
			jobid,
			downloadError: {
				message: expect.stringMatching(/stalled/),
				description: expect.stringContaining(jobid),
			},
		});
		expect(item.binary).toBeUndefined();
	});

	it.each([
		['__proto__', { status: '__proto__' }],
		['constructor', { status: 'constructor' }],
		['toString', { status: 'toString' }],
		['a body nested 100 000 deep', { response: 'DEEP' }],
	])(
		'a callback with %s is refused as malformed (400), not looked up or crashed on',
		async (_case, fields) => {
			const posted = {
				jobid: 'j1208000000000000001v-u12345-CA:ca-user@example.com-bot:dreamina',
				status: 'completed',
				...fields,
			};
			const depth = 100_000;
			const text = JSON.stringify(posted).replace(
				'"DEEP"',
				'{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
			);
			const result = await deliver(undefined, { raw: text, parameters: { verifyJob: false } });
			expect(result.statusCode).toBe(400);
			expect(result.run).toBeUndefined();
		},
	);
});

it('Wait for Callback resumes only when the API confirms the job is done, one GET per callback', async () => {
	const workflow = chain([image({ prompt: '[slow] p', waitForCompletion: 'callback' })]);
	const webhookBaseUrl = 'http://127.0.0.1:9/';
	const waiting = await runWorkflow({ workflow, credentials: credentials(), webhookBaseUrl });
	expect(waiting.status).toBe('waiting');
	const jobid = [...emu.jobs.keys()].pop()!;
	emu.clearRequests();
	const callback = async () =>
		await callWebhook({
			workflow,
			method: 'POST',
			resume: waiting,
			body: { ...emu.jobs.get(jobid), status: 'completed' },
			credentials: credentials(),
			webhookBaseUrl,
		});
	const early = await callback();
	expect(early).toMatchObject({ statusCode: 200, body: { waiting: true } });
	expect(early.run).toBeUndefined();
	expect(emulatorClient(emu).gets(`/images/${jobid}`)).toHaveLength(1);
	emu.completeJob(jobid);
	const resumed = await callback();
	expect(resumed.run?.output('Dreamina')[0].json).toMatchObject({ jobid, status: 'completed' });
});
