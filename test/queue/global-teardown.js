// @ts-check
'use strict';
/** jest globalTeardown of the queue-mode suite: ends every process group the state file records. */
const fs = require('fs');
const path = require('path');

const { STATE_ENV, readState, stopCluster } = require('./cluster');

module.exports = async function globalTeardown() {
	const file = process.env[STATE_ENV];
	if (!file || !fs.existsSync(file)) return;
	await stopCluster(readState());
	if (!process.env.N8N_TEST_KEEP_FOLDERS)
		fs.rmSync(path.dirname(file), { recursive: true, force: true });
};
