import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

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
