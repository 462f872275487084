// @ts-check
'use strict';
/**
 * Runs a workflow with n8n-core's `WorkflowExecute`, in-process.
 *
 * Completion is taken from the `workflowExecuteAfter` lifecycle hook, not from the promise returned
 * by `run()`: when an execution is cancelled that promise never settles, while the hook fires with
 * status `canceled` (n8n's own server waits on the hook too).
 */
const { WorkflowExecute } = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').ExecutionStatus} ExecutionStatus
 * @typedef {import('n8n-workflow').IBinaryData} IBinaryData
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').IRun} IRun
 * @typedef {import('n8n-workflow').IRunData} IRunData
 * @typedef {import('n8n-workflow').IRunExecutionData} IRunExecutionData
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 * @typedef {import('n8n-workflow').Workflow} Workflow
 */
const { createRunExecutionData } = require('n8n-workflow');

/**
 * @typedef {import('./context').HarnessSetup} HarnessSetup
 * @typedef {import('./context').WorkflowJson} WorkflowJson
 */
const {
	asWorkflowJson,
	createAdditionalData,
	createHooks,
	createSetup,
	createWorkflow,
	nextExecutionId,
	workflowBase,
} = require('./context');
/**
 * @typedef {import('./credentials').HarnessCredentials} HarnessCredentials
 */
const { redact } = require('./credentials');
const { getEnv } = require('./env');

/**
 * @typedef {object} RunOptions
 * @property {object} workflow Workflow JSON exactly as n8n exports it (nodes, connections, settings?, pinData?).
 * @property {HarnessCredentials} [credentials] Credential data per credential type; any credential id a node references maps to it.
 * @property {Record<string, INodeType | IVersionedNodeType>} [extraNodeTypes] Node types used by the workflow beyond the package's and the helper nodes (type name -> type).
 * @property {Record<string, ICredentialType>} [extraCredentialTypes] Credential types beyond the package's (name -> type).
 * @property {number} [timeoutMs] Fail the run (and cancel the execution) if it has not finished after this long. Default 20000.
 * @property {number} [cancelAfterMs] Cancel the execution after this long, like the editor's stop button (the node's abort signal fires).
 * @property {number} [cancelGraceMs] After a cancel, how long to wait for the running node to return before reporting. Default 5000.
 * @property {string} [executionId]
 * @property {WorkflowExecuteMode} [mode] Execution mode. Default `manual` (the editor's "Execute workflow").
 * @property {string} [webhookBaseUrl] Instance base URL (n8n's WEBHOOK_URL); webhook/resume URLs derive from it.
 * @property {IDataObject} [staticData] Workflow static data to start with (default: the workflow JSON's `staticData`).
 */

/**
 * @typedef {{ message: string; description?: string; name?: string; node?: string; httpCode?: string; [k: string]: unknown }} RunError
 */

/**
 * @typedef {object} RunResult
 * @property {ExecutionStatus | string} status
 * @property {RunError} [error]
 * @property {IRunData} runData Raw run data per node name.
 * @property {(nodeName: string, outputIndex?: number) => INodeExecutionData[]} output Items of the node's last run on the given output (default 0). Throws if the node did not run.
 * @property {(nodeName: string) => RunError | undefined} nodeError Error of the node's last run, if it failed.
 * @property {(binary: IBinaryData) => Promise<Buffer>} readBinary Binary content, read through n8n's BinaryDataService.
 * @property {(binary: IBinaryData) => string} binaryPath Absolute path of a binary stored in filesystem mode.
 * @property {Date} [waitTill] When the execution was put to wait.
 * @property {string} executionId
 * @property {IDataObject} staticData Workflow static data after the run.
 * @property {boolean} [settledAfterCancel] After a cancel: whether the node that was running returned within `cancelGraceMs`.
 * @property {{ runData: IRunData; error?: RunError }} [afterCancel] After a cancel: what the running node did once it saw the abort (n8n no longer records this, the execution is already reported as canceled): the live run data and the error it ended with, if any.
 * @property {IRun} executionData Full run as n8n would store it.
 */

