import { RequestValidationError } from '../../nodes/shared/errors';
import { addAccountSchema } from '../../nodes/shared/schemas/account';
import { validate } from '../../nodes/shared/schemas/common';
import type { IDataObject } from 'n8n-workflow';

import { imageRequestIssues } from '../../nodes/DreaminaGenerateImage/request';
import { videoRequestIssues } from '../../nodes/DreaminaGenerateVideo/request';
import { accountOfRef } from '../../nodes/shared/assetRef';
import type { ModelFacts } from '../../nodes/shared/modelChecks';
import { upscaleRequestSchema } from '../../nodes/DreaminaUpscaleImage/schema';
import type { VideoMode } from '../../nodes/shared/videoInputModes';

const CA = 'CA:ca-user@example.com';
const US = 'US:us-user@example.com';
const img = (account: string, w = 1280, h = 720, id = 'a') =>
	`${account}-image:w${w}:h${h}:s1000-uri:tos/${id}`;
const vid = (account: string, ms: number, id = 'v') =>
	`${account}-video:w1280:h720:s5000:d${ms}-vid:${id}`;
const aud = (account: string, ms: number, id = 'x') =>
	`${account}-audio:w0:h0:s3000:d${ms}-vid:${id}`;

/** The validation issues `run` throws; no issues if it passes; any other error fails the test. */
function issuesOf(run: () => unknown) {
	let thrown: unknown;
	try {
		run();
	} catch (error) {
		thrown = error;
	}
	if (thrown === undefined) return [];
	if (thrown instanceof RequestValidationError) return thrown.issues;
	throw thrown;
}

/**
 * What the node knows about the account before sending: the account chosen, or the one its
 * assetRefs carry (the API then runs the job there), and so its region.
 */
const factsOf = (body: Record<string, unknown>): ModelFacts => {
	const refAccount = Object.values(body)
		.map((value) => (typeof value === 'string' ? accountOfRef(value) : undefined))
		.find((value) => value !== undefined);
	const account = typeof body.account === 'string' ? body.account : refAccount;
	const region = account?.split(':')[0];
	return { account, region: region === 'US' || region === 'CA' ? region : undefined };
};

// The request checks the nodes run before sending: the input mode's schema, then the model's limits.
const video = (mode: VideoMode, body: Record<string, unknown>, offered?: string[]) =>
	videoRequestIssues(mode, body as IDataObject, { ...factsOf(body), offered }, true);

/** Expects exactly the named parameter to be reported, with a rule matching `rule`. */
function expectIssue(
	issues: Array<{ parameter: string; rule: string }>,
	parameter: string,
	rule: RegExp,
) {
	expect(issues).toEqual(
		expect.arrayContaining([
			expect.objectContaining({ parameter, rule: expect.stringMatching(rule) }),
		]),
	);
}

