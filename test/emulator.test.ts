/**
 * Tests of the Dreamina API emulator (test/emulator) against the documented behaviour.
 */
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { makeJpegHeader, makeMp4, makePng, makeWav, makeWebpHeader } from './emulator/media';
import { ffmpegArgs, layout, wrap } from './emulator/render';
import {
	delay,
	ensureFfmpeg,
	ffprobe,
	grayFrame,
	startCli,
	startReceiver,
} from './emulator/node-helpers';

const US = 'US:us-user@example.com';
const CA = 'CA:ca-user@example.com';
const EXPIRED = 'CA:expired@example.com';
const enc = encodeURIComponent;
const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JOBID_RE = /^j\d{13}\d{6}[viI]-u12345-(US|CA):[^@]+@.+-bot:dreamina$/;

let emu: Emulator;

/** An image of a completed image job. */
interface ImageItem {
	imageUrl: string;
	imageUri: string;
	assetRef: string;
	assetId: string;
	width: number;
	height: number;
	format: string;
}

/** The `response` of a job record: forecastCost while created, the results once completed. */
interface JobResponse {
	forecastCost: number;
	assetId: string;
	videoUrl: string;
	videoId: string;
	coverUrl: string;
	width: number;
	height: number;
	durationMs: number;
	hasAudio: boolean;
	images: ImageItem[];
	historyRecordId: string;
}

interface HistoryItem {
	assetId: string;
	type: 'image' | 'video';
	assetRef?: string;
	imageUrl?: string;
	videoUrl?: string;
	description: string;
}

interface SchedulerEntry {
	jobid: string;
	submitId: string;
	model: string;
	elapsedSeconds: number;
	replyUrl?: string;
}

/**
 * What the API answers, as the tests read it: the fields of every answer they look at (a job record,
 * an account, an upload, a history page, the scheduler, an error). The assertions check them.
 */
interface Answer {
	error: string;
	jobid: string;
	type: string;
	status: string;
	model: string;
	created: string;
	updated: string;
	code: number;
	request: Record<string, unknown>;
	response: JobResponse;
	account: string;
	models: { video: string[]; image: string[] };
	credits: unknown;
	session: unknown;
	assetRef: string;
	width: number;
	height: number;
	size: number;
	duration: number;
	assets: HistoryItem[];
	hasMore: boolean;
	executing: Record<string, SchedulerEntry[]>;
	total: number;
}

interface Res<T = Answer> {
	status: number;
	json: T;
	headers: Headers;
}

async function call<T = Answer>(
	method: string,
	p: string,
	body?: unknown,
	init: { token?: string | null; contentType?: string; raw?: Buffer; base?: string } = {},
): Promise<Res<T>> {
	const headers: Record<string, string> = {};
	const token = init.token === undefined ? emu.token : init.token;
	if (token !== null) headers.Authorization = `Bearer ${token}`;
	let payload: Buffer | string | undefined;
	if (init.raw) {
		payload = init.raw;
		if (init.contentType) headers['Content-Type'] = init.contentType;
	} else if (body !== undefined) {
		payload = JSON.stringify(body);
		headers['Content-Type'] = 'application/json';
	}
	const r = await fetch((init.base ?? emu.baseUrl) + p, { method, headers, body: payload });
	const text = await r.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	return { status: r.status, json: json as T, headers: r.headers };
}

const upload = (account: string, buf: Buffer, contentType: string) =>
	call('POST', `/assets/${enc(account)}`, undefined, { raw: buf, contentType });

async function uploadOk(account: string, buf: Buffer, contentType: string): Promise<Answer> {
	const r = await upload(account, buf, contentType);
	expect(r.status).toBe(200);
	return r.json;
}

async function waitJob(
	jobid: string,
	kind: 'videos' | 'images' = 'videos',
	timeoutMs = 5000,
): Promise<Answer> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const r = await call('GET', `/${kind}/${enc(jobid)}`);
		expect(r.status).toBe(200);
		if (r.json.status !== 'created') return r.json;
		if (Date.now() > end) throw new Error(`job ${jobid} still created`);
		await delay(25);
	}
}

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!cond()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await delay(20);
	}
}

async function download(
	url: string,
	headers: Record<string, string> = {},
): Promise<{ status: number; type: string | null; length: string | null; bytes: Buffer }> {
	const r = await fetch(url, { headers });
	const bytes = Buffer.from(await r.arrayBuffer());
	return {
		status: r.status,
		type: r.headers.get('content-type'),
		length: r.headers.get('content-length'),
		bytes,
	};
}

/** Reads a response body chunk by chunk, counting bytes (nothing is kept). */
async function countBytes(
	res: Response,
	onChunk: (total: number) => void = () => {},
): Promise<number> {
	if (!res.body) return 0;
	const reader = res.body.getReader();
	let n = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return n;
		n += value.length;
		onChunk(n);
	}
}

