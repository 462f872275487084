// @ts-check
'use strict';
/**
 * How much a large upload raises this process's memory, measured around one run of
 * Start → (file already in n8n's filesystem binary data store, as pinned data) → upload,
 * in-process through the n8n harness.
 *
 *   node --expose-gc -r ts-node/register/transpile-only scripts/bench-upload-memory.js \
 *        [--mode stream|buffer] [--mb 40] [--base-url URL --token T] [--account A]
 *
 * stream: the Dreamina Upload Asset node as shipped (binary streamed from storage); buffer: the
 * baseline, the same upload through the same transport with the file first loaded into a Buffer
 * (getBinaryDataBuffer). The file is put into the binary data store before the measured run (pinned
 * data), so only the upload is measured. Without --base-url the emulator runs in this process (it
 * streams uploads, counting bytes). Prints one JSON line: { mode, fileBytes, rssBefore, peakRss,
 * peakDelta, buffersDelta, uploadedBytes, ms } (bytes); peakDelta = the run's peak RSS (sampled
 * every 2 ms, and getrusage's maxRSS when the run raised it) - RSS before the run; buffersDelta the
 * same for memoryUsage().arrayBuffers (Buffer memory, live or not yet collected).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/**
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').IExecuteFunctions} IExecuteFunctions
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').INodeTypeDescription} INodeTypeDescription
 */
const { NodeConnectionTypes } = require('n8n-workflow');

const { apiRequest, CREDENTIAL_TYPE } = require('../nodes/shared/transport');
const { mp4Header, paddedStream } = require('../test/emulator/media');
const { startEmulator } = require('../test/emulator/server');
const { disposeHarness, runWorkflow } = require('../test/harness');

// With the .ts extension: under plain ts-node `….node` would resolve to the codex file `….node.json`.
const { DreaminaUploadAsset } =
	/** @type {typeof import('../nodes/DreaminaUploadAsset/DreaminaUploadAsset.node')} */ (
		require(
			path.join(__dirname, '..', 'nodes', 'DreaminaUploadAsset', 'DreaminaUploadAsset.node.ts'),
		)
	);

/**
 * @typedef {'stream' | 'buffer' | 'fixture'} Mode
 */

/**
 * @param {string} name
 * @param {string} [fallback]
 * @returns {string | undefined}
 */
function arg(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? process.argv[index + 1] : fallback;
}

/**
 * @param {string} name
 * @returns {INodeTypeDescription}
 */
const benchDescription = (name) => ({
	displayName: name,
	name,
	group: ['transform'],
	version: 1,
	description: name,
	defaults: { name },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: CREDENTIAL_TYPE, required: true }],
	properties: [{ displayName: 'Account', name: 'account', type: 'string', default: '' }],
});

/**
 * Baseline: the whole file in a Buffer, then the same apiRequest as the node.
 * @implements {INodeType}
 */
class BufferedUpload {
	description = benchDescription('bufferedUpload');

	/**
	 * @this {IExecuteFunctions}
	 * @returns {Promise<INodeExecutionData[][]>}
	 */
	async execute() {
		const account = /** @type {string} */ (this.getNodeParameter('account', 0));
		const buffer = await this.helpers.getBinaryDataBuffer(0, 'data');
		const json = await apiRequest(this, {
			method: 'POST',
			path: ['assets', account],
			body: () => buffer,
			contentType: 'video/mp4',
			contentLength: buffer.length,
			context: { action: 'upload (buffered baseline)' },
		});
		return [[{ json, pairedItem: { item: 0 } }]];
	}
}

/** @type {Record<Mode, string>} */ const NODE_TYPE = {
	stream: 'n8n-nodes-dreamina.dreaminaUploadAsset',
	buffer: 'bench.bufferedUpload',
	fixture: 'n8n-nodes-base.noOp', // only puts the file into the store
};

/**
 * @param {Mode} mode
 * @param {string} file
 * @param {string} account
 */
function workflow(mode, file, account) {
	const credentials = { dreaminaApi: { id: '1', name: 'Dreamina' } };
	const nodes = [
		{
			id: 'a',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'b',
			name: 'Fixture',
			type: 'test.binaryFixture',
			typeVersion: 1,
			position: [200, 0],
			parameters: { files: JSON.stringify([{ path: file, mimeType: 'video/mp4' }]) },
		},
		{
			id: 'c',
			name: 'Upload',
			type: NODE_TYPE[mode],
			typeVersion: 1,
			position: [400, 0],
			parameters: { account },
			credentials,
		},
	];
	const connections = {
		Start: { main: [[{ node: 'Fixture', type: 'main', index: 0 }]] },
		Fixture: { main: [[{ node: 'Upload', type: 'main', index: 0 }]] },
	};
	return {
		name: 'bench',
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: /** @type {Record<string, INodeExecutionData[]>} */ ({}),
	};
}

