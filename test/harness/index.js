// @ts-check
'use strict';
/**
 * In-process n8n test harness: runs this package's nodes (loaded from TypeScript source) with
 * n8n-core's real engine (WorkflowExecute, RoutingNode, LoadOptionsContext, WebhookContext,
 * BinaryDataService in filesystem mode) — no n8n server, no database.
 *
 *   runWorkflow      run exported workflow JSON; result with status, errors, items, binary access
 *   testCredential   a credential's test, as the editor's "Test" button runs it
 *   loadOptions      a node's loadOptions method, as the editor calls it
 *   callWebhook      deliver an HTTP request to a webhook/trigger node (or resume a waiting run)
 *   runWebhookMethod / activateWebhook / deactivateWebhook   webhook setup methods
 */
/**
 * @typedef {import('./run').RunOptions} RunOptions
 * @typedef {import('./run').RunResult} RunResult
 * @typedef {import('./run').RunError} RunError
 */
const { runWorkflow } = require('./run');
/**
 * @typedef {import('./editor').LoadOptionsExtra} LoadOptionsExtra
 */
const { testCredential, loadOptions, listSearch } = require('./editor');
/**
 * @typedef {import('./webhook').CallWebhookOptions} CallWebhookOptions
 * @typedef {import('./webhook').CallWebhookResult} CallWebhookResult
 * @typedef {import('./webhook').WebhookSetupOptions} WebhookSetupOptions
 * @typedef {import('./webhook').WebhookSetupResult} WebhookSetupResult
 */
const { callWebhook, runWebhookMethod, activateWebhook, deactivateWebhook } = require('./webhook');
/**
 * @typedef {import('./credentials').HarnessCredentials} HarnessCredentials
 */
/**
 * @typedef {import('./context').WorkflowJson} WorkflowJson
 */
const { baseUrls, DEFAULT_INSTANCE_BASE_URL } = require('./context');
/**
 * @typedef {import('./node-types').LoadedPackage} LoadedPackage
 */
const { getPackage, PACKAGE_ROOT } = require('./node-types');
const { getEnv, disposeHarness } = require('./env');
const {
	HarnessManualTrigger,
	HarnessNoOp,
	HarnessBinaryFixture,
	HarnessSetJson,
} = require('./helper-nodes');

module.exports = {
	runWorkflow,
	testCredential,
	loadOptions,
	listSearch,
	callWebhook,
	runWebhookMethod,
	activateWebhook,
	deactivateWebhook,
	baseUrls,
	DEFAULT_INSTANCE_BASE_URL,
	getPackage,
	PACKAGE_ROOT,
	getEnv,
	disposeHarness,
	HarnessManualTrigger,
	HarnessNoOp,
	HarnessBinaryFixture,
	HarnessSetJson,
};
