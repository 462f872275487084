/**
 * The n8n editor in a real browser (Debian's Chromium driven by playwright-core) against a real n8n
 * server with this package installed and the API emulator: the nodes are in the node panel, a node is
 * added from it, a Dreamina API credential is saved and tested in the UI, and the Account and Model
 * dropdowns show the emulator's accounts and that account's models; a first frame is taken from a binary
 * field and secondary settings sit under Options. Screenshots: test-artifacts/editor/ (README_SHOTS=1
 * also writes the README's three into docs/images/).
 */
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import type { Emulator } from '../emulator/server';
import { startEmulator } from '../emulator/server';
import { REGION_MODELS } from '../emulator/catalog';
import { DEFAULT_OWNER, N8nTestInstance, type N8nServer } from './n8n';
import { env, joinPath, makeDir, repoPath, runProgram } from '../support/system';

// JPEG, not PNG: `n8n-node build` copies every *.png/*.svg outside dist/ and node_modules/ into
// dist/, which npm publishes.
const SHOTS = repoPath('test-artifacts', 'editor');
// Debian's Chromium (scripts/ensure-chromium.sh), or CHROMIUM_PATH (Google Chrome on GitHub's runners)
const CHROMIUM = env('CHROMIUM_PATH') ?? '/usr/bin/chromium';

let emu: Emulator;
let n8n: N8nTestInstance;
let server: N8nServer;
let browser: Browser;
let page: Page;

/** The screenshots the README shows: written to docs/images/ when README_SHOTS=1 (small JPEGs). */
const README_SHOTS: Record<string, string> = {
	'2-node-panel': 'node-panel',
	'6-account-list': 'account-list',
	'8-binary-reference-and-options': 'generate-video',
};
const shot = async (name: string) => {
	await page.screenshot({ path: joinPath(SHOTS, `${name}.jpeg`), type: 'jpeg', quality: 90 });
	if (env('README_SHOTS') === '1' && README_SHOTS[name]) {
		const file = repoPath('docs', 'images', `${README_SHOTS[name]}.jpeg`);
		await page.screenshot({ path: file, type: 'jpeg', quality: 55 });
	}
};
// Version 2's Account and Model are resource locators: "From List" opens a list of rlc items.
const listItems = () => page.locator('[data-test-id="rlc-item"]:visible').allInnerTexts();
const openList = async (parameter: string, expected: string) => {
	const input = page.locator(
		`[data-test-id="parameter-input-${parameter}"] [data-test-id="rlc-input"]`,
	);
	const item = page.locator('[data-test-id="rlc-item"]:visible', { hasText: expected }).first();
	await input.click();
	await item.waitFor({ timeout: 5000 }).catch(async () => {
		await page.keyboard.press('Escape');
		await input.click();
		await item.waitFor();
	});
	return item;
};

beforeAll(async () => {
	const chromiumInstall = await runProgram('bash', [repoPath('scripts', 'ensure-chromium.sh')], {
		inheritOutput: true,
	});
	expect(chromiumInstall.code).toBe(0);
	makeDir(SHOTS);
	emu = await startEmulator();
	n8n = new N8nTestInstance();
	await n8n.packAndInstall();
	server = await n8n.startServer({});
	await server.ensureOwnerAndLogin();
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		// Without these Chromium keeps trying to reach Google's hosts, which this closed network refuses.
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.setDefaultTimeout(30_000);
	await page.goto(`${server.url}/signin`);
	await page.getByLabel('Email').fill(DEFAULT_OWNER.email);
	await page.getByLabel('Password').fill(DEFAULT_OWNER.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.toString().includes('/signin'));
}, 240_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	await emu?.close();
	n8n?.cleanup();
});

async function searchNodePanel(term: string): Promise<string[]> {
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	await page.getByPlaceholder('Search nodes...').fill(term);
	// The panel's default list is there at once; wait for the search results.
	await page
		.locator('[data-test-id="node-creator-item-name"]', { hasText: term })
		.first()
		.waitFor();
	return page.locator('[data-test-id="node-creator-item-name"]').allInnerTexts();
}

it('offers the Dreamina Trigger among the triggers of an empty workflow', async () => {
	await page.goto(`${server.url}/workflow/new`);
	await page.locator('[data-test-id="node-creator-plus-button"]').waitFor();
	// n8n files an app's trigger under the app's entry ("Dreamina"), next to its actions.
	expect(await searchNodePanel('Dreamina')).toContain('Dreamina');
	await page.locator('[data-test-id="node-creator-item-name"]', { hasText: /^Dreamina$/ }).click();
	await page
		.getByText(/Dreamina Trigger|On job|Job Completed/i)
		.first()
		.waitFor();
	await shot('1-trigger-panel');
	await page.keyboard.press('Escape');
});

