/**
 * Delivers HTTP calls to webhook/trigger nodes in-process, following n8n's webhook layer
 * (`WebhookService.runWebhook` + `WebhookHelpers.executeWebhook`, v1 engine):
 * 1. find the node's webhook for the method (and path),
 * 2. build a `WebhookContext` with an express-like request/response and call `webhook()`,
 * 3. answer: the node's own answer (`noWebhookResponse`), or `webhookResponse` / "Webhook call
 *    received" when it returns no `workflowData`, or by response mode (`onReceived` right away,
 *    `lastNode` from the last node's output once the run finished),
 * 4. with `workflowData`, run the rest of the workflow from that node with `WorkflowExecute`.
 * Also: webhook setup methods (`checkExists`/`create`/`delete`) through a `HookContext`, and
 * resuming a `waiting` execution through its restart webhook (`$execution.resumeUrl`).
 */
import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IBinaryData,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestMethods,
	INode,
	INodeExecutionData,
	INodeType,
	IRunExecutionData,
	ITaskData,
	IVersionedNodeType,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowDataProxyAdditionalKeys,
	WebhookSetupMethodNames,
	Workflow,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, createRunExecutionData, deepCopy, BINARY_ENCODING } from 'n8n-workflow';

import {
	asWorkflowJson,
	createAdditionalData,
	createSetup,
	createWorkflow,
	nextExecutionId,
	type HarnessSetup,
	type WorkflowJson,
} from './context';
import type { HarnessCredentials } from './credentials';
import { getEnv } from './env';
import {
	FakeResponse,
	UnprocessableBodyError,
	createRequest,
	sendError,
	sendSuccess,
	type FakeRequest,
} from './http';
import { executeWorkflow, summarizeError, type RunResult } from './run';

export interface CallWebhookOptions {
	/** Workflow JSON as exported by n8n. */
	workflow: object;
	/** The webhook/trigger node that receives the call. Not needed with `resume`. */
	nodeName?: string;
	method: 'POST' | 'GET' | IHttpRequestMethods;
	/**
	 * Request path. Either the webhook path (`<webhookId>/<path>`, `<workflowId>/<node>/<path>`), the
	 * same prefixed with `/webhook/` (or `/webhook-test/`), or, with `resume`, the waiting webhook
	 * suffix. Default: the node's own path. Path parameters (`:id`) are filled into `params`.
	 */
	path?: string;
	headers?: Record<string, string>;
	query?: Record<string, string>;
	/** Parsed JSON body (sent as application/json unless a content-type header says otherwise). */
	body?: unknown;
	/** Raw body bytes; parsed by content-type like n8n does (JSON, form-urlencoded, text). */
	rawBody?: Buffer;
	credentials?: HarnessCredentials;
	/** Instance base URL (n8n's WEBHOOK_URL), default http://localhost:5678/. */
	webhookBaseUrl?: string;
	/** Workflow static data (e.g. what `create` stored). Returned updated in the result. */
	staticData?: IDataObject;
	extraNodeTypes?: Record<string, INodeType | IVersionedNodeType>;
	extraCredentialTypes?: Record<string, ICredentialType>;
	/** `webhook` = production URL (default), `manual` = test URL (webhook-test). */
	mode?: WorkflowExecuteMode;
	/** Which of the node's webhooks (description `webhooks[].name`), default: any matching method. */
	webhookName?: string;
	/** Resume this waiting execution (a `waiting` RunResult) through the node's restart webhook. */
	resume?: RunResult;
	executionId?: string;
	timeoutMs?: number;
	cancelAfterMs?: number;
	/** How long to wait for a node that answers the request itself to end the response. Default 2000. */
	responseTimeoutMs?: number;
}

export interface CallWebhookResult {
	statusCode: number;
	/** Parsed JSON, text, or a Buffer for binary bodies; undefined when empty. */
	body: unknown;
	headers: Record<string, string>;
	rawBody: Buffer;
	/** The execution, if one started (or was resumed). */
	run?: RunResult;
	/** What `webhook()` returned as `workflowData`. */
	workflowData?: INodeExecutionData[][];
	/** What `webhook()` returned. */
	webhookResponse?: IWebhookResponseData;
	/** The error `webhook()` threw, if any (the caller got a 500). */
	webhookError?: ReturnType<typeof summarizeError>;
	/** Workflow static data after the call. */
	staticData: IDataObject;
	/** The URL the node's webhook is reachable at. */
	webhookUrl?: string;
}

