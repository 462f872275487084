// @ts-check
'use strict';
/**
 * A real n8n 2.41.1 in queue mode for the tests in test/queue: Redis, PostgreSQL, the Dreamina
 * API emulator (its CLI, as a child process) and four n8n processes — one main (editor + REST,
 * `N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true`), two workers, one webhook process — each with its
 * own user folder in which this package is installed as a community package.
 *
 * jest's globalSetup starts it once for the suite (global-setup.js) and writes a state file;
 * test files read it with readState(); globalTeardown (and, as a last resort, an exit handler of
 * the process that started it) ends every process group recorded there.
 * See test/queue/README.md for the settings and why each is there.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const {
	spawnLogged,
	stopGroup,
	killGroupsNow,
	waitFor,
	isAlive,
	readLog,
} = require('../../scripts/lib/processes');
const {
	ensureQueueServices,
	startRedis,
	startPostgres,
	stopRedis,
	stopPostgres,
} = require('./services');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const { emulatorCliArgs } = require(path.join(REPO_ROOT, 'scripts', 'lib', 'emulator-process'));
/** The n8n library (install, the environment of an n8n process, package install, REST). */
const lib = require(path.join(REPO_ROOT, 'scripts', 'lib', 'n8n-instance'));

/**
 * The package the cluster installs: this repo (built), or a built copy elsewhere named by
 * N8N_TEST_PACKAGE_DIR (e.g. a release tarball's contents).
 */
function packageDir() {
	return process.env.N8N_TEST_PACKAGE_DIR
		? path.resolve(process.env.N8N_TEST_PACKAGE_DIR)
		: REPO_ROOT;
}

/** Where the state of the running cluster is written (set by global-setup.js for the test files). */
const STATE_ENV = 'N8N_QUEUE_TEST_STATE';

/** Concurrency of each worker: 1, so two concurrent executions land on two workers and a worker's memory belongs to one execution. */
const WORKER_CONCURRENCY = 1;

/**
 * Bull's job lock and stall check (n8n defaults: 60 s lock, renewed every 10 s, checked every
 * 30 s): shortened so a killed worker's job is found stalled in ~15 s instead of ~90 s.
 */
const QUEUE_LOCKS = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};

/**
 * n8n pings PostgreSQL every 2 s and answers 503 "Database is not ready!" to every webhook while a
 * ping is late; its 5 s default timeout is missed whenever a burst of callbacks keeps the webhook
 * process (or a 2-core machine) busy for longer, though the database is fine. 20 s: a late ping
 * is not an outage.
 */
const WEBHOOK_PROCESS_ENV = {
	DB_PING_TIMEOUT_MS: '20000',
	// docs/CALLBACKS.md: without it n8n 2.41 starts an expression isolate for every call to a
	// community trigger before reading the body, and a burst outlasts the API's 10 s.
	N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
};

/**
 * @typedef {object} N8nProcess
 * @property {string} name                       'main' | 'worker-1' | 'worker-2' | 'webhook' | …
 * @property {'main' | 'worker' | 'webhook'} role
 * @property {number} pid                        the n8n process (leader of its group: n8n + task runner)
 * @property {number} port                       HTTP port (workers: their health-check server)
 * @property {string} url                        http://127.0.0.1:<port>
 * @property {string} userFolder                 N8N_USER_FOLDER (the package is in .n8n/nodes)
 * @property {string} logFile
 * @property {number} startupMs
 */

/**
 * @typedef {object} ClusterState
 * @property {string} runDir
 * @property {string} packageDir                 the package installed (its dist/ is what n8n loaded)
 * @property {string} pgDir                      PostgreSQL's data and socket (owned by the postgres user)
 * @property {string} encryptionKey
 * @property {string} filesDir                   N8N_RESTRICT_FILE_ACCESS_TO of every process
 * @property {string} webhookUrl                 WEBHOOK_URL of every process (the webhook process)
 * @property {import('./services').RedisService} redis
 * @property {import('./services').PostgresService} postgres
 * @property {{ baseUrl: string, origin: string, token: string, pid: number, logFile: string }} emulator
 * @property {N8nProcess} main
 * @property {N8nProcess} webhook
 * @property {N8nProcess[]} workers              every worker started, killed ones included
 * @property {{ name: string, pid: number }[]} processes   every process group started (teardown ends them)
 * @property {Record<string, number>} timings    ms
 * @property {{ email: string, password: string }} owner
 * @property {{ id: string, name: string }} [credential]   the Dreamina API credential (global-setup.js)
 * @property {string} [callbackSecret]       the credential's callbackSecret, when its type has that field
 */

