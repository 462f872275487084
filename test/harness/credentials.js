// @ts-check
'use strict';
/**
 * An in-memory `ICredentialsHelper` that behaves like n8n's CLI `CredentialsHelper` for what nodes
 * can observe:
 * - `getDecrypted` returns the stored data with the credential type's defaults filled in and
 *   expressions in the data resolved (as `applyDefaultsAndOverwrites` does),
 * - `authenticate` applies a credential type's `authenticate`: a function is called; a generic
 *   (declarative) one has its expressions (`={{$credentials.apiToken}}`) resolved with
 *   `$credentials` and merged into the request (headers, qs, body, auth),
 * - `preAuthentication` runs for credential types with an expirable hidden property.
 * Any credential id a node references maps to the data given for its type.
 */
const { Credentials, getAdditionalKeys } = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').ICredentialsExpressionResolveValues} ICredentialsExpressionResolveValues
 * @typedef {import('n8n-workflow').IExecuteData} IExecuteData
 * @typedef {import('n8n-workflow').IHttpRequestHelper} IHttpRequestHelper
 * @typedef {import('n8n-workflow').IHttpRequestOptions} IHttpRequestOptions
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeCredentialsDetails} INodeCredentialsDetails
 * @typedef {import('n8n-workflow').INodeParameters} INodeParameters
 * @typedef {import('n8n-workflow').INodeProperties} INodeProperties
 * @typedef {import('n8n-workflow').IRequestOptionsSimplified} IRequestOptionsSimplified
 * @typedef {import('n8n-workflow').IWorkflowDataProxyAdditionalKeys} IWorkflowDataProxyAdditionalKeys
 * @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 */
const {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	isExpression,
} = require('n8n-workflow');

/**
 * @typedef {import('./node-types').HarnessCredentialTypes} HarnessCredentialTypes
 */

/**
 * Credential data per credential type name.
 * @typedef {{ dreaminaApi?: { apiToken: string; baseUrl?: string }; [credentialType: string]: Record<string, unknown> | undefined }} HarnessCredentials
 */

/** @type {INode} */ const mockNode = {
	id: 'harness-credentials-mock',
	name: '',
	typeVersion: 1,
	type: 'harness.credentialsMock',
	position: [0, 0],
	parameters: {},
};

const mockNodeTypes = {
	getByName: () => mockNodeType,
	getByNameAndVersion: () => mockNodeType,
	getKnownTypes: () => ({}),
};
const mockNodeType = {
	description: {
		displayName: 'Mock',
		name: 'harness.credentialsMock',
		group: [],
		version: 1,
		description: '',
		defaults: {},
		inputs: [],
		outputs: [],
		properties: [],
	},
};

class HarnessCredentialsHelper extends ICredentialsHelper {
	/** @type {Record<string, ICredentialDataDecryptedObject>} @private @readonly */ store = {};

	/** @type {HarnessCredentialTypes} @private @readonly */
	credentialTypes;
	/**
	 * @param {HarnessCredentialTypes} credentialTypes
	 * @param {HarnessCredentials} [credentials]
	 */
	constructor(credentialTypes, credentials = {}) {
		super();
		this.credentialTypes = credentialTypes;
		for (const [type, data] of Object.entries(credentials)) {
			if (data) this.store[type] = { .../** @type {ICredentialDataDecryptedObject} */ (data) };
		}
	}

	/**
	 * Values that must never show up in output: every stored string of a password-type field.
	 * @returns {string[]}
	 */
	secrets() {
		/** @type {string[]} */ const out = [];
		for (const [type, data] of Object.entries(this.store)) {
			/** @type {INodeProperties[]} */ let properties = [];
			try {
				properties = this.getCredentialsProperties(type);
			} catch {
				// unknown type: treat nothing as secret by name, but keep token-ish keys below
			}
			for (const [key, value] of Object.entries(data)) {
				if (typeof value !== 'string' || value.length < 4) continue;
				const property = properties.find((p) => p.name === key);
				const secretByType = property?.typeOptions?.password === true;
				const secretByName = /token|secret|password|apikey|api_key/i.test(key);
				if (secretByType || secretByName) out.push(value);
			}
		}
		return out;
	}

