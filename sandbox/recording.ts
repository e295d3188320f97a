import type { IncomingHttpHeaders } from 'node:http';

import type { FaultKind } from './faults';
import type { FileInfo } from './http-body';
import { selectorMatches } from './routing';

export const REDACTED = '[redacted]';

/** Headers that carry secrets whatever the provider; simulators add their own. */
export const ALWAYS_SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];

export interface ReceivedRequest {
	seq: number;
	at: string;
	method: string;
	path: string;
	/** The matched route's key (`POST /external-api/contact/store`), null when no route matched. */
	route: string | null;
	params: Record<string, string>;
	query: Record<string, unknown>;
	body: unknown;
	files: FileInfo[];
	headers: Record<string, string | string[]>;
	ip: string;
	fault: FaultKind | null;
	/** The status sent back; null when the connection was reset instead. */
	status: number | null;
	/** The route's handler ran and succeeded (the provider acted), whatever reached the client. */
	accepted: boolean;
}

export interface RequestFilter {
	/** A route selector (see `selectorMatches`). */
	route?: string;
	accepted?: boolean;
	/** A fault kind, or null for requests no fault touched. */
	fault?: FaultKind | null;
	/** Only requests with a larger seq. */
	since?: number;
}

export interface RouteCount {
	received: number;
	accepted: number;
}

export class Recorder {
	private requests: ReceivedRequest[] = [];
	private nextSeq = 1;

	constructor(private readonly limit = 10_000) {}

	open(request: Omit<ReceivedRequest, 'seq' | 'at' | 'fault' | 'status' | 'accepted' | 'body' | 'files'>): ReceivedRequest {
		const record: ReceivedRequest = {
			seq: this.nextSeq++,
			at: new Date().toISOString(),
			...request,
			body: undefined,
			files: [],
			fault: null,
			status: null,
			accepted: false,
		};
		this.requests.push(record);
		if (this.requests.length > this.limit) this.requests.shift();
		return record;
	}

	list(filter: string | RequestFilter = {}): ReceivedRequest[] {
		const { route, accepted, fault, since } = typeof filter === 'string' ? { route: filter } : filter;
		return this.requests.filter(
			(request) =>
				(route === undefined || selectorMatches(route, request)) &&
				(accepted === undefined || request.accepted === accepted) &&
				(fault === undefined || request.fault === fault) &&
				(since === undefined || request.seq > since),
		);
	}

	counts(): Record<string, RouteCount> {
		const counts: Record<string, RouteCount> = {};
		for (const request of this.requests) {
			const key = request.route ?? `${request.method} ${request.path}`;
			const count = (counts[key] ??= { received: 0, accepted: 0 });
			count.received += 1;
			if (request.accepted) count.accepted += 1;
		}
		return counts;
	}

	clear(): void {
		this.requests = [];
	}
}

export function redactHeaders(headers: IncomingHttpHeaders, secretHeaders: readonly string[]): Record<string, string | string[]> {
	const secrets = new Set(secretHeaders.map((name) => name.toLowerCase()));
	const redacted: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		redacted[name] = secrets.has(name.toLowerCase()) ? REDACTED : value;
	}
	return redacted;
}

export function redactFields(fields: Record<string, unknown>, secretNames: readonly string[]): Record<string, unknown> {
	if (secretNames.length === 0) return fields;
	return Object.fromEntries(
		Object.entries(fields).map(([name, value]) => [name, secretNames.includes(name) ? REDACTED : value]),
	);
}
