/** One thing wrong with a request, as a simulator reports it (Laravel lists every field, Mehery has codes). */
export interface Problem {
	field?: string;
	message: string;
	code?: string;
}

export type ErrorKind =
	| 'validation'
	| 'unauthorized'
	| 'forbidden'
	| 'not_found'
	| 'method_not_allowed'
	| 'unsupported_media_type'
	| 'payload_too_large'
	| 'bad_request'
	| 'conflict'
	| 'rate_limited'
	| 'server_error';

/** What a simulator's `errorBody` hook turns into its provider's error envelope. */
export interface ErrorInfo {
	status: number;
	kind: ErrorKind;
	problems: Problem[];
	/** A provider-specific code that overrides the one the kind implies (e.g. a Mesigic `remark`). */
	code?: string;
}

/** Thrown by auth hooks, validators and handlers; rendered in the provider's error shape. */
export class SandboxError extends Error {
	constructor(
		readonly status: number,
		readonly kind: ErrorKind,
		readonly problems: Problem[],
		readonly code?: string,
		readonly headers: Record<string, string> = {},
	) {
		super(problems.map((problem) => problem.message).join(' ') || kind);
		this.name = 'SandboxError';
	}

	get info(): ErrorInfo {
		return { status: this.status, kind: this.kind, problems: this.problems, code: this.code };
	}
}

const toProblems = (messages: string | string[] | Problem[]): Problem[] =>
	(Array.isArray(messages) ? messages : [messages]).map((entry) =>
		typeof entry === 'string' ? { message: entry } : entry,
	);

export const unauthorized = (messages: string | string[], code?: string) =>
	new SandboxError(401, 'unauthorized', toProblems(messages), code);

export const notFound = (messages: string | string[], code?: string) =>
	new SandboxError(404, 'not_found', toProblems(messages), code);

export const invalid = (problems: string | string[] | Problem[], status = 422, code?: string) =>
	new SandboxError(status, 'validation', toProblems(problems), code);
