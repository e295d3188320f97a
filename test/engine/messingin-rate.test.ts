/**
 * The plan's limits: a broadcast stays within the API calls per minute (the shared throttle, driven
 * by the credential's plan), a 429 waits and is retried without a message sent twice, and a spent
 * daily quota fails the remaining items at once, each with its error.
 *
 * The clock is compressed 60×: the sandbox's minute lasts one second, so its Free plan (100 calls a
 * minute) allows 100 calls a second = 6,000 a real minute, which the credential names as a custom plan.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import type { ReceivedRequest } from '../../sandbox/framework';
import { setPlan } from '../../sandbox/messingin';
import { startMessingin } from '../support/messingin';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMessingin);

const SEND = 'POST /api/whatsapp/sessions/:sessionId/messages';
const COMPRESSED_MINUTE_MS = 1_000;
const FREE_PLAN_COMPRESSED = { plan: 'custom', callsPerMinute: 6_000 };

function broadcast(count: number, credentials: Partial<ICredentialDataDecryptedObject>, options: { continueOnFail?: boolean; requestOptions?: INodeParameters } = {}) {
	const session = env.sandbox.connectedSession();
	return env.pkg.runWorkflow({
		nodes: [
			{
				name: 'Messingin',
				type: 'messingin',
				parameters: { resource: 'message', operation: 'send', sessionId: session.sessionId, to: '+17472822486', message: '={{ "Offer #" + $json.n }}', requestOptions: options.requestOptions ?? {} },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			},
		],
		credentials: { messinginApi: { ...env.sandbox.credentials, ...credentials } },
		inputJson: Array.from({ length: count }, (_, n) => ({ n })),
		timeoutMs: 60_000,
	});
}

const offers = (count: number) => Array.from({ length: count }, (_, n) => `Offer #${n}`);
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

describe('calls per minute', () => {
	beforeEach(() => {
		// Free plan, clock compressed; its 100 messages a day are raised here, the quota has its own tests.
		setPlan(env.sandbox.server.state, 'free', { minuteMs: COMPRESSED_MINUTE_MS, limits: { messagesPerDay: 1_000 } });
	});

	it('a broadcast of 150 messages on the Free plan is never refused: zero 429s, each message once', async () => {
		const result = await broadcast(150, FREE_PLAN_COMPRESSED);
		expect(result.error).toBeUndefined();
		const sends = env.sandbox.server.received(SEND);
		expect(sends.filter((request) => request.status === 429)).toHaveLength(0);
		expect(env.sandbox.server.state.refused.rateLimit).toBe(0);
		expect(env.sandbox.server.accepted(SEND).map((request) => (request.body as { message: string }).message)).toEqual(offers(150));
		expect(result.json()).toHaveLength(150);

		const times = arrivals(sends);
		expect(busiestWindow(times, COMPRESSED_MINUTE_MS)).toBeLessThanOrEqual(100);
		const spanMs = times[149]! - times[0]!;
		const perRealMinute = (149 / spanMs) * 60_000;
		// 149 gaps of at least 60 000 / 6 000 ms; and near the plan's rate, not at some much lower one
		// (the bound is loose because a busy machine wakes timers late, which only slows the broadcast).
		expect(spanMs).toBeGreaterThanOrEqual(1_490);
		expect(perRealMinute).toBeGreaterThan(3_000);
		process.stdout.write(`messingin throttle: 150 messages at a 6000/min custom plan took ${(spanMs / 1000).toFixed(2)} s = ${Math.round(perRealMinute)}/min (${(result.durationMs / 1000).toFixed(2)} s for the node)\n`);
	});

	it('keeps the rate with parallel requests, and the output order', async () => {
		const result = await broadcast(120, FREE_PLAN_COMPRESSED, { requestOptions: { parallelRequests: 5 } });
		expect(result.error).toBeUndefined();
		expect(env.sandbox.server.state.refused.rateLimit).toBe(0);
		expect(busiestWindow(arrivals(env.sandbox.server.received(SEND)), COMPRESSED_MINUTE_MS)).toBeLessThanOrEqual(100);
		expect(result.json().map((message) => message.message)).toEqual(offers(120));
	});

	it('when the credential claims a larger plan, a 429 waits for Retry-After and retries, and no message is sent twice', async () => {
		// A window long enough that 150 calls land in it even on a busy machine.
		setPlan(env.sandbox.server.state, 'free', { minuteMs: 5_000, limits: { messagesPerDay: 1_000 } });
		const result = await broadcast(150, { plan: 'enterprise' }, { requestOptions: { parallelRequests: 5 } });
		expect(result.error).toBeUndefined();
		const refused = env.sandbox.server.received(SEND).filter((request) => request.status === 429);
		expect(refused.length).toBeGreaterThan(0);
		expect(env.sandbox.server.state.refused.rateLimit).toBe(refused.length);
		expect(env.sandbox.server.accepted(SEND).map((request) => (request.body as { message: string }).message).sort()).toEqual(offers(150).sort());
		expect(result.json().map((message) => message.message)).toEqual(offers(150));
		expect(env.sandbox.server.state.messages).toHaveLength(150);
	});
});

describe('a 429 from the API', () => {
	it('is waited out (Retry-After) and the message is sent once', async () => {
		env.sandbox.server.injectFault(SEND, { kind: 'rate-limit', retryAfter: 1 });
		const started = Date.now();
		const result = await broadcast(2, {});
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
		expect(env.sandbox.server.received(SEND).map((request) => request.status)).toEqual([429, 200, 200]);
		expect(env.sandbox.server.accepted(SEND).map((request) => (request.body as { message: string }).message)).toEqual(offers(2));
	});
});

describe('messages per day', () => {
	beforeEach(() => {
		setPlan(env.sandbox.server.state, 'free', { limits: { messagesPerDay: 3 } });
	});

	it('once the quota is spent, every remaining item fails with a clear error, and only one more request is made', async () => {
		const result = await broadcast(6, { plan: 'free' }, { continueOnFail: true });
		expect(result.error).toBeUndefined();
		const items = result.json();
		expect(items.slice(0, 3).map((item) => item.message)).toEqual(offers(3));
		const quota = 'Messingin: Daily message limit reached: the Free plan allows 3 messages per day.';
		const hint = expect.stringMatching(/^The messages per day of your Messingin plan are used up/);
		expect(items[3]).toEqual({ error: quota, description: hint });
		for (const item of items.slice(4)) expect(item).toEqual({ error: `${quota} (not sent: an earlier item already hit this limit)`, description: hint });
		expect(result.output().map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		expect(env.sandbox.server.received(SEND).map((request) => request.status)).toEqual([200, 200, 200, 429]);
		expect(env.sandbox.server.state.refused.dailyQuota).toBe(1);
	});

	it('without Continue On Fail, the run stops at the first refused item', async () => {
		const result = await broadcast(5, { plan: 'free' });
		expect(result.error).toMatchObject({ message: 'Messingin: Daily message limit reached: the Free plan allows 3 messages per day.', itemIndex: 3, httpCode: '429' });
		expect(env.sandbox.server.received(SEND)).toHaveLength(4);
	});
});
