/** WhatsApp configuration (rows 1–5): connections, numbers, Meta webhook setup, workspace sync. */
import { z } from 'zod';

import { emptyBody, ok, requireConnection, route } from './common';
import { nowIso, phonesOf } from './state';
import { connectionJson, phoneJson } from './views';

const noQuery = z.object({}).strict();

export const configRoutes = [
	// Row 1
	route({
		method: 'GET',
		path: '/api/whatsapp/connections',
		query: noQuery,
		handle: ({ state }) => ({
			json: ok(
				state.connections.map((connection) => connectionJson(state, connection)),
				{ total_wabas: state.connections.length },
			),
		}),
	}),

	// Row 2
	route({
		method: 'GET',
		path: '/api/whatsapp/phone-numbers',
		query: noQuery,
		handle: ({ state }) => ({ json: ok(state.phoneNumbers.map(phoneJson)) }),
	}),

	// Row 3: the WABA by its document id or its Meta business-account id
	route({
		method: 'GET',
		path: '/api/whatsapp/:wabaId/phone-numbers',
		query: noQuery,
		handle: ({ params, state }) => {
			const connection = requireConnection(state, params.wabaId!, 'wabaId');
			return { json: ok(phonesOf(state, connection).map(phoneJson), { waba_id: connection.waba_id }) };
		},
	}),

	// Row 4: subscribes Meta → Messlo webhooks for the WABA (no customer URL is involved)
	route({
		method: 'POST',
		path: '/api/whatsapp/:wabaId/webhooks/setup',
		body: emptyBody,
		handle: ({ params, state }) => {
			const connection = requireConnection(state, params.wabaId!, 'wabaId');
			connection.webhook_subscribed = true;
			connection.webhook_subscribed_at = nowIso();
			return {
				json: ok(
					{
						waba_id: connection.waba_id,
						connection_id: connection._id,
						subscribed: true,
						subscribed_fields: ['messages', 'message_template_status_update'],
						subscribed_at: connection.webhook_subscribed_at,
					},
					{ message: 'Webhooks subscribed for this WhatsApp Business Account' },
				),
			};
		},
	}),

	// Row 5: pulls WABAs and numbers from Meta (the sandbox's Meta holds what the state holds)
	route({
		method: 'POST',
		path: '/api/whatsapp/workspace/sync',
		body: emptyBody,
		handle: ({ state }) => {
			const at = nowIso();
			state.workspaceSyncs.push(at);
			for (const connection of state.connections) connection.last_synced_at = at;
			return {
				json: ok(
					{ wabas: state.connections.length, phone_numbers: state.phoneNumbers.length, synced_at: at },
					{ message: 'Workspace synced from Meta' },
				),
			};
		},
	}),
];