it('lists every Dreamina node in the node panel and adds Generate Video from it', async () => {
	await page.goto(`${server.url}/workflow/new`);
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	await page.getByText('Trigger manually').click();
	await page.getByText('Execute workflow').first().waitFor();
	const names = await searchNodePanel('Dreamina');
	await shot('2-node-panel');
	expect(names).toEqual(
		expect.arrayContaining([
			'Dreamina',
			'Dreamina Generate Video',
			'Dreamina Generate Image',
			'Dreamina Upscale Image',
			'Dreamina Upload Asset',
			'Dreamina Get Job',
		]),
	);
	await page
		.locator('[data-test-id="node-creator-item-name"]', { hasText: /^Dreamina Generate Video$/ })
		.click();
	await page.getByRole('button', { name: 'Add to workflow' }).click();
	await page.locator('[data-test-id="ndv"]').waitFor();
	await page.locator('[data-test-id="parameter-input-inputMode"]').waitFor();
	await shot('3-generate-video-parameters');
	expect(await page.locator('[data-test-id="ndv"]').innerText()).toMatch(
		/Account[\s\S]*Input Mode[\s\S]*Model[\s\S]*Wait for Completion/,
	);
});

it('saves a Dreamina API credential pointed at the emulator and its test passes', async () => {
	await page.getByText('Connect to Dreamina').click();
	const modal = page.locator('[data-test-id="editCredential-modal"]');
	await modal.locator('[data-test-id="parameter-input-apiToken"] input').fill(emu.token);
	await modal.locator('[data-test-id="parameter-input-baseUrl"] input').fill(emu.baseUrl);
	await shot('4-credential-form');
	emu.clearRequests();
	await modal.locator('[data-test-id="credential-save-button"]').click();
	// Saving runs the credential's test: n8n calls GET /accounts on the emulator with the token.
	const tested = () =>
		emu.requests.some(
			(r) =>
				r.method === 'GET' &&
				r.path === '/v1/dreamina/accounts' &&
				r.headers.authorization === `Bearer ${emu.token}` &&
				r.status === 200,
		);
	for (let i = 0; i < 100 && !tested(); i++) await page.waitForTimeout(100);
	expect(tested()).toBe(true);
	await page
		.getByText(/Connection tested successfully/)
		.first()
		.waitFor({ state: 'visible', timeout: 3000 })
		.catch(() => undefined);
	await shot('5-credential-tested');
	expect(await page.getByText(/Couldn.t connect|refused|Authorization failed/i).count()).toBe(0);
	await modal.waitFor({ state: 'hidden', timeout: 5000 }).catch(async () => {
		await page.keyboard.press('Escape');
		await modal.waitFor({ state: 'hidden' });
	});
});

it('shows the emulator’s accounts and the chosen account’s live models in the dropdowns', async () => {
	// The list loads once the saved credential is on the node.
	const caAccount = await openList('account', 'CA:ca-user@example.com');
	const accounts = await listItems();
	await shot('6-account-list');
	expect(accounts.map((a) => a.split('\n')[0])).toEqual([
		'Auto (Any Account with Capacity)',
		'CA:ca-user@example.com',
		'CA:expired@example.com',
		'US:us-user@example.com',
	]);
	emu.clearRequests();
	await caAccount.click();
	await page.waitForTimeout(1000);
	await openList('model', 'sora2');
	const models = await listItems();
	await shot('7-model-list');
	// the CA account's live list
	expect(models.map((m) => m.split('\n')[0])).toEqual([
		'Account Default',
		...REGION_MODELS.CA.video,
	]);
	// A resource locator's list shows names only; what each model takes (durations, resolutions) is in
	// the option descriptions, checked in test/credential-and-dropdowns.test.ts.
	expect(emu.requests.some((r) => r.path === '/v1/dreamina/accounts/CA:ca-user@example.com')).toBe(
		true,
	);
});

it('takes the first frame from a binary field of the input item, and keeps secondary settings under Options', async () => {
	await page.keyboard.press('Escape'); // the Model list of the test before
	await page.locator('[data-test-id="parameter-input-inputMode"]').click();
	// an options field's dropdown lists each option as a headline and its description
	await page.locator('.option-headline:visible', { hasText: /^First Frame$/ }).click();
	const source = page.locator('[data-test-id="parameter-input-firstFrameSource"]');
	await source.waitFor();
	expect(await source.locator('input').inputValue()).toBe('Binary File');
	const field = page.locator('[data-test-id="parameter-input-firstFrameBinaryProperty"] input');
	expect(await field.inputValue()).toBe('data');
	// no assetRef box while the source is a binary file
	expect(await page.locator('[data-test-id="parameter-input-firstFrameRef"]').count()).toBe(0);

	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.locator('[data-test-id="collection-parameter-add"]').click();
	const option = page.locator('[data-test-id="collection-parameter-option"]:visible');
	await option.first().waitFor();
	const optionNames = await option.allInnerTexts();
	expect(optionNames).toEqual(
		expect.arrayContaining([
			'Download Result',
			'Max Jobs',
			'Put Output File in Field',
			'Reply Reference',
			'Skip Model Limit Checks',
			'Timeout (Minutes)',
			'Wait for Capacity (Minutes)',
		]),
	);
	await option.filter({ hasText: /^Timeout \(Minutes\)$/ }).click();
	await page.locator('[data-test-id="parameter-input-timeoutMinutes"]').waitFor();
	await option.first().waitFor({ state: 'hidden' });
	await shot('8-binary-reference-and-options');
	expect(await ndv.innerText()).toMatch(
		/Account[\s\S]*First Frame[\s\S]*First Frame Binary Field[\s\S]*Wait for Completion[\s\S]*Options[\s\S]*Timeout \(Minutes\)/,
	);
});
