/**
 * Tests of the in-process n8n harness (test/harness), with small test nodes defined here and a
 * tiny local HTTP server standing in for the API.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError, sleep } from 'n8n-workflow';

import {
	activateWebhook,
	callWebhook,
	deactivateWebhook,
	disposeHarness,
	getEnv,
	getPackage,
	listSearch,
	loadOptions,
	runWorkflow,
	testCredential,
} from './harness';
import { DEFAULT_BASE_URL } from '../credentials/DreaminaApi.credentials';
import { startJsonServer, unusedPort, type ReceivedRequest } from './support/http-server';
import {
	delay,
	joinPath,
	PATH_SEP,
	readFile,
	removeDir,
	tempDir,
	writeFile,
} from './support/system';
import { linearWorkflow, type RawNodeSpec } from './support/workflows';

const TOKEN = 'dummy-token-harness-4c1e9d';

// ---------------------------------------------------------------------------------------------
// A tiny API server

interface TestServer {
	baseUrl: string;
	origin: string;
	requests: ReceivedRequest[];
	polls: number;
	hooks: Map<string, string>;
	close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
	const state = { polls: 0, hooks: new Map<string, string>() };
	let hookSeq = 0;
	const server = await startJsonServer((req) => {
		const send = (status: number, json: unknown) => ({ status, json });
		const auth = req.headers.authorization;
		if (req.path === '/v1/dreamina/status500/accounts') return send(500, { error: 'boom' });
		if (!req.path.startsWith('/v1/dreamina/')) return send(404, { error: 'not found' });
		if (auth === 'Bearer expired-subscription-token')
			return send(402, { error: 'Payment required' });
		if (auth !== `Bearer ${TOKEN}`) return send(401, { error: 'Unauthorized' });
		const route = req.path.slice('/v1/dreamina'.length);
		if (route === '/accounts' && req.method === 'GET') {
			return send(200, {
				'alice@example.com': { maxJobs: 2 },
				'bob@example.com': { maxJobs: 1 },
			});
		}
		if (route === '/poll') {
			state.polls += 1;
			return send(200, { status: 'pending' });
		}
		if (route === '/hooks' && req.method === 'POST') {
			hookSeq += 1;
			const id = `hook-${hookSeq}`;
			state.hooks.set(id, (JSON.parse(req.body) as { url: string }).url);
			return send(200, { id });
		}
		if (route.startsWith('/hooks/') && req.method === 'DELETE') {
			state.hooks.delete(route.slice('/hooks/'.length));
			return send(200, { deleted: true });
		}
		return send(404, { error: 'no route' });
	});
	return {
		baseUrl: `${server.origin}/v1/dreamina`,
		origin: server.origin,
		requests: server.requests,
		get polls() {
			return state.polls;
		},
		hooks: state.hooks,
		close: server.close,
	};
}

// ---------------------------------------------------------------------------------------------
// Test nodes

const base = (name: string, extra: Partial<INodeTypeDescription> = {}): INodeTypeDescription => ({
	displayName: name,
	name,
	group: ['transform'],
	version: 1,
	description: name,
	defaults: { name },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
	...extra,
});

/** Calls GET {baseUrl}/accounts with the credential; also a loadOptions method doing the same. */
class AccountsNode implements INodeType {
	description = base('accounts', {
		credentials: [{ name: 'dreaminaApi', required: true }],
		properties: [
			{ displayName: 'Label', name: 'label', type: 'string', default: 'none' },
			{ displayName: 'Prefix', name: 'prefix', type: 'string', default: 'acc:' },
			{
				displayName: 'Account',
				name: 'account',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getAccounts' },
				default: '',
			},
		],
	});