interface ResolvedWebhook {
	webhookData: IWebhookData;
	path: string;
	params: Record<string, string>;
}

function plainStaticData(workflow: Workflow): IDataObject {
	const copy = JSON.parse(JSON.stringify(workflow.staticData ?? {})) as IDataObject;
	delete copy.__dataChanged;
	return copy;
}

/** The node's webhooks, as `WebhookService.getNodeWebhooks` lists them. */
function getNodeWebhooks(
	workflow: Workflow,
	node: INode,
	additionalData: ReturnType<typeof createAdditionalData>,
	isTest: boolean,
): IWebhookData[] {
	if (node.disabled === true) return [];
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const out: IWebhookData[] = [];
	for (const webhookDescription of nodeType.description.webhooks ?? []) {
		let nodeWebhookPath = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.path,
			'internal',
			{},
		);
		if (nodeWebhookPath === undefined) continue;
		nodeWebhookPath = nodeWebhookPath.toString();
		if (nodeWebhookPath.startsWith('/')) nodeWebhookPath = nodeWebhookPath.slice(1);
		if (nodeWebhookPath.endsWith('/')) nodeWebhookPath = nodeWebhookPath.slice(0, -1);
		const isFullPath = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.isFullPath,
			'internal',
			{},
			undefined,
			false,
		) as boolean;
		const restartWebhook = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.restartWebhook,
			'internal',
			{},
			undefined,
			false,
		) as boolean;
		const path = NodeHelpers.getNodeWebhookPath(
			workflow.id || '__UNSAVED__',
			node,
			nodeWebhookPath,
			isFullPath,
			restartWebhook,
		);
		const methods = workflow.expression.getSimpleParameterValue(
			node,
			webhookDescription.httpMethod,
			'internal',
			{},
			undefined,
			'GET',
		);
		if (methods === undefined) continue;
		const webhookId =
			(path.startsWith(':') || path.includes('/:')) && node.webhookId ? node.webhookId : undefined;
		for (const httpMethod of String(methods).split(',')) {
			if (!httpMethod.trim()) continue;
			out.push({
				httpMethod: httpMethod.trim() as IHttpRequestMethods,
				node: node.name,
				path,
				webhookDescription,
				workflowId: workflow.id,
				workflowExecuteAdditionalData: additionalData,
				webhookId,
				isTest,
			});
		}
	}
	return out;
}

function normalizeRequestPath(path: string): string {
	let p = path.split('?')[0].replace(/^\/+/, '');
	for (const prefix of ['webhook-test/', 'webhook-waiting/', 'webhook/']) {
		if (p.startsWith(prefix)) {
			p = p.slice(prefix.length);
			break;
		}
	}
	return p.replace(/\/+$/, '');
}

/** Matches `a/:id/b` against `a/42/b`; returns the params or undefined. */
function matchPath(pattern: string, actual: string): Record<string, string> | undefined {
	const patternParts = pattern.split('/');
	const actualParts = actual.split('/');
	if (patternParts.length !== actualParts.length) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < patternParts.length; i++) {
		const p = patternParts[i];
		if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(actualParts[i]);
		else if (p !== actualParts[i]) return undefined;
	}
	return params;
}

function resolveWebhook(
	webhooks: IWebhookData[],
	method: string,
	opts: { path?: string; webhookName?: string; restart: boolean },
): ResolvedWebhook | undefined {
	const candidates = webhooks.filter(
		(w) =>
			w.httpMethod.toUpperCase() === method.toUpperCase() &&
			(opts.webhookName === undefined || w.webhookDescription.name === opts.webhookName) &&
			(w.webhookDescription.restartWebhook === true) === opts.restart,
	);
	if (opts.path === undefined) {
		const first = candidates[0];
		return first && { webhookData: first, path: first.path, params: {} };
	}
	const requested = opts.restart
		? opts.path.replace(/^\/+|\/+$/g, '')
		: normalizeRequestPath(opts.path);
	for (const candidate of candidates) {
		const params = matchPath(candidate.path, requested);
		if (params) return { webhookData: candidate, path: requested, params };
	}
	return undefined;
}

function evaluateDescription<T>(
	workflow: Workflow,
	node: INode,
	description: IWebhookDescription,
	name: string,
	mode: WorkflowExecuteMode,
	additionalKeys: IWorkflowDataProxyAdditionalKeys,
	defaultValue?: unknown,
	complex = false,
): T | undefined {
	const value = description[name] as string | undefined;
	if (complex) {
		return workflow.expression.getComplexParameterValue(
			node,
			value,
			mode,
			additionalKeys,
			undefined,
			defaultValue as never,
		) as T | undefined;
	}
	return workflow.expression.getSimpleParameterValue(
		node,
		value,
		mode,
		additionalKeys,
		undefined,
		defaultValue as never,
	) as T | undefined;
}

