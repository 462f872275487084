// @ts-check
'use strict';
/**
 * Process-wide n8n-core environment for the in-process harness.
 *
 * n8n-core keeps its services in a DI container (`@n8n/di`). n8n-core depends on its own copies of
 * `@n8n/di`, `@n8n/config` and `@n8n/backend-common` (nested under node_modules/n8n-core), which
 * differ from the top-level ones, so they are resolved from n8n-core's directory. They are loaded
 * with the ordinary `require` (not `createRequire`) so that under jest they come from the same module
 * registry as n8n-core itself — otherwise there would be two containers.
 *
 * Order matters: `InstanceSettingsConfig` must be configured before anything builds
 * `InstanceSettings` (which writes `<n8nFolder>/config`), and binary data is switched to filesystem
 * mode in a temp directory owned by this harness instance.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { BinaryDataConfig, BinaryDataService, InstanceSettings } = require('n8n-core');

const n8nCoreDir = path.dirname(require.resolve('n8n-core'));

/**
 * Loads a module as n8n-core sees it (its nested dependency copies win).
 * @template T
 * @param {string} id
 * @returns {T}
 */
function requireFromCore(id) {
	return /** @type {T} */ (require(require.resolve(id, { paths: [n8nCoreDir] })));
}

/**
 * @typedef {object} DiModule
 * @property {{ get<T>(type: abstract new (...args: never[]) => T): T; set<T>(type: abstract new (...args: never[]) => T, instance: T): void; has(type: unknown): boolean; }} Container
 */
/**
 * @typedef {object} ConfigModule
 * @property {new () => { n8nFolder: string; userHome: string; encryptionKey: string; enforceSettingsFilePermissions: boolean; }} InstanceSettingsConfig
 * @property {new () => { logging: { level: string; outputs: string[] } }} GlobalConfig
 */

const Container = /** @type {DiModule} */ (requireFromCore('@n8n/di')).Container;

/**
 * @typedef {object} HarnessEnv
 * @property {string} rootDir Temp root owned by this harness instance (n8n folder + binary data).
 * @property {string} binaryDataDir
 * @property {BinaryDataService} binaryDataService
 */

/** @type {Promise<HarnessEnv> | undefined} */ let envPromise;
/** @type {string | undefined} */ let rootDirForCleanup;
let exitHookInstalled = false;

/**
 * Log level for n8n's own logger. Silent by default so expected errors (a node that throws on
 * purpose) do not flood the test output; set N8N_HARNESS_LOG_LEVEL=debug|info|warn|error to see them.
 * @returns {string}
 */
function harnessLogLevel() {
	return process.env.N8N_HARNESS_LOG_LEVEL ?? 'silent';
}

/** @returns {Promise<HarnessEnv>} */
async function createEnv() {
	const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-harness-'));
	if (rootDirForCleanup === undefined && !exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', removeOnExit);
	}
	rootDirForCleanup = rootDir;
	const n8nFolder = path.join(rootDir, '.n8n');
	const binaryDataDir = path.join(rootDir, 'binaryData');
	fs.mkdirSync(n8nFolder, { recursive: true });
	fs.mkdirSync(binaryDataDir, { recursive: true });

	const config = /** @type {ConfigModule} */ (requireFromCore('@n8n/config'));

	const globalConfig = Container.get(config.GlobalConfig);
	globalConfig.logging.level = harnessLogLevel();
	globalConfig.logging.outputs = ['console'];

	const instanceSettingsConfig = Container.get(config.InstanceSettingsConfig);
	instanceSettingsConfig.n8nFolder = n8nFolder;
	instanceSettingsConfig.userHome = rootDir;
	instanceSettingsConfig.encryptionKey = 'n8n-harness-encryption-key';
	instanceSettingsConfig.enforceSettingsFilePermissions = false;

	// Built now, with the settings above (writes <rootDir>/.n8n/config).
	Container.get(InstanceSettings);

	const binaryDataConfig = Container.get(BinaryDataConfig);
	binaryDataConfig.mode = 'filesystem';
	binaryDataConfig.availableModes = ['filesystem'];
	binaryDataConfig.localStoragePath = binaryDataDir;

	const binaryDataService = Container.get(BinaryDataService);
	await binaryDataService.init();

	return { rootDir, binaryDataDir, binaryDataService };
}

/**
 * The harness environment, created once per module registry (i.e. once per jest test file).
 * @returns {Promise<HarnessEnv>}
 */
async function getEnv() {
	envPromise ??= createEnv();
	return await envPromise;
}

/**
 * Removes this harness instance's temp directory (binary data included).
 * @returns {Promise<void>}
 */
async function disposeHarness() {
	if (rootDirForCleanup) {
		fs.rmSync(rootDirForCleanup, { recursive: true, force: true });
	}
	rootDirForCleanup = undefined;
	envPromise = undefined;
}

/** @returns {void} */
function removeOnExit() {
	if (rootDirForCleanup) {
		try {
			fs.rmSync(rootDirForCleanup, { recursive: true, force: true });
		} catch {
			// best effort
		}
	}
}

// Under jest, remove this test file's harness directory when the file's tests are done (the
// process 'exit' hook does not fire inside jest's sandbox). Registered while the test file is
// being loaded; if the harness is first imported inside a test, jest refuses and the exit hook
// (or an explicit disposeHarness()) has to do.
const jestAfterAll = /** @type {{ afterAll?: (fn: () => Promise<void>) => void }} */ (globalThis)
	.afterAll;
if (typeof jestAfterAll === 'function') {
	try {
		jestAfterAll(disposeHarness);
	} catch {
		// not at collection time
	}
}

module.exports = { requireFromCore, Container, getEnv, disposeHarness };
