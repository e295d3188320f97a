import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';

import type { Problem } from './errors';
import type { BodyFormat, FileFields } from './http-body';
import type { SandboxServer } from './framework';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The request as parsed, before the route's zod schemas ran. */
export interface RawInput {
	params: Record<string, string>;
	query: Record<string, unknown>;
	body: unknown;
	files: FileFields;
}

export interface AuthInput<S> {
	headers: IncomingHttpHeaders;
	query: Record<string, unknown>;
	ip: string;
	state: S;
}

/** Throws a SandboxError (usually `unauthorized(...)`) to refuse the request. */
export type AuthCheck<S> = (input: AuthInput<S>) => void;

export interface RouteContext<S, Q, B, F> {
	params: Record<string, string>;
	query: Q;
	body: B;
	files: F;
	headers: IncomingHttpHeaders;
	ip: string;
	state: S;
	server: SandboxServer<S>;
}

/** A body written piece by piece (Server-Sent Events): the headers go out at once, the body as it comes. */
export interface StreamResult {
	status?: number;
	headers?: Record<string, string>;
	contentType: string;
	/** Writes the body; the response ends when it resolves. `closed` aborts when the client leaves or the server stops. */
	stream(write: (chunk: string | Buffer) => void, closed: AbortSignal): Promise<void>;
}

export type RouteResult =
	| { status?: number; headers?: Record<string, string>; json: unknown }
	| { status?: number; headers?: Record<string, string>; body: string | Buffer; contentType?: string }
	| StreamResult;

export interface Route<S, Q = Record<string, unknown>, B = unknown, F = FileFields> {
	method: HttpMethod;
	/** Full path with `:name` parameters, e.g. `/external-api/contact/update/:id`. */
	path: string;
	/** Defaults to the simulator's `authenticate`; `false` for public routes. */
	auth?: false | AuthCheck<S>;
	/** Body formats accepted; defaults to the simulator's. A body in another format is a 415. */
	accepts?: readonly BodyFormat[];
	query?: z.ZodType<Q, z.ZodTypeDef, unknown>;
	body?: z.ZodType<B, z.ZodTypeDef, unknown>;
	files?: z.ZodType<F, z.ZodTypeDef, unknown>;
	/**
	 * Rules zod cannot express on one field (cross-field, uniqueness, "exists in the account").
	 * Runs even when the schemas failed, so one response lists every problem, as Laravel does.
	 * May throw (e.g. `notFound`) to answer before validation errors.
	 */
	validate?(input: RawInput, state: S): Problem[];
	handle(context: RouteContext<S, Q, B, F>): RouteResult | Promise<RouteResult>;
}

export type AnyRoute<S> = Route<S, any, any, any>;

/** `const route = routeFor<MyState>()` then `route({ ... })`: infers query/body/files types from the schemas. */
export function routeFor<S>() {
	return <Q = Record<string, unknown>, B = unknown, F = FileFields>(route: Route<S, Q, B, F>): AnyRoute<S> => route;
}

export interface CompiledRoute<S> {
	route: AnyRoute<S>;
	/** `METHOD /path/:pattern`: how recordings, counters and faults name the route. */
	key: string;
	pattern: string;
	regex: RegExp;
	paramNames: string[];
}

export function compileRoute<S>(route: AnyRoute<S>, prefix = ''): CompiledRoute<S> {
	const pattern = prefix + route.path;
	const paramNames: string[] = [];
	const source = pattern
		.split('/')
		.map((segment) => {
			if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			paramNames.push(segment.slice(1));
			return '([^/]+)';
		})
		.join('/');
	return { route, key: `${route.method} ${pattern}`, pattern, regex: new RegExp(`^${source}/?$`), paramNames };
}

export type RouteMatch<S> =
	| { kind: 'found'; compiled: CompiledRoute<S>; params: Record<string, string> }
	| { kind: 'method_not_allowed'; allowed: HttpMethod[] }
	| { kind: 'none' };

export function matchRoute<S>(routes: readonly CompiledRoute<S>[], method: string, path: string): RouteMatch<S> {
	const allowed: HttpMethod[] = [];
	for (const compiled of routes) {
		const match = compiled.regex.exec(path);
		if (!match) continue;
		if (compiled.route.method !== method) {
			allowed.push(compiled.route.method);
			continue;
		}
		const params: Record<string, string> = {};
		compiled.paramNames.forEach((name, index) => {
			params[name] = safeDecode(match[index + 1]!);
		});
		return { kind: 'found', compiled, params };
	}
	return allowed.length ? { kind: 'method_not_allowed', allowed } : { kind: 'none' };
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * Route selectors, used by recordings and faults:
 * `*` (everything), a route key (`POST /x/update/:id`), a concrete request (`POST /x/update/7`),
 * or either form without the method (`/x/update/:id`: any method).
 */
export function selectorMatches(
	selector: string,
	request: { method: string; path: string; route: string | null },
): boolean {
	if (selector === '*') return true;
	const space = selector.indexOf(' ');
	const method = space > 0 ? selector.slice(0, space).toUpperCase() : undefined;
	const target = space > 0 ? selector.slice(space + 1).trim() : selector;
	if (method && method !== request.method) return false;
	const routePattern = request.route?.slice(request.route.indexOf(' ') + 1);
	return target === routePattern || target === request.path;
}
