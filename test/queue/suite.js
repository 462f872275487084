// @ts-check
'use strict';
/**
 * What the queue-mode test files share: a connection to the running cluster (state file, the
 * main's REST API logged in, the emulator), which worker ran an execution, the node versions the
 * built package has, worker memory (peak RSS), HTTP bursts with latencies, and printing figures.
 * Everything that needs Node's APIs lives here so the *.queue-test.ts files need none.
 */
const fs = require('fs');
const path = require('path');

const { readState, startWorker, REPO_ROOT, WORKER_CONCURRENCY, QUEUE_LOCKS } = require('./cluster');
const { remoteEmulator } = require('../support/emulator-client');
const { N8nRest } = require('./n8n-rest');
const {
	readLog,
	signalGroup,
	stopGroup,
	isAlive,
	delay,
	waitFor,
} = require('../../scripts/lib/processes');
const { pgQuery } = require('./services');

/** @typedef {import('./cluster').ClusterState} ClusterState */
/** @typedef {import('./cluster').N8nProcess} N8nProcess */

/**
 * @typedef {object} Connection
 * @property {ClusterState} state
 * @property {N8nRest} rest                     logged in as the owner
 * @property {import('../support/emulator-client').RemoteEmulator} emu
 * @property {{ id: string, name: string }} credential   the Dreamina API credential global-setup created
 * @property {string | undefined} callbackSecret         the credential's callbackSecret, when its type has one
 */

/**
 * @returns {Promise<Connection>}
 */
async function connect() {
	const state = readState();
	const rest = new N8nRest(state.main.url);
	await rest.ensureOwnerAndLogin(state.owner);
	const emu = remoteEmulator(state.emulator);
	const { credential, callbackSecret } = state;
	if (!credential) throw new Error('global-setup.js created no credential');
	return { state, rest, emu, credential, callbackSecret };
}

/**
 * Which workers ran (or resumed) an execution: n8n's job processor logs
 * "Worker started execution <id> (job <n>)" each time a worker takes it from the queue.
 * @param {string} executionId
 * @returns {string[]}  worker names, once per start, in log order within each worker
 */
function workersThatRan(executionId) {
	const re = new RegExp(`Worker started execution ${executionId} \\(job \\d+\\)`, 'g');
	return readState().workers.flatMap((w) =>
		Array(readLog(w.logFile).match(re)?.length ?? 0).fill(w.name),
	);
}

/**
 * Which non-worker processes put an execution into the queue (n8n logs "Enqueued execution <id>
 * (job <n>)" where it adds the job): the main for manual runs, the webhook process for webhook
 * calls and for resumed waiting executions.
 * @param {string} executionId
 * @returns {string[]}
 */
function enqueuedBy(executionId) {
	const { main, webhook } = readState();
	const re = new RegExp(`Enqueued execution ${executionId} \\(job \\d+\\)`, 'g');
	return [main, webhook].flatMap((p) =>
		Array(readLog(p.logFile).match(re)?.length ?? 0).fill(p.name),
	);
}

/**
 * The built node class of this package (dist/), for its description.
 * @param {string} nodeName   e.g. 'DreaminaTrigger'
 * @returns {{ description: Record<string, any>, nodeVersions?: Record<string, { description: Record<string, any> }> }}
 */
function builtNode(nodeName) {
	const file = path.join(readState().packageDir, 'dist', 'nodes', nodeName, `${nodeName}.node.js`);
	const mod = require(file);
	const NodeClass = mod[nodeName];
	return new NodeClass();
}

/**
 * The newest version of a node of this package, as built (what the editor puts in a new workflow).
 * @param {string} nodeName
 * @returns {number}
 */
function latestVersion(nodeName) {
	const node = builtNode(nodeName);
	if (node.nodeVersions) return Math.max(...Object.keys(node.nodeVersions).map(Number));
	const v = node.description.version;
	return Array.isArray(v) ? Math.max(...v) : v;
}

/**
 * The description of a node's newest version (properties included).
 * @param {string} nodeName
 * @returns {Record<string, any>}
 */
function latestDescription(nodeName) {
	const node = builtNode(nodeName);
	if (node.nodeVersions) return node.nodeVersions[String(latestVersion(nodeName))].description;
	return node.description;
}

