import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeParameterResourceLocator,
	IWebhookFunctions,
} from 'n8n-workflow';

/**
 * Reads one item's parameters with their types checked. An expression can resolve to anything; a
 * value of the wrong type is refused with the parameter and the type it got, never guessed (an
 * object as an Account would otherwise send no account at all and the API would pick one).
 */
export class ParameterTypeError extends Error {
	constructor(
		readonly path: string,
		readonly expected: string,
		readonly got: string,
	) {
		super(`must be ${expected}, but it is ${got}`);
		this.name = 'ParameterTypeError';
	}
}

/** "text "abc"", "the number 5", "an object", … for messages. */
export function describeValue(value: unknown): string {
	if (value === undefined || value === null || value === '') return 'empty';
	if (typeof value === 'string') {
		return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	}
	if (typeof value === 'number') return `the number ${value}`;
	if (typeof value === 'boolean') return `the boolean ${value}`;
	if (Array.isArray(value)) return `a list of ${value.length}`;
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

function isResourceLocator(value: unknown): value is INodeParameterResourceLocator {
	return typeof value === 'object' && value !== null && (value as IDataObject).__rl === true;
}

/** n8n runs a node as an AI Agent's tool under the type `<type>Tool`. */
export function isToolNode(node: INode): boolean {
	return node.type.endsWith('Tool');
}

export class ItemParameters {
	private readonly node: INode;
	private readonly read: (path: string) => unknown;

	/** An execute context reads item `itemIndex`; a webhook context (resuming a wait) has no items. */
	constructor(ctx: IExecuteFunctions | IWebhookFunctions, itemIndex = 0) {
		this.node = ctx.getNode();
		this.read =
			'getInputData' in ctx
				? (path) => ctx.getNodeParameter(path, itemIndex, null)
				: (path) => ctx.getNodeParameter(path, null);
	}

	/**
	 * Whether the node runs as an AI Agent's tool (n8n runs `<type>Tool` with the agent's arguments
	 * as the only item): a tool returns JSON only, and the agent waits for its answer.
	 */
	get asTool(): boolean {
		return isToolNode(this.node);
	}

	/** The value as n8n resolves it (expressions evaluated for this item). */
	raw(path: string): unknown {
		const value = this.read(path);
		return isResourceLocator(value) ? value.value : value;
	}

	/** Whether the parameter, as written in the workflow, is an expression. */
	isExpression(path: string): boolean {
		const written = this.written(path);
		return typeof written === 'string' && written.startsWith('=');
	}

	private written(path: string): unknown {
		let value: unknown = this.node.parameters;
		for (const key of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
			if (value === null || typeof value !== 'object') return undefined;
			value = (value as IDataObject)[key];
		}
		return isResourceLocator(value) ? value.value : value;
	}

	/** Text, trimmed; empty is undefined. Numbers are refused like any other non-text. */
	text(path: string): string | undefined {
		const value = this.raw(path);
		if (value === undefined || value === null) return undefined;
		if (typeof value !== 'string') throw new ParameterTypeError(path, 'text', describeValue(value));
		return value.trim() || undefined;
	}

	/** Text as written, spaces kept (a password); empty is undefined. */
	exactText(path: string): string | undefined {
		const value = this.raw(path);
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value !== 'string') throw new ParameterTypeError(path, 'text', 'not text');
		return value;
	}

	/** A number; numeric text is refused (a sheet's "5" is not guessed into 5). */
	number(path: string): number | undefined {
		const value = this.raw(path);
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			throw new ParameterTypeError(path, 'a number', describeValue(value));
		}
		return value;
	}

	boolean(path: string, fallback: boolean): boolean {
		const value = this.raw(path);
		if (value === undefined || value === null || value === '') return fallback;
		if (typeof value !== 'boolean') {
			throw new ParameterTypeError(path, 'true or false', describeValue(value));
		}
		return value;
	}

	/** A number or text the API takes as either (an options list whose values are numbers). */
	numberOrText(path: string): number | string | undefined {
		const value = this.raw(path);
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value === 'number' && Number.isFinite(value)) return value;
		if (typeof value === 'string') return value.trim() || undefined;
		throw new ParameterTypeError(path, 'a number', describeValue(value));
	}

	/** One of the values an options field offers. */
	choice<T extends string>(path: string, allowed: readonly T[], fallback: T): T {
		const value = this.raw(path);
		if (value === undefined || value === null || value === '') return fallback;
		if (typeof value !== 'string' || !allowed.includes(value as T)) {
			throw new ParameterTypeError(path, `one of ${allowed.join(', ')}`, describeValue(value));
		}
		return value as T;
	}

	/** The rows of a fixedCollection list, e.g. `keyframes.keyframe`. */
	rowCount(path: string): number {
		const value = this.raw(path);
		if (value === undefined || value === null || value === '') return 0;
		if (!Array.isArray(value)) throw new ParameterTypeError(path, 'a list', describeValue(value));
		return value.length;
	}

	/** A collection (e.g. Options) as an object. */
	collection(path: string): IDataObject {
		const value = this.raw(path);
		if (value === undefined || value === null || value === '') return {};
		if (typeof value !== 'object' || Array.isArray(value)) {
			throw new ParameterTypeError(path, 'an object', describeValue(value));
		}
		return value as IDataObject;
	}
}
