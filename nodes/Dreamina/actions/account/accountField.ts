import type { INodeProperties } from 'n8n-workflow';

import { accountLocator } from '../../../shared/fields/account';

/** The Account of the account and asset operations: one named account (no Auto). */
export const accountFields: INodeProperties[] = [accountLocator(false)];