beforeAll(async () => {
	emu = await startEmulator({
		jobDurationMs: { video: 150, image: 100, upscale: 100 },
		videoBytes: 300_000,
	});
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => {
	emu.reset();
	emu.setOptions({
		jobDurationMs: { video: 150, image: 100, upscale: 100 },
		jobTimeoutMs: 3_600_000,
		videoBytes: 300_000,
	});
});

// ============================================================================ auth, routing, paths

describe('auth and routing', () => {
	test('missing or wrong token → 401 Unauthorized', async () => {
		const none = await call('GET', '/accounts', undefined, { token: null });
		expect(none.status).toBe(401);
		expect(none.json).toEqual({ error: 'Unauthorized' });
		const wrong = await call('POST', '/videos', { prompt: 'x' }, { token: 'nope' });
		expect(wrong.status).toBe(401);
		expect(wrong.json).toEqual({ error: 'Unauthorized' });
		expect(emu.jobs.size).toBe(0);
	});

	test('unknown routes → 404 JSON', async () => {
		const r = await call('GET', '/nothing-here');
		expect(r.status).toBe(404);
		expect(typeof r.json.error).toBe('string');
		const outside = await call('GET', '/v2/other', undefined, { base: emu.origin });
		expect(outside.status).toBe(404);
	});

	test('percent-encoded path params are decoded and recorded', async () => {
		const r = await call('GET', `/accounts/${enc(US)}`);
		expect(r.status).toBe(200);
		expect(r.json.account).toBe(US);
		const rec = emu.requests[emu.requests.length - 1];
		expect(rec.path).toBe(`/v1/dreamina/accounts/${US}`);
		expect(rec.rawPath).toBe('/v1/dreamina/accounts/US%3Aus-user%40example.com');
		expect(rec.status).toBe(200);
		expect(rec.headers.authorization).toBe(`Bearer ${emu.token}`);
		// unencoded also works (the docs' curl examples send them raw)
		const raw = await call('GET', `/accounts/${US}`);
		expect(raw.status).toBe(200);
	});
});

// ============================================================================ accounts

describe('accounts', () => {
	test('GET /accounts lists the seeded accounts', async () => {
		const r = await call<Record<string, { sessionExpires: string; error?: string }>>(
			'GET',
			'/accounts',
		);
		expect(r.status).toBe(200);
		expect(Object.keys(r.json).sort()).toEqual([EXPIRED, CA, US].sort());
		expect(r.json[US]).toMatchObject({
			account: US,
			email: 'us-user@example.com',
			region: 'US',
			maxJobs: 10,
		});
		expect(typeof r.json[US].sessionExpires).toBe('string');
		expect(r.json[EXPIRED].error).toBe('Session expired');
	});

	test('GET /accounts/{account} has live models per region, credits, session', async () => {
		const us = await call('GET', `/accounts/${enc(US)}`);
		// US offers Seedance 2.0 and 2.0 Fast since 2026-04-17 (dreamina-changes-after-2026-04-03.md)
		expect(us.json.models.video.join()).toBe(
			'seedance-2.5,seedance-2.5-draft,seedance-2.0,seedance-2.0-fast,seedance-2.0-mini,happyhorse-1.1,seedance-1.5-pro,seedance-1.0-mini',
		);
		expect(us.json.models.image).toEqual([
			'seedream-5.0-lite',
			'seedream-4.6',
			'seedream-4.5',
			'seedream-4.1',
			'seedream-4.0',
			'nano-banana',
			'seedream-3.0',
		]);
		expect(us.json.credits).toMatchObject({ total: expect.any(Number), dailyClaimed: true });
		expect(us.json.session).toMatchObject({
			expires: expect.any(String),
			daysUntilExpiry: expect.any(Number),
		});
		const ca = await call('GET', `/accounts/${enc(CA)}`);
		expect(ca.json.models.video.join()).toBe(
			'seedance-2.5,seedance-2.5-draft,seedance-2.0,seedance-2.0-fast,seedance-2.0-mini,happyhorse-1.1,seedance-1.5-pro,seedance-1.0-pro,seedance-1.0-mini,seedance-1.0-fast,sora2',
		);
		const missing = await call('GET', `/accounts/${enc('US:nobody@example.com')}`);
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual({
			error: 'Unable to find configuration for account US:nobody@example.com',
		});
	});

	test('liveDataFails returns the summary only', async () => {
		emu.setOptions({
			accounts: [{ email: 'flaky@example.com', region: 'US', liveDataFails: true }],
		});
		const r = await call('GET', `/accounts/${enc('US:flaky@example.com')}`);
		expect(r.status).toBe(200);
		expect(r.json.account).toBe('US:flaky@example.com');
		expect(r.json.models).toBeUndefined();
		expect(r.json.credits).toBeUndefined();
		expect(r.json.session).toBeUndefined();
	});

	test('POST /accounts validates, logs in, DELETE removes', async () => {
		expect((await call('POST', '/accounts', {})).json).toEqual({
			error: 'Parameter email is required',
		});
		expect((await call('POST', '/accounts', { email: 'a@b.c', region: 'US' })).json).toEqual({
			error: 'Parameter password is required',
		});
		expect((await call('POST', '/accounts', { email: 'a@b.c', password: 'p' })).json).toEqual({
			error: 'Parameter region is required',
		});
		const eu = await call('POST', '/accounts', { email: 'a@b.c', password: 'p', region: 'EU' });
		expect(eu.status).toBe(400);
		expect(eu.json.error).toBe('Parameter region (EU) valid values: US, CA');
		expect(
			(
				await call('POST', '/accounts', {
					email: 'a@b.c',
					password: 'p',
					region: 'US',
					maxJobs: 51,
				})
			).status,
		).toBe(400);
		const wrong = await call('POST', '/accounts', {
			email: 'a@b.c',
			password: 'wrong',
			region: 'US',
		});
		expect(wrong.status).toBe(500);
		expect(wrong.json).toEqual({ error: 'Login failed: invalid credentials' });

		const ok = await call('POST', '/accounts', {
			email: 'new@example.com',
			password: 'secret',
			region: 'CA',
			maxJobs: 3,
		});
		expect(ok.status).toBe(200);
		expect(ok.json).toMatchObject({ account: 'CA:new@example.com', region: 'CA', maxJobs: 3 });
		expect(ok.json.models.video).toContain('seedance-2.0');
		expect(Object.keys((await call('GET', '/accounts')).json)).toContain('CA:new@example.com');

		const del = await call('DELETE', `/accounts/${enc('CA:new@example.com')}`);
		expect(del.json).toEqual({ account: 'CA:new@example.com', deleted: true, remaining: 3 });
		expect((await call('DELETE', `/accounts/${enc('CA:new@example.com')}`)).status).toBe(404);
	});
});

// ============================================================================ uploads

describe('POST /assets/{account}', () => {
	test('PNG, JPEG and WebP dimensions and assetRef format', async () => {
		const png = makePng(300, 200);
		const a = await uploadOk(US, png, 'image/png');
		expect(a).toEqual({
			assetRef: expect.stringMatching(
				new RegExp(`^US:us-user@example\\.com-image:w300:h200:s${png.length}-uri:.+`),
			),
			account: US,
			width: 300,
			height: 200,
			size: png.length,
		});
		expect(a.type).toBeUndefined();
		const jpg = await uploadOk(US, makeJpegHeader(640, 480, 5000), 'image/jpeg');
		expect([jpg.width, jpg.height, jpg.size]).toEqual([640, 480, 5000]);
		const webp = await uploadOk(CA, makeWebpHeader(500, 400), 'image/webp; charset=binary');
		expect([webp.width, webp.height]).toEqual([500, 400]);
		expect(webp.assetRef.startsWith(`${CA}-image:w500:h400:`)).toBe(true);
	});

	test('MP4 video: duration from mvhd, size from tkhd (moov first or last)', async () => {
		const mp4 = makeMp4({ durationMs: 5880, width: 1070, height: 1904, totalBytes: 100_000 });
		const v = await uploadOk(CA, mp4, 'video/mp4');
		expect(v).toEqual({
			assetRef: `${CA}-video:w1070:h1904:s100000:d5880-vid:${v.assetRef.split('-vid:')[1]}`,
			account: CA,
			type: 'video',
			width: 1070,
			height: 1904,
			duration: 5880,
			size: 100_000,
		});
		expect(v.assetRef).toMatch(/-vid:v\w+$/);
		// moov after a 1 MB mdat (streamed in many chunks)
		const ftyp = mp4.subarray(0, mp4.readUInt32BE(0));
		const moov = mp4.subarray(ftyp.length, ftyp.length + mp4.readUInt32BE(ftyp.length));
		expect(moov.toString('latin1', 4, 8)).toBe('moov');
		const mdat = Buffer.alloc(1024 * 1024 + 8);
		mdat.writeUInt32BE(mdat.length, 0);
		mdat.write('mdat', 4, 'latin1');
		const late = await uploadOk(CA, Buffer.concat([ftyp, mdat, moov]), 'video/quicktime');
		expect([late.width, late.height, late.duration]).toEqual([1070, 1904, 5880]);
	});

	test('unparseable media falls back to defaults', async () => {
		const v = await uploadOk(CA, Buffer.alloc(4000, 7), 'video/webm');
		expect([v.width, v.height, v.duration]).toEqual([1280, 720, 5000]);
		const au = await uploadOk(CA, Buffer.alloc(4000, 7), 'audio/aac');
		expect(au.duration).toBe(5000);
	});

	test('WAV audio duration and audio assetRef format', async () => {
		const wav = makeWav(3000);
		const a = await uploadOk(CA, wav, 'audio/wav');
		expect(a).toMatchObject({ account: CA, type: 'audio', duration: 3000, size: wav.length });
		expect(a.width).toBeUndefined();
		expect(a.assetRef).toMatch(
			new RegExp(`^CA:ca-user@example\\.com-audio:w\\d+:h\\d+:s${wav.length}:d3000-vid:v\\w+$`),
		);
	});

	test('validation: type, empty, size, duration, resolution', async () => {
		const bmp = await upload(US, Buffer.from('BM....'), 'image/bmp');
		expect(bmp.status).toBe(400);
		expect(bmp.json.error).toBe(
			'Content-Type (image/bmp) not supported. Valid values: image/jpeg, image/png, image/webp, video/mp4, video/quicktime, video/webm, audio/mpeg, audio/mp3, audio/wav, audio/x-wav, audio/mp4, audio/aac',
		);
		const empty = await upload(US, Buffer.alloc(0), 'image/png');
		expect(empty.json).toEqual({ error: 'Content is empty' });
		const bigImg = await upload(
			US,
			makeJpegHeader(100, 100, Math.round(10.5 * 1024 * 1024)),
			'image/jpeg',
		);
		expect(bigImg.status).toBe(400);
		expect(bigImg.json.error).toBe('image exceeds 10MB limit (10.5MB)');
		const bigVideo = makeMp4({
			durationMs: 5000,
			width: 1280,
			height: 720,
			totalBytes: Math.round(52.1 * 1024 * 1024),
		});
		const bv = await upload(CA, bigVideo, 'video/mp4');
		expect(bv.status).toBe(400);
		expect(bv.json.error).toBe('video exceeds 50MB limit (52.1MB)');
		const longAudio = await upload(CA, makeWav(31_000), 'audio/x-wav');
		expect(longAudio.json).toEqual({ error: 'Audio duration 31.0s exceeds 30.2s limit' });
		const shortVideo = await upload(
			CA,
			makeMp4({ durationMs: 1000, width: 640, height: 360 }),
			'video/mp4',
		);
		expect(shortVideo.status).toBe(400);
		expect(shortVideo.json.error).toMatch(/Video duration 1\.0s/);
		const tiny = await upload(
			CA,
			makeMp4({ durationMs: 4000, width: 100, height: 100 }),
			'video/mp4',
		);
		expect(tiny.status).toBe(400);
		expect(tiny.json.error).toMatch(/100x100/);
		const unknown = await upload('US:nobody@example.com', makePng(10, 10), 'image/png');
		expect(unknown.status).toBe(404);
		const expired = await upload(EXPIRED, makePng(10, 10), 'image/png');
		expect(expired.status).toBe(596);
		expect(expired.json).toEqual({ error: 'Session expired' });
		const rec = emu.requests.find((r) => r.status === 400 && r.bodyBytes === bigVideo.length);
		expect(rec?.body).toBeUndefined();
	});
});

// ============================================================================ videos

describe('POST /videos', () => {
	test('prompt mode: job record shape, defaults per region', async () => {
		const r = await call('POST', '/videos', { prompt: 'A serene mountain', account: CA });
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({
			type: 'video',
			status: 'created',
			model: 'seedance-2.0',
			request: {
				prompt: 'A serene mountain',
				model: 'seedance-2.0',
				ratio: '16:9',
				duration: 5,
				inputMode: 'prompt',
			},
			response: { forecastCost: expect.any(Number) },
			code: 200,
		});
		expect(r.json.jobid).toMatch(JOBID_RE);
		expect(r.json.jobid).toContain(`v-u12345-${CA}-bot:dreamina`);
		expect(Date.parse(r.json.created)).not.toBeNaN();
		const us = await call('POST', '/videos', { prompt: 'x', account: US });
		expect(us.json.model).toBe('seedance-2.0');
	});

	test('lifecycle to completed, result files downloadable', async () => {
		const r = await call('POST', '/videos', {
			prompt: 'clouds',
			account: US,
			model: 'seedance-1.0-mini',
			resolution: '1080p',
			duration: 10,
		});
		expect(r.status).toBe(200);
		const done = await waitJob(r.json.jobid);
		expect(done.status).toBe('completed');
		expect(done.updated).toEqual(expect.any(String));
		expect(done.response).toMatchObject({
			assetId: expect.stringMatching(/^US:us-user@example\.com-\d+:\d+$/),
			videoUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/.+\.mp4$/),
			videoId: expect.any(String),
			coverUrl: expect.stringMatching(/^http:\/\//),
			width: 1920,
			height: 1080,
			durationMs: 10042,
			hasAudio: false,
			forecastCost: expect.any(Number),
			finishTime: expect.any(Number),
		});
		const mp4 = await download(done.response.videoUrl);
		expect(mp4.status).toBe(200);
		expect(mp4.type).toBe('video/mp4');
		expect(mp4.length).toBe('300000');
		expect(mp4.bytes.length).toBe(300_000);
		expect(mp4.bytes.toString('latin1', 4, 8)).toBe('ftyp');
		expect(mp4.bytes.includes(Buffer.from('mvhd'))).toBe(true);
		const part = await download(done.response.videoUrl, { Range: 'bytes=0-99' });
		expect(part.status).toBe(206);
		expect(part.bytes.length).toBe(100);
		const cover = await download(done.response.coverUrl);
		expect(cover.type).toBe('image/png');
		expect(cover.bytes.subarray(0, 8)).toEqual(PNG_SIG);
		// wrong kind / unknown
		expect((await call('GET', `/images/${enc(r.json.jobid)}`)).json).toEqual({
			error: 'Job not found',
		});
		expect(
			(await call('GET', `/videos/${enc('j0101010101010123456v-u12345-US:x@y.z-bot:dreamina')}`))
				.status,
		).toBe(404);
	});

	test('video size follows videoBytes (large sizes are streamed)', async () => {
		emu.setOptions({ videoBytes: 64 * 1024 * 1024 + 3 });
		const r = await call('POST', '/videos', { prompt: 'big', account: CA });
		const done = await waitJob(r.json.jobid);
		const res = await fetch(done.response.videoUrl);
		expect(res.headers.get('content-length')).toBe(String(64 * 1024 * 1024 + 3));
		expect(await countBytes(res)).toBe(64 * 1024 * 1024 + 3);
	});

	test('[fail:CODE] fails the job at completion with documented error', async () => {
		const r = await call('POST', '/videos', { prompt: 'bad [fail:2038]', account: CA });
		expect(r.json.status).toBe('created');
		const done = await waitJob(r.json.jobid);
		expect(done).toMatchObject({
			status: 'failed',
			error: 'fail_code: 2038',
			errorDetails: 'ContentFiltered',
			code: 2038,
		});
		expect(done.response).toBeUndefined();
		const r2 = await call('POST', '/videos', { prompt: 'risky [fail:2043]', account: CA });
		expect(await waitJob(r2.json.jobid)).toMatchObject({
			status: 'failed',
			error: 'fail_code: 2043',
			errorDetails: 'OutputVideoRisk',
			code: 2043,
		});
		const r3 = await call('POST', '/videos', { prompt: 'expired [fail:596]', account: CA });
		expect(await waitJob(r3.json.jobid)).toMatchObject({
			status: 'failed',
			error: 'Session expired',
			code: 596,
		});
	});

	test('[slow] never completes; timeout → 408; completeJob/failJob', async () => {
		const a = await call('POST', '/videos', { prompt: 'wait [slow]', account: CA });
		const b = await call('POST', '/videos', { prompt: 'wait [slow]', account: CA });
		await delay(400);
		expect((await call('GET', `/videos/${enc(a.json.jobid)}`)).json.status).toBe('created');
		emu.completeJob(a.json.jobid);
		expect((await call('GET', `/videos/${enc(a.json.jobid)}`)).json.status).toBe('completed');
		emu.failJob(b.json.jobid, 2057);
		expect((await call('GET', `/videos/${enc(b.json.jobid)}`)).json).toMatchObject({
			status: 'failed',
			code: 2057,
			error: 'fail_code: 2057',
		});
		expect(() => emu.completeJob(b.json.jobid)).toThrow();

		emu.setOptions({ jobTimeoutMs: 200 });
		const c = await call('POST', '/videos', { prompt: 'wait [slow]', account: CA });
		const done = await waitJob(c.json.jobid);
		expect(done).toMatchObject({ status: 'failed', code: 408, error: 'Generation timed out' });
	});

	test('first_frame and end_frame modes take the ratio from the images', async () => {
		const portrait = await uploadOk(CA, makePng(108, 192), 'image/png');
		const ff = await call('POST', '/videos', { prompt: 'walk', firstFrameRef: portrait.assetRef });
		expect(ff.status).toBe(200);
		expect(ff.json.jobid).toContain(CA); // account inferred from the ref
		expect(ff.json.request).toMatchObject({
			inputMode: 'first_frame',
			firstFrameRef: portrait.assetRef,
			model: 'seedance-2.0',
		});
		expect(ff.json.request.ratio).toBeUndefined();
		const done = await waitJob(ff.json.jobid);
		expect([done.response.width, done.response.height]).toEqual([720, 1280]);

		const withRatio = await call('POST', '/videos', {
			firstFrameRef: portrait.assetRef,
			ratio: '9:16',
		});
		expect(withRatio.status).toBe(400);
		expect(withRatio.json.error).toMatch(/ratio cannot be specified with image refs/);

		const wide1 = await uploadOk(CA, makePng(192, 108), 'image/png');
		const wide2 = await uploadOk(CA, makePng(128, 72), 'image/png');
		const square = await uploadOk(CA, makePng(500, 500), 'image/png');
		const ef = await call('POST', '/videos', {
			firstFrameRef: wide1.assetRef,
			endFrameRef: wide2.assetRef,
			model: 'seedance-1.5-pro',
			duration: 12,
		});
		expect(ef.status).toBe(200);
		expect(ef.json.request.inputMode).toBe('end_frame');
		const mismatch = await call('POST', '/videos', {
			firstFrameRef: wide1.assetRef,
			endFrameRef: square.assetRef,
		});
		expect(mismatch.status).toBe(400);
		expect(mismatch.json.error).toMatch(/same aspect ratio/);
		const endOnly = await call('POST', '/videos', { prompt: 'x', endFrameRef: wide1.assetRef });
		expect(endOnly.json.error).toBe('Parameter endFrameRef requires firstFrameRef');
		const noEnd = await call('POST', '/videos', {
			firstFrameRef: wide1.assetRef,
			endFrameRef: wide2.assetRef,
			model: 'seedance-1.0-pro',
		});
		expect(noEnd.status).toBe(400);
		expect(noEnd.json.error).toMatch(/does not support end_frame/);
	});

	test('multi_frame mode and its rules', async () => {
		const f = [];
		for (let i = 0; i < 4; i++)
			f.push((await uploadOk(US, makePng(128, 72, i), 'image/png')).assetRef);
		const ok = await call('POST', '/videos', {
			model: 'seedance-1.0-mini',
			frame_1_imageRef: f[0],
			frame_1_prompt: 'start',
			frame_2_imageRef: f[1],
			frame_3_imageRef: f[2],
		});
		expect(ok.status).toBe(200);
		expect(ok.json.request).toMatchObject({
			inputMode: 'multi_frame',
			duration: 10,
			frame_1_prompt: 'start',
			frame_3_imageRef: f[2],
		});
		expect(ok.json.jobid).toContain(US);

		const gap = await call('POST', '/videos', {
			model: 'seedance-1.0-mini',
			frame_1_imageRef: f[0],
			frame_3_imageRef: f[2],
		});
		expect(gap.json.error).toMatch(/contiguous.*frame_2_imageRef/);
		const withPrompt = await call('POST', '/videos', {
			model: 'seedance-1.0-mini',
			prompt: 'no',
			frame_1_imageRef: f[0],
			frame_2_imageRef: f[1],
		});
		expect(withPrompt.json.error).toMatch(/prompt cannot be used with multi_frame/);
		const one = await call('POST', '/videos', {
			model: 'seedance-1.0-mini',
			frame_1_imageRef: f[0],
		});
		expect(one.json.error).toMatch(/2-10 frames/);
		const badSum = await call('POST', '/videos', {
			model: 'seedance-1.0-mini',
			frame_1_imageRef: f[0],
			frame_1_duration: 3,
			frame_2_imageRef: f[1],
		});
		expect(badSum.json.error).toMatch(/non-last frames \(3s\)/);
		const badDur = await call('POST', '/videos', {
			model: 'seedance-1.0-mini',
			frame_1_imageRef: f[0],
			frame_1_duration: 7,
			frame_2_imageRef: f[1],
		});
		expect(badDur.json.error).toBe('Parameter frame_1_duration (7) valid values: 1-6');
		const sumOk = await call('POST', '/videos', {
			model: 'seedance-1.0-mini',
			frame_1_imageRef: f[0],
			frame_1_duration: 2,
			frame_2_imageRef: f[1],
			frame_2_duration: 3,
			frame_3_imageRef: f[2],
			frame_3_duration: 6,
		});
		expect(sumOk.status).toBe(200);
		expect(sumOk.json.request.duration).toBe(5);
		const wrongModel = await call('POST', '/videos', {
			model: 'seedance-1.5-pro',
			frame_1_imageRef: f[0],
			frame_2_imageRef: f[1],
		});
		expect(wrongModel.json.error).toMatch(/does not support multi_frame/);
		const mixed = await call('POST', '/videos', {
			model: 'seedance-1.0-mini',
			firstFrameRef: f[3],
			frame_1_imageRef: f[0],
			frame_2_imageRef: f[1],
		});
		expect(mixed.status).toBe(400);
		const withRatio = await call('POST', '/videos', {
			model: 'seedance-1.0-mini',
			ratio: '16:9',
			frame_1_imageRef: f[0],
			frame_2_imageRef: f[1],
		});
		expect(withRatio.json.error).toMatch(/ratio cannot be specified/);
	});

	test('omni reference (unified_edit) mode and its rules', async () => {
		const img = (await uploadOk(CA, makePng(640, 360), 'image/png')).assetRef;
		const vid = (
			await uploadOk(CA, makeMp4({ durationMs: 6000, width: 1280, height: 720 }), 'video/mp4')
		).assetRef;
		const vid2 = (
			await uploadOk(CA, makeMp4({ durationMs: 6000, width: 1280, height: 720 }), 'video/mp4')
		).assetRef;
		const vid3 = (
			await uploadOk(CA, makeMp4({ durationMs: 6000, width: 1280, height: 720 }), 'video/mp4')
		).assetRef;
		const aud = (await uploadOk(CA, makeWav(4000), 'audio/wav')).assetRef;
		const ok = await call('POST', '/videos', {
			prompt: '@image1 dances like @video1 while @audio1 plays',
			ratio: '16:9',
			duration: 4,
			omni_1_imageRef: img,
			omni_1_videoRef: vid,
			omni_1_audioRef: aud,
			replyRef: 'omni',
		});
		expect(ok.status).toBe(200);
		expect(ok.json.model).toBe('seedance-2.0');
		expect(ok.json.request).toMatchObject({
			inputMode: 'unified_edit',
			ratio: '16:9',
			duration: 4,
			omni_1_imageRef: img,
			omni_1_videoRef: vid,
			omni_1_audioRef: aud,
			replyRef: 'omni',
		});

		const missing = await call('POST', '/videos', {
			prompt: '@image1 only',
			omni_1_imageRef: img,
			omni_1_audioRef: aud,
		});
		expect(missing.json.error).toMatch(/@audio1/);
		const extra = await call('POST', '/videos', {
			prompt: '@image1 and @image2',
			omni_1_imageRef: img,
		});
		expect(extra.json.error).toMatch(/@image2/);
		const tooLong = await call('POST', '/videos', {
			prompt: '@video1 @video2 @video3',
			omni_1_videoRef: vid,
			omni_2_videoRef: vid2,
			omni_3_videoRef: vid3,
		});
		expect(tooLong.json.error).toMatch(/Total video duration.*18\.0s.*15\.4s/);
		const fourth = await call('POST', '/videos', { prompt: '@video4', omni_4_videoRef: vid });
		expect(fourth.json.error).toMatch(/maximum 3 video/);
		const wrongKind = await call('POST', '/videos', { prompt: '@video1', omni_1_videoRef: img });
		expect(wrongKind.json.error).toMatch(/must be a video assetRef/);
		const sora = await call('POST', '/videos', {
			prompt: '@image1',
			model: 'sora2',
			omni_1_imageRef: img,
		});
		expect(sora.json.error).toMatch(/does not support unified_edit/);
		const withFrame = await call('POST', '/videos', {
			prompt: '@image1',
			omni_1_imageRef: img,
			firstFrameRef: img,
		});
		expect(withFrame.json.error).toMatch(/cannot be combined/);
	});

	test('model, duration, resolution, ratio, prompt validation', async () => {
		const unknownModel = await call('POST', '/videos', { prompt: 'x', model: 'invalid-model' });
		expect(unknownModel.status).toBe(400);
		expect(unknownModel.json.error).toBe(
			'Parameter model (invalid-model) valid values: seedance-2.5, seedance-2.5-draft, seedance-2.0, seedance-2.0-fast, seedance-2.0-mini, happyhorse-1.1, seedance-1.5-pro, seedance-1.0-mini, seedance-1.0-pro, seedance-1.0-fast, sora2',
		);
		const region = await call('POST', '/videos', { prompt: 'x', model: 'sora2', account: US });
		expect(region.status).toBe(400);
		expect(region.json.error).toBe(
			`Parameter model (sora2) is not available for account ${US} (region US), valid values: seedance-2.5, seedance-2.5-draft, seedance-2.0, seedance-2.0-fast, seedance-2.0-mini, happyhorse-1.1, seedance-1.5-pro, seedance-1.0-mini`,
		);
		expect(
			(
				await call('POST', '/videos', {
					prompt: 'x',
					model: 'seedance-1.0-pro',
					resolution: '720p',
					account: CA,
				})
			).status,
		).toBe(400);
		const pro = await call('POST', '/videos', {
			prompt: 'x',
			model: 'seedance-1.0-pro',
			account: CA,
		});
		expect(pro.status).toBe(200);
		expect((await waitJob(pro.json.jobid)).response.height).toBe(1080);
		expect(
			(
				await call('POST', '/videos', {
					prompt: 'x',
					model: 'seedance-2.0-fast',
					resolution: '1080p',
					account: CA,
				})
			).json.error,
		).toBe('Parameter resolution (1080p) valid values for seedance-2.0-fast in region CA: 720p');
		expect(
			(
				await call('POST', '/videos', {
					prompt: 'x',
					model: 'seedance-2.0',
					resolution: '4k',
					account: US,
				})
			).json.error,
		).toBe('Parameter resolution (4k) valid values for seedance-2.0 in region US: 720p');
		const soraDur = await call('POST', '/videos', {
			prompt: 'x',
			model: 'sora2',
			duration: 5,
			account: CA,
		});
		expect(soraDur.json.error).toBe('Parameter duration (5) valid values for sora2: 4, 8, 12');
		expect(
			(await call('POST', '/videos', { prompt: 'x', model: 'sora2', duration: 8, account: CA }))
				.status,
		).toBe(200);
		expect(
			(
				await call('POST', '/videos', {
					prompt: 'x',
					model: 'seedance-2.0',
					duration: 15,
					account: CA,
				})
			).status,
		).toBe(200);
		expect(
			(
				await call('POST', '/videos', {
					prompt: 'x',
					model: 'seedance-2.0',
					duration: 16,
					account: CA,
				})
			).json.error,
		).toMatch(/4-15/);
		expect(
			(
				await call('POST', '/videos', {
					prompt: 'x',
					model: 'seedance-1.5-pro',
					duration: 8,
					account: US,
				})
			).json.error,
		).toMatch(/5, 10, 12/);
		expect(
			(await call('POST', '/videos', { prompt: 'x', ratio: '2:3', account: CA })).json.error,
		).toBe('Parameter ratio (2:3) valid values: 21:9, 16:9, 4:3, 1:1, 3:4, 9:16, 4:5, 5:4, 9:21');
		expect((await call('POST', '/videos', { account: CA })).json.error).toBe(
			'Parameter prompt is required',
		);
		expect(
			(await call('POST', '/videos', { prompt: 'x'.repeat(5001), account: CA })).json.error,
		).toMatch(/5000/);
		expect((await call('POST', '/videos', { prompt: 'x'.repeat(5000), account: CA })).status).toBe(
			200,
		);
		expect(
			(await call('POST', '/videos', { prompt: 'x', maxJobs: 0, account: CA })).json.error,
		).toBe('Parameter maxJobs (0) valid values: 1-50');
		expect(
			(await call('POST', '/videos', { prompt: 'x', replyUrl: 'not a url', account: CA })).status,
		).toBe(400);
	});

	test('region limits of 2026-04-17: Seedance 2.0 on US at 720p, 1080p on CA only', async () => {
		const us720 = await call('POST', '/videos', {
			prompt: 'a US clip',
			model: 'seedance-2.0',
			resolution: '720p',
			account: US,
		});
		expect(us720.status).toBe(200);
		expect(us720.json).toMatchObject({ model: 'seedance-2.0', status: 'created' });
		const usFast = await call('POST', '/videos', {
			prompt: 'fast',
			model: 'seedance-2.0-fast',
			account: US,
		});
		expect(usFast.status).toBe(200);
		const ca1080 = await call('POST', '/videos', {
			prompt: 'a CA clip',
			model: 'seedance-2.0',
			resolution: '1080p',
			account: CA,
		});
		expect(ca1080.status).toBe(200);
		expect(ca1080.json.request).toMatchObject({ model: 'seedance-2.0', resolution: '1080p' });
		const us = await waitJob(us720.json.jobid);
		expect(us.status).toBe('completed');
		expect([us.response.width, us.response.height]).toEqual([1280, 720]);
		const ca = await waitJob(ca1080.json.jobid);
		expect(ca.status).toBe('completed');
		expect([ca.response.width, ca.response.height]).toEqual([1920, 1080]);

		// a resolution the model does not take in the account's region
		const us1080 = await call('POST', '/videos', {
			prompt: 'x',
			model: 'seedance-2.0',
			resolution: '1080p',
			account: US,
		});
		expect(us1080.status).toBe(400);
		expect(us1080.json.error).toBe(
			'Parameter resolution (1080p) valid values for seedance-2.0 in region US: 720p',
		);
		// without an account, 1080p Seedance 2.0 goes to a CA account
		const picked = await call('POST', '/videos', {
			prompt: 'x',
			model: 'seedance-2.0',
			resolution: '1080p',
		});
		expect(picked.status).toBe(200);
		expect(picked.json.jobid).toContain(CA);
		// a duration the model does not take
		const dur = await call('POST', '/videos', {
			prompt: 'x',
			model: 'seedance-2.0',
			duration: 3,
			account: US,
		});
		expect(dur.json.error).toBe('Parameter duration (3) valid values for seedance-2.0: 4-15');
		// a mode the model does not support, with the account's models that do
		const first = await uploadOk(US, makePng(192, 108), 'image/png');
		const last = await uploadOk(US, makePng(192, 108, 1), 'image/png');
		const mode = await call('POST', '/videos', {
			firstFrameRef: first.assetRef,
			endFrameRef: last.assetRef,
			model: 'seedance-1.0-mini',
		});
		expect(mode.status).toBe(400);
		expect(mode.json.error).toBe(
			`Parameter model (seedance-1.0-mini) does not support end_frame mode, valid values for end_frame on account ${US}: seedance-2.5, seedance-2.5-draft, seedance-2.0, seedance-2.0-fast, seedance-2.0-mini, happyhorse-1.1, seedance-1.5-pro`,
		);
		// a model the account does not offer
		const notOffered = await call('POST', '/videos', {
			prompt: 'x',
			model: 'seedance-1.0-fast',
			account: US,
		});
		expect(notOffered.json.error).toMatch(
			/^Parameter model \(seedance-1\.0-fast\) is not available for account US:us-user@example\.com \(region US\)/,
		);
		expect(emu.jobs.size).toBe(4);
	});

	test('accounts: inferred from refs, mixed refs, unknown refs, unknown/expired account', async () => {
		const usImg = (await uploadOk(US, makePng(640, 360), 'image/png')).assetRef;
		const caImg = (await uploadOk(CA, makePng(640, 360), 'image/png')).assetRef;
		const mixed = await call('POST', '/videos', {
			firstFrameRef: usImg,
			endFrameRef: caImg,
			model: 'seedance-1.5-pro',
		});
		expect(mixed.status).toBe(400);
		expect(mixed.json.error).toMatch(/same account/);
		const mismatch = await call('POST', '/videos', { firstFrameRef: usImg, account: CA });
		expect(mismatch.status).toBe(400);
		const fake = `${US}-image:w640:h360:s1234-uri:tos-fake/abc`;
		const unknownRef = await call('POST', '/videos', { firstFrameRef: fake });
		expect(unknownRef.status).toBe(400);
		expect(unknownRef.json.error).toMatch(/not found/);
		const garbage = await call('POST', '/videos', { firstFrameRef: 'hello' });
		expect(garbage.json.error).toBe('Parameter firstFrameRef (hello) is not a valid assetRef');
		const unknownAccount = await call('POST', '/videos', {
			prompt: 'x',
			account: 'US:nobody@example.com',
		});
		expect(unknownAccount.status).toBe(404);
		expect(unknownAccount.json).toEqual({
			error: 'Unable to find configuration for account US:nobody@example.com',
		});
		const expired = await call('POST', '/videos', { prompt: 'x', account: EXPIRED });
		expect(expired.status).toBe(596);
		expect(expired.json).toEqual({ error: 'Session expired' });
		expect(emu.jobs.size).toBe(0);
	});

	test('multipart/form-data bodies are accepted', async () => {
		const form = new FormData();
		form.append('prompt', 'from a form');
		form.append('duration', '10');
		form.append('account', US);
		const r = await fetch(`${emu.baseUrl}/videos`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${emu.token}` },
			body: form,
		});
		const j = (await r.json()) as Answer;
		expect(r.status).toBe(200);
		expect(j.request).toMatchObject({
			prompt: 'from a form',
			duration: 10,
			model: 'seedance-2.0',
		});
	});
});

// ============================================================================ capacity

describe('capacity', () => {
	test('explicit account at capacity → 429 and nothing created; maxConcurrent tracked', async () => {
		for (let i = 0; i < 10; i++)
			expect((await call('POST', '/videos', { prompt: '[slow]', account: US })).status).toBe(200);
		const full = await call('POST', '/videos', { prompt: '[slow]', account: US });
		expect(full.status).toBe(429);
		expect(full.json).toEqual({ error: 'All accounts at capacity' });
		expect(emu.jobs.size).toBe(10);
		expect(emu.maxConcurrent[US]).toBe(10);
		// maxJobs overrides the account's concurrency for the request
		expect(
			(await call('POST', '/videos', { prompt: '[slow]', account: US, maxJobs: 11 })).status,
		).toBe(200);
		expect(
			(await call('POST', '/videos', { prompt: '[slow]', account: US, maxJobs: 5 })).status,
		).toBe(429);
		expect(emu.maxConcurrent[US]).toBe(11);
	});

	test('auto-selected account: random with capacity, never expired; 429 when none', async () => {
		const a = await call('POST', '/videos', {
			prompt: '[slow]',
			model: 'seedance-1.5-pro',
			maxJobs: 1,
		});
		const b = await call('POST', '/videos', {
			prompt: '[slow]',
			model: 'seedance-1.5-pro',
			maxJobs: 1,
		});
		expect([a.status, b.status]).toEqual([200, 200]);
		const used = [a.json.jobid, b.json.jobid].map((j: string) => (j.includes(US) ? US : CA)).sort();
		expect(used).toEqual([CA, US].sort());
		const c = await call('POST', '/videos', {
			prompt: '[slow]',
			model: 'seedance-1.5-pro',
			maxJobs: 1,
		});
		expect(c.status).toBe(429);
		// sora2 only exists on CA accounts
		const d = await call('POST', '/videos', {
			prompt: '[slow]',
			model: 'sora2',
			maxJobs: 2,
		});
		expect(d.status).toBe(200);
		expect(d.json.jobid).toContain(CA);
	});

	test('images and upscale respect capacity too', async () => {
		expect(
			(await call('POST', '/images', { prompt: '[slow]', account: US, maxJobs: 1 })).status,
		).toBe(200);
		expect(
			(await call('POST', '/images', { prompt: '[slow]', account: US, maxJobs: 1 })).status,
		).toBe(429);
	});
});

// ============================================================================ callbacks

describe('replyUrl callbacks', () => {
	test('POSTed on submission and completion with replyRef', async () => {
		const target = await startReceiver();
		const url = target.url;
		const received = target.received as Array<{
			headers: Record<string, string | string[] | undefined>;
			body: Answer & { request: { replyRef?: string } };
		}>;
		try {
			const r = await call('POST', '/videos', {
				prompt: 'hook',
				account: CA,
				replyUrl: url,
				replyRef: 'my-ref-123',
			});
			expect(r.json.request).toMatchObject({ replyUrl: url, replyRef: 'my-ref-123' });
			// the emulator records a callback once its answer is in, just after the receiver has it
			await until(() => received.length >= 2 && emu.callbacks.length >= 2);
			expect(received[0].body).toMatchObject({
				jobid: r.json.jobid,
				status: 'created',
				request: { replyRef: 'my-ref-123' },
			});
			expect(received[0].headers['content-type']).toMatch(/application\/json/);
			expect(received[1].body).toMatchObject({
				jobid: r.json.jobid,
				status: 'completed',
				request: { replyRef: 'my-ref-123' },
			});
			expect(received[1].body.response.videoUrl).toEqual(expect.any(String));
			expect(emu.callbacks.map((c) => [c.url, c.status])).toEqual([
				[url, 200],
				[url, 200],
			]);

			const f = await call('POST', '/images', {
				prompt: 'bad [fail:2038]',
				account: US,
				replyUrl: url,
			});
			await until(() => received.length >= 4);
			expect(received[3].body).toMatchObject({ jobid: f.json.jobid, status: 'failed', code: 2038 });
		} finally {
			await target.close();
		}
	});

	test('an unreachable callback target does not break the job', async () => {
		const r = await call('POST', '/videos', {
			prompt: 'hook',
			account: CA,
			replyUrl: 'http://127.0.0.1:1/none',
		});
		const done = await waitJob(r.json.jobid);
		expect(done.status).toBe('completed');
		await until(() => emu.callbacks.length >= 2);
		expect(emu.callbacks.every((c) => c.status === 'error')).toBe(true);
	});

	test('each attempt is recorded: url, jobid, job status, HTTP answer, latency; no retry', async () => {
		const target = await startReceiver(async () => {
			await delay(40);
			return 503;
		});
		try {
			const r = await call('POST', '/videos', {
				prompt: 'records',
				account: CA,
				replyUrl: target.url,
			});
			await waitJob(r.json.jobid);
			await until(() => emu.callbacks.length >= 2);
			await delay(300); // a retry, if there were one, would come 100 ms after a failure
			expect(target.received).toHaveLength(2);
			expect(emu.callbacks).toHaveLength(2);
			expect(emu.callbacks.map((c) => [c.url, c.jobid, c.jobStatus, c.status, c.attempt])).toEqual([
				[target.url, r.json.jobid, 'created', 503, 1],
				[target.url, r.json.jobid, 'completed', 503, 1],
			]);
			for (const c of emu.callbacks) {
				expect(c.latencyMs).toBeGreaterThanOrEqual(35);
				expect(c.latencyMs).toBeLessThan(3000);
				expect(c.time - c.sentAt).toBeGreaterThanOrEqual(Math.floor(c.latencyMs) - 5);
			}
			// callbackRetries adds attempts, numbered
			emu.setOptions({ callbackRetries: 1 });
			const again = await call('POST', '/videos', {
				prompt: '[slow]',
				account: CA,
				replyUrl: target.url,
			});
			await until(() => emu.callbacks.length >= 4);
			expect(emu.callbacks.slice(2).map((c) => [c.jobid, c.attempt])).toEqual([
				[again.json.jobid, 1],
				[again.json.jobid, 2],
			]);
		} finally {
			await target.close();
		}
	});

	test('one attempt waits 10 s at most, like the real API', async () => {
		const target = await startReceiver(async (body) => {
			const slow = (body as Answer).request.replyRef === 'past-the-limit';
			await delay(slow ? 11_000 : 6_000);
			return 200;
		});
		try {
			const send = (replyRef: string) =>
				call('POST', '/videos', {
					prompt: '[slow]',
					account: CA,
					replyUrl: target.url,
					replyRef,
				});
			const within = await send('within-the-limit');
			const past = await send('past-the-limit');
			await until(() => emu.callbacks.length >= 2, 15_000);
			const byJob = (jobid: string) => emu.callbacks.find((c) => c.jobid === jobid);
			expect(byJob(within.json.jobid)).toMatchObject({ status: 200, jobStatus: 'created' });
			expect(byJob(within.json.jobid)?.latencyMs).toBeGreaterThanOrEqual(5_900);
			expect(byJob(past.json.jobid)).toMatchObject({ status: 'timeout', jobStatus: 'created' });
			const waited = byJob(past.json.jobid)?.latencyMs ?? 0;
			expect(waited).toBeGreaterThanOrEqual(9_900);
			expect(waited).toBeLessThan(11_000);
			// a shorter limit for tests
			emu.setOptions({ callbackTimeoutMs: 200 });
			const short = await send('within-the-limit');
			await until(() => emu.callbacks.some((c) => c.jobid === short.json.jobid), 5_000);
			expect(byJob(short.json.jobid)).toMatchObject({ status: 'timeout' });
		} finally {
			await target.close();
		}
	}, 30_000);
});

// ============================================================================ images + upscale

describe('images', () => {
	test('generate → 4 PNG images whose assetRefs are reusable', async () => {
		const r = await call('POST', '/images', { prompt: 'aurora', account: US });
		expect(r.status).toBe(200);
		expect(r.json).toMatchObject({
			type: 'image',
			status: 'created',
			model: 'seedream-4.0',
			request: {
				prompt: 'aurora',
				model: 'seedream-4.0',
				ratio: 'auto',
				resolution: '2k',
				inputMode: 'generate',
			},
			response: { forecastCost: 0 },
			code: 200,
		});
		expect(r.json.jobid).toMatch(/i-u12345-US:us-user@example\.com-bot:dreamina$/);
		const done = await waitJob(r.json.jobid, 'images');
		expect(done.status).toBe('completed');
		expect(done.response.images).toHaveLength(4);
		expect(done.response.historyRecordId).toEqual(expect.any(String));
		for (const img of done.response.images) {
			expect(img).toMatchObject({
				imageUrl: expect.stringMatching(/\/files\/.+\.png$/),
				imageUri: expect.any(String),
				width: 2048,
				height: 2048,
				format: 'png',
				assetId: expect.stringMatching(/^US:us-user@example\.com-\d+:\d+$/),
				assetRef: expect.stringMatching(/^US:us-user@example\.com-image:w2048:h2048:s\d+-uri:/),
				itemId: expect.any(String),
			});
		}
		const file = await download(done.response.images[0].imageUrl);
		expect(file.type).toBe('image/png');
		expect(file.bytes.subarray(0, 8)).toEqual(PNG_SIG);
		expect(file.bytes.length).toBe(Number(file.length));
		expect((await call('GET', `/videos/${enc(r.json.jobid)}`)).status).toBe(404);

		const again = await call('POST', '/images', {
			imageRef_1: done.response.images[0].assetRef,
			model: 'seedream-4.5',
			resolution: '4k',
			ratio: '16:9',
		});
		expect(again.status).toBe(200);
		expect(again.json.request).toMatchObject({
			inputMode: 'reference',
			imageRef_1: done.response.images[0].assetRef,
		});
		expect(again.json.jobid).toContain(US);
		const vid = await call('POST', '/videos', { firstFrameRef: done.response.images[1].assetRef });
		expect(vid.status).toBe(200);
	});

	test('validation per model', async () => {
		const ref = (await uploadOk(US, makePng(100, 100), 'image/png')).assetRef;
		const ref2 = (await uploadOk(US, makePng(100, 100, 2), 'image/png')).assetRef;
		expect(
			(await call('POST', '/images', { model: 'nano-banana', imageRef_1: ref })).json.error,
		).toMatch(/prompt is required/);
		expect((await call('POST', '/images', { model: 'seedream-4.0', imageRef_1: ref })).status).toBe(
			200,
		);
		expect((await call('POST', '/images', { account: US })).json.error).toMatch(
			/prompt is required/,
		);
		expect(
			(
				await call('POST', '/images', {
					prompt: 'x',
					model: 'seedream-3.0',
					ratio: 'auto',
					account: US,
				})
			).status,
		).toBe(400);
		expect(
			(
				await call('POST', '/images', {
					prompt: 'x',
					model: 'seedream-3.0',
					imageRef_1: ref,
					imageRef_2: ref2,
				})
			).json.error,
		).toMatch(/at most 1/);
		expect(
			(
				await call('POST', '/images', {
					prompt: 'x',
					model: 'nano-banana',
					resolution: '2k',
					account: US,
				})
			).status,
		).toBe(400);
		expect((await call('POST', '/images', { prompt: 'x', imageRef_2: ref })).json.error).toMatch(
			/contiguous/,
		);
		expect(
			(await call('POST', '/images', { prompt: 'x'.repeat(1601), account: US })).json.error,
		).toMatch(/1600/);
		expect(
			(await call('POST', '/images', { prompt: 'x', ratio: '5:4', account: US })).json.error,
		).toBe('Parameter ratio (5:4) valid values: auto, 1:1, 3:4, 16:9, 4:3, 9:16, 2:3, 3:2, 21:9');
		expect(
			(await call('POST', '/images', { prompt: 'x', imageStrength: 1.5, imageRef_1: ref })).json
				.error,
		).toMatch(/imageStrength/);
		expect((await call('POST', '/images', { prompt: 'x', model: 'dall-e' })).json.error).toMatch(
			/^Parameter model \(dall-e\) valid values: seedream-5.0-lite/,
		);
		const s3 = await call('POST', '/images', { prompt: 'x', model: 'seedream-3.0', account: CA });
		expect(s3.json.request).toMatchObject({ ratio: '1:1', resolution: '1k' });
	});

	test('upscale', async () => {
		expect((await call('POST', '/images/upscale', {})).json).toEqual({
			error: 'Parameter jobid is required',
		});
		const missing = await call('POST', '/images/upscale', {
			jobid: 'j0302140530123456789i-u12345-US:x@y.z-bot:dreamina',
		});
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual({ error: 'Source image job not found' });
		const src = await call('POST', '/images', { prompt: 'cat', account: US, ratio: '1:1' });
		const early = await call('POST', '/images/upscale', { jobid: src.json.jobid });
		expect(early.status).toBe(400);
		expect(early.json).toEqual({ error: 'Source image job is created, must be completed' });
		await waitJob(src.json.jobid, 'images');
		expect(
			(await call('POST', '/images/upscale', { jobid: src.json.jobid, imageIndex: 4 })).status,
		).toBe(400);
		expect(
			(await call('POST', '/images/upscale', { jobid: src.json.jobid, upscaleResolution: '16k' }))
				.status,
		).toBe(400);
		expect(
			(await call('POST', '/images/upscale', { jobid: src.json.jobid, detailStrength: 2 })).status,
		).toBe(400);
		const up = await call('POST', '/images/upscale', {
			jobid: src.json.jobid,
			imageIndex: 2,
			originalImageStrength: 0.65,
		});
		expect(up.status).toBe(200);
		expect(up.json).toMatchObject({
			type: 'upscale',
			status: 'created',
			model: 'seedream-4.0',
			request: {
				jobid: src.json.jobid,
				imageIndex: 2,
				resolution: '4k',
				originalImageStrength: 0.65,
			},
		});
		expect(up.json.jobid).toMatch(/I-u12345-US:us-user@example\.com-bot:dreamina$/);
		const done = await waitJob(up.json.jobid, 'images');
		expect(done.type).toBe('upscale');
		expect(done.response.images).toHaveLength(1);
		expect(done.response.images[0]).toMatchObject({ width: 4096, height: 4096, format: 'png' });
		const vsrc = await call('POST', '/videos', { prompt: 'x', account: US });
		expect((await call('POST', '/images/upscale', { jobid: vsrc.json.jobid })).status).toBe(404);
	});
});

// ============================================================================ history

describe('GET /assets/{account} history and DELETE /assets/{assetId}', () => {
	test('paging over 25 seeded assets', async () => {
		const p1 = await call('GET', `/assets/${enc(US)}?count=10`);
		expect(p1.status).toBe(200);
		expect(p1.json.assets).toHaveLength(10);
		expect(p1.json).toMatchObject({ hasMore: true, nextOffset: 10, account: US });
		const p3 = await call('GET', `/assets/${enc(US)}?count=10&offset=20`);
		expect(p3.json.assets).toHaveLength(5);
		expect(p3.json.hasMore).toBe(false);
		const def = await call('GET', `/assets/${enc(US)}`);
		expect(def.json.assets).toHaveLength(20);
		const ids = new Set([...p1.json.assets, ...p3.json.assets].map((a) => a.assetId));
		expect(ids.size).toBe(15);
		const image = p1.json.assets.find((a) => a.type === 'image');
		expect(image).toMatchObject({
			assetRef: expect.stringMatching(/^US:us-user@example\.com-image:/),
			imageUrl: expect.any(String),
			width: expect.any(Number),
		});
		const video = p1.json.assets.find((a) => a.type === 'video');
		expect(video?.assetRef).toBeUndefined();
		expect(video?.videoUrl).toEqual(expect.any(String));
		expect((await call('GET', `/assets/${enc(US)}?count=0`)).status).toBe(400);
		expect((await call('GET', `/assets/${enc(US)}?count=101`)).status).toBe(400);
		expect((await call('GET', `/assets/${enc('US:nobody@example.com')}`)).status).toBe(404);
		expect((await call('GET', `/assets/${enc(EXPIRED)}`)).status).toBe(596);
		// a seeded history image ref is usable for generation
		expect((await call('POST', '/images', { imageRef_1: image?.assetRef })).status).toBe(200);
	});

	test('finished jobs show up first; delete removes', async () => {
		const r = await call('POST', '/videos', { prompt: 'history entry', account: CA });
		const done = await waitJob(r.json.jobid);
		const h = await call('GET', `/assets/${enc(CA)}?count=100`);
		expect(h.json.assets).toHaveLength(26);
		expect(h.json.assets[0]).toMatchObject({
			assetId: done.response.assetId,
			type: 'video',
			description: 'history entry',
		});
		const del = await call('DELETE', `/assets/${enc(done.response.assetId)}`);
		expect(del.json).toEqual({ deleted: true, assetId: done.response.assetId, account: CA });
		expect((await call('DELETE', `/assets/${enc(done.response.assetId)}`)).status).toBe(404);
		expect((await call('GET', `/assets/${enc(CA)}?count=100`)).json.assets).toHaveLength(25);
	});
});

// ============================================================================ scheduler

describe('scheduler', () => {
	test('lists executing jobs and cancels them', async () => {
		const empty = await call('GET', '/scheduler');
		expect(empty.json).toEqual({ executing: {}, total: 0 });
		const r = await call('POST', '/videos', {
			prompt: 'long [slow]',
			account: CA,
			replyUrl: 'http://127.0.0.1:1/x',
		});
		const s = await call('GET', '/scheduler');
		expect(s.json.total).toBe(1);
		expect(s.json.executing[CA][0]).toEqual({
			jobid: r.json.jobid,
			submitId: expect.any(String),
			model: 'seedance-2.0',
			elapsedSeconds: expect.any(Number),
			replyUrl: 'http://127.0.0.1:1/x',
		});
		const del = await call('DELETE', `/scheduler/${enc(r.json.jobid)}`);
		expect(del.json).toEqual({ jobid: r.json.jobid, removed: true });
		const job = await call('GET', `/videos/${enc(r.json.jobid)}`);
		expect(job.json).toMatchObject({ status: 'failed', error: 'Cancelled by user' });
		expect((await call('GET', '/scheduler')).json.total).toBe(0);
		expect(
			(
				await call(
					'DELETE',
					`/scheduler/${enc('j0101010101010123456v-u12345-US:x@y.z-bot:dreamina')}`,
				)
			).status,
		).toBe(404);
	});

	test('groups executing jobs by account; replyUrl only when set', async () => {
		const a = await call('POST', '/videos', { prompt: '[slow]', account: CA });
		const b = await call('POST', '/images', { prompt: '[slow]', account: US });
		const c = await call('POST', '/videos', {
			prompt: '[slow]',
			account: US,
			model: 'seedance-2.0',
		});
		await delay(1100);
		const s = await call('GET', '/scheduler');
		expect(s.json.total).toBe(3);
		expect(Object.keys(s.json.executing).sort()).toEqual([CA, US].sort());
		expect(s.json.executing[CA].map((e) => e.jobid)).toEqual([a.json.jobid]);
		expect(s.json.executing[US]).toEqual([
			{
				jobid: b.json.jobid,
				submitId: expect.any(String),
				model: 'seedream-4.0',
				elapsedSeconds: expect.any(Number),
			},
			{
				jobid: c.json.jobid,
				submitId: expect.any(String),
				model: 'seedance-2.0',
				elapsedSeconds: expect.any(Number),
			},
		]);
		expect(s.json.executing[US][0].submitId).not.toBe(s.json.executing[US][1].submitId);
		for (const e of Object.values(s.json.executing).flat()) {
			expect(e.elapsedSeconds).toBeGreaterThanOrEqual(1);
			expect(e.elapsedSeconds).toBeLessThan(10);
		}
	});

	test('a finished job has left the scheduler when its callback arrives', async () => {
		const seen: Array<{ status: string; listed: boolean }> = [];
		const target = await startReceiver(async (body) => {
			const job = body as Answer;
			const s = await call('GET', '/scheduler');
			const listed = Object.values(s.json.executing)
				.flat()
				.some((e) => e.jobid === job.jobid);
			seen.push({ status: job.status, listed });
			return 200;
		});
		try {
			const ok = await call('POST', '/videos', {
				prompt: 'done',
				account: CA,
				replyUrl: target.url,
			});
			const bad = await call('POST', '/videos', {
				prompt: 'bad [fail:2057]',
				account: US,
				replyUrl: target.url,
			});
			const cancelled = await call('POST', '/images', {
				prompt: '[slow]',
				account: US,
				replyUrl: target.url,
			});
			await until(() => seen.length >= 3);
			await call('DELETE', `/scheduler/${enc(cancelled.json.jobid)}`);
			await until(() => seen.length >= 6);
			expect(seen.filter((x) => x.status === 'created')).toEqual([
				{ status: 'created', listed: true },
				{ status: 'created', listed: true },
				{ status: 'created', listed: true },
			]);
			expect(
				seen.filter((x) => x.status !== 'created').sort((x, y) => (x.status < y.status ? -1 : 1)),
			).toEqual([
				{ status: 'completed', listed: false },
				{ status: 'failed', listed: false },
				{ status: 'failed', listed: false },
			]);
			expect([ok.status, bad.status]).toEqual([200, 200]);
		} finally {
			await target.close();
		}
	});
});

// ============================================================================ faults

describe('fault injection', () => {
	test('status fault applies once (times), then normal behaviour', async () => {
		emu.injectFault({
			method: 'GET',
			path: '/accounts',
			status: 503,
			body: { error: 'Service Unavailable' },
			times: 2,
		});
		expect((await call('GET', '/accounts')).status).toBe(503);
		const second = await call('GET', '/accounts');
		expect(second.status).toBe(503);
		expect(second.json).toEqual({ error: 'Service Unavailable' });
		expect((await call('GET', '/accounts')).status).toBe(200);
	});

	test('drop destroys the socket without a response; nothing created', async () => {
		emu.injectFault({ method: 'POST', path: '/v1/dreamina/videos', drop: true });
		await expect(call('POST', '/videos', { prompt: 'x', account: CA })).rejects.toThrow();
		expect(emu.jobs.size).toBe(0);
		const rec = emu.requests.find((q) => q.method === 'POST' && q.path === '/v1/dreamina/videos');
		expect(rec?.status).toBeUndefined();
		expect(rec?.body).toEqual({ prompt: 'x', account: CA });
	});

	test('afterHandling drop: job created but response lost', async () => {
		emu.injectFault({ method: 'POST', path: /\/videos$/, drop: true, afterHandling: true });
		await expect(call('POST', '/videos', { prompt: 'lost', account: CA })).rejects.toThrow();
		expect(emu.jobs.size).toBe(1);
		const [job] = [...emu.jobs.values()];
		expect(job.request.prompt).toBe('lost');
		expect(job.status).toBe('created');
		const rec = emu.requests.find((q) => q.method === 'POST' && q.path === '/v1/dreamina/videos');
		expect(rec?.status).toBeUndefined();
		expect((await call('GET', '/scheduler')).json.executing[CA][0].jobid).toBe(job.jobid);
	});

	test('afterHandling delayMs: the job exists at once, the reply comes after the client gave up', async () => {
		emu.injectFault({ method: 'POST', path: '/videos', afterHandling: true, delayMs: 1500 });
		const t0 = Date.now();
		const gaveUp = fetch(`${emu.baseUrl}/videos`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${emu.token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ prompt: 'late answer', account: CA }),
			signal: AbortSignal.timeout(300),
		});
		await expect(gaveUp).rejects.toThrow();
		expect(Date.now() - t0).toBeLessThan(1400);
		// the job was created before the client's timeout, and nothing was answered yet
		expect([...emu.jobs.values()].map((j) => j.request.prompt)).toEqual(['late answer']);
		const [job] = [...emu.jobs.values()];
		expect(emu.jobTiming(job.jobid).createdAt - t0).toBeLessThan(300);
		const rec = emu.requests.find((q) => q.method === 'POST' && q.path === '/v1/dreamina/videos');
		await delay(1500);
		expect(rec?.status).toBeUndefined(); // the client had gone when the reply was due

		// a client that waits gets the real answer, late
		emu.injectFault({ method: 'POST', path: '/videos', afterHandling: true, delayMs: 400 });
		const t1 = Date.now();
		const patient = await call('POST', '/videos', { prompt: 'patient', account: CA });
		expect(Date.now() - t1).toBeGreaterThanOrEqual(390);
		expect(patient.status).toBe(200);
		expect(emu.jobTiming(patient.json.jobid).createdAt - t1).toBeLessThan(200);
	});

	test('delay and faults on file downloads', async () => {
		emu.injectFault({ path: '/v1/dreamina/scheduler', delayMs: 300 });
		const t0 = Date.now();
		expect((await call('GET', '/scheduler')).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);

		const r = await call('POST', '/videos', { prompt: 'x', account: CA });
		const done = await waitJob(r.json.jobid);
		emu.injectFault({ path: /^\/files\/.+\.mp4$/, status: 500 });
		expect((await download(done.response.videoUrl)).status).toBe(500);
		emu.injectFault({ path: /^\/files\/.+\.mp4$/, drop: true, afterHandling: true });
		await expect(download(done.response.videoUrl)).rejects.toThrow();
		expect((await download(done.response.videoUrl)).bytes.length).toBe(300_000);
	});
});

// ============================================================================ control API

describe('jobs from other clients, many completions at once, spread durations', () => {
	test('createJob: a job as if another client had sent it', async () => {
		const target = await startReceiver();
		try {
			const job = emu.createJob({
				type: 'video',
				account: US,
				model: 'seedance-2.0',
				request: { prompt: 'foreign clip', duration: 8, ratio: '9:16' },
				replyUrl: target.url,
			});
			expect(job).toMatchObject({
				type: 'video',
				status: 'created',
				model: 'seedance-2.0',
				request: {
					model: 'seedance-2.0',
					prompt: 'foreign clip',
					duration: 8,
					replyUrl: target.url,
				},
				code: 200,
			});
			expect(job.jobid).toMatch(JOBID_RE);
			expect(job.jobid).toContain(`v-u12345-${US}-bot:dreamina`);
			expect((await call('GET', `/videos/${enc(job.jobid)}`)).json.status).toBe('created');
			const s = await call('GET', '/scheduler');
			expect(s.json.executing[US]).toEqual([
				expect.objectContaining({ jobid: job.jobid, replyUrl: target.url }),
			]);
			const done = await waitJob(job.jobid);
			expect(done.response).toMatchObject({ width: 720, height: 1280, durationMs: 8042 });
			await until(() => target.received.length >= 2);
			expect(target.received.map((r) => (r.body as Answer).status)).toEqual([
				'created',
				'completed',
			]);
		} finally {
			await target.close();
		}
	});

	test('createJob takes a place in the account: the node then meets 429', async () => {
		for (let i = 0; i < 10; i++)
			emu.createJob({
				type: 'image',
				account: US,
				model: 'seedream-4.0',
				request: { prompt: '[slow]' },
			});
		const ours = await call('POST', '/images', { prompt: 'mine', account: US });
		expect(ours.status).toBe(429);
		expect(() =>
			emu.createJob({ type: 'image', account: US, model: 'seedream-4.0', request: {} }),
		).toThrow('All accounts at capacity');
		expect(() =>
			emu.createJob({ type: 'video', account: 'US:nobody@example.com', model: 'x', request: {} }),
		).toThrow(/Unable to find configuration/);
		expect(() =>
			emu.createJob({ type: 'video', account: EXPIRED, model: 'seedance-2.0', request: {} }),
		).toThrow('Session expired');
		const upscale = emu.createJob({
			type: 'upscale',
			account: CA,
			model: 'seedream-4.0',
			request: { resolution: '4k' },
		});
		expect(upscale.jobid).toMatch(/I-u12345-CA:/);
		expect((await waitJob(upscale.jobid, 'images')).response.images).toHaveLength(1);
	});

	test('completeJobs: 200 jobs complete together and their callbacks go out concurrently', async () => {
		emu.setOptions({ accounts: [{ email: 'burst@example.com', region: 'CA', maxJobs: 250 }] });
		let inFlight = 0;
		let maxInFlight = 0;
		const target = await startReceiver(async (body) => {
			if ((body as Answer).status === 'created') return 200;
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await delay(30);
			inFlight--;
			return 200;
		});
		try {
			const ids = Array.from(
				{ length: 200 },
				(_, i) =>
					emu.createJob({
						type: 'video',
						account: 'CA:burst@example.com',
						model: 'seedance-2.0',
						request: { prompt: `[slow] burst ${i}` },
						replyUrl: target.url,
					}).jobid,
			);
			await until(() => emu.callbacks.length >= 200, 20_000);
			expect(() => emu.completeJobs([ids[0], 'j-unknown'])).toThrow(/j-unknown/);
			expect(emu.jobs.get(ids[0])?.status).toBe('created'); // nothing completed
			const done = emu.completeJobs(ids);
			expect(done).toHaveLength(200);
			expect(done.every((j) => j.status === 'completed')).toBe(true);
			expect((await call('GET', '/scheduler')).json.total).toBe(0);
			await until(() => emu.callbacks.length >= 400, 30_000);
			const finals = emu.callbacks.filter((c) => c.jobStatus === 'completed');
			expect(finals).toHaveLength(200);
			expect(new Set(finals.map((c) => c.jobid))).toEqual(new Set(ids));
			expect(finals.every((c) => c.status === 200)).toBe(true);
			expect(maxInFlight).toBeGreaterThan(20);
			const latencies = finals.map((c) => c.latencyMs).sort((a, b) => a - b);
			const p50 = latencies[Math.floor(latencies.length * 0.5)];
			const p99 = latencies[Math.floor(latencies.length * 0.99)];
			expect(p50).toBeGreaterThanOrEqual(29);
			expect(p99).toBeGreaterThanOrEqual(p50);
			expect(p99).toBeLessThan(10_000);
		} finally {
			await target.close();
		}
	}, 60_000);

	test('duration ranges: per job, deterministic for a seed', async () => {
		const plan = (seed: number) => {
			emu.reset();
			emu.setOptions({
				accounts: [{ email: 'spread@example.com', region: 'CA', maxJobs: 50 }],
				jobDurationMs: { video: [60_000, 180_000], image: 100 },
				seed,
			});
			return Array.from({ length: 20 }, () => {
				const job = emu.createJob({
					type: 'video',
					account: 'CA:spread@example.com',
					model: 'seedance-2.0',
					request: { prompt: 'typical' },
				});
				return emu.jobTiming(job.jobid).durationMs ?? -1;
			});
		};
		const first = plan(7);
		expect(first.every((d) => d >= 60_000 && d <= 180_000)).toBe(true);
		expect(new Set(first).size).toBeGreaterThanOrEqual(18);
		expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(60_000);
		expect(plan(7)).toEqual(first);
		expect(plan(8)).not.toEqual(first);
		// image jobs in between do not change the video draws
		emu.reset();
		emu.setOptions({ jobDurationMs: { video: [60_000, 180_000] }, seed: 7 });
		const mixed: number[] = [];
		for (let i = 0; i < 5; i++) {
			emu.createJob({ type: 'image', account: CA, model: 'seedream-4.0', request: {} });
			const v = emu.createJob({ type: 'video', account: CA, model: 'seedance-2.0', request: {} });
			mixed.push(emu.jobTiming(v.jobid).durationMs ?? -1);
		}
		expect(mixed).toEqual(first.slice(0, 5));
		expect(() => emu.setOptions({ jobDurationMs: { video: [5, 1] } })).toThrow(/\[min, max\]/);
	});

	test('jobs with spread durations complete when due', async () => {
		emu.setOptions({ jobDurationMs: { video: [100, 900] }, seed: 3 });
		const jobs = Array.from({ length: 8 }, (_, i) =>
			emu.createJob({
				type: 'video',
				account: CA,
				model: 'seedance-2.0',
				request: { prompt: `${i}` },
			}),
		);
		const timing = jobs.map((j) => emu.jobTiming(j.jobid));
		await until(() => jobs.every((j) => emu.jobs.get(j.jobid)?.status === 'completed'), 5_000);
		for (const [i, j] of jobs.entries()) {
			const updated = Date.parse(emu.jobs.get(j.jobid)?.updated ?? '');
			expect(updated).toBeGreaterThanOrEqual(timing[i].dueAt ?? Infinity);
			expect(updated - (timing[i].dueAt ?? 0)).toBeLessThan(500);
		}
		const byDue = [...jobs.keys()].sort((a, b) => (timing[a].dueAt ?? 0) - (timing[b].dueAt ?? 0));
		const byDone = [...jobs.keys()].sort(
			(a, b) =>
				Date.parse(emu.jobs.get(jobs[a].jobid)?.updated ?? '') -
				Date.parse(emu.jobs.get(jobs[b].jobid)?.updated ?? ''),
		);
		expect(Math.max(...timing.map((t) => t.durationMs ?? 0))).toBeGreaterThan(
			Math.min(...timing.map((t) => t.durationMs ?? 0)) + 200,
		);
		expect(byDone.map((i) => timing[i].dueAt)).toEqual(byDue.map((i) => timing[i].dueAt));
	});
});

describe('/__emulator control API', () => {
	const ctl = async <T = Answer>(method: string, p: string, body?: unknown) => {
		const r = await fetch(`${emu.origin}/__emulator/${p}`, {
			method,
			headers: body ? { 'Content-Type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : undefined,
		});
		return { status: r.status, json: (await r.json()) as T };
	};

	test('requests, faults, jobs, stats, options, reset', async () => {
		await call('GET', '/accounts');
		const reqs = await ctl<Array<{ path: string }>>('GET', 'requests');
		expect(reqs.json.map((q) => q.path)).toEqual(['/v1/dreamina/accounts']);
		expect((await ctl('DELETE', 'requests')).status).toBe(200);
		expect(emu.requests).toHaveLength(0);

		expect(
			(await ctl('POST', 'faults', { pathRegex: '^/v1/dreamina/scheduler$', status: 502 })).status,
		).toBe(200);
		expect((await call('GET', '/scheduler')).status).toBe(502);
		await ctl('POST', 'faults', { path: '/scheduler', status: 502, times: 0 });
		await ctl('DELETE', 'faults');
		expect((await call('GET', '/scheduler')).status).toBe(200);

		const job = await call('POST', '/videos', { prompt: '[slow]', account: CA });
		const listed = await ctl<Answer[]>('GET', 'jobs');
		expect(listed.json.map((j) => j.jobid)).toEqual([job.json.jobid]);
		const completed = await ctl('POST', `jobs/${enc(job.json.jobid)}/complete`);
		expect(completed.json.status).toBe('completed');
		expect((await ctl('POST', `jobs/${enc(job.json.jobid)}/complete`)).status).toBe(409);
		const job2 = await call('POST', '/videos', { prompt: '[slow]', account: CA });
		expect(
			(await ctl('POST', `jobs/${enc(job2.json.jobid)}/fail`, { code: 2043 })).json,
		).toMatchObject({ status: 'failed', code: 2043 });
		const stats = await ctl<{ maxConcurrent: Record<string, number> }>('GET', 'stats');
		expect(stats.json.maxConcurrent[CA]).toBe(1);
		expect((await ctl('GET', 'callbacks')).json).toEqual([]);

		await ctl('POST', 'options', { jobDurationMs: { video: 30 } });
		const quick = await call('POST', '/videos', { prompt: 'quick', account: CA });
		expect((await waitJob(quick.json.jobid, 'videos', 1000)).status).toBe('completed');

		expect((await ctl('POST', 'reset')).json).toEqual({ reset: true });
		expect(emu.jobs.size).toBe(0);
		expect(emu.requests).toHaveLength(0);
	});

	test('foreign jobs, completing many, timings, delayed replies', async () => {
		const foreign = await ctl('POST', 'jobs', {
			type: 'video',
			account: CA,
			model: 'seedance-2.0',
			request: { prompt: '[slow] from elsewhere' },
		});
		expect(foreign.status).toBe(200);
		expect(foreign.json).toMatchObject({ status: 'created', model: 'seedance-2.0' });
		const other = await ctl('POST', 'jobs', {
			type: 'image',
			account: US,
			model: 'seedream-4.0',
			request: { prompt: '[slow]' },
		});
		expect(
			(await ctl('POST', 'jobs', { type: 'video', account: 'US:x@y.z', model: 'm' })).status,
		).toBe(404);
		expect((await ctl('POST', 'jobs', { type: 'audio', account: US, model: 'm' })).status).toBe(
			400,
		);
		const timing = await ctl<{ createdAt: number; dueAt: number | null }>(
			'GET',
			`jobs/${enc(foreign.json.jobid)}/timing`,
		);
		expect(timing.json).toEqual({ createdAt: expect.any(Number), dueAt: null, durationMs: null });
		expect((await ctl('GET', `jobs/${enc('j-unknown')}/timing`)).status).toBe(404);
		expect(
			(await ctl('POST', 'jobs/complete', { jobids: [foreign.json.jobid, 'j-unknown'] })).status,
		).toBe(409);
		const both = await ctl<Answer[]>('POST', 'jobs/complete', {
			jobids: [foreign.json.jobid, other.json.jobid],
		});
		expect(both.json.map((j) => [j.jobid, j.status])).toEqual([
			[foreign.json.jobid, 'completed'],
			[other.json.jobid, 'completed'],
		]);
		expect((await ctl('POST', 'jobs/complete', {})).status).toBe(400);
		// the "reply after the client's timeout" fault over HTTP
		await ctl('POST', 'faults', {
			method: 'POST',
			path: '/videos',
			afterHandling: true,
			delayMs: 300,
		});
		const t0 = Date.now();
		const late = await call('POST', '/videos', { prompt: 'late', account: CA });
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
		expect(late.status).toBe(200);
		await ctl('POST', 'options', { jobDurationMs: { video: [200, 400] }, seed: 9 });
		const ranged = await call('POST', '/videos', { prompt: 'ranged', account: CA });
		const t = await ctl<{ durationMs: number }>('GET', `jobs/${enc(ranged.json.jobid)}/timing`);
		expect(t.json.durationMs).toBeGreaterThanOrEqual(200);
		expect(t.json.durationMs).toBeLessThanOrEqual(400);
	});
});

// ============================================================================ rendered results

describe('result files a person can open (ffmpeg)', () => {
	let viewer: Emulator;
	const FAILING_FFMPEG = '/bin/false';

	beforeAll(async () => {
		expect(await ensureFfmpeg()).toMatch(/ffmpeg$/); // scripts/ensure-ffmpeg.sh installs it when missing
		viewer = await startEmulator({
			render: true,
			jobDurationMs: { video: 50, image: 50, upscale: 50 },
		});
	}, 600_000);
	afterAll(async () => {
		await viewer?.close();
	});

	const api = async (method: string, p: string, body?: unknown) => {
		const r = await fetch(`${viewer.baseUrl}${p}`, {
			method,
			headers: { Authorization: `Bearer ${viewer.token}`, 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return (await r.json()) as Answer;
	};
	const finished = async (on: Emulator, jobid: string, kind: 'videos' | 'images') => {
		await until(() => on.jobs.get(jobid)?.status !== 'created');
		const r = await fetch(`${on.baseUrl}/${kind}/${enc(jobid)}`, {
			headers: { Authorization: `Bearer ${on.token}` },
		});
		return (await r.json()) as Answer;
	};
	/** Pixels much brighter than the dark backgrounds: drawn text. */
	const brightPixels = (frame: { pixels: Uint8Array }) =>
		frame.pixels.reduce((n, v) => n + (v > 200 ? 1 : 0), 0);

	test('on with render: true when ffmpeg is found; off by default, with render: false or without ffmpeg', async () => {
		expect(viewer.rendering).toBe(true);
		const byDefault = await startEmulator();
		expect(byDefault.rendering).toBe(false);
		await byDefault.close();
		const off = await startEmulator({ render: false });
		const none = await startEmulator({ render: true, ffmpegPath: 'no-such-ffmpeg-here' });
		try {
			expect(off.rendering).toBe(false);
			expect(none.rendering).toBe(false);
			off.setOptions({ render: true });
			expect(off.rendering).toBe(true);
		} finally {
			await off.close();
			await none.close();
		}
	});

	test('a result video is a playable H.264 clip of the job, showing its prompt', async () => {
		const job = await api('POST', '/videos', {
			prompt: 'A lighthouse on a cliff at night, waves crashing below, the beam sweeping the fog',
			model: 'seedance-2.0',
			account: US,
			ratio: '9:16',
			duration: 8,
		});
		const done = await finished(viewer, job.jobid, 'videos');
		expect(done.response).toMatchObject({
			width: 720,
			height: 1280,
			durationMs: 8042,
			hasAudio: true,
		});
		const rendersBefore = viewer.stats().renders.rendered;
		const t0 = Date.now();
		const file = download(done.response.videoUrl).then((r) => ({ ...r, at: Date.now() - t0 }));
		// rendering runs in a child process: the emulator keeps answering meanwhile
		const accounts = await call('GET', '/accounts', undefined, {
			base: viewer.baseUrl,
			token: viewer.token,
		});
		const answeredAfter = Date.now() - t0;
		const mp4 = await file;
		expect(accounts.status).toBe(200);
		expect(answeredAfter).toBeLessThan(mp4.at);
		expect(mp4.status).toBe(200);
		expect(mp4.type).toBe('video/mp4');
		expect(Number(mp4.length)).toBe(mp4.bytes.length);
		expect(mp4.bytes.toString('latin1', 4, 8)).toBe('ftyp');
		const probe = await ffprobe(done.response.videoUrl);
		const video = probe.streams.find((st) => st.codec_type === 'video');
		expect(video).toMatchObject({ codec_name: 'h264', width: 270, height: 480 });
		expect(probe.streams.find((st) => st.codec_type === 'audio')).toMatchObject({
			codec_name: 'aac',
		});
		const seconds = Number(probe.format.duration);
		expect(seconds).toBeGreaterThanOrEqual(4);
		expect(seconds).toBeLessThanOrEqual(6);
		expect(brightPixels(await grayFrame(done.response.videoUrl, 1))).toBeGreaterThan(500);
		// cached: served again without another render, also in ranges
		const again = await download(done.response.videoUrl, { Range: 'bytes=0-99' });
		expect(again.status).toBe(206);
		expect(again.bytes).toEqual(mp4.bytes.subarray(0, 100));
		expect(viewer.stats().renders.rendered).toBe(rendersBefore + 1);
		const cover = await download(done.response.coverUrl);
		expect(cover.bytes.subarray(0, 8)).toEqual(PNG_SIG);
		expect(brightPixels(await grayFrame(done.response.coverUrl, 0))).toBeGreaterThan(500);
	}, 60_000);

	test("result images are PNGs at the job's aspect ratio showing the prompt and the model", async () => {
		const job = await api('POST', '/images', {
			prompt: 'A red fox in fresh snow',
			account: CA,
			ratio: '16:9',
		});
		const done = await finished(viewer, job.jobid, 'images');
		const first = done.response.images[0];
		const png = await download(first.imageUrl);
		expect(png.type).toBe('image/png');
		expect(png.bytes.subarray(0, 8)).toEqual(PNG_SIG);
		const probe = await ffprobe(first.imageUrl);
		expect(probe.streams[0]).toMatchObject({ codec_name: 'png', width: 512, height: 288 });
		const text = brightPixels(await grayFrame(first.imageUrl, 0));
		expect(text).toBeGreaterThan(300);
		// a longer prompt draws more text
		const longer = await api('POST', '/images', {
			prompt:
				'A red fox in fresh snow under a pale winter sun, pine trees behind it and mountains far away',
			account: CA,
			ratio: '16:9',
		});
		const longDone = await finished(viewer, longer.jobid, 'images');
		expect(brightPixels(await grayFrame(longDone.response.images[0].imageUrl, 0))).toBeGreaterThan(
			text,
		);
	}, 60_000);

	test('a failing render falls back to the synthetic file; the job is unaffected', async () => {
		const broken = await startEmulator({
			render: true,
			ffmpegPath: FAILING_FFMPEG,
			jobDurationMs: { video: 50, image: 50 },
		});
		try {
			expect(broken.rendering).toBe(true); // found, but every render fails
			const post = await fetch(`${broken.baseUrl}/videos`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${broken.token}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ prompt: 'still works', account: CA }),
			});
			const job = (await post.json()) as Answer;
			const done = await finished(broken, job.jobid, 'videos');
			expect(done.status).toBe('completed');
			const mp4 = await download(done.response.videoUrl);
			expect(mp4.status).toBe(200);
			expect(mp4.bytes.length).toBe(256 * 1024);
			expect(mp4.bytes.includes(Buffer.from('mvhd'))).toBe(true);
			const cover = await download(done.response.coverUrl);
			expect(cover.bytes.subarray(0, 8)).toEqual(PNG_SIG);
			expect((await ffprobe(done.response.coverUrl)).streams[0]).toMatchObject({
				width: 64,
				height: 36,
			});
			expect(broken.stats().renders).toMatchObject({ rendered: 0, failed: 2 });
		} finally {
			await broken.close();
		}
	});

	test('the prompt is wrapped and cut to fit; without a font the frames carry no text', () => {
		expect(wrap('one two three four five six', 9, 5)).toEqual([
			'one two',
			'three',
			'four five',
			'six',
		]);
		expect(wrap('abcdefghijklmnop', 6, 5)).toEqual(['abcdef', 'ghijkl', 'mnop']);
		expect(wrap('a b c d e f g h', 3, 2)).toEqual(['a b', 'c…']);
		const spec = {
			key: 'x.mp4',
			kind: 'video' as const,
			width: 1280,
			height: 720,
			title: 'word '.repeat(400),
			details: 'seedance-2.0 · 5 s · 1280x720',
			durationS: 10,
		};
		const l = layout(spec);
		expect([l.width, l.height]).toEqual([480, 270]);
		expect(l.titleLines.length).toBeGreaterThan(2);
		expect(l.titleLines[l.titleLines.length - 1].endsWith('…')).toBe(true);
		const files = { titleFile: 't.txt', detailsFile: 'd.txt', out: 'o.mp4' };
		const withFont = ffmpegArgs(spec, l, { ...files, font: '/fonts/DejaVuSans.ttf' }).join(' ');
		expect(withFont).toMatch(/drawtext=.*textfile=t\.txt/);
		expect(withFont).toMatch(/libx264/);
		expect(withFont).toMatch(/-t 5 /); // a 10 s job gets a 5 s clip
		expect(ffmpegArgs(spec, l, files).join(' ')).not.toMatch(/drawtext/);
	});

	test('render: false and an explicit videoBytes give the synthetic files', async () => {
		viewer.setOptions({ videoBytes: 123_457 });
		const sized = await api('POST', '/videos', { prompt: 'sized', account: CA });
		const sizedDone = await finished(viewer, sized.jobid, 'videos');
		expect((await download(sizedDone.response.videoUrl)).bytes.length).toBe(123_457);
		viewer.reset();
		viewer.setOptions({ render: false, jobDurationMs: { image: 50 } });
		const plain = await api('POST', '/images', { prompt: 'plain', account: US, ratio: '1:1' });
		const plainDone = await finished(viewer, plain.jobid, 'images');
		const probe = await ffprobe(plainDone.response.images[0].imageUrl);
		expect(probe.streams[0]).toMatchObject({ codec_name: 'png', width: 64, height: 64 });
		viewer.reset();
		expect(viewer.rendering).toBe(true);
	});
});

// ============================================================================ CLI

describe('cli', () => {
	test('prints one JSON line and serves until SIGTERM', async () => {
		const cli = await startCli(['--port', '0', '--token', 'cli-token', '--video-ms', '50']);
		try {
			expect(cli.info.token).toBe('cli-token');
			expect(cli.info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/dreamina$/);
			const r = await fetch(`${cli.info.baseUrl}/accounts`, {
				headers: { Authorization: 'Bearer cli-token' },
			});
			expect(r.status).toBe(200);
			expect(Object.keys((await r.json()) as object)).toHaveLength(3);
		} finally {
			expect(await cli.stop()).toBe(0);
		}
	}, 30000);

	test('a 50 MB result is streamed: the emulator process grows by far less than the file', async () => {
		const size = 50 * 1024 * 1024;
		const cli = await startCli([
			'--video-bytes',
			String(size),
			'--video-ms',
			'50-80',
			'--seed',
			'4',
		]);
		const { baseUrl, origin, token } = cli.info;
		const api = async (method: string, p: string, body?: unknown) => {
			const r = await fetch(`${baseUrl}${p}`, {
				method,
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return (await r.json()) as Answer;
		};
		const memory = async () => {
			const r = await fetch(`${origin}/__emulator/stats`);
			return ((await r.json()) as { memory: { rss: number } }).memory.rss;
		};
		try {
			const job = await api('POST', '/videos', { prompt: 'big', account: CA });
			const timing = await fetch(`${origin}/__emulator/jobs/${enc(job.jobid)}/timing`);
			const { durationMs } = (await timing.json()) as { durationMs: number };
			expect(durationMs).toBeGreaterThanOrEqual(50);
			expect(durationMs).toBeLessThanOrEqual(80);
			let done = await api('GET', `/videos/${enc(job.jobid)}`);
			for (let i = 0; i < 100 && done.status === 'created'; i++) {
				await delay(20);
				done = await api('GET', `/videos/${enc(job.jobid)}`);
			}
			const before = await memory();
			let peak = before;
			const samples: Array<Promise<void>> = [];
			let nextSample = 0;
			const res = await fetch(done.response.videoUrl);
			expect(res.headers.get('content-length')).toBe(String(size));
			const received = await countBytes(res, (n) => {
				if (n < nextSample) return;
				nextSample += 5 * 1024 * 1024;
				samples.push(memory().then((rss) => void (peak = Math.max(peak, rss))));
			});
			await Promise.all(samples);
			expect(received).toBe(size);
			expect(samples.length).toBeGreaterThanOrEqual(9);
			expect(peak - before).toBeLessThan(20 * 1024 * 1024);
		} finally {
			expect(await cli.stop()).toBe(0);
		}
	}, 60_000);
});
