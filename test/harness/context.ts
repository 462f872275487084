/**
 * Shared building blocks: workflow JSON -> `Workflow`, `IWorkflowExecuteAdditionalData` the way
 * n8n's `WorkflowExecuteAdditionalData.getBase()` shapes it (URLs derived from one instance base URL,
 * like n8n's WEBHOOK_URL + endpoint paths), and execution ids.
 */
import { ExecutionLifecycleHooks } from 'n8n-core';
import type {
	ExecutionStatus,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeType,
	IPinData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UserError, Workflow, deepCopy } from 'n8n-workflow';

import { HarnessCredentialsHelper, type HarnessCredentials } from './credentials';
import { getEnv } from './env';
import { createTypeRegistry, type TypeRegistry } from './node-types';

export const DEFAULT_INSTANCE_BASE_URL = 'http://localhost:5678/';

/** Workflow JSON as n8n exports it (only what execution needs is read). */
export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	pinData?: IPinData;
	staticData?: IDataObject | null;
	active?: boolean;
}

let executionCounter = 1000;
export function nextExecutionId(): string {
	executionCounter += 1;
	return String(executionCounter);
}

export function asWorkflowJson(workflow: object): WorkflowJson {
	const json = workflow as Partial<WorkflowJson>;
	if (!json || !Array.isArray(json.nodes)) {
		throw new UserError('Workflow JSON must have a "nodes" array');
	}
	// Deep copy: n8n mutates node parameters (defaults) and disables resumed nodes.
	return deepCopy({ ...json, connections: json.connections ?? {} }) as WorkflowJson;
}

export interface HarnessSetup {
	registry: TypeRegistry;
	credentialsHelper: HarnessCredentialsHelper;
}

export async function createSetup(
	credentials: HarnessCredentials | undefined,
	extraNodeTypes?: Record<string, INodeType | IVersionedNodeType>,
	extraCredentialTypes?: Record<string, ICredentialType>,
): Promise<HarnessSetup> {
	await getEnv();
	const registry = await createTypeRegistry(extraNodeTypes, extraCredentialTypes);
	const credentialsHelper = new HarnessCredentialsHelper(registry.credentialTypes, credentials);
	return { registry, credentialsHelper };
}

export function createWorkflow(
	json: WorkflowJson,
	registry: TypeRegistry,
	staticData?: IDataObject,
): Workflow {
	return new Workflow({
		id: json.id ?? 'harness-workflow',
		name: json.name ?? 'Harness workflow',
		nodes: json.nodes,
		connections: json.connections,
		active: json.active ?? false,
		nodeTypes: registry.nodeTypes,
		staticData: staticData ?? json.staticData ?? undefined,
		settings: json.settings,
		pinData: json.pinData,
	});
}

export function workflowBase(json: WorkflowJson, workflow: Workflow): IWorkflowBase {
	const now = new Date();
	return {
		id: workflow.id,
		name: workflow.name ?? 'Harness workflow',
		active: workflow.active,
		activeVersionId: null,
		isArchived: false,
		createdAt: now,
		updatedAt: now,
		nodes: json.nodes,
		connections: json.connections,
		settings: json.settings,
		pinData: json.pinData,
	} as IWorkflowBase;
}

export interface BaseUrls {
	instanceBaseUrl: string;
	restApiUrl: string;
	webhookBaseUrl: string;
	webhookWaitingBaseUrl: string;
	webhookTestBaseUrl: string;
	formBaseUrl: string;
	formWaitingBaseUrl: string;
	formTestBaseUrl: string;
	mcpBaseUrl: string;
	mcpTestBaseUrl: string;
}

/**
 * n8n derives every URL from one base (WEBHOOK_URL, default http://localhost:5678/) plus the
 * endpoint paths: `<base>webhook`, `<base>webhook-waiting`, `<base>webhook-test`, `<base>form`, …
 */
export function baseUrls(instanceBaseUrl = DEFAULT_INSTANCE_BASE_URL): BaseUrls {
	const base = instanceBaseUrl.endsWith('/') ? instanceBaseUrl : `${instanceBaseUrl}/`;
	return {
		instanceBaseUrl: base,
		restApiUrl: `${base}rest`,
		webhookBaseUrl: `${base}webhook`,
		webhookWaitingBaseUrl: `${base}webhook-waiting`,
		webhookTestBaseUrl: `${base}webhook-test`,
		formBaseUrl: `${base}form`,
		formWaitingBaseUrl: `${base}form-waiting`,
		formTestBaseUrl: `${base}form-test`,
		mcpBaseUrl: `${base}mcp`,
		mcpTestBaseUrl: `${base}mcp-test`,
	};
}

export interface AdditionalDataOptions {
	credentialsHelper: HarnessCredentialsHelper;
	executionId?: string;
	workflowId?: string;
	hooks?: ExecutionLifecycleHooks;
	instanceBaseUrl?: string;
	onStatus?: (status: ExecutionStatus) => void;
}

export function createAdditionalData(opts: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	const notAvailable = (what: string) => async () => {
		throw new UserError(`${what} is not available in the in-process test harness`);
	};
	const additionalData = {
		credentialsHelper: opts.credentialsHelper,
		executeWorkflow: notAvailable('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executionId: opts.executionId,
		workflowId: opts.workflowId,
		userId: 'harness-user',
		currentNodeExecutionIndex: 0,
		...baseUrls(opts.instanceBaseUrl),
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: notAvailable('The task runner (Code node)'),
		setExecutionStatus: opts.onStatus ?? (() => {}),
		sendDataToUI: () => {},
		hooks: opts.hooks,
	};
	return additionalData as unknown as IWorkflowExecuteAdditionalData;
}

export function createHooks(
	mode: WorkflowExecuteMode,
	executionId: string,
	base: IWorkflowBase,
): ExecutionLifecycleHooks {
	return new ExecutionLifecycleHooks(mode, executionId, base);
}
