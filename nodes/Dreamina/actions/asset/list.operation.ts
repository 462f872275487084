import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { accountProperty, compact } from '../../../shared/descriptions';
import type { ValidationIssue } from '../../../shared/errors';
import { RequestValidationError } from '../../../shared/errors';
import { listAssetsSchema, validate } from '../../../shared/schemas';
import { apiRequest } from '../../../shared/transport';
import { accountParameter, toItems } from '../items';

/** The API's largest page (GET /assets/{account}?count=1..100). */
export const MAX_PAGE_SIZE = 100;

const properties: INodeProperties[] = [
	accountProperty(false),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PAGE_SIZE },
				default: MAX_PAGE_SIZE,
				description: 'How many assets to ask for per request (1–100); more are read page by page',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['asset'], operation: ['list'] } },
	properties,
);

interface HistoryPage extends IDataObject {
	assets?: IDataObject[];
	hasMore?: boolean;
	nextOffset?: string | number;
	account?: string;
}

function readPaging(ctx: IExecuteFunctions, itemIndex: number) {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : Number(ctx.getNodeParameter('limit', itemIndex, 50));
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const pageSize = Number(options.pageSize ?? MAX_PAGE_SIZE);
	const issues: ValidationIssue[] = [];
	if (!returnAll && !(Number.isInteger(limit) && limit >= 1)) {
		issues.push({ parameter: 'limit', rule: 'must be a whole number, at least 1' });
	}
	if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= MAX_PAGE_SIZE)) {
		issues.push({
			parameter: 'pageSize',
			rule: `must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
		});
	}
	if (issues.length) throw new RequestValidationError(issues);
	return { limit, pageSize };
}

/** GET /assets/{account}: the generation history, newest first, read page by page via `nextOffset`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const account = accountParameter(this, itemIndex);
	const { limit, pageSize } = readPaging(this, itemIndex);
	const assets: IDataObject[] = [];
	let offset: string | number | undefined;
	while (assets.length < limit) {
		const qs = validate(
			listAssetsSchema,
			compact({ count: Math.min(pageSize, limit - assets.length), offset }),
		);
		const page = await apiRequest<HistoryPage>(this, {
			method: 'GET',
			path: ['assets', account],
			qs,
			context: { action: 'list the account’s assets', account, itemIndex },
		});
		const found = Array.isArray(page.assets) ? page.assets : [];
		assets.push(...found.map((asset) => ({ account: page.account ?? account, ...asset })));
		const next = page.nextOffset;
		if (
			!page.hasMore ||
			found.length === 0 ||
			next === undefined ||
			next === null ||
			next === offset
		)
			break;
		offset = next;
	}
	return toItems(this, assets.slice(0, limit), itemIndex);
}