	/**
	 * @param {ICredentialDataDecryptedObject} credentials
	 * @param {string} typeName
	 * @param {IHttpRequestOptions | IRequestOptionsSimplified} incomingRequestOptions
	 * @param {Workflow} [workflow]
	 * @param {INode} [node]
	 * @returns {Promise<IHttpRequestOptions>}
	 */
	async authenticate(credentials, typeName, incomingRequestOptions, workflow, node) {
		const requestOptions = incomingRequestOptions;
		const credentialType = this.credentialTypes.getByName(typeName);
		const { authenticate } = credentialType;
		if (!authenticate) return /** @type {IHttpRequestOptions} */ (requestOptions);

		if (typeof authenticate === 'function') {
			return await authenticate(credentials, /** @type {IHttpRequestOptions} */ (requestOptions));
		}

		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			if (!workflow || !node) {
				throw new UnexpectedError(
					'Workflow and node are required for declarative credential authentication',
				);
			}
			requestOptions.headers ??= {};
			const target = /** @type {Record<string, Record<string, unknown>>} */ (
				/** @type {unknown} */ (requestOptions)
			);
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(
					/** @type {Record<string, unknown>} */ (outerValue),
				)) {
					const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
					const valueResolved = this.resolveValue(
						/** @type {string} */ (value),
						{ $credentials: credentials },
						workflow,
						node,
					);
					target[outerKey] ??= {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
		return /** @type {IHttpRequestOptions} */ (requestOptions);
	}

	/**
	 * @param {string} parameterValue
	 * @param {IWorkflowDataProxyAdditionalKeys} additionalKeys
	 * @param {Workflow} workflow
	 * @param {INode} node
	 * @returns {string}
	 * @private
	 */
	resolveValue(parameterValue, additionalKeys, workflow, node) {
		if (!isExpression(parameterValue)) return parameterValue;
		const value = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!value) return '';
		return value.toString();
	}