/**
 * A zero-padded MP4 of `bytes` (valid header: 5 s, 1280x720), written without holding it in memory.
 * @param {string} file
 * @param {number} bytes
 * @returns {Promise<void>}
 */
async function writeMp4(file, bytes) {
	const header = mp4Header({ durationMs: 5000, width: 1280, height: 720, totalBytes: bytes });
	await new Promise((resolve, reject) => {
		const out = fs.createWriteStream(file);
		out.on('finish', () => resolve(undefined)).on('error', reject);
		paddedStream(header, bytes).pipe(out);
	});
}

const gc = () => /** @type {{ gc?: () => void }} */ (globalThis).gc?.();
/** @param {number} ms */ const pause = async (ms) =>
	await new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
	const mode = /** @type {Mode} */ (arg('mode', 'stream')) ?? 'stream';
	if (mode !== 'stream' && mode !== 'buffer') throw new Error(`Unknown --mode ${mode}`);
	const megabytes = Number(arg('mb', '40'));
	const account = /** @type {string} */ (arg('account', 'CA:ca-user@example.com'));
	let baseUrl = arg('base-url');
	let token = /** @type {string} */ (arg('token', 'test-token'));
	const emulator = baseUrl ? undefined : await startEmulator();
	if (emulator) {
		baseUrl = emulator.baseUrl;
		token = emulator.token;
	}

	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-upload-'));
	const big = path.join(dir, 'big.mp4');
	const small = path.join(dir, 'small.mp4');
	await writeMp4(big, Math.round(megabytes * 1024 * 1024));
	await writeMp4(small, 512 * 1024);

	const extraNodeTypes = {
		'n8n-nodes-dreamina.dreaminaUploadAsset': new DreaminaUploadAsset(),
		'bench.bufferedUpload': new BufferedUpload(),
	};
	const credentials = {
		dreaminaApi: { apiToken: token, baseUrl: /** @type {NonNullable<typeof baseUrl>} */ (baseUrl) },
	};
	/**
	 * @param {Mode} nodeMode
	 * @param {string} file
	 * @param {INodeExecutionData} [pinned]
	 */
	const execute = async (nodeMode, file, pinned) => {
		const flow = workflow(nodeMode, file, account);
		if (pinned) flow.pinData = { Fixture: [pinned] };
		const result = await runWorkflow({
			workflow: flow,
			credentials,
			extraNodeTypes,
			timeoutMs: 120_000,
		});
		if (result.status !== 'success')
			throw new Error(`Upload run failed: ${JSON.stringify(result.error)}`);
		return result.output('Upload')[0];
	};
	/**
	 * Puts the file into n8n's binary data store (not measured); the measured run gets it as pinned data.
	 * @param {string} file
	 */
	const store = async (file) => await execute('fixture', file);
	/** @param {string} file */ const run = async (file) =>
		(await execute(mode, file, await store(file))).json;
	/**
	 * @param {string} file
	 * @param {INodeExecutionData} stored
	 */
	const runStored = async (file, stored) => (await execute(mode, file, stored)).json;

	try {
		// Warm up: load every module and JIT the path once, with a small file.
		await run(small);
		await run(small);
		const stored = await store(big);
		gc();
		await pause(200);
		gc();

		const before = process.memoryUsage();
		const rssBefore = before.rss;
		const buffersBefore = before.arrayBuffers;
		const maxRssBefore = process.resourceUsage().maxRSS * 1024;
		let peakRss = rssBefore;
		let peakBuffers = buffersBefore;
		const sample = () => {
			const now = process.memoryUsage();
			peakRss = Math.max(peakRss, now.rss);
			peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
		};
		const sampler = setInterval(sample, 2);
		const started = Date.now();
		const json = await runStored(big, stored);
		const ms = Date.now() - started;
		clearInterval(sampler);
		sample();
		const maxRss = process.resourceUsage().maxRSS * 1024;
		// getrusage's maxRSS is the lifetime peak: it tells about this run only if the run raised it.
		const peak = maxRss > maxRssBefore ? Math.max(peakRss, maxRss) : peakRss;
		const report = {
			mode,
			fileBytes: fs.statSync(big).size,
			rssBefore,
			peakRss,
			maxRss,
			peakDelta: peak - rssBefore,
			buffersBefore,
			peakBuffers,
			buffersDelta: peakBuffers - buffersBefore,
			uploadedBytes: Number(json.size ?? 0),
			ms,
		};
		process.stdout.write(`${JSON.stringify(report)}\n`);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
		await emulator?.close();
		await disposeHarness();
	}
}

main().then(
	() => process.exit(0),
	/** @param {unknown} error */ (error) => {
		process.stderr.write(`${/** @type {Error} */ (error)?.stack ?? String(error)}\n`);
		process.exit(1);
	},
);
