import { accountOfRef, closestVideoRatio, parseAssetRef } from '../../nodes/shared/assetRef';
import { accountOfJob, jobKindOf, jobPathSegment } from '../../nodes/shared/jobs/records';
import { maskedJson, parameterInApiMessage, secretMask } from '../../nodes/shared/errors';
import { bodyLimitProblem } from '../../nodes/shared/objects';
import { kindOfContentType, normalizeContentType } from '../../nodes/shared/assets/contentType';
import {
	DEFAULT_POLL_SCHEDULES,
	nextPollDelay,
	pollTimes,
	scheduleWith,
} from '../../nodes/shared/jobs/polling';
import { binaryPropertyNames, resultFiles } from '../../nodes/shared/jobs/download';
import { measureWatcher, random } from '../../scripts/bench-polling';

describe('assetRef', () => {
	it('reads account, kind and media facts from each documented format', () => {
		expect(
			parseAssetRef(
				'US:user@example.com-image:w685:h900:s86866-uri:tos-useast5-i-wopfjsm1ax-tx/3605b1',
			),
		).toEqual({
			account: 'US:user@example.com',
			region: 'US',
			kind: 'image',
			width: 685,
			height: 900,
			size: 86866,
			durationMs: undefined,
		});
		expect(
			parseAssetRef('CA:a-b@example.com-video:w1070:h1904:s1656759:d5880-vid:v10762g5'),
		).toMatchObject({
			account: 'CA:a-b@example.com',
			kind: 'video',
			durationMs: 5880,
		});
		expect(parseAssetRef('CA:u@example.com-audio:w480:h360:s562605:d14040-vid:v1')?.kind).toBe(
			'audio',
		);
		expect(parseAssetRef('something else')).toBeUndefined();
		expect(accountOfRef('US:u@example.com-image:future-format')).toBe('US:u@example.com');
	});
	it('maps image shapes to the closest video ratio', () => {
		expect(closestVideoRatio(1920, 1080)).toBe('16:9');
		expect(closestVideoRatio(1080, 1920)).toBe('9:16');
		expect(closestVideoRatio(1000, 1010)).toBe('1:1');
		expect(closestVideoRatio(2560, 1080)).toBe('21:9');
	});
});

describe('jobs and parameters', () => {
	const job = (code: string) =>
		`j030214053012345678${code}-u12345-US:user@example.com-bot:dreamina`;
	it.each([
		['9v', 'video'],
		['9i', 'image'],
		['9I', 'upscale'],
	])('the jobid …%s is a(n) %s job of its account', (code, kind) => {
		expect(jobKindOf(job(code))).toBe(kind);
		expect(accountOfJob(job(code))).toBe('US:user@example.com');
	});
	it('tells nonsense from a jobid, upscales live under images, and finds the parameter an API error names', () => {
		expect(jobKindOf('nonsense')).toBeUndefined();
		expect(jobPathSegment('upscale')).toBe('images');
		// How the node labels API parameters is tested in test/labels.test.ts.
		expect(parameterInApiMessage('Parameter model (invalid-model) valid values: a, b')).toBe(
			'model',
		);
	});
});

