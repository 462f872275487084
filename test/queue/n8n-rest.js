// @ts-check
'use strict';
/**
 * The main process's REST API for the queue tests: scripts/lib/n8n-instance.js's N8nRest (it needs
 * only the main's URL, so every jest process of the suite can use it) and its execution helpers.
 */
/**
 * @typedef {import('../../scripts/lib/n8n-instance').ExecutionResult} Execution
 * @typedef {import('../../scripts/lib/n8n-instance').WorkflowJson} WorkflowJson
 * @typedef {import('../../scripts/lib/n8n-instance').StoredBinary} StoredBinary
 */
const {
	N8nRest,
	N8nHttpError,
	nodeItems,
	nodeOutput,
	describeExecution,
} = require('../../scripts/lib/n8n-instance');

module.exports = { N8nRest, N8nHttpError, nodeItems, nodeOutput, describeExecution };
