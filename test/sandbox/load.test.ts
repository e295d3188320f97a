/**
 * The sandbox under load, as a real provider: a latency before every answer (fixed, or drawn from
 * a range by a seeded generator, the same sequence after every reset) and a rolling-window rate
 * limit per credential that answers 429 with Retry-After without running the handler. Any
 * simulator can turn them on: SandboxOptions.load, server.setLoad(), or PUT /__sandbox/load.
 */
import { performance } from 'node:perf_hooks';

import { LoadModel, loadSchema, routeFor, SandboxServer, seededRandom, takeFromWindow, unauthorized, type Simulator } from '../../sandbox/framework';
import { call, useStarted } from './helpers';

interface CounterState {
	count: number;
}

const route = routeFor<CounterState>();

/** Counts POSTs; any `x-api-key` is a valid credential of its own. */
const counterSimulator: Simulator<CounterState> = {
	name: 'counter',
	initialState: () => ({ count: 0 }),
	authenticate: ({ headers }) => {
		if (!headers['x-api-key']) throw unauthorized('No key');
	},
	errorBody: ({ kind, problems }) => ({ error: kind, message: problems.map((problem) => problem.message).join(' ') }),
	routes: [
		route({
			method: 'POST',
			path: '/count',
			handle: ({ state }) => ({ json: { count: ++state.count } }),
		}),
	],
};

const server = new SandboxServer(counterSimulator);
useStarted(
	() => server.start(),
	(started) => {
		started.setLoad();
		started.reset();
	},
);

const count = (key = 'key-a') => call('POST', `${server.url}/count`, { headers: { 'x-api-key': key } });

async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; result: T }> {
	const started = performance.now();
	const result = await action();
	return { ms: performance.now() - started, result };
}

describe('latency', () => {
	it('a fixed latency delays every provider answer, not the control routes', async () => {
		server.setLoad({ latencyMs: 150 });
		const answer = await timed(() => count());
		expect(answer.result.status).toBe(200);
		expect(answer.ms).toBeGreaterThanOrEqual(149);
		const control = await timed(() => call('GET', `${server.controlUrl}/counts`));
		expect(control.ms).toBeLessThan(100);
		expect(server.load.stats.delayed).toBe(1);
	});

	it('a range draws each latency from a seeded sequence, the same one after a reset', async () => {
		const profile = { latencyMs: { min: 80, max: 250, seed: 42 } };
		const expected = Array.from({ length: 5 }, () => 0);
		const draw = new LoadModel(loadSchema.parse(profile));
		for (let i = 0; i < expected.length; i++) expected[i] = draw.nextLatencyMs();
		expect(expected.every((ms) => ms >= 80 && ms <= 250)).toBe(true);
		expect(new Set(expected.map(Math.round)).size).toBeGreaterThan(1);

		server.setLoad(profile);
		for (let round = 0; round < 2; round++) {
			server.reset();
			for (const ms of expected) {
				const answer = await timed(() => count());
				expect(answer.ms).toBeGreaterThanOrEqual(ms - 1);
				expect(answer.ms).toBeLessThan(ms + 150);
			}
		}
	});

	it('the generator gives the same numbers for the same seed, and others for another', () => {
		const take = (seed: number) => Array.from({ length: 4 }, seededRandom(seed));
		expect(take(7)).toEqual(take(7));
		expect(take(7)).not.toEqual(take(8));
		expect(take(7).every((value) => value >= 0 && value < 1)).toBe(true);
	});
});

describe('rate limit', () => {
	it('answers 429 with Retry-After beyond the calls allowed in the rolling window, without running the handler', async () => {
		server.setLoad({ rateLimit: { calls: 3, windowMs: 600 } });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await count()).status);
		expect(statuses).toEqual([200, 200, 200, 429]);
		const refused = await count();
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('1');
		expect(refused.json).toEqual({ error: 'rate_limited', message: 'Rate limit exceeded: 3 calls per 600 ms. Retry after 1 second.' });
		expect(server.state.count).toBe(3);
		const recorded = server.received('POST /count');
		expect(recorded.map((request) => [request.status, request.accepted, request.fault])).toEqual([
			[200, true, null],
			[200, true, null],
			[200, true, null],
			[429, false, 'rate-limit'],
			[429, false, 'rate-limit'],
		]);
		expect(server.load.stats.refused).toBe(2);

		// Once the first call has left the window, one more fits.
		await new Promise((resolve) => setTimeout(resolve, 650));
		expect((await count()).status).toBe(200);
	});

	it('keeps one window per credential', async () => {
		server.setLoad({ rateLimit: { calls: 2, windowMs: 10_000 } });
		expect([(await count('key-a')).status, (await count('key-a')).status, (await count('key-a')).status]).toEqual([200, 200, 429]);
		expect([(await count('key-b')).status, (await count('key-b')).status, (await count('key-b')).status]).toEqual([200, 200, 429]);
	});

	it('a reset empties the windows', async () => {
		server.setLoad({ rateLimit: { calls: 1, windowMs: 10_000 } });
		expect([(await count()).status, (await count()).status]).toEqual([200, 429]);
		server.reset();
		expect((await count()).status).toBe(200);
	});

	it('the rolling window counts a call in only when there is room, and says how long until there is', () => {
		const times: number[] = [];
		expect([0, 100, 200].map((now) => takeFromWindow(times, 3, 1_000, now))).toEqual([undefined, undefined, undefined]);
		expect(takeFromWindow(times, 3, 1_000, 900)).toBe(100);
		expect(takeFromWindow(times, 3, 1_000, 1_000)).toBeUndefined();
		expect(times).toEqual([100, 200, 1_000]);
	});
});

describe('control API', () => {
	it('PUT /__sandbox/load sets the profile, GET shows it with what it did', async () => {
		const put = await call('PUT', `${server.controlUrl}/load`, { json: { latencyMs: { min: 10, max: 20, seed: 3 }, rateLimit: { calls: 1, windowMs: 60_000 } } });
		expect(put.status).toBe(200);
		await count();
		await count();
		const got = await call('GET', `${server.controlUrl}/load`);
		expect(got.json).toEqual({ load: { latencyMs: { min: 10, max: 20, seed: 3 }, rateLimit: { calls: 1, windowMs: 60_000 }, stats: { delayed: 2, refused: 1 } } });
	});

	it('refuses a range whose minimum is above its maximum', async () => {
		const put = await call('PUT', `${server.controlUrl}/load`, { json: { latencyMs: { min: 300, max: 100 } } });
		expect(put.status).toBe(400);
		expect(put.json.message).toBe('latencyMs.min must not be above latencyMs.max');
	});
});