	methods = {
		loadOptions: {
			async getAccounts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const credentials = await this.getCredentials<{ baseUrl: string }>('dreaminaApi');
				const data = (await this.helpers.httpRequestWithAuthentication.call(this, 'dreaminaApi', {
					url: `${credentials.baseUrl}/accounts`,
					json: true,
				})) as IDataObject;
				const prefix = this.getCurrentNodeParameter('prefix') as string;
				return Object.keys(data).map((email) => ({ name: `${prefix}${email}`, value: email }));
			},
		},
		listSearch: {
			/** One account per page; the pagination token is the next page's index, as a number. */
			async searchAccounts(
				this: ILoadOptionsFunctions,
				filter?: string,
				paginationToken?: string | number,
			): Promise<INodeListSearchResult> {
				const credentials = await this.getCredentials<{ baseUrl: string }>('dreaminaApi');
				const data = (await this.helpers.httpRequestWithAuthentication.call(this, 'dreaminaApi', {
					url: `${credentials.baseUrl}/accounts`,
					json: true,
				})) as IDataObject;
				const prefix = this.getCurrentNodeParameter('prefix') as string;
				const emails = Object.keys(data).filter((email) => !filter || email.includes(filter));
				const page = Number(paginationToken ?? 0);
				return {
					results: emails
						.slice(page, page + 1)
						.map((email) => ({ name: `${prefix}${email}`, value: email })),
					// a number, as some nodes return it (n8n's type says string; n8n converts it)
					paginationToken: (page + 1 < emails.length ? page + 1 : undefined) as unknown as string,
				};
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials<{ baseUrl: string }>('dreaminaApi');
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < this.getInputData().length; i++) {
			const data = (await this.helpers.httpRequestWithAuthentication.call(this, 'dreaminaApi', {
				url: `${credentials.baseUrl}/accounts`,
				json: true,
			})) as IDataObject;
			out.push({
				json: { accounts: Object.keys(data), label: this.getNodeParameter('label', i) as string },
				pairedItem: { item: i },
			});
		}
		return [out];
	}
}

/** Returns the credential data it gets (to check defaults); never sends it anywhere. */
class CredentialEchoNode implements INodeType {
	description = base('credentialEcho', { credentials: [{ name: 'dreaminaApi', required: true }] });

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials<{ baseUrl: string; apiToken: string }>(
			'dreaminaApi',
		);
		return [[{ json: { baseUrl: credentials.baseUrl, tokenLength: credentials.apiToken.length } }]];
	}
}

/** Writes binary data with prepareBinaryData. */
class WriteBinaryNode implements INodeType {
	description = base('writeBinary', {
		properties: [{ displayName: 'Text', name: 'text', type: 'string', default: 'hello' }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const text = this.getNodeParameter('text', i) as string;
			const binary = await this.helpers.prepareBinaryData(
				Buffer.from(text),
				`file-${i}.txt`,
				'text/plain',
			);
			out.push({ json: { i }, binary: { data: binary }, pairedItem: { item: i } });
		}
		return [out];
	}
}

/** Reads binary data back through getBinaryStream. */
class ReadBinaryNode implements INodeType {
	description = base('readBinary');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const binary = this.helpers.assertBinaryData(i, 'data');
			const chunks: Buffer[] = [];
			const stream = await this.helpers.getBinaryStream(binary.id!);
			for await (const chunk of stream) chunks.push(chunk as Buffer);
			const content = Buffer.concat(chunks);
			out.push({
				json: {
					id: binary.id!,
					length: content.length,
					head: content.subarray(0, 16).toString('utf-8'),
					mimeType: binary.mimeType,
					fileName: binary.fileName ?? null,
				},
				pairedItem: { item: i },
			});
		}
		return [out];
	}
}

/** Fails the way API nodes fail; continueOnFail yields error items. */
class FailNode implements INodeType {
	description = base('fail', {
		properties: [{ displayName: 'Kind', name: 'kind', type: 'string', default: 'operation' }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const kind = this.getNodeParameter('kind', i) as string;
			const error =
				kind === 'api'
					? new NodeApiError(
							this.getNode(),
							{ message: 'Quota exceeded', error: 'quota' },
							{
								httpCode: '429',
								message: 'Rate limited',
								description: 'Wait a minute and retry',
								itemIndex: i,
							},
						)
					: new NodeOperationError(this.getNode(), `Item ${i} is invalid`, {
							description: 'Fix the input',
							itemIndex: i,
						});
			if (!this.continueOnFail()) throw error;
			out.push({ json: { error: error.message }, pairedItem: { item: i } });
		}
		return [out];
	}
}

/** Polls until cancelled; honours this.getExecutionCancelSignal(). */
class PollNode implements INodeType {
	description = base('poll', { credentials: [{ name: 'dreaminaApi', required: true }] });

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials<{ baseUrl: string }>('dreaminaApi');
		const signal = this.getExecutionCancelSignal();
		while (!signal?.aborted) {
			// n8n aborts a request in flight when the execution is cancelled: that ends the loop too
			await this.helpers.httpRequestWithAuthentication
				.call(this, 'dreaminaApi', { url: `${credentials.baseUrl}/poll`, json: true })
				.catch((error: unknown) => {
					if (!signal?.aborted) throw error;
				});
			await Promise.race([
				sleep(40),
				new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve())),
			]);
		}
		throw new NodeOperationError(this.getNode(), 'Execution was cancelled while polling');
	}
}

