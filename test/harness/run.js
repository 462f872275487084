// @ts-check
'use strict';
/**
 * Runs a workflow with n8n-core's `WorkflowExecute`, in-process. Completion is taken from the
 * `workflowExecuteAfter` hook (as n8n's server does), not from `run()`'s promise, which never
 * settles when the execution is cancelled.
 */
const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').ExecutionStatus} ExecutionStatus
 * @typedef {import('n8n-workflow').IBinaryData} IBinaryData
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').IRun} IRun
 * @typedef {import('n8n-workflow').IRunData} IRunData
 * @typedef {import('n8n-workflow').IRunExecutionData} IRunExecutionData
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {import('n8n-workflow').IWorkflowBase} IWorkflowBase
 * @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 * @typedef {import('./credentials').HarnessCredentials} HarnessCredentials
 */
const { UserError, Workflow, deepCopy } = require('n8n-workflow');

const { HarnessCredentialsHelper, redact } = require('./credentials');
const { getEnv } = require('./env');
const { createTypeRegistry } = require('./node-types');

/**
 * @typedef {object} RunOptions
 * @property {object} workflow workflow JSON as n8n exports it (nodes, connections, settings?, pinData?)
 * @property {HarnessCredentials} [credentials] data per credential type; any credential id a node references maps to it
 * @property {Record<string, INodeType | IVersionedNodeType>} [extraNodeTypes] node types beyond the package's and the helper nodes
 * @property {number} [timeoutMs] fail (and cancel the execution) when it has not finished by then; default 20000
 * @property {number} [cancelAfterMs] cancel the execution after this long, like the editor's stop button
 * @property {string} [webhookBaseUrl] the instance base URL (n8n's WEBHOOK_URL); `$execution.resumeUrl` derives from it
 */

/**
 * @typedef {{ message: string; description?: string; name?: string; node?: string; httpCode?: string; context?: Record<string, unknown>; [k: string]: unknown }} RunError
 */

/**
 * @typedef {object} RunResult
 * @property {ExecutionStatus} status
 * @property {RunError} [error] the execution's error, secrets redacted, without `cause`
 * @property {IRunData} runData run data per node name
 * @property {(nodeName: string, outputIndex?: number) => INodeExecutionData[]} output items of the node's last run on an output (default 0); throws if the node did not run
 * @property {(nodeName: string) => RunError | undefined} nodeError the error of the node's last run
 * @property {(binary: IBinaryData) => Promise<Buffer>} readBinary content, through n8n's BinaryDataService
 * @property {Date} [waitTill] when the execution was put to wait
 * @property {string} executionId
 * @property {IRun} executionData the run as n8n would store it
 */

/**
 * @typedef {object} WorkflowJson
 * @property {INode[]} nodes
 * @property {import('n8n-workflow').IConnections} connections
 * @property {string} [id]
 * @property {import('n8n-workflow').IWorkflowSettings} [settings]
 * @property {import('n8n-workflow').IPinData} [pinData]
 */

let executionCounter = 1000;
const nextExecutionId = () => String(++executionCounter);

/**
 * A JSON-safe summary of an n8n error: no `cause` (it can hold request headers), secrets redacted.
 * @param {unknown} error
 * @param {string[]} secrets
 * @returns {RunError | undefined}
 */
function summarizeError(error, secrets) {
	if (error === undefined || error === null) return undefined;
	const source = /** @type {Record<string, unknown>} */ (error);
	/** @param {unknown} value */
	const safe = (value) => (typeof value === 'string' ? redact(value, secrets) : value);
	/** @type {RunError} */ const out = { message: String(safe(source.message ?? error)) };
	for (const key of ['description', 'name', 'httpCode']) {
		if (typeof source[key] === 'string' || typeof source[key] === 'number')
			out[key] = String(safe(source[key]));
	}
	const node = /** @type {{ name?: string } | undefined} */ (source.node);
	if (node?.name) out.node = node.name;
	if (source.context && typeof source.context === 'object') {
		const primitives = Object.entries(source.context).filter(([, v]) =>
			['string', 'number', 'boolean'].includes(typeof v),
		);
		if (primitives.length)
			out.context = Object.fromEntries(primitives.map(([k, v]) => [k, safe(v)]));
	}
	return out;
}

/**
 * The execution environment of one call: workflow, credentials, `IWorkflowExecuteAdditionalData`
 * shaped like n8n's (every URL derived from one instance base URL, like WEBHOOK_URL).
 * @param {{ workflow: object; credentials?: HarnessCredentials; extraNodeTypes?: RunOptions['extraNodeTypes']; webhookBaseUrl?: string; staticData?: IDataObject }} opts
 */
