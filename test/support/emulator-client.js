// @ts-check
'use strict';
/**
 * The one client of the API emulator (test/emulator/): `emulatorClient` for an emulator in this
 * process (engine and real-n8n tests: state set up the way a user would, what the nodes sent read
 * from `emu.requests`), `remoteEmulator` for one in another process (the queue tests: its control
 * API `/__emulator/…`, see test/emulator/README.md).
 */
const { delay } = require('./system');

/**
 * @typedef {import('../emulator/server').Emulator} Emulator
 * @typedef {import('../emulator/server').RecordedRequest} RecordedRequest
 * @typedef {import('../emulator/server').JobRecord} JobRecord
 * @typedef {import('../emulator/server').CallbackRecord} CallbackRecord
 * @typedef {import('../emulator/server').EmulatorOptions} EmulatorOptions
 * @typedef {{ baseUrl: string; origin: string; token: string }} EmulatorInfo what the emulator's CLI prints
 */

/**
 * A request to the emulator; resolves with the status and the parsed JSON (or text) body.
 * @param {string} url
 * @param {RequestInit & { token?: string; json?: unknown }} init `token` adds the API's Authorization, `json` is sent as JSON
 * @returns {Promise<{ status: number; body: any }>}
 */
async function send(url, { token, json, ...init }) {
	const response = await fetch(url, {
		...init,
		headers: {
			...(token ? { Authorization: `Bearer ${token}` } : {}),
			...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
			...init.headers,
		},
		body: json === undefined ? init.body : JSON.stringify(json),
	});
	const text = await response.text();
	try {
		return { status: response.status, body: text ? JSON.parse(text) : {} };
	} catch {
		return { status: response.status, body: text };
	}
}

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
	 * @param {RequestInit & { json?: unknown }} [init]
	 */
	const call = (path, init = {}) => send(emu.baseUrl + path, { ...init, token: emu.token });

	/** @type {EmulatorClient['api']} */
	const api = async (path, init) => (await call(path, init)).body;

	/** @type {EmulatorClient['submitJob']} */
	const submitJob = async (path, body) => {
		const { status, body: json } = await call(path, { method: 'POST', json: body });
		if (status !== 200 || typeof json.jobid !== 'string') {
			throw new Error(`POST ${path} answered ${status}: ${JSON.stringify(json)}`);
		}
		return json.jobid;
	};

	/** @type {EmulatorClient['upload']} */
	const upload = async (account, type, bytes) => {
		const { status, body: json } = await call(`/assets/${encodeURIComponent(account)}`, {
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

/**
 * @typedef {object} RemoteEmulator
 * @property {() => Promise<RecordedRequest[]>} requests every API request since the last reset
 * @property {() => Promise<JobRecord[]>} jobs
 * @property {() => Promise<CallbackRecord[]>} callbacks the replyUrl POSTs it made
 * @property {() => Promise<{ maxConcurrent: Record<string, number>; executing: Record<string, number>; jobs: number; requests: number }>} stats
 * @property {() => Promise<unknown>} reset back to its start options; jobs, requests, callbacks and faults cleared
 * @property {(options: Partial<EmulatorOptions>) => Promise<unknown>} setOptions
 * @property {(method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>} api
 *   the API itself with the token; `path` after the base URL (`/videos`)
 */

/**
 * The emulator running in another process, driven over HTTP.
 * @param {EmulatorInfo} info
 * @returns {RemoteEmulator}
 */
function remoteEmulator(info) {
	/** @param {string} method @param {string} route after /__emulator/ @param {unknown} [json] */
	const control = async (method, route, json) => {
		const { status, body } = await send(`${info.origin}/__emulator/${route}`, { method, json });
		if (status >= 400)
			throw new Error(`emulator ${method} ${route} -> ${status}: ${JSON.stringify(body)}`);
		return body;
	};
	return {
		requests: () => control('GET', 'requests'),
		jobs: () => control('GET', 'jobs'),
		callbacks: () => control('GET', 'callbacks'),
		stats: () => control('GET', 'stats'),
		reset: () => control('POST', 'reset'),
		setOptions: (options) => control('POST', 'options', options),
		api: (method, path, json) => send(info.baseUrl + path, { method, json, token: info.token }),
	};
}

module.exports = { emulatorClient, remoteEmulator };