/** Webhook node with setup methods (registers its URL with the API) and request checks. */
class CallbackTrigger implements INodeType {
	description = base('callbackTrigger', {
		group: ['trigger'],
		inputs: [],
		credentials: [{ name: 'dreaminaApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: '={{$parameter["responseMode"]}}',
				path: 'callback',
			},
		],
		properties: [
			{ displayName: 'Secret', name: 'secret', type: 'string', default: 's3cret' },
			{ displayName: 'Response Mode', name: 'responseMode', type: 'string', default: 'onReceived' },
		],
	});

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return this.getWorkflowStaticData('node').hookId !== undefined;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = await this.getCredentials<{ baseUrl: string }>('dreaminaApi');
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'dreaminaApi',
					{
						method: 'POST',
						url: `${credentials.baseUrl}/hooks`,
						body: { url: this.getNodeWebhookUrl('default') },
						json: true,
					},
				)) as { id: string };
				this.getWorkflowStaticData('node').hookId = response.id;
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				const credentials = await this.getCredentials<{ baseUrl: string }>('dreaminaApi');
				await this.helpers.httpRequestWithAuthentication.call(this, 'dreaminaApi', {
					method: 'DELETE',
					url: `${credentials.baseUrl}/hooks/${staticData.hookId as string}`,
					json: true,
				});
				delete staticData.hookId;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const headers = this.getHeaderData();
		if (headers['x-secret'] !== this.getNodeParameter('secret')) {
			this.getResponseObject().status(401).json({ error: 'bad secret' });
			return { noWebhookResponse: true };
		}
		const body = this.getBodyData();
		if (body.ping === true) {
			return { webhookResponse: { pong: true } };
		}
		if (body.explode === true) {
			throw new NodeOperationError(this.getNode(), 'Cannot handle this callback');
		}
		const req = this.getRequestObject() as unknown as { rawBody: Buffer; params: IDataObject };
		return {
			workflowData: [
				this.helpers.returnJsonArray([
					{
						body,
						query: this.getQueryData() as IDataObject,
						rawLength: req.rawBody.length,
						url: this.getNodeWebhookUrl('default') ?? null,
					},
				]),
			],
		};
	}
}

/** Puts the execution to wait and is resumed through its restart webhook ($execution.resumeUrl). */
class WaitForCallback implements INodeType {
	description = base('waitForCallback', {
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '',
				restartWebhook: true,
			},
		],
		properties: [
			{
				displayName: 'Resume URL',
				name: 'resumeUrl',
				type: 'string',
				default: '={{ $execution.resumeUrl }}',
			},
		],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resumeUrl = this.getNodeParameter('resumeUrl', 0) as string;
		await this.putExecutionToWait(new Date(Date.now() + 60 * 60 * 1000));
		return [[{ json: { resumeUrl } }]];
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return { workflowData: [this.helpers.returnJsonArray([{ callback: this.getBodyData() }])] };
	}
}

/** Evaluates an expression parameter per item. */
class DoubleNode implements INodeType {
	description = base('double', {
		properties: [{ displayName: 'Value', name: 'value', type: 'number', default: 0 }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, i) => ({
				json: { ...item.json, doubled: this.getNodeParameter('value', i) as number },
				pairedItem: { item: i },
			})),
		];
	}
}

