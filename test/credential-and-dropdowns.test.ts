/**
 * The Dreamina API credential's test (as the editor's Test button runs it) and the live dropdowns
 * (as the editor loads them), against the emulator.
 */
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { REGION_MODELS } from './emulator/catalog';
import { loadOptions, testCredential } from './harness';
import { unusedPort } from './support/http-server';
import { dreamina } from './support/workflows';

let emu: Emulator;
let creds: { dreaminaApi: { apiToken: string; baseUrl: string } };

beforeAll(async () => {
	emu = await startEmulator();
	creds = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
});
afterAll(async () => emu.close());

async function deadUrl(): Promise<string> {
	return `http://127.0.0.1:${await unusedPort()}/v1/dreamina`;
}

describe('credential test', () => {
	it('passes with the right token', async () => {
		expect(
			await testCredential('dreaminaApi', { apiToken: emu.token, baseUrl: emu.baseUrl }),
		).toEqual({
			status: 'OK',
			message: expect.stringMatching(/success/i),
		});
		expect(emu.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/dreamina/accounts' });
	});

	it('says the token was refused when it is wrong, without echoing it', async () => {
		const result = await testCredential('dreaminaApi', {
			apiToken: 'wrong-dummy-token-42',
			baseUrl: emu.baseUrl,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/API token was refused \(401 Unauthorized\)/);
		expect(result.message).not.toContain('wrong-dummy-token-42');
	});

	it('tells an unreachable server apart from a wrong token', async () => {
		const result = await testCredential('dreaminaApi', {
			apiToken: emu.token,
			baseUrl: await deadUrl(),
		});
		expect(result.status).toBe('Error');
		expect(result.message).not.toMatch(/token was refused/);
		expect(result.message).toMatch(/ECONNREFUSED|connect|refused/i);
	});
});

describe('dropdowns', () => {
	const node = dreamina('dreaminaGenerateVideo');

	it('lists the token’s accounts with their region, plus Auto where the API allows it', async () => {
		const withAuto = await loadOptions(node, 'getAccountsWithAuto', {}, creds);
		expect(withAuto[0]).toMatchObject({ value: '', name: expect.stringMatching(/^Auto/) });
		expect(withAuto.slice(1).map((o) => o.value)).toEqual([
			'CA:ca-user@example.com',
			'CA:expired@example.com',
			'US:us-user@example.com',
		]);
		expect(withAuto.find((o) => o.value === 'US:us-user@example.com')!.description).toMatch(
			/Region US · up to 10 jobs/,
		);
		const plain = await loadOptions(dreamina('dreaminaGenerateImage'), 'getAccounts', {}, creds);
		expect(plain.map((o) => o.value)).not.toContain('');
	});

	it('lists the models the chosen account offers for the input mode, with what each takes', async () => {
		const us = await loadOptions(
			node,
			'getVideoModels',
			{ account: 'US:us-user@example.com', inputMode: 'prompt' },
			creds,
		);
		expect(us.map((o) => o.value)).toEqual(['', ...REGION_MODELS.US.video]);
		expect(us.find((o) => o.value === 'seedance-1.5-pro')!.description).toMatch(
			/^5, 10 or 12 s · 720p\/1080p/,
		);
		const caMulti = await loadOptions(
			node,
			'getVideoModels',
			{ account: 'CA:ca-user@example.com', inputMode: 'multi_frame' },
			creds,
		);
		const multiModels = caMulti.map((o) => o.value);
		expect(multiModels).toEqual(
			expect.arrayContaining(['', 'seedance-1.0-mini', 'seedance-1.0-fast']),
		);
		expect(multiModels).not.toContain('seedance-2.0');
		const caOmni = await loadOptions(
			node,
			'getVideoModels',
			{ account: 'CA:ca-user@example.com', inputMode: 'omni' },
			creds,
		);
		const omniModels = caOmni.map((o) => o.value);
		expect(omniModels).toEqual(expect.arrayContaining(['', 'seedance-2.0', 'seedance-2.0-fast']));
		expect(omniModels).not.toContain('sora2');
		expect(
			emu.requests.some((r) => r.path === '/v1/dreamina/accounts/CA:ca-user@example.com'),
		).toBe(true);
	});

	it('shows a model the account offers that the docs do not know yet', async () => {
		emu.setOptions({
			accounts: [
				{
					email: 'new@example.com',
					region: 'CA',
					models: { video: ['seedance-3.0', 'seedance-2.0'], image: ['seedream-6.0'] },
				},
			],
		});
		try {
			const models = await loadOptions(
				node,
				'getVideoModels',
				{ account: 'CA:new@example.com', inputMode: 'prompt' },
				creds,
			);
			expect(models.map((o) => o.value)).toEqual(['', 'seedance-3.0', 'seedance-2.0']);
			const images = await loadOptions(
				dreamina('dreaminaGenerateImage'),
				'getImageModels',
				{ account: 'CA:new@example.com' },
				creds,
			);
			expect(images.map((o) => o.value)).toEqual(['seedream-6.0']);
		} finally {
			emu.reset();
		}
	});

	it("falls back to the documented list (the account's region's, when known) when the account is Auto or its call fails", async () => {
		const auto = await loadOptions(
			node,
			'getVideoModels',
			{ account: '', inputMode: 'prompt' },
			creds,
		);
		expect(auto.map((o) => o.value)).toEqual([
			'',
			'seedance-2.0',
			'seedance-2.0-fast',
			'seedance-1.5-pro',
			'seedance-1.0-pro',
			'seedance-1.0-mini',
			'seedance-1.0-fast',
			'sora2',
		]);
		emu.injectFault({
			method: 'GET',
			path: '/accounts/US:us-user@example.com',
			status: 404,
			body: { error: 'Unable to find configuration' },
			times: 0,
		});
		try {
			const failing = await loadOptions(
				node,
				'getVideoModels',
				{ account: 'US:us-user@example.com', inputMode: 'first_frame' },
				creds,
			);
			// the documented First Frame models of US accounts
			expect(failing.map((o) => o.value)).toEqual([
				'',
				'seedance-2.0',
				'seedance-2.0-fast',
				'seedance-1.5-pro',
				'seedance-1.0-mini',
			]);
		} finally {
			emu.clearFaults();
		}
		const liveless = await loadOptions(
			dreamina('dreaminaGenerateImage'),
			'getImageModels',
			{ account: '={{ $json.account }}' },
			creds,
		);
		expect(liveless).toHaveLength(7);
	});

	it('offers the durations and resolutions of the chosen model', async () => {
		const sora = await loadOptions(node, 'getVideoDurations', { model: 'sora2' }, creds);
		expect(sora.map((o) => o.value)).toEqual(['', 4, 8, 12]);
		const pro = await loadOptions(
			node,
			'getVideoResolutions',
			{ model: 'seedance-1.0-pro' },
			creds,
		);
		expect(pro.map((o) => o.value)).toEqual(['', '1080p']);
		const banana = await loadOptions(
			dreamina('dreaminaGenerateImage'),
			'getImageResolutions',
			{ model: 'nano-banana' },
			creds,
		);
		expect(banana.map((o) => o.value)).toEqual(['', '1k']);
	});
});
