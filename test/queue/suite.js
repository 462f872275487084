// @ts-check
'use strict';
/**
 * What the queue-mode test files share: a connection to the running cluster (state file, the main's
 * REST API logged in, the emulator), which process enqueued and which worker ran an execution,
 * node parameters where the built node keeps them, worker memory, HTTP bursts, printing figures.
 * Everything that needs Node's APIs lives here so the *.queue-test.ts files need none.
 */
const fs = require('fs');
const path = require('path');

const { readState, startWorker, QUEUE_LOCKS } = require('./cluster');
const { remoteEmulator } = require('../support/emulator-client');
const lib = require('../../scripts/lib/n8n-instance');
const {
	readLog,
	signalGroup,
	stopGroup,
	isAlive,
	delay,
	waitFor,
} = require('../../scripts/lib/processes');
const { pgQuery } = require('./services');

/**
 * @typedef {import('./cluster').ClusterState} ClusterState
 * @typedef {import('../../scripts/lib/n8n-instance').ExecutionResult} Execution
 * @typedef {import('../../scripts/lib/n8n-instance').WorkflowJson} WorkflowJson
 * @typedef {{ state: ClusterState, rest: import('../../scripts/lib/n8n-instance').N8nRest, emu: import('../support/emulator-client').RemoteEmulator, credential: { id: string, name: string }, callbackSecret: string }} Connection
 */

/** @returns {Promise<Connection>} */
async function connect() {
	const state = readState();
	const rest = new lib.N8nRest(state.main.url);
	await rest.ensureOwnerAndLogin(state.owner);
	if (!state.credential || !state.callbackSecret)
		throw new Error('global-setup.js created no credential');
	return {
		state,
		rest,
		emu: remoteEmulator(state.emulator),
		credential: state.credential,
		callbackSecret: state.callbackSecret,
	};
}

/**
 * How often each process logged `<verb> execution <id> (job <n>)`: workers log "Worker started"
 * when they take a job, the main (manual runs) and the webhook process (webhook calls, resumed
 * waiting executions) log "Enqueued" when they add one. Names in log order per process.
 * @param {'Worker started' | 'Enqueued'} verb
 * @param {string} executionId
 */
function processesThat(verb, executionId) {
	const s = readState();
	const re = new RegExp(`${verb} execution ${executionId} \\(job \\d+\\)`, 'g');
	return (verb === 'Enqueued' ? [s.main, s.webhook] : s.workers).flatMap((p) =>
		Array(readLog(p.logFile).match(re)?.length ?? 0).fill(p.name),
	);
}
/** @param {string} executionId @returns {string[]} */
const workersThatRan = (executionId) => processesThat('Worker started', executionId);
/** @param {string} executionId @returns {string[]} */
const enqueuedBy = (executionId) => processesThat('Enqueued', executionId);

/**
 * Sets parameters of one of this package's nodes where the built node keeps them: at the top
 * level or inside the collection that holds them (Options); a resource locator gets `{ __rl, mode: 'id', value }`.
 * @param {{ type: string, parameters: Record<string, unknown> }} node
 * @param {Record<string, unknown>} values
 * @returns {Record<string, any>} the node's new parameters
 */
function withParameters(node, values) {
	const name = node.type.split('.').pop() ?? '';
	const cls = name.charAt(0).toUpperCase() + name.slice(1);
	const file = path.join(readState().packageDir, 'dist', 'nodes', cls, `${cls}.node.js`);
	/** @type {Array<{ name: string, type?: string, options?: any[] }>} */
	const props = new (require(file)[cls])().description.properties;
	/** @type {Record<string, any>} */
	const params = JSON.parse(JSON.stringify(node.parameters));
	/** @param {{ type?: string } | undefined} prop @param {unknown} value */
	const valueFor = (prop, value) =>
		prop?.type === 'resourceLocator' && typeof value !== 'object'
			? { __rl: true, mode: 'id', value }
			: value;
	for (const [key, value] of Object.entries(values)) {
		const top = props.find((p) => p.name === key);
		if (top) {
			params[key] = valueFor(top, value);
			continue;
		}
		const holder = props.find(
			(p) => p.type?.endsWith('ollection') && (p.options ?? []).some((o) => o.name === key),
		);
		if (!holder) throw new Error(`${node.type} has no parameter ${key}`);
		params[holder.name] = {
			...params[holder.name],
			[key]: valueFor(
				holder.options?.find((o) => o.name === key),
				value,
			),
		};
	}
	return params;
}

/** VmRSS / VmHWM (peak) of a process, bytes. @param {number} pid @param {'VmRSS' | 'VmHWM'} key */
function memoryOf(pid, key) {
	const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(
		fs.readFileSync(`/proc/${pid}/status`, 'utf8'),
	);
	return Number(m?.[1]) * 1024;
}

/**
 * Runs `fn`; returns, for each live worker, the peak RSS it reached above its RSS at the start (the
 * peak is reset first: "5" into /proc/<pid>/clear_refs, so it is exact, not sampled).
 * @template T
 * @param {() => Promise<T>} fn
 */
async function measureWorkerPeaks(fn) {
	const workers = liveWorkers();
	/** @type {Record<string, number>} */
	const addedBytes = {};
	for (const w of workers) {
		fs.writeFileSync(`/proc/${w.pid}/clear_refs`, '5');
		addedBytes[w.name] = -memoryOf(w.pid, 'VmRSS');
	}
	const result = await fn();
	for (const w of workers) addedBytes[w.name] += memoryOf(w.pid, 'VmHWM');
	return { result, addedBytes };
}

