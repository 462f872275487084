// @ts-check
'use strict';
/**
 * The n8n process manager for the tests (it lives in scripts/lib/n8n-instance.js: `npm run demo`
 * and the queue suite run n8n the same way); this file keeps `import … from './n8n'` working.
 * @typedef {import('../../scripts/lib/n8n-instance').ExecutionResult} ExecutionResult
 * @typedef {import('../../scripts/lib/n8n-instance').N8nServer} N8nServer
 * @typedef {import('../../scripts/lib/n8n-instance').WorkflowJson} WorkflowJson
 */
module.exports = { ...require('../../scripts/lib/n8n-instance') };