describe('video requests', () => {
	it('accepts a valid request in every mode', () => {
		expect(
			video('prompt', {
				prompt: 'a cat',
				model: 'seedance-2.0',
				duration: 15,
				ratio: '9:16',
				account: CA,
			}),
		).toEqual([]);
		expect(video('first_frame', { firstFrameRef: img(CA), model: 'sora2', duration: 8 })).toEqual(
			[],
		);
		expect(
			video('end_frame', {
				firstFrameRef: img(CA, 1280, 720, 'a'),
				endFrameRef: img(CA, 1920, 1080, 'b'),
				model: 'seedance-1.5-pro',
			}),
		).toEqual([]);
		expect(
			video('multi_frame', {
				model: 'seedance-1.0-mini',
				frame_1_imageRef: img(US, 1280, 720, '1'),
				frame_1_duration: 3,
				frame_2_imageRef: img(US, 1280, 720, '2'),
				frame_2_duration: 2,
				frame_3_imageRef: img(US, 1280, 720, '3'),
			}),
		).toEqual([]);
		expect(
			video('omni', {
				prompt: '@image1 dances while @audio1 plays, moving like @video1',
				model: 'seedance-2.0-fast',
				omni_1_imageRef: img(CA),
				omni_1_videoRef: vid(CA, 5000),
				omni_1_audioRef: aud(CA, 14040),
			}),
		).toEqual([]);
	});

	it('requires a prompt for text to video and limits it per model (the longest: 15000 characters)', () => {
		expectIssue(video('prompt', {}), 'prompt', /required/);
		expectIssue(video('prompt', { prompt: 'x'.repeat(15_001) }), 'prompt', /15000/);
		const long = { prompt: 'x'.repeat(5001), model: 'seedance-2.0' };
		expectIssue(video('prompt', long), 'prompt', /seedance-2.0 takes at most 5000/);
	});

	it('checks durations and resolutions per known model', () => {
		expectIssue(
			video('prompt', { prompt: 'p', model: 'seedance-1.5-pro', duration: 7 }),
			'duration',
			/5, 10 or 12/,
		);
		expectIssue(
			video('prompt', { prompt: 'p', model: 'seedance-2.0', duration: 16, account: CA }),
			'duration',
			/4–15/,
		);
		expectIssue(
			video('prompt', { prompt: 'p', model: 'seedance-2.0', resolution: '1080p', account: US }),
			'resolution',
			/720p only on US accounts/,
		);
		expectIssue(
			video('prompt', { prompt: 'p', model: 'seedance-1.0-pro', resolution: '720p' }),
			'resolution',
			/1080p only/,
		);
		expect(
			video('prompt', {
				prompt: 'p',
				model: 'seedance-1.0-mini',
				resolution: '1080p',
				duration: 10,
			}),
		).toEqual([]);
	});

	it('passes unknown (newer) models through, still checking general rules', () => {
		expect(
			video('prompt', { prompt: 'p', model: 'seedance-3.0', duration: 20, resolution: '1080p' }),
		).toEqual([]);
		expectIssue(video('prompt', { model: 'seedance-3.0' }), 'prompt', /required/);
	});

	it("checks the model against the account's live model list and the input mode", () => {
		expectIssue(
			video('prompt', { prompt: 'p', model: 'sora2', account: US }, [
				'seedance-1.5-pro',
				'seedance-2.0',
			]),
			'model',
			/sora2 is not offered by US:us-user@example\.com; it offers seedance-1\.5-pro, seedance-2\.0/,
		);
		expectIssue(
			video('end_frame', {
				firstFrameRef: img(CA),
				endFrameRef: img(CA),
				model: 'seedance-1.0-pro',
			}),
			'model',
			/does not support First and Last Frame/,
		);
		// the US default model (seedance-2.0) has no keyframes
		const frames = { frame_1_imageRef: img(US), frame_2_imageRef: img(US) };
		expectIssue(video('multi_frame', frames), 'model', /default for US accounts/);
	});

	it('does not take a ratio with frame images', () => {
		expectIssue(
			video('first_frame', { firstFrameRef: img(CA), ratio: '16:9' }),
			'ratio',
			/aspect ratio/,
		);
		expectIssue(video('prompt', { prompt: 'p', ratio: '7:5' }), 'ratio', /one of/);
		const happyhorseOnly = { prompt: 'p', ratio: '5:4', model: 'seedance-2.0' };
		expectIssue(video('prompt', happyhorseOnly), 'ratio', /seedance-2.0 takes 21:9/);
	});

	it('requires first and last frame of one aspect ratio, as images of one account', () => {
		expectIssue(
			video('end_frame', { firstFrameRef: img(CA, 1280, 720), endFrameRef: img(CA, 720, 1280) }),
			'endFrameRef',
			/same aspect ratio/,
		);
		expectIssue(
			video('end_frame', { firstFrameRef: img(CA), endFrameRef: img(US) }),
			'endFrameRef',
			/belongs to account US/,
		);
		expectIssue(
			video('first_frame', { firstFrameRef: vid(CA, 5000) }),
			'firstFrameRef',
			/image assetRef/,
		);
		expectIssue(
			video('first_frame', { firstFrameRef: img(CA), account: US }),
			'firstFrameRef',
			/Account is CA|Account is US/,
		);
	});

	describe('multi-frame', () => {
		const frames = (n: number, extra: Record<string, unknown> = {}) => ({
			model: 'seedance-1.0-mini',
			...Object.fromEntries(
				Array.from({ length: n }, (_, i) => [
					`frame_${i + 1}_imageRef`,
					img(US, 1280, 720, String(i)),
				]),
			),
			...extra,
		});
		it('needs 2–10 contiguous frames', () => {
			expectIssue(video('multi_frame', frames(1)), 'frame_2_imageRef', /2–10 keyframes/);
			const gap = frames(3);
			delete (gap as Record<string, unknown>).frame_2_imageRef;
			expectIssue(video('multi_frame', gap), 'frame_2_imageRef', /without gaps/);
			expectIssue(
				video('multi_frame', frames(11)),
				'frame_11_imageRef',
				/takes at most 10 keyframes/,
			);
		});
		it('takes no top-level prompt, no first/last frame refs', () => {
			expectIssue(video('multi_frame', frames(2, { prompt: 'p' })), 'prompt', /own prompt/);
			expectIssue(
				video('multi_frame', frames(2, { firstFrameRef: img(US) })),
				'firstFrameRef',
				/not used by Multi-Frame/,
			);
		});
		it('limits frame durations to 1–6 and needs the non-last total to be a model duration', () => {
			expectIssue(
				video('multi_frame', frames(2, { frame_1_duration: 7 })),
				'frame_1_duration',
				/1–6/,
			);
			// default 5 s each: 4 frames → 15 s, which seedance-1.0-mini does not take
			expectIssue(video('multi_frame', frames(4)), 'frame_1_duration', /add up to 15 s/);
			expect(video('multi_frame', frames(3))).toEqual([]);
		});
		it('needs a model that supports keyframes', () => {
			expectIssue(
				video('multi_frame', frames(2, { model: undefined })),
				'model',
				/default for US accounts\) does not support Multi-Frame; models that do: seedance-1\.0-mini, seedance-1\.0-fast$/,
			);
			const unknownAccount = { frame_1_imageRef: 'ref-1', frame_2_imageRef: 'ref-2' };
			expectIssue(
				video('multi_frame', unknownAccount),
				'model',
				/seedance-1.0-mini or seedance-1.0-fast/,
			);
			expectIssue(
				video('multi_frame', frames(2, { model: 'seedance-2.0' })),
				'model',
				/seedance-2\.0 does not support Multi-Frame/,
			);
			expectIssue(
				video(
					'multi_frame',
					frames(2, {
						model: 'seedance-2.0',
						frame_1_imageRef: img(CA),
						frame_2_imageRef: img(CA),
					}),
				),
				'model',
				/does not support Multi-Frame/,
			);
		});
		it('needs all keyframe images of one aspect ratio', () => {
			expectIssue(
				video('multi_frame', frames(2, { frame_2_imageRef: img(US, 720, 1280) })),
				'frame_2_imageRef',
				/same aspect ratio/,
			);
		});
	});

	describe('omni reference', () => {
		it('requires every ref to be used in the prompt and every placeholder to have a ref', () => {
			expectIssue(
				video('omni', { prompt: 'a dance', omni_1_imageRef: img(CA) }),
				'omni_1_imageRef',
				/@image1/,
			);
			expectIssue(
				video('omni', { prompt: '@image1 and @image2', omni_1_imageRef: img(CA) }),
				'prompt',
				/@image2/,
			);
		});
		it('limits counts, totals and models', () => {
			const many = Object.fromEntries(
				Array.from({ length: 10 }, (_, i) => [`omni_${i + 1}_imageRef`, img(CA)]),
			);
			expectIssue(
				video('omni', { prompt: '@image1', ...many }),
				'omni_10_imageRef',
				/takes at most 9 image references/,
			);
			const thirteen = {
				...Object.fromEntries(
					Array.from({ length: 9 }, (_, i) => [`omni_${i + 1}_imageRef`, img(CA)]),
				),
				omni_1_videoRef: vid(CA, 2000, '1'),
				omni_2_videoRef: vid(CA, 2000, '2'),
				omni_3_videoRef: vid(CA, 2000, '3'),
				omni_1_audioRef: aud(CA, 2000),
			};
			const prompt = Object.keys(thirteen)
				.map((k) => k.replace(/omni_(\d+)_(\w+)Ref/, '@$2$1'))
				.join(' ');
			expectIssue(video('omni', { prompt, ...thirteen }), 'omni_1_imageRef', /at most 12/);
			expectIssue(
				video('omni', {
					prompt: '@video1 @video2',
					omni_1_videoRef: vid(CA, 10000, '1'),
					omni_2_videoRef: vid(CA, 6000, '2'),
				}),
				'omni_2_videoRef',
				/16.0 s together; seedance-2.0 takes 15.4/,
			);
			expectIssue(
				video('omni', { prompt: '@image1', omni_1_imageRef: img(CA), model: 'seedance-1.5-pro' }),
				'model',
				/does not support Omni/,
			);
			expectIssue(
				video('omni', { prompt: '@image1', omni_1_imageRef: img(CA), firstFrameRef: img(CA) }),
				'firstFrameRef',
				/not used by Omni/,
			);
		});
		it('checks reference kinds', () => {
			expectIssue(
				video('omni', { prompt: '@audio1', omni_1_audioRef: vid(CA, 3000) }),
				'omni_1_audioRef',
				/audio assetRef/,
			);
		});
	});

	it('checks options', () => {
		expectIssue(video('prompt', { prompt: 'p', maxJobs: 51 }), 'maxJobs', /1–50/);
		expectIssue(video('prompt', { prompt: 'p', replyUrl: 'not a url' }), 'replyUrl', /URL/);
		expectIssue(video('prompt', { prompt: 'p', account: 'someone' }), 'account', /REGION:email/);
	});
});