/** @typedef {{ status: number, ms: number, body: string }} CallResult status 0: the connection failed */

/** One JSON POST, timed to the end of the answer. @param {string} url @param {unknown} body @returns {Promise<CallResult>} */
async function timedPost(url, body) {
	const started = performance.now();
	try {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(120_000),
		});
		const text = await res.text();
		return { status: res.status, ms: performance.now() - started, body: text };
	} catch (error) {
		return { status: 0, ms: performance.now() - started, body: String(error) };
	}
}

/** All the calls at once; each one's result, in order. @param {Array<{ url: string, body: unknown }>} calls */
const burst = (calls) => Promise.all(calls.map((c) => timedPost(c.url, c.body)));

/**
 * Calls `url` every `everyMs` (not waiting for answers) until `until` settles, then every answer:
 * whether an endpoint keeps answering during a burst.
 * @param {string} url
 * @param {Promise<unknown>} until
 * @param {number} everyMs
 */
async function probeWhile(url, until, everyMs) {
	let done = false;
	until.finally(() => (done = true)).catch(() => undefined);
	/** @type {Promise<CallResult>[]} */
	const calls = [];
	for (let i = 0; !done && i < 10_000; i++) {
		calls.push(timedPost(url, { probe: i }));
		await delay(everyMs);
	}
	return Promise.all(calls);
}

/** p-th percentile (nearest rank). @param {number[]} values @param {number} p */
function percentile(values, p) {
	const sorted = [...values].sort((a, b) => a - b);
	return (
		sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
		NaN
	);
}

/**
 * Prints a measured figure (stderr: jest shows it at once) and appends it to `<runDir>/figures.jsonl`.
 * @param {string} name
 * @param {Record<string, unknown>} figures
 */
function report(name, figures) {
	const line = Object.entries(figures).map(
		([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 100) / 100 : JSON.stringify(v)}`,
	);
	process.stderr.write(`\n[queue] ${name}: ${line.join(' ')}\n`);
	fs.appendFileSync(
		path.join(readState().runDir, 'figures.jsonl'),
		JSON.stringify({ name, ...figures }) + '\n',
	);
}

/** @param {string} name */
function workerNamed(name) {
	const worker = readState().workers.find((w) => w.name === name);
	if (!worker) throw new Error(`no worker ${name}`);
	return worker;
}
/** SIGKILL to a worker's group, as an OOM kill would end it: no shutdown, no lock released. @param {string} name */
async function killWorker(name) {
	const { pid } = workerNamed(name);
	signalGroup(pid, 'SIGKILL');
	await waitFor(`worker ${name} gone`, () => !isAlive(pid, true), {
		timeoutMs: 10_000,
		intervalMs: 50,
	});
}
/** SIGTERM, as an orchestrator scales a worker down. @param {string} name */
const stopWorker = (name) => stopGroup(workerNamed(name).pid, { graceMs: 15_000 });
const liveWorkers = () => readState().workers.filter((w) => isAlive(w.pid));
/** Names no worker has had yet: <prefix>-<n>, … @param {string} prefix */
function newWorkerNames(prefix, count = 1) {
	const taken = new Set(readState().workers.map((w) => w.name));
	/** @type {string[]} */
	const names = [];
	for (let n = 1; names.length < count; n++)
		if (!taken.has(`${prefix}-${n}`)) names.push(`${prefix}-${n}`);
	return names;
}

/** Files in the folder every process may read (N8N_RESTRICT_FILE_ACCESS_TO). @param {Record<string, Buffer>} files relative path → content */
function writeInputFiles(files) {
	const { filesDir } = readState();
	for (const [rel, content] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(filesDir, rel)), { recursive: true });
		fs.writeFileSync(path.join(filesDir, rel), content);
	}
	return filesDir;
}

/** The main's binary-data folder: a worker in filesystem mode that writes here writes where the main reads. */
const mainStoragePath = () => path.join(readState().main.userFolder, '.n8n', 'storage');

/** The example workflows as they are on disk now: file name → JSON. @returns {Array<{ file: string, workflow: WorkflowJson }>} */
function readExamples() {
	return fs
		.readdirSync(path.join(lib.REPO_ROOT, 'examples'))
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: lib.readExample(file) }));
}

/**
 * A workflow's executions (execution_entity rows), oldest first. From the database: n8n 2.41's
 * REST list pages by a timestamp cursor that repeats or skips executions started in the same millisecond.
 * @param {string} workflowId
 */
async function executionsOf(workflowId) {
	if (!/^[A-Za-z0-9]+$/.test(workflowId)) throw new Error(`unexpected workflow id ${workflowId}`);
	const rows = await pgQuery(
		readState().postgres,
		`SELECT id, status FROM execution_entity WHERE "workflowId" = '${workflowId}' AND "deletedAt" IS NULL ORDER BY id`,
	);
	return rows.map(([id, status]) => ({ id, status }));
}

module.exports = {
	connect,
	readState,
	workersThatRan,
	enqueuedBy,
	withParameters,
	measureWorkerPeaks,
	burst,
	probeWhile,
	percentile,
	report,
	killWorker,
	startWorker,
	stopWorker,
	liveWorkers,
	newWorkerNames,
	writeInputFiles,
	readExamples,
	mainStoragePath,
	executionsOf,
	delay,
	waitFor,
	QUEUE_LOCKS,
	nodeOutput: lib.nodeOutput,
	nodeItems: lib.nodeItems,
	describeExecution: lib.describeExecution,
};
