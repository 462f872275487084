// @ts-check
'use strict';
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
const { HookContext, WebhookContext } = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').IBinaryData} IBinaryData
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').IDataObject} IDataObject
 * @typedef {import('n8n-workflow').IExecuteData} IExecuteData
 * @typedef {import('n8n-workflow').IHttpRequestMethods} IHttpRequestMethods
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').IRunExecutionData} IRunExecutionData
 * @typedef {import('n8n-workflow').ITaskData} ITaskData
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {import('n8n-workflow').IWebhookData} IWebhookData
 * @typedef {import('n8n-workflow').IWebhookDescription} IWebhookDescription
 * @typedef {import('n8n-workflow').IWebhookResponseData} IWebhookResponseData
 * @typedef {import('n8n-workflow').IWorkflowDataProxyAdditionalKeys} IWorkflowDataProxyAdditionalKeys
 * @typedef {import('n8n-workflow').WebhookSetupMethodNames} WebhookSetupMethodNames
 * @typedef {import('n8n-workflow').Workflow} Workflow
 * @typedef {import('n8n-workflow').WorkflowActivateMode} WorkflowActivateMode
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 */
const { NodeHelpers, createRunExecutionData, deepCopy, BINARY_ENCODING } = require('n8n-workflow');

/**
 * @typedef {import('./context').HarnessSetup} HarnessSetup
 * @typedef {import('./context').WorkflowJson} WorkflowJson
 */
const {
	asWorkflowJson,
	createAdditionalData,
	createSetup,
	createWorkflow,
	nextExecutionId,
} = require('./context');
/**
 * @typedef {import('./credentials').HarnessCredentials} HarnessCredentials
 */
const { getEnv } = require('./env');
/**
 * @typedef {import('./http').FakeRequest} FakeRequest
 */
const {
	FakeResponse,
	UnprocessableBodyError,
	createRequest,
	sendError,
	sendSuccess,
} = require('./http');
/**
 * @typedef {import('./run').RunResult} RunResult
 */
const { executeWorkflow, summarizeError } = require('./run');

/**
 * @typedef {object} CallWebhookOptions
 * @property {object} workflow Workflow JSON as exported by n8n.
 * @property {string} [nodeName] The webhook/trigger node that receives the call. Not needed with `resume`.
 * @property {'POST' | 'GET' | IHttpRequestMethods} method
 * @property {string} [path] Request path. Either the webhook path (`<webhookId>/<path>`, `<workflowId>/<node>/<path>`), the same prefixed with `/webhook/` (or `/webhook-test/`), or, with `resume`, the waiting webhook suffix. Default: the node's own path. Path parameters (`:id`) are filled into `params`.
 * @property {Record<string, string>} [headers]
 * @property {Record<string, string>} [query]
 * @property {unknown} [body] Parsed JSON body (sent as application/json unless a content-type header says otherwise).
 * @property {Buffer} [rawBody] Raw body bytes; parsed by content-type like n8n does (JSON, form-urlencoded, text).
 * @property {HarnessCredentials} [credentials]
 * @property {string} [webhookBaseUrl] Instance base URL (n8n's WEBHOOK_URL), default http:
 * @property {IDataObject} [staticData] Workflow static data (e.g. what `create` stored). Returned updated in the result.
 * @property {Record<string, INodeType | IVersionedNodeType>} [extraNodeTypes]
 * @property {Record<string, ICredentialType>} [extraCredentialTypes]
 * @property {WorkflowExecuteMode} [mode] `webhook` = production URL (default), `manual` = test URL (webhook-test).
 * @property {string} [webhookName] Which of the node's webhooks (description `webhooks[].name`), default: any matching method.
 * @property {RunResult} [resume] Resume this waiting execution (a `waiting` RunResult) through the node's restart webhook.
 * @property {string} [executionId]
 * @property {number} [timeoutMs]
 * @property {number} [cancelAfterMs]
 * @property {number} [responseTimeoutMs] How long to wait for a node that answers the request itself to end the response. Default 2000.
 */

/**
 * @typedef {object} CallWebhookResult
 * @property {number} statusCode
 * @property {unknown} body Parsed JSON, text, or a Buffer for binary bodies; undefined when empty.
 * @property {Record<string, string>} headers
 * @property {Buffer} rawBody
 * @property {RunResult} [run] The execution, if one started (or was resumed).
 * @property {INodeExecutionData[][]} [workflowData] What `webhook()` returned as `workflowData`.
 * @property {IWebhookResponseData} [webhookResponse] What `webhook()` returned.
 * @property {ReturnType<typeof summarizeError>} [webhookError] The error `webhook()` threw, if any (the caller got a 500).
 * @property {IDataObject} staticData Workflow static data after the call.
 * @property {string} [webhookUrl] The URL the node's webhook is reachable at.
 */