describe('polling schedule', () => {
	const fixed10s = (doneAtMs: number) => Math.ceil(doneAtMs / 10_000);
	it.each([60_000, 90_000, 120_000, 180_000])(
		'spends fewer GETs than a fixed 10 s poll for a %d ms video',
		(doneAt) => {
			const times = pollTimes(DEFAULT_POLL_SCHEDULES.video, doneAt);
			expect(times[times.length - 1]).toBeGreaterThanOrEqual(doneAt);
			expect(times.length).toBeLessThan(fixed10s(doneAt));
			// and never sees the result much later than a fixed poll would: at most 15% of the elapsed time, or 30 s
			expect(times[times.length - 1] - doneAt).toBeLessThanOrEqual(Math.max(0.15 * doneAt, 30_000));
		},
	);
	it.each([15_000, 30_000, 60_000, 120_000])(
		'spends no more GETs than a fixed 10 s poll for a %d ms image',
		(doneAt) => {
			expect(pollTimes(DEFAULT_POLL_SCHEDULES.image, doneAt).length).toBeLessThanOrEqual(
				fixed10s(doneAt),
			);
		},
	);
	it('20 videos of 60–180 s at once cost at most 2 reads per job (the watcher, simulated clock)', async () => {
		const next = random(20);
		const durations = Array.from({ length: 20 }, () => 60_000 + next() * 120_000);
		const { requests } = await measureWatcher('video', durations);
		expect(requests).toBeLessThanOrEqual(2);
	});
	it('waits for the first plausible moment, then backs off', () => {
		const s = DEFAULT_POLL_SCHEDULES.video;
		expect(nextPollDelay(s, 0)).toBe(45_000);
		expect(nextPollDelay(s, 45_000)).toBe(10_000);
		expect(nextPollDelay(s, 100_000)).toBe(15_000);
		expect(nextPollDelay(s, 600_000)).toBe(30_000);
		expect(scheduleWith('video', { firstCheckSeconds: 2, maxIntervalSeconds: 1 })).toMatchObject({
			firstCheckMs: 2000,
			maxIntervalMs: 1000,
			minIntervalMs: 1000,
		});
	});
});

describe('result files', () => {
	it('names video and image results with the right extension and MIME type', () => {
		expect(
			resultFiles({
				jobid: 'j1v-u1-US:a@b.c-bot:dreamina',
				type: 'video',
				status: 'completed',
				response: { videoUrl: 'https://x/y' },
			}),
		).toEqual([{ url: 'https://x/y', fileName: 'dreamina-video-j1v.mp4', mimeType: 'video/mp4' }]);
		const files = resultFiles({
			jobid: 'j2i-u1-US:a@b.c-bot:dreamina',
			type: 'image',
			status: 'completed',
			response: {
				images: [
					{ imageUrl: 'https://x/1.png', format: 'png' },
					{ imageUrl: 'https://x/2', format: 'jpeg' },
				],
			},
		});
		expect(files.map((f) => [f.fileName, f.mimeType])).toEqual([
			['dreamina-image-j2i-1.png', 'image/png'],
			['dreamina-image-j2i-2.jpg', 'image/jpeg'],
		]);
		expect(binaryPropertyNames('data', 3)).toEqual(['data', 'data_1', 'data_2']);
	});
});

describe('hostile text and bodies', () => {
	const mask = secretMask(['dummy-token-123456', 'dummy-secret-abcdef', 'ab']);
	it.each([
		['a token in an API message', 'token dummy-token-123456 refused', 'token *** refused'],
		[
			'a secret parameter in a URL',
			'https://h/x?a=1&secret=anything&b=2',
			'https://h/x?a=1&secret=***&b=2',
		],
		[
			'a secret parameter ended by JSON',
			'{"u":"https://h/x?secret=s3cr3t"}',
			'{"u":"https://h/x?secret=***"}',
		],
		['a value too short to mask', 'ab cd', 'ab cd'],
	])('masks %s', (_case, text, masked) => expect(mask(text)).toBe(masked));

	it('masks JSON and keeps it JSON; leaves clean values as they are', () => {
		const clean = { a: 'b' };
		expect(maskedJson(clean, mask)).toBe(clean);
		expect(maskedJson({ url: 'x?secret=dummy-secret-abcdef', n: [1] }, mask)).toEqual({
			url: 'x?secret=***',
			n: [1],
		});
	});

	it('bounds a body before it is read, without recursion', () => {
		let deep: unknown = {};
		for (let i = 0; i < 100_000; i++) deep = { deep };
		expect(bodyLimitProblem(deep)).toMatch(/nested deeper than/);
		expect(bodyLimitProblem({ values: new Array(50_000).fill(0) })).toMatch(/more than/);
		expect(
			bodyLimitProblem({ jobid: 'j1', response: { images: [{ imageUrl: 'u' }] } }),
		).toBeUndefined();
	});

	it.each(['__proto__', 'constructor'])(
		'takes a MIME type of %s as a name, not a prototype key',
		(type) => {
			expect(normalizeContentType(type)).toBe(type);
			expect(kindOfContentType(type)).toBeUndefined();
		},
	);
});
