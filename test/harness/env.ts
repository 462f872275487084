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
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { BinaryDataConfig, BinaryDataService, InstanceSettings } from 'n8n-core';

const n8nCoreDir = path.dirname(require.resolve('n8n-core'));

/** Loads a module as n8n-core sees it (its nested dependency copies win). */
export function requireFromCore<T>(id: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(require.resolve(id, { paths: [n8nCoreDir] })) as T;
}

interface DiModule {
	Container: {
		get<T>(type: abstract new (...args: never[]) => T): T;
		set<T>(type: abstract new (...args: never[]) => T, instance: T): void;
		has(type: unknown): boolean;
	};
}
interface ConfigModule {
	InstanceSettingsConfig: new () => {
		n8nFolder: string;
		userHome: string;
		encryptionKey: string;
		enforceSettingsFilePermissions: boolean;
	};
	GlobalConfig: new () => { logging: { level: string; outputs: string[] } };
}

export const Container = requireFromCore<DiModule>('@n8n/di').Container;

export interface HarnessEnv {
	/** Temp root owned by this harness instance (n8n folder + binary data). */
	rootDir: string;
	binaryDataDir: string;
	binaryDataService: BinaryDataService;
}

let envPromise: Promise<HarnessEnv> | undefined;
let rootDirForCleanup: string | undefined;
let exitHookInstalled = false;

/**
 * Log level for n8n's own logger. Silent by default so expected errors (a node that throws on
 * purpose) do not flood the test output; set N8N_HARNESS_LOG_LEVEL=debug|info|warn|error to see them.
 */
function harnessLogLevel(): string {
	return process.env.N8N_HARNESS_LOG_LEVEL ?? 'silent';
}

async function createEnv(): Promise<HarnessEnv> {
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

	const config = requireFromCore<ConfigModule>('@n8n/config');

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

/** The harness environment, created once per module registry (i.e. once per jest test file). */
export async function getEnv(): Promise<HarnessEnv> {
	envPromise ??= createEnv();
	return await envPromise;
}

/** Removes this harness instance's temp directory (binary data included). */
export async function disposeHarness(): Promise<void> {
	if (rootDirForCleanup) {
		fs.rmSync(rootDirForCleanup, { recursive: true, force: true });
	}
	rootDirForCleanup = undefined;
	envPromise = undefined;
}

function removeOnExit(): void {
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
const jestAfterAll = (globalThis as { afterAll?: (fn: () => Promise<void>) => void }).afterAll;
if (typeof jestAfterAll === 'function') {
	try {
		jestAfterAll(disposeHarness);
	} catch {
		// not at collection time
	}
}
