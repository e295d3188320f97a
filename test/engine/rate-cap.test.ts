/**
 * Request Options → Max Requests per Minute on every action node: against a sandbox that allows a
 * few calls per rolling second per credential (answering 429 with Retry-After beyond), a broadcast
 * with the cap set is never refused and still delivers each message once, across Parallel Requests;
 * on Messingin the credential's plan keeps its pace and the option can only lower it.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import type { ReceivedRequest } from '../../sandbox/framework';
import { MEHERY_DEMO } from '../../sandbox/mehery';
import { startChatApi } from '../support/chatapi';
import { startMehery } from '../support/mehery';
import { startMesigic } from '../support/mesigic';
import { startMessingin } from '../support/messingin';
import { useSandbox } from '../support/use-sandbox';

const mesigic = useSandbox(startMesigic);
const chatApi = useSandbox(startChatApi);
const mehery = useSandbox(startMehery);
const messingin = useSandbox(startMessingin);

type Env = typeof mesigic | typeof chatApi | typeof mehery | typeof messingin;

interface ProviderCase {
	name: string;
	type: string;
	credentialType: string;
	env: Env;
	sendRoute: string;
	/** Send parameters for the item's `text` to one recipient. */
	send: INodeParameters;
	/** The text a recorded send request carried. */
	textOf(request: ReceivedRequest): unknown;
}

const text = '={{ "Offer #" + $json.n }}';
const bodyField = (field: string) => (request: ReceivedRequest) => (request.body as IDataObject)[field];

