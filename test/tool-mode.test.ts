/**
 * Issue 12.6: Generate Video and Get Job as an AI Agent's tools, through n8n's own tool machinery
 * in-process: an agent-like node asks n8n-core for its tools
 * (`getInputConnectionData(AiTool, 0)`, node-execution-context/utils/get-input-connection-data.js),
 * which wraps each connected `<type>Tool` node with `createNodeAsTool` (a LangChain tool whose
 * schema comes from the node's `$fromAI()` parameters) and, when invoked, runs the node's
 * execute() with one item `{ json: toolArgs }`. What the agent gets back is what these tests read.
 *
 * One piece is not in n8n-core: n8n's CLI makes the `<type>Tool` node type out of a node with
 * `usableAsTool` (NodeTypes.getByNameAndVersion + tool-generation/ai-tools.js convertNodeToAiTool
 * in the `n8n` package). The harness has no such type, so `toolType` below does the same
 * conversion on the node type the harness loaded (and tells the harness to use it).
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { getPackage, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { CREDENTIAL_REF, dreamina, linearWorkflow } from './support/workflows';

const CA = 'CA:ca-user@example.com';

/** The part of a LangChain tool an agent uses. */
interface AgentTool {
	name: string;
	description: string;
	invoke: (args: Record<string, unknown>) => Promise<unknown>;
}

function isAgentTool(value: unknown): value is AgentTool {
	const tool = value as Partial<AgentTool> | null;
	return (
		typeof tool === 'object' &&
		tool !== null &&
		typeof tool.name === 'string' &&
		typeof tool.invoke === 'function'
	);
}

/**
 * Stands in for n8n's AI Agent: takes its tools from the AiTool input and calls each with the
 * arguments in `calls` (what a model would choose), outputting what every call answered.
 */
class TestAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Agent',
		name: 'testAgent',
		group: ['transform'],
		version: 1,
		description: 'Calls its tools with fixed arguments (test only)',
		defaults: { name: 'Agent' },
		usableAsTool: true,
		inputs: [
			NodeConnectionTypes.Main,
			{ type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true },
		],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Calls (JSON)',
				name: 'calls',
				type: 'string',
				default: '[]',
				description: '[{ "tool": name, "args": { … } }]',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const connected = await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0);
		const tools = (Array.isArray(connected) ? connected : [connected]).filter(isAgentTool);
		const calls = JSON.parse(this.getNodeParameter('calls', 0) as string) as Array<{
			tool: string;
			args: Record<string, unknown>;
		}>;
		const out: INodeExecutionData[] = [];
		for (const call of calls) {
			const tool = tools.find((t) => t.name === call.tool);
			if (!tool) {
				out.push({ json: { tool: call.tool, missing: true, available: tools.map((t) => t.name) } });
				continue;
			}
			try {
				const answer = await tool.invoke(call.args);
				out.push({
					json: {
						tool: tool.name,
						description: tool.description,
						answer: typeof answer === 'string' ? answer : JSON.stringify(answer),
					},
				});
			} catch (error) {
				out.push({ json: { tool: tool.name, thrown: (error as Error).message } });
			}
		}
		return [out];
	}
}

const TOOL_DESCRIPTION: INodeProperties = {
	displayName: 'Description',
	name: 'toolDescription',
	type: 'string',
	default: '',
	required: true,
	typeOptions: { rows: 2 },
	description: 'Explain to the LLM what this tool does',
};