function lastNodeTaskData(run: RunResult): ITaskData | undefined {
	const lastNode = run.executionData.data.resultData.lastNodeExecuted;
	if (!lastNode) return undefined;
	const tasks = run.runData[lastNode];
	return tasks?.[tasks.length - 1];
}

async function respondLastNode(
	res: FakeResponse,
	run: RunResult,
	responseData: string | undefined,
	responseCode: number,
	headers: Record<string, string>,
	props: {
		responsePropertyName?: string;
		responseContentType?: string;
		responseBinaryPropertyName?: string;
	},
): Promise<void> {
	const task = lastNodeTaskData(run);
	if (run.executionData.data.resultData.error || task?.error !== undefined) {
		sendSuccess(res, { message: 'Error in workflow' }, 500);
		return;
	}
	if (task === undefined) {
		sendSuccess(
			res,
			{ message: 'Workflow executed successfully but the last node did not return any data' },
			responseCode,
			headers,
		);
		return;
	}
	const firstItem = task.data?.main?.[0]?.[0];
	if (responseData === 'firstEntryJson') {
		if (!firstItem) {
			sendError(res, { message: 'No item to return was found' });
			return;
		}
		let body: unknown = firstItem.json;
		if (props.responsePropertyName !== undefined) {
			body = props.responsePropertyName
				.split('.')
				.reduce<unknown>((acc, key) => (acc as Record<string, unknown> | undefined)?.[key], body);
		}
		const h = props.responseContentType
			? { ...headers, 'content-type': props.responseContentType }
			: headers;
		sendSuccess(res, body, responseCode, h);
		return;
	}
	if (responseData === 'firstEntryBinary') {
		if (!firstItem) return sendError(res, { message: 'No item was found to return' });
		if (!firstItem.binary) return sendError(res, { message: 'No binary data was found to return' });
		const property = props.responseBinaryPropertyName ?? 'data';
		const binary: IBinaryData | undefined = firstItem.binary[property];
		if (!binary) {
			return sendError(res, {
				message: `The binary property '${property}' which should be returned does not exist`,
			});
		}
		const buffer = binary.id
			? await (await getEnv()).binaryDataService.getAsBuffer(binary)
			: Buffer.from(binary.data, BINARY_ENCODING);
		sendSuccess(res, buffer, responseCode, { ...headers, 'content-type': binary.mimeType });
		return;
	}
	if (responseData === 'noData') {
		sendSuccess(res, undefined, responseCode, headers);
		return;
	}
	const all = (task.data?.main?.[0] ?? []).map((item) => item.json);
	sendSuccess(res, all, responseCode, headers);
}

function responseHeadersOf(
	workflow: Workflow,
	node: INode,
	description: IWebhookDescription,
	mode: WorkflowExecuteMode,
	additionalKeys: IWorkflowDataProxyAdditionalKeys,
): Record<string, string> {
	if (description.responseHeaders === undefined) return {};
	const evaluated = evaluateDescription<{ entries?: Array<{ name: string; value: string }> }>(
		workflow,
		node,
		description,
		'responseHeaders',
		mode,
		additionalKeys,
		undefined,
		true,
	);
	const out: Record<string, string> = {};
	for (const entry of evaluated?.entries ?? []) {
		if (entry?.name) out[entry.name.toLowerCase()] = String(entry.value ?? '');
	}
	return out;
}

interface Received {
	/** Set when the call is answered without (re)starting an execution. */
	done?: Partial<CallWebhookResult>;
	webhookUrl?: string;
	webhookResult?: IWebhookResponseData;
	webhookError?: unknown;
	responseMode?: string;
	responseCode?: number;
	responseData?: string;
	responseProps?: Parameters<typeof respondLastNode>[5];
	headers?: Record<string, string>;
}

/**
 * Delivers one HTTP request to a webhook node (or to the restart webhook of a waiting execution)
 * and returns what the caller would get, plus the execution it started.
 */