const SAFE_ERROR_KEYS = /** @type {const} */ ([
	'message',
	'description',
	'name',
	'httpCode',
	'level',
	'type',
	'lineNumber',
	'timestamp',
	'itemIndex',
	'runIndex',
]);

/**
 * A JSON-safe summary of an n8n error without `cause` (which can hold request headers).
 * @param {unknown} error
 * @param {string[]} secrets
 * @returns {RunError | undefined}
 */
function summarizeError(error, secrets) {
	if (error === undefined || error === null) return undefined;
	const source = /** @type {Record<string, unknown>} */ (error);
	/** @type {RunError} */ const out = { message: '' };
	for (const key of SAFE_ERROR_KEYS) {
		const value = source[key];
		if (value === undefined || value === null) continue;
		const target = /** @type {Record<string, unknown>} */ (out);
		if (typeof value === 'string') target[key] = redact(value, secrets);
		else if (typeof value === 'number' || typeof value === 'boolean') target[key] = value;
	}
	out.message =
		typeof source.message === 'string' ? redact(source.message, secrets) : String(error);
	const node = /** @type {{ name?: string } | string | undefined} */ (source.node);
	if (typeof node === 'string') out.node = node;
	else if (node && typeof node.name === 'string') out.node = node.name;
	const context = /** @type {Record<string, unknown> | undefined} */ (source.context);
	if (context && typeof context === 'object') {
		/** @type {Record<string, unknown>} */ const safeContext = {};
		for (const [key, value] of Object.entries(context)) {
			if (['string', 'number', 'boolean'].includes(typeof value)) {
				safeContext[key] = typeof value === 'string' ? redact(value, secrets) : value;
			}
		}
		if (Object.keys(safeContext).length) out.context = safeContext;
	}
	if (typeof out.httpCode === 'number') out.httpCode = String(out.httpCode);
	return out;
}

/**
 * @param {Workflow} workflow
 * @returns {IDataObject}
 */
function plainStaticData(workflow) {
	const copy = /** @type {IDataObject} */ (JSON.parse(JSON.stringify(workflow.staticData ?? {})));
	delete copy.__dataChanged;
	return copy;
}

/**
 * @param {IRun} run
 * @param {string} executionId
 * @param {Workflow} workflow
 * @param {string[]} secrets
 * @param {Partial<RunResult>} [extra]
 * @returns {RunResult}
 */
function buildRunResult(run, executionId, workflow, secrets, extra = {}) {
	const runData = run.data.resultData.runData ?? {};
	/** @param {string} nodeName */ const lastTask = (nodeName) => {
		const tasks = runData[nodeName];
		if (!tasks || tasks.length === 0) {
			const ran = Object.keys(runData);
			throw new Error(
				`Node "${nodeName}" did not run (nodes that ran: ${ran.length ? ran.join(', ') : 'none'})`,
			);
		}
		return tasks[tasks.length - 1];
	};
	const waitTill = run.waitTill ?? run.data.waitTill ?? undefined;
	return {
		status: run.status,
		error: summarizeError(run.data.resultData.error, secrets),
		runData,
		/** @param {string} nodeName */ output(nodeName, outputIndex = 0) {
			return lastTask(nodeName).data?.main?.[outputIndex] ?? [];
		},
		/** @param {string} nodeName */ nodeError(nodeName) {
			return summarizeError(lastTask(nodeName).error, secrets);
		},
		/** @param {IBinaryData} binary */ async readBinary(binary) {
			const { binaryDataService } = await getEnv();
			return await binaryDataService.getAsBuffer(binary);
		},
		/** @param {IBinaryData} binary */ binaryPath(binary) {
			if (!binary.id) throw new Error('Binary data has no id (not stored in filesystem mode)');
			return binaryDataServiceSync().getPath(binary.id);
		},
		waitTill: waitTill ?? undefined,
		executionId,
		staticData: plainStaticData(workflow),
		executionData: run,
		...extra,
	};
}

/** @type {Awaited<ReturnType<typeof getEnv>>['binaryDataService'] | undefined} */ let cachedService;
function binaryDataServiceSync() {
	if (!cachedService) throw new Error('Harness environment is not initialised');
	return cachedService;
}

