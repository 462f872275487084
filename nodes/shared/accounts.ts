import type { IDataObject } from 'n8n-workflow';

import type { ApiContext } from './transport';
import { apiRequest } from './transport';

/** An account as GET /accounts and GET /accounts/{account} describe it. */
export interface AccountSummary extends IDataObject {
	account?: string;
	region?: string;
	maxJobs?: number;
	sessionExpires?: string;
	error?: string;
	models?: { video?: string[]; image?: string[] };
}

export type ModelKind = 'video' | 'image';

/**
 * The token's accounts for one node run: `GET /accounts` read once, and each account's live
 * details (`GET /accounts/{account}`: models, credits, session) read at most once, whatever the
 * number of items. The live model list is what an account offers; the docs' tables go stale.
 */
export class AccountDirectory {
	private summaries?: Promise<Record<string, AccountSummary>>;
	private readonly details = new Map<string, Promise<AccountSummary | undefined>>();

	constructor(private readonly ctx: ApiContext) {}

	/** GET /accounts (once). Throws when it can't be read. */
	async all(): Promise<Record<string, AccountSummary>> {
		this.summaries ??= apiRequest<Record<string, AccountSummary>>(this.ctx, {
			method: 'GET',
			path: ['accounts'],
			context: { action: 'read the accounts' },
		}).then((accounts) => accounts ?? {});
		return await this.summaries;
	}

	/** GET /accounts/{account} (once per account); undefined when it can't be read. */
	async live(account: string): Promise<AccountSummary | undefined> {
		let details = this.details.get(account);
		if (!details) {
			details = apiRequest<AccountSummary>(this.ctx, {
				method: 'GET',
				path: ['accounts', account],
				context: { action: 'read the account’s models', account },
			}).catch(() => undefined);
			this.details.set(account, details);
		}
		return await details;
	}

	/** The models the account offers today, or undefined when its live list can't be had. */
	async liveModels(account: string, kind: ModelKind): Promise<string[] | undefined> {
		const models = (await this.live(account))?.models?.[kind];
		return Array.isArray(models) && models.length > 0 ? models : undefined;
	}
}