const PROVIDERS: ProviderCase[] = [
	{
		name: 'Mesigic',
		type: 'mesigic',
		credentialType: 'mesigicApi',
		env: mesigic,
		sendRoute: 'POST /external-api/inbox/send-message',
		send: { resource: 'message', operation: 'send', phone: '+880 1711-000001', message: text, attachment: 'none' },
		textOf: bodyField('message'),
	},
	{
		name: 'Chat API',
		type: 'chatApi',
		credentialType: 'chatApiApi',
		env: chatApi,
		sendRoute: 'POST /instance12345/sendMessage',
		send: { resource: 'message', operation: 'sendText', recipient: '+1 (747) 282-2486', text },
		textOf: bodyField('body'),
	},
	{
		name: 'Mehery',
		type: 'mehery',
		credentialType: 'meheryApi',
		env: mehery,
		sendRoute: 'POST /api/v1/message/send',
		send: { resource: 'message', operation: 'send', channelId: MEHERY_DEMO.channelId, phone: '+1 (747) 282-2486', type: 'text', text },
		textOf: (request) => JSON.stringify(request.body).match(/Offer #\d+/)?.[0],
	},
	{
		name: 'Messingin',
		type: 'messingin',
		credentialType: 'messinginApi',
		env: messingin,
		sendRoute: 'POST /api/whatsapp/sessions/:sessionId/messages',
		send: { resource: 'message', operation: 'send', sessionId: 'session_1', to: '+1 (747) 282-2486', message: text },
		textOf: bodyField('message'),
	},
];

const offers = (count: number) => Array.from({ length: count }, (_, n) => `Offer #${n}`);

function broadcast(provider: ProviderCase, count: number, requestOptions: IDataObject, credentials: IDataObject = {}) {
	if (provider.type === 'messingin') messingin.sandbox.connectedSession();
	return provider.env.pkg.runWorkflow({
		nodes: [{ name: provider.name, type: provider.type, parameters: { ...provider.send, requestOptions: requestOptions as INodeParameters }, onError: 'continueRegularOutput' }],
		credentials: { [provider.credentialType]: { ...provider.env.sandbox.credentials, ...credentials } as ICredentialDataDecryptedObject },
		inputJson: Array.from({ length: count }, (_, n) => ({ n })),
		timeoutMs: 60_000,
	});
}

const arrivals = (requests: ReceivedRequest[]) => requests.map((request) => Date.parse(request.at));

/** The most calls that arrived within any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
	let most = 0;
	for (let first = 0, last = 0; last < times.length; last++) {
		while (times[last]! - times[first]! >= windowMs) first++;
		most = Math.max(most, last - first + 1);
	}
	return most;
}

afterEach(() => {
	for (const { env } of PROVIDERS) env.sandbox.server.setLoad();
});

describe.each(PROVIDERS)('$name: Max Requests per Minute', (provider) => {
	const server = () => provider.env.sandbox.server;

	it('keeps a broadcast under a rolling-second limit across Parallel Requests: no 429, each message once, in order', async () => {
		// The sandbox allows 5 calls per rolling second; the cap of 240 a minute (4 a second) leaves
		// room for the arrival jitter of a busy test machine, where sandbox and engine share one process.
		server().setLoad({ rateLimit: { calls: 5, windowMs: 1_000 } });
		const result = await broadcast(provider, 16, { maxRequestsPerMinute: 240, parallelRequests: 4 });
		expect(result.error).toBeUndefined();
		const sends = server().received(provider.sendRoute);
		expect(sends.filter((request) => request.status === 429)).toHaveLength(0);
		expect(server().load.stats.refused).toBe(0);
		expect(server().accepted(provider.sendRoute).map(provider.textOf).sort()).toEqual(offers(16).sort());
		expect(result.json().filter((item) => item.error !== undefined)).toEqual([]);
		expect(result.output().map((item) => item.pairedItem)).toEqual(offers(16).map((_, item) => ({ item })));
		const times = arrivals(sends);
		expect(busiestWindow(times, 1_000)).toBeLessThanOrEqual(5);
		// 15 gaps of at least 250 ms: the cap is kept, not merely lucky.
		expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(15 * 250 - 50);
	});
});

describe('without the cap', () => {
	it('the same broadcast runs into the limit: 429s waited out through Retry-After, each message still once', async () => {
		const server = mesigic.sandbox.server;
		server.setLoad({ rateLimit: { calls: 5, windowMs: 1_000 } });
		const result = await broadcast(PROVIDERS[0]!, 16, { parallelRequests: 4 });
		expect(result.error).toBeUndefined();
		expect(result.json().filter((item) => item.error !== undefined)).toEqual([]);
		expect(server.received(PROVIDERS[0]!.sendRoute).filter((request) => request.status === 429).length).toBeGreaterThan(0);
		expect(server.accepted(PROVIDERS[0]!.sendRoute).map(PROVIDERS[0]!.textOf).sort()).toEqual(offers(16).sort());
	});
});

describe('Messingin: the plan sets the pace, the option can only lower it', () => {
	const messinginCase = PROVIDERS[3]!;
	const server = () => messingin.sandbox.server;
	/** From the first send's arrival to the last one's. */
	const span = () => {
		const times = arrivals(server().received(messinginCase.sendRoute));
		return times.at(-1)! - times[0]!;
	};

	it('an option above the plan keeps the plan\'s pace', async () => {
		const result = await broadcast(messinginCase, 6, { maxRequestsPerMinute: 6_000, parallelRequests: 3 }, { plan: 'custom', callsPerMinute: 300 });
		expect(result.error).toBeUndefined();
		// 300 a minute: 5 gaps of 200 ms at least (some arrival jitter allowed).
		expect(span()).toBeGreaterThanOrEqual(5 * 200 - 50);
	});

	it('an option below the plan lowers the pace', async () => {
		const result = await broadcast(messinginCase, 6, { maxRequestsPerMinute: 300, parallelRequests: 3 }, { plan: 'enterprise' });
		expect(result.error).toBeUndefined();
		expect(span()).toBeGreaterThanOrEqual(5 * 200 - 50);
	});
});

describe('the option is checked before anything is sent', () => {
	it.each<[string, string, RegExp]>([
		['0', '={{ 0 }}', /^Request Options → Max Requests per Minute must be from 1 to 60000: 0 is not$/],
		['"fast"', '={{ "fast" }}', /^Request Options → Max Requests per Minute must be a number from 1 to 60000: "fast" is not$/],
		['2.5', '={{ 2.5 }}', /^Request Options → Max Requests per Minute must be a whole number from 1 to 60000: 2.5 is not$/],
	])('a cap of %s stops the run with the field named', async (_label, maxRequestsPerMinute, message) => {
		const result = await broadcast(PROVIDERS[0]!, 3, { maxRequestsPerMinute });
		expect(result.error?.message).toMatch(message);
		expect(mesigic.sandbox.server.received(PROVIDERS[0]!.sendRoute)).toHaveLength(0);
	});
});
