// @ts-check
'use strict';
/**
 * What n8n's editor backend does outside executions:
 * - credential tests, as `CredentialsTester` does for a declarative `test` (request + rules): the
 *   request runs through `RoutingNode` with the decrypted data, so `baseURL` expressions resolve
 *   against `$credentials` and the credential's `authenticate` is applied;
 * - `loadOptions` methods, as `DynamicNodeParametersService` does: a one-node workflow
 *   (`Temp-Node`) and a `LoadOptionsContext` with the current node parameters.
 */
const {
	CredentialTestContext,
	ExecuteContext,
	LoadOptionsContext,
	RoutingNode,
} = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').ICredentialTestFunction} ICredentialTestFunction
 * @typedef {import('n8n-workflow').ICredentialTestRequest} ICredentialTestRequest
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').ICredentialsDecrypted} ICredentialsDecrypted
 * @typedef {import('n8n-workflow').IExecuteData} IExecuteData
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeListSearchResult} INodeListSearchResult
 * @typedef {import('n8n-workflow').INodeCredentialTestResult} INodeCredentialTestResult
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INodeParameters} INodeParameters
 * @typedef {import('n8n-workflow').INodePropertyOptions} INodePropertyOptions
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').INodeTypes} INodeTypes
 * @typedef {import('n8n-workflow').IRunExecutionData} IRunExecutionData
 * @typedef {import('n8n-workflow').ITaskDataConnections} ITaskDataConnections
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 */
const { NodeHelpers, UnexpectedError, UserError, Workflow } = require('n8n-workflow');

const { createAdditionalData, createSetup } = require('./context');
/**
 * @typedef {import('./credentials').HarnessCredentials} HarnessCredentials
 */
const { redact } = require('./credentials');
/**
 * @typedef {import('./node-types').HarnessNodeTypes} HarnessNodeTypes
 */

/**
 * @typedef {| { kind: 'function'; fn: ICredentialTestFunction } | { kind: 'request'; testRequest: ICredentialTestRequest; nodeType?: INodeType }} TestTarget
 */

/**
 * @param {INodeType | IVersionedNodeType} type
 * @returns {INodeType[]}
 */
function allVersions(type) {
	return 'nodeVersions' in type
		? Object.values(type.nodeVersions)
		: [/** @type {INodeType} */ (type)];
}

/**
 * @param {ICredentialType} credentialType
 * @param {HarnessNodeTypes} nodeTypes
 * @returns {TestTarget | undefined}
 */
function findCredentialTest(credentialType, nodeTypes) {
	if (credentialType.test) return { kind: 'request', testRequest: credentialType.test };
	for (const typeName of nodeTypes.names()) {
		const type = nodeTypes.getByName(typeName);
		for (const version of allVersions(type).reverse()) {
			for (const { name, testedBy } of version.description.credentials ?? []) {
				if (name !== credentialType.name || !testedBy) continue;
				if (typeof testedBy === 'string') {
					const fn = version.methods?.credentialTest?.[testedBy];
					if (fn) return { kind: 'function', fn };
					continue;
				}
				return { kind: 'request', testRequest: testedBy, nodeType: version };
			}
		}
	}
	return undefined;
}

/**
 * Tests credential data the way n8n's "Test" button does. Returns n8n's own messages: the matching
 * rule's message for a `responseCode` rule, the status text / `Received HTTP status code: N` for
 * other non-2xx answers, the system error code (e.g. `ECONNREFUSED`) when no answer came, and
 * `Connection successful!` otherwise. Secret values never appear in the message.
 * @param {string} credentialType
 * @param {Record<string, unknown>} data
 * @param {{ extraCredentialTypes?: Record<string, ICredentialType> }} [opts]
 * @returns {Promise<{ status: 'OK' | 'Error'; message: string }>}
 */
