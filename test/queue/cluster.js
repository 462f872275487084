// @ts-check
'use strict';
/**
 * A real n8n 2.41.1 in queue mode for test/queue: Redis, PostgreSQL, the Dreamina API emulator (its
 * CLI, a child process) and four n8n processes (scripts/lib/n8n-instance.js startN8n): one main
 * (editor + REST, no production webhooks), two workers, one webhook process, each with its own
 * user folder in which this package is installed as a community package.
 *
 * global-setup.js starts it once and writes a state file that test files read (readState());
 * global-teardown.js (or, as a last resort, an exit handler) ends every process group recorded.
 * See test/queue/README.md for the settings and why each is there.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const {
	spawnLogged,
	stopGroup,
	signalGroup,
	waitFor,
	isAlive,
	readLog,
} = require('../../scripts/lib/processes');
const lib = require('../../scripts/lib/n8n-instance');
const services = require('./services');

const STATE_ENV = 'N8N_QUEUE_TEST_STATE';
/** The built package in N8N_TEST_PACKAGE_DIR (e.g. a release tarball's contents), else this repo. */
const packageDir = () => path.resolve(process.env.N8N_TEST_PACKAGE_DIR || lib.REPO_ROOT);

/**
 * Bull's job lock and stall check (n8n: 60 s lock renewed every 10 s, checked every 30 s), shortened
 * so a killed worker's job is found stalled in seconds.
 */
