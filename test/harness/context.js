// @ts-check
'use strict';
/**
 * Shared building blocks: workflow JSON -> `Workflow`, `IWorkflowExecuteAdditionalData` the way
 * n8n's `WorkflowExecuteAdditionalData.getBase()` shapes it (URLs derived from one instance base URL,
 * like n8n's WEBHOOK_URL + endpoint paths), and execution ids.
 */
const { ExecutionLifecycleHooks } = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').ExecutionStatus} ExecutionStatus
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').IConnections} IConnections
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').IPinData} IPinData
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {import('n8n-workflow').IWorkflowBase} IWorkflowBase
 * @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData
 * @typedef {import('n8n-workflow').IWorkflowSettings} IWorkflowSettings
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 */
const { UserError, Workflow, deepCopy } = require('n8n-workflow');

/**
 * @typedef {import('./credentials').HarnessCredentials} HarnessCredentials
 */
const { HarnessCredentialsHelper } = require('./credentials');
const { getEnv } = require('./env');
/**
 * @typedef {import('./node-types').TypeRegistry} TypeRegistry
 */
const { createTypeRegistry } = require('./node-types');

const DEFAULT_INSTANCE_BASE_URL = 'http://localhost:5678/';

/**
 * Workflow JSON as n8n exports it (only what execution needs is read).
 * @typedef {object} WorkflowJson
 * @property {string} [id]
 * @property {string} [name]
 * @property {INode[]} nodes
 * @property {IConnections} connections
 * @property {IWorkflowSettings} [settings]
 * @property {IPinData} [pinData]
 * @property {IDataObject | null} [staticData]
 * @property {boolean} [active]
 */

let executionCounter = 1000;
/** @returns {string} */
function nextExecutionId() {
	executionCounter += 1;
	return String(executionCounter);
}

/**
 * @param {object} workflow
 * @returns {WorkflowJson}
 */
function asWorkflowJson(workflow) {
	const json = /** @type {Partial<WorkflowJson>} */ (workflow);
	if (!json || !Array.isArray(json.nodes)) {
		throw new UserError('Workflow JSON must have a "nodes" array');
	}
	// Deep copy: n8n mutates node parameters (defaults) and disables resumed nodes.
	return /** @type {WorkflowJson} */ (deepCopy({ ...json, connections: json.connections ?? {} }));
}

/**
 * @typedef {object} HarnessSetup
 * @property {TypeRegistry} registry
 * @property {HarnessCredentialsHelper} credentialsHelper
 */

/**
 * @param {HarnessCredentials | undefined} credentials
 * @param {Record<string, INodeType | IVersionedNodeType>} [extraNodeTypes]
 * @param {Record<string, ICredentialType>} [extraCredentialTypes]
 * @returns {Promise<HarnessSetup>}
 */
async function createSetup(credentials, extraNodeTypes, extraCredentialTypes) {
	await getEnv();
	const registry = await createTypeRegistry(extraNodeTypes, extraCredentialTypes);
	const credentialsHelper = new HarnessCredentialsHelper(registry.credentialTypes, credentials);
	return { registry, credentialsHelper };
}

/**
 * @param {WorkflowJson} json
 * @param {TypeRegistry} registry
 * @param {IDataObject} [staticData]
 * @returns {Workflow}
 */
function createWorkflow(json, registry, staticData) {
	return new Workflow({
		id: json.id ?? 'harness-workflow',
		name: json.name ?? 'Harness workflow',
		nodes: json.nodes,
		connections: json.connections,
		active: json.active ?? false,
		nodeTypes: registry.nodeTypes,
		staticData: staticData ?? json.staticData ?? undefined,
		settings: json.settings,
		pinData: json.pinData,
	});
}

/**
 * @param {WorkflowJson} json
 * @param {Workflow} workflow
 * @returns {IWorkflowBase}
 */
function workflowBase(json, workflow) {
	const now = new Date();
	return /** @type {IWorkflowBase} */ ({
		id: workflow.id,
		name: workflow.name ?? 'Harness workflow',
		active: workflow.active,
		activeVersionId: null,
		isArchived: false,
		createdAt: now,
		updatedAt: now,
		nodes: json.nodes,
		connections: json.connections,
		settings: json.settings,
		pinData: json.pinData,
	});
}

/**
 * @typedef {object} BaseUrls
 * @property {string} instanceBaseUrl
 * @property {string} restApiUrl
 * @property {string} webhookBaseUrl
 * @property {string} webhookWaitingBaseUrl
 * @property {string} webhookTestBaseUrl
 * @property {string} formBaseUrl
 * @property {string} formWaitingBaseUrl
 * @property {string} formTestBaseUrl
 * @property {string} mcpBaseUrl
 * @property {string} mcpTestBaseUrl
 */

/**
 * n8n derives every URL from one base (WEBHOOK_URL, default http://localhost:5678/) plus the
 * endpoint paths: `<base>webhook`, `<base>webhook-waiting`, `<base>webhook-test`, `<base>form`, …
 * @returns {BaseUrls}
 */
function baseUrls(instanceBaseUrl = DEFAULT_INSTANCE_BASE_URL) {
	const base = instanceBaseUrl.endsWith('/') ? instanceBaseUrl : `${instanceBaseUrl}/`;
	return {
		instanceBaseUrl: base,
		restApiUrl: `${base}rest`,
		webhookBaseUrl: `${base}webhook`,
		webhookWaitingBaseUrl: `${base}webhook-waiting`,
		webhookTestBaseUrl: `${base}webhook-test`,
		formBaseUrl: `${base}form`,
		formWaitingBaseUrl: `${base}form-waiting`,
		formTestBaseUrl: `${base}form-test`,
		mcpBaseUrl: `${base}mcp`,
		mcpTestBaseUrl: `${base}mcp-test`,
	};
}

/**
 * @typedef {object} AdditionalDataOptions
 * @property {HarnessCredentialsHelper} credentialsHelper
 * @property {string} [executionId]
 * @property {string} [workflowId]
 * @property {ExecutionLifecycleHooks} [hooks]
 * @property {string} [instanceBaseUrl]
 * @property {(status: ExecutionStatus) => void} [onStatus]
 */

/**
 * @param {AdditionalDataOptions} opts
 * @returns {IWorkflowExecuteAdditionalData}
 */
function createAdditionalData(opts) {
	/** @param {string} what */ const notAvailable = (what) => async () => {
		throw new UserError(`${what} is not available in the in-process test harness`);
	};
	const additionalData = {
		credentialsHelper: opts.credentialsHelper,
		executeWorkflow: notAvailable('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executionId: opts.executionId,
		workflowId: opts.workflowId,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		...baseUrls(opts.instanceBaseUrl),
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: notAvailable('The task runner (Code node)'),
		setExecutionStatus: opts.onStatus ?? (() => {}),
		sendDataToUI: () => {},
		hooks: opts.hooks,
	};
	return /** @type {IWorkflowExecuteAdditionalData} */ (/** @type {unknown} */ (additionalData));
}

/**
 * @param {WorkflowExecuteMode} mode
 * @param {string} executionId
 * @param {IWorkflowBase} base
 * @returns {ExecutionLifecycleHooks}
 */
function createHooks(mode, executionId, base) {
	return new ExecutionLifecycleHooks(mode, executionId, base);
}

module.exports = {
	DEFAULT_INSTANCE_BASE_URL,
	nextExecutionId,
	asWorkflowJson,
	createSetup,
	createWorkflow,
	workflowBase,
	baseUrls,
	createAdditionalData,
	createHooks,
};
