// @ts-check
'use strict';
/**
 * Writes a tiny throwaway n8n community package (already "built": plain JS in dist/) to prove
 * the real-n8n machinery independently of this repo's nodes:
 *
 * - credential `realSmokeApi` (RealSmokeApi.credentials.js): baseUrl + apiToken, a generic
 *   `authenticate` (Bearer header) and a `test` request to `<baseUrl>/ping`;
 * - node `realSmokeZod` (RealSmokeZod.node.js): `require('zod')` at load time, outputs
 *   `{ ok: true, zodVersion, zodPath, message }` per item and, with `callApi`, calls
 *   `<baseUrl>/echo` through `httpRequestWithAuthentication` and outputs the response.
 */
const fs = require('fs');
const path = require('path');

const SMOKE_PACKAGE_NAME = 'n8n-nodes-realsmoke';
const SMOKE_NODE_TYPE = `${SMOKE_PACKAGE_NAME}.realSmokeZod`;
const SMOKE_CREDENTIAL_TYPE = 'realSmokeApi';

const PACKAGE_JSON = {
	name: SMOKE_PACKAGE_NAME,
	version: '0.0.1',
	description: 'Throwaway package for the real-n8n smoke test',
	keywords: ['n8n-community-node-package'],
	license: 'MIT',
	main: 'index.js',
	files: ['dist', 'index.js'],
	n8n: {
		n8nNodesApiVersion: 1,
		strict: true,
		credentials: ['dist/credentials/RealSmokeApi.credentials.js'],
		nodes: ['dist/nodes/RealSmokeZod/RealSmokeZod.node.js'],
	},
	peerDependencies: { 'n8n-workflow': '*' },
	devDependencies: { 'n8n-workflow': '*' },
};

const CREDENTIAL_JS = `'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
exports.RealSmokeApi = void 0;
class RealSmokeApi {
	constructor() {
		this.name = 'realSmokeApi';
		this.displayName = 'Real Smoke API';
		this.documentationUrl = 'https://example.com/docs';
		this.properties = [
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'http://127.0.0.1:1' },
			{ displayName: 'API Token', name: 'apiToken', type: 'string', typeOptions: { password: true }, default: '' },
		];
		this.authenticate = {
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.apiToken}}' } },
		};
		this.test = {
			request: { baseURL: '={{$credentials.baseUrl}}', url: '/ping', method: 'GET' },
		};
	}
}
exports.RealSmokeApi = RealSmokeApi;
`;

const NODE_JS = `'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
exports.RealSmokeZod = void 0;
// resolved at load time, like a community package would: n8n puts its own module paths on NODE_PATH
const { z } = require('zod');
const zodVersion = require('zod/package.json').version;
const zodPath = require.resolve('zod');
class RealSmokeZod {
	constructor() {
		this.description = {
			displayName: 'Real Smoke Zod',
			name: 'realSmokeZod',
			group: ['transform'],
			version: 1,
			description: 'Outputs the zod version it resolved',
			defaults: { name: 'Real Smoke Zod' },
			inputs: ['main'],
			outputs: ['main'],
			usableAsTool: true,
			credentials: [{ name: 'realSmokeApi', required: false }],
			properties: [
				{ displayName: 'Message', name: 'message', type: 'string', default: 'hello', required: true },
				{ displayName: 'Call API', name: 'callApi', type: 'boolean', default: false },
			],
		};
	}
	async execute() {
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const message = z.string().min(1).parse(this.getNodeParameter('message', i));
			const json = { ok: true, zodVersion, zodPath, message };
			if (this.getNodeParameter('callApi', i)) {
				const creds = await this.getCredentials('realSmokeApi');
				json.api = await this.helpers.httpRequestWithAuthentication.call(this, 'realSmokeApi', {
					method: 'GET',
					url: creds.baseUrl + '/echo',
					json: true,
				});
			}
			out.push({ json, pairedItem: { item: i } });
		}
		return [out];
	}
}
exports.RealSmokeZod = RealSmokeZod;
`;

/**
 * Writes the package into `dir` (created) and returns `dir`.
 * @param {string} dir
 * @returns {string}
 */
function writeSmokePackage(dir) {
	/**
	 * @param {string} rel
	 * @param {string} text
	 */
	const write = (rel, text) => {
		const file = path.join(dir, rel);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, text);
	};
	write('package.json', JSON.stringify(PACKAGE_JSON, null, 2) + '\n');
	write('index.js', 'module.exports = {};\n');
	write('dist/credentials/RealSmokeApi.credentials.js', CREDENTIAL_JS);
	write('dist/nodes/RealSmokeZod/RealSmokeZod.node.js', NODE_JS);
	return dir;
}

/**
 * Manual trigger → realSmokeZod (optionally with the credential and `callApi`).
 * @param {{ id: string; credentialId?: string; callApi?: boolean; message?: string; }} opts
 */
function smokeWorkflow(opts) {
	/** @type {Record<string, any>} */ const smokeNode = {
		id: 'b6f3b9a0-0000-4000-8000-000000000002',
		name: 'Smoke',
		type: SMOKE_NODE_TYPE,
		typeVersion: 1,
		position: [220, 0],
		parameters: { message: opts.message ?? 'hello from real n8n', callApi: opts.callApi ?? false },
	};
	if (opts.credentialId) {
		smokeNode.credentials = {
			realSmokeApi: { id: opts.credentialId, name: 'Real smoke credential' },
		};
	}
	return {
		id: opts.id,
		name: `Real smoke ${opts.id}`,
		nodes: [
			{
				id: 'b6f3b9a0-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			smokeNode,
		],
		connections: { Start: { main: [[{ node: 'Smoke', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

module.exports = {
	SMOKE_PACKAGE_NAME,
	SMOKE_NODE_TYPE,
	SMOKE_CREDENTIAL_TYPE,
	writeSmokePackage,
	smokeWorkflow,
};
