/**
 * The Messlo Trigger's polls through the real n8n-core PollContext against the Messlo simulator:
 * the first poll replays nothing; a customer writing in fires once; a reply, a known message or a
 * second poll fires nothing; new contacts; one number or all; the work per poll is bounded and
 * what did not fit comes in the next poll; a manual run shows recent data without moving the
 * cursor; a failed poll leaves the cursor where it was.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { MESSLO_DEMO, MESSLO_SEED } from '../../sandbox/messlo';
import type { PollResult } from '../support/engine';
import { startMesslo } from '../support/messlo';
import { useSandbox } from '../support/use-sandbox';

const env = useSandbox(startMesslo);

const node = (parameters: INodeParameters = {}) => ({ name: 'Messlo Trigger', type: 'messloTrigger', parameters: { events: ['newInboundMessage'], ...parameters } });

async function poll(parameters: INodeParameters = {}, previous?: PollResult, mode: 'trigger' | 'manual' = 'trigger'): Promise<PollResult> {
	const result = await env.pkg.runPoll({ node: node(parameters), credentials: { messloApi: env.sandbox.credentials }, staticData: previous?.staticData, mode });
	return result;
}

const items = (result: PollResult) => result.items?.[0].map((item) => item.json) ?? [];
const MESSAGES = 'GET /api/whatsapp/messages';
const CHATS = 'GET /api/whatsapp/chats';
const { asha, tom } = MESSLO_SEED;

describe('New Inbound Message', () => {
	it('replays nothing on the first poll, then fires once for each message a customer writes', async () => {
		const first = await poll();
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		expect(env.sandbox.server.received(MESSAGES)).toHaveLength(0);

		const written = env.sandbox.inbound({ from: '+44 7700 900555', name: 'Jane Doe', text: 'Is my order ready?' });
		const second = await poll({}, first);
		expect(second.error).toBeUndefined();
		expect(items(second)).toEqual([
			{
				event: 'newInboundMessage',
				_id: written.message._id,
				id: written.message._id,
				wamid: written.message.wamid,
				chat_id: written.chat._id,
				contact_id: written.contact._id,
				whatsapp_phone_number_id: MESSLO_DEMO.phoneNumberId,
				direction: 'inbound',
				message_type: 'text',
				message: 'Is my order ready?',
				media_url: null,
				file_name: null,
				mime_type: null,
				latitude: null,
				longitude: null,
				template_id: null,
				template_name: null,
				template_variables: null,
				campaign_id: null,
				status: 'received',
				from: '447700900555',
				to: MESSLO_DEMO.senderNumber,
				created_at: written.message.created_at,
				contact: { _id: written.contact._id, name: 'Jane Doe', phone_number: '+447700900555' },
				whatsapp_phone_number: MESSLO_DEMO.senderNumber,
			},
		]);

		const third = await poll({}, second);
		expect(third.error).toBeUndefined();
		expect(third.items).toBeNull();
	});

	it('fires for a known customer writing again, every new message of a chat in order, and never for the replies', async () => {
		const first = await poll();
		env.sandbox.inbound({ from: asha.phone, text: 'One more question' });
		env.sandbox.inbound({ from: asha.phone, text: 'Do you gift-wrap?' });
		env.sandbox.inbound({ from: tom.phone, text: 'Still shipping to London?' });
		const second = await poll({}, first);
		expect(items(second).map((item) => [item.contact_id, item.message])).toEqual([
			[asha.contactId, 'One more question'],
			[asha.contactId, 'Do you gift-wrap?'],
			[tom.contactId, 'Still shipping to London?'],
		]);

		// The workflow answers: the chats move, but nothing a customer wrote is new.
		const reply = await env.pkg.runWorkflow({
			nodes: [{ name: 'Reply', type: 'messlo', parameters: { resource: 'message', operation: 'send', messageType: 'text', phone: `+${asha.phone}`, sender: MESSLO_DEMO.senderNumber, message: 'Yes, we do!' } }],
			credentials: { messloApi: env.sandbox.credentials },
		});
		expect(reply.error).toBeUndefined();
		const third = await poll({}, second);
		expect(third.error).toBeUndefined();
		expect(third.items).toBeNull();
		expect((await poll({}, third)).items).toBeNull();
	});

	it('watches every number of the account, or only the one chosen', async () => {
		const all = await poll();
		const one = await poll({ options: { whatsappPhoneNumberId: MESSLO_DEMO.secondPhoneNumberId } });
		const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
		env.sandbox.inbound({ from: '+1 415 555 0199', text: 'Hello US team', to: MESSLO_DEMO.secondSenderNumber, at: secondsAgo(2) });
		env.sandbox.inbound({ from: '+91 98765 00001', text: 'Hello India team', at: secondsAgo(1) });

		expect(items(await poll({}, all)).map((item) => [item.message, item.whatsapp_phone_number])).toEqual([
			['Hello US team', MESSLO_DEMO.secondSenderNumber],
			['Hello India team', MESSLO_DEMO.senderNumber],
		]);
		expect(items(await poll({ options: { whatsappPhoneNumberId: MESSLO_DEMO.secondPhoneNumberId } }, one)).map((item) => item.message)).toEqual(['Hello US team']);
	});

	it('says which numbers there are when the chosen one is not the account\'s', async () => {
		const result = await poll({ options: { whatsappPhoneNumberId: '5eed0b0000000000000000ff' } });
		expect(result.error?.message).toBe('WhatsApp Number "5eed0b0000000000000000ff" is not one of the account\'s numbers');
		expect(result.error?.description).toContain(`${MESSLO_DEMO.phoneNumberId} (${MESSLO_DEMO.senderNumber})`);
	});

	it('outputs the normalized shape on request', async () => {
		const first = await poll({ options: { normalized: true } });
		const text = env.sandbox.inbound({ from: '+44 7700 900556', name: 'Sam', text: 'Hi!' });
		const image = env.sandbox.inbound({ from: '+44 7700 900556', type: 'image', mediaUrl: 'https://cdn.example.com/photo.jpg', text: 'My receipt' });
		const place = env.sandbox.inbound({ from: '+44 7700 900556', type: 'location', latitude: 51.5072, longitude: -0.1276 });
		const second = await poll({ options: { normalized: true } }, first);
		const contact = { _id: text.contact._id, name: 'Sam', phone_number: '+447700900556' };
		expect(items(second)).toEqual([
			{
				provider: 'messlo',
				event: 'message.received',
				messageId: text.message._id,
				chatId: text.chat._id,
				from: '+447700900556',
				to: `+${MESSLO_DEMO.senderNumber}`,
				fromMe: false,
				type: 'text',
				text: 'Hi!',
				media: null,
				location: null,
				timestamp: text.message.created_at,
				raw: expect.objectContaining({ _id: text.message._id, message: 'Hi!', contact }),
			},
			expect.objectContaining({ messageId: image.message._id, type: 'image', text: null, media: { url: 'https://cdn.example.com/photo.jpg', caption: 'My receipt' } }),
			expect.objectContaining({ messageId: place.message._id, type: 'location', text: null, location: { latitude: 51.5072, longitude: -0.1276 } }),
		]);
	});

	it('reads at most 20 changed chats a poll and leaves the rest, without loss or repeats, for the next', async () => {
		const first = await poll();
		const customers = Array.from({ length: 25 }, (_, i) => `+447700900${200 + i}`);
		for (const [i, phone] of customers.entries()) env.sandbox.inbound({ from: phone, text: `Message ${i + 1}` });

		env.sandbox.server.clearReceived();
		const second = await poll({}, first);
		expect(items(second).map((item) => item.message)).toEqual(Array.from({ length: 20 }, (_, i) => `Message ${i + 1}`));
		expect(env.sandbox.server.received(MESSAGES)).toHaveLength(20);

		env.sandbox.inbound({ from: customers[0]!, text: 'Message 1, again' });
		const third = await poll({}, second);
		expect(items(third).map((item) => item.message)).toEqual(['Message 21', 'Message 22', 'Message 23', 'Message 24', 'Message 25', 'Message 1, again']);
		expect((await poll({}, third)).items).toBeNull();
	});

	it('fires for the first customer of an account that had no chats and no contacts yet', async () => {
		const { state } = env.sandbox.server;
		state.chats = [];
		state.messages = [];
		state.contacts = [];
		const both = { events: ['newInboundMessage', 'newContact'] };
		const first = await poll(both);
		expect(first.items).toBeNull();
		env.sandbox.inbound({ from: '+44 7700 900700', name: 'First Customer', text: 'Hello?' });
		const second = await poll(both, first);
		expect(items(second).map((item) => [item.event, item.message ?? item.name])).toEqual([
			['newInboundMessage', 'Hello?'],
			['newContact', 'First Customer'],
		]);
	});

	it('never replays a chat\'s history when Messlo\'s chats carry no time it can read', async () => {
		const only = { options: { whatsappPhoneNumberId: MESSLO_DEMO.phoneNumberId } };
		const answer = (body: IDataObject) => ({ kind: 'answer' as const, status: 200, contentType: 'application/json', body: JSON.stringify({ success: true, ...body }) });
		const chats = (lastId: string) => answer({ data: [{ _id: 'c0ffee000000000000000001', contact_id: tom.contactId, last_message: { _id: lastId } }] });
		const message = (id: string, text: string, hour: number) => ({ _id: id, message: text, direction: 'inbound', created_at: `2026-11-01T${hour}:00:00.000Z` });
		const history = [message('m2', 'Second', 10), message('m1', 'First', 9)];

		env.sandbox.server.injectFault(CHATS, chats('m2'));
		const first = await poll(only);
		expect(first.items).toBeNull();
		// The chat moved: its messages are read to learn where it stands; none of its history fires.
		env.sandbox.server.injectFault(CHATS, chats('m3'));
		env.sandbox.server.injectFault(MESSAGES, answer({ data: [message('m3', 'Third', 11), ...history] }));
		const second = await poll(only, first);
		expect(second.error).toBeUndefined();
		expect(second.items).toBeNull();
		env.sandbox.server.injectFault(CHATS, chats('m4'));
		env.sandbox.server.injectFault(MESSAGES, answer({ data: [message('m4', 'Fourth', 12), message('m3', 'Third', 11), ...history] }));
		expect(items(await poll(only, second)).map((item) => item.message)).toEqual(['Fourth']);
	});

	it('leaves the cursor where it was when a poll fails, so the next poll delivers', async () => {
		const first = await poll();
		env.sandbox.inbound({ from: '+44 7700 900557', text: 'Are you open today?' });
		env.sandbox.server.injectFault(MESSAGES, { kind: 'answer', status: 404, contentType: 'application/json', body: JSON.stringify({ success: false, message: 'Not found', error: 'NOT_FOUND' }) });
		const failed = await poll({}, first);
		expect(failed.error?.message).toContain('Not found');
		expect(failed.staticData).toEqual(first.staticData);
		expect(items(await poll({}, failed)).map((item) => item.message)).toEqual(['Are you open today?']);
	});

	it('shows the latest message a customer wrote when run by hand, without moving the cursor', async () => {
		const first = await poll();
		const manual = await poll({}, first, 'manual');
		expect(manual.error).toBeUndefined();
		expect(items(manual)).toEqual([expect.objectContaining({ event: 'newInboundMessage', message: 'Thanks!', contact_id: asha.contactId, whatsapp_phone_number: MESSLO_DEMO.senderNumber })]);
		expect(manual.staticData).toEqual(first.staticData);

		env.sandbox.inbound({ from: asha.phone, text: 'Hello again' });
		const manualAgain = await poll({}, first, 'manual');
		expect(items(manualAgain).map((item) => item.message)).toEqual(['Hello again']);
		expect(manualAgain.staticData).toEqual(first.staticData);
		// The published workflow still gets it.
		expect(items(await poll({}, first)).map((item) => item.message)).toEqual(['Hello again']);
	});
});

describe('New Contact', () => {
	const contacts = { events: ['newContact'] };

	it('replays nothing on the first poll, then fires once for each contact added, oldest first', async () => {
		const first = await poll(contacts);
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		const created = await env.pkg.runWorkflow({
			nodes: [{ name: 'Create', type: 'messlo', parameters: { resource: 'contact', operation: 'create', phone: '={{ $json.phone }}', additionalFields: { name: '={{ $json.name }}' } } }],
			credentials: { messloApi: env.sandbox.credentials },
			inputJson: [
				{ phone: '+44 7700 900601', name: 'First' },
				{ phone: '+44 7700 900602', name: 'Second' },
			],
		});
		expect(created.error).toBeUndefined();
		env.sandbox.inbound({ from: '+44 7700 900603', name: 'Third', text: 'Hi' });
		const second = await poll(contacts, first);
		expect(items(second).map((item) => [item.event, item.name, item.phone_number])).toEqual([
			['newContact', 'First', '+447700900601'],
			['newContact', 'Second', '+447700900602'],
			['newContact', 'Third', '+447700900603'],
		]);
		expect((await poll(contacts, second)).items).toBeNull();
	});

	it('fires both events from one trigger, and forgets an event\'s cursor when it is no longer chosen', async () => {
		const both = { events: ['newInboundMessage', 'newContact'] };
		const first = await poll(both);
		env.sandbox.inbound({ from: '+44 7700 900604', name: 'Newcomer', text: 'First message' });
		const second = await poll(both, first);
		expect(items(second).map((item) => [item.event, item.name ?? item.message])).toEqual([
			['newInboundMessage', 'First message'],
			['newContact', 'Newcomer'],
		]);

		const messagesOnly = await poll({}, second);
		expect(messagesOnly.nodeStaticData.contacts).toBeUndefined();
		env.sandbox.inbound({ from: '+44 7700 900605', name: 'Later', text: 'Hello' });
		// Chosen again, New Contact starts from now: the contact added while it was off is not replayed.
		const again = await poll(both, messagesOnly);
		expect(items(again).map((item) => item.event)).toEqual(['newInboundMessage']);
	});

	it('shows the newest contact when run by hand', async () => {
		const manual = await poll(contacts, undefined, 'manual');
		expect(items(manual)).toEqual([expect.objectContaining({ event: 'newContact', _id: asha.contactId, name: asha.name })]);
		expect(manual.nodeStaticData).toEqual({});
	});
});
