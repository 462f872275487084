/**
 * Queue-mode tests: `*.queue-test.ts` in test/queue, against one real n8n 2.41.1 cluster in queue
 * mode (main, two workers, webhook process, Redis, PostgreSQL, the API emulator) that
 * global-setup.js starts once and global-teardown.js stops.
 *
 *   npx jest -c test/queue/jest.queue.config.js        # or: npm run test:queue
 *
 * Env: N8N_TEST_SKIP_BUILD=1 (no `npm run build`), N8N_TEST_KEEP_FOLDERS=1 (keep logs and data).
 */
const path = require('path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	// only this folder: keeps jest's file crawler out of .cache/n8n
	roots: ['<rootDir>/test/queue'],
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
	testMatch: ['<rootDir>/test/queue/**/*.queue-test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.cache/'],
	modulePathIgnorePatterns: ['<rootDir>/.cache/', '<rootDir>/dist/'],
	globalSetup: '<rootDir>/test/queue/global-setup.js',
	globalTeardown: '<rootDir>/test/queue/global-teardown.js',
	testSequencer: '<rootDir>/test/queue/sequencer.js',
	// one cluster for all files: they run one after another
	maxWorkers: 1,
	testTimeout: 300_000,
	slowTestThreshold: 60,
	verbose: true,
};
