import { sleep as n8nSleep } from 'n8n-workflow';

export class ExecutionCancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'ExecutionCancelledError';
	}
}

/** Waits, but gives up at once when the execution is cancelled (or another item failed). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await n8nSleep(ms);
	if (signal.aborted) throw new ExecutionCancelledError();
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(new ExecutionCancelledError());
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		// n8n's sleep clears its timer when the signal aborts (an older n8n ignores the signal;
		// the race still ends the wait at once).
		await Promise.race([n8nSleep(ms, signal).catch(() => undefined), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort!);
	}
}
