/**
 * Issue 9.3: an expression can resolve to anything. A value of the wrong type is refused on its
 * item, naming the parameter as the editor shows it and the type it got, and nothing at all is
 * sent (the batch stops before any POST). Only the Auto choice itself means "any account": an
 * Account expression that gives an object or nothing never becomes Auto.
 */
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { runWorkflow } from './harness';
import { chain, dreamina, items } from './support/workflows';

const US = 'US:us-user@example.com';
const VIDEO = dreamina('dreaminaGenerateVideo');
const IMAGE = dreamina('dreaminaGenerateImage');

let emu: Emulator;
let credentials: { dreaminaApi: { apiToken: string; baseUrl: string } };

beforeAll(async () => {
	emu = await startEmulator({ jobDurationMs: { video: 300, image: 200, upscale: 200 } });
	credentials = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const rl = (value: string, mode: 'list' | 'id' = 'id') => ({ __rl: true, mode, value });
const posts = () => emu.requests.filter((r) => r.method === 'POST');

/** A good item around the bad one: the bad one is item 2 (index 1). */
const around = (bad: Record<string, unknown>) => [
	{ account: US, prompt: 'fine', duration: 5 },
	{ account: US, prompt: 'fine', duration: 5, ...bad },
	{ account: US, prompt: 'fine', duration: 5 },
];

function videoV2(overrides: Record<string, unknown>) {
	return {
		account: rl('={{ $json.account }}'),
		model: rl('seedance-2.0'),
		inputMode: 'prompt',
		prompt: '={{ $json.prompt }}',
		duration: '={{ $json.duration }}',
		waitForCompletion: 'none',
		...overrides,
	};
}

function run(type: string, parameters: Record<string, unknown>, inputs: object[]) {
	return runWorkflow({
		workflow: chain([items(inputs), { name: 'Node', type, parameters }]),
		credentials,
		timeoutMs: 30_000,
	});
}

interface Refusal {
	title: string;
	type: string;
	parameters: Record<string, unknown>;
	bad: Record<string, unknown>;
	/** the message: "<label>: must be <expected>, but it is <got>" */
	message: string;
}

const REFUSALS: Refusal[] = [
	{
		title: 'Account expression giving an object',
		type: VIDEO,
		parameters: videoV2({}),
		bad: { account: { region: 'US', email: 'us-user@example.com' } },
		message: 'Account: must be an account ID (REGION:email) or Auto, but it is an object',
	},
	{
		title: 'Account expression giving empty text',
		type: VIDEO,
		parameters: videoV2({}),
		bad: { account: '' },
		message: 'Account: must be an account ID (REGION:email) or Auto, but it is empty',
	},
	{
		title: 'Prompt expression giving an object',
		type: VIDEO,
		parameters: videoV2({}),
		bad: { prompt: { text: 'a cat' } },
		message: 'Prompt: must be text, but it is an object',
	},
	{
		title: 'Prompt expression giving a number',
		type: VIDEO,
		parameters: videoV2({}),
		bad: { prompt: 42 },
		message: 'Prompt: must be text, but it is the number 42',
	},
	{
		title: 'Duration expression giving the text "5"',
		type: VIDEO,
		parameters: videoV2({}),
		bad: { duration: '5' },
		message: 'Duration (Seconds): must be a number, but it is the text "5"',
	},
	{
		title: 'Model expression giving a list',
		type: VIDEO,
		parameters: videoV2({ model: rl('={{ $json.model }}') }),
		bad: { model: ['seedance-2.0'] },
		message: 'Model: must be text, but it is a list of 1',
	},
	{
		title: 'Generate Image: Prompt expression giving a number',
		type: IMAGE,
		parameters: {
			account: rl('={{ $json.account }}'),
			prompt: '={{ $json.prompt }}',
			waitForCompletion: 'none',
		},
		bad: { prompt: 7 },
		message: 'Prompt: must be text, but it is the number 7',
	},
];

describe.each(REFUSALS)('$title', (c) => {
	it('is refused on its item, naming the parameter and the type, and nothing is sent', async () => {
		const result = await run(c.type, c.parameters, around(c.bad));
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(c.message);
		expect(result.error?.context).toMatchObject({ itemIndex: 1 });
		expect(result.error?.description).toContain('(item 2)');
		expect(result.error?.description).toContain('Nothing was sent to Dreamina');
		expect(posts()).toHaveLength(0);
	});
});

it('Options › Timeout expression giving the text "5" is refused before anything is sent', async () => {
	const result = await run(
		VIDEO,
		videoV2({ waitForCompletion: 'poll', options: { timeoutMinutes: '={{ "5" }}' } }),
		[{ account: US, prompt: 'p', duration: 5 }],
	);
	expect(result.error?.message).toBe(
		'Options › Timeout (Minutes): must be a number, but it is the text "5"',
	);
	expect(posts()).toHaveLength(0);
});

describe('with Continue On Fail the refusal stays on its item', () => {
	it('the bad item is an error item, the others are sent (Account object)', async () => {
		const result = await runWorkflow({
			workflow: chain([
				items(around({ account: { region: 'US' } })),
				{
					name: 'Node',
					type: VIDEO,
					typeVersion: 2,
					onError: 'continueRegularOutput',
					parameters: videoV2({}),
				},
			]),
			credentials,
			timeoutMs: 30_000,
		});
		const out = result.output('Node');
		expect(out).toHaveLength(3);
		expect(out[1].json.error).toBe(
			'Account: must be an account ID (REGION:email) or Auto, but it is an object',
		);
		expect(out[0].json).toMatchObject({ status: 'created' });
		expect(out[2].json).toMatchObject({ status: 'created' });
		const sent = posts().filter((r) => r.status === 200);
		expect(sent).toHaveLength(2);
		// the refused item did not go to some account the API picked; Duration by expression is a number
		for (const post of sent) expect(post.body).toMatchObject({ account: US, duration: 5 });
	});
});

describe('Auto is the Auto choice itself: no account is sent', () => {
	const withoutAccount: Record<string, unknown> = videoV2({});
	delete withoutAccount.account;
	it.each([
		{
			title: 'Auto from the list',
			parameters: videoV2({ account: rl('auto', 'list') }),
			account: undefined,
		},
		{ title: 'an expression giving "auto"', parameters: videoV2({}), account: 'auto' },
		{ title: 'no Account parameter (the default)', parameters: withoutAccount, account: undefined },
	])('$title', async ({ parameters, account }) => {
		const result = await run(VIDEO, parameters, [{ account, prompt: 'x', duration: 5 }]);
		expect(result.error).toBeUndefined();
		expect(posts()[0].body).not.toHaveProperty('account');
	});
});
