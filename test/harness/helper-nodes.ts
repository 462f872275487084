/**
 * Test-only node types. n8n-nodes-base is not installed, so the two base nodes that exported
 * workflows usually contain are re-implemented here under their real type names.
 */
import * as fs from 'node:fs';

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, jsonParse } from 'n8n-workflow';

/** Same behaviour as n8n's Manual Trigger: emits one empty item when the workflow is run. */
export class HarnessManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		icon: 'fa:mouse-pointer',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		eventTriggerDescription: '',
		maxNodes: 1,
		defaults: { name: "When clicking 'Execute workflow'" },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

/** Same behaviour as n8n's No Operation node: passes its input through. */
export class HarnessNoOp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'No Operation, do nothing',
		name: 'noOp',
		icon: 'fa:arrow-right',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

interface FixtureFile {
	path: string;
	mimeType?: string;
	fileName?: string;
	property?: string;
}
interface FixtureItem {
	json?: IDataObject;
	files?: FixtureFile[];
}

function parseJsonParameter<T>(ctx: IExecuteFunctions, name: string, raw: unknown): T {
	if (typeof raw !== 'string') return raw as T;
	try {
		return jsonParse<T>(raw);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "${name}" is not valid JSON`, {
			description: (error as Error).message,
		});
	}
}

/**
 * Reads files from disk into n8n binary data the way n8n stores it (filesystem mode, with an id):
 * `this.helpers.prepareBinaryData(fs.createReadStream(path), fileName, mimeType)`.
 *
 * Parameters:
 * - `files`: JSON `[{"path","mimeType","fileName","property":"data"}]` -> one item per entry.
 * - `items`: JSON `[{"json": {...}, "files": [...]}]` -> one item per entry, with every listed file.
 * `items` wins when both are set.
 */
export class HarnessBinaryFixture implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Binary Fixture (test)',
		name: 'binaryFixture',
		group: ['input'],
		version: 1,
		description: 'Loads files from disk as binary data (test harness only)',
		defaults: { name: 'Binary Fixture' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Files (JSON)', name: 'files', type: 'string', default: '' },
			{ displayName: 'Items (JSON)', name: 'items', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const rawItems = this.getNodeParameter('items', 0, '') as unknown;
		const rawFiles = this.getNodeParameter('files', 0, '') as unknown;

		let fixtureItems: FixtureItem[];
		if (rawItems !== '' && rawItems !== undefined && rawItems !== null) {
			fixtureItems = parseJsonParameter<FixtureItem[]>(this, 'items', rawItems);
		} else if (rawFiles !== '' && rawFiles !== undefined && rawFiles !== null) {
			const files = parseJsonParameter<FixtureFile[]>(this, 'files', rawFiles);
			fixtureItems = files.map((file) => ({ json: {}, files: [file] }));
		} else {
			throw new NodeOperationError(this.getNode(), 'Set "files" or "items"');
		}
		if (!Array.isArray(fixtureItems)) {
			throw new NodeOperationError(this.getNode(), '"files"/"items" must be a JSON array');
		}

		const out: INodeExecutionData[] = [];
		for (const [index, fixture] of fixtureItems.entries()) {
			const item: INodeExecutionData = {
				json: { ...(fixture.json ?? {}) },
				pairedItem: { item: 0 },
			};
			for (const file of fixture.files ?? []) {
				if (!fs.existsSync(file.path)) {
					throw new NodeOperationError(this.getNode(), `Fixture file not found: ${file.path}`, {
						itemIndex: index,
					});
				}
				const fileName = file.fileName ?? file.path.split(/[\\/]/).pop();
				const binary = await this.helpers.prepareBinaryData(
					fs.createReadStream(file.path),
					fileName,
					file.mimeType,
				);
				item.binary = { ...(item.binary ?? {}), [file.property ?? 'data']: binary };
			}
			out.push(item);
		}
		return [out];
	}
}

/** Emits one item per object of the JSON array in parameter `json` (for feeding many items). */
export class HarnessSetJson implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Set JSON (test)',
		name: 'setJson',
		group: ['input'],
		version: 1,
		description: 'Outputs one item per element of a JSON array (test harness only)',
		defaults: { name: 'Set JSON' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'JSON', name: 'json', type: 'string', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('json', 0, '[]') as unknown;
		const parsed = parseJsonParameter<unknown>(this, 'json', raw);
		const list = Array.isArray(parsed) ? parsed : [parsed];
		return [
			list.map((value) => ({
				json: (value !== null && typeof value === 'object' ? value : { value }) as IDataObject,
				pairedItem: { item: 0 },
			})),
		];
	}
}

/** Type name -> node type instance, as registered in every harness run. */
export function createHelperNodeTypes(): Record<string, INodeType> {
	return {
		'n8n-nodes-base.manualTrigger': new HarnessManualTrigger(),
		'n8n-nodes-base.noOp': new HarnessNoOp(),
		'test.binaryFixture': new HarnessBinaryFixture(),
		'test.setJson': new HarnessSetJson(),
	};
}
