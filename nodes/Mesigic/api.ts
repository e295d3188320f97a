import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import type { Provider, ProviderError } from '../shared/operation';
import { numberedPages } from '../shared/pagination';
import { credentialTest } from '../shared/credential-test';
import { MesigicApi } from '../../credentials/MesigicApi.credentials';

export const MESIGIC_DEFAULT_BASE_URL = 'https://mesigic.com/external-api';

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function messagesOf(body: IDataObject): string[] {
	const message = body.message;
	if (Array.isArray(message)) return message.map(String);
	if (isRecord(message)) return Object.values(message).flat().map(String);
	return typeof message === 'string' ? [message] : [];
}

/** Mesigic answers `{ status: "success" | "error", remark, message: [...], data }`, errors sometimes with HTTP 200. */
export function mesigicErrorOf(status: number, body: unknown): ProviderError | undefined {
	if (isRecord(body) && (body.status === 'error' || status >= 400)) {
		const messages = messagesOf(body);
		return {
			message: messages.join(' ') || String(body.remark ?? `HTTP ${status}`),
			description: messages.length > 1 ? messages.map((line) => `• ${line}`).join('\n') : undefined,
		};
	}
	return status >= 400 ? { message: `HTTP ${status}` } : undefined;
}

/** Every Mesigic success: `{ status: "success", remark, message, data }`. */
export const MESIGIC_SUCCESS = z.object({ status: z.literal('success') }).passthrough();

const isList = (value: unknown) => Array.isArray(value) || (isRecord(value) && Array.isArray(value.data));

/** A list answer: the success envelope with its records in `data`, as a list or a paginator, or under a key of it. */
export const MESIGIC_LIST = MESIGIC_SUCCESS.extend({
	data: z.unknown().refine((data) => isList(data) || (isRecord(data) && Object.values(data).some(isList)), 'holds no list'),
});

export const mesigic: Provider = {
	displayName: 'Mesigic',
	credentialType: 'mesigicApi',
	baseUrl: (credentials) => String(credentials.baseUrl || MESIGIC_DEFAULT_BASE_URL),
	errorOf: mesigicErrorOf,
	unwrap: (body) => (isRecord(body) ? (body.data ?? { success: true, message: messagesOf(body) }) : body),
	secretFields: ['clientSecret'],
	hint: (error, status) => {
		if (/white ?list/i.test(error.message)) {
			return "Add the public IP address of your n8n server to the IP Whitelist in the Mesigic dashboard (Developer Tools), then run the node again.";
		}
		if (status === 401) return 'Check the Client ID and Client Secret in the Mesigic credential (Mesigic dashboard → Developer Tools).';
		return undefined;
	},
};

/** The credential test: the first contact of the list, answered with Mesigic's list envelope. */
export const testMesigicCredential = credentialTest(mesigic, MesigicApi, {
	request: { method: 'GET', path: 'contact/list', query: { page: 1, paginate: 1 } },
	accepts: [{ status: 200, shape: MESIGIC_LIST, what: 'its contact list' }],
	baseUrlLabel: 'Base URL',
});

/** Mesigic lists are Laravel paginators: `page`, `paginate` (page size), `last_page`. */
export const mesigicPages = numberedPages({ pageParam: 'page', sizeParam: 'paginate', maxPageSize: 100 });

/** The record under `key` of an unwrapped answer (e.g. `{ contact: {...} }` → the contact). */
export const pick = (key: string) => (result: unknown) => (isRecord(result) && isRecord(result[key]) ? (result[key] as IDataObject) : (result as IDataObject));

export const CONVERSATION_STATUSES = [
	{ name: 'Done', value: 1 },
	{ name: 'Pending', value: 2 },
	{ name: 'Important', value: 3 },
	{ name: 'Unread', value: 4 },
];
