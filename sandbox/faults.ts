import { z } from 'zod';

import { selectorMatches } from './routing';

/**
 * What can go wrong with one request. Every faulted request is still recorded (flagged), so tests
 * count attempts apart from accepted requests.
 * - rate-limit: 429 with Retry-After (seconds); the handler does not run.
 * - server-error: any 5xx (default 500); the handler does not run.
 * - reset-before: the connection is reset as soon as the request line and headers arrive; nothing
 *   is processed (the body is never read).
 * - reset-after-receive: the request is processed (state changes, it counts as accepted) and then
 *   the connection is reset instead of answering, as when a provider sent a message but the reply
 *   was lost. A client that retries a send here makes a duplicate.
 * - slow: the request is processed, then the reply waits `delayMs` (long enough to trip a client
 *   timeout, after the provider already acted).
 * - malformed: the request is processed and answered with a truncated JSON body.
 * - answer: the handler does not run; the request is answered with this status, content type and
 *   raw body, as a proxy, a wrong base URL or a broken provider would (an HTML page, plain text,
 *   an empty body, `null`, `{}`).
 */
export const faultSchema = z.discriminatedUnion('kind', [
	z.object({
		kind: z.literal('rate-limit'),
		retryAfter: z.number().int().min(0).default(1),
		body: z.unknown().optional(),
	}),
	z.object({
		kind: z.literal('server-error'),
		status: z.number().int().min(500).max(599).default(500),
		retryAfter: z.number().int().min(0).optional(),
		body: z.unknown().optional(),
	}),
	z.object({ kind: z.literal('reset-before') }),
	z.object({ kind: z.literal('reset-after-receive') }),
	z.object({ kind: z.literal('slow'), delayMs: z.number().int().min(0).max(600_000) }),
	z.object({ kind: z.literal('malformed'), status: z.number().int().min(100).max(599).optional() }),
	z.object({
		kind: z.literal('answer'),
		status: z.number().int().min(100).max(599).default(200),
		contentType: z.string().optional(),
		body: z.string().default(''),
	}),
]);

/** A fault as given by callers (defaults optional). */
export type FaultInput = z.input<typeof faultSchema>;
export type Fault = z.output<typeof faultSchema>;
export type FaultKind = Fault['kind'];
export const FAULT_KINDS = faultSchema.options.map((option) => option.shape.kind.value) as [FaultKind, ...FaultKind[]];

export interface QueuedFault {
	id: number;
	/** A route selector, see `selectorMatches`. */
	route: string;
	fault: Fault;
	remaining: number;
}

/** Faults queued per route; each matching request consumes one, oldest queued first. */
export class FaultQueue {
	private entries: QueuedFault[] = [];
	private nextId = 1;

	add(route: string, fault: FaultInput, times = 1): QueuedFault {
		if (!Number.isInteger(times) || times < 1) throw new RangeError('times must be a positive integer');
		const entry: QueuedFault = { id: this.nextId++, route, fault: faultSchema.parse(fault), remaining: times };
		this.entries.push(entry);
		return entry;
	}

	take(request: { method: string; path: string; route: string | null }): Fault | undefined {
		const entry = this.entries.find((candidate) => selectorMatches(candidate.route, request));
		if (!entry) return undefined;
		entry.remaining -= 1;
		if (entry.remaining === 0) this.entries = this.entries.filter((candidate) => candidate !== entry);
		return entry.fault;
	}

	pending(): QueuedFault[] {
		return this.entries.map((entry) => ({ ...entry }));
	}

	clear(): void {
		this.entries = [];
	}
}
