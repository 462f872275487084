/**
 * Runs a workflow with n8n-core's `WorkflowExecute`, in-process.
 *
 * Completion is taken from the `workflowExecuteAfter` lifecycle hook, not from the promise returned
 * by `run()`: when an execution is cancelled that promise never settles, while the hook fires with
 * status `canceled` (n8n's own server waits on the hook too).
 */
import { WorkflowExecute } from 'n8n-core';
import type {
	ExecutionStatus,
	IBinaryData,
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeType,
	IRun,
	IRunData,
	IRunExecutionData,
	IVersionedNodeType,
	WorkflowExecuteMode,
	Workflow,
} from 'n8n-workflow';
import { createRunExecutionData } from 'n8n-workflow';

import {
	asWorkflowJson,
	createAdditionalData,
	createHooks,
	createSetup,
	createWorkflow,
	nextExecutionId,
	workflowBase,
	type HarnessSetup,
	type WorkflowJson,
} from './context';
import { redact, type HarnessCredentials } from './credentials';
import { getEnv } from './env';

export interface RunOptions {
	/** Workflow JSON exactly as n8n exports it (nodes, connections, settings?, pinData?). */
	workflow: object;
	/** Credential data per credential type; any credential id a node references maps to it. */
	credentials?: HarnessCredentials;
	/** Node types used by the workflow beyond the package's and the helper nodes (type name -> type). */
	extraNodeTypes?: Record<string, INodeType | IVersionedNodeType>;
	/** Credential types beyond the package's (name -> type). */
	extraCredentialTypes?: Record<string, ICredentialType>;
	/** Fail the run (and cancel the execution) if it has not finished after this long. Default 20000. */
	timeoutMs?: number;
	/** Cancel the execution after this long, like the editor's stop button (the node's abort signal fires). */
	cancelAfterMs?: number;
	/** After a cancel, how long to wait for the running node to return before reporting. Default 5000. */
	cancelGraceMs?: number;
	executionId?: string;
	/** Execution mode. Default `manual` (the editor's "Execute workflow"). */
	mode?: WorkflowExecuteMode;
	/** Instance base URL (n8n's WEBHOOK_URL); webhook/resume URLs derive from it. */
	webhookBaseUrl?: string;
	/** Workflow static data to start with (default: the workflow JSON's `staticData`). */
	staticData?: IDataObject;
}

export interface RunError {
	message: string;
	description?: string;
	name?: string;
	node?: string;
	httpCode?: string;
	[k: string]: unknown;
}

export interface RunResult {
	status: ExecutionStatus | string;
	error?: RunError;
	/** Raw run data per node name. */
	runData: IRunData;
	/** Items of the node's last run on the given output (default 0). Throws if the node did not run. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** Error of the node's last run, if it failed. */
	nodeError(nodeName: string): RunError | undefined;
	/** Binary content, read through n8n's BinaryDataService. */
	readBinary(binary: IBinaryData): Promise<Buffer>;
	/** Absolute path of a binary stored in filesystem mode. */
	binaryPath(binary: IBinaryData): string;
	/** When the execution was put to wait. */
	waitTill?: Date;
	executionId: string;
	/** Workflow static data after the run. */
	staticData: IDataObject;
	/** After a cancel: whether the node that was running returned within `cancelGraceMs`. */
	settledAfterCancel?: boolean;
	/**
	 * After a cancel: what the running node did once it saw the abort (n8n no longer records
	 * this, the execution is already reported as canceled): the live run data and the error it
	 * ended with, if any.
	 */
	afterCancel?: { runData: IRunData; error?: RunError };
	/** Full run as n8n would store it. */
	executionData: IRun;
}

const SAFE_ERROR_KEYS = [
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
] as const;

