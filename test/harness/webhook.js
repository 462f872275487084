// @ts-check
'use strict';
/**
 * HTTP calls to a node's webhook in-process, the way n8n's webhook layer (`WebhookService` +
 * `WebhookHelpers.executeWebhook`, and `WaitingWebhooks` for a waiting execution's resume URL)
 * delivers them: a `WebhookContext` with the request, the node's `webhook()`, the answer, and with
 * `workflowData` the run from that node on. Also activation (`checkExists` → `create`).
 *
 * Only what this package's webhooks use is emulated: static webhook descriptions, response mode
 * `onReceived`, nodes answering through `getResponseObject().status(code).json(body)`.
 */
const { EventEmitter } = require('node:events');

const { HookContext, WebhookContext } = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').IHttpRequestMethods} IHttpRequestMethods
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').IRunExecutionData} IRunExecutionData
 * @typedef {import('n8n-workflow').IWebhookData} IWebhookData
 * @typedef {import('n8n-workflow').IWebhookResponseData} IWebhookResponseData
 * @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 * @typedef {import('./credentials').HarnessCredentials} HarnessCredentials
 * @typedef {import('./run').RunOptions} RunOptions
 * @typedef {import('./run').RunResult} RunResult
 * @typedef {import('./run').Setup} Setup
 */
const { NodeHelpers, createRunExecutionData, deepCopy } = require('n8n-workflow');

const { createSetup, executeWorkflow, nextExecutionId, summarizeError } = require('./run');

/**
 * @typedef {object} CallWebhookOptions
 * @property {object} workflow workflow JSON as exported by n8n
 * @property {string} [nodeName] the node that receives the call (not needed with `resume`)
 * @property {'POST' | 'GET' | IHttpRequestMethods} method
 * @property {string} [path] the URL path (`/webhook/<webhookId>/<path>`, or without `/webhook/`); a path the node does not serve gets a 404
 * @property {Record<string, string>} [headers]
 * @property {Record<string, string>} [query]
 * @property {unknown} [body] parsed JSON body (a string is a text/plain body)
 * @property {Buffer} [rawBody] raw body bytes, parsed by content-type (JSON or text)
 * @property {HarnessCredentials} [credentials]
 * @property {string} [webhookBaseUrl] instance base URL (n8n's WEBHOOK_URL)
 * @property {IDataObject} [staticData] workflow static data before the call; the result has it after
 * @property {RunOptions['extraNodeTypes']} [extraNodeTypes]
 * @property {'webhook' | 'manual'} [mode] `webhook` = production URL (default), `manual` = test URL
 * @property {RunResult} [resume] a `waiting` run: the call goes to its resume URL (the node's restart webhook)
 * @property {number} [timeoutMs]
 */

/**
 * @typedef {object} CallWebhookResult
 * @property {number} statusCode
 * @property {unknown} body the JSON (or text) answer; undefined when empty
 * @property {Buffer} rawBody the answer's bytes
 * @property {RunResult} [run] the execution the call started or resumed
 * @property {INodeExecutionData[][]} [workflowData] what `webhook()` returned as `workflowData`
 * @property {RunError} [webhookError] what `webhook()` threw (the caller got a 500)
 * @property {IDataObject} staticData workflow static data after the call
 */
/** @typedef {import('./run').RunError} RunError */

/**
 * The node's webhook for this method (its restart webhook when resuming), as n8n registers it.
 * @param {Setup} setup
 * @param {INode} node
 * @param {{ method: string; mode: WorkflowExecuteMode; restart: boolean; additionalData: IWorkflowExecuteAdditionalData }} opts
 * @returns {IWebhookData | undefined}
 */
function findWebhook(setup, node, opts) {
	const { workflow } = setup;
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const description = (nodeType.description.webhooks ?? []).find(
		(w) =>
			String(w.httpMethod).toUpperCase() === opts.method.toUpperCase() &&
			(w.restartWebhook === true) === opts.restart,
	);
	if (!description) return undefined;
	return {
		httpMethod: /** @type {IHttpRequestMethods} */ (opts.method.toUpperCase()),
		node: node.name,
		path: NodeHelpers.getNodeWebhookPath(
			workflow.id,
			node,
			String(description.path).replace(/^\/+|\/+$/g, ''),
			description.isFullPath === true,
			opts.restart,
		),
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: opts.additionalData,
		isTest: opts.mode === 'manual',
	};
}

