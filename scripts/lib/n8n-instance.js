// @ts-check
'use strict';
/**
 * The one n8n process manager, for the real-n8n tests, the queue cluster (test/queue/cluster.js),
 * `npm run demo` and the benchmarks. n8n is installed by scripts/ensure-n8n.js into a cache folder
 * (2.41.1 on Node 24; with N8N_TEST_VERSION=1.123.81 the oldest supported n8n on Node 22) and runs
 * as a child process of the caller:
 *
 * - N8nTestInstance     a user folder: pack and install this package as n8n installs community
 *                       packages, `n8n import:*`, `n8n execute` (the execution record read from the
 *                       SQLite DB, so a failed or invalid workflow comes back with its real error)
 * - startN8n(command)   `n8n start | worker | webhook`, detached, its output in a log file, ready
 *                       when its health check answers; an N8nServer (REST API, log, stop)
 * - N8nRest             a main's REST API from its URL alone (any jest process of the queue suite)
 * - nodeOutput / nodeItems / nodeBinaries / describeExecution   reading an execution
 *
 * See test/real-n8n/README.md for what was found about n8n on the way.
 */
const { spawn } = require('child_process');
const { createRequire } = require('module');
const fs = require('fs');
const os = require('os');
const path = require('path');

const {
	freePort,
	isAlive,
	readLog,
	signalGroup,
	spawnLogged,
	stopGroup,
	waitFor,
} = require('./processes');
/** @type {typeof import('../ensure-n8n')} */ const ensure = require('../ensure-n8n');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** Fixed so credentials imported by one command can be decrypted by the next. */
const ENCRYPTION_KEY = 'n8n-nodes-dreamina-real-n8n-tests-key';
/** @type {string} */ const PACKAGE_NAME = JSON.parse(
	fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
).name;

/** The n8n version to run: env N8N_TEST_VERSION (one of ensure-n8n.js's), else the newest tested. */
const n8nVersion = () => process.env.N8N_TEST_VERSION || ensure.N8N_VERSION;
/** Installs that n8n if needed (milliseconds when installed). */
const ensureN8n = () => ensure.ensureN8n({ n8n: n8nVersion() });

/** Paths of the installed n8n; throws if scripts/ensure-n8n.js has not run. */
function n8nInstall() {
	const version = n8nVersion();
	const p = ensure.pathsFor(ensure.defaultCacheDir(version), version);
	if (!fs.existsSync(p.n8nBin) || !fs.existsSync(p.node))
		throw new Error(
			`n8n ${version} is not installed in ${p.cacheDir}: run \`node scripts/ensure-n8n.js --n8n ${version}\``,
		);
	return p;
}