/**
 * @typedef {{ name: string, type?: string, options?: unknown[], displayOptions?: { show?: Record<string, unknown[]> } }} Property
 */

/**
 * Whether a property is shown for a node version: its `@version` display condition (n8n's light
 * versioning keeps all versions in one description), if it has one, includes the version.
 * @param {Property} prop
 * @param {number} version
 */
function shownInVersion(prop, version) {
	const shown = prop.displayOptions?.show?.['@version'];
	if (!shown) return true;
	return shown.some((cond) => {
		if (typeof cond === 'number') return cond === version;
		const c = /** @type {{ _cnd?: Record<string, number> }} */ (cond)._cnd ?? {};
		return (
			(c.gte === undefined || version >= c.gte) &&
			(c.lte === undefined || version <= c.lte) &&
			(c.eq === undefined || version === c.eq)
		);
	});
}

/**
 * The properties of one version of a built node.
 * @param {string} nodeName
 * @param {number} version
 * @returns {Property[]}
 */
function propertiesOf(nodeName, version) {
	const node = builtNode(nodeName);
	const description = node.nodeVersions
		? node.nodeVersions[String(version)].description
		: node.description;
	return description.properties.filter((/** @type {Property} */ p) => shownInVersion(p, version));
}

/**
 * Whether a node's newest version has a parameter.
 * @param {string} nodeName
 * @param {string} parameter
 */
function hasParameter(nodeName, parameter) {
	return propertiesOf(nodeName, latestVersion(nodeName)).some((p) => p.name === parameter);
}

/**
 * `n8n-nodes-dreamina.dreaminaGenerateVideo` → `DreaminaGenerateVideo` (its dist folder and class).
 * @param {string} type
 */
