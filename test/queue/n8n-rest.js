// @ts-check
'use strict';
/**
 * The main process's internal REST API (`/rest/...`, session cookie), as the editor uses it:
 * owner, credentials, workflows (create, publish), manual runs, executions, binary data.
 * Works from any jest process: it only needs the URL (see cluster.js).
 */
const { createRequire } = require('module');
const path = require('path');

/**
 * @typedef {object} Execution
 * @property {string} id
 * @property {string} workflowId
 * @property {string} status       'new' | 'running' | 'waiting' | 'success' | 'error' | 'crashed' | 'canceled'
 * @property {string} mode
 * @property {string | null} startedAt
 * @property {string | null} stoppedAt
 * @property {string | null} waitTill
 * @property {ExecutionData} data
 */

/**
 * @typedef {object} ExecutionData
 * @property {string} [resumeToken]
 * @property {{ runData?: Record<string, NodeRun[]>, error?: ExecutionError, lastNodeExecuted?: string }} resultData
 */

/**
 * @typedef {object} NodeRun
 * @property {ExecutionError} [error]
 * @property {{ main?: Array<Array<{ json: Record<string, unknown>, binary?: Record<string, StoredBinary> }> | null> }} [data]
 */

/**
 * @typedef {object} ExecutionError
 * @property {string} message
 * @property {string} [name]
 * @property {string | null} [description]
 * @property {unknown} [node]
 * @property {Record<string, unknown>} [context]
 */

/**
 * @typedef {object} StoredBinary
 * @property {string} mimeType
 * @property {string} [fileName]
 * @property {string} [fileExtension]
 * @property {string} [fileSize]
 * @property {number} [bytes]
 * @property {string} [id]        `database:<fileId>` in queue mode's default store
 * @property {string} [data]
 */

/** @typedef {{ id?: string, name?: string, nodes: Array<Record<string, any>>, connections: Record<string, any>, settings?: Record<string, any>, [key: string]: unknown }} WorkflowJson */

class N8nHttpError extends Error {
	/**
	 * @param {string} method
	 * @param {string} url
	 * @param {number} status
	 * @param {unknown} body
	 */
	constructor(method, url, status, body) {
		super(`${method} ${url} -> ${status}: ${JSON.stringify(body).slice(0, 1000)}`);
		this.name = 'N8nHttpError';
		this.status = status;
		this.body = body;
	}
}

/** @param {number} ms */
function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

class N8nRest {
	/**
	 * @param {string} url      the main process, http://127.0.0.1:<port>
	 * @param {string} n8nDir   the n8n install (its `flatted` parses execution data)
	 */
	constructor(url, n8nDir) {
		this.url = url;
		/** @type {string | undefined} */
		this.cookie = undefined;
		/** @type {{ parse: (text: string) => unknown }} */
		this.flatted = createRequire(path.join(n8nDir, 'package.json'))('flatted');
	}

