import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { RequestValidationError } from '../../../shared/errors';
import { apiRequest } from '../../../shared/transport';
import { operation } from '../operation';
import { toItems } from '../output';

const properties: INodeProperties[] = [
	{
		displayName: 'Asset ID',
		name: 'assetId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. US:user@example.com-306191111942:7612453183683579150',
		description:
			'The assetId of a history asset, not its assetRef: map the assetId field of Asset → List or of a finished job’s result',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['asset'], operation: ['delete'] } },
	properties,
);

/** `US:user@example.com-306191111942:7612453183683579150` → `US:user@example.com`. */
export function accountOfAssetId(assetId: string): string | undefined {
	return /^([A-Z]{2}:\S+?)-\d+:\d+$/.exec(assetId)?.[1];
}

/** DELETE /assets/{assetId} → `{ deleted, assetId, account }`. */
export const remove = operation({
	read(params) {
		const assetId = params.text('assetId');
		if (!assetId) throw new RequestValidationError([{ parameter: 'assetId', rule: 'is required' }]);
		return { assetId };
	},
	async execute({ assetId }, itemIndex) {
		const result = await apiRequest<IDataObject>(this, {
			method: 'DELETE',
			path: ['assets', assetId],
			context: { action: `delete asset ${assetId}`, account: accountOfAssetId(assetId), itemIndex },
		});
		return toItems(this, result, itemIndex);
	},
});
