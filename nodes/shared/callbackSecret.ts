/**
 * The API only POSTs to a plain `replyUrl` and does not sign its callbacks, so the URL itself
 * carries the proof: `<Dreamina Trigger's Production URL>?secret=<Callback Secret>`. The generation
 * nodes add it to their Reply URL (jobs/… via generation.ts); Dreamina Trigger checks it; every
 * record the nodes put out has it masked.
 */
export const SECRET_QUERY_PARAMETER = 'secret';

/**
 * A Dreamina API credential's Callback Secret as the trigger checks it and the generation nodes
 * append it: trimmed (a pasted value often ends with a space or a line break), '' when unset.
 */
export function callbackSecretOf(credentials: { callbackSecret?: unknown }): string {
	return typeof credentials.callbackSecret === 'string' ? credentials.callbackSecret.trim() : '';
}

/**
 * `https://n8n.example.com/webhook/…/dreamina` → `…/dreamina?secret=<secret>` (an existing secret
 * parameter is replaced, other query parameters are kept).
 */
export function withCallbackSecret(replyUrl: string, secret: string): string {
	const url = new URL(replyUrl);
	url.searchParams.set(SECRET_QUERY_PARAMETER, secret);
	return url.toString();
}

/** `…?secret=abc&x=1` → `…?secret=***&x=1`: an emitted record must not carry the secret on. */
export function redactSecret(url: string): string {
	return url.replace(/([?&]secret=)[^&#]*/gi, '$1***');
}
