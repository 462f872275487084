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
		await Promise.race([n8nSleep(ms), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort!);
	}
}