/** `<type>Tool` as n8n's CLI builds it (convertNodeToAiTool): no inputs, an AiTool output. */
async function toolType(type: string): Promise<INodeType> {
	const loaded = (await getPackage()).nodeTypes[type] as INodeType | IVersionedNodeType;
	if ('nodeVersions' in loaded) throw new Error(`${type} is a versioned type; convert one version`);
	if (!loaded.description.usableAsTool) throw new Error(`${type} is not usableAsTool`);
	const description: INodeTypeDescription = {
		...loaded.description,
		name: `${loaded.description.name}Tool`,
		displayName: `${loaded.description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
		properties: [
			...loaded.description.properties,
			{ ...TOOL_DESCRIPTION, default: loaded.description.description },
		],
	};
	delete description.usableAsTool;
	return Object.assign(Object.create(loaded) as INodeType, { description });
}

let emu: Emulator;
let credentials: { dreaminaApi: { apiToken: string; baseUrl: string } };
let extraNodeTypes: Record<string, INodeType>;

beforeAll(async () => {
	emu = await startEmulator({ jobDurationMs: { video: 300, image: 200, upscale: 200 } });
	credentials = { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } };
	extraNodeTypes = {
		'test.testAgent': new TestAgent(),
		[dreamina('dreaminaGenerateVideoTool')]: await toolType(dreamina('dreaminaGenerateVideo')),
		[dreamina('dreaminaGetJobTool')]: await toolType(dreamina('dreaminaGetJob')),
	};
});
afterAll(async () => emu.close());
beforeEach(() => emu.clearRequests());

const rl = (value: string, mode: 'list' | 'id' = 'id') => ({ __rl: true, mode, value });

interface ToolNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
}

/** Start → Agent, with the tool nodes connected to the Agent's Tools input. */
function agentWorkflow(
	calls: Array<{ tool: string; args: Record<string, unknown> }>,
	tools: ToolNode[],
) {
	const workflow = linearWorkflow(
		[
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
			{ name: 'Agent', type: 'test.testAgent', parameters: { calls: JSON.stringify(calls) } },
		],
		'agent with Dreamina tools',
	);
	const connections = workflow.connections as Record<string, unknown>;
	tools.forEach((tool, i) => {
		workflow.nodes.push({
			id: `tool-${i}`,
			name: tool.name,
			type: tool.type,
			typeVersion: 2,
			position: [220, 200 + i * 120],
			parameters: tool.parameters,
			credentials: CREDENTIAL_REF,
		} as (typeof workflow.nodes)[number]);
		connections[tool.name] = {
			[NodeConnectionTypes.AiTool]: [
				[{ node: 'Agent', type: NodeConnectionTypes.AiTool, index: 0 }],
			],
		};
	});
	return workflow;
}

const videoTool = (waitForCompletion: string): ToolNode => ({
	name: 'Generate Video',
	type: dreamina('dreaminaGenerateVideoTool'),
	parameters: {
		account: rl(CA),
		inputMode: 'prompt',
		model: rl('seedance-2.0'),
		prompt: "={{ $fromAI('prompt', 'What the video shows', 'string') }}",
		waitForCompletion,
		options: { firstCheckSeconds: 0.3, maxIntervalSeconds: 0.3 },
		toolDescription: 'Makes a short video from a prompt',
	},
});

const getJobTool: ToolNode = {
	name: 'Get Job',
	type: dreamina('dreaminaGetJobTool'),
	parameters: {
		jobid: rl("={{ $fromAI('jobid', 'The jobid of a Dreamina job', 'string') }}"),
		waitForCompletion: 'poll',
		options: { firstCheckSeconds: 0.3, maxIntervalSeconds: 0.3 },
		toolDescription: 'Reads a Dreamina job by its jobid',
	},
};

type Answer = Array<Record<string, unknown>>;

function answerOf(json: Record<string, unknown>): Answer {
	expect(json).not.toHaveProperty('thrown');
	expect(json).not.toHaveProperty('missing');
	return JSON.parse(json.answer as string) as Answer;
}

const fileDownloads = () => emu.requests.filter((r) => r.path.includes('/files/'));

describe('Dreamina nodes as an agent’s tools (n8n-core createNodeAsTool)', () => {
	it('Generate Video: the agent gets the finished job record with its result URLs, and no binary', async () => {
		const result = await runWorkflow({
			workflow: agentWorkflow(
				[{ tool: 'Generate_Video', args: { prompt: 'a paper boat on a pond' } }],
				[videoTool('poll')],
			),
			credentials,
			extraNodeTypes,
			timeoutMs: 40_000,
		});
		expect(result.error).toBeUndefined();
		const [call] = result.output('Agent');
		expect(call.json.description).toBe('Makes a short video from a prompt');
		const [job] = answerOf(call.json);
		expect(job).toMatchObject({
			status: 'completed',
			type: 'video',
			model: 'seedance-2.0',
			jobid: expect.stringMatching(/^j\d+v-u/),
			response: { videoUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.*\.mp4$/) },
		});
		expect(
			emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/videos')),
		).toHaveLength(1);
		expect(emu.requests.find((r) => r.method === 'POST')?.body).toMatchObject({
			account: CA,
			prompt: 'a paper boat on a pond',
		});
		// the result stays a URL: nothing is downloaded for an agent
		expect(fileDownloads()).toHaveLength(0);
		// n8n records the tool's run under its node name, with the answer it gave
		const toolRun = result.runData['Generate Video']?.at(-1);
		expect(toolRun?.data?.[NodeConnectionTypes.AiTool]?.[0]?.[0]?.json).toMatchObject({
			response: [expect.objectContaining({ status: 'completed' })],
		});
	});

	it('Generate Video set to Wait for Callback waits in the tool call instead (the agent needs an answer)', async () => {
		// As a tool the node polls within its Timeout rather than putting the execution to wait.
		// n8n drops the poll options a callback node hides (Options › First Check After), so the
		// first check would come after the video default (45 s); the Timeout (shown for callbacks
		// too) of 3 s ends the wait first, with the jobid, and the agent gets that as the answer.
		const tool = videoTool('callback');
		tool.parameters.options = { timeoutMinutes: 0.05 };
		const result = await runWorkflow({
			workflow: agentWorkflow(
				[{ tool: 'Generate_Video', args: { prompt: 'a kite over dunes' } }],
				[tool],
			),
			credentials,
			extraNodeTypes,
			timeoutMs: 30_000,
		});
		expect(result.status).toBe('success');
		expect(result.waitTill).toBeUndefined();
		const [call] = result.output('Agent');
		expect(call.json.thrown).toMatch(/still running after 0\.05 minutes/);
		expect(call.json.thrown).toMatch(/Job ID: j\d+v-u/);
		const posts = emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/videos'));
		expect(posts).toHaveLength(1);
		expect(posts[0].body).not.toHaveProperty('replyUrl');
	});

	it('Get Job: the agent reads a job by the jobid it chose', async () => {
		const jobid = await emulatorClient(emu).submitJob('/videos', {
			account: CA,
			prompt: 'earlier',
		});
		const result = await runWorkflow({
			workflow: agentWorkflow([{ tool: 'Get_Job', args: { jobid } }], [getJobTool]),
			credentials,
			extraNodeTypes,
			timeoutMs: 40_000,
		});
		expect(result.error).toBeUndefined();
		const [job] = answerOf(result.output('Agent')[0].json);
		expect(job).toMatchObject({
			jobid,
			status: 'completed',
			response: { videoUrl: expect.stringContaining('.mp4') },
		});
		expect(fileDownloads()).toHaveLength(0);
	});

	it('a failed job comes back to the agent as an error naming the jobid', async () => {
		const result = await runWorkflow({
			workflow: agentWorkflow(
				[{ tool: 'Generate_Video', args: { prompt: '[fail:2038] not allowed' } }],
				[videoTool('poll')],
			),
			credentials,
			extraNodeTypes,
			timeoutMs: 40_000,
		});
		const [call] = result.output('Agent');
		expect(call.json.thrown).toMatch(/job failed: .*code 2038/);
		expect(call.json.thrown).toMatch(/Job ID: j\d+v-u/);
	});

	it('two calls with the same arguments are two jobs (an agent may mean both)', async () => {
		const result = await runWorkflow({
			workflow: agentWorkflow(
				[
					{ tool: 'Generate_Video', args: { prompt: 'the same prompt' } },
					{ tool: 'Generate_Video', args: { prompt: 'the same prompt' } },
				],
				[videoTool('none')],
			),
			credentials,
			extraNodeTypes,
			timeoutMs: 40_000,
		});
		const answers = result.output('Agent').map((item) => answerOf(item.json)[0]);
		expect(answers).toHaveLength(2);
		expect(answers[0].jobid).not.toBe(answers[1].jobid);
		expect(
			emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/videos')),
		).toHaveLength(2);
	});
});