describe('image requests', () => {
	const image = (body: Record<string, unknown>) =>
		imageRequestIssues(body as IDataObject, factsOf(body), true);
	it('accepts prompt-only and references-only requests where the model allows', () => {
		expect(
			image({ prompt: 'aurora', model: 'seedream-4.0', ratio: '16:9', resolution: '4k' }),
		).toEqual([]);
		expect(image({ model: 'seedream-4.5', imageRef_1: img(US), imageStrength: 0.3 })).toEqual([]);
	});
	it('applies per-model limits', () => {
		expectIssue(
			image({ model: 'nano-banana', imageRef_1: img(US) }),
			'prompt',
			/required for nano-banana/,
		);
		expectIssue(
			image({ prompt: 'p', model: 'nano-banana', resolution: '2k' }),
			'resolution',
			/1k only/,
		);
		expectIssue(
			image({ prompt: 'p', model: 'seedream-3.0', ratio: 'auto' }),
			'ratio',
			/no auto ratio/,
		);
		expectIssue(
			image({
				prompt: 'p',
				model: 'seedream-3.0',
				imageRef_1: img(US, 1, 1, '1'),
				imageRef_2: img(US, 1, 1, '2'),
			}),
			'imageRef_2',
			/at most 1 reference/,
		);
		const seven = Object.fromEntries(
			Array.from({ length: 7 }, (_, i) => [`imageRef_${i + 1}`, img(US)]),
		);
		expectIssue(
			image({ prompt: 'p', ...seven }),
			'imageRef_7',
			/takes at most 6 reference images, got 7/,
		);
	});
	it('checks prompt, contiguity and strength', () => {
		expectIssue(image({}), 'prompt', /required when no reference/);
		expectIssue(image({ prompt: 'x'.repeat(1601) }), 'prompt', /1600/);
		expectIssue(image({ prompt: 'p', imageRef_2: img(US) }), 'imageRef_1', /without gaps/);
		expectIssue(
			image({ prompt: 'p', imageRef_1: img(US), imageStrength: 1.5 }),
			'imageStrength',
			/between 0 and 1/,
		);
		expectIssue(image({ prompt: 'p', ratio: '5:4' }), 'ratio', /one of/);
	});
	it('passes unknown models through', () => {
		expect(image({ prompt: 'p', model: 'seedream-6.0', resolution: '4k' })).toEqual([]);
	});
});

