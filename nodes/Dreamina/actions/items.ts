import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { accountParameterSchema, validate } from '../../shared/schemas';

/** API records as output items, each paired with the input item that asked for them. */
export function toItems(
	ctx: IExecuteFunctions,
	records: IDataObject | IDataObject[],
	itemIndex: number,
): INodeExecutionData[] {
	return ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray(records), {
		itemData: { item: itemIndex },
	});
}

/** The Account parameter, checked to be an account ID (REGION:email) before it is sent. */
export function accountParameter(ctx: IExecuteFunctions, itemIndex: number): string {
	const account = String(ctx.getNodeParameter('account', itemIndex, '') ?? '').trim();
	return validate(accountParameterSchema, { account }).account;
}
