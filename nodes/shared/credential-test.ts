import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestFunctions,
	ICredentialType,
	ICredentialsDecrypted,
	IDataObject,
	IHttpRequestMethods,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import type { ZodIssue, ZodTypeAny } from 'zod';

import { describeAnswer, Redactor, TRANSPORT_MESSAGES, type RawAnswer } from './errors';
import type { Provider } from './operation';

/** An answer that proves the credential works: this status, with a body of this shape. */
export interface AcceptedAnswer {
	status: number;
	shape: ZodTypeAny;
	/** The answer in words, completing "answered with …" (e.g. "its contact list"). */
	what: string;
}

/**
 * How a provider's credential is tested: one call that changes nothing at the provider, and the
 * documented answers that prove the credential works. Anything else fails the test, saying what
 * came back.
 */
export interface CredentialTestSpec {
	/** Relative to the credential's base URL. */
	request: { method: IHttpRequestMethods; path: string; query?: IDataObject; body?: IDataObject };
	accepts: AcceptedAnswer[];
	/** The credential field holding the address, as the user sees it ("Base URL"). */
	baseUrlLabel: string;
}

/** What the credential's `authenticate` adds to a call. */
type Authentication = { headers: IDataObject; qs: IDataObject };


const TIMEOUT_MS = 30_000;
function transportReason(error: unknown): string {
	for (let current = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && current.code !== '') return TRANSPORT_MESSAGES[current.code] ?? current.code;
		current = current.cause as typeof current;
	}
	return error instanceof Error ? error.message : String(error);
}