/**
 * @typedef {object} ResolvedWebhook
 * @property {IWebhookData} webhookData
 * @property {string} path
 * @property {Record<string, string>} params
 */

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
 * The node's webhooks, as `WebhookService.getNodeWebhooks` lists them.
 * @param {Workflow} workflow
 * @param {INode} node
 * @param {ReturnType<typeof createAdditionalData>} additionalData
 * @param {boolean} isTest
 * @returns {IWebhookData[]}
 */
function getNodeWebhooks(workflow, node, additionalData, isTest) {
	if (node.disabled === true) return [];
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	/** @type {IWebhookData[]} */ const out = [];
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
		const isFullPath = /** @type {boolean} */ (
			workflow.expression.getSimpleParameterValue(
				node,
				webhookDescription.isFullPath,
				'internal',
				{},
				undefined,
				false,
			)
		);
		const restartWebhook = /** @type {boolean} */ (
			workflow.expression.getSimpleParameterValue(
				node,
				webhookDescription.restartWebhook,
				'internal',
				{},
				undefined,
				false,
			)
		);
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
				httpMethod: /** @type {IHttpRequestMethods} */ (httpMethod.trim()),
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

/**
 * @param {string} path
 * @returns {string}
 */
function normalizeRequestPath(path) {
	let p = path.split('?')[0].replace(/^\/+/, '');
	for (const prefix of ['webhook-test/', 'webhook-waiting/', 'webhook/']) {
		if (p.startsWith(prefix)) {
			p = p.slice(prefix.length);
			break;
		}
	}
	return p.replace(/\/+$/, '');
}

/**
 * Matches `a/:id/b` against `a/42/b`; returns the params or undefined.
 * @param {string} pattern
 * @param {string} actual
 * @returns {Record<string, string> | undefined}
 */
function matchPath(pattern, actual) {
	const patternParts = pattern.split('/');
	const actualParts = actual.split('/');
	if (patternParts.length !== actualParts.length) return undefined;
	/** @type {Record<string, string>} */ const params = {};
	for (let i = 0; i < patternParts.length; i++) {
		const p = patternParts[i];
		if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(actualParts[i]);
		else if (p !== actualParts[i]) return undefined;
	}
	return params;
}

/**
 * @param {IWebhookData[]} webhooks
 * @param {string} method
 * @param {{ path?: string; webhookName?: string; restart: boolean }} opts
 * @returns {ResolvedWebhook | undefined}
 */
function resolveWebhook(webhooks, method, opts) {
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

/**
 * @template T
 * @param {Workflow} workflow
 * @param {INode} node
 * @param {IWebhookDescription} description
 * @param {string} name
 * @param {WorkflowExecuteMode} mode
 * @param {IWorkflowDataProxyAdditionalKeys} additionalKeys
 * @param {unknown} [defaultValue]
 * @returns {T | undefined}
 */
function evaluateDescription(
	workflow,
	node,
	description,
	name,
	mode,
	additionalKeys,
	defaultValue,
	complex = false,
) {
	const value = /** @type {string | undefined} */ (description[name]);
	if (complex) {
		return /** @type {T | undefined} */ (
			workflow.expression.getComplexParameterValue(
				node,
				value,
				mode,
				additionalKeys,
				undefined,
				/** @type {never} */ (defaultValue),
			)
		);
	}
	return /** @type {T | undefined} */ (
		workflow.expression.getSimpleParameterValue(
			node,
			value,
			mode,
			additionalKeys,
			undefined,
			/** @type {never} */ (defaultValue),
		)
	);
}

/**
 * @param {RunResult} run
 * @returns {ITaskData | undefined}
 */
function lastNodeTaskData(run) {
	const lastNode = run.executionData.data.resultData.lastNodeExecuted;
	if (!lastNode) return undefined;
	const tasks = run.runData[lastNode];
	return tasks?.[tasks.length - 1];
}

/**
 * @param {FakeResponse} res
 * @param {RunResult} run
 * @param {string | undefined} responseData
 * @param {number} responseCode
 * @param {Record<string, string>} headers
 * @param {{ responsePropertyName?: string; responseContentType?: string; responseBinaryPropertyName?: string; }} props
 * @returns {Promise<void>}
 */
async function respondLastNode(res, run, responseData, responseCode, headers, props) {
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
		/** @type {unknown} */ let body = firstItem.json;
		if (props.responsePropertyName !== undefined) {
			body = props.responsePropertyName.split('.').reduce(
				/** @type {(acc: unknown, key: string) => unknown} */
				(acc, key) => /** @type {Record<string, unknown> | undefined} */ (acc)?.[key],
				body,
			);
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
		/** @type {IBinaryData | undefined} */ const binary = firstItem.binary[property];
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

/**
 * @param {Workflow} workflow
 * @param {INode} node
 * @param {IWebhookDescription} description
 * @param {WorkflowExecuteMode} mode
 * @param {IWorkflowDataProxyAdditionalKeys} additionalKeys
 * @returns {Record<string, string>}
 */
function responseHeadersOf(workflow, node, description, mode, additionalKeys) {
	if (description.responseHeaders === undefined) return {};
	const evaluated = evaluateDescription(
		workflow,
		node,
		description,
		'responseHeaders',
		mode,
		additionalKeys,
		undefined,
		true,
	);
	/** @type {Record<string, string>} */ const out = {};
	for (const entry of evaluated?.entries ?? []) {
		if (entry?.name) out[entry.name.toLowerCase()] = String(entry.value ?? '');
	}
	return out;
}

/**
 * @typedef {object} Received
 * @property {Partial<CallWebhookResult>} [done] Set when the call is answered without (re)starting an execution.
 * @property {string} [webhookUrl]
 * @property {IWebhookResponseData} [webhookResult]
 * @property {unknown} [webhookError]
 * @property {string} [responseMode]
 * @property {number} [responseCode]
 * @property {string} [responseData]
 * @property {Parameters<typeof respondLastNode>[5]} [responseProps]
 * @property {Record<string, string>} [headers]
 */

/**
 * Delivers one HTTP request to a webhook node (or to the restart webhook of a waiting execution)
 * and returns what the caller would get, plus the execution it started.
 * @param {CallWebhookOptions} opts
 * @returns {Promise<CallWebhookResult>}
 */
async function callWebhook(opts) {
	const json = asWorkflowJson(opts.workflow);
	const setup = await createSetup(opts.credentials, opts.extraNodeTypes, opts.extraCredentialTypes);
	const workflow = createWorkflow(json, setup.registry, opts.staticData);
	const res = new FakeResponse();
	const method = opts.method.toUpperCase();
	const secrets = setup.credentialsHelper.secrets();

	/** @type {WorkflowExecuteMode} */ let mode = opts.mode ?? 'webhook';
	let executionId = opts.executionId ?? nextExecutionId();
	/** @type {IRunExecutionData | null} */ let runExecutionData = null;
	let nodeName = opts.nodeName;

	/**
	 * @param {Partial<CallWebhookResult>} [extra]
	 * @returns {CallWebhookResult}
	 */
	const finish = (extra = {}) => ({
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
	/** @returns {Promise<Received>} */ const receive = async () => {
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

		/** @type {FakeRequest} */ let req;
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
		additionalData.httpRequest = /** @type {never} */ (req);
		additionalData.httpResponse = /** @type {never} */ (res);

		if (opts.resume && runExecutionData) {
			// As WaitingWebhooks does: disable the waiting node so it is not run again, clear
			// waitTill, and drop its "waiting" run entry.
			const stack = runExecutionData.executionData?.nodeExecutionStack ?? [];
			if (stack[0]) stack[0].node.disabled = true;
			runExecutionData.waitTill = undefined;
			runExecutionData.resultData.runData[node.name]?.pop();
			additionalData.restartExecutionId = executionId;
		}

		/** @type {IWorkflowDataProxyAdditionalKeys} */ const additionalKeys = {
			$executionId: executionId,
		};
		const description = webhookData.webhookDescription;
		/**
		 * @param {string} name
		 * @param {unknown} [defaultValue]
		 */
		const evaluate = (name, defaultValue, complex = false) =>
			evaluateDescription(
				workflow,
				node,
				description,
				name,
				mode,
				additionalKeys,
				defaultValue,
				complex,
			);
		const responseMode =
			/** @type {string | undefined} */ (evaluate('responseMode', 'onReceived')) ?? 'onReceived';
		const responseCode = /** @type {number | undefined} */ (evaluate('responseCode', 200)) ?? 200;
		// n8n's default; note that `onReceived` answers with a declared responseData as the body.
		const responseData = /** @type {string | undefined} */ (
			evaluate('responseData', 'firstEntryJson', true)
		);
		const responseProps = {
			responsePropertyName: /** @type {string | undefined} */ (evaluate('responsePropertyName')),
			responseContentType: /** @type {string | undefined} */ (evaluate('responseContentType')),
			responseBinaryPropertyName: /** @type {string | undefined} */ (
				evaluate('responseBinaryPropertyName', 'data')
			),
		};

		/** @type {IWebhookResponseData} */ let webhookResult;
		/** @type {unknown} */ let webhookError;
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
			webhookResult = /** @type {IWebhookResponseData} */ (await nodeType.webhook.call(context));
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
	const webhookResult = /** @type {IWebhookResponseData} */ (received.webhookResult);
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
		const stack = /** @type {NonNullable<typeof runExecutionData.executionData>} */ (
			runExecutionData.executionData
		).nodeExecutionStack;
		stack[0].data.main = workflowData;
		stack[0].metadata = { ...stack[0].metadata, forwardAllOutputs: true };
	} else {
		/** @type {IExecuteData[]} */ const nodeExecutionStack = [
			{ node, data: { main: workflowData }, source: null },
		];
		runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack } });
		if (webhookError !== undefined) {
			// n8n records the webhook's error so the execution fails with it.
			runExecutionData.resultData = {
				...runExecutionData.resultData,
				runData: {},
				lastNodeExecuted: node.name,
				error: /** @type {never} */ ({
					.../** @type {object} */ (webhookError),
					message: /** @type {Error} */ (webhookError).message,
					stack: /** @type {Error} */ (webhookError).stack,
				}),
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
		json: /** @type {WorkflowJson} */ (json),
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

/**
 * @typedef {object} WebhookSetupOptions
 * @property {object} workflow
 * @property {string} nodeName
 * @property {HarnessCredentials} [credentials]
 * @property {string} [webhookBaseUrl]
 * @property {IDataObject} [staticData]
 * @property {Record<string, INodeType | IVersionedNodeType>} [extraNodeTypes]
 * @property {Record<string, ICredentialType>} [extraCredentialTypes]
 * @property {WorkflowExecuteMode} [mode] `trigger` (production activation, default) or `manual` (test webhook while listening).
 * @property {WorkflowActivateMode} [activation]
 * @property {string} [webhookName] Which webhook description (default `default`).
 */

/**
 * @typedef {object} WebhookSetupResult
 * @property {boolean | undefined} result What the method returned (checkExists: boolean; create/delete: usually boolean).
 * @property {IDataObject} staticData
 * @property {string} [webhookUrl]
 */

/**
 * @param {WebhookSetupOptions} opts
 * @returns {Promise<{ setup: HarnessSetup; json: WorkflowJson; workflow: Workflow; node: INode; webhookData: IWebhookData; mode: WorkflowExecuteMode; }>}
 */
async function prepareHook(opts) {
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

/**
 * Runs one of the node's `webhookMethods[name][method]` with a `HookContext`, as n8n does on (de)activation.
 * @param {WebhookSetupOptions & { method: WebhookSetupMethodNames }} opts
 * @returns {Promise<WebhookSetupResult>}
 */
async function runWebhookMethod(opts) {
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
		const result = fn === undefined ? undefined : /** @type {boolean} */ (await fn.call(context));
		return { result, staticData: plainStaticData(workflow), webhookUrl };
	});
}

/**
 * Activation as n8n does it: `checkExists`, then `create` when it returned false.
 * @param {WebhookSetupOptions} opts
 * @returns {Promise<WebhookSetupResult & { existed: boolean | undefined; created: boolean }>}
 */
async function activateWebhook(opts) {
	const check = await runWebhookMethod({ ...opts, method: 'checkExists' });
	if (check.result) return { ...check, existed: true, created: false };
	const create = await runWebhookMethod({
		...opts,
		method: 'create',
		staticData: check.staticData,
	});
	return { ...create, existed: check.result, created: true };
}

/**
 * Deactivation as n8n does it: `delete`.
 * @param {WebhookSetupOptions} opts
 * @returns {Promise<WebhookSetupResult>}
 */
async function deactivateWebhook(opts) {
	return await runWebhookMethod({ ...opts, method: 'delete' });
}

module.exports = { callWebhook, runWebhookMethod, activateWebhook, deactivateWebhook };
