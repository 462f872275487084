// @ts-check
'use strict';
/**
 * n8n-core's process-wide services for the harness, once per jest test file: a temp n8n folder and
 * binary data in filesystem mode. n8n-core has its own nested copies of `@n8n/di` and `@n8n/config`,
 * so they are resolved from n8n-core's directory, through jest's `require` (one container).
 * `InstanceSettingsConfig` must be set before anything builds `InstanceSettings`.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { BinaryDataConfig, BinaryDataService, InstanceSettings } = require('n8n-core');

const n8nCoreDir = path.dirname(require.resolve('n8n-core'));
/** @param {string} id */
const requireFromCore = (id) => require(require.resolve(id, { paths: [n8nCoreDir] }));

/** @type {{ get<T>(type: abstract new (...args: never[]) => T): T }} */
const Container = requireFromCore('@n8n/di').Container;

/** @type {Promise<BinaryDataService> | undefined} */ let servicePromise;
/** @type {string | undefined} */ let rootDir;

/** @returns {Promise<BinaryDataService>} */
async function createEnv() {
	rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-harness-'));
	const config = requireFromCore('@n8n/config');
	// Silent unless N8N_HARNESS_LOG_LEVEL=debug|info|warn|error: nodes that fail on purpose would flood the output.
	Object.assign(Container.get(config.GlobalConfig).logging, {
		level: process.env.N8N_HARNESS_LOG_LEVEL ?? 'silent',
		outputs: ['console'],
	});
	Object.assign(Container.get(config.InstanceSettingsConfig), {
		n8nFolder: path.join(rootDir, '.n8n'),
		userHome: rootDir,
		encryptionKey: 'n8n-harness-encryption-key',
		enforceSettingsFilePermissions: false,
	});
	Container.get(InstanceSettings); // built now, with the settings above
	Object.assign(Container.get(BinaryDataConfig), {
		mode: 'filesystem',
		availableModes: ['filesystem'],
		localStoragePath: path.join(rootDir, 'binaryData'),
	});
	const service = Container.get(BinaryDataService);
	await service.init();
	return service;
}

/** The binary data service (and with it the whole environment), created on first use. */
async function getEnv() {
	servicePromise ??= createEnv();
	return { binaryDataService: await servicePromise };
}

/** Removes this test file's temp directory (binary data included); runs after each jest file. */
async function disposeHarness() {
	if (rootDir) fs.rmSync(rootDir, { recursive: true, force: true });
	rootDir = undefined;
	servicePromise = undefined;
}

// Registered while the test file loads (jest refuses it inside a test: then disposeHarness() has to do).
try {
	/** @type {{ afterAll?: (fn: () => Promise<void>) => void }} */ (globalThis).afterAll?.(
		disposeHarness,
	);
} catch {
	// not at collection time
}

module.exports = { getEnv, disposeHarness };
