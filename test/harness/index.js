// @ts-check
'use strict';
/**
 * In-process n8n test harness: this package's nodes (from their TypeScript sources) in n8n-core's
 * real engine, without an n8n server or database. See README.md.
 *
 * @typedef {import('./run').RunOptions} RunOptions
 * @typedef {import('./run').RunResult} RunResult
 * @typedef {import('./run').RunError} RunError
 * @typedef {import('./editor').LoadOptionsExtra} LoadOptionsExtra
 * @typedef {import('./webhook').CallWebhookOptions} CallWebhookOptions
 * @typedef {import('./webhook').CallWebhookResult} CallWebhookResult
 * @typedef {import('./credentials').HarnessCredentials} HarnessCredentials
 * @typedef {import('./node-types').LoadedPackage} LoadedPackage
 */
const { runWorkflow } = require('./run');
const { testCredential, loadOptions, listSearch } = require('./editor');
const { callWebhook, activateWebhook } = require('./webhook');
const { getPackage } = require('./node-types');
const { disposeHarness } = require('./env');

module.exports = {
	runWorkflow,
	testCredential,
	loadOptions,
	listSearch,
	callWebhook,
	activateWebhook,
	getPackage,
	disposeHarness,
};
