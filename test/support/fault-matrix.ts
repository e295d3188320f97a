/**
 * The fault matrix: what every provider's send and one of its list operations do when the provider
 * (or what stands in front of it) misbehaves, with N items and Continue On Fail. One table for all
 * providers: a provider is one entry of MATRIX_PROVIDERS, a fault one entry of FAULTS.
 *
 * Each case injects a fault on the first requests of the operation's route (FAULTY_SENDS /
 * FAULTY_READS of them; retries take the next ones) and runs N items. The outcome of every item is
 * read from the node's output and from what the simulator accepted (sandbox/faults.ts: an accepted
 * request is one the provider carried out), and sorted into:
 * - sent: a result, and the provider carried the request out exactly once;
 * - failed, not sent: an error item, and the provider carried nothing out;
 * - failed, sent: an error item saying the request may have been carried out and was not repeated,
 *   and the provider did carry it out once (the answer was lost: a reset after it, a timeout, an
 *   unreadable answer). The item is reported, never resent;
 * - read: a list item's records, after as many tries as it took.
 * Never allowed: an item without output (lost), a request carried out twice (duplicate), a result
 * for a request the provider did not carry out.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { SandboxServer } from '../../sandbox/framework';
import type { FaultInput } from '../../sandbox/faults';
import { MEHERY_DEMO, MEHERY_SEED } from '../../sandbox/mehery';
import { MESSLO_DEMO } from '../../sandbox/messlo';
import { loadPackage, type LoadedPackage } from './engine';
import { startProviders, type Providers } from './providers';

export const N = 20;
/** Requests that meet the fault: sends are never repeated, so each takes one item down. */
export const FAULTY_SENDS = 3;
/** Reads are repeated (up to 4 tries with 0.5 s, 1 s, 2 s between): the faults take one item's first tries. */
export const FAULTY_READS = 2;
/** The node's timeout in the timeout case; the simulator answers later than that. */
export const TIMEOUT_SECONDS = 2;

export interface FaultCase {
	name: string;
	fault: FaultInput;
	/** What happens to the items that meet it, for a send: everything retried and sent, or failed. */
	send: 'sent' | 'failed, not sent' | 'failed, sent';
}

export const FAULTS: FaultCase[] = [
	{ name: '429 with Retry-After', fault: { kind: 'rate-limit', retryAfter: 1 }, send: 'sent' },
	{ name: '429 without Retry-After', fault: { kind: 'answer', status: 429, contentType: 'application/json', body: '{"message":"Too many requests"}' }, send: 'sent' },
	{ name: '500', fault: { kind: 'server-error', status: 500 }, send: 'failed, not sent' },
	{ name: '502', fault: { kind: 'server-error', status: 502 }, send: 'failed, not sent' },
	{ name: '503', fault: { kind: 'server-error', status: 503 }, send: 'failed, not sent' },
	{ name: 'reset before the provider accepted', fault: { kind: 'reset-before' }, send: 'failed, not sent' },
	{ name: 'reset after the provider accepted', fault: { kind: 'reset-after-receive' }, send: 'failed, sent' },
	{ name: `timeout (answer after ${TIMEOUT_SECONDS * 1.5} s)`, fault: { kind: 'slow', delayMs: TIMEOUT_SECONDS * 1500 }, send: 'failed, sent' },
	{ name: 'malformed JSON', fault: { kind: 'malformed' }, send: 'failed, sent' },
	{ name: 'HTML error page (502)', fault: { kind: 'answer', status: 502, contentType: 'text/html', body: '<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>' }, send: 'failed, not sent' },
	{ name: 'empty 200', fault: { kind: 'answer', status: 200, contentType: 'application/json', body: '' }, send: 'failed, not sent' },
];

/** An operation of the matrix: its route in the simulator and the node that calls it. */
export interface MatrixOperation {
	/** As the README's table names it. */
	label: string;
	route: string;
	parameters: INodeParameters;
}

export interface MatrixProvider {
	name: string;
	/** Node type in the package and its credential type. */
	nodeType: string;
	credentialType: string;
	simulator(providers: Providers): { server: SandboxServer<any>; credentials: object };
	/** Sends item `i`'s text to its phone ($json.phone, $json.text); `prepare` makes the simulator ready for it. */
	send: MatrixOperation & { textOf(body: any): string };
	/** A read that lists records (none: the provider has no list operation). */
	list?: MatrixOperation;
	/** Before each case (after the simulator's reset): e.g. a session to send from, open 24-hour windows. */
	prepare?(providers: Providers, phones: string[]): INodeParameters | void;
}