/**
 * What the node's `webhook()` reads of an express request: body, headers, query, params.
 * @param {CallWebhookOptions} opts
 */
function createRequest(opts) {
	const headers = Object.fromEntries(
		Object.entries(opts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
	);
	/** @type {unknown} */ let body = opts.body ?? {};
	if (opts.rawBody) {
		const text = opts.rawBody.toString('utf8');
		const type = headers['content-type'] ?? '';
		body = type.includes('json') ? JSON.parse(text) : type.startsWith('text/') ? text : {};
	}
	return { method: opts.method, headers, query: { ...opts.query }, params: {}, body };
}

/** The express response, as far as the nodes (and test/trigger.test.ts) use it: `status(code).json(body)`, 'finish'. */
function createResponse() {
	const res = Object.assign(new EventEmitter(), {
		statusCode: 200,
		headersSent: false,
		/** @type {unknown} */ body: undefined,
		/** @param {number} code */
		status(code) {
			res.statusCode = code;
			return res;
		},
		/** @param {unknown} data */
		json(data) {
			res.body = data;
			res.headersSent = true;
			res.emit('finish');
			return res;
		},
		/** n8n's `sendErrorResponse` @param {number} code @param {string} message */
		fail: (code, message) => res.status(code).json({ code: code === 500 ? 0 : code, message }),
	});
	return res;
}

/**
 * Delivers one HTTP request to a webhook node, or to the resume URL of a waiting execution, and
 * returns what the caller would get, plus the execution it started.
 * @param {CallWebhookOptions} opts
 * @returns {Promise<CallWebhookResult>}
 */
async function callWebhook(opts) {
	const setup = await createSetup(opts);
	const { workflow } = setup;
	const secrets = setup.credentialsHelper.secrets();
	const res = createResponse();
	/** @param {Partial<CallWebhookResult>} [extra] @returns {CallWebhookResult} */
	const finish = (extra) => ({
		statusCode: res.statusCode,
		body: res.body,
		rawBody: Buffer.from(
			typeof res.body === 'string' ? res.body : (JSON.stringify(res.body) ?? ''),
		),
		staticData: setup.plainStaticData(),
		...extra,
	});

	const { resume } = opts;
	/** @type {WorkflowExecuteMode} */ let mode = opts.mode ?? 'webhook';
	let executionId = nextExecutionId();
	/** @type {IRunExecutionData | null} */ let runExecutionData = null;
	let nodeName = opts.nodeName;
	if (resume) {
		if (resume.status !== 'waiting') {
			res.fail(409, `The execution "${resume.executionId}" has finished already.`);
			return finish();
		}
		mode = resume.executionData.mode;
		executionId = resume.executionId;
		runExecutionData = deepCopy(resume.executionData.data);
		nodeName = runExecutionData.resultData.lastNodeExecuted;
	}
	const node = nodeName ? workflow.getNode(nodeName) : null;
	if (!node) throw new Error(`callWebhook: no node "${nodeName}" in the workflow`);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);

	const additionalData = setup.additionalData(executionId);
	const webhookData = findWebhook(setup, node, {
		method: opts.method,
		mode,
		restart: resume !== undefined,
		additionalData,
	});
	const requested = opts.path
		?.split('?')[0]
		.replace(/^\/+|\/+$/g, '')
		.replace(/^webhook(-test)?\//, '');
	if (!webhookData || (requested !== undefined && requested !== webhookData.path)) {
		res.fail(404, `The requested webhook "${opts.method} ${opts.path ?? ''}" is not registered.`);
		return finish();
	}
	additionalData.httpRequest = /** @type {never} */ (createRequest(opts));
	additionalData.httpResponse = /** @type {never} */ (res);
	if (resume && runExecutionData) {
		// As WaitingWebhooks does: the waiting node is not run again, and its "waiting" run goes.
		const stack = runExecutionData.executionData?.nodeExecutionStack ?? [];
		if (stack[0]) stack[0].node.disabled = true;
		runExecutionData.waitTill = undefined;
		runExecutionData.resultData.runData[node.name]?.pop();
		additionalData.restartExecutionId = executionId;
	}

	/** @type {IWebhookResponseData} */ let answer;
	/** @type {unknown} */ let webhookError;
	try {
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			mode,
			webhookData,
			[],
			runExecutionData,
		);
		answer = await workflow.expression.withIsolate(
			async () => await /** @type {Function} */ (nodeType.webhook).call(context),
		);
	} catch (error) {
		webhookError = error;
		if (!res.headersSent) res.fail(500, 'Workflow Webhook Error: Workflow could not be started!');
		if (resume) return finish({ webhookError: summarizeError(error, secrets) });
		// n8n still starts the execution, which fails with the webhook's error.
		answer = { noWebhookResponse: true, workflowData: [[{ json: {} }]] };
	}

	const { workflowData } = answer;
	if (workflowData === undefined) {
		if (!res.headersSent && answer.noWebhookResponse !== true) {
			res.json(answer.webhookResponse ?? { message: 'Webhook call received' });
		}
		return finish();
	}
	if (runExecutionData?.executionData) {
		const [waiting] = runExecutionData.executionData.nodeExecutionStack;
		waiting.data.main = workflowData;
		waiting.metadata = { ...waiting.metadata, forwardAllOutputs: true };
	} else {
		runExecutionData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: workflowData }, source: null }] },
		});
		if (webhookError) {
			const { message, stack } = /** @type {Error} */ (webhookError);
			runExecutionData.resultData.lastNodeExecuted = node.name;
			runExecutionData.resultData.error = /** @type {never} */ ({
				.../** @type {object} */ (webhookError),
				message,
				stack,
			});
		}
	}
	if (!res.headersSent && answer.noWebhookResponse !== true) {
		// Response mode onReceived. n8n evaluates `responseData` with the default 'firstEntryJson' and
		// sends a truthy value as the body, so a description without it answers that text.
		const responseData = webhookData.webhookDescription.responseData ?? 'firstEntryJson';
		res.json(responseData === 'noData' ? undefined : responseData);
	}
	const run = await executeWorkflow(setup, {
		mode,
		executionId,
		runExecutionData,
		timeoutMs: opts.timeoutMs,
		decorate: (data) => {
			if (resume) data.restartExecutionId = executionId;
		},
	});
	return finish({
		run,
		workflowData,
		...(webhookError ? { webhookError: summarizeError(webhookError, secrets) } : {}),
	});
}