/** @param {string} s */
const stripAnsi = (s) => s.replace(/\u001b\[[0-9;]*m/g, '');
/** @param {string} s */
const tail = (s, n = 4000) => (s.length > n ? '…' + s.slice(-n) : s);
const randomId = () => require('crypto').randomBytes(12).toString('base64url').slice(0, 16);

/**
 * @typedef {'silent' | 'error' | 'warn' | 'info' | 'debug'} LogLevel
 * @typedef {{ userFolder: string; env?: Record<string, string | undefined>; logLevel?: LogLevel; timeoutMs?: number }} N8nOptions
 *   env wins over the defaults (`undefined` removes a variable); timeoutMs: CLI commands (180 s)
 */

/**
 * The environment of every n8n process. Node's bin dir first on PATH: n8n spawns its task runner
 * as a bare `node`. A free task-broker port each, so several n8n processes can run at once.
 * @param {N8nOptions} opts
 * @returns {Promise<Record<string, string>>}
 */
async function n8nEnv(opts) {
	const install = n8nInstall();
	/** @type {Record<string, string | undefined>} */ const all = {
		...process.env,
		PATH: `${path.dirname(install.node)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: opts.userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: opts.logLevel ?? process.env.N8N_TEST_LOG_LEVEL ?? 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite', // WAL mode (pool size > 0): read-executions.js reads while n8n runs
		NO_COLOR: '1',
		// jest's NODE_ENV=test makes n8n think it runs its own unit tests ('Not available in tests')
		NODE_ENV: undefined,
		JEST_WORKER_ID: undefined,
		NODE_OPTIONS: undefined,
		NODE_PATH: undefined,
		...install.spec.env,
		...opts.env,
	};
	return /** @type {Record<string, string>} */ (
		Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined))
	);
}

/**
 * @typedef {{ args: string[]; code: number | null; stdout: string; output: string; durationMs: number; timedOut: boolean }} CliResult
 *   output: stdout + stderr without ANSI colours
 */

/** Process groups this process started (commands and servers): killed when it exits. */
const started = new Set();
process.on('exit', () => started.forEach((pid) => signalGroup(pid, 'SIGKILL')));

/**
 * Runs a command to its end, output captured; never throws for a non-zero exit. Its own process
 * group, so its end or a timeout also ends what it started (n8n's task runner).
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }} opts
 * @returns {Promise<CliResult>}
 */
function capture(cmd, args, opts) {
	const t0 = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		started.add(child.pid);
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			timedOut = true;
			signalGroup(child.pid, 'SIGKILL');
		}, opts.timeoutMs ?? 180_000);
		const end = () => {
			clearTimeout(timer);
			started.delete(child.pid);
			signalGroup(child.pid, 'SIGKILL');
		};
		child.on('error', (err) => (end(), reject(err)));
		child.on('close', (code) => {
			end();
			const output = stripAnsi(stdout + (stderr ? '\n' + stderr : ''));
			resolve({ args, code, stdout, output, durationMs: Date.now() - t0, timedOut });
		});
	});
}

/** @param {string} what @param {CliResult} r */
const cliFailure = (what, r) =>
	new Error(
		`${what} failed: ${r.args.join(' ')} exited ${r.code}${r.timedOut ? ' (timed out)' : ''} after ${r.durationMs} ms\n${tail(r.output)}`,
	);

/**
 * @typedef {{ id?: string; name?: string; nodes: Array<Record<string, any>>; connections: Record<string, any>; settings?: Record<string, any>; active?: boolean; [key: string]: unknown }} WorkflowJson
 * @typedef {{ message: string; name?: string; description?: string | null; node?: string; [key: string]: unknown }} ExecutionError
 * @typedef {object} ExecutionResult
 * @property {string} executionId
 * @property {string} id the same (n8n's name for it)
 * @property {string} [workflowId]
 * @property {string} status 'success' | 'error' | 'crashed' | 'canceled' | 'waiting' | 'running' | 'new'
 * @property {string | null} [startedAt]
 * @property {any} [data] IRunExecutionData: data.resultData.runData[node][run].data.main[output][item]
 * @property {ExecutionError} [error] data.resultData.error, its node as a name
 * @property {CliResult} [cli] the `n8n execute` command (executeWorkflow)
 * @typedef {object} StoredBinary one binary property of an item
 * @property {string} mimeType
 * @property {string} [fileName]
 * @property {string} [fileExtension]
 * @property {number} [bytes] exact size (n8n 2.x)
 * @property {string} [id] `filesystem-v2:…` (a file under `.n8n/storage`) or `database:…` (queue mode)
 * @property {string} [data] base64 content when kept in memory
 */

/** @param {any} rec @returns {ExecutionResult} */
function toExecution(rec) {
	const err = rec.data?.resultData?.error;
	const id = String(rec.id ?? '');
	return {
		...rec,
		executionId: id,
		id,
		status: rec.status ?? 'unknown',
		error: err && {
			...err,
			message: String(err.message ?? err.description),
			node: err.node?.name ?? err.node,
		},
	};
}

/** A user folder (N8N_USER_FOLDER; n8n keeps its data in `<folder>/.n8n`) and the CLI in it. */
class N8nTestInstance {
	/** @type {N8nOptions} @readonly */ options;
	/** @param {Partial<N8nOptions>} [opts] */
	constructor(opts = {}) {
		const userFolder = opts.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-real-'));
		this.options = { ...opts, userFolder };
	}
	get userFolder() {
		return this.options.userFolder;
	}

	/** `n8n <args>`; never throws for a non-zero exit. @param {string[]} args */
	async cli(args) {
		const install = n8nInstall();
		const env = await n8nEnv(this.options);
		const r = await capture(install.node, [install.n8nBin, ...args], {
			...this.options,
			cwd: this.userFolder,
			env,
		});
		return { ...r, args: ['n8n', ...args] };
	}

	/**
	 * `npm pack`s a package (default: this repo, built) and installs the tarball as n8n's
	 * CommunityPackagesService does: extracted into `.n8n/nodes/node_modules/<name>`, its dev, peer
	 * and optional dependencies dropped (n8n provides n8n-workflow), recorded in `.n8n/nodes/package.json`.
	 * A package with runtime dependencies (which n8n would `npm install`) is refused.
	 * @param {{ packageDir?: string }} [opts]
	 */
	async packAndInstall(opts = {}) {
		const packageDir = opts.packageDir ?? REPO_ROOT;
		assertBuilt(packageDir);
		const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pack-'));
		try {
			// --ignore-scripts: `prepack` would build again
			const pack = await capture(
				'npm',
				['pack', '--ignore-scripts', '--json', `--pack-destination=${packDir}`],
				{ cwd: packageDir },
			);
			if (pack.code !== 0) throw cliFailure('npm pack', pack);
			const { filename, name, version } = JSON.parse(
				pack.stdout.slice(pack.stdout.indexOf('[')),
			)[0];
			const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
			const installDir = path.join(nodesDir, 'node_modules', name);
			fs.rmSync(installDir, { recursive: true, force: true });
			fs.mkdirSync(installDir, { recursive: true });
			const untar = await capture(
				'tar',
				['-xzf', path.join(packDir, filename), '-C', installDir, '--strip-components=1'],
				{ cwd: packDir },
			);
			if (untar.code !== 0) throw cliFailure('tar', untar);
			const pkgFile = path.join(installDir, 'package.json');
			const {
				devDependencies: _d,
				peerDependencies: _p,
				optionalDependencies: _o,
				...pkg
			} = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
			if (Object.keys(pkg.dependencies ?? {}).length > 0)
				throw new Error(`${name} has runtime dependencies; community nodes must have none`);
			fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
			const ledger = { name: 'installed-nodes', private: true, dependencies: { [name]: version } };
			fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify(ledger, null, 2));
			return { packageName: name, version, installDir };
		} finally {
			fs.rmSync(packDir, { recursive: true, force: true });
		}
	}

	/** @param {string} what @param {unknown[]} list */
	async import(what, list) {
		const file = path.join(this.userFolder, `${what}-${randomId()}.json`);
		fs.writeFileSync(file, JSON.stringify(list));
		const r = await this.cli([`import:${what}`, `--input=${file}`]);
		if (r.code !== 0 || !/Successfully imported/.test(r.output))
			throw cliFailure(`import:${what}`, r);
	}

	/**
	 * `n8n import:credentials`; plain `data` is encrypted on import.
	 * @param {{ id: string; name: string; type: string; data: Record<string, unknown> } | Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>} cred
	 */
	importCredential(cred) {
		return this.import('credentials', [cred].flat());
	}

	/** `n8n import:workflow`; a workflow without an id gets one. Returns the ids. @param {WorkflowJson | WorkflowJson[]} workflow */
	async importWorkflow(workflow) {
		const list = [workflow].flat().map((wf) => ({
			name: 'Test workflow',
			active: false,
			settings: {},
			pinData: {},
			...wf,
			id: wf.id ?? randomId(),
		}));
		await this.import('workflow', list);
		return list.map((wf) => wf.id);
	}

	/**
	 * Execution records of the folder's SQLite DB, newest first (read-executions.js on n8n's Node:
	 * sqlite3 and flatted come from the n8n install).
	 * @param {{ workflowId?: string; afterId?: number; limit?: number; withData?: boolean; maxId?: boolean }} [query]
	 * @returns {Promise<any>}
	 */
	async readDb(query = {}) {
		const install = n8nInstall();
		const db = path.join(this.userFolder, '.n8n', 'database.sqlite');
		const r = await capture(
			install.node,
			[path.join(__dirname, 'read-executions.js'), install.n8nDir, db, JSON.stringify(query)],
			{ cwd: this.userFolder },
		);
		if (r.code !== 0) throw cliFailure(`reading ${db}`, r);
		return JSON.parse(r.stdout);
	}

	/** @param {{ workflowId?: string; afterId?: number; limit?: number; withData?: boolean }} [query] @returns {Promise<ExecutionResult[]>} */
	async readExecutions(query = {}) {
		return (await this.readDb({ withData: true, ...query })).executions.map(toExecution);
	}

	/**
	 * `n8n execute --id`, then the execution record from the DB: a workflow that fails validation
	 * (the CLI prints only "No active execution found") comes back with status 'error' and its error.
	 * @param {string} workflowId
	 * @returns {Promise<ExecutionResult>}
	 */
	async executeWorkflow(workflowId) {
		const { maxId } = await this.readDb({ maxId: true });
		const cli = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const [rec] = await this.readExecutions({ workflowId, afterId: maxId, limit: 1 });
		if (!rec)
			throw new Error(`n8n execute recorded no execution for ${workflowId}:\n${tail(cli.output)}`);
		if (['new', 'running'].includes(rec.status) && cli.code !== 0)
			// died before it started (e.g. "Unrecognized node type": the package did not load)
			return {
				...rec,
				status: 'crashed',
				error: rec.error ?? { message: tail(cli.output, 1500) },
				cli,
			};
		return { ...rec, cli };
	}

	/** `n8n start` in this folder. @param {Partial<StartOptions>} [opts] */
	startServer(opts = {}) {
		return startN8n('start', {
			...this.options,
			...opts,
			env: { ...this.options.env, ...opts.env },
		});
	}

	cleanup() {
		if (!process.env.N8N_TEST_KEEP_FOLDERS)
			fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** Throws unless every file package.json's `n8n` section lists is built. */
function assertBuilt(packageDir = REPO_ROOT) {
	const { n8n = {} } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const missing = [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])].filter(
		(f) => !fs.existsSync(path.join(packageDir, f)),
	);
	if (missing.length) throw new Error(`not built (run \`npm run build\`): ${missing.join(', ')}`);
}

/**
 * @typedef {N8nOptions & { port?: number; readyTimeoutMs?: number; onSpawn?: (pid: number) => void }} StartOptions
 *   onSpawn: sees the process group at once (the queue cluster records it for its teardown)
 */

/**
 * Starts `n8n start` (main: editor, REST, webhooks), `n8n worker` or `n8n webhook` in a user folder,
 * its output appended to `<userFolder>/n8n-<command>.log`, and waits until it serves
 * /healthz/readiness (a main: also /rest/settings, what the editor needs first). A main's log level
 * defaults to debug, where n8n names the packages it loaded.
 * @param {'start' | 'worker' | 'webhook'} command
 * @param {StartOptions & { args?: string[] }} opts
 * @returns {Promise<N8nServer>}
 */
async function startN8n(command, opts) {
	const install = n8nInstall();
	const port = opts.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	/** @type {Record<string, string>} */
	const roles = {
		start: {
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${url}/`,
			N8N_EDITOR_BASE_URL: `${url}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		},
		webhook: { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' },
		worker: {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		},
	}[command];
	const env = await n8nEnv({
		...opts,
		logLevel: opts.logLevel ?? (command === 'start' ? 'debug' : undefined),
		env: { ...roles, ...opts.env },
	});
	const logFile = path.join(opts.userFolder, `n8n-${command}.log`);
	const t0 = Date.now();
	const { pid } = spawnLogged(
		command,
		install.node,
		[install.n8nBin, command, ...(opts.args ?? [])],
		{ env, cwd: opts.userFolder, logFile },
	);
	started.add(pid);
	opts.onSpawn?.(pid);
	const server = new N8nServer(url, { pid, port, userFolder: opts.userFolder, logFile });
	const paths =
		command === 'start' ? ['/healthz/readiness', '/rest/settings'] : ['/healthz/readiness'];
	try {
		await waitFor(
			`n8n ${command}`,
			async () => {
				for (const p of paths)
					if ((await fetch(url + p, { signal: AbortSignal.timeout(3000) })).status !== 200)
						return false;
				return true;
			},
			{
				timeoutMs: opts.readyTimeoutMs ?? 240_000,
				intervalMs: 250,
				logFile,
				alive: () => isAlive(pid),
			},
		);
	} catch (error) {
		await server.stop();
		throw error;
	}
	server.startupMs = Date.now() - t0;
	return server;
}

/** @type {{ email: string; firstName: string; lastName: string; password: string }} */
const DEFAULT_OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: 'Test-passw0rd',
};

/** A main's REST API as the editor uses it (session cookie). Needs only the URL. */
class N8nRest {
	/** @type {string | undefined} */ cookie;
	/** @param {string} url http://127.0.0.1:<port> */
	constructor(url) {
		this.url = url;
	}

	/**
	 * A request; `/rest/…` answers are unwrapped from `{ data }` and a status ≥ 400 throws.
	 * @param {string} method
	 * @param {string} urlPath
	 * @param {unknown} [body]
	 * @returns {Promise<any>}
	 */
	async rest(method, urlPath, body) {
		/** @type {Record<string, string>} */
		const headers = { accept: 'application/json', 'browser-id': 'real-n8n-tests' }; // n8n binds the cookie to it
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const p = urlPath.startsWith('/types/') ? urlPath : `/rest${urlPath}`;
		const send = () =>
			fetch(this.url + p, {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		// a kept-alive socket the server closed as it was reused ("other side closed", seen under
		// load): the request never reached n8n, so it is sent once more on a new connection
		const res = await send().catch((e) => {
			if (e?.cause?.code === 'UND_ERR_SOCKET') return send();
			throw e;
		});
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (cookie) this.cookie = cookie.split(';')[0];
		if (urlPath.startsWith('/binary-data')) {
			if (res.status !== 200)
				throw new Error(`${method} ${p} -> ${res.status}: ${await res.text()}`);
			return Buffer.from(await res.arrayBuffer());
		}
		const text = await res.text();
		/** @type {any} */ let json = text;
		try {
			json = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		if (res.status >= 400) {
			throw Object.assign(new Error(`${method} ${p} -> ${res.status}: ${text.slice(0, 1000)}`), {
				status: res.status,
			});
		}
		return json && typeof json === 'object' && 'data' in json ? json.data : json;
	}

	/**
	 * Owner setup on a fresh instance, then login (keeps the session cookie).
	 * @param {{ email: string; password: string }} [owner]
	 */
	async ensureOwnerAndLogin(owner = DEFAULT_OWNER) {
		const settings = await this.rest('GET', '/settings');
		if (settings?.userManagement?.showSetupOnFirstLoad !== false)
			await this.rest('POST', '/owner/setup', { ...DEFAULT_OWNER, ...owner }).catch((e) => {
				if (e.status !== 400) throw e; // already set up
			});
		return this.login(owner.email, owner.password);
	}

	async login(email = DEFAULT_OWNER.email, password = DEFAULT_OWNER.password) {
		this.cookie = undefined;
		return this.rest('POST', '/login', { emailOrLdapLoginId: email, password });
	}

	/** Every node type description n8n loaded. @returns {Promise<Array<{ name: string; [k: string]: any }>>} */
	nodeTypes() {
		return this.rest('GET', '/types/nodes.json');
	}

	/** @param {{ name: string; type: string; data: Record<string, unknown> }} cred */
	createCredential(cred) {
		return this.rest('POST', '/credentials', cred);
	}

	/** `POST /rest/workflows` (an exported workflow's id, active flag and tags are not accepted). @param {WorkflowJson} wf */
	createWorkflow(wf) {
		const { id: _i, active: _a, tags: _t, ...body } = wf;
		return this.rest('POST', '/workflows', { name: 'Test workflow', settings: {}, ...body });
	}

	/**
	 * Publishes (activates) the current version; n8n 2.x registers the triggers after the call
	 * returns, so this polls publication-status until 'published' (1.x: active at once).
	 * @param {string} id
	 */
	async activateWorkflow(id) {
		const { versionId } = await this.rest('GET', `/workflows/${id}`);
		await this.rest('POST', `/workflows/${id}/activate`, { versionId });
		if (n8nVersion().startsWith('1.')) return;
		await waitFor(
			`workflow ${id} published`,
			async () => {
				const st = await this.rest('GET', `/workflows/${id}/publication-status`);
				if (st.status === 'failed' || st.status === 'partial')
					throw Object.assign(
						new Error(`publication ${st.status}: ${JSON.stringify(st.triggers)}`),
						{ fatal: true },
					);
				return st.status === 'published';
			},
			{ timeoutMs: 60_000, intervalMs: 100 },
		);
	}

	/** @param {string} id */
	deactivateWorkflow(id) {
		return this.rest('POST', `/workflows/${id}/deactivate`, {});
	}

	/**
	 * A manual run like the editor's "Execute workflow"; returns the execution id.
	 * @param {string} id
	 * @param {string} [triggerName] default: the first trigger-looking node
	 */
	async runWorkflow(id, triggerName) {
		if (!triggerName) {
			const wf = await this.rest('GET', `/workflows/${id}`);
			triggerName = /** @type {Array<{ name: string; type: string }>} */ (wf.nodes).find((n) =>
				/trigger|webhook|start/i.test(n.type),
			)?.name;
		}
		const res = await this.rest('POST', `/workflows/${id}/run`, {
			triggerToStartFrom: { name: triggerName },
		});
		if (!res?.executionId)
			throw new Error(`run of workflow ${id} started no execution: ${JSON.stringify(res)}`);
		return String(res.executionId);
	}

	/** An execution with its flatted `data` parsed. @param {string} executionId @returns {Promise<ExecutionResult>} */
	async getExecution(executionId) {
		const rec = await this.rest('GET', `/executions/${executionId}`);
		const { parse } = createRequire(path.join(n8nInstall().n8nDir, 'package.json'))('flatted');
		return toExecution({ ...rec, data: typeof rec.data === 'string' ? parse(rec.data) : rec.data });
	}

	/**
	 * Polls an execution until it has finished (or has one of the `until` statuses, e.g. ['waiting']).
	 * @param {string} executionId
	 * @param {{ timeoutMs?: number; until?: string[] }} [opts]
	 */
	waitForExecution(executionId, opts = {}) {
		const until = opts.until ?? ['success', 'error', 'crashed', 'canceled'];
		/** @type {string | undefined} */ let last;
		return waitFor(
			`execution ${executionId}`,
			async () => {
				const exec = await this.getExecution(executionId).catch((e) => {
					if (e.status !== 404) throw e;
				});
				last = exec?.status;
				return exec && until.includes(exec.status) ? exec : undefined;
			},
			{ timeoutMs: opts.timeoutMs ?? 120_000, intervalMs: 250, detail: () => `status ${last}` },
		);
	}

	/** Summaries of a workflow's executions, newest first. @param {string} workflowId @returns {Promise<Array<{ id: string; status: string }>>} */
	async listExecutions(workflowId) {
		const res = await this.rest(
			'GET',
			`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`,
		);
		return res.results ?? res;
	}

	/** A workflow's next execution after `known` of them, finished. @param {string} workflowId @param {number} known */
	async nextExecution(workflowId, known) {
		const list = await waitFor(
			`an execution of ${workflowId}`,
			async () => {
				const all = await this.listExecutions(workflowId);
				return all.length > known ? all : undefined;
			},
			{ timeoutMs: 60_000 },
		);
		return this.waitForExecution(list[0].id);
	}

	/**
	 * `$execution.resumeUrl` of a waiting execution: `<url>/webhook-waiting/<id>?signature=<data.resumeToken>`.
	 * @param {ExecutionResult} execution
	 */
	resumeUrl(execution) {
		return `${this.url}/webhook-waiting/${execution.executionId}?signature=${encodeURIComponent(execution.data.resumeToken)}`;
	}

	/** The bytes of a stored binary, read by the main from whichever store holds it. @param {StoredBinary} binary @returns {Promise<Buffer>} */
	binaryData(binary) {
		return this.rest(
			'GET',
			`/binary-data?${new URLSearchParams({ id: String(binary.id), action: 'download' })}`,
		);
	}
}

/** An n8n process this process started: its REST API (a main), its log, stop(). */
class N8nServer extends N8nRest {
	startupMs = 0;
	/** @param {string} url @param {{ pid: number; port: number; userFolder: string; logFile: string }} proc */
	constructor(url, proc) {
		super(url);
		Object.assign(this, proc);
		/** @type {number} */ this.pid;
		/** @type {number} */ this.port;
		/** @type {string} */ this.userFolder;
		/** @type {string} */ this.logFile;
	}
	/** Everything it printed (ANSI stripped). */
	logs() {
		return readLog(this.logFile);
	}
	/** SIGTERM to n8n and its task runner, SIGKILL after the grace time. */
	async stop(graceMs = 15_000) {
		await stopGroup(this.pid, { graceMs });
		started.delete(this.pid);
	}
}

/**
 * Which of the package's node types and credentials a running main serves (`/types/*.json`), and
 * what its debug log says about loading the package.
 * @param {N8nServer} server
 */
async function nodeTypesLoaded(server, packageName = PACKAGE_NAME) {
	const [nodes, credentials] = await Promise.all([
		server.nodeTypes(),
		server.rest('GET', '/types/credentials.json'),
	]);
	const ours = nodes.map((n) => n.name).filter((n) => n.startsWith(`${packageName}.`));
	const log = server.logs();
	const line = new RegExp(
		`(?:Loaded all credentials and nodes|Lazy-loading nodes and credentials) from ${packageName}\\b[^\\n]*`,
	).exec(log)?.[0];
	const count = (/** @type {string} */ k) =>
		Number(new RegExp(`"${k}":\\s*(\\d+)`).exec(line ?? '')?.[1] ?? NaN);
	return {
		nodes: ours.filter((n) => !/Tool$/.test(n) || !ours.includes(n.replace(/(Hitl)?Tool$/, ''))),
		credentials:
			/** @type {Array<{ name: string; supportedNodes?: string[]; iconUrl?: unknown }>} */ (
				credentials
			)
				.filter(
					(c) =>
						(c.supportedNodes ?? []).some((s) => s.startsWith(`${packageName}.`)) ||
						JSON.stringify(c.iconUrl ?? '').includes(`/${packageName}/`),
				)
				.map((c) => c.name),
		loadedCounts: line ? { nodes: count('nodes'), credentials: count('credentials') } : undefined,
		errors: log
			.split('\n')
			.filter(
				(l) => l.includes(packageName) && /Failed to load|Skipping package|already loaded/.test(l),
			),
	};
}

/**
 * The items a node output (default: first run, first output); throws when it did not run or failed.
 * @param {ExecutionResult} result
 * @param {string} nodeName
 * @param {{ runIndex?: number; outputIndex?: number }} [opts]
 * @returns {Array<{ json: Record<string, any>; binary?: Record<string, StoredBinary> }>}
 */
function nodeOutput(result, nodeName, opts = {}) {
	const run = result.data?.resultData?.runData?.[nodeName]?.[opts.runIndex ?? 0];
	if (!run) throw new Error(`node "${nodeName}" did not run; ${describeExecution(result)}`);
	if (run.error)
		throw new Error(
			`node "${nodeName}" failed: ${run.error.message} ${run.error.description ?? ''}`,
		);
	return run.data?.main?.[opts.outputIndex ?? 0] ?? [];
}
/** @param {ExecutionResult} result @param {string} nodeName @param {{ runIndex?: number; outputIndex?: number }} [opts] */
const nodeItems = (result, nodeName, opts) => nodeOutput(result, nodeName, opts).map((i) => i.json);
/** @param {ExecutionResult} result @param {string} nodeName @returns {Array<Record<string, StoredBinary>>} */
const nodeBinaries = (result, nodeName) => nodeOutput(result, nodeName).map((i) => i.binary ?? {});

/** One line explaining an execution, for assertion messages. @param {ExecutionResult} result */
function describeExecution(result) {
	const e = result.error;
	const ran = Object.keys(result.data?.resultData?.runData ?? {}).join(', ');
	return `execution ${result.executionId} status=${result.status}${e ? `; error=${e.name ?? 'Error'}: ${e.message} ${e.description ?? ''} node=${e.node}` : ''}; nodes run=[${ran}]${!result.data && result.cli ? `\n${tail(result.cli.output, 2000)}` : ''}`;
}
/** @param {ExecutionResult} result */
function assertSucceeded(result) {
	if (result.status !== 'success')
		throw new Error(`workflow did not succeed: ${describeExecution(result)}`);
}

/** The credential the example workflows reference. */
const EXAMPLE_CREDENTIAL = /** @type {const} */ ({
	id: 'dreaminaApiCred1',
	name: 'Dreamina API',
	type: 'dreaminaApi',
});
/** An example workflow (a fresh copy). @param {string} file @returns {WorkflowJson} */
const readExample = (file) =>
	JSON.parse(
		fs.readFileSync(path.join(REPO_ROOT, 'examples', file.replace(/(\.json)?$/, '.json')), 'utf8'),
	);
/** @param {WorkflowJson} wf @param {string} name */
function workflowNode(wf, name) {
	const node = wf.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`workflow "${wf.name}" has no node "${name}"`);
	return node;
}

/**
 * The bytes of a binary property: the file n8n wrote under `<userFolder>/.n8n/storage` in
 * filesystem mode, or its inline base64.
 * @param {string} userFolder
 * @param {StoredBinary} binary
 */
function readBinary(userFolder, binary) {
	if (!binary.id) return Buffer.from(String(binary.data), 'base64');
	return fs.readFileSync(
		path.join(userFolder, '.n8n', 'storage', binary.id.replace(/^filesystem(-v2)?:/, '')),
	);
}

module.exports = {
	REPO_ROOT,
	ensureN8n,
	n8nVersion,
	n8nInstall,
	n8nEnv,
	freePort,
	assertBuilt,
	N8nTestInstance,
	startN8n,
	N8nRest,
	N8nServer,
	DEFAULT_OWNER,
	nodeTypesLoaded,
	nodeOutput,
	nodeItems,
	nodeBinaries,
	describeExecution,
	assertSucceeded,
	EXAMPLE_CREDENTIAL,
	readExample,
	workflowNode,
	readBinary,
};