async function createSetup(opts) {
	const json = /** @type {WorkflowJson} */ (deepCopy(opts.workflow)); // n8n mutates parameters
	if (!Array.isArray(json.nodes)) throw new UserError('Workflow JSON must have a "nodes" array');
	json.connections ??= {};
	const registry = await createTypeRegistry(opts.extraNodeTypes);
	const credentialsHelper = new HarnessCredentialsHelper(registry, opts.credentials);
	const workflow = new Workflow({
		id: json.id ?? 'harness-workflow',
		name: 'Harness workflow',
		nodes: json.nodes,
		connections: json.connections,
		active: false,
		nodeTypes: registry.nodeTypes,
		staticData: opts.staticData,
		settings: json.settings,
		pinData: json.pinData,
	});
	const base = (opts.webhookBaseUrl ?? 'http://localhost:5678/').replace(/\/?$/, '/');
	/** @param {string} [executionId] @returns {IWorkflowExecuteAdditionalData} */
	const additionalData = (executionId) =>
		/** @type {never} */ ({
			credentialsHelper,
			executionId,
			workflowId: workflow.id,
			userId: 'harness-user',
			currentNodeExecutionIndex: 0,
			instanceBaseUrl: base,
			restApiUrl: `${base}rest`,
			webhookBaseUrl: `${base}webhook`,
			webhookWaitingBaseUrl: `${base}webhook-waiting`,
			webhookTestBaseUrl: `${base}webhook-test`,
			formWaitingBaseUrl: `${base}form-waiting`,
			variables: {},
			executeWorkflow: async () => {
				throw new UserError('Sub-workflows are not available in the test harness');
			},
			getRunExecutionData: async () => undefined,
			logAiEvent: () => {},
			setExecutionStatus: () => {},
			sendDataToUI: () => {},
		});
	/** The workflow's static data as n8n would save it. */
	const plainStaticData = () => {
		const copy = /** @type {IDataObject} */ (JSON.parse(JSON.stringify(workflow.staticData ?? {})));
		delete copy.__dataChanged;
		return copy;
	};
	return { json, workflow, credentialsHelper, additionalData, plainStaticData };
}

/** @typedef {Awaited<ReturnType<typeof createSetup>>} Setup */

/**
 * Executes from the start node, or from prepared execution data (a webhook's output, a resume),
 * and resolves with the result once the lifecycle hook reports the end.
 * @param {Setup} setup
 * @param {{ mode: WorkflowExecuteMode; executionId?: string; runExecutionData?: IRunExecutionData; timeoutMs?: number; cancelAfterMs?: number; decorate?: (additionalData: IWorkflowExecuteAdditionalData) => void }} params
 * @returns {Promise<RunResult>}
 */
async function executeWorkflow(setup, params) {
	const { json, workflow, credentialsHelper } = setup;
	const { mode, executionId = nextExecutionId() } = params;
	const { binaryDataService } = await getEnv();
	const now = new Date();
	const hooks = new ExecutionLifecycleHooks(
		mode,
		executionId,
		/** @type {IWorkflowBase} */ ({
			...json,
			id: workflow.id,
			name: workflow.name,
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: now,
			updatedAt: now,
		}),
	);
	/** @type {Promise<IRun>} */
	const finished = new Promise((resolve) => hooks.addHandler('workflowExecuteAfter', resolve));
	const additionalData = setup.additionalData(executionId);
	additionalData.hooks = hooks;
	params.decorate?.(additionalData);

	const secrets = credentialsHelper.secrets();
	const pinData = mode === 'manual' ? json.pinData : undefined;
	/** @type {ReturnType<WorkflowExecute['run']>} */ let execution;
	try {
		execution = params.runExecutionData
			? new WorkflowExecute(additionalData, mode, params.runExecutionData).processRunExecutionData(
					workflow,
				)
			: new WorkflowExecute(additionalData, mode).run({ workflow, pinData });
	} catch (error) {
		// Thrown before the execution starts (no start node …): n8n records a failed execution.
		const run = /** @type {IRun} */ ({
			status: 'error',
			mode,
			startedAt: now,
			data: { resultData: { runData: {}, error } },
		});
		return result(run);
	}
	const timeoutMs = params.timeoutMs ?? 20000;
	/** @type {NodeJS.Timeout | undefined} */ let cancelTimer;
	/** @type {NodeJS.Timeout | undefined} */ let timeoutTimer;
	if (params.cancelAfterMs !== undefined)
		cancelTimer = setTimeout(() => execution.cancel(), params.cancelAfterMs);
	/** @type {Promise<never>} */
	const timedOut = new Promise((_, reject) => {
		timeoutTimer = setTimeout(() => {
			execution.cancel();
			reject(new Error(`Workflow execution ${executionId} did not finish within ${timeoutMs} ms`));
		}, timeoutMs);
	});
	/** @type {IRun} */ let run;
	try {
		run = await Promise.race([finished, timedOut, execution.then(() => finished)]);
	} finally {
		clearTimeout(cancelTimer);
		clearTimeout(timeoutTimer);
	}

	return result(run);

	/** @param {IRun} run @returns {RunResult} */
	function result(run) {
		const runData = run.data.resultData.runData;
		/** @param {string} nodeName */
		const lastTask = (nodeName) => {
			const task = runData[nodeName]?.at(-1);
			if (!task)
				throw new Error(
					`Node "${nodeName}" did not run (nodes that ran: ${Object.keys(runData).join(', ') || 'none'})`,
				);
			return task;
		};
		return {
			status: run.status,
			error: summarizeError(run.data.resultData.error, secrets),
			runData,
			output: (nodeName, outputIndex = 0) => lastTask(nodeName).data?.main?.[outputIndex] ?? [],
			nodeError: (nodeName) => summarizeError(lastTask(nodeName).error, secrets),
			readBinary: async (binary) => await binaryDataService.getAsBuffer(binary),
			waitTill: run.waitTill ?? run.data.waitTill ?? undefined,
			executionId,
			executionData: run,
		};
	}
}

/**
 * Runs workflow JSON in-process (in `manual` mode, like the editor's "Execute workflow").
 * @param {RunOptions} opts
 * @returns {Promise<RunResult>}
 */
async function runWorkflow(opts) {
	const setup = await createSetup(opts);
	return await executeWorkflow(setup, {
		mode: 'manual',
		timeoutMs: opts.timeoutMs,
		cancelAfterMs: opts.cancelAfterMs,
	});
}

module.exports = { createSetup, executeWorkflow, nextExecutionId, runWorkflow, summarizeError };
