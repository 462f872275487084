// @ts-check
'use strict';
/**
 * Test-only node types. n8n-nodes-base is not installed, so the two base nodes exported workflows
 * contain are re-implemented under their real names; two more feed items and files.
 */
const fs = require('node:fs');

/**
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').IExecuteFunctions} IExecuteFunctions
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').INodeTypeDescription} INodeTypeDescription
 * @typedef {import('n8n-workflow').ITriggerFunctions} ITriggerFunctions
 */
const { NodeConnectionTypes, NodeOperationError } = require('n8n-workflow');

/**
 * @param {string} name
 * @param {Partial<INodeTypeDescription>} [extra]
 * @returns {INodeTypeDescription}
 */
const describe = (name, extra = {}) => ({
	displayName: name,
	name,
	group: ['input'],
	version: 1,
	description: name,
	defaults: { name },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
	...extra,
});

/** @typedef {{ path: string; mimeType?: string; fileName?: string; property?: string }} FixtureFile */

/**
 * `test.binaryFixture`: files from disk as n8n stores binary data (`prepareBinaryData` of a stream,
 * filesystem mode). `files`: JSON `[{path, mimeType?, fileName?, property?}]`, one item each;
 * `items`: JSON `[{json, files}]` (wins when both are set).
 * @this {IExecuteFunctions}
 */
async function binaryFixture() {
	const itemsJson = /** @type {string} */ (this.getNodeParameter('items', 0, ''));
	const filesJson = /** @type {string} */ (this.getNodeParameter('files', 0, ''));
	/** @type {Array<{ json?: IDataObject; files?: FixtureFile[] }>} */
	const fixtures = itemsJson
		? JSON.parse(itemsJson)
		: /** @type {FixtureFile[]} */ (JSON.parse(filesJson || '[]')).map((file) => ({
				files: [file],
			}));
	/** @type {INodeExecutionData[]} */ const out = [];
	for (const fixture of fixtures) {
		/** @type {INodeExecutionData} */ const item = {
			json: { ...fixture.json },
			pairedItem: { item: 0 },
		};
		for (const file of fixture.files ?? []) {
			if (!fs.existsSync(file.path)) {
				throw new NodeOperationError(this.getNode(), `Fixture file not found: ${file.path}`);
			}
			const fileName = file.fileName ?? file.path.split(/[\\/]/).pop();
			const stream = fs.createReadStream(file.path);
			const binary = await this.helpers.prepareBinaryData(stream, fileName, file.mimeType);
			item.binary = { ...item.binary, [file.property ?? 'data']: binary };
		}
		out.push(item);
	}
	return [out];
}

/** @type {Record<string, INodeType>} type name -> node type, in every harness run */
const helperNodeTypes = {
	'n8n-nodes-base.manualTrigger': {
		description: describe('manualTrigger', { group: ['trigger'], inputs: [] }),
		/** @this {ITriggerFunctions} */
		async trigger() {
			return { manualTriggerFunction: async () => this.emit([[{ json: {} }]]) };
		},
	},
	'n8n-nodes-base.noOp': {
		description: describe('noOp'),
		/** @this {IExecuteFunctions} */
		async execute() {
			return [this.getInputData()];
		},
	},
	'test.binaryFixture': {
		description: describe('binaryFixture', {
			properties: [
				{ displayName: 'Files (JSON)', name: 'files', type: 'string', default: '' },
				{ displayName: 'Items (JSON)', name: 'items', type: 'string', default: '' },
			],
		}),
		execute: binaryFixture,
	},
	// `test.setJson`: one item per element of the JSON array in `json`.
	'test.setJson': {
		description: describe('setJson', {
			properties: [{ displayName: 'JSON', name: 'json', type: 'string', default: '[]' }],
		}),
		/** @this {IExecuteFunctions} */
		async execute() {
			const parsed = JSON.parse(/** @type {string} */ (this.getNodeParameter('json', 0, '[]')));
			/** @type {unknown[]} */ const list = Array.isArray(parsed) ? parsed : [parsed];
			return [
				list.map((value) => ({
					json: /** @type {IDataObject} */ (
						value !== null && typeof value === 'object' ? value : { value }
					),
					pairedItem: { item: 0 },
				})),
			];
		},
	},
};

module.exports = { helperNodeTypes };