export async function callWebhook(opts: CallWebhookOptions): Promise<CallWebhookResult> {
	const json = asWorkflowJson(opts.workflow);
	const setup = await createSetup(opts.credentials, opts.extraNodeTypes, opts.extraCredentialTypes);
	const workflow = createWorkflow(json, setup.registry, opts.staticData);
	const res = new FakeResponse();
	const method = opts.method.toUpperCase();
	const secrets = setup.credentialsHelper.secrets();

	let mode: WorkflowExecuteMode = opts.mode ?? 'webhook';
	let executionId = opts.executionId ?? nextExecutionId();
	let runExecutionData: IRunExecutionData | null = null;
	let nodeName = opts.nodeName;

	const finish = (extra: Partial<CallWebhookResult> = {}): CallWebhookResult => ({
		statusCode: res.statusCode,
		body: res.decodedBody(),
		headers: res.flatHeaders(),
		rawBody: res.bodyBuffer,
		staticData: plainStaticData(workflow),
		...extra,
	});

	if (opts.resume) {
		const waiting = opts.resume;
		if (waiting.status !== 'waiting') {
			sendError(res, {
				httpStatusCode: 409,
				errorCode: 409,
				message: `The execution "${waiting.executionId}" has finished already.`,
			});
			return finish();
		}
		mode = waiting.executionData.mode;
		executionId = waiting.executionId;
		runExecutionData = deepCopy(waiting.executionData.data);
		nodeName = runExecutionData.resultData.lastNodeExecuted;
	}
	if (!nodeName) throw new Error('callWebhook needs nodeName (or resume)');

	const node = workflow.getNode(nodeName);
	if (!node) throw new Error(`Node "${nodeName}" is not in the workflow`);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);

	const additionalData = createAdditionalData({
		credentialsHelper: setup.credentialsHelper,
		executionId,
		workflowId: workflow.id,
		instanceBaseUrl: opts.webhookBaseUrl,
	});

	// Everything up to the node's answer evaluates expressions outside WorkflowExecute, so it runs
	// inside the workflow's expression isolate (needed with the `vm` engine, harmless with `legacy`).
	const receive = async (): Promise<Received> => {
		const isTest = mode === 'manual';
		const webhooks = getNodeWebhooks(workflow, node, additionalData, isTest);
		const resolved = resolveWebhook(webhooks, method, {
			path: opts.path ?? (opts.resume ? '' : undefined),
			webhookName: opts.webhookName,
			restart: opts.resume !== undefined,
		});
		if (!resolved) {
			const message = opts.resume
				? `The workflow for execution "${executionId}" does not contain a waiting webhook with a matching path/method.`
				: `The requested webhook "${method} ${opts.path ?? ''}" is not registered.`;
			sendError(res, { httpStatusCode: 404, errorCode: 404, message });
			return { done: {} };
		}
		const { webhookData } = resolved;
		const baseForUrl = isTest ? additionalData.webhookTestBaseUrl : additionalData.webhookBaseUrl;
		const webhookUrl = opts.resume
			? `${additionalData.webhookWaitingBaseUrl}/${executionId}${resolved.path ? `/${resolved.path}` : ''}`
			: `${baseForUrl}/${resolved.path}`;

		let req: FakeRequest;
		try {
			req = createRequest({
				method,
				path: new URL(webhookUrl).pathname,
				headers: opts.headers,
				query: opts.query,
				params: resolved.params,
				body: opts.body,
				rawBody: opts.rawBody,
				host: new URL(webhookUrl).host,
			});
		} catch (error) {
			if (error instanceof UnprocessableBodyError) {
				sendError(res, {
					httpStatusCode: 422,
					errorCode: 422,
					message: error.message,
					hint: error.hint,
				});
				return { done: { webhookUrl } };
			}
			throw error;
		}
		additionalData.httpRequest = req as never;
		additionalData.httpResponse = res as never;

		if (opts.resume && runExecutionData) {
			// As WaitingWebhooks does: disable the waiting node so it is not run again, clear
			// waitTill, and drop its "waiting" run entry.
			const stack = runExecutionData.executionData?.nodeExecutionStack ?? [];
			if (stack[0]) stack[0].node.disabled = true;
			runExecutionData.waitTill = undefined;
			runExecutionData.resultData.runData[node.name]?.pop();
			additionalData.restartExecutionId = executionId;
		}

		const additionalKeys: IWorkflowDataProxyAdditionalKeys = { $executionId: executionId };
		const description = webhookData.webhookDescription;
		const evaluate = <T>(name: string, defaultValue?: unknown, complex = false) =>
			evaluateDescription<T>(
				workflow,
				node,
				description,
				name,
				mode,
				additionalKeys,
				defaultValue,
				complex,
			);
		const responseMode = evaluate<string>('responseMode', 'onReceived') ?? 'onReceived';
		const responseCode = evaluate<number>('responseCode', 200) ?? 200;
		// n8n's default; note that `onReceived` answers with a declared responseData as the body.
		const responseData = evaluate<string>('responseData', 'firstEntryJson', true);
		const responseProps = {
			responsePropertyName: evaluate<string>('responsePropertyName'),
			responseContentType: evaluate<string>('responseContentType'),
			responseBinaryPropertyName: evaluate<string>('responseBinaryPropertyName', 'data'),
		};

		let webhookResult: IWebhookResponseData;
		let webhookError: unknown;
		try {
			if (!nodeType.webhook) throw new Error(`Node "${node.name}" has no webhook() method`);
			const context = new WebhookContext(
				workflow,
				node,
				additionalData,
				mode,
				webhookData,
				[],
				runExecutionData,
			);
			webhookResult = (await nodeType.webhook.call(context)) as IWebhookResponseData;
		} catch (error) {
			webhookError = error;
			if (!res.headersSent) {
				sendError(res, { message: 'Workflow Webhook Error: Workflow could not be started!' });
			}
			if (opts.resume) {
				return { done: { webhookUrl, webhookError: summarizeError(error, secrets) } };
			}
			webhookResult = { noWebhookResponse: true, workflowData: [[{ json: {} }]] };
		}
		const headers = responseHeadersOf(workflow, node, description, mode, additionalKeys);
		return {
			webhookUrl,
			webhookResult,
			webhookError,
			responseMode,
			responseCode,
			responseData,
			responseProps,
			headers,
		};
	};

	const received = await workflow.expression.withIsolate(receive);
	if (received.done) return finish(received.done);
	const { webhookUrl, webhookError, responseMode, responseData } = received;
	const webhookResult = received.webhookResult!;
	const headers = received.headers ?? {};
	const responseCode = received.responseCode ?? 200;

	if (!res.headersSent) res.header(headers);
	let responded = res.headersSent;

	if (webhookResult.workflowData === undefined) {
		if (!responded && webhookResult.noWebhookResponse !== true) {
			sendSuccess(
				res,
				webhookResult.webhookResponse !== undefined
					? webhookResult.webhookResponse
					: { message: 'Webhook call received' },
				responseCode,
			);
		} else if (webhookResult.noWebhookResponse === true) {
			await res.waitForEnd(opts.responseTimeoutMs ?? 2000);
		}
		return finish({ webhookUrl, webhookResponse: webhookResult });
	}

	// The node's output starts (or resumes) the execution.
	const workflowData = webhookResult.workflowData;
	if (runExecutionData) {
		const stack = runExecutionData.executionData!.nodeExecutionStack;
		stack[0].data.main = workflowData;
		stack[0].metadata = { ...stack[0].metadata, forwardAllOutputs: true };
	} else {
		const nodeExecutionStack: IExecuteData[] = [
			{ node, data: { main: workflowData }, source: null },
		];
		runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack } });
		if (webhookError !== undefined) {
			// n8n records the webhook's error so the execution fails with it.
			runExecutionData.resultData = {
				...runExecutionData.resultData,
				runData: {},
				lastNodeExecuted: node.name,
				error: {
					...(webhookError as object),
					message: (webhookError as Error).message,
					stack: (webhookError as Error).stack,
				} as never,
			};
		}
	}

	if (webhookResult.noWebhookResponse === true) responded = true;
	if (!responded && responseMode === 'onReceived') {
		const body =
			responseData === 'noData'
				? undefined
				: responseData
					? responseData
					: webhookResult.webhookResponse !== undefined
						? webhookResult.webhookResponse
						: { message: 'Workflow was started' };
		sendSuccess(res, body, responseCode, headers);
		responded = true;
	}

	const run = await executeWorkflow({
		setup,
		json: json as WorkflowJson,
		workflow,
		mode,
		executionId,
		runExecutionData,
		timeoutMs: opts.timeoutMs,
		cancelAfterMs: opts.cancelAfterMs,
		webhookBaseUrl: opts.webhookBaseUrl,
		decorateAdditionalData: (data) => {
			if (opts.resume) data.restartExecutionId = executionId;
		},
	});

	if (!responded && !res.headersSent) {
		if (responseMode === 'lastNode') {
			await respondLastNode(
				res,
				run,
				responseData,
				responseCode,
				headers,
				received.responseProps ?? {},
			);
		} else {
			// responseNode / streaming need n8n's Respond to Webhook node or a streaming response,
			// which the harness does not emulate: answer like n8n when no node responded.
			sendSuccess(res, undefined, responseCode, headers);
		}
	} else if (!res.writableFinished) {
		await res.waitForEnd(opts.responseTimeoutMs ?? 2000);
	}

	return finish({
		webhookUrl,
		run,
		workflowData,
		webhookResponse: webhookResult,
		...(webhookError !== undefined ? { webhookError: summarizeError(webhookError, secrets) } : {}),
	});
}