/** Has a required parameter (n8n refuses to start a workflow where it is empty). */
class RequiredParamNode implements INodeType {
	description = base('required', {
		properties: [
			{ displayName: 'Prompt', name: 'prompt', type: 'string', default: '', required: true },
		],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const extraNodeTypes: Record<string, INodeType> = {
	'test.required': new RequiredParamNode(),
	'test.accounts': new AccountsNode(),
	'test.credentialEcho': new CredentialEchoNode(),
	'test.writeBinary': new WriteBinaryNode(),
	'test.readBinary': new ReadBinaryNode(),
	'test.fail': new FailNode(),
	'test.poll': new PollNode(),
	'test.callbackTrigger': new CallbackTrigger(),
	'test.waitForCallback': new WaitForCallback(),
	'test.double': new DoubleNode(),
};

// ---------------------------------------------------------------------------------------------
// Workflow JSON builders (shaped like n8n exports)

type NodeSpec = RawNodeSpec;

const chain = (...specs: NodeSpec[]) => linearWorkflow(specs, 'Harness test');

const trigger: NodeSpec = { name: 'Start', type: 'n8n-nodes-base.manualTrigger' };
const credRef = { credentials: { dreaminaApi: { id: '7', name: 'Dreamina account' } } };

// ---------------------------------------------------------------------------------------------

let server: TestServer;
let fixtureDir: string;

beforeAll(async () => {
	server = await startServer();
	fixtureDir = tempDir('harness-fixtures-');
});

afterAll(async () => {
	await server.close();
	removeDir(fixtureDir);
	await disposeHarness();
});

const creds = () => ({ dreaminaApi: { apiToken: TOKEN, baseUrl: server.baseUrl } });

describe('loading and starting', () => {
	test('loads the package credential (and nodes listed in package.json) under n8n names', async () => {
		const pkg = await getPackage();
		expect(pkg.packageName).toBe('n8n-nodes-dreamina');
		expect(pkg.credentialTypes.dreaminaApi?.name).toBe('dreaminaApi');
		for (const typeName of Object.keys(pkg.nodeTypes)) {
			expect(typeName).toMatch(/^n8n-nodes-dreamina\.[a-zA-Z]+$/);
		}
	});

	test('an unknown node type fails the run clearly', async () => {
		await expect(
			runWorkflow({ workflow: chain(trigger, { name: 'X', type: 'test.nope' }) }),
		).rejects.toThrow(/Unrecognized node type: test\.nope/);
	});

	test('a workflow n8n refuses to start is reported as a failed run', async () => {
		const noStart = await runWorkflow({ workflow: { nodes: [], connections: {} } });
		expect(noStart.status).toBe('error');
		expect(noStart.error?.message).toMatch(/No node to start the workflow from/);

		const issues = await runWorkflow({
			workflow: chain(trigger, { name: 'Generate', type: 'test.required' }),
			extraNodeTypes,
		});
		expect(issues.status).toBe('error');
		expect(issues.error).toMatchObject({ name: 'WorkflowHasIssuesError' });
		expect(issues.error?.message).toMatch(
			/The 'Generate' node has issues:\n- Parameter "Prompt" is required/,
		);
	});
});

describe('runWorkflow', () => {
	test('credentials: generic auth sends the Bearer token; defaults are filled in', async () => {
		const before = server.requests.length;
		const result = await runWorkflow({
			workflow: chain(trigger, {
				name: 'Accounts',
				type: 'test.accounts',
				parameters: { label: '={{ "run-" + $execution.id }}' },
				extra: credRef,
			}),
			credentials: creds(),
			extraNodeTypes,
			executionId: '4242',
		});
		expect(result.status).toBe('success');
		expect(result.output('Accounts')[0].json).toEqual({
			accounts: ['alice@example.com', 'bob@example.com'],
			label: 'run-4242',
		});
		const calls = server.requests.slice(before);
		expect(calls).toHaveLength(1);
		expect(calls[0].url).toBe('/v1/dreamina/accounts');
		expect(calls[0].headers.authorization).toBe(`Bearer ${TOKEN}`);

		const echo = await runWorkflow({
			workflow: chain(trigger, { name: 'Echo', type: 'test.credentialEcho', extra: credRef }),
			credentials: { dreaminaApi: { apiToken: TOKEN } },
			extraNodeTypes,
		});
		expect(echo.output('Echo')[0].json).toEqual({
			baseUrl: DEFAULT_BASE_URL,
			tokenLength: TOKEN.length,
		});
	});

	test('a wrong token fails the node with an API error that does not contain the token', async () => {
		const result = await runWorkflow({
			workflow: chain(trigger, { name: 'Accounts', type: 'test.accounts', extra: credRef }),
			credentials: { dreaminaApi: { apiToken: 'wrong-token-123', baseUrl: server.baseUrl } },
			extraNodeTypes,
		});
		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({ node: 'Accounts', httpCode: '401' });
		expect(JSON.stringify(result.error)).not.toContain('wrong-token-123');
		expect(result.nodeError('Accounts')?.httpCode).toBe('401');
	});

	test('missing credentials fail the node', async () => {
		const result = await runWorkflow({
			workflow: chain(trigger, { name: 'Accounts', type: 'test.accounts', extra: credRef }),
			extraNodeTypes,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/does not exist for type "dreaminaApi"/);
	});

	test('binary data: fixture -> filesystem store -> read back via getBinaryStream', async () => {
		const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(2048, 7)]);
		const file = joinPath(fixtureDir, 'image.png');
		writeFile(file, png);
		const result = await runWorkflow({
			workflow: chain(
				trigger,
				{
					name: 'Fixture',
					type: 'test.binaryFixture',
					parameters: {
						files: JSON.stringify([{ path: file, mimeType: 'image/png', fileName: 'image.png' }]),
					},
				},
				{ name: 'Read', type: 'test.readBinary' },
			),
			extraNodeTypes,
			executionId: '777',
		});
		expect(result.status).toBe('success');
		const stored = result.output('Fixture')[0].binary!.data;
		expect(stored.id).toMatch(/^filesystem-v2:/);
		expect(stored.mimeType).toBe('image/png');
		expect(await result.readBinary(stored)).toEqual(png);
		const storedPath = result.binaryPath(stored);
		const { binaryDataDir } = await getEnv();
		expect(storedPath.startsWith(binaryDataDir)).toBe(true);
		expect(storedPath).toContain(`${PATH_SEP}executions${PATH_SEP}777${PATH_SEP}`);
		expect(readFile(storedPath)).toEqual(png);
		expect(result.output('Read')[0].json).toMatchObject({
			id: stored.id,
			length: png.length,
			mimeType: 'image/png',
		});
	});

	test('binary data written by a node, and items-mode fixtures', async () => {
		const text = joinPath(fixtureDir, 'a.txt');
		writeFile(text, 'AAA');
		const result = await runWorkflow({
			workflow: chain(
				trigger,
				{
					name: 'Fixture',
					type: 'test.binaryFixture',
					parameters: {
						items: JSON.stringify([
							{ json: { k: 1 }, files: [{ path: text, mimeType: 'text/plain', property: 'doc' }] },
							{ json: { k: 2 } },
						]),
					},
				},
				{
					name: 'Write',
					type: 'test.writeBinary',
					parameters: { text: '={{ "item " + $json.k }}' },
				},
				{ name: 'Read', type: 'test.readBinary' },
			),
			extraNodeTypes,
		});
		expect(result.status).toBe('success');
		expect(result.output('Fixture')[0].json).toEqual({ k: 1 });
		expect(result.output('Fixture')[0].binary?.doc.fileName).toBe('a.txt');
		expect(result.output('Fixture')[1].binary).toBeUndefined();
		expect(result.output('Read').map((i) => i.json.head)).toEqual(['item 1', 'item 2']);
		const written = result.output('Write')[1].binary!.data;
		expect((await result.readBinary(written)).toString()).toBe('item 2');
	});

	test('a failing node stops the run; continueOnFail / onError turn errors into items', async () => {
		const failed = await runWorkflow({
			workflow: chain(trigger, { name: 'Fail', type: 'test.fail' }),
			extraNodeTypes,
		});
		expect(failed.status).toBe('error');
		expect(() => failed.output('Nope')).toThrow(/did not run/);
		expect(failed.error).toMatchObject({
			message: 'Item 0 is invalid',
			description: 'Fix the input',
			node: 'Fail',
			name: 'NodeOperationError',
		});

		const api = await runWorkflow({
			workflow: chain(trigger, { name: 'Fail', type: 'test.fail', parameters: { kind: 'api' } }),
			extraNodeTypes,
		});
		expect(api.error).toMatchObject({ node: 'Fail', httpCode: '429', name: 'NodeApiError' });

		for (const extra of [{ continueOnFail: true }, { onError: 'continueRegularOutput' }]) {
			const soft = await runWorkflow({
				workflow: chain(
					trigger,
					{ name: 'Fail', type: 'test.fail', extra },
					{ name: 'After', type: 'n8n-nodes-base.noOp' },
				),
				extraNodeTypes,
			});
			expect(soft.status).toBe('success');
			expect(soft.output('After')[0].json).toEqual({ error: 'Item 0 is invalid' });
		}
	});

	test('cancellation aborts the node via getExecutionCancelSignal()', async () => {
		const started = Date.now();
		const result = await runWorkflow({
			workflow: chain(trigger, { name: 'Poll', type: 'test.poll', extra: credRef }),
			credentials: creds(),
			extraNodeTypes,
			cancelAfterMs: 250,
		});
		expect(result.status).toBe('canceled');
		expect(result.error).toBeUndefined();
		expect(result.runData.Poll).toBeUndefined(); // still running when n8n reported the cancel
		expect(result.settledAfterCancel).toBe(true);
		expect(result.afterCancel?.error).toMatchObject({
			node: 'Poll',
			message: 'Execution was cancelled while polling',
		});
		expect(Date.now() - started).toBeLessThan(3000);
		const polls = server.polls;
		expect(polls).toBeGreaterThan(1);
		await delay(150);
		expect(server.polls).toBe(polls); // stopped polling
	});

	test('timeoutMs fails a run that does not finish', async () => {
		await expect(
			runWorkflow({
				workflow: chain(trigger, { name: 'Poll', type: 'test.poll', extra: credRef }),
				credentials: creds(),
				extraNodeTypes,
				timeoutMs: 200,
			}),
		).rejects.toThrow(/did not finish within 200 ms/);
	});

	test('putExecutionToWait: status waiting, $execution.resumeUrl from the base URL; resume via webhook', async () => {
		const workflow = chain(
			trigger,
			{ name: 'Wait', type: 'test.waitForCallback' },
			{ name: 'After', type: 'n8n-nodes-base.noOp' },
		);
		const waiting = await runWorkflow({
			workflow,
			extraNodeTypes,
			executionId: '9001',
			webhookBaseUrl: 'https://n8n.example.com/',
		});
		expect(waiting.status).toBe('waiting');
		expect(waiting.waitTill).toBeInstanceOf(Date);
		expect(waiting.waitTill!.getTime()).toBeGreaterThan(Date.now());
		const resumeUrl = waiting.output('Wait')[0].json.resumeUrl as string;
		expect(resumeUrl).toMatch(
			/^https:\/\/n8n\.example\.com\/webhook-waiting\/9001\?signature=[0-9a-f]+$/,
		);
		expect(() => waiting.output('After')).toThrow(/did not run/);

		const resumed = await callWebhook({
			workflow,
			resume: waiting,
			method: 'POST',
			body: { job: 'done' },
			extraNodeTypes,
			webhookBaseUrl: 'https://n8n.example.com/',
		});
		expect(resumed.statusCode).toBe(200);
		expect(resumed.webhookUrl).toBe('https://n8n.example.com/webhook-waiting/9001');
		expect(resumed.run?.status).toBe('success');
		expect(resumed.run?.executionId).toBe('9001');
		expect(resumed.run?.output('After')[0].json).toEqual({ callback: { job: 'done' } });

		const again = await callWebhook({
			workflow,
			resume: resumed.run!,
			method: 'POST',
			extraNodeTypes,
		});
		expect(again.statusCode).toBe(409);
	});
});

describe('testCredential', () => {
	test('200 -> OK', async () => {
		expect(
			await testCredential('dreaminaApi', { apiToken: TOKEN, baseUrl: server.baseUrl }),
		).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		const last = server.requests[server.requests.length - 1];
		expect(last.url).toBe('/v1/dreamina/accounts');
		expect(last.headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	test('401 / 402 -> the rule messages', async () => {
		const bad = await testCredential('dreaminaApi', {
			apiToken: 'nope-nope',
			baseUrl: server.baseUrl,
		});
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/401 Unauthorized/);
		const expired = await testCredential('dreaminaApi', {
			apiToken: 'expired-subscription-token',
			baseUrl: server.baseUrl,
		});
		expect(expired).toEqual({
			status: 'Error',
			message: expect.stringMatching(/subscription has expired \(402\)/),
		});
	});

	test('404 -> base URL rule; other status -> generic message', async () => {
		const notApi = await testCredential('dreaminaApi', {
			apiToken: TOKEN,
			baseUrl: `${server.origin}/elsewhere`,
		});
		expect(notApi.message).toMatch(/Base URL does not point at the Dreamina API/);
		const boom = await testCredential('dreaminaApi', {
			apiToken: TOKEN,
			baseUrl: `${server.baseUrl}/status500`,
		});
		expect(boom.status).toBe('Error');
		expect(boom.message).toMatch(/Internal Server Error|500/);
	});

	test('nothing listening -> connection error', async () => {
		const port = await unusedPort();
		const result = await testCredential('dreaminaApi', {
			apiToken: TOKEN,
			baseUrl: `http://127.0.0.1:${port}/v1/dreamina`,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/ECONNREFUSED|connect/i);
		expect(result.message).not.toContain(TOKEN);
	});
});

describe('loadOptions', () => {
	test('calls the method with credentials and current parameters', async () => {
		const options = await loadOptions('test.accounts', 'getAccounts', { prefix: '@' }, creds(), {
			extraNodeTypes,
		});
		expect(options).toEqual([
			{ name: '@alice@example.com', value: 'alice@example.com' },
			{ name: '@bob@example.com', value: 'bob@example.com' },
		]);
		const defaults = await loadOptions('test.accounts', 'getAccounts', {}, creds(), {
			extraNodeTypes,
		});
		expect(defaults[0].name).toBe('acc:alice@example.com');
	});

	test('unknown method is an error', async () => {
		await expect(
			loadOptions('test.accounts', 'nope', {}, creds(), { extraNodeTypes }),
		).rejects.toThrow(/no loadOptions method/);
	});
});

describe('listSearch', () => {
	test('a resource locator list: filter, current parameters, credentials, pages with a string token', async () => {
		const first = await listSearch('test.accounts', 'searchAccounts', { prefix: '@' }, creds(), {
			extraNodeTypes,
		});
		expect(first).toEqual({
			results: [{ name: '@alice@example.com', value: 'alice@example.com' }],
			paginationToken: '1', // n8n turns a numeric token into a string
		});
		const second = await listSearch('test.accounts', 'searchAccounts', { prefix: '@' }, creds(), {
			extraNodeTypes,
			paginationToken: first.paginationToken as string,
		});
		expect(second).toEqual({
			results: [{ name: '@bob@example.com', value: 'bob@example.com' }],
			paginationToken: undefined,
		});
		const filtered = await listSearch('test.accounts', 'searchAccounts', {}, creds(), {
			extraNodeTypes,
			filter: 'bob',
		});
		expect(filtered.results).toEqual([{ name: 'acc:bob@example.com', value: 'bob@example.com' }]);
		await expect(
			listSearch('test.accounts', 'nope', {}, creds(), { extraNodeTypes }),
		).rejects.toThrow(/no listSearch method/);
	});
});

describe('webhooks', () => {
	const webhookWorkflow = (responseMode = 'onReceived') => {
		const wf = chain(
			{
				name: 'Callback',
				type: 'test.callbackTrigger',
				parameters: { responseMode },
				extra: { ...credRef, webhookId: '5b2f0c1e-0000-4000-8000-000000000001' },
			},
			{ name: 'Double', type: 'test.double', parameters: { value: '={{ $json.body.n * 2 }}' } },
		);
		return { ...wf, id: 'wf-hooks' };
	};

	test('activation registers the webhook URL; deactivation deletes it', async () => {
		const workflow = webhookWorkflow();
		const activated = await activateWebhook({
			workflow,
			nodeName: 'Callback',
			credentials: creds(),
			extraNodeTypes,
			webhookBaseUrl: 'https://n8n.example.com',
		});
		expect(activated.existed).toBe(false);
		expect(activated.created).toBe(true);
		const url = 'https://n8n.example.com/webhook/5b2f0c1e-0000-4000-8000-000000000001/callback';
		expect(activated.webhookUrl).toBe(url);
		const hookId = (activated.staticData['node:Callback'] as IDataObject).hookId as string;
		expect(server.hooks.get(hookId)).toBe(url);

		const again = await activateWebhook({
			workflow,
			nodeName: 'Callback',
			credentials: creds(),
			extraNodeTypes,
			staticData: activated.staticData,
		});
		expect(again).toMatchObject({ existed: true, created: false });

		const deactivated = await deactivateWebhook({
			workflow,
			nodeName: 'Callback',
			credentials: creds(),
			extraNodeTypes,
			staticData: activated.staticData,
		});
		expect(deactivated.result).toBe(true);
		expect(server.hooks.has(hookId)).toBe(false);
		expect(deactivated.staticData['node:Callback']).toEqual({});
	});

	test('onReceived: answers right away and runs the rest of the workflow', async () => {
		const raw = Buffer.from(JSON.stringify({ n: 21 }));
		const result = await callWebhook({
			workflow: webhookWorkflow(),
			nodeName: 'Callback',
			method: 'POST',
			headers: { 'x-secret': 's3cret', 'content-type': 'application/json' },
			query: { job: 'j-1' },
			rawBody: raw,
			credentials: creds(),
			extraNodeTypes,
			webhookBaseUrl: 'https://n8n.example.com/',
		});
		expect(result.statusCode).toBe(200);
		expect(result.body).toBe('firstEntryJson'); // what n8n answers when responseData is not declared
		expect(result.run?.status).toBe('success');
		expect(result.workflowData?.[0][0].json).toMatchObject({
			body: { n: 21 },
			query: { job: 'j-1' },
			rawLength: raw.length,
		});
		expect(result.run?.output('Callback')[0].json.url).toBe(
			'https://n8n.example.com/webhook/5b2f0c1e-0000-4000-8000-000000000001/callback',
		);
		expect(result.run?.output('Double')[0].json.doubled).toBe(42);
	});

	test("lastNode: answers with the last node's first item", async () => {
		const result = await callWebhook({
			workflow: webhookWorkflow('lastNode'),
			nodeName: 'Callback',
			method: 'POST',
			path: '/webhook/5b2f0c1e-0000-4000-8000-000000000001/callback',
			headers: { 'x-secret': 's3cret' },
			body: { n: 5 },
			credentials: creds(),
			extraNodeTypes,
		});
		expect(result.statusCode).toBe(200);
		expect(result.headers['content-type']).toMatch(/application\/json/);
		expect(result.body).toMatchObject({ body: { n: 5 }, doubled: 10 });
	});

	test('a node that answers itself, and one that returns only a webhookResponse', async () => {
		const denied = await callWebhook({
			workflow: webhookWorkflow(),
			nodeName: 'Callback',
			method: 'POST',
			headers: { 'x-secret': 'wrong' },
			body: { n: 1 },
			credentials: creds(),
			extraNodeTypes,
		});
		expect(denied).toMatchObject({ statusCode: 401, body: { error: 'bad secret' } });
		expect(denied.run).toBeUndefined();

		const ping = await callWebhook({
			workflow: webhookWorkflow(),
			nodeName: 'Callback',
			method: 'POST',
			headers: { 'x-secret': 's3cret' },
			body: { ping: true },
			credentials: creds(),
			extraNodeTypes,
		});
		expect(ping).toMatchObject({ statusCode: 200, body: { pong: true } });
		expect(ping.run).toBeUndefined();
	});

	test('webhook() throwing: 500 for the caller, failed execution with the error', async () => {
		const result = await callWebhook({
			workflow: webhookWorkflow(),
			nodeName: 'Callback',
			method: 'POST',
			headers: { 'x-secret': 's3cret' },
			body: { explode: true },
			credentials: creds(),
			extraNodeTypes,
		});
		expect(result.statusCode).toBe(500);
		expect(result.body).toMatchObject({
			message: 'Workflow Webhook Error: Workflow could not be started!',
		});
		expect(result.webhookError?.message).toBe('Cannot handle this callback');
		expect(result.run?.status).toBe('error');
		expect(result.run?.error?.message).toBe('Cannot handle this callback');
	});

	test('wrong method or path -> 404; unparsable JSON -> 422', async () => {
		const wrongMethod = await callWebhook({
			workflow: webhookWorkflow(),
			nodeName: 'Callback',
			method: 'GET',
			credentials: creds(),
			extraNodeTypes,
		});
		expect(wrongMethod.statusCode).toBe(404);
		const wrongPath = await callWebhook({
			workflow: webhookWorkflow(),
			nodeName: 'Callback',
			method: 'POST',
			path: '/webhook/other',
			credentials: creds(),
			extraNodeTypes,
		});
		expect(wrongPath.statusCode).toBe(404);
		const badJson = await callWebhook({
			workflow: webhookWorkflow(),
			nodeName: 'Callback',
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-secret': 's3cret' },
			rawBody: Buffer.from('{not json'),
			credentials: creds(),
			extraNodeTypes,
		});
		expect(badJson.statusCode).toBe(422);
	});
});