function nodeNameOf(type) {
	const name = type.split('.').pop() ?? type;
	return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Sets parameters of one of this package's nodes where its version keeps them: at the top level,
 * or inside the collection that holds them (version 2 moved the waiting settings into Options);
 * a resource locator gets `{ __rl: true, mode: 'id', value }`.
 * @param {{ type: string, typeVersion: number, parameters: Record<string, unknown> }} node
 * @param {Record<string, unknown>} values
 * @returns {Record<string, unknown>}   the node's new parameters
 */
function withParameters(node, values) {
	const props = propertiesOf(nodeNameOf(node.type), node.typeVersion);
	/** @type {Record<string, any>} */
	const params = JSON.parse(JSON.stringify(node.parameters));
	/** @param {Property | undefined} prop @param {unknown} value */
	const valueFor = (prop, value) =>
		prop?.type === 'resourceLocator' && (typeof value !== 'object' || value === null)
			? { __rl: true, mode: 'id', value }
			: value;
	for (const [name, value] of Object.entries(values)) {
		const top = props.find((p) => p.name === name);
		if (top) {
			params[name] = valueFor(top, value);
			continue;
		}
		const holder = props.find(
			(p) =>
				(p.type === 'collection' || p.type === 'fixedCollection') &&
				/** @type {Property[]} */ (p.options ?? []).some((o) => o.name === name),
		);
		if (!holder) throw new Error(`${node.type} v${node.typeVersion} has no parameter ${name}`);
		const inner = /** @type {Property[]} */ (holder.options ?? []).find((o) => o.name === name);
		params[holder.name] = { ...(params[holder.name] ?? {}), [name]: valueFor(inner, value) };
	}
	return params;
}

/**
 * The property names of the built Dreamina API credential type.
 * @returns {string[]}
 */
function credentialProperties() {
	const mod = require(
		path.join(readState().packageDir, 'dist', 'credentials', 'DreaminaApi.credentials.js'),
	);
	return new mod.DreaminaApi().properties.map((/** @type {{ name: string }} */ p) => p.name);
}

/**
 * How many items Wait for Callback takes in one execution, as that version of Generate Video
 * describes it: version 1 says so in the option ("Wait for Callback (One Item)"); a version
 * without that limit takes many (the tests use 5).
 * @param {number} version
 * @returns {number}
 */
function callbackItemsPerExecution(version) {
	const wait = propertiesOf('DreaminaGenerateVideo', version).find(
		(p) => p.name === 'waitForCompletion',
	);
	const option = /** @type {Array<{ value: string, name: string, description?: string }>} */ (
		wait?.options ?? []
	).find((o) => o.value === 'callback');
	if (!option) throw new Error(`Generate Video v${version} has no Wait for Callback option`);
	return /one item/i.test(`${option.name} ${option.description ?? ''}`) ? 1 : 5;
}

// ------------------------------------------------------------------------------------------------
// Memory

/**
 * @typedef {object} MemorySample
 * @property {number} rssBytes   VmRSS
 * @property {number} peakBytes  VmHWM (peak RSS since start or since resetPeak)
 */

/**
 * @param {number} pid
 * @returns {MemorySample}
 */
function memoryOf(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (/** @type {string} */ key) => {
		const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
		if (!m) throw new Error(`/proc/${pid}/status has no ${key}`);
		return Number(m[1]) * 1024;
	};
	return { rssBytes: kb('VmRSS'), peakBytes: kb('VmHWM') };
}

/**
 * Resets a process's peak RSS to its current RSS (Linux: "5" into /proc/<pid>/clear_refs), so
 * VmHWM afterwards is the peak of what came next, not a sample that can miss it.
 * @param {number} pid
 */
function resetPeak(pid) {
	fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/**
 * Runs `fn` and returns, for each live worker, the peak RSS it reached above its RSS at the start.
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<{ result: T, addedBytes: Record<string, number> }>}
 */
async function measureWorkerPeaks(fn) {
	const workers = readState().workers.filter((w) => isAlive(w.pid));
	/** @type {Record<string, number>} */
	const before = {};
	for (const w of workers) {
		resetPeak(w.pid);
		before[w.name] = memoryOf(w.pid).rssBytes;
	}
	const result = await fn();
	/** @type {Record<string, number>} */
	const addedBytes = {};
	for (const w of workers) addedBytes[w.name] = memoryOf(w.pid).peakBytes - before[w.name];
	return { result, addedBytes };
}

// ------------------------------------------------------------------------------------------------
// HTTP bursts

/**
 * @typedef {object} CallResult
 * @property {number} status     0 when the connection failed
 * @property {number} ms         time to the full answer
 * @property {string} body
 */

/**
 * One POST with a JSON body, timed to the end of the answer.
 * @param {string} url
 * @param {unknown} body
 * @returns {Promise<CallResult>}
 */
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

/**
 * Sends all the calls at once (a burst) and returns each one's result, in order.
 * @param {Array<{ url: string, body: unknown }>} calls
 * @returns {Promise<CallResult[]>}
 */
function burst(calls) {
	return Promise.all(calls.map((c) => timedPost(c.url, c.body)));
}

/**
 * Calls `url` every `everyMs` (without waiting for answers) until `until` settles, then waits
 * for every answer: a probe showing whether an endpoint keeps answering during a burst.
 * @param {string} url
 * @param {Promise<unknown>} until
 * @param {number} everyMs
 * @returns {Promise<CallResult[]>}
 */
async function probeWhile(url, until, everyMs) {
	let done = false;
	until.then(
		() => (done = true),
		() => (done = true),
	);
	/** @type {Promise<CallResult>[]} */
	const calls = [];
	for (let i = 0; !done && i < 10_000; i++) {
		calls.push(timedPost(url, { probe: i }));
		await delay(everyMs);
	}
	return Promise.all(calls);
}

/**
 * p-th percentile (nearest rank) of a list of numbers.
 * @param {number[]} values
 * @param {number} p   0–100
 */
function percentile(values, p) {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * Prints a measured figure (stderr, so jest shows it as it happens) and appends it to
 * `<runDir>/figures.jsonl` (kept with N8N_TEST_KEEP_FOLDERS=1).
 * @param {string} name
 * @param {Record<string, unknown>} figures
 */
function report(name, figures) {
	const line = Object.entries(figures)
		.map(
			([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 100) / 100 : JSON.stringify(v)}`,
		)
		.join(' ');
	process.stderr.write(`\n[queue] ${name}: ${line}\n`);
	try {
		fs.appendFileSync(
			path.join(readState().runDir, 'figures.jsonl'),
			JSON.stringify({ name, ...figures }) + '\n',
		);
	} catch {
		/* the state may be gone when teardown has run */
	}
}

/**
 * SIGKILL to a worker's whole process group (n8n and its task runner), as an OOM kill or a lost
 * machine would end it: no shutdown, no lock released.
 * @param {string} name
 */
async function killWorker(name) {
	const worker = readState().workers.find((w) => w.name === name);
	if (!worker) throw new Error(`no worker ${name}`);
	signalGroup(worker.pid, 'SIGKILL');
	await waitFor(`worker ${name} gone`, () => !isAlive(worker.pid, true), {
		timeoutMs: 10_000,
		intervalMs: 50,
	});
}

/**
 * Stops a worker the way an orchestrator scales one down (SIGTERM: n8n finishes its jobs and exits).
 * @param {string} name
 */
async function stopWorker(name) {
	const worker = readState().workers.find((w) => w.name === name);
	if (!worker) throw new Error(`no worker ${name}`);
	await stopGroup(worker.pid, { signal: 'SIGTERM', graceMs: 15_000 });
}

/** The workers running now. @returns {N8nProcess[]} */
function liveWorkers() {
	return readState().workers.filter((w) => isAlive(w.pid));
}

/**
 * Names no worker of the cluster has had yet: <prefix>-<n>, …
 * @param {string} prefix
 * @param {number} [count]
 * @returns {string[]}
 */
function newWorkerNames(prefix, count = 1) {
	const taken = new Set(readState().workers.map((w) => w.name));
	/** @type {string[]} */
	const names = [];
	for (let n = 1; names.length < count; n++)
		if (!taken.has(`${prefix}-${n}`)) names.push(`${prefix}-${n}`);
	return names;
}

/**
 * Files for the examples in the folder every process may read (N8N_RESTRICT_FILE_ACCESS_TO).
 * @param {Record<string, Buffer>} files   relative path → content
 */
function writeInputFiles(files) {
	const { filesDir } = readState();
	for (const [rel, content] of Object.entries(files)) {
		const file = path.join(filesDir, rel);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, content);
	}
	return filesDir;
}

/**
 * The main's binary-data folder (N8N_BINARY_DATA_STORAGE_PATH's default, `<user folder>/.n8n/storage`):
 * a worker in filesystem mode that writes here writes where the main reads.
 */
function mainStoragePath() {
	return path.join(readState().main.userFolder, '.n8n', 'storage');
}

/** The example workflows as they are on disk now (the lead edits them): file name → JSON. */
function readExamples() {
	const dir = path.join(REPO_ROOT, 'examples');
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

/**
 * Rows of a SQL query against the cluster's n8n database.
 * @param {string} sql
 */
function sql(sql) {
	return pgQuery(readState().postgres, sql);
}

/**
 * A workflow's executions as n8n recorded them (its execution_entity rows), oldest first. Read
 * from the database: n8n 2.41's REST list pages by a timestamp cursor that, with many executions
 * started in the same millisecond, repeats or skips some of them.
 * @param {string} workflowId
 * @returns {Promise<Array<{ id: string, status: string, mode: string }>>}
 */
async function executionsOf(workflowId) {
	if (!/^[A-Za-z0-9]+$/.test(workflowId)) throw new Error(`unexpected workflow id ${workflowId}`);
	const rows = await sql(
		`SELECT id, status, mode FROM execution_entity WHERE "workflowId" = '${workflowId}' AND "deletedAt" IS NULL ORDER BY id`,
	);
	return rows.map(([id, status, mode]) => ({ id, status, mode }));
}

/** The log of one cluster process from a byte mark on. @param {string} name @param {number} [from] */
function processLog(name, from = 0) {
	const state = readState();
	const proc = [state.main, state.webhook, ...state.workers].find((p) => p.name === name);
	if (!proc) throw new Error(`no process ${name}`);
	return readLog(proc.logFile, from);
}

module.exports = {
	connect,
	readState,
	workersThatRan,
	enqueuedBy,
	latestVersion,
	latestDescription,
	hasParameter,
	withParameters,
	credentialProperties,
	callbackItemsPerExecution,
	memoryOf,
	resetPeak,
	measureWorkerPeaks,
	timedPost,
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
	sql,
	executionsOf,
	processLog,
	delay,
	waitFor,
	isAlive,
	WORKER_CONCURRENCY,
	QUEUE_LOCKS,
};
