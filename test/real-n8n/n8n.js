// @ts-check
'use strict';
/**
 * The real-n8n library for the tests. It lives in scripts/lib/n8n-instance.js because
 * `npm run demo` and the queue suite run n8n the same way; this file keeps `import … from './n8n'`
 * working (the values, and the types below).
 */
/**
 * @typedef {import('../../scripts/lib/n8n-instance').ExecutionResult} ExecutionResult
 * @typedef {import('../../scripts/lib/n8n-instance').InstalledPackage} InstalledPackage
 * @typedef {import('../../scripts/lib/n8n-instance').N8nServer} N8nServer
 * @typedef {import('../../scripts/lib/n8n-instance').WorkflowJson} WorkflowJson
 */
module.exports = { ...require('../../scripts/lib/n8n-instance') };
