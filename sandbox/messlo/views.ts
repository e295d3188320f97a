/**
 * How each record looks in an answer. Every record carries its id twice, as `_id` (MongoDB's name)
 * and `id`, because Messlo's own client reads either.
 */
import type { Agent, Campaign, Chat, Chatbot, Connection, Contact, CustomField, Message, MessloState, PhoneNumber, Segment, Tag, Template } from './state';
import { phonesOf } from './state';

export const connectionJson = (state: MessloState, connection: Connection) => ({
	_id: connection._id,
	id: connection._id,
	waba_id: connection.waba_id,
	name: connection.name,
	business_name: connection.business_name,
	provider: connection.provider,
	status: connection.status,
	webhook_subscribed: connection.webhook_subscribed,
	phone_numbers_count: phonesOf(state, connection).length,
	last_synced_at: connection.last_synced_at,
	created_at: connection.created_at,
});

export const phoneJson = (phone: PhoneNumber) => ({
	_id: phone._id,
	id: phone._id,
	phone_number_id: phone.phone_number_id,
	waba_id: phone.waba_id,
	connection_id: phone.connection_id,
	phone_number: phone.phone_number,
	display_phone_number: phone.display_phone_number,
	verified_name: phone.verified_name,
	is_primary: phone.is_primary,
	status: phone.status,
	quality_rating: phone.quality_rating,
	provider: phone.provider,
});

export const contactJson = (contact: Contact) => ({ _id: contact._id, id: contact._id, ...withoutId(contact) });

export function messageJson(message: Message) {
	const { extra, ...fields } = message;
	return { _id: message._id, id: message._id, ...withoutId(fields), ...extra };
}

export function chatJson(state: MessloState, chat: Chat) {
	const contact = state.contacts.find((entry) => entry._id === chat.contact_id)!;
	const last = chat.last_message_id ? state.messages.find((entry) => entry._id === chat.last_message_id) : undefined;
	return {
		_id: chat._id,
		id: chat._id,
		...withoutId(chat),
		contact: { _id: contact._id, name: contact.name, phone_number: contact.phone_number },
		last_message: last ? messageJson(last) : null,
	};
}

export function templateJson(template: Template) {
	const { review_outcome: _outcome, connection_id: _connection, ...fields } = template;
	return { _id: template._id, id: template._id, ...withoutId(fields) };
}

export const campaignJson = (campaign: Campaign) => ({ _id: campaign._id, id: campaign._id, ...withoutId(campaign) });

export const tagJson = (state: MessloState, tag: Tag) => ({
	_id: tag._id,
	id: tag._id,
	label: tag.label,
	color: tag.color,
	contacts_count: state.contacts.filter((contact) => contact.tags.includes(tag._id)).length,
	created_at: tag.created_at,
});

export const agentJson = (agent: Agent) => ({ _id: agent._id, id: agent._id, ...withoutId(agent) });
export const segmentJson = (segment: Segment) => ({ _id: segment._id, id: segment._id, ...withoutId(segment) });
export const customFieldJson = (field: CustomField) => ({ _id: field._id, id: field._id, ...withoutId(field) });
export const chatbotJson = (chatbot: Chatbot) => ({ _id: chatbot._id, id: chatbot._id, ...withoutId(chatbot) });

/** Any record with its id as `_id` and `id`. */
export const recordJson = <T extends { _id: string }>(record: T) => ({ _id: record._id, id: record._id, ...withoutId(record) });

function withoutId<T extends { _id: string }>(record: T): Omit<T, '_id'> {
	const { _id, ...rest } = record;
	return rest;
}
