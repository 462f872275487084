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
import { Credentials, getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	isExpression,
} from 'n8n-workflow';

import type { HarnessCredentialTypes } from './node-types';

/** Credential data per credential type name. */
export interface HarnessCredentials {
	dreaminaApi?: { apiToken: string; baseUrl?: string };
	[credentialType: string]: Record<string, unknown> | undefined;
}

const mockNode: INode = {
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

export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly store: Record<string, ICredentialDataDecryptedObject> = {};

	constructor(
		private readonly credentialTypes: HarnessCredentialTypes,
		credentials: HarnessCredentials = {},
	) {
		super();
		for (const [type, data] of Object.entries(credentials)) {
			if (data) this.store[type] = { ...(data as ICredentialDataDecryptedObject) };
		}
	}

	/** Values that must never show up in output: every stored string of a password-type field. */
	secrets(): string[] {
		const out: string[] = [];
		for (const [type, data] of Object.entries(this.store)) {
			let properties: INodeProperties[] = [];
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

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions;
		const credentialType = this.credentialTypes.getByName(typeName);
		const { authenticate } = credentialType;
		if (!authenticate) return requestOptions as IHttpRequestOptions;

		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}

		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			if (!workflow || !node) {
				throw new UnexpectedError(
					'Workflow and node are required for declarative credential authentication',
				);
			}
			requestOptions.headers ??= {};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
					const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
					const valueResolved = this.resolveValue(
						value as string,
						{ $credentials: credentials },
						workflow,
						node,
					);
					target[outerKey] ??= {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
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

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
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
				...(output as ICredentialDataDecryptedObject),
			};
		}
		return Object.assign(credentials, output as ICredentialDataDecryptedObject);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const type = this.credentialTypes.getByName(credentialType);
		if (!type.restrictToSupportedNodes) return true;
		return this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
	}

	private getStored(nodeCredentials: INodeCredentialsDetails, type: string) {
		const data = this.store[type];
		if (!data) {
			throw new UserError(
				`Credential with ID "${nodeCredentials.id ?? ''}" does not exist for type "${type}".`,
			);
		}
		return data;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string) {
		const credentials = new Credentials(
			{ id: nodeCredentials.id ?? '1', name: nodeCredentials.name },
			type,
		);
		await credentials.setData({ ...this.getStored(nodeCredentials, type) });
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
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

	/** Fills in the credential type's defaults and resolves expressions in the data. */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);
		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			decryptedDataOriginal as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
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
				) as ICredentialDataDecryptedObject;
			} catch (e) {
				(e as Error).message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const workflow = new Workflow({
				nodes: [{ ...mockNode }],
				connections: {},
				active: false,
				nodeTypes: mockNodeTypes as never,
			});
			decryptedData = await workflow.expression.withIsolate(
				async () =>
					workflow.expression.getComplexParameterValue(
						mockNode,
						decryptedData as INodeParameters,
						mode,
						additionalKeys,
						undefined,
						undefined,
						decryptedData,
					) as ICredentialDataDecryptedObject,
			);
		}
		return decryptedData;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = { ...data };
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = { ...(this.store[type] ?? {}), oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
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
		const combined: INodeProperties[] = [];
		for (const parent of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialTypeData.properties);
		return combined;
	}
}

/** Replaces every secret value in a string with `***`. */
export function redact(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (secret) out = out.split(secret).join('***');
	}
	return out;
}
