import type { INodeProperties } from 'n8n-workflow';

import { accountLocator, accountOptionsField } from '../../../shared/fields/account';
import { onlyInVersions } from '../../../shared/fields/versions';

/** The Account of the account and asset operations: one named account (no Auto). */
export const accountFields: INodeProperties[] = [
	...onlyInVersions([1], [accountOptionsField(false)]),
	...onlyInVersions([2], [accountLocator(false)]),
];
