import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

import { SandboxError } from './errors';

/**
 * How a simulator behaves under load, as a real provider does: every answer takes a while (a fixed
 * latency, or one drawn from a range by a seeded generator, so every run sees the same sequence),
 * and each credential may make only so many calls in a rolling window (more are answered 429 with
 * Retry-After, and the handler does not run).
 */
export const loadSchema = z
	.object({
		/** Milliseconds added before every provider answer: fixed, or drawn uniformly from min–max. */
		latencyMs: z
			.union([
				z.number().min(0).max(60_000),
				z
					.object({
						min: z.number().min(0).max(60_000),
						max: z.number().min(0).max(60_000),
						/** The same seed gives the same sequence of latencies, request after request. */
						seed: z.number().int().default(1),
					})
					.strict()
					.refine((range) => range.min <= range.max, 'latencyMs.min must not be above latencyMs.max'),
			])
			.optional(),
		/** At most `calls` per credential within any `windowMs` (a rolling window, counted on arrival). */
		rateLimit: z
			.object({
				calls: z.number().int().min(1),
				windowMs: z.number().int().min(1),
			})
			.strict()
			.optional(),
	})
	.strict();

export type LoadInput = z.input<typeof loadSchema>;
export type LoadProfile = z.output<typeof loadSchema>;

export interface LoadStats {
	/** Provider requests that got a latency since the last reset. */
	delayed: number;
	/** Requests answered 429 by the rate limit since the last reset. */
	refused: number;
}

/** A small, fast, seeded generator of numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/**
 * A rolling window over `times`, the arrival times of recent calls, oldest first: counts a call
 * arriving at `now` in (and returns undefined) when fewer than `limit` calls arrived within the
 * last `windowMs`; otherwise leaves it out and returns the ms until the oldest one leaves the window.
 */
export function takeFromWindow(times: number[], limit: number, windowMs: number, now = Date.now()): number | undefined {
	while (times.length && times[0]! <= now - windowMs) times.shift();
	if (times.length >= limit) return times[0]! + windowMs - now;
	times.push(now);
	return undefined;
}

/** Whole seconds for Retry-After: at least 1, rounded up, so a client that waits that long finds room. */
export const retryAfterSeconds = (waitMs: number) => Math.max(1, Math.ceil(waitMs / 1000));

/** A 429 in the simulator's error shape, with Retry-After. */
export function tooManyRequests(waitMs: number, message?: string): SandboxError {
	const seconds = retryAfterSeconds(waitMs);
	return new SandboxError(429, 'rate_limited', [{ message: message ?? `Too many requests. Please retry after ${seconds} seconds.` }], undefined, {
		'retry-after': String(seconds),
	});
}

/** What identifies the caller's credential in a request: its secret headers and query parameters, hashed (else its IP). */
export function credentialKey(request: { headers: IncomingHttpHeaders; query: Record<string, unknown>; ip: string }, secretHeaders: readonly string[], secretQuery: readonly string[]): string {
	const parts = [
		...secretHeaders.map((name) => request.headers[name.toLowerCase()]).filter((value) => value !== undefined),
		...secretQuery.map((name) => request.query[name]).filter((value) => value !== undefined),
	].map((value) => JSON.stringify(value));
	const identity = parts.length ? parts.join('\n') : `ip:${request.ip}`;
	return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/** A server's load profile at work: the latency sequence and one rolling window per credential. */
export class LoadModel {
	private random: () => number = () => 0;
	/** Arrival times of recent calls, per credential. */
	private readonly windows = new Map<string, number[]>();
	private stats: LoadStats = { delayed: 0, refused: 0 };

	constructor(readonly profile: LoadProfile = {}) {
		this.reset();
	}

	/** The next latency of the sequence (0 without a latency). */
	nextLatencyMs(): number {
		const { latencyMs } = this.profile;
		if (latencyMs === undefined) return 0;
		this.stats.delayed += 1;
		if (typeof latencyMs === 'number') return latencyMs;
		return latencyMs.min + this.random() * (latencyMs.max - latencyMs.min);
	}

	/** Counts a call of `credential` and returns undefined, or returns the 429 that refuses it. */
	admit(credential: string, now = Date.now()): SandboxError | undefined {
		const { rateLimit } = this.profile;
		if (!rateLimit) return undefined;
		let window = this.windows.get(credential);
		if (!window) this.windows.set(credential, (window = []));
		const waitMs = takeFromWindow(window, rateLimit.calls, rateLimit.windowMs, now);
		if (waitMs === undefined) return undefined;
		this.stats.refused += 1;
		const seconds = retryAfterSeconds(waitMs);
		return tooManyRequests(waitMs, `Rate limit exceeded: ${rateLimit.calls} calls per ${rateLimit.windowMs} ms. Retry after ${seconds} second${seconds === 1 ? '' : 's'}.`);
	}

	/** The latency sequence starts again and every window empties. */
	reset(): void {
		const { latencyMs } = this.profile;
		this.random = seededRandom(typeof latencyMs === 'object' ? latencyMs.seed : 1);
		this.windows.clear();
		this.stats = { delayed: 0, refused: 0 };
	}

	describe(): LoadProfile & { stats: LoadStats } {
		return { ...this.profile, stats: { ...this.stats } };
	}
}