	/**
	 * @param {IHttpRequestHelper} helpers
	 * @param {ICredentialDataDecryptedObject} credentials
	 * @param {string} typeName
	 * @param {INode} node
	 * @param {boolean} credentialsExpired
	 * @returns {Promise<ICredentialDataDecryptedObject | undefined>}
	 */
	async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirableProperty.name] !== '' && !credentialsExpired) return undefined;

		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirableProperty.name] === undefined) return undefined;
		if (node.credentials) {
			this.store[typeName] = {
				...(this.store[typeName] ?? {}),
				.../** @type {ICredentialDataDecryptedObject} */ (output),
			};
		}
		return Object.assign(credentials, /** @type {ICredentialDataDecryptedObject} */ (output));
	}

	/**
	 * @param {IHttpRequestHelper} helpers
	 * @param {ICredentialDataDecryptedObject} credentials
	 * @param {string} typeName
	 * @returns {Promise<ICredentialDataDecryptedObject | undefined>}
	 */
	async runPreAuthentication(helpers, credentials, typeName) {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		return /** @type {ICredentialDataDecryptedObject} */ (output) ?? undefined;
	}

	/**
	 * @param {string} name
	 * @returns {string[]}
	 */
	getParentTypes(name) {
		return this.credentialTypes.getParentTypes(name);
	}

	/**
	 * @param {string} credentialType
	 * @param {string} nodeType
	 * @returns {boolean}
	 */
	isCredentialUsableByNode(credentialType, nodeType) {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const type = this.credentialTypes.getByName(credentialType);
		if (!type.restrictToSupportedNodes) return true;
		return this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
	}

	/**
	 * @param {INodeCredentialsDetails} nodeCredentials
	 * @param {string} type
	 * @private
	 */
	getStored(nodeCredentials, type) {
		const data = this.store[type];
		if (!data) {
			throw new UserError(
				`Credential with ID "${nodeCredentials.id ?? ''}" does not exist for type "${type}".`,
			);
		}
		return data;
	}

	/**
	 * @param {INodeCredentialsDetails} nodeCredentials
	 * @param {string} type
	 */
	async getCredentials(nodeCredentials, type) {
		const credentials = new Credentials(
			{ id: nodeCredentials.id ?? '1', name: nodeCredentials.name },
			type,
		);
		await credentials.setData({ ...this.getStored(nodeCredentials, type) });
		return credentials;
	}

	/**
	 * @param {IWorkflowExecuteAdditionalData} additionalData
	 * @param {INodeCredentialsDetails} nodeCredentials
	 * @param {string} type
	 * @param {WorkflowExecuteMode} mode
	 * @param {IExecuteData} [executeData]
	 * @param {boolean} [raw]
	 * @param {ICredentialsExpressionResolveValues} [expressionResolveValues]
	 * @returns {Promise<ICredentialDataDecryptedObject>}
	 */
	async getDecrypted(
		additionalData,
		nodeCredentials,
		type,
		mode,
		executeData,
		raw,
		expressionResolveValues,
	) {
		const data = { ...this.getStored(nodeCredentials, type) };
		if (raw === true) return data;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			data,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/**
	 * Fills in the credential type's defaults and resolves expressions in the data.
	 * @param {IWorkflowExecuteAdditionalData} additionalData
	 * @param {ICredentialDataDecryptedObject} decryptedDataOriginal
	 * @param {string} type
	 * @param {WorkflowExecuteMode} mode
	 * @param {IExecuteData} [executeData]
	 * @param {ICredentialsExpressionResolveValues} [expressionResolveValues]
	 * @returns {Promise<ICredentialDataDecryptedObject>}
	 */
	async applyDefaultsAndOverwrites(
		additionalData,
		decryptedDataOriginal,
		type,
		mode,
		executeData,
		expressionResolveValues,
	) {
		const credentialsProperties = this.getCredentialsProperties(type);
		let decryptedData = /** @type {ICredentialDataDecryptedObject} */ (
			NodeHelpers.getNodeParameters(
				credentialsProperties,
				/** @type {INodeParameters} */ (decryptedDataOriginal),
				true,
				false,
				null,
				null,
			)
		);
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			try {
				decryptedData = /** @type {ICredentialDataDecryptedObject} */ (
					expressionResolveValues.workflow.expression.getParameterValue(
						/** @type {INodeParameters} */ (decryptedData),
						expressionResolveValues.runExecutionData,
						expressionResolveValues.runIndex,
						expressionResolveValues.itemIndex,
						expressionResolveValues.node.name,
						expressionResolveValues.connectionInputData,
						mode,
						additionalKeys,
						executeData,
						false,
						decryptedData,
					)
				);
			} catch (e) {
				/** @type {Error} */ (e).message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const workflow = new Workflow({
				nodes: [{ ...mockNode }],
				connections: {},
				active: false,
				nodeTypes: /** @type {never} */ (mockNodeTypes),
			});
			decryptedData = await workflow.expression.withIsolate(
				async () =>
					/** @type {ICredentialDataDecryptedObject} */ (
						workflow.expression.getComplexParameterValue(
							mockNode,
							/** @type {INodeParameters} */ (decryptedData),
							mode,
							additionalKeys,
							undefined,
							undefined,
							decryptedData,
						)
					),
			);
		}
		return decryptedData;
	}

	/**
	 * @param {INodeCredentialsDetails} _nodeCredentials
	 * @param {string} type
	 * @param {ICredentialDataDecryptedObject} data
	 * @returns {Promise<void>}
	 */
	async updateCredentials(_nodeCredentials, type, data) {
		this.store[type] = { ...data };
	}

	/**
	 * @param {INodeCredentialsDetails} _nodeCredentials
	 * @param {string} type
	 * @param {ICredentialDataDecryptedObject} data
	 * @returns {Promise<void>}
	 */
	async updateCredentialsOauthTokenData(_nodeCredentials, type, data) {
		this.store[type] = { ...(this.store[type] ?? {}), oauthTokenData: data.oauthTokenData };
	}

	/**
	 * @param {string} type
	 * @returns {INodeProperties[]}
	 */
	getCredentialsProperties(type) {
		const credentialTypeData = this.credentialTypes.getByName(type);
		if (credentialTypeData.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialTypeData.properties,
					{
						displayName: 'oauthTokenData',
						name: 'oauthTokenData',
						type: 'json',
						required: false,
						default: {},
					},
				];
			}
			return credentialTypeData.properties;
		}
		/** @type {INodeProperties[]} */ const combined = [];
		for (const parent of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialTypeData.properties);
		return combined;
	}
}

/**
 * Replaces every secret value in a string with `***`.
 * @param {string} text
 * @param {string[]} secrets
 * @returns {string}
 */
function redact(text, secrets) {
	let out = text;
	for (const secret of secrets) {
		if (secret) out = out.split(secret).join('***');
	}
	return out;
}

module.exports = { HarnessCredentialsHelper, redact };