/**
 * Activation as n8n does it: the node's `webhookMethods.default.checkExists`, then `create` when
 * it returned false, in a `HookContext`. Rejects with what `create` threw.
 * @param {{ workflow: object; nodeName: string; credentials?: HarnessCredentials; extraNodeTypes?: RunOptions['extraNodeTypes']; webhookBaseUrl?: string; staticData?: IDataObject }} opts
 * @returns {Promise<{ created: boolean; webhookUrl: string; staticData: IDataObject }>}
 */
async function activateWebhook(opts) {
	const setup = await createSetup(opts);
	const { workflow } = setup;
	const node = workflow.getNode(opts.nodeName);
	if (!node) throw new Error(`activateWebhook: no node "${opts.nodeName}" in the workflow`);
	const additionalData = setup.additionalData();
	const webhookData = findWebhook(setup, node, {
		method: 'POST',
		mode: 'trigger',
		restart: false,
		additionalData,
	});
	if (!webhookData) throw new Error(`Node "${opts.nodeName}" has no POST webhook`);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const methods = nodeType.webhookMethods?.[webhookData.webhookDescription.name];
	const context = new HookContext(
		workflow,
		node,
		additionalData,
		'trigger',
		'activate',
		webhookData,
	);
	return await workflow.expression.withIsolate(async () => {
		const webhookUrl = String(context.getNodeWebhookUrl(webhookData.webhookDescription.name));
		const exists = await methods?.checkExists?.call(context);
		const created = !exists && (await methods?.create?.call(context)) === true;
		return { created, webhookUrl, staticData: setup.plainStaticData() };
	});
}

module.exports = { callWebhook, activateWebhook };
