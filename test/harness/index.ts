/**
 * In-process n8n test harness: runs this package's nodes (loaded from TypeScript source) with
 * n8n-core's real engine (WorkflowExecute, RoutingNode, LoadOptionsContext, WebhookContext,
 * BinaryDataService in filesystem mode) — no n8n server, no database.
 *
 *   runWorkflow      run exported workflow JSON; result with status, errors, items, binary access
 *   testCredential   a credential's test, as the editor's "Test" button runs it
 *   loadOptions      a node's loadOptions method, as the editor calls it
 *   callWebhook      deliver an HTTP request to a webhook/trigger node (or resume a waiting run)
 *   runWebhookMethod / activateWebhook / deactivateWebhook   webhook setup methods
 */
export { runWorkflow, type RunOptions, type RunResult, type RunError } from './run';
export { testCredential, loadOptions, type LoadOptionsExtra } from './editor';
export {
	callWebhook,
	runWebhookMethod,
	activateWebhook,
	deactivateWebhook,
	type CallWebhookOptions,
	type CallWebhookResult,
	type WebhookSetupOptions,
	type WebhookSetupResult,
} from './webhook';
export type { HarnessCredentials } from './credentials';
export { baseUrls, DEFAULT_INSTANCE_BASE_URL, type WorkflowJson } from './context';
export { getPackage, PACKAGE_ROOT, type LoadedPackage } from './node-types';
export { getEnv, disposeHarness } from './env';
export {
	HarnessManualTrigger,
	HarnessNoOp,
	HarnessBinaryFixture,
	HarnessSetJson,
} from './helper-nodes';
