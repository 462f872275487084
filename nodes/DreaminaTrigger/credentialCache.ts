import type { IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { CREDENTIAL_TYPE, type ApiContext } from '../shared/transport';

/** The fields of the Dreamina API credential the trigger uses (credentials/DreaminaApi.credentials.ts). */
export interface TriggerCredentials {
	apiToken: string;
	baseUrl?: string;
	callbackSecret?: string;
}

/**
 * How long a credential read by a Dreamina Trigger is kept in this process's memory.
 * n8n reads a credential from its database on every `getCredentials()`; under a burst of callbacks
 * that alone exhausts a webhook process's small connection pool (n8n then answers 503 "Database is
 * not ready!" to every webhook). A changed token or Callback Secret applies within this time.
 */
export const CREDENTIAL_CACHE_MS = 60_000;
const MAX_ENTRIES = 1000;

interface Entry {
	expiresAt: number;
	credentials: Promise<TriggerCredentials>;
}

const cache = new Map<string, Entry>();

/**
 * The node's Dreamina API credential: read once per CREDENTIAL_CACHE_MS per workflow and credential
 * id, and shared by the calls in between (concurrent first calls wait for the same read). Test URL
 * calls (manual mode) always read it, so a credential edited while building applies at once.
 * A failed read is not kept.
 */
export async function triggerCredentials(ctx: IWebhookFunctions): Promise<TriggerCredentials> {
	const read = async () => await ctx.getCredentials<TriggerCredentials>(CREDENTIAL_TYPE);
	const credentialId = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id;
	if (ctx.getMode() === 'manual' || !credentialId) return await read();

	// Per workflow too: n8n checks a credential's use against the workflow's project when it
	// decrypts it, so one workflow's read is never handed to another.
	const key = `${ctx.getWorkflow().id ?? ''}\u0000${credentialId}`;
	const now = Date.now();
	const cached = cache.get(key);
	if (cached && cached.expiresAt > now) return await cached.credentials;

	const credentials = read();
	cache.delete(key); // re-inserted last: the oldest entry is the first one in the Map
	cache.set(key, { expiresAt: now + CREDENTIAL_CACHE_MS, credentials });
	if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
	credentials.catch(() => {
		if (cache.get(key)?.credentials === credentials) cache.delete(key);
	});
	return await credentials;
}

/**
 * An API context for nodes/shared/transport.ts that uses credentials already read: no database
 * read per request. The header is the one the credential's `authenticate` sets
 * (credentials/DreaminaApi.credentials.ts), applied here because n8n's
 * `httpRequestWithAuthentication` would read the credential again.
 */
export function apiContextWith(
	ctx: IWebhookFunctions,
	credentials: TriggerCredentials,
): ApiContext {
	const httpRequestWithAuthentication = async (
		_credentialsType: string,
		options: IHttpRequestOptions,
	): Promise<unknown> =>
		await ctx.helpers.httpRequest({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${credentials.apiToken}` },
		});
	return {
		getNode: () => ctx.getNode(),
		getCredentials: (async () => credentials) as ApiContext['getCredentials'],
		helpers: {
			httpRequestWithAuthentication:
				httpRequestWithAuthentication as ApiContext['helpers']['httpRequestWithAuthentication'],
		},
	};
}
