import type { INodeProperties } from 'n8n-workflow';

import { ACCOUNT_ID_PATTERN } from '../capabilities';
import type { ItemParameters } from '../parameters';
import { describeValue, ParameterTypeError } from '../parameters';
import { accountParameterSchema } from '../schemas/account';
import { validate } from '../schemas/common';

/** The Account value that lets the API pick an account with free capacity. */
export const AUTO_ACCOUNT = 'auto';
export const AUTO_ACCOUNT_NAME = 'Auto (Any Account with Capacity)';

/** A resource locator, from the token's accounts (searchable) or by ID. */
export function accountLocator(auto: boolean): INodeProperties {
	return {
		displayName: 'Account',
		name: 'account',
		type: 'resourceLocator',
		default: auto
			? { mode: 'list', value: AUTO_ACCOUNT, cachedResultName: AUTO_ACCOUNT_NAME }
			: { mode: 'list', value: '' },
		required: !auto,
		description: auto
			? 'The Dreamina account that runs the job. Auto lets the API pick an account with free capacity, or the one the references belong to.'
			: 'The Dreamina account (REGION:email)',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: {
					searchListMethod: auto ? 'searchAccountsWithAuto' : 'searchAccounts',
					searchable: true,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: auto ? 'e.g. US:user@example.com, or auto' : 'e.g. US:user@example.com',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: auto ? `(?:${ACCOUNT_ID_PATTERN}|${AUTO_ACCOUNT})` : ACCOUNT_ID_PATTERN,
							errorMessage: 'An account ID is REGION:email, e.g. US:user@example.com',
						},
					},
				],
			},
		],
	};
}

/**
 * The Account of an item: an account ID, or undefined for Auto where allowed. A value that is not
 * text (an expression giving an object, a number) is refused, and so is an expression that gives
 * nothing: only the Auto choice itself means "any account" (a broken mapping must not spend
 * credits on whatever account the API picks).
 */
export function readAccount(params: ItemParameters, auto: boolean): string | undefined {
	const value = params.raw('account');
	const expected = auto ? 'an account ID (REGION:email) or Auto' : 'an account ID (REGION:email)';
	if (value !== undefined && value !== null && typeof value !== 'string') {
		throw new ParameterTypeError('account', expected, describeValue(value));
	}
	const account = (value ?? '').trim();
	if (auto && account === AUTO_ACCOUNT) return undefined;
	if (!account || account === AUTO_ACCOUNT)
		throw new ParameterTypeError('account', expected, describeValue(account));
	return account;
}

/** An Account that must name one account (no Auto), checked to be REGION:email before it is sent. */
export function readAccountId(params: ItemParameters): string {
	return validate(accountParameterSchema, { account: readAccount(params, false) }).account;
}