/**
 * @typedef {object} ExecuteParams
 * @property {HarnessSetup} setup
 * @property {WorkflowJson} json
 * @property {Workflow} workflow
 * @property {WorkflowExecuteMode} mode
 * @property {string} executionId
 * @property {IRunExecutionData} [runExecutionData] Start from the workflow's start node (`run()`), or from prepared execution data.
 * @property {number} [timeoutMs]
 * @property {number} [cancelAfterMs]
 * @property {number} [cancelGraceMs]
 * @property {string} [webhookBaseUrl]
 * @property {(additionalData: ReturnType<typeof createAdditionalData>) => void} [decorateAdditionalData] Called with the additional data before the execution starts (webhook request/response).
 */

/**
 * @template T
 * @typedef {object} Deferred
 * @property {Promise<T>} promise
 * @property {(value: T) => void} resolve
 * @property {(error: unknown) => void} reject
 */
/**
 * @template T
 * @returns {Deferred<T>}
 */
function deferred() {
	/** @type {(value: T) => void} */ let resolve = () => undefined;
	/** @type {(error: unknown) => void} */ let reject = () => undefined;
	const promise = /** @type {Promise<T>} */ (
		new Promise((res, rej) => {
			resolve = res;
			reject = rej;
		})
	);
	return { promise, resolve, reject };
}

/**
 * Executes and waits for the lifecycle hook; shared by runWorkflow and callWebhook.
 * @param {ExecuteParams} params
 * @returns {Promise<RunResult>}
 */
