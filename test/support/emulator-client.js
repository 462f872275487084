// @ts-check
'use strict';
/**
 * One client for the API emulator's HTTP API (test/emulator/), used by the engine tests to set
 * up state the way a user would (uploads, jobs submitted outside n8n) and to read what the nodes
 * sent (`emu.requests`).
 */
const { delay } = require('./system');

/**
 * @typedef {import('../emulator/server').Emulator} Emulator
 * @typedef {Emulator['requests'][number]} RecordedRequest
 */

/**
 * @typedef {object} EmulatorClient
 * @property {<T = Record<string, unknown>>(path: string, init?: RequestInit) => Promise<T>} api
 *   a call with the emulator's token; `path` is relative to the base URL (`/accounts`); resolves
 *   with the parsed JSON body whatever the status
 * @property {(path: string, body: object) => Promise<string>} submitJob POSTs a job outside n8n
 *   (e.g. `/videos`) and resolves with its jobid; throws unless the API answered 200
 * @property {(account: string, type: string, bytes: Uint8Array) => Promise<string>} upload
 *   uploads an asset as `type` (Content-Type) and resolves with its assetRef; throws unless 200
 * @property {(account: string) => Promise<string[]>} historyImages assetRefs of the images in
 *   the account's asset history
 * @property {(jobid: string, timeoutMs?: number) => Promise<void>} jobLeftCreated waits until the
 *   emulator's job is no longer `created` (done, failed or cancelled)
 * @property {(pathSuffix: string) => RecordedRequest[]} posts POSTs whose path ends with `pathSuffix`
 * @property {(pathPart: string) => RecordedRequest[]} gets GETs whose path contains `pathPart`
 * @property {(method: string, path: RegExp) => RecordedRequest[]} calls requests with this
 *   method whose path matches
 */

/**
 * @param {Emulator} emu
 * @returns {EmulatorClient}
 */
function emulatorClient(emu) {
	/**
	 * @param {string} path
	 * @param {RequestInit} [init]
	 */
	const send = async (path, init = {}) => {
		const response = await fetch(emu.baseUrl + path, {
			...init,
			headers: { Authorization: `Bearer ${emu.token}`, ...(init.headers ?? {}) },
		});
		const text = await response.text();
		return { status: response.status, json: text ? JSON.parse(text) : {} };
	};

	/** @type {EmulatorClient['api']} */
	const api = async (path, init) => (await send(path, init)).json;

	/** @type {EmulatorClient['submitJob']} */
	const submitJob = async (path, body) => {
		const { status, json } = await send(path, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (status !== 200 || typeof json.jobid !== 'string') {
			throw new Error(`POST ${path} answered ${status}: ${JSON.stringify(json)}`);
		}
		return json.jobid;
	};

	/** @type {EmulatorClient['upload']} */
	const upload = async (account, type, bytes) => {
		const { status, json } = await send(`/assets/${encodeURIComponent(account)}`, {
			method: 'POST',
			headers: { 'Content-Type': type },
			body: bytes,
		});
		if (status !== 200 || typeof json.assetRef !== 'string') {
			throw new Error(`upload of ${type} answered ${status}: ${JSON.stringify(json)}`);
		}
		return json.assetRef;
	};

	/** @type {EmulatorClient['historyImages']} */
	const historyImages = async (account) => {
		/** @type {{ assets: Array<{ type: string, assetRef: string }> }} */
		const history = await api(`/assets/${encodeURIComponent(account)}?count=30`);
		return history.assets.filter((a) => a.type === 'image').map((a) => a.assetRef);
	};

	/** @type {EmulatorClient['jobLeftCreated']} */
	const jobLeftCreated = async (jobid, timeoutMs = 10_000) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const job = emu.jobs.get(jobid);
			if (!job) throw new Error(`the emulator has no job ${jobid}`);
			if (job.status !== 'created') return;
			if (Date.now() > deadline)
				throw new Error(`job ${jobid} still created after ${timeoutMs} ms`);
			await delay(50);
		}
	};

	return {
		api,
		submitJob,
		upload,
		historyImages,
		jobLeftCreated,
		posts: (pathSuffix) =>
			emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith(pathSuffix)),
		gets: (pathPart) => emu.requests.filter((r) => r.method === 'GET' && r.path.includes(pathPart)),
		calls: (method, path) => emu.requests.filter((r) => r.method === method && path.test(r.path)),
	};
}

module.exports = { emulatorClient };