const QUEUE_LOCKS = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};
/** Per role, besides the common queue settings (README: why each). */
const ROLE_ENV = {
	start: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
	// a late database ping (5 s default) under a burst makes n8n answer 503 to every webhook;
	// without lazy acquire n8n 2.41 starts an expression isolate per call before reading the body
	webhook: { DB_PING_TIMEOUT_MS: '20000', N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
	worker: {},
};

/**
 * @typedef {{ name: string, role: 'start' | 'worker' | 'webhook', pid: number, port: number, url: string, userFolder: string, logFile: string }} N8nProcess
 * @typedef {object} ClusterState
 * @property {string} runDir
 * @property {string} packageDir
 * @property {string} pgDir          PostgreSQL's data and socket (owned by the postgres user)
 * @property {string} encryptionKey
 * @property {string} filesDir       N8N_RESTRICT_FILE_ACCESS_TO of every process
 * @property {string} webhookUrl     WEBHOOK_URL of every process (the webhook process)
 * @property {import('./services').Service} redis
 * @property {import('./services').Service} postgres
 * @property {{ baseUrl: string, origin: string, token: string, pid: number, logFile: string }} emulator
 * @property {N8nProcess} main
 * @property {N8nProcess} webhook
 * @property {N8nProcess[]} workers  every worker started, killed ones included
 * @property {{ name: string, pid: number }[]} processes   every process group (teardown ends them)
 * @property {Record<string, number>} timings   ms
 * @property {{ email: string, password: string }} owner
 * @property {{ id: string, name: string }} [credential]   the Dreamina API credential (global-setup.js)
 * @property {string} [callbackSecret]
 */

function statePath() {
	const file = process.env[STATE_ENV];
	if (!file)
		throw new Error(`${STATE_ENV} is not set: run npx jest -c test/queue/jest.queue.config.js`);
	return file;
}
/** @returns {ClusterState} */
const readState = () => JSON.parse(fs.readFileSync(statePath(), 'utf8'));
/** @param {ClusterState} state */
function writeState(state) {
	fs.writeFileSync(`${statePath()}.tmp`, JSON.stringify(state, null, 2));
	fs.renameSync(`${statePath()}.tmp`, statePath());
}

/**
 * Starts one n8n process of the cluster and waits until it is ready.
 * @param {Pick<ClusterState, 'runDir' | 'encryptionKey' | 'filesDir' | 'webhookUrl' | 'redis' | 'postgres'>} base
 * @param {{ name: string, role: 'start' | 'worker' | 'webhook', port?: number, env?: Record<string, string> }} spec
 * @param {(proc: { name: string, pid: number }) => void} record   sees the pid at once
 * @returns {Promise<N8nProcess>}
 */
async function startN8nProcess(base, spec, record) {
	const userFolder = path.join(base.runDir, spec.name);
	const nodes = path.join(userFolder, '.n8n', 'nodes');
	// the package as n8n's installer put it into the main's folder, in every process's own
	if (spec.name !== 'main')
		fs.cpSync(path.join(base.runDir, 'main', '.n8n', 'nodes'), nodes, { recursive: true });
	const server = await lib.startN8n(spec.role, {
		userFolder,
		port: spec.port,
		logLevel: 'info',
		args: spec.role === 'worker' ? ['--concurrency=1'] : [],
		onSpawn: (pid) => record({ name: spec.name, pid }),
		env: {
			EXECUTIONS_MODE: 'queue',
			// 2.41 runs manual executions on the main unless this is set
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(base.redis.port),
			...QUEUE_LOCKS,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(base.postgres.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: base.encryptionKey,
			WEBHOOK_URL: base.webhookUrl, // resume URLs are built from it, by workers too
			N8N_RESTRICT_FILE_ACCESS_TO: base.filesDir,
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			...ROLE_ENV[spec.role],
			...spec.env,
		},
	});
	const { pid, port, logFile } = server;
	return { name: spec.name, role: spec.role, pid, port, url: server.url, userFolder, logFile };
}

/** The emulator's CLI as a process; it prints `{"baseUrl","origin","token"}` once it listens. @param {string} runDir @param {string[]} options @param {(p: { name: string, pid: number }) => void} record */
async function startEmulatorProcess(runDir, options, record) {
	const logFile = path.join(runDir, 'emulator.log');
	const cli = path.join(lib.REPO_ROOT, 'test', 'emulator', 'cli.js');
	const proc = spawnLogged('emulator', process.execPath, [cli, '--port', '0', ...options], {
		cwd: lib.REPO_ROOT,
		logFile,
	});
	record(proc);
	const info = await waitFor(
		'the Dreamina API emulator',
		() => {
			const line = readLog(logFile)
				.split('\n')
				.find((l) => l.startsWith('{"baseUrl"'));
			return line
				? /** @type {{ baseUrl: string, origin: string, token: string }} */ (JSON.parse(line))
				: undefined;
		},
		{ logFile, alive: () => isAlive(proc.pid) },
	);
	return { ...info, pid: proc.pid, logFile };
}

/**
 * Starts everything; `onProcess` sees each process group as soon as it exists.
 * @param {{ onProcess: (proc: { name: string, pid: number }) => void, emulatorOptions: string[], log: (msg: string) => void }} opts
 * @returns {Promise<ClusterState>}
 */
async function startCluster(opts) {
	const t0 = Date.now();
	const timings = /** @type {Record<string, number>} */ ({});
	const programs = services.ensureQueueServices();
	await lib.ensureN8n();
	timings.installsMs = Date.now() - t0;
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
		const [redisPort, pgPort, webhookPort] = await Promise.all([
			lib.freePort(),
			lib.freePort(),
			lib.freePort(),
		]);
		const main = new lib.N8nTestInstance({ userFolder: path.join(runDir, 'main') });
		fs.mkdirSync(main.userFolder);
		const [redis, postgres, emulator] = await Promise.all([
			services.startRedis(programs.redisServer, redisPort, path.join(runDir, 'redis'), record),
			services.startPostgres(programs.pgBin, pgPort, pgDir, record),
			startEmulatorProcess(runDir, opts.emulatorOptions, record),
			main.packAndInstall({ packageDir: packageDir() }),
		]);
		timings.servicesMs = Date.now() - t0 - timings.installsMs;
		opts.log(
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
		// the main first: it runs the database migrations the others expect
		const mainProc = await startN8nProcess(base, { name: 'main', role: 'start' }, record);
		timings.mainStartMs = Date.now() - t0 - timings.installsMs - timings.servicesMs;
		const [webhook, ...workers] = await Promise.all([
			startN8nProcess(base, { name: 'webhook', role: 'webhook', port: webhookPort }, record),
			startN8nProcess(base, { name: 'worker-1', role: 'worker' }, record),
			startN8nProcess(base, { name: 'worker-2', role: 'worker' }, record),
		]);
		timings.totalMs = Date.now() - t0;
		const owner = { email: 'owner@example.com', password: 'Queue-tests-passw0rd' };
		return { ...base, emulator, main: mainProc, webhook, workers, processes, timings, owner };
	} catch (error) {
		await stopCluster({ processes, runDir, pgDir });
		throw error;
	}
}

/**
 * Starts one more worker (e.g. to replace a killed one) and records it in the state file.
 * @param {string} name
 * @param {Record<string, string>} [env]   wins over the cluster's
 */
async function startWorker(name, env = {}) {
	const worker = await startN8nProcess(readState(), { name, role: 'worker', env }, (p) => {
		const state = readState();
		state.processes.push(p);
		writeState(state);
	});
	const state = readState();
	state.workers.push(worker);
	writeState(state);
	return worker;
}

/**
 * Ends every process group (n8n first, then the emulator, Redis, PostgreSQL) and removes the
 * folders (kept with N8N_TEST_KEEP_FOLDERS=1).
 * @param {Pick<ClusterState, 'processes'> & Partial<ClusterState>} state
 */
async function stopCluster(state) {
	const byName = (/** @type {string} */ n) => state.processes.filter((p) => p.name === n);
	const n8n = state.processes.filter((p) => !['redis', 'postgres', 'emulator'].includes(p.name));
	await Promise.all(n8n.map((p) => stopGroup(p.pid)));
	for (const p of byName('emulator')) await stopGroup(p.pid, { graceMs: 3000 });
	for (const p of byName('redis')) await stopGroup(p.pid, { graceMs: 5000 });
	// SIGINT to the postmaster: PostgreSQL's fast shutdown
	for (const p of byName('postgres'))
		await stopGroup(p.pid, { signal: 'SIGINT', leaderOnly: true });
	for (const p of state.processes) signalGroup(p.pid, 'SIGKILL');
	if (!process.env.N8N_TEST_KEEP_FOLDERS)
		for (const dir of [state.runDir, state.pgDir])
			if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = {
	STATE_ENV,
	QUEUE_LOCKS,
	packageDir,
	readState,
	writeState,
	startCluster,
	startWorker,
	stopCluster,
};
