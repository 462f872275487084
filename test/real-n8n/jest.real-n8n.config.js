/**
 * Real-n8n tests: `*.n8n-test.ts` under test/real-n8n, run against the real n8n 2.41.1 that
 * scripts/ensure-n8n.js installs into .cache/n8n (globalSetup installs it and builds the package).
 *
 *   npx jest -c test/real-n8n/jest.real-n8n.config.js
 *
 * Env: N8N_CACHE_DIR (install location), N8N_TEST_SKIP_BUILD=1, N8N_TEST_LOG_LEVEL,
 * N8N_TEST_KEEP_FOLDERS=1 (keep the temp user folders for inspection).
 */
const path = require('path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	// only this folder: keeps jest's file crawler out of .cache/n8n (2.4 GB of n8n)
	roots: ['<rootDir>/test/real-n8n'],
	testEnvironment: 'node',
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{ diagnostics: false, tsconfig: path.resolve(__dirname, '..', '..', 'tsconfig.test.json') },
		],
	},
	testMatch: ['<rootDir>/test/real-n8n/**/*.n8n-test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.cache/'],
	modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/dist/'],
	globalSetup: '<rootDir>/test/real-n8n/global-setup.js',
	// every test starts n8n processes (seconds each); the CI machine has 2 cores
	testTimeout: 240_000,
	maxWorkers: 1,
	slowTestThreshold: 60,
	verbose: true,
};
