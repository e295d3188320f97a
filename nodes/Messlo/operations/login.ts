import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { ProviderClient, StreamedAnswer } from '../../shared/http';
import { retryAfterMs } from '../../shared/http';
import type { ItemReader } from '../../shared/item-reader';
import type { Operation, RequestSpec } from '../../shared/operation';
import { readEvents, type ServerSentEvent } from '../../shared/sse';
import { additionalBodyFieldsOption, fieldOf, MESSLO_SUCCESS, withAdditionalFields } from '../api';

/** Messlo's documented poll interval for a login's status. */
const POLL_INTERVAL_MS = 2000;

const DEADLINE = Symbol('deadline');

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Fields of a login answer that must never appear in an error. */
const LOGIN_SECRETS = ['verificationToken', 'subscribeToken', 'token'];

const loginApiKeyOption: INodeProperties = {
	displayName: 'Login App API Key',
	name: 'loginApiKey',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description:
		'The API key of your Messlo Login app (shown once when the app was made), used for this call instead of the credential\'s key. Messlo\'s documentation asks for the Login app\'s key; its own tools use the account key. Empty: the credential\'s key. A second Messlo credential holding the Login app\'s key does the same without a key in the workflow.',
};

const sessionIdField: INodeProperties = {
	displayName: 'Session ID',
	name: 'sessionId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '={{ $json.sessionId }}',
	description: 'The login session, as Login With WhatsApp → Start gives it',
};

const loginOptions = (...options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [...options, loginApiKeyOption].sort((a, b) => a.displayName.localeCompare(b.displayName)),
});

/** The Login app's key as a credential override, when the user gave one. */
function loginKey(item: ItemReader): Pick<RequestSpec, 'credentialOverride'> {
	const key = item.text('options.loginApiKey', item.collection('options').loginApiKey);
	return key === undefined ? {} : { credentialOverride: { apiKey: key } };
}

/** A login answer's fields, whether Messlo put them at the top or in `data`, without `success`. */
function loginFields(result: unknown): IDataObject {
	if (!isRecord(result)) return { success: true };
	const { success: _success, data, ...top } = result;
	return { ...top, ...(isRecord(data) ? data : {}) };
}

function statusRequest(item: ItemReader, sessionId: string): RequestSpec {
	return { method: 'GET', path: `v1/auth/whatsapp/status/${sessionId}`, secretAnswerFields: LOGIN_SECRETS, ...loginKey(item) };
}

function expired(item: ItemReader, sessionId: string): never {
	return item.fail(
		`The login session ${decodeURIComponent(sessionId)} has expired`,
		'Messlo answered 410: a login session lasts about 10 minutes, and the customer did not send the LOGIN message in time. Start a new login (Login With WhatsApp → Start) and send the customer the new link.',
	);
}

function failed(item: ItemReader, sessionId: string, reason: string | undefined): never {
	return item.fail(`The login of session ${decodeURIComponent(sessionId)} failed${reason ? `: ${reason}` : ''}`, 'Start a new login (Login With WhatsApp → Start) and send the customer the new link.');
}

type LoginState = 'verified' | 'expired' | 'failed' | 'pending';

const FAILED = new Set(['failed', 'failure', 'error', 'rejected', 'cancelled', 'canceled', 'denied']);

function stateOf(name: string | undefined): LoginState | undefined {
	const word = (name ?? '').trim().toLowerCase();
	if (word === 'verified' || word === 'success' || word === 'completed') return 'verified';
	if (word === 'expired') return 'expired';
	if (FAILED.has(word)) return 'failed';
	return undefined;
}

function parseData(data: string): unknown {
	try {
		return JSON.parse(data);
	} catch {
		return data;
	}
}

const reasonOf = (value: unknown) => {
	const reason = isRecord(value) ? (value.message ?? value.error ?? value.reason) : value;
	return typeof reason === 'string' && reason.trim() !== '' ? reason.trim().slice(0, 300) : undefined;
};

/** What one event of the login stream says: the event's name, else the `status` its data gives. */
export function loginEventState(event: ServerSentEvent): { state?: LoginState; reason?: string } {
	const data = parseData(event.data);
	const state = stateOf(event.event) ?? (isRecord(data) && typeof data.status === 'string' ? stateOf(data.status) : undefined);
	return { state, reason: reasonOf(data) };
}

/** What a status answer says. */
export function loginAnswerState(body: unknown): LoginState {
	if (typeof fieldOf(body, 'verificationToken') === 'string') return 'verified';
	const status = fieldOf(body, 'status');
	return (typeof status === 'string' ? stateOf(status) : undefined) ?? 'pending';
}

