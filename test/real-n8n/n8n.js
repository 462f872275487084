// @ts-check
'use strict';
/**
 * The real-n8n library for the tests. It lives in scripts/lib/n8n-instance.js because
 * `npm run demo` and the queue suite run n8n the same way; this file keeps `import … from './n8n'`
 * (values and the JSDoc types below) working.
 */
/**
 * @typedef {import('../../scripts/lib/n8n-instance').N8nInstall} N8nInstall
 * @typedef {import('../../scripts/lib/n8n-instance').CliResult} CliResult
 * @typedef {import('../../scripts/lib/n8n-instance').WorkflowJson} WorkflowJson
 * @typedef {import('../../scripts/lib/n8n-instance').ExecutionResult} ExecutionResult
 * @typedef {import('../../scripts/lib/n8n-instance').LoadedTypes} LoadedTypes
 * @typedef {import('../../scripts/lib/n8n-instance').InstalledPackage} InstalledPackage
 * @typedef {import('../../scripts/lib/n8n-instance').StoredBinary} StoredBinary
 */
module.exports = require('../../scripts/lib/n8n-instance');