export const MATRIX_PROVIDERS: MatrixProvider[] = [
	{
		name: 'Mesigic',
		nodeType: 'mesigic',
		credentialType: 'mesigicApi',
		simulator: (p) => p.mesigic,
		send: {
			label: 'Message → Send',
			route: 'POST /external-api/inbox/send-message',
			parameters: { resource: 'message', operation: 'send', phone: '={{ $json.phone }}', message: '={{ $json.text }}', attachment: 'none' },
			textOf: (body) => body.message,
		},
		list: { label: 'Contact → Get Many', route: 'GET /external-api/contact/list', parameters: { resource: 'contact', operation: 'getAll', returnAll: true } },
	},
	{
		name: 'Chat API',
		nodeType: 'chatApi',
		credentialType: 'chatApiApi',
		simulator: (p) => p.chatapi,
		send: {
			label: 'Message → Send Text',
			route: 'POST /instance12345/sendMessage',
			parameters: { resource: 'message', operation: 'sendText', recipient: '={{ $json.phone }}', text: '={{ $json.text }}' },
			textOf: (body) => body.body,
		},
		list: { label: 'Message → Get Many', route: 'GET /instance12345/messages', parameters: { resource: 'message', operation: 'getAll', since: 'last100', returnAll: true } },
	},
	{
		name: 'Messingin',
		nodeType: 'messingin',
		credentialType: 'messinginApi',
		simulator: (p) => p.messingin,
		send: {
			label: 'Message → Send',
			route: 'POST /api/whatsapp/sessions/:sessionId/messages',
			parameters: { resource: 'message', operation: 'send', sessionId: '={{ $json.sessionId }}', to: '={{ $json.phone }}', message: '={{ $json.text }}' },
			textOf: (body) => body.message,
		},
		// Messingin has no list operation (its API: create a session, send a message).
		prepare: (p) => ({ sessionId: p.messingin.connectedSession().sessionId }),
	},
	{
		name: 'Mehery',
		nodeType: 'mehery',
		credentialType: 'meheryApi',
		simulator: (p) => p.mehery,
		send: {
			label: 'Message → Send',
			route: 'POST /api/v1/message/send',
			parameters: { resource: 'message', operation: 'send', channelId: MEHERY_DEMO.channelId, phone: '={{ $json.phone }}', type: 'text', text: '={{ $json.text }}' },
			textOf: (body) => body.text?.body,
		},
		list: { label: 'Session → Get Messages', route: 'GET /api/v1/session/messages', parameters: { resource: 'session', operation: 'getMessages', sessionId: MEHERY_SEED.sessionId, returnAll: true } },
	},
	{
		name: 'Messlo',
		nodeType: 'messlo',
		credentialType: 'messloApi',
		simulator: (p) => p.messlo,
		send: {
			label: 'Message → Send',
			route: 'POST /api/whatsapp/send',
			parameters: { resource: 'message', operation: 'send', phone: '={{ $json.phone }}', sender: MESSLO_DEMO.senderNumber, messageType: 'text', message: '={{ $json.text }}' },
			textOf: (body) => body.message,
		},
		list: { label: 'Contact → Get Many', route: 'GET /api/contacts', parameters: { resource: 'contact', operation: 'getAll', returnAll: true } },
		// Free-form messages only within 24 hours of the customer's last message.
		prepare: (p, phones) => {
			for (const phone of phones) p.messlo.inbound({ from: phone, text: 'Hello' });
		},
	},
];

/** The N phones of a case: valid, distinct. */
export const matrixPhones = (): string[] => Array.from({ length: N }, (_, i) => `+1 747 282 ${String(2400 + i)}`);

/** One row of the README's table: per provider, how the N items of the send and of the list ended. */
export function describeOutcome(counts: Record<string, number>): string {
	return Object.entries(counts)
		.filter(([, count]) => count > 0)
		.map(([outcome, count]) => `${count} ${outcome}`)
		.join(', ');
}

/**
 * Jest hooks for a file of the matrix: the package and every simulator, and `run`, which resets
 * the provider's simulator, injects the fault `times` on `route`, runs N items through the node with
 * Continue On Fail and gives each input item's output items. FAULT_MATRIX_TABLE=1 prints the rows
 * the file filled in (`record`) as the README's table.
 */
export function useFaultMatrix() {
	const env = {} as { pkg: LoadedPackage; providers: Providers };
	const table = new Map<string, Record<string, string>>();
	beforeAll(async () => {
		env.pkg = await loadPackage();
		env.providers = await startProviders();
	});
	afterAll(async () => {
		await env.providers?.stop();
		if (process.env.FAULT_MATRIX_TABLE === '1' && table.size) {
			const columns = [...new Set([...table.values()].flatMap((row) => Object.keys(row)))];
			const lines = [`| fault | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`];
			for (const [fault, row] of table) lines.push(`| ${fault} | ${columns.map((column) => row[column] ?? '').join(' | ')} |`);
			process.stderr.write(`\n${lines.join('\n')}\n`);
		}
	});

	return {
		env,
		record(fault: FaultCase, column: string, counts: Record<string, number>) {
			const row = table.get(fault.name) ?? {};
			row[column] = describeOutcome(counts);
			table.set(fault.name, row);
		},
		async run(provider: MatrixProvider, parameters: INodeParameters, fault: FaultCase, route: string, times: number) {
			const simulator = provider.simulator(env.providers);
			simulator.server.reset();
			const phones = matrixPhones();
			const extra = provider.prepare?.(env.providers, phones) ?? {};
			simulator.server.injectFault(route, fault.fault, times);
			const timeout = fault.fault.kind === 'slow' ? { requestOptions: { timeoutSeconds: TIMEOUT_SECONDS } } : {};
			const result = await env.pkg.runWorkflow({
				nodes: [{ name: 'Node', type: provider.nodeType, parameters: { ...parameters, ...timeout }, onError: 'continueRegularOutput' }],
				credentials: { [provider.credentialType]: simulator.credentials as Record<string, string> },
				inputJson: phones.map((phone, i): IDataObject => ({ phone, text: itemText(i), ...extra })),
				timeoutMs: 120_000,
			});
			expect(result.error).toBeUndefined();
			const output = result.output();
			// every output item belongs to exactly one input item
			const byItem: INodeExecutionData[][] = Array.from({ length: N }, (_, i) => output.filter((item) => (item.pairedItem as { item: number }).item === i));
			expect(output.length).toBe(byItem.flat().length);
			return { simulator, byItem };
		},
	};
}

/** The text item `i` sends: how the simulator's records are matched to items. */
export const itemText = (i: number) => `Item ${i} of the fault matrix`;

/** How many items ended each way. */
export function countOutcomes(outcomes: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
	return counts;
}