function timedOut(item: ItemReader, sessionId: string, seconds: number, note = ''): never {
	return item.fail(
		`No verification within ${seconds} s: the customer has not sent the LOGIN message of session ${decodeURIComponent(sessionId)}${note}`,
		'The session stays open until it expires (about 10 minutes after Start): raise Timeout, or run Wait for Verification again with the same session.',
	);
}

/**
 * Listens to the session's event stream until it says how the login ended, the deadline passes,
 * or the stream cannot be used (then the caller polls). Ends in an error for expired and failed.
 */
async function listen(client: ProviderClient, item: ItemReader, spec: RequestSpec, sessionId: string, deadline: number): Promise<'verified' | 'unusable' | 'deadline'> {
	let stream: StreamedAnswer;
	try {
		stream = await client.open(spec, { itemIndex: item.index, accept: 'text/event-stream' });
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '410') expired(item, sessionId);
		return 'unusable';
	}
	if (!/^text\/event-stream\b/i.test(String(stream.headers['content-type'] ?? ''))) {
		stream.body.destroy();
		return 'unusable';
	}
	// The deadline, without a timer that keeps n8n busy after the wait is over.
	const deadlineSignal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
	const deadlinePassed = new Promise<typeof DEADLINE>((resolve) => deadlineSignal.addEventListener('abort', () => resolve(DEADLINE), { once: true }));
	const events = readEvents(stream.body)[Symbol.asyncIterator]();
	let outcome: { state?: LoginState; reason?: string } = {};
	try {
		for (;;) {
			const read = events.next();
			// A read still waiting when the wait ends fails once the stream is gone: nobody needs to hear it.
			read.catch(() => undefined);
			const next = await Promise.race([read, deadlinePassed]);
			if (next === DEADLINE || next.done) break;
			outcome = loginEventState(next.value);
			if (outcome.state) break;
		}
	} catch {
		// A stream that broke off, or was not an event stream after all, says nothing about the
		// login: the status does (below).
	} finally {
		stream.body.destroy();
	}
	if (outcome.state === 'verified') return 'verified';
	if (outcome.state === 'expired') expired(item, sessionId);
	if (outcome.state === 'failed') failed(item, sessionId, outcome.reason);
	return deadlineSignal.aborted || Date.now() >= deadline ? 'deadline' : 'unusable';
}

/** Polls the session's status until it is verified (then gives the answer), every 2 s or as Retry-After says. */
async function poll(client: ProviderClient, item: ItemReader, sessionId: string, deadline: number, seconds: number): Promise<unknown> {
	const spec = statusRequest(item, sessionId);
	for (;;) {
		const answer = await client.exchange(spec, { idempotent: true, itemIndex: item.index, success: MESSLO_SUCCESS.loginStatus, answerStatuses: [410, 429] });
		if (answer.status === 410) expired(item, sessionId);
		const asked = retryAfterMs(answer.headers['retry-after']);
		if (answer.status !== 429) {
			const state = loginAnswerState(answer.body);
			if (state === 'verified') return answer.body;
			if (state === 'expired') expired(item, sessionId);
			if (state === 'failed') failed(item, sessionId, reasonOf(answer.body));
		}
		const wait = Math.max(POLL_INTERVAL_MS, asked ?? 0);
		if (Date.now() + wait > deadline) {
			timedOut(item, sessionId, seconds, Date.now() < deadline ? ` (Messlo asked to wait ${Math.ceil(wait / 1000)} s before the next look, past the timeout)` : '');
		}
		await sleep(wait);
	}
}