async function testCredential(credentialType, data, opts = {}) {
	/** @type {HarnessCredentials} */ const credentials = { [credentialType]: data };
	const setup = await createSetup(credentials, undefined, opts.extraCredentialTypes);
	const { registry, credentialsHelper } = setup;
	const secrets = credentialsHelper.secrets();
	/** @param {INodeCredentialTestResult} result */ const clean = (result) => ({
		status: result.status,
		message: redact(String(result.message ?? ''), secrets),
	});

	const type = registry.credentialTypes.getByName(credentialType);
	const target = findCredentialTest(type, registry.nodeTypes);
	if (!target) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	/** @type {ICredentialsDecrypted} */ const credentialsDecrypted = {
		id: 'harness-credential',
		name: `${type.displayName} (harness)`,
		type: credentialType,
		data: /** @type {ICredentialDataDecryptedObject} */ (data),
	};
	const baseAdditionalData = createAdditionalData({ credentialsHelper });
	try {
		credentialsDecrypted.data = await credentialsHelper.applyDefaultsAndOverwrites(
			baseAdditionalData,
			/** @type {ICredentialDataDecryptedObject} */ (credentialsDecrypted.data),
			credentialType,
			/** @type {WorkflowExecuteMode} */ ('internal'),
		);
	} catch (error) {
		return clean({ status: 'Error', message: /** @type {Error} */ (error).message });
	}

	if (target.kind === 'function') {
		const context = new CredentialTestContext();
		return clean(await target.fn.call(context, credentialsDecrypted));
	}

	const nodeType = target.nodeType ?? registry.nodeTypes.getByNameAndVersion('n8n-nodes-base.noOp');
	/** @type {INode} */ const node = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: Array.isArray(nodeType.description.version)
			? nodeType.description.version.slice(-1)[0]
			: nodeType.description.version,
		position: [0, 0],
		credentials: {
			[credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	/** @type {INodeType} */ const nodeTypeCopy = {
		description: {
			...nodeType.description,
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: target.testRequest.request },
					default: '',
				},
			],
		},
	};
	/** @type {INodeTypes} */ const mockNodeTypes = {
		getKnownTypes: () => ({}),
		getByName: () => nodeTypeCopy,
		/** @param {string} name */ getByNameAndVersion: (name) => {
			if (name !== nodeTypeCopy.description.name) {
				throw new UnexpectedError('Node type does not exist', { tags: { nodeType: name } });
			}
			return nodeTypeCopy;
		},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: mockNodeTypes,
	});
	/** @type {ITaskDataConnections} */ const inputData = { main: [[{ json: {} }]] };
	const runExecutionData = /** @type {IRunExecutionData} */ ({ resultData: { runData: {} } });
	/** @type {IExecuteData} */ const executeData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		baseAdditionalData,
		'internal',
		runExecutionData,
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	/** @type {INodeExecutionData[][] | null | undefined} */ let response;
	try {
		response = await workflow.expression.withIsolate(async () => await routingNode.runNode());
	} catch (error) {
		const cause =
			/** @type {{ cause?: { response?: { status: number; statusText?: string }; code?: string } }} */ (
				error
			).cause;
		if (cause?.response) {
			const statusCode = cause.response.status;
			for (const rule of target.testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
					return clean({ status: 'Error', message: rule.properties.message });
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return clean({
					status: 'Error',
					message: cause.response.statusText || `Received HTTP status code: ${statusCode}`,
				});
			}
		} else if (cause?.code) {
			return clean({ status: 'Error', message: cause.code });
		}
		return clean({ status: 'Error', message: String(/** @type {Error} */ (error).message) });
	}

	for (const rule of target.testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json ?? {};
			const value = rule.properties.key.split('.').reduce(
				/** @type {(acc: unknown, key: string) => unknown} */
				(acc, key) => /** @type {Record<string, unknown> | undefined} */ (acc)?.[key],
				/** @type {unknown} */ (responseData),
			);
			if (value === rule.properties.value) {
				return clean({ status: 'Error', message: rule.properties.message });
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * @typedef {object} LoadOptionsExtra
 * @property {Record<string, INodeType | IVersionedNodeType>} [extraNodeTypes]
 * @property {Record<string, ICredentialType>} [extraCredentialTypes]
 * @property {number} [version] Node type version (default: the latest).
 * @property {string} [path] Parameter path the editor sends (default `parameters.<method>`); used for `&sibling` lookups.
 */

/**
 * The editor's context for a node's dynamic parameters, the way n8n's
 * DynamicNodeParametersService builds it: the node (as `Temp-Node`) with the current parameters
 * (defaults filled in) and its credentials, in a workflow of its own, and a LoadOptionsContext for
 * the parameter at `path`.
 * @param {string} nodeType
 * @param {Record<string, unknown>} parameters
 * @param {HarnessCredentials | undefined} credentials
 * @param {LoadOptionsExtra} extra
 * @param {string} path
 */
async function editorContext(nodeType, parameters, credentials, extra, path) {
	const setup = await createSetup(credentials, extra.extraNodeTypes, extra.extraCredentialTypes);
	const { registry, credentialsHelper } = setup;
	const versioned = registry.nodeTypes.getByName(nodeType);
	const version =
		extra.version ??
		('nodeVersions' in versioned
			? versioned.currentVersion
			: (() => {
					const v = /** @type {INodeType} */ (versioned).description.version;
					return Array.isArray(v) ? v[v.length - 1] : v;
				})());
	const type = registry.nodeTypes.getByNameAndVersion(nodeType, version);

	/** @type {INode} */ const node = {
		parameters: /** @type {INodeParameters} */ (parameters),
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: nodeType,
		typeVersion: version,
		position: [0, 0],
	};
	const currentNodeParameters =
		NodeHelpers.getNodeParameters(
			type.description.properties,
			/** @type {INodeParameters} */ (parameters),
			true,
			false,
			node,
			type.description,
		) ?? {};
	node.parameters = currentNodeParameters;

	/** @type {INode['credentials']} */ const nodeCredentials = {};
	for (const description of type.description.credentials ?? []) {
		if (credentials?.[description.name]) {
			nodeCredentials[description.name] = { id: '1', name: description.name };
		}
	}
	if (Object.keys(nodeCredentials).length) node.credentials = nodeCredentials;

	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: registry.nodeTypes,
	});
	const additionalData = createAdditionalData({ credentialsHelper });
	additionalData.currentNodeParameters = currentNodeParameters;
	const context = new LoadOptionsContext(
		workflow,
		workflow.nodes['Temp-Node'],
		additionalData,
		extra.path ?? path,
	);
	return { type, workflow, context };
}