/** @returns {string} */
function statePath() {
	const file = process.env[STATE_ENV];
	if (!file) {
		throw new Error(
			`${STATE_ENV} is not set: run the queue tests with their config (npx jest -c test/queue/jest.queue.config.js)`,
		);
	}
	return file;
}

/** The running cluster, as global-setup.js (and later restarts) recorded it. @returns {ClusterState} */
function readState() {
	return JSON.parse(fs.readFileSync(statePath(), 'utf8'));
}

/** @param {ClusterState} state */
function writeState(state) {
	const file = statePath();
	fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
	fs.renameSync(`${file}.tmp`, file);
}

/**
 * Adds a process to the state file at once (so teardown ends it even if the caller crashes next).
 * @param {{ name: string, pid: number }} proc
 */
function recordProcess(proc) {
	const state = readState();
	state.processes.push({ name: proc.name, pid: proc.pid });
	writeState(state);
}

/**
 * The environment of one n8n process of the cluster.
 * @param {Pick<ClusterState, 'encryptionKey' | 'filesDir' | 'webhookUrl' | 'redis' | 'postgres'>} base
 * @param {string} userFolder
 * @param {Record<string, string | undefined>} extra
 */
async function n8nProcessEnv(base, userFolder, extra) {
	return lib.n8nEnv({
		userFolder,
		logLevel: 'info',
		env: {
			EXECUTIONS_MODE: 'queue',
			// 2.41 runs manual executions on the main unless this is set (n8n 3 always offloads them)
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(base.redis.port),
			...QUEUE_LOCKS,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(base.postgres.port),
			DB_POSTGRESDB_DATABASE: base.postgres.database,
			DB_POSTGRESDB_USER: base.postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: base.encryptionKey,
			// resume URLs and webhook URLs are built from it, by workers too
			WEBHOOK_URL: base.webhookUrl,
			N8N_RESTRICT_FILE_ACCESS_TO: base.filesDir,
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			...extra,
		},
	});
}

/** @param {string} url */
async function httpOk(url) {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
		await res.arrayBuffer();
		return res.status === 200;
	} catch {
		return false;
	}
}

/**
 * Starts one n8n process and waits until it is ready.
 * @param {Pick<ClusterState, 'runDir' | 'encryptionKey' | 'filesDir' | 'webhookUrl' | 'redis' | 'postgres'>} base
 * @param {{ name: string, role: 'main' | 'worker' | 'webhook', userFolder: string, port: number, env?: Record<string, string> }} spec
 * @param {(proc: { name: string, pid: number }) => void} record   called as soon as the pid is known
 * @returns {Promise<N8nProcess>}
 */
