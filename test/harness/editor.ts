/**
 * What n8n's editor backend does outside executions:
 * - credential tests, as `CredentialsTester` does for a declarative `test` (request + rules): the
 *   request runs through `RoutingNode` with the decrypted data, so `baseURL` expressions resolve
 *   against `$credentials` and the credential's `authenticate` is applied;
 * - `loadOptions` methods, as `DynamicNodeParametersService` does: a one-node workflow
 *   (`Temp-Node`) and a `LoadOptionsContext` with the current node parameters.
 */
import { CredentialTestContext, ExecuteContext, LoadOptionsContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestRequest,
	ICredentialType,
	ICredentialsDecrypted,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	ITaskDataConnections,
	IVersionedNodeType,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError, UserError, Workflow } from 'n8n-workflow';

import { createAdditionalData, createSetup } from './context';
import { redact, type HarnessCredentials } from './credentials';
import type { HarnessNodeTypes } from './node-types';

type TestTarget =
	| { kind: 'function'; fn: ICredentialTestFunction }
	| { kind: 'request'; testRequest: ICredentialTestRequest; nodeType?: INodeType };

function allVersions(type: INodeType | IVersionedNodeType): INodeType[] {
	return 'nodeVersions' in type ? Object.values(type.nodeVersions) : [type as INodeType];
}

function findCredentialTest(
	credentialType: ICredentialType,
	nodeTypes: HarnessNodeTypes,
): TestTarget | undefined {
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
 */
export async function testCredential(
	credentialType: string,
	data: Record<string, unknown>,
	opts: { extraCredentialTypes?: Record<string, ICredentialType> } = {},
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const credentials: HarnessCredentials = { [credentialType]: data };
	const setup = await createSetup(credentials, undefined, opts.extraCredentialTypes);
	const { registry, credentialsHelper } = setup;
	const secrets = credentialsHelper.secrets();
	const clean = (result: INodeCredentialTestResult) => ({
		status: result.status,
		message: redact(String(result.message ?? ''), secrets),
	});

	const type = registry.credentialTypes.getByName(credentialType);
	const target = findCredentialTest(type, registry.nodeTypes);
	if (!target) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const credentialsDecrypted: ICredentialsDecrypted = {
		id: 'harness-credential',
		name: `${type.displayName} (harness)`,
		type: credentialType,
		data: data as ICredentialDataDecryptedObject,
	};
	const baseAdditionalData = createAdditionalData({ credentialsHelper });
	try {
		credentialsDecrypted.data = await credentialsHelper.applyDefaultsAndOverwrites(
			baseAdditionalData,
			credentialsDecrypted.data!,
			credentialType,
			'internal' as WorkflowExecuteMode,
		);
	} catch (error) {
		return clean({ status: 'Error', message: (error as Error).message });
	}

	if (target.kind === 'function') {
		const context = new CredentialTestContext();
		return clean(await target.fn.call(context, credentialsDecrypted));
	}

	const nodeType = target.nodeType ?? registry.nodeTypes.getByNameAndVersion('n8n-nodes-base.noOp');
	const node: INode = {
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
	const nodeTypeCopy: INodeType = {
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
	const mockNodeTypes: INodeTypes = {
		getKnownTypes: () => ({}),
		getByName: () => nodeTypeCopy,
		getByNameAndVersion: (name: string) => {
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
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const runExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
	const executeData: IExecuteData = { node, data: {}, source: null };
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

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await workflow.expression.withIsolate(async () => await routingNode.runNode());
	} catch (error) {
		const cause = (
			error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }
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
		return clean({ status: 'Error', message: String((error as Error).message) });
	}

	for (const rule of target.testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json ?? {};
			const value = rule.properties.key
				.split('.')
				.reduce<unknown>(
					(acc, key) => (acc as Record<string, unknown> | undefined)?.[key],
					responseData,
				);
			if (value === rule.properties.value) {
				return clean({ status: 'Error', message: rule.properties.message });
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

export interface LoadOptionsExtra {
	extraNodeTypes?: Record<string, INodeType | IVersionedNodeType>;
	extraCredentialTypes?: Record<string, ICredentialType>;
	/** Node type version (default: the latest). */
	version?: number;
	/** Parameter path the editor sends (default `parameters.<method>`); used for `&sibling` lookups. */
	path?: string;
}

/**
 * Calls `description.methods.loadOptions[method]` like the editor: the current node parameters
 * (completed with their defaults, as the editor sends them) are what `getCurrentNodeParameter()`
 * and `getNodeParameter()` see; credentials given for the node's credential types are attached.
 */
export async function loadOptions(
	nodeType: string,
	method: string,
	parameters: Record<string, unknown>,
	credentials?: HarnessCredentials,
	extra: LoadOptionsExtra = {},
): Promise<INodePropertyOptions[]> {
	const setup = await createSetup(credentials, extra.extraNodeTypes, extra.extraCredentialTypes);
	const { registry, credentialsHelper } = setup;
	const versioned = registry.nodeTypes.getByName(nodeType);
	const version =
		extra.version ??
		('nodeVersions' in versioned
			? versioned.currentVersion
			: (() => {
					const v = (versioned as INodeType).description.version;
					return Array.isArray(v) ? v[v.length - 1] : v;
				})());
	const type = registry.nodeTypes.getByNameAndVersion(nodeType, version);
	const fn = type.methods?.loadOptions?.[method];
	if (typeof fn !== 'function') {
		throw new UserError(`Node type "${nodeType}" has no loadOptions method "${method}"`);
	}

	const node: INode = {
		parameters: parameters as INodeParameters,
		id: 'uuid-1234',
		name: 'Temp-Node',
		type: nodeType,
		typeVersion: version,
		position: [0, 0],
	};
	const currentNodeParameters =
		NodeHelpers.getNodeParameters(
			type.description.properties,
			parameters as INodeParameters,
			true,
			false,
			node,
			type.description,
		) ?? {};
	node.parameters = currentNodeParameters;

	const nodeCredentials: INode['credentials'] = {};
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
		extra.path ?? `parameters.${method}`,
	);
	return await workflow.expression.withIsolate(async () => await fn.call(context));
}