export interface WebhookSetupOptions {
	workflow: object;
	nodeName: string;
	credentials?: HarnessCredentials;
	webhookBaseUrl?: string;
	staticData?: IDataObject;
	extraNodeTypes?: Record<string, INodeType | IVersionedNodeType>;
	extraCredentialTypes?: Record<string, ICredentialType>;
	/** `trigger` (production activation, default) or `manual` (test webhook while listening). */
	mode?: WorkflowExecuteMode;
	activation?: WorkflowActivateMode;
	/** Which webhook description (default `default`). */
	webhookName?: string;
}

export interface WebhookSetupResult {
	/** What the method returned (checkExists: boolean; create/delete: usually boolean). */
	result: boolean | undefined;
	staticData: IDataObject;
	webhookUrl?: string;
}

async function prepareHook(opts: WebhookSetupOptions): Promise<{
	setup: HarnessSetup;
	json: WorkflowJson;
	workflow: Workflow;
	node: INode;
	webhookData: IWebhookData;
	mode: WorkflowExecuteMode;
}> {
	const json = asWorkflowJson(opts.workflow);
	const setup = await createSetup(opts.credentials, opts.extraNodeTypes, opts.extraCredentialTypes);
	const workflow = createWorkflow(json, setup.registry, opts.staticData);
	const node = workflow.getNode(opts.nodeName);
	if (!node) throw new Error(`Node "${opts.nodeName}" is not in the workflow`);
	const mode = opts.mode ?? 'trigger';
	const additionalData = createAdditionalData({
		credentialsHelper: setup.credentialsHelper,
		workflowId: workflow.id,
		instanceBaseUrl: opts.webhookBaseUrl,
	});
	const all = await workflow.expression.withIsolate(async () =>
		getNodeWebhooks(workflow, node, additionalData, mode === 'manual'),
	);
	const webhooks = all.filter(
		(w) =>
			w.webhookDescription.name === (opts.webhookName ?? 'default') &&
			!w.webhookDescription.restartWebhook,
	);
	if (!webhooks[0])
		throw new Error(`Node "${opts.nodeName}" has no webhook "${opts.webhookName ?? 'default'}"`);
	return { setup, json, workflow, node, webhookData: webhooks[0], mode };
}

