// @ts-check
'use strict';
/**
 * What n8n's editor backend runs outside executions:
 * - a credential's "Test" (`CredentialsTester` with a declarative `test`: the request runs through
 *   `RoutingNode` with the data, so `baseURL` expressions and `authenticate` apply, then the rules);
 * - `methods.loadOptions` / `methods.listSearch`, as `DynamicNodeParametersService` runs them: the
 *   node as `Temp-Node` in a workflow of its own, its parameters completed with their defaults.
 */
const { ExecuteContext, LoadOptionsContext, RoutingNode } = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeListSearchResult} INodeListSearchResult
 * @typedef {import('n8n-workflow').INodeParameters} INodeParameters
 * @typedef {import('n8n-workflow').INodePropertyOptions} INodePropertyOptions
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').INodeTypes} INodeTypes
 * @typedef {import('n8n-workflow').IRunExecutionData} IRunExecutionData
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {import('./credentials').HarnessCredentials} HarnessCredentials
 */
const { NodeHelpers, UserError, Workflow } = require('n8n-workflow');

const { redact } = require('./credentials');
const { createSetup } = require('./run');

/**
 * Tests credential data as the editor's "Test" button does, with n8n's messages: a matching
 * `responseCode` rule's message, else the status text for a non-2xx answer, the system error code
 * (`ECONNREFUSED`) when none came, `Connection successful!` otherwise. Secrets are redacted.
 * @param {string} credentialType
 * @param {Record<string, unknown>} data
 * @returns {Promise<{ status: 'OK' | 'Error'; message: string }>}
 */
async function testCredential(credentialType, data) {
	const setup = await createSetup({
		workflow: { nodes: [] },
		credentials: { [credentialType]: data },
	});
	const { credentialsHelper } = setup;
	const secrets = credentialsHelper.secrets();
	/** @param {string} message @returns {{ status: 'Error'; message: string }} */
	const failed = (message) => ({ status: 'Error', message: redact(message, secrets) });
	const { test } = credentialsHelper.registry.credentialType(credentialType);
	if (!test) return failed('No testing function found for this credential.');
	const additionalData = setup.additionalData();
	const credentials = {
		id: 'harness-credential',
		name: credentialType,
		type: credentialType,
		data: await credentialsHelper.applyDefaultsAndOverwrites(
			additionalData,
			/** @type {ICredentialDataDecryptedObject} */ (data),
			credentialType,
			'internal',
		),
	};
	const base = credentialsHelper.registry.nodeTypes.getByNameAndVersion('n8n-nodes-base.noOp');
	/** @type {INodeType} */ const nodeType = {
		description: {
			...base.description,
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	};
	/** @type {INode} */ const node = {
		id: 'temp',
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType]: { id: credentials.id, name: credentials.name } },
	};
	/** @type {INodeTypes} */ const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		/** @type {IRunExecutionData} */ ({ resultData: { runData: {} } }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	try {
		await workflow.expression.withIsolate(
			async () => await new RoutingNode(context, nodeType, credentials).runNode(),
		);
	} catch (error) {
		const cause =
			/** @type {{ cause?: { response?: { status: number; statusText?: string }; code?: string } }} */ (
				error
			).cause;
		const status = cause?.response?.status;
		if (status !== undefined) {
			const rule = test.rules?.find(
				(r) => r.type === 'responseCode' && r.properties.value === status,
			);
			if (rule) return failed(/** @type {{ message: string }} */ (rule.properties).message);
			if (status < 199 || status > 299) {
				return failed(cause?.response?.statusText || `Received HTTP status code: ${status}`);
			}
		} else if (cause?.code) return failed(cause.code);
		return failed(String(/** @type {Error} */ (error).message));
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * @typedef {object} LoadOptionsExtra
 * @property {Record<string, INodeType | IVersionedNodeType>} [extraNodeTypes]
 * @property {number} [version] node type version, default the latest
 */

/**
 * Runs `methods[kind][method]` as the editor does, with the current parameters (completed with
 * their defaults) and the credentials given for the node's credential types.
 * @param {'loadOptions' | 'listSearch'} kind
 * @param {string} nodeType
 * @param {string} method
 * @param {Record<string, unknown>} parameters
 * @param {HarnessCredentials | undefined} credentials
 * @param {LoadOptionsExtra} extra
 * @param {unknown[]} args
 */
async function callMethod(kind, nodeType, method, parameters, credentials, extra, args) {
	const setup = await createSetup({
		workflow: { nodes: [] },
		credentials,
		extraNodeTypes: extra.extraNodeTypes,
	});
	const { nodeTypes } = setup.credentialsHelper.registry;
	const versioned = nodeTypes.getByName(nodeType);
	const latest =
		'nodeVersions' in versioned ? versioned.currentVersion : versioned.description.version;
	const version = extra.version ?? (Array.isArray(latest) ? latest[latest.length - 1] : latest);
	const type = nodeTypes.getByNameAndVersion(nodeType, version);
	/** @type {INode} */ const node = {
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: nodeType,
		typeVersion: version,
		position: [0, 0],
		parameters: /** @type {INodeParameters} */ (parameters),
	};
	node.parameters =
		NodeHelpers.getNodeParameters(
			type.description.properties,
			node.parameters,
			true,
			false,
			node,
			type.description,
		) ?? {};
	const attached = (type.description.credentials ?? []).filter((c) => credentials?.[c.name]);
	if (attached.length) {
		node.credentials = Object.fromEntries(attached.map((c) => [c.name, { id: '1', name: c.name }]));
	}
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = setup.additionalData();
	additionalData.currentNodeParameters = node.parameters;
	const context = new LoadOptionsContext(
		workflow,
		workflow.nodes['Temp-Node'],
		additionalData,
		`parameters.${method}`,
	);
	const fn = /** @type {Record<string, Function> | undefined} */ (type.methods?.[kind])?.[method];
	if (typeof fn !== 'function') {
		throw new UserError(`Node type "${nodeType}" has no ${kind} method "${method}"`);
	}
	return await workflow.expression.withIsolate(async () => await fn.call(context, ...args));
}

/**
 * A node's `methods.loadOptions[method]`, as the editor calls it for a dropdown.
 * @param {string} nodeType
 * @param {string} method
 * @param {Record<string, unknown>} parameters
 * @param {HarnessCredentials} [credentials]
 * @param {LoadOptionsExtra} [extra]
 * @returns {Promise<INodePropertyOptions[]>}
 */
async function loadOptions(nodeType, method, parameters, credentials, extra = {}) {
	return await callMethod('loadOptions', nodeType, method, parameters, credentials, extra, []);
}

/**
 * A resource locator's "From List" search (`methods.listSearch[method]`) with the filter text and
 * pagination token, as n8n's `getResourceLocatorResults` runs it.
 * @param {string} nodeType
 * @param {string} method
 * @param {Record<string, unknown>} parameters
 * @param {HarnessCredentials} [credentials]
 * @param {LoadOptionsExtra & { filter?: string; paginationToken?: string }} [extra]
 * @returns {Promise<INodeListSearchResult>}
 */
async function listSearch(nodeType, method, parameters, credentials, extra = {}) {
	return await callMethod('listSearch', nodeType, method, parameters, credentials, extra, [
		extra.filter,
		extra.paginationToken,
	]);
}

module.exports = { testCredential, loadOptions, listSearch };
