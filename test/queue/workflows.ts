/**
 * Workflows of the queue-mode tests, built the way the editor exports them. The Dreamina nodes
 * are taken from the examples as they are on disk (their type version and parameters follow the
 * nodes), and changed only where a test needs something else.
 */
import { readExamples, withParameters, type WorkflowJson } from './suite';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	onError?: string;
	notes?: string;
}

export type NodeSpec = Omit<WorkflowNode, 'id' | 'position'> & { id?: string };

export const MANUAL_TRIGGER_NAME = 'Start';

export function manualTrigger(): NodeSpec {
	return {
		name: MANUAL_TRIGGER_NAME,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		parameters: {},
	};
}

/** n8n's Code node (runs in the worker's task runner). */
export function code(name: string, jsCode: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode },
	};
}

/** A Code node that outputs `count` items `{ index, prompt: "<prefix> <index>" }`. */
export function promptItems(name: string, prefix: string, count: number): NodeSpec {
	return code(
		name,
		`return Array.from({ length: ${count} }, (_, index) => ({ json: { index, prompt: ${JSON.stringify(prefix)} + ' ' + index } }));`,
	);
}

export function noOp(name: string): NodeSpec {
	return { name, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
}

/** n8n's HTTP Request node downloading a URL into binary `data` (the baseline of the memory test). */
export function httpDownload(name: string, url: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			url,
			options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
		},
	};
}

/** n8n's Webhook node answering at once (responseMode onReceived): the baseline of the burst test. */
export function webhookNode(name: string, path: string): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: crypto.randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

/**
 * A node of an example workflow (a copy: its type, version and parameters as the example has
 * them now), renamed, with `parameters` merged in and the given credential.
 */
export function exampleNode(
	file: string,
	nodeName: string,
	spec: {
		name?: string;
		parameters?: Record<string, unknown>;
		credential?: { id: string; name: string };
	},
): NodeSpec {
	const example = readExamples().find((e) => e.file === file);
	if (!example) throw new Error(`examples/${file} is missing`);
	const node = (example.workflow.nodes as WorkflowNode[]).find((n) => n.name === nodeName);
	if (!node) throw new Error(`examples/${file} has no node "${nodeName}"`);
	const copy = JSON.parse(JSON.stringify(node)) as WorkflowNode;
	return {
		...copy,
		name: spec.name ?? copy.name,
		webhookId: copy.webhookId ? crypto.randomUUID() : undefined,
		parameters: { ...copy.parameters, ...spec.parameters },
		...(spec.credential
			? { credentials: { dreaminaApi: { id: spec.credential.id, name: spec.credential.name } } }
			: {}),
	};
}

/** Nodes connected one after another (main output 0 → main input 0). */
export function chain(name: string, specs: NodeSpec[]): WorkflowJson {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < specs.length - 1; i++)
		connections[specs[i].name] = { main: [[{ node: specs[i + 1].name, type: 'main', index: 0 }]] };
	const nodes: WorkflowNode[] = specs.map((spec, i) => {
		const node: WorkflowNode = {
			...spec,
			id: spec.id ?? crypto.randomUUID(),
			position: [i * 240, 0],
		};
		if (node.webhookId === undefined) delete node.webhookId;
		return node;
	});
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** Fast polling: emulator jobs take a second or less, not minutes. */
export const FAST_POLL = { firstCheckSeconds: 0.3, maxIntervalSeconds: 0.3 };

/**
 * Generate Video as examples/text-to-video.json has it (Poll Until Done, Download Result, its
 * version), with `parameters` set where that version keeps them (withParameters).
 */
export function generateVideo(
	name: string,
	credential: { id: string; name: string },
	parameters: Record<string, unknown> = {},
): NodeSpec {
	const node = exampleNode('text-to-video.json', 'Generate Video', { name, credential });
	node.parameters = withParameters(node, { ...FAST_POLL, ...parameters });
	return node;
}