export const loginOperations: Operation[] = [
	{
		resource: 'login',
		value: 'start',
		success: MESSLO_SUCCESS.loginStarted,
		name: 'Start',
		action: 'Start a login with WhatsApp',
		description: 'Start a login session: the customer opens the wa.me link and sends the pre-filled LOGIN message, which proves their number without an OTP',
		fields: [
			loginOptions(
				additionalBodyFieldsOption,
				{ displayName: 'Device Hash', name: 'deviceHash', type: 'string', default: '', description: 'A fingerprint of the customer\'s device, if your app keeps one' },
				{
					displayName: 'Phone Number Name or ID',
					name: 'phoneNumberId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getLoginPhoneNumbers' },
					default: '',
					description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					hint: 'Your number the customer writes to (its Meta phone number ID); empty: your primary Cloud API number',
				},
				{
					displayName: 'Use Messlo\'s Shared Number',
					name: 'useMessloPhone',
					type: 'boolean',
					default: false,
					description: 'Whether the customer writes to Messlo\'s shared number instead of one of yours (not together with Phone Number)',
				},
			),
		],
		request: (item) => {
			const options = item.collection('options');
			const phoneNumberId = item.text('options.phoneNumberId', options.phoneNumberId);
			const deviceHash = item.text('options.deviceHash', options.deviceHash);
			const useMessloPhone = options.useMessloPhone === true;
			if (useMessloPhone && phoneNumberId !== undefined) {
				item.fail('Phone Number and "Use Messlo\'s Shared Number" exclude each other', 'Messlo takes one or the other: remove Phone Number, or turn "Use Messlo\'s Shared Number" off.');
			}
			const body: IDataObject = {};
			if (phoneNumberId !== undefined) body.phone_number_id = phoneNumberId;
			if (useMessloPhone) body.use_messlo_phone = true;
			if (deviceHash !== undefined) body.device_hash = deviceHash;
			return { method: 'POST', path: 'v1/auth/whatsapp/start', body: withAdditionalFields(item, 'options', body), secretAnswerFields: LOGIN_SECRETS, ...loginKey(item) };
		},
		output: loginFields,
	},
	{
		resource: 'login',
		value: 'getStatus',
		success: MESSLO_SUCCESS.loginStatus,
		name: 'Get Status',
		action: 'Get the status of a login',
		description: 'Look once at a login session: pending, or verified with its verification token; an expired session is an error',
		fields: [sessionIdField, loginOptions()],
		idempotent: true,
		request: (item) => statusRequest(item, item.pathSegment('sessionId')),
		async perform(client, item, request) {
			const answer = await client.exchange(request, { idempotent: true, itemIndex: item.index, success: MESSLO_SUCCESS.loginStatus, answerStatuses: [410] });
			if (answer.status === 410) expired(item, item.pathSegment('sessionId'));
			return answer.body;
		},
		output: loginFields,
	},
	{
		resource: 'login',
		value: 'waitForVerification',
		success: MESSLO_SUCCESS.loginStatus,
		name: 'Wait for Verification',
		action: 'Wait until a login is verified',
		description:
			'Wait until the customer has sent the LOGIN message: listens to Messlo\'s event stream (or polls the status every 2 seconds when the stream cannot be used), then gives the verification token',
		fields: [
			sessionIdField,
			{
				displayName: 'Subscribe Token',
				name: 'subscribeToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				placeholder: '={{ $json.subscribeToken }}',
				description: 'The subscribe token Start gave, which opens the session\'s event stream. Empty: the node polls the status instead.',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 3600, numberPrecision: 0 },
				default: 600,
				description: 'How long to wait for the customer; a session expires about 10 minutes after Start anyway',
			},
			loginOptions(),
		],
		idempotent: true,
		request: (item) => {
			const token = item.optionalString('subscribeToken');
			return {
				method: 'GET',
				path: `v1/auth/whatsapp/events/${item.pathSegment('sessionId')}`,
				query: token === undefined ? undefined : { token },
				secrets: token === undefined ? [] : [token],
				...loginKey(item),
			};
		},
		async perform(client, item, request) {
			const sessionId = item.pathSegment('sessionId');
			const seconds = item.number('timeoutSeconds');
			const deadline = Date.now() + seconds * 1000;
			let heard: 'verified' | 'unusable' | 'deadline' = 'unusable';
			if (request.query?.token !== undefined) heard = await listen(client, item, request, sessionId, deadline);
			if (heard === 'deadline') timedOut(item, sessionId, seconds);
			// Verified on the stream: one look at the status gives the token (and a late stream is polled on).
			const answer = await poll(client, item, sessionId, deadline, seconds);
			return { ...loginFields(answer), verified: true, heardBy: heard === 'verified' ? 'stream' : 'polling' };
		},
	},
	{
		resource: 'login',
		value: 'verifyToken',
		success: MESSLO_SUCCESS.tokenVerified,
		name: 'Verify Token',
		action: 'Verify a login token',
		description: 'Check a verification token on Messlo and get the verified phone number and profile name; each token is good once',
		fields: [
			{
				displayName: 'Verification Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				placeholder: '={{ $json.verificationToken }}',
				description: 'The verification token Wait for Verification or Get Status gave',
			},
			loginOptions(),
		],
		request: (item) => {
			const token = item.string('token');
			return { method: 'POST', path: 'v1/auth/verify-token', body: { token }, secrets: [token], ...loginKey(item) };
		},
		output: loginFields,
	},
];
