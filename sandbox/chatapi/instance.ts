/** Instance: status (with the QR code), the QR code as PNG, logout, reboot, ack notifications on/off. */
import { z } from 'zod';

import { invalid, notFound } from '../framework';
import { ACK_SETTING_PROBLEM, ackSetting, route, tokenOnly, type ApiPath } from './common';
import { CHAT_API_LOGOUT_RESULT, qrCodePng, type ChatApiState } from './state';

const setAck = (state: ChatApiState, value: unknown) => {
	const on = ackSetting(value);
	if (on === undefined) throw invalid(value === undefined ? 'ackNotificationsOn is required: 1 (true) or 0 (false).' : ACK_SETTING_PROBLEM, 400);
	state.ackNotificationsOn = on;
	return { json: { set: true, ackNotificationsOn: on } };
};

export const instanceRoutes = (api: ApiPath) => [
	route({
		method: 'GET',
		path: api('/status'),
		query: tokenOnly,
		handle: ({ state }) => {
			if (state.accountStatus !== 'got qr code') return { json: { accountStatus: state.accountStatus } };
			return {
				json: { accountStatus: state.accountStatus, qrCode: `data:image/png;base64,${qrCodePng(state).toString('base64')}` },
			};
		},
	}),

	route({
		method: 'GET',
		path: api('/qr_code'),
		query: tokenOnly,
		handle: ({ state }) => {
			if (state.accountStatus === 'authenticated') throw notFound('There is no QR code: the instance is already authenticated.');
			if (state.accountStatus !== 'got qr code') {
				throw notFound(`There is no QR code yet: the instance status is "${state.accountStatus}". Try again in a minute.`);
			}
			return { body: qrCodePng(state), contentType: 'image/png' };
		},
	}),

	route({
		method: 'GET',
		path: api('/logout'),
		query: tokenOnly,
		handle: ({ state }) => {
			state.accountStatus = 'got qr code';
			state.qrGeneration += 1;
			return { json: { result: CHAT_API_LOGOUT_RESULT } };
		},
	}),

	route({
		method: 'GET',
		path: api('/reboot'),
		query: tokenOnly,
		handle: ({ state }) => {
			state.reboots += 1;
			return { json: { success: true } };
		},
	}),

	route({
		method: 'POST',
		path: api('/settings/ackNotificationsOn'),
		query: z.object({ token: z.unknown().optional(), ackNotificationsOn: z.unknown().optional() }).strict(),
		body: z.object({ ackNotificationsOn: z.unknown().optional() }).strict(),
		handle: ({ body, query, state }) => setAck(state, body.ackNotificationsOn ?? query.ackNotificationsOn),
	}),

	route({
		method: 'GET',
		path: api('/settings/ackNotificationsOn'),
		query: z.object({ token: z.unknown().optional(), ackNotificationsOn: z.unknown().optional() }).strict(),
		handle: ({ query, state }) => setAck(state, query.ackNotificationsOn),
	}),
];
