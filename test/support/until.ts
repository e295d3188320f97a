/**
 * Polls `probe` until it gives something other than undefined and returns that; throws once
 * `timeoutMs` has passed. For state that changes in the background (a sandbox receiving n8n's
 * calls, a webhook delivery arriving): `until(() => (done() ? true : undefined))`.
 */
export async function until<T>(
	probe: () => T | undefined | Promise<T | undefined>,
	{ timeoutMs = 15_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting (${timeoutMs} ms)`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/** Runs `act`, then waits until `read()` gives something else than before it and returns the new value. */
export async function untilChanged<T>(read: () => T, act: () => Promise<unknown>): Promise<T> {
	const before = read();
	await act();
	return await until(() => {
		const now = read();
		return now !== before ? now : undefined;
	});
}
