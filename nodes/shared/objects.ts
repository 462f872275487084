import type { IDataObject } from 'n8n-workflow';

/** Drops undefined, null and empty-string values: a field the user left empty is not sent. */
export function compact<T extends IDataObject>(object: T): T {
	return Object.fromEntries(
		Object.entries(object).filter(
			([, value]) => value !== undefined && value !== null && value !== '',
		),
	) as T;
}
