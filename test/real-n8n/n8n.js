// @ts-check
'use strict';
/**
 * The real-n8n library for the tests. It lives in scripts/lib/n8n-instance.js because
 * `npm run demo` runs n8n the same way; this file keeps `import … from './n8n'` working.
 */
/**
 * @typedef {import('../../scripts/lib/n8n-instance').N8nInstall} N8nInstall
 * @typedef {import('../../scripts/lib/n8n-instance').LogLevel} LogLevel
 * @typedef {import('../../scripts/lib/n8n-instance').N8nOptions} N8nOptions
 * @typedef {import('../../scripts/lib/n8n-instance').CliOptions} CliOptions
 * @typedef {import('../../scripts/lib/n8n-instance').CliResult} CliResult
 * @typedef {import('../../scripts/lib/n8n-instance').CredentialImport} CredentialImport
 * @typedef {import('../../scripts/lib/n8n-instance').WorkflowJson} WorkflowJson
 * @typedef {import('../../scripts/lib/n8n-instance').ExecutionError} ExecutionError
 * @typedef {import('../../scripts/lib/n8n-instance').ExecutionResult} ExecutionResult
 * @typedef {import('../../scripts/lib/n8n-instance').InstalledPackage} InstalledPackage
 * @typedef {import('../../scripts/lib/n8n-instance').LoadedTypes} LoadedTypes
 * @typedef {import('../../scripts/lib/n8n-instance').Owner} Owner
 * @typedef {import('../../scripts/lib/n8n-instance').StartServerOptions} StartServerOptions
 * @typedef {import('../../scripts/lib/n8n-instance').StoredBinary} StoredBinary
 */
/**
 * @template [T=unknown]
 * @typedef {import('../../scripts/lib/n8n-instance').HttpResponse<T>} HttpResponse
 */
const {
	REPO_ROOT,
	ENCRYPTION_KEY,
	ensureN8n,
	n8nInstall,
	stripAnsi,
	makeUserFolder,
	removeUserFolder,
	freePort,
	n8nEnv,
	n8nCli,
	killAllN8nProcesses,
	importCredential,
	importWorkflow,
	readExecutions,
	executeWorkflow,
	parseCliRun,
	nodeItems,
	describeExecution,
	assertSucceeded,
	assertBuilt,
	packAndInstall,
	nodeTypesLoaded,
	DEFAULT_OWNER,
	N8nHttpError,
	startServer,
	N8nServer,
	N8nTestInstance,
	EXAMPLES_DIR,
	EXAMPLE_CREDENTIAL,
	readExample,
	workflowNode,
	patchParameters,
	nodeBinaries,
	binaryDataFile,
	readBinary,
} = require('../../scripts/lib/n8n-instance');

module.exports = {
	REPO_ROOT,
	ENCRYPTION_KEY,
	ensureN8n,
	n8nInstall,
	stripAnsi,
	makeUserFolder,
	removeUserFolder,
	freePort,
	n8nEnv,
	n8nCli,
	killAllN8nProcesses,
	importCredential,
	importWorkflow,
	readExecutions,
	executeWorkflow,
	parseCliRun,
	nodeItems,
	describeExecution,
	assertSucceeded,
	assertBuilt,
	packAndInstall,
	nodeTypesLoaded,
	DEFAULT_OWNER,
	N8nHttpError,
	startServer,
	N8nServer,
	N8nTestInstance,
	EXAMPLES_DIR,
	EXAMPLE_CREDENTIAL,
	readExample,
	workflowNode,
	patchParameters,
	nodeBinaries,
	binaryDataFile,
	readBinary,
};
