// @ts-check
'use strict';
/**
 * Test-only node types. n8n-nodes-base is not installed, so the two base nodes that exported
 * workflows usually contain are re-implemented here under their real type names.
 */
const fs = require('node:fs');

/**
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').IExecuteFunctions} IExecuteFunctions
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').INodeTypeDescription} INodeTypeDescription
 * @typedef {import('n8n-workflow').ITriggerFunctions} ITriggerFunctions
 * @typedef {import('n8n-workflow').ITriggerResponse} ITriggerResponse
 */
const { NodeConnectionTypes, NodeOperationError, jsonParse } = require('n8n-workflow');

/**
 * Same behaviour as n8n's Manual Trigger: emits one empty item when the workflow is run.
 * @implements {INodeType}
 */
class HarnessManualTrigger {
	/** @type {INodeTypeDescription} */ description = {
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

	/**
	 * @this {ITriggerFunctions}
	 * @returns {Promise<ITriggerResponse>}
	 */
	async trigger() {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

/**
 * Same behaviour as n8n's No Operation node: passes its input through.
 * @implements {INodeType}
 */
class HarnessNoOp {
	/** @type {INodeTypeDescription} */ description = {
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

	/**
	 * @this {IExecuteFunctions}
	 * @returns {Promise<INodeExecutionData[][]>}
	 */
	async execute() {
		return [this.getInputData()];
	}
}

/**
 * @typedef {object} FixtureFile
 * @property {string} path
 * @property {string} [mimeType]
 * @property {string} [fileName]
 * @property {string} [property]
 */
/**
 * @typedef {object} FixtureItem
 * @property {IDataObject} [json]
 * @property {FixtureFile[]} [files]
 */

/**
 * @template T
 * @param {IExecuteFunctions} ctx
 * @param {string} name
 * @param {unknown} raw
 * @returns {T}
 */
function parseJsonParameter(ctx, name, raw) {
	if (typeof raw !== 'string') return /** @type {T} */ (raw);
	try {
		return /** @type {T} */ (jsonParse(raw));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "${name}" is not valid JSON`, {
			description: /** @type {Error} */ (error).message,
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
 * @implements {INodeType}
 */
class HarnessBinaryFixture {
	/** @type {INodeTypeDescription} */ description = {
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

	/**
	 * @this {IExecuteFunctions}
	 * @returns {Promise<INodeExecutionData[][]>}
	 */
	async execute() {
		const rawItems = /** @type {unknown} */ (this.getNodeParameter('items', 0, ''));
		const rawFiles = /** @type {unknown} */ (this.getNodeParameter('files', 0, ''));

		/** @type {FixtureItem[]} */ let fixtureItems;
		if (rawItems !== '' && rawItems !== undefined && rawItems !== null) {
			fixtureItems = /** @type {FixtureItem[]} */ (parseJsonParameter(this, 'items', rawItems));
		} else if (rawFiles !== '' && rawFiles !== undefined && rawFiles !== null) {
			const files = /** @type {FixtureFile[]} */ (parseJsonParameter(this, 'files', rawFiles));
			fixtureItems = files.map((file) => ({ json: {}, files: [file] }));
		} else {
			throw new NodeOperationError(this.getNode(), 'Set "files" or "items"');
		}
		if (!Array.isArray(fixtureItems)) {
			throw new NodeOperationError(this.getNode(), '"files"/"items" must be a JSON array');
		}

		/** @type {INodeExecutionData[]} */ const out = [];
		for (const [index, fixture] of fixtureItems.entries()) {
			/** @type {INodeExecutionData} */ const item = {
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

/**
 * Emits one item per object of the JSON array in parameter `json` (for feeding many items).
 * @implements {INodeType}
 */
class HarnessSetJson {
	/** @type {INodeTypeDescription} */ description = {
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

	/**
	 * @this {IExecuteFunctions}
	 * @returns {Promise<INodeExecutionData[][]>}
	 */
	async execute() {
		const raw = /** @type {unknown} */ (this.getNodeParameter('json', 0, '[]'));
		const parsed = /** @type {unknown} */ (parseJsonParameter(this, 'json', raw));
		const list = Array.isArray(parsed) ? parsed : [parsed];
		return [
			list.map((value) => ({
				json: /** @type {IDataObject} */ (
					value !== null && typeof value === 'object' ? value : { value }
				),
				pairedItem: { item: 0 },
			})),
		];
	}
}

/**
 * Type name -> node type instance, as registered in every harness run.
 * @returns {Record<string, INodeType>}
 */
function createHelperNodeTypes() {
	return {
		'n8n-nodes-base.manualTrigger': new HarnessManualTrigger(),
		'n8n-nodes-base.noOp': new HarnessNoOp(),
		'test.binaryFixture': new HarnessBinaryFixture(),
		'test.setJson': new HarnessSetJson(),
	};
}

module.exports = {
	HarnessManualTrigger,
	HarnessNoOp,
	HarnessBinaryFixture,
	HarnessSetJson,
	createHelperNodeTypes,
};