/** A JSON-safe summary of an n8n error without `cause` (which can hold request headers). */
export function summarizeError(error: unknown, secrets: string[]): RunError | undefined {
	if (error === undefined || error === null) return undefined;
	const source = error as Record<string, unknown>;
	const out: RunError = { message: '' };
	for (const key of SAFE_ERROR_KEYS) {
		const value = source[key];
		if (value === undefined || value === null) continue;
		const target = out as Record<string, unknown>;
		if (typeof value === 'string') target[key] = redact(value, secrets);
		else if (typeof value === 'number' || typeof value === 'boolean') target[key] = value;
	}
	out.message =
		typeof source.message === 'string' ? redact(source.message, secrets) : String(error);
	const node = source.node as { name?: string } | string | undefined;
	if (typeof node === 'string') out.node = node;
	else if (node && typeof node.name === 'string') out.node = node.name;
	const context = source.context as Record<string, unknown> | undefined;
	if (context && typeof context === 'object') {
		const safeContext: Record<string, unknown> = {};
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

function plainStaticData(workflow: Workflow): IDataObject {
	const copy = JSON.parse(JSON.stringify(workflow.staticData ?? {})) as IDataObject;
	delete copy.__dataChanged;
	return copy;
}

export function buildRunResult(
	run: IRun,
	executionId: string,
	workflow: Workflow,
	secrets: string[],
	extra: Partial<RunResult> = {},
): RunResult {
	const runData = run.data.resultData.runData ?? {};
	const lastTask = (nodeName: string) => {
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
		output(nodeName: string, outputIndex = 0) {
			return lastTask(nodeName).data?.main?.[outputIndex] ?? [];
		},
		nodeError(nodeName: string) {
			return summarizeError(lastTask(nodeName).error, secrets);
		},
		async readBinary(binary: IBinaryData) {
			const { binaryDataService } = await getEnv();
			return await binaryDataService.getAsBuffer(binary);
		},
		binaryPath(binary: IBinaryData) {
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

let cachedService: Awaited<ReturnType<typeof getEnv>>['binaryDataService'] | undefined;
function binaryDataServiceSync() {
	if (!cachedService) throw new Error('Harness environment is not initialised');
	return cachedService;
}

export interface ExecuteParams {
	setup: HarnessSetup;
	json: WorkflowJson;
	workflow: Workflow;
	mode: WorkflowExecuteMode;
	executionId: string;
	/** Start from the workflow's start node (`run()`), or from prepared execution data. */
	runExecutionData?: IRunExecutionData;
	timeoutMs?: number;
	cancelAfterMs?: number;
	cancelGraceMs?: number;
	webhookBaseUrl?: string;
	/** Called with the additional data before the execution starts (webhook request/response). */
	decorateAdditionalData?: (additionalData: ReturnType<typeof createAdditionalData>) => void;
}

interface Deferred<T> {
	promise: Promise<T>;
	resolve(value: T): void;
	reject(error: unknown): void;
}
function deferred<T>(): Deferred<T> {
	let resolve!: (value: T) => void;
	let reject!: (error: unknown) => void;
	const promise = new Promise<T>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/** Executes and waits for the lifecycle hook; shared by runWorkflow and callWebhook. */
export async function executeWorkflow(params: ExecuteParams): Promise<RunResult> {
	const { setup, json, workflow, mode, executionId } = params;
	const env = await getEnv();
	cachedService = env.binaryDataService;
	const secrets = setup.credentialsHelper.secrets();

	const hooks = createHooks(mode, executionId, workflowBase(json, workflow));
	const done = deferred<IRun>();
	let cancelled = false;
	let liveRun: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		liveRun = fullRunData;
		// On cancel the hook fires while a node may still be running, and the engine keeps writing
		// into the same objects afterwards; report the state n8n reports (and stores) at this point.
		done.resolve(cancelled ? snapshotRun(fullRunData) : fullRunData);
	});

	// Nodes that started and have not reported back, by the executionIndex of their task.
	const running = new Map<string, number>();
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
	const waitForRunningNodes = async (graceMs: number) => {
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
	let execution: ReturnType<WorkflowExecute['run']>;
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
		const run: IRun = {
			data: createRunExecutionData({
				resultData: {
					runData: {},
					error: {
						...(error as object),
						message: (error as Error).message,
						stack: (error as Error).stack,
					} as never,
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
	execution.catch((error: unknown) => done.reject(error));

	const timers: NodeJS.Timeout[] = [];
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
		const liveRunData = liveRun!.data.resultData.runData;
		// The error the interrupted node ended with (from its task; the run-level error is set later).
		let nodeError: unknown;
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

/** Copy of the parts of a run the engine keeps mutating after a cancel. */
function snapshotRun(run: IRun): IRun {
	const { resultData } = run.data;
	const runData: IRunData = {};
	for (const [name, tasks] of Object.entries(resultData.runData ?? {})) {
		runData[name] = tasks.map((task) => ({ ...task }));
	}
	return {
		...run,
		data: { ...run.data, resultData: { ...resultData, runData } },
	};
}

/** Runs a workflow (exported JSON) in-process and returns its result once n8n reports it finished. */
export async function runWorkflow(opts: RunOptions): Promise<RunResult> {
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