/**
 * Calls `description.methods.loadOptions[method]` like the editor: the current node parameters
 * (completed with their defaults, as the editor sends them) are what `getCurrentNodeParameter()`
 * and `getNodeParameter()` see; credentials given for the node's credential types are attached.
 * @param {string} nodeType
 * @param {string} method
 * @param {Record<string, unknown>} parameters
 * @param {HarnessCredentials} [credentials]
 * @param {LoadOptionsExtra} [extra]
 * @returns {Promise<INodePropertyOptions[]>}
 */
async function loadOptions(nodeType, method, parameters, credentials, extra = {}) {
	const { type, workflow, context } = await editorContext(
		nodeType,
		parameters,
		credentials,
		extra,
		`parameters.${method}`,
	);
	const fn = type.methods?.loadOptions?.[method];
	if (typeof fn !== 'function') {
		throw new UserError(`Node type "${nodeType}" has no loadOptions method "${method}"`);
	}
	return await workflow.expression.withIsolate(async () => await fn.call(context));
}

/**
 * A resource locator's "From List" search, as the editor runs it (n8n's
 * `getResourceLocatorResults`): `methods.listSearch[method]` with the filter text and the
 * pagination token, in the same context as loadOptions. A numeric pagination token comes back as a
 * string, as n8n returns it.
 * @param {string} nodeType
 * @param {string} method
 * @param {Record<string, unknown>} parameters
 * @param {HarnessCredentials} [credentials]
 * @param {LoadOptionsExtra & { filter?: string, paginationToken?: string }} [extra]
 * @returns {Promise<INodeListSearchResult>}
 */
async function listSearch(nodeType, method, parameters, credentials, extra = {}) {
	const { type, workflow, context } = await editorContext(
		nodeType,
		parameters,
		credentials,
		extra,
		`parameters.${method}`,
	);
	const fn = type.methods?.listSearch?.[method];
	if (typeof fn !== 'function') {
		throw new UserError(`Node type "${nodeType}" has no listSearch method "${method}"`);
	}
	return await workflow.expression.withIsolate(async () => {
		const result = await fn.call(context, extra.filter, extra.paginationToken);
		const token = result?.paginationToken;
		return typeof token === 'number' ? { ...result, paginationToken: String(token) } : result;
	});
}

module.exports = { testCredential, loadOptions, listSearch };