const CREDENTIAL_REFERENCE = /^\$credentials(?:\.([A-Za-z_$][\w$]*)|\[\s*(['"])(.+?)\2\s*\])$/;

/**
 * A value of a generic `authenticate` with its `{{ $credentials.field }}` parts filled in. Only
 * plain credential references are supported: anything else throws, so a credential whose
 * authenticate needs more is caught by the tests instead of sending a wrong header.
 */
function resolveAuthValue(value: string, credentials: ICredentialDataDecryptedObject): string {
	if (!value.startsWith('=')) return value;
	return value.slice(1).replace(/\{\{\s*(.*?)\s*\}\}/g, (_whole, expression: string) => {
		const reference = CREDENTIAL_REFERENCE.exec(expression);
		if (!reference) throw new Error(`The credential's authenticate uses an expression the credential test cannot resolve: {{ ${expression} }}`);
		const field = credentials[reference[1] ?? reference[3]!];
		return field === undefined || field === null ? '' : String(field);
	});
}

const HEADERS_AND_QUERY_ONLY = 'The credential test supports an authenticate that sets headers and query parameters only';

/**
 * Headers and query parameters as the credential's `authenticate` sets them on every call: a
 * function is called on an empty request, as n8n calls it; a generic one is resolved.
 */
export async function authenticationOf(authenticate: IAuthenticate, credentials: ICredentialDataDecryptedObject): Promise<Authentication> {
	if (typeof authenticate === 'function') {
		const applied = await authenticate(credentials, { url: '', headers: {}, qs: {} });
		if (applied.body !== undefined || applied.auth !== undefined) throw new Error(HEADERS_AND_QUERY_ONLY);
		return { headers: { ...applied.headers }, qs: { ...applied.qs } };
	}
	const resolveAll = (values: IDataObject | undefined) =>
		Object.fromEntries(Object.entries(values ?? {}).map(([key, value]) => [resolveAuthValue(key, credentials), resolveAuthValue(String(value), credentials)]));
	const { headers, qs, body, auth } = authenticate.properties;
	if (body !== undefined || auth !== undefined) throw new Error(HEADERS_AND_QUERY_ONLY);
	return { headers: resolveAll(headers), qs: resolveAll(qs) };
}

function parseJson(text: string): { json: unknown } | undefined {
	try {
		return text.trim() === '' ? undefined : { json: JSON.parse(text) as unknown };
	} catch {
		return undefined;
	}
}

/** "the Mesigic API", and "the Chat API" rather than "the Chat API API". */
const theApi = (name: string) => (/\bAPI$/.test(name) ? `the ${name}` : `the ${name} API`);

const isHtml = (answer: RawAnswer) => /html/i.test(answer.contentType) || /^\s*</.test(answer.text);

function firstIssue(issues: ZodIssue[]): string {
	const [issue] = issues;
	if (!issue) return 'it does not fit';
	return `${issue.path.length ? issue.path.join('.') : 'the body'}: ${issue.message}`;
}

/** The verdict on one answer, before redaction. */
function judgeAnswer(provider: Provider, spec: CredentialTestSpec, answer: RawAnswer, redactor: Redactor): INodeCredentialTestResult {
	const name = provider.displayName;
	const label = spec.baseUrlLabel;
	const parsed = parseJson(answer.text);
	const accepted = parsed && spec.accepts.find((entry) => entry.status === answer.status && entry.shape.safeParse(parsed.json).success);
	if (accepted) return { status: 'OK', message: `Connection successful: ${name} accepted the credential and answered with ${accepted.what}.` };

	const came = `What came back: ${describeAnswer(answer, redactor)}`;
	if (!parsed) {
		const what = isHtml(answer) ? 'an HTML page' : answer.text.trim() === '' ? 'an empty body' : 'something that is not JSON';
		const fix = isHtml(answer)
			? `Check the ${label}: it must be the address of ${theApi(name)}, not of a web page.`
			: `Check the ${label}: it must be the address of ${theApi(name)}.`;
		return { status: 'Error', message: `${name} did not answer: the ${label} answered HTTP ${answer.status} with ${what}. ${fix} ${came}` };
	}

	const error = provider.errorOf(answer.status, parsed.json);
	if (error) {
		const refused = answer.status === 401 || answer.status === 403;
		const fix = provider.hint?.(error, answer.status) ?? `Check the ${label} and the other fields of the ${name} credential.`;
		const verdict = refused ? `${name} refused the credential` : `${name} answered with an error`;
		return { status: 'Error', message: `${verdict}: ${error.message.replace(/\.$/, '')} (HTTP ${answer.status}). ${fix} ${came}` };
	}

	const expected = spec.accepts.find((entry) => entry.status === answer.status) ?? spec.accepts[0]!;
	const problem = answer.status === expected.status ? firstIssue(expected.shape.safeParse(parsed.json).error?.issues ?? []) : `HTTP ${expected.status} was expected`;
	return {
		status: 'Error',
		message: `${name} did not answer with ${expected.what} (${problem}). Check the ${label}: it must be the address of ${theApi(name)}. ${came}`,
	};
}

async function send(ctx: ICredentialTestFunctions, provider: Provider, auth: Authentication, spec: CredentialTestSpec, credentials: ICredentialDataDecryptedObject): Promise<RawAnswer> {
	const { method, path, query, body } = spec.request;
	const base = provider.baseUrl(credentials).replace(/\/+$/, '');
	const headers: IDataObject = { Accept: 'application/json', ...auth.headers };
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	// A credential test gets only the legacy `request` helper from n8n (ICredentialTestFunctions):
	// it is asked for the raw text and status of every answer, so the verdict can say what came back.
	const response = (await ctx.helpers.request({
		method,
		uri: `${base}/${path.replace(/^\/+/, '')}`,
		qs: { ...query, ...auth.qs },
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
		json: false,
		resolveWithFullResponse: true,
		simple: false,
		timeout: TIMEOUT_MS,
	})) as { statusCode: number; headers?: Record<string, unknown>; body?: unknown };
	const raw = response.body;
	const text = raw === undefined || raw === null ? '' : Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : JSON.stringify(raw);
	return { status: response.statusCode, contentType: String(response.headers?.['content-type'] ?? ''), text };
}

/**
 * The node-level credential test of a provider (a node's `methods.credentialTest`, named by its
 * credentials entry's `testedBy`): the spec's call, authenticated by the credential's own
 * `authenticate`, passes only on a documented answer. Secrets never reach the message.
 */
export function credentialTest(provider: Provider, credentialType: new () => ICredentialType, spec: CredentialTestSpec): ICredentialTestFunction {
	return async function (this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		const credentials = credential.data ?? {};
		const redactor = new Redactor(provider, credentials);
		const { authenticate } = new credentialType();
		if (!authenticate || (typeof authenticate !== 'function' && authenticate.type !== 'generic')) {
			return { status: 'Error', message: `The ${provider.displayName} credential has no authenticate to test` };
		}
		let auth: Authentication;
		try {
			auth = await authenticationOf(authenticate, credentials);
		} catch (error) {
			return { status: 'Error', message: redactor.text((error as Error).message) };
		}
		let answer: RawAnswer;
		try {
			answer = await send(this, provider, auth, spec, credentials);
		} catch (error) {
			const name = provider.displayName;
			const reason = transportReason(error);
			const fix =
				reason === TRANSPORT_MESSAGES.ERR_INVALID_URL
					? `Check the ${spec.baseUrlLabel} in the credential: it must be a full address, starting with https://.`
					: `Check the ${spec.baseUrlLabel} in the credential and that ${name} can be reached from the n8n server.`;
			const message = `Could not reach ${name} at "${provider.baseUrl(credentials)}": ${reason}. ${fix}`;
			return { status: 'Error', message: redactor.text(message) };
		}
		const verdict = judgeAnswer(provider, spec, answer, redactor);
		return { status: verdict.status, message: redactor.text(verdict.message) };
	};
}