async function startN8nProcess(base, spec, record) {
	const install = lib.n8nInstall();
	const url = `http://127.0.0.1:${spec.port}`;
	/** @type {Record<string, string>} */
	let roleEnv;
	/** @type {string[]} */
	let args;
	if (spec.role === 'main') {
		roleEnv = {
			N8N_PORT: String(spec.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${url}/`,
			N8N_SECURE_COOKIE: 'false',
			// production webhooks are served by the webhook process only
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		};
		args = ['start'];
	} else if (spec.role === 'webhook') {
		roleEnv = {
			N8N_PORT: String(spec.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			...WEBHOOK_PROCESS_ENV,
		};
		args = ['webhook'];
	} else {
		roleEnv = {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(spec.port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		};
		args = ['worker', `--concurrency=${WORKER_CONCURRENCY}`];
	}
	const env = await n8nProcessEnv(base, spec.userFolder, { ...roleEnv, ...spec.env });
	const logFile = path.join(base.runDir, `${spec.name}.log`);
	const started = Date.now();
	const proc = spawnLogged(spec.name, install.node, [install.n8nBin, ...args], {
		env,
		cwd: spec.userFolder,
		logFile,
	});
	record(proc);
	const main = new lib.N8nRest(url);
	const ready =
		spec.role === 'main' ? () => main.isReady() : () => httpOk(`${url}/healthz/readiness`);
	await waitFor(`n8n ${args.join(' ')} (${spec.name})`, ready, {
		timeoutMs: 240_000,
		intervalMs: 250,
		logFile,
		alive: () => isAlive(proc.pid),
	});
	return {
		name: spec.name,
		role: spec.role,
		pid: proc.pid,
		port: spec.port,
		url,
		userFolder: spec.userFolder,
		logFile,
		startupMs: Date.now() - started,
	};
}

/**
 * @param {string} runDir
 * @param {string[]} options  CLI options (--video-ms …)
 * @param {(proc: { name: string, pid: number }) => void} record
 */
async function startEmulatorProcess(runDir, options, record) {
	const logFile = path.join(runDir, 'emulator.log');
	const proc = spawnLogged(
		'emulator',
		process.execPath,
		[...emulatorCliArgs(), '--port', '0', ...options],
		{ cwd: REPO_ROOT, env: process.env, logFile },
	);
	record(proc);
	const info = await waitFor(
		'the Dreamina API emulator',
		() => {
			const line = readLog(logFile)
				.split('\n')
				.find((l) => l.startsWith('{') && l.includes('"baseUrl"'));
			return line
				? /** @type {{ baseUrl: string, origin: string, token: string }} */ (JSON.parse(line))
				: undefined;
		},
		{ timeoutMs: 60_000, logFile, alive: () => isAlive(proc.pid) },
	);
	return { ...info, pid: proc.pid, logFile };
}

/**
 * Starts everything. `onProcess` sees each process group as soon as it exists (the caller's
 * exit handler must be able to end it even if a later step fails).
 * @param {{ onProcess: (proc: { name: string, pid: number }) => void, emulatorOptions?: string[], log?: (msg: string) => void }} opts
 * @returns {Promise<ClusterState>}
 */
async function startCluster(opts) {
	const log = opts.log ?? (() => {});
	const timings = /** @type {Record<string, number>} */ ({});
	const t0 = Date.now();
	const programs = ensureQueueServices();
	timings.ensureServicesMs = programs.ensureMs;
	const t1 = Date.now();
	await lib.ensureN8n();
	timings.ensureN8nMs = Date.now() - t1;

	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
	const filesDir = path.join(runDir, 'files');
	fs.mkdirSync(filesDir);
	const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-pg-'));
	/** @type {{ name: string, pid: number }[]} */
	const processes = [];
	const record = (/** @type {{ name: string, pid: number }} */ p) => {
		processes.push({ name: p.name, pid: p.pid });
		opts.onProcess(p);
	};

	try {
		return await startAll();
	} catch (error) {
		await stopCluster({ processes, runDir, pgDir });
		throw error;
	}

	async function startAll() {
		const [redisPort, pgPort, mainPort, webhookPort, worker1Port, worker2Port] = await Promise.all(
			Array.from({ length: 6 }, () => lib.freePort()),
		);
		const userFolders = Object.fromEntries(
			['main', 'worker-1', 'worker-2', 'webhook'].map((name) => {
				const dir = path.join(runDir, name);
				fs.mkdirSync(dir);
				return [name, dir];
			}),
		);

		const t2 = Date.now();
		const installed = (async () => {
			const pkg = await lib.packAndInstall(userFolders.main, { packageDir: packageDir() });
			// the same install in every process's user folder (what n8n's installer puts there)
			const nodesDir = path.join(userFolders.main, '.n8n', 'nodes');
			for (const name of ['worker-1', 'worker-2', 'webhook'])
				fs.cpSync(nodesDir, path.join(userFolders[name], '.n8n', 'nodes'), { recursive: true });
			timings.packageInstallMs = Date.now() - t2;
			return pkg;
		})();
		const [redis, postgres, emulator] = await Promise.all([
			startRedis({
				redisServer: programs.redisServer,
				port: redisPort,
				dir: path.join(runDir, 'redis'),
			}).then((r) => (record({ name: 'redis', pid: r.pid }), r)),
			startPostgres({ pgBin: programs.pgBin, port: pgPort, dir: pgDir }).then(
				(p) => (record({ name: 'postgres', pid: p.pid }), p),
			),
			startEmulatorProcess(runDir, opts.emulatorOptions ?? [], record),
		]);
		timings.servicesMs = Date.now() - t2;
		await installed;
		log(
			`services up (Redis ${redis.port}, PostgreSQL ${postgres.port}, emulator ${emulator.origin})`,
		);

		const base = {
			runDir,
			packageDir: packageDir(),
			pgDir,
			encryptionKey: crypto.randomBytes(24).toString('base64url'),
			filesDir,
			webhookUrl: `http://127.0.0.1:${webhookPort}/`,
			redis,
			postgres,
		};
		// The main first: it runs the database migrations the others expect.
		const t3 = Date.now();
		const main = await startN8nProcess(
			base,
			{ name: 'main', role: 'main', userFolder: userFolders.main, port: mainPort },
			record,
		);
		timings.mainStartMs = Date.now() - t3;
		log(`main ready (${main.url}, ${main.startupMs} ms)`);
		const t4 = Date.now();
		const [worker1, worker2, webhook] = await Promise.all([
			startN8nProcess(
				base,
				{
					name: 'worker-1',
					role: 'worker',
					userFolder: userFolders['worker-1'],
					port: worker1Port,
				},
				record,
			),
			startN8nProcess(
				base,
				{
					name: 'worker-2',
					role: 'worker',
					userFolder: userFolders['worker-2'],
					port: worker2Port,
				},
				record,
			),
			startN8nProcess(
				base,
				{ name: 'webhook', role: 'webhook', userFolder: userFolders.webhook, port: webhookPort },
				record,
			),
		]);
		timings.othersStartMs = Date.now() - t4;
		timings.totalMs = Date.now() - t0;
		log(`workers and webhook process ready (${timings.othersStartMs} ms)`);

		return {
			...base,
			emulator,
			main,
			webhook,
			workers: [worker1, worker2],
			processes,
			timings,
			owner: { email: 'owner@example.com', password: 'Queue-tests-passw0rd' },
		};
	}
}

/**
 * Starts one more worker (e.g. to replace a killed one) and records it in the state file.
 * @param {string} name
 * @param {Record<string, string>} [env]   extra environment (wins over the cluster's)
 * @returns {Promise<N8nProcess>}
 */
async function startWorker(name, env = {}) {
	const state = readState();
	const userFolder = path.join(state.runDir, name);
	fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
	fs.cpSync(
		path.join(state.main.userFolder, '.n8n', 'nodes'),
		path.join(userFolder, '.n8n', 'nodes'),
		{
			recursive: true,
		},
	);
	const port = await lib.freePort();
	const worker = await startN8nProcess(
		state,
		{ name, role: 'worker', userFolder, port, env },
		recordProcess,
	);
	const updated = readState();
	updated.workers.push(worker);
	writeState(updated);
	return worker;
}

/**
 * Ends every process group of the cluster (n8n processes first, then the emulator, Redis and
 * PostgreSQL) and removes its folders (kept with N8N_TEST_KEEP_FOLDERS=1).
 * @param {Pick<ClusterState, 'processes'> & Partial<ClusterState>} state
 */
async function stopCluster(state) {
	const services = new Set(['redis', 'postgres', 'emulator']);
	const n8n = state.processes.filter((p) => !services.has(p.name));
	await Promise.all(n8n.map((p) => stopGroup(p.pid, { signal: 'SIGTERM', graceMs: 10_000 })));
	const emulator = state.processes.find((p) => p.name === 'emulator');
	if (emulator) await stopGroup(emulator.pid, { graceMs: 3000 });
	const redis = state.processes.find((p) => p.name === 'redis');
	if (redis) await stopRedis(redis);
	const pg = state.processes.find((p) => p.name === 'postgres');
	if (pg) await stopPostgres(pg);
	// anything still there (a group whose leader was killed, say) gets SIGKILL
	killGroupsNow(state.processes.map((p) => p.pid));
	if (!process.env.N8N_TEST_KEEP_FOLDERS) {
		for (const dir of [state.runDir, state.pgDir])
			if (dir) fs.rmSync(dir, { recursive: true, force: true });
	}
}

module.exports = {
	STATE_ENV,
	WORKER_CONCURRENCY,
	QUEUE_LOCKS,
	WEBHOOK_PROCESS_ENV,
	packageDir,
	readState,
	writeState,
	recordProcess,
	startCluster,
	startWorker,
	stopCluster,
	REPO_ROOT,
};