	/**
	 * @param {string} method
	 * @param {string} urlPath   after /rest
	 * @param {unknown} [body]
	 * @returns {Promise<any>}   the `data` field of n8n's answer
	 */
	async rest(method, urlPath, body) {
		const url = `${this.url}/rest${urlPath}`;
		/** @type {Record<string, string>} */
		const headers = { accept: 'application/json', 'browser-id': 'queue-tests-browser' };
		if (this.cookie) headers.cookie = this.cookie;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(url, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		for (const c of res.headers.getSetCookie?.() ?? []) {
			const m = /^n8n-auth=([^;]*)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
		const text = await res.text();
		/** @type {any} */
		let parsed = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			/* not JSON */
		}
		if (res.status >= 400) throw new N8nHttpError(method, url, res.status, parsed);
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	}

	/**
	 * Owner setup on a fresh instance (tolerated when done already), then login.
	 * @param {{ email: string, password: string }} owner
	 */
	async ensureOwnerAndLogin(owner) {
		const settings = await this.rest('GET', '/settings');
		if (settings?.userManagement?.showSetupOnFirstLoad !== false) {
			try {
				await this.rest('POST', '/owner/setup', {
					email: owner.email,
					firstName: 'Queue',
					lastName: 'Tests',
					password: owner.password,
				});
			} catch (error) {
				if (!(error instanceof N8nHttpError) || error.status !== 400) throw error;
			}
		}
		this.cookie = undefined;
		await this.rest('POST', '/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
		if (!this.cookie) throw new Error('POST /rest/login set no n8n-auth cookie');
	}

	/**
	 * @param {{ name: string, type: string, data: Record<string, unknown> }} credential
	 * @returns {Promise<{ id: string, name: string, type: string }>}
	 */
	async createCredential(credential) {
		return this.rest('POST', '/credentials', credential);
	}

	/**
	 * @param {WorkflowJson} workflow
	 * @returns {Promise<{ id: string, versionId: string, name: string }>}
	 */
	async createWorkflow(workflow) {
		const { id: _ignoredId, active: _ignoredActive, tags: _ignoredTags, ...body } = workflow;
		return this.rest('POST', '/workflows', { name: 'Queue test workflow', settings: {}, ...body });
	}

	/**
	 * Publishes (activates) a workflow and waits until n8n reports its triggers registered: in
	 * queue mode the main records the webhooks in the database, and the webhook process serves them.
	 * @param {string} id
	 */
	async activateWorkflow(id) {
		const wf = await this.rest('GET', `/workflows/${id}`);
		await this.rest('POST', `/workflows/${id}/activate`, { versionId: wf.versionId });
		const deadline = Date.now() + 60_000;
		for (;;) {
			const st = await this.rest('GET', `/workflows/${id}/publication-status`);
			if (st.status === 'published') return;
			if (st.status === 'failed' || st.status === 'partial')
				throw new Error(`publishing workflow ${id}: ${st.status}: ${JSON.stringify(st.triggers)}`);
			if (Date.now() > deadline) throw new Error(`publishing workflow ${id}: still ${st.status}`);
			await delay(200);
		}
	}

	/** @param {string} id */
	async deactivateWorkflow(id) {
		await this.rest('POST', `/workflows/${id}/deactivate`, {});
	}

	/**
	 * A manual run (the editor's "Execute workflow"); in this cluster a worker runs it
	 * (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true). Returns the execution id.
	 * @param {string} id
	 * @param {string} triggerName
	 * @returns {Promise<string>}
	 */
	async runWorkflow(id, triggerName) {
		const res = await this.rest('POST', `/workflows/${id}/run`, {
			triggerToStartFrom: { name: triggerName },
		});
		if (!res?.executionId)
			throw new Error(`run of workflow ${id} started no execution: ${JSON.stringify(res)}`);
		return String(res.executionId);
	}

	/**
	 * An execution with its data parsed (n8n stores it flatted).
	 * @param {string} id
	 * @returns {Promise<Execution>}
	 */
	async getExecution(id) {
		const rec = await this.rest('GET', `/executions/${id}`);
		const data = typeof rec.data === 'string' ? this.flatted.parse(rec.data) : rec.data;
		return { ...rec, id: String(rec.id), data };
	}

	/**
	 * Polls an execution until its status is one of `until` (default: finished).
	 * @param {string} id
	 * @param {{ until?: string[], timeoutMs?: number }} [opts]
	 * @returns {Promise<Execution>}
	 */
	async waitForExecution(id, opts = {}) {
		const until = opts.until ?? ['success', 'error', 'crashed', 'canceled'];
		const timeoutMs = opts.timeoutMs ?? 120_000;
		const deadline = Date.now() + timeoutMs;
		/** @type {Execution | undefined} */
		let exec;
		for (;;) {
			try {
				exec = await this.getExecution(id);
				if (until.includes(exec.status)) return exec;
			} catch (error) {
				if (!(error instanceof N8nHttpError) || error.status !== 404) throw error;
			}
			if (Date.now() > deadline)
				throw new Error(`execution ${id} still ${exec?.status ?? 'missing'} after ${timeoutMs} ms`);
			await delay(300);
		}
	}

	/**
	 * The bytes of a stored binary (`GET /rest/binary-data?id=…&action=download`): the main
	 * reads them from whichever store the worker wrote to.
	 * @param {StoredBinary} binary
	 * @returns {Promise<Buffer>}
	 */
	async binaryData(binary) {
		if (!binary.id) throw new Error('binary data has no id (not stored)');
		const q = new URLSearchParams({ id: binary.id, action: 'download' });
		const res = await fetch(`${this.url}/rest/binary-data?${q}`, {
			headers: { cookie: this.cookie ?? '', 'browser-id': 'queue-tests-browser' },
		});
		if (res.status !== 200)
			throw new N8nHttpError('GET', '/rest/binary-data', res.status, await res.text());
		return Buffer.from(await res.arrayBuffer());
	}
}

/**
 * The `json` of the items a node output (first run, first output); throws when it did not run or failed.
 * @param {Execution} execution
 * @param {string} nodeName
 * @returns {Array<Record<string, any>>}
 */
function nodeItems(execution, nodeName) {
	return nodeOutput(execution, nodeName).map((i) => i.json);
}

/**
 * @param {Execution} execution
 * @param {string} nodeName
 * @returns {Array<{ json: Record<string, any>, binary?: Record<string, StoredBinary> }>}
 */
function nodeOutput(execution, nodeName) {
	const run = execution.data?.resultData?.runData?.[nodeName]?.[0];
	if (!run) throw new Error(`node "${nodeName}" did not run; ${describeExecution(execution)}`);
	if (run.error)
		throw new Error(
			`node "${nodeName}" failed: ${run.error.message} ${run.error.description ?? ''}`,
		);
	return run.data?.main?.[0] ?? [];
}

/**
 * One line explaining an execution, for assertion messages.
 * @param {Execution} execution
 */
function describeExecution(execution) {
	const err = execution.data?.resultData?.error;
	const ran = Object.keys(execution.data?.resultData?.runData ?? {});
	return [
		`execution ${execution.id} status=${execution.status}`,
		err
			? `error=${err.name ?? 'Error'}: ${err.message}${err.description ? ` (${err.description})` : ''}`
			: '',
		`nodes run=[${ran.join(', ')}]`,
	]
		.filter(Boolean)
		.join('; ');
}

module.exports = { N8nRest, N8nHttpError, nodeItems, nodeOutput, describeExecution };
