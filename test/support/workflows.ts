/**
 * Builds workflow JSON the way n8n exports it, for the harness and the real n8n CLI alike.
 * Nodes are chained in the order given: trigger → … → last.
 */
export const PACKAGE = 'n8n-nodes-dreamina';
/** The one version of every Dreamina node. */
export const NODE_VERSION = 2;
export const CREDENTIAL_REF = { dreaminaApi: { id: 'dreamina-cred', name: 'Dreamina (emulator)' } };

export interface NodeSpec {
	name: string;
	type: string;
	parameters?: Record<string, unknown>;
	typeVersion?: number;
	continueOnFail?: boolean;
	/** n8n's Settings → On Error; `continueOnFail: true` is `continueRegularOutput` */
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
	credentials?: boolean;
}

export function dreamina(node: string): string {
	return `${PACKAGE}.${node}`;
}

/** A node as written: `extra` is merged into the node JSON (credentials, onError, …). */
export interface RawNodeSpec {
	name: string;
	type: string;
	typeVersion?: number;
	parameters?: Record<string, unknown>;
	extra?: Record<string, unknown>;
}

/** Nodes connected one after another, exactly as given. */
export function linearWorkflow(specs: RawNodeSpec[], name = 'test workflow') {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < specs.length - 1; i++) {
		connections[specs[i].name] = { main: [[{ node: specs[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		id: 'wf-' + name.replace(/\W+/g, '-'),
		name,
		active: false,
		nodes: specs.map((spec, i) => ({
			id: `node-${i}`,
			name: spec.name,
			type: spec.type,
			typeVersion: spec.typeVersion ?? (spec.type.startsWith(PACKAGE) ? NODE_VERSION : 1),
			position: [i * 220, 0],
			parameters: spec.parameters ?? {},
			...(spec.extra ?? {}),
		})),
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Manual trigger → the given nodes; Dreamina nodes get the test credential. */
export function chain(nodes: NodeSpec[], name = 'test workflow') {
	const all: NodeSpec[] = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, ...nodes];
	return linearWorkflow(
		all.map((spec) => ({
			name: spec.name,
			type: spec.type,
			typeVersion: spec.typeVersion,
			parameters: spec.parameters,
			extra: {
				...(spec.onError || spec.continueOnFail
					? { onError: spec.onError ?? 'continueRegularOutput' }
					: {}),
				...(spec.credentials !== false && spec.type.startsWith(PACKAGE)
					? { credentials: CREDENTIAL_REF }
					: {}),
			},
		})),
		name,
	);
}

/** Items for `test.setJson`. */
export function items(list: object[]): NodeSpec {
	return { name: 'Items', type: 'test.setJson', parameters: { json: JSON.stringify(list) } };
}

/** Fast polling for tests: jobs in the emulator take a second or two, not minutes. */
export const FAST_POLL = { firstCheckSeconds: 0.3, maxIntervalSeconds: 0.3 };
