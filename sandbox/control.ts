import { z } from 'zod';

import { FAULT_KINDS, faultSchema } from './faults';
import { loadSchema } from './load';
import { routeFor, type AnyRoute } from './routing';

/** Every simulator's server answers these, without auth (it listens on loopback only). */
export const CONTROL_PREFIX = '/__sandbox';

export const RESET_PARTS = ['state', 'received', 'faults', 'webhooks'] as const;
export type ResetPart = (typeof RESET_PARTS)[number];

const requestFilter = z
	.object({
		route: z.string().min(1).optional(),
		accepted: z
			.enum(['true', 'false'])
			.transform((value) => value === 'true')
			.optional(),
		fault: z
			.enum([...FAULT_KINDS, 'none'])
			.transform((value) => (value === 'none' ? null : value))
			.optional(),
		since: z.coerce.number().int().min(0).optional(),
	})
	.strict();

const queuedFault = faultSchema.and(
	z.object({
		route: z.string().min(1),
		times: z.number().int().min(1).default(1),
	}),
);

const webhookDelivery = z
	.object({
		url: z.string().url(),
		body: z.unknown(),
		headers: z.record(z.string()).optional(),
		method: z.enum(['POST', 'PUT']).optional(),
		timeoutMs: z.number().int().min(1).max(120_000).optional(),
	})
	.strict();

export function builtInControlRoutes<S>(): AnyRoute<S>[] {
	const route = routeFor<S>();
	return [
		route({
			method: 'GET',
			path: '',
			handle: ({ server }) => ({ json: server.describe() }),
		}),
		route({
			method: 'GET',
			path: '/received',
			query: requestFilter,
			handle: ({ server, query }) => {
				const requests = server.received(query);
				return { json: { count: requests.length, requests } };
			},
		}),
		route({
			method: 'DELETE',
			path: '/received',
			handle: ({ server }) => {
				server.clearReceived();
				return { json: { cleared: true } };
			},
		}),
		route({
			method: 'GET',
			path: '/downloads',
			handle: ({ server }) => {
				const downloads = server.downloads();
				return { json: { count: downloads.length, downloads } };
			},
		}),
		route({
			method: 'GET',
			path: '/counts',
			handle: ({ server }) => ({ json: { routes: server.counts() } }),
		}),
		route({
			method: 'GET',
			path: '/faults',
			handle: ({ server }) => ({ json: { faults: server.pendingFaults() } }),
		}),
		route({
			method: 'POST',
			path: '/faults',
			body: queuedFault,
			handle: ({ server, body }) => {
				const { route: selector, times, ...fault } = body;
				return { status: 201, json: { queued: server.injectFault(selector, fault, times) } };
			},
		}),
		route({
			method: 'DELETE',
			path: '/faults',
			handle: ({ server }) => {
				server.clearFaults();
				return { json: { cleared: true } };
			},
		}),
		route({
			method: 'POST',
			path: '/reset',
			body: z.object({ parts: z.array(z.enum(RESET_PARTS)).min(1).optional() }).strict(),
			handle: ({ server, body }) => {
				const parts = body.parts ?? RESET_PARTS;
				server.reset(parts);
				return { json: { reset: parts } };
			},
		}),
		route({
			method: 'GET',
			path: '/load',
			handle: ({ server }) => ({ json: { load: server.load } }),
		}),
		route({
			method: 'PUT',
			path: '/load',
			body: loadSchema,
			handle: ({ server, body }) => {
				server.setLoad(body);
				return { json: { load: server.load } };
			},
		}),
		route({
			method: 'GET',
			path: '/state',
			handle: ({ server }) => ({ json: server.snapshot() }),
		}),
		route({
			method: 'GET',
			path: '/webhooks',
			handle: ({ server }) => {
				const deliveries = server.deliveries();
				return { json: { count: deliveries.length, deliveries } };
			},
		}),
		route({
			method: 'POST',
			path: '/webhooks',
			body: webhookDelivery,
			handle: async ({ server, body }) => {
				const { url, body: payload, ...options } = body;
				return { json: await server.deliverWebhook(url, payload, options) };
			},
		}),
	];
}
