import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { HISTORY_PAGE_SIZE } from '../../../shared/capabilities';
import type { ValidationIssue } from '../../../shared/errors';
import { RequestValidationError } from '../../../shared/errors';
import { readAccountId } from '../../../shared/fields/account';
import { optionsCollection } from '../../../shared/fields/options';
import { compact } from '../../../shared/objects';
import { listAssetsSchema } from '../../../shared/schemas/account';
import { validate } from '../../../shared/schemas/common';
import { apiRequest } from '../../../shared/transport';
import { accountFields } from '../account/accountField';
import { operation } from '../operation';
import { toItems } from '../output';

const MAX_PAGE_SIZE = HISTORY_PAGE_SIZE.max;

const properties: INodeProperties[] = [
	...accountFields,
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
	optionsCollection([
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: HISTORY_PAGE_SIZE.max },
			default: MAX_PAGE_SIZE,
			description: `How many assets to ask for per request (1–${HISTORY_PAGE_SIZE.max}); more are read page by page`,
		},
	]),
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

/** GET /assets/{account}: the generation history, newest first, read page by page via `nextOffset`. */
export const list = operation({
	read(params) {
		const account = readAccountId(params);
		const returnAll = params.boolean('returnAll', false);
		const limit = returnAll ? Infinity : (params.number('limit') ?? 50);
		const pageSize = params.number('options.pageSize') ?? HISTORY_PAGE_SIZE.max;
		const issues: ValidationIssue[] = [];
		if (!returnAll && !(Number.isInteger(limit) && limit >= 1)) {
			issues.push({ parameter: 'limit', rule: 'must be a whole number, at least 1' });
		}
		if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= HISTORY_PAGE_SIZE.max)) {
			issues.push({
				parameter: 'pageSize',
				path: 'options.pageSize',
				rule: `must be a whole number from 1 to ${HISTORY_PAGE_SIZE.max}`,
			});
		}
		if (issues.length) throw new RequestValidationError(issues);
		return { account, limit, pageSize };
	},
	async execute({ account, limit, pageSize }, itemIndex) {
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
			) {
				break;
			}
			offset = next;
		}
		return toItems(this, assets.slice(0, limit), itemIndex);
	},
});
