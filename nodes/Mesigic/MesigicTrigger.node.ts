import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ProviderClient } from '../shared/http';
import { keepNewest, pollResult, readPages } from '../shared/polling';
import { CONVERSATION_STATUSES, mesigic, MESIGIC_LIST, mesigicPages, testMesigicCredential } from './api';

type Event = 'newContact' | 'newConversation' | 'newUnreadConversation' | 'conversationStatusChanged';

interface KnownConversation {
	status: number;
	activity: string;
}

interface CursorState {
	lastContactId?: number;
	conversations?: Record<string, KnownConversation>;
	/** The latest activity time seen: older conversations are known already. */
	since?: string;
}

const PAGE_SIZE = 50;
const MAX_PAGES = 10;
const MAX_KNOWN_CONVERSATIONS = 2000;
const UNREAD = 4;

const statusName = (status: number) => CONVERSATION_STATUSES.find((entry) => entry.value === status)?.name ?? String(status);
const activityOf = (conversation: IDataObject) => String(conversation.last_message_at ?? conversation.updated_at ?? conversation.created_at ?? '');

async function pollContacts(client: ProviderClient, state: CursorState): Promise<{ events: IDataObject[]; sample?: IDataObject }> {
	const since = state.lastContactId;
	const contacts = await readPages(client, { method: 'GET', path: 'contact/list' }, mesigicPages, {
		success: MESIGIC_LIST,
		pageSize: since === undefined ? 1 : PAGE_SIZE,
		maxPages: since === undefined ? 1 : MAX_PAGES,
		seenEnough: (page) => page.some((contact) => Number(contact.id) <= (since ?? Infinity)),
	});
	const newest = Math.max(since ?? 0, ...contacts.map((contact) => Number(contact.id)));
	state.lastContactId = newest;
	const events = since === undefined ? [] : contacts.filter((contact) => Number(contact.id) > since).reverse();
	return { events: events.map((contact) => ({ event: 'newContact', ...contact })), sample: contacts[0] && { event: 'newContact', ...contacts[0] } };
}

async function pollConversations(client: ProviderClient, state: CursorState, event: Event): Promise<{ events: IDataObject[]; sample?: IDataObject }> {
	const firstPoll = state.conversations === undefined;
	const known = state.conversations ?? {};
	const since = state.since ?? '';
	const conversations = await readPages(client, { method: 'GET', path: 'inbox/conversation-list' }, mesigicPages, {
		success: MESIGIC_LIST,
		pageSize: PAGE_SIZE,
		maxPages: MAX_PAGES,
		// A status change does not move a conversation up the list, so that event reads every page it may.
		seenEnough: (page) => !firstPoll && event !== 'conversationStatusChanged' && activityOf(page[page.length - 1]) < since,
	});
	const events: IDataObject[] = [];
	for (const conversation of [...conversations].reverse()) {
		const id = String(conversation.id);
		const status = Number(conversation.status);
		const activity = activityOf(conversation);
		const before = known[id];
		if (!firstPoll) {
			const isNew = !before && String(conversation.created_at ?? activity) >= since;
			if (event === 'newConversation' && isNew) events.push({ event, ...conversation });
			if (event === 'newUnreadConversation' && status === UNREAD && (!before || before.status !== UNREAD || before.activity !== activity)) {
				events.push({ event, ...conversation });
			}
			if (event === 'conversationStatusChanged' && before && before.status !== status) {
				events.push({ event, ...conversation, previous_status: before.status, previous_status_name: statusName(before.status), status_name: statusName(status) });
			}
		}
		known[id] = { status, activity };
		if (activity > (state.since ?? '')) state.since = activity;
	}
	state.conversations = keepNewest(known, MAX_KNOWN_CONVERSATIONS, (entry) => entry.activity);
	return { events, sample: conversations[0] && { event, ...conversations[0] } };
}

export class MesigicTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mesigic Trigger',
		name: 'mesigicTrigger',
		icon: { light: 'file:../../icons/mesigic.svg', dark: 'file:../../icons/mesigic.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when Mesigic has a new WhatsApp contact or conversation activity (checked on a schedule, polling: Mesigic has no webhooks)',
		documentationUrl: 'https://github.com/whatsapp-gateways/n8n-nodes-whatsapp-gateways#mesigic-trigger',
		defaults: { name: 'Mesigic Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mesigicApi', required: true, testedBy: 'mesigicApiTest' }],
		properties: [
			{
				displayName: 'Trigger On',
				name: 'event',
				type: 'options',
				default: 'newUnreadConversation',
				options: [
					{ name: 'Conversation Status Changed', value: 'conversationStatusChanged', description: 'A conversation was marked Done, Pending, Important or Unread' },
					{ name: 'New Contact', value: 'newContact', description: 'A contact was added' },
					{ name: 'New Conversation', value: 'newConversation', description: 'A conversation was started' },
					{ name: 'New Unread Conversation', value: 'newUnreadConversation', description: 'A conversation became unread, e.g. a customer wrote' },
				],
			},
		],
	};

	methods = { credentialTest: { mesigicApiTest: testMesigicCredential } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as Event;
		const stored = this.getWorkflowStaticData('node') as CursorState & { event?: Event };
		// A changed event starts from now again instead of replaying what the old cursor skipped.
		if (stored.event !== event) {
			for (const key of Object.keys(stored)) delete (stored as IDataObject)[key];
			stored.event = event;
		}
		// Manual runs ("Fetch Test Event") must not move the active workflow's cursor.
		const state: CursorState = this.getMode() === 'manual' ? JSON.parse(JSON.stringify(stored)) : stored;
		const client = await ProviderClient.for(this, mesigic);
		const { events, sample } = event === 'newContact' ? await pollContacts(client, state) : await pollConversations(client, state, event);
		return pollResult(this, events, sample);
	}
}