async function executeWorkflow(params) {
	const { setup, json, workflow, mode, executionId } = params;
	const env = await getEnv();
	cachedService = env.binaryDataService;
	const secrets = setup.credentialsHelper.secrets();

	const hooks = createHooks(mode, executionId, workflowBase(json, workflow));
	const done = /** @type {Deferred<IRun>} */ (deferred());
	let cancelled = false;
	/** @type {IRun | undefined} */ let liveRun;
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		liveRun = fullRunData;
		// On cancel the hook fires while a node may still be running, and the engine keeps writing
		// into the same objects afterwards; report the state n8n reports (and stores) at this point.
		done.resolve(cancelled ? snapshotRun(fullRunData) : fullRunData);
	});

	// Nodes that started and have not reported back, by the executionIndex of their task.
	const running = /** @type {Map<string, number>} */ (new Map());
	hooks.addHandler('nodeExecuteBefore', (nodeName, data) => {
		running.set(nodeName, data.executionIndex);
	});
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		running.delete(nodeName);
	});
	/** Whether every node that was running has returned (its task is in the run data). */
	const runningNodesReturned = () => {
		const runData = liveRun?.data.resultData.runData ?? {};
		return [...running].every(([name, index]) =>
			(runData[name] ?? []).some((task) => task.executionIndex === index),
		);
	};
	/** @param {number} graceMs */ const waitForRunningNodes = async (graceMs) => {
		const until = Date.now() + graceMs;
		while (!runningNodesReturned()) {
			if (Date.now() >= until) return false;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		return true;
	};

	const additionalData = createAdditionalData({
		credentialsHelper: setup.credentialsHelper,
		executionId,
		workflowId: workflow.id,
		hooks,
		instanceBaseUrl: params.webhookBaseUrl,
	});
	params.decorateAdditionalData?.(additionalData);

	const usePinData = mode === 'manual' || mode === 'evaluation';
	/** @type {ReturnType<WorkflowExecute['run']>} */ let execution;
	try {
		if (params.runExecutionData) {
			if (usePinData && json.pinData) params.runExecutionData.resultData.pinData = json.pinData;
			const workflowExecute = new WorkflowExecute(additionalData, mode, params.runExecutionData);
			execution = workflowExecute.processRunExecutionData(workflow);
		} else {
			const workflowExecute = new WorkflowExecute(additionalData, mode);
			execution = workflowExecute.run({
				workflow,
				pinData: usePinData ? json.pinData : undefined,
			});
		}
	} catch (error) {
		// Thrown before the execution starts (e.g. "Workflow has issues", no start node):
		// n8n records such an execution as failed.
		const now = new Date();
		/** @type {IRun} */ const run = {
			data: createRunExecutionData({
				resultData: {
					runData: {},
					error: /** @type {never} */ ({
						.../** @type {object} */ (error),
						message: /** @type {Error} */ (error).message,
						stack: /** @type {Error} */ (error).stack,
					}),
				},
			}),
			mode,
			startedAt: now,
			stoppedAt: now,
			storedAt: 'db',
			status: 'error',
		};
		return buildRunResult(run, executionId, workflow, secrets);
	}
	execution.catch(/** @param {unknown} error */ (error) => done.reject(error));

	/** @type {NodeJS.Timeout[]} */ const timers = [];
	const cancel = () => {
		if (cancelled) return;
		cancelled = true;
		execution.cancel();
	};
	if (params.cancelAfterMs !== undefined) {
		timers.push(setTimeout(cancel, params.cancelAfterMs));
	}
	const timeoutMs = params.timeoutMs ?? 20000;
	let timedOut = false;
	const graceMs = params.cancelGraceMs ?? 5000;
	const timeoutError = () =>
		new Error(
			`Workflow execution ${executionId} did not finish within ${timeoutMs} ms` +
				(running.size ? ` (still running: ${[...running.keys()].join(', ')})` : ''),
		);
	timers.push(
		setTimeout(() => {
			timedOut = true;
			const error = timeoutError();
			cancel();
			// Should the engine not report the cancel either, give up after the grace period.
			timers.push(setTimeout(() => done.reject(error), graceMs));
		}, timeoutMs),
	);

	try {
		const run = await done.promise;
		if (timedOut) {
			const error = timeoutError();
			await waitForRunningNodes(graceMs);
			throw error;
		}
		if (!cancelled) return buildRunResult(run, executionId, workflow, secrets);

		const settledAfterCancel = await waitForRunningNodes(graceMs);
		const liveRunData = /** @type {IRun} */ (liveRun).data.resultData.runData;
		// The error the interrupted node ended with (from its task; the run-level error is set later).
		/** @type {unknown} */ let nodeError;
		for (const [name, index] of running) {
			const task = (liveRunData[name] ?? []).find((t) => t.executionIndex === index);
			if (task?.error) {
				nodeError = task.error;
				break;
			}
		}
		return buildRunResult(run, executionId, workflow, secrets, {
			settledAfterCancel,
			afterCancel: { runData: liveRunData, error: summarizeError(nodeError, secrets) },
		});
	} finally {
		for (const timer of timers) clearTimeout(timer);
	}
}

/**
 * Copy of the parts of a run the engine keeps mutating after a cancel.
 * @param {IRun} run
 * @returns {IRun}
 */
function snapshotRun(run) {
	const { resultData } = run.data;
	/** @type {IRunData} */ const runData = {};
	for (const [name, tasks] of Object.entries(resultData.runData ?? {})) {
		runData[name] = tasks.map((task) => ({ ...task }));
	}
	return {
		...run,
		data: { ...run.data, resultData: { ...resultData, runData } },
	};
}

/**
 * Runs a workflow (exported JSON) in-process and returns its result once n8n reports it finished.
 * @param {RunOptions} opts
 * @returns {Promise<RunResult>}
 */
async function runWorkflow(opts) {
	const json = asWorkflowJson(opts.workflow);
	const setup = await createSetup(opts.credentials, opts.extraNodeTypes, opts.extraCredentialTypes);
	const workflow = createWorkflow(json, setup.registry, opts.staticData);
	return await executeWorkflow({
		setup,
		json,
		workflow,
		mode: opts.mode ?? 'manual',
		executionId: opts.executionId ?? nextExecutionId(),
		timeoutMs: opts.timeoutMs,
		cancelAfterMs: opts.cancelAfterMs,
		cancelGraceMs: opts.cancelGraceMs,
		webhookBaseUrl: opts.webhookBaseUrl,
	});
}

module.exports = { summarizeError, buildRunResult, executeWorkflow, runWorkflow };