/** Runs one of the node's `webhookMethods[name][method]` with a `HookContext`, as n8n does on (de)activation. */
export async function runWebhookMethod(
	opts: WebhookSetupOptions & { method: WebhookSetupMethodNames },
): Promise<WebhookSetupResult> {
	const { workflow, node, webhookData, mode } = await prepareHook(opts);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const fn = nodeType.webhookMethods?.[webhookData.webhookDescription.name]?.[opts.method];
	const context = new HookContext(
		workflow,
		node,
		webhookData.workflowExecuteAdditionalData,
		mode,
		opts.activation ?? (mode === 'manual' ? 'manual' : 'activate'),
		webhookData,
	);
	return await workflow.expression.withIsolate(async () => {
		const webhookUrl = context.getNodeWebhookUrl(webhookData.webhookDescription.name);
		const result = fn === undefined ? undefined : ((await fn.call(context)) as boolean);
		return { result, staticData: plainStaticData(workflow), webhookUrl };
	});
}

/** Activation as n8n does it: `checkExists`, then `create` when it returned false. */
export async function activateWebhook(
	opts: WebhookSetupOptions,
): Promise<WebhookSetupResult & { existed: boolean | undefined; created: boolean }> {
	const check = await runWebhookMethod({ ...opts, method: 'checkExists' });
	if (check.result) return { ...check, existed: true, created: false };
	const create = await runWebhookMethod({
		...opts,
		method: 'create',
		staticData: check.staticData,
	});
	return { ...create, existed: check.result, created: true };
}

/** Deactivation as n8n does it: `delete`. */
export async function deactivateWebhook(opts: WebhookSetupOptions): Promise<WebhookSetupResult> {
	return await runWebhookMethod({ ...opts, method: 'delete' });
}