describe('upscale, upload and account requests', () => {
	it('upscale', () => {
		const ok = { jobid: 'j0302140530123456789i-u12345-US:user@example.com-bot:dreamina' };
		expect(
			issuesOf(() =>
				validate(upscaleRequestSchema, { ...ok, imageIndex: 3, upscaleResolution: '8k' }),
			),
		).toEqual([]);
		expectIssue(
			issuesOf(() => validate(upscaleRequestSchema, {})),
			'jobid',
			/required/,
		);
		expectIssue(
			issuesOf(() => validate(upscaleRequestSchema, { jobid: ok.jobid.replace('i-u', 'v-u') })),
			'jobid',
			/image generation job/,
		);
		expectIssue(
			issuesOf(() => validate(upscaleRequestSchema, { ...ok, imageIndex: 4 })),
			'imageIndex',
			/0–3/,
		);
		expectIssue(
			issuesOf(() => validate(upscaleRequestSchema, { ...ok, upscaleResolution: '16k' })),
			'upscaleResolution',
			/2k, 4k or 8k/,
		);
		expectIssue(
			issuesOf(() => validate(upscaleRequestSchema, { ...ok, detailStrength: -0.1 })),
			'detailStrength',
			/between 0 and 1/,
		);
	});
	// Asset uploads are checked by nodes/shared/assets/inspect.ts: test/unit/asset-inspection.test.ts.
	it('account', () => {
		expect(
			issuesOf(() =>
				validate(addAccountSchema, { email: 'a@b.co', password: 'x', region: 'CA', maxJobs: 5 }),
			),
		).toEqual([]);
		expectIssue(
			issuesOf(() => validate(addAccountSchema, { email: 'nope', password: 'x', region: 'EU' })),
			'region',
			/US or CA/,
		);
		expectIssue(
			issuesOf(() =>
				validate(addAccountSchema, { email: 'a@b.co', password: 'x', region: 'US', maxJobs: 0 }),
			),
			'maxJobs',
			/1–50/,
		);
	});
});
