// @ts-check
'use strict';
/**
 * An in-memory `ICredentialsHelper` doing what nodes can observe of n8n's CLI `CredentialsHelper`:
 * any credential id maps to the data given for its type; `getDecrypted` fills in the type's
 * defaults and resolves expressions in the data; a generic `authenticate`
 * (`=Bearer {{$credentials.apiToken}}`) is resolved and merged into the request. This package's
 * credentials have no OAuth, no parent types and no pre-authentication, so those are not emulated.
 */
const { Credentials, getAdditionalKeys } = require('n8n-core');
/**
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').IHttpRequestOptions} IHttpRequestOptions
 * @typedef {import('n8n-workflow').INode} INode
 * @typedef {import('n8n-workflow').INodeCredentialsDetails} INodeCredentialsDetails
 * @typedef {import('n8n-workflow').INodeParameters} INodeParameters
 * @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData
 * @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode
 * @typedef {import('./node-types').TypeRegistry} TypeRegistry
 */
const { ICredentialsHelper, NodeHelpers, UserError, Workflow } = require('n8n-workflow');

/**
 * Credential data per credential type name.
 * @typedef {{ dreaminaApi?: { apiToken: string; baseUrl?: string }; [credentialType: string]: Record<string, unknown> | undefined }} HarnessCredentials
 */

/** @type {INode} */ const mockNode = {
	id: 'harness-credentials',
	name: 'Credentials',
	typeVersion: 1,
	type: 'n8n-nodes-base.noOp', // any registered type: the node only carries the expressions
	position: [0, 0],
	parameters: {},
};

class HarnessCredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {TypeRegistry} registry
	 * @param {HarnessCredentials} [credentials]
	 */
	constructor(registry, credentials = {}) {
		super();
		/** @readonly */ this.registry = registry;
		/** @type {Record<string, ICredentialDataDecryptedObject>} @readonly */
		this.store = /** @type {never} */ (JSON.parse(JSON.stringify(credentials)));
	}

	/**
	 * Values that must never show up in results: the stored password-type fields and token-like keys.
	 * @returns {string[]}
	 */
	secrets() {
		return Object.entries(this.store).flatMap(([type, data]) =>
			Object.entries(data)
				.filter(([key, value]) => {
					if (typeof value !== 'string' || value.length < 4) return false;
					const property = this.getCredentialsProperties(type).find((p) => p.name === key);
					return property?.typeOptions?.password === true || /token|secret|password/i.test(key);
				})
				.map(([, value]) => /** @type {string} */ (value)),
		);
	}

	/**
	 * @param {ICredentialDataDecryptedObject} credentials
	 * @param {string} typeName
	 * @param {IHttpRequestOptions} requestOptions
	 * @param {Workflow} workflow
	 * @param {INode} node
	 */
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = this.registry.credentialType(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type !== 'generic') return requestOptions;
		/** @param {string} value */
		const resolve = (value) =>
			String(
				workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				) ?? '',
			);
		const target = /** @type {Record<string, Record<string, unknown>>} */ (
			/** @type {unknown} */ (requestOptions)
		);
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(/** @type {Record<string, string>} */ (entries))) {
				target[outerKey] ??= {};
				target[outerKey][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	/** @returns {string[]} */
	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	/**
	 * @param {INodeCredentialsDetails} nodeCredentials
	 * @param {string} type
	 */
	stored(nodeCredentials, type) {
		const data = this.store[type];
		if (!data) {
			throw new UserError(
				`Credential with ID "${nodeCredentials.id ?? ''}" does not exist for type "${type}".`,
			);
		}
		return { ...data };
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
		await credentials.setData(this.stored(nodeCredentials, type));
		return credentials;
	}

	/**
	 * @param {IWorkflowExecuteAdditionalData} additionalData
	 * @param {INodeCredentialsDetails} nodeCredentials
	 * @param {string} type
	 * @param {WorkflowExecuteMode} mode
	 * @param {unknown} [_executeData]
	 * @param {boolean} [raw]
	 */
	async getDecrypted(additionalData, nodeCredentials, type, mode, _executeData, raw) {
		const data = this.stored(nodeCredentials, type);
		return raw ? data : await this.applyDefaultsAndOverwrites(additionalData, data, type, mode);
	}

	/**
	 * The credential type's defaults filled in, expressions in the data resolved.
	 * @param {IWorkflowExecuteAdditionalData} additionalData
	 * @param {ICredentialDataDecryptedObject} data
	 * @param {string} type
	 * @param {WorkflowExecuteMode} mode
	 * @returns {Promise<ICredentialDataDecryptedObject>}
	 */
	async applyDefaultsAndOverwrites(additionalData, data, type, mode) {
		const withDefaults = /** @type {INodeParameters} */ (
			NodeHelpers.getNodeParameters(
				this.getCredentialsProperties(type),
				/** @type {INodeParameters} */ (data),
				true,
				false,
				null,
				null,
			)
		);
		const workflow = new Workflow({
			nodes: [mockNode],
			connections: {},
			active: false,
			nodeTypes: this.registry.nodeTypes,
		});
		const keys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		return await workflow.expression.withIsolate(
			async () =>
				/** @type {ICredentialDataDecryptedObject} */ (
					workflow.expression.getComplexParameterValue(
						mockNode,
						withDefaults,
						mode,
						keys,
						undefined,
						undefined,
						withDefaults,
					)
				),
		);
	}

	/**
	 * @param {INodeCredentialsDetails} _nodeCredentials
	 * @param {string} type
	 * @param {ICredentialDataDecryptedObject} data
	 */
	async updateCredentials(_nodeCredentials, type, data) {
		this.store[type] = { ...data };
	}

	async updateCredentialsOauthTokenData() {}

	/** @param {string} type */
	getCredentialsProperties(type) {
		return this.registry.credentialType(type).properties;
	}
}

/**
 * Every secret value in the text replaced with `***`.
 * @param {string} text
 * @param {string[]} secrets
 */
const redact = (text, secrets) =>
	secrets.reduce((out, secret) => out.split(secret).join('***'), text);

module.exports = { HarnessCredentialsHelper, redact };
