import type { INodeProperties } from 'n8n-workflow';

/** The WhatsApp Business Account a template or campaign belongs to. */
export function wabaField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'WABA Name or ID',
		name: 'wabaId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getWabas' },
		default: '',
		required: true,
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: 'The WhatsApp Business Account: its ID as WhatsApp Account → Get Connections lists it',
		...overrides,
	};
}

/** The account's number a message is sent from, in digits. */
export const senderField: INodeProperties = {
	displayName: 'Sender Name or ID',
	name: 'sender',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getSenderNumbers' },
	default: '',
	required: true,
	description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	hint: 'Your WhatsApp Business number registered in Messlo. With an expression, the number in any common form, e.g. +91 12345 67890.',
};

/** Messlo's ID of one of the account's numbers (not the number itself). */
export function phoneNumberIdField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'WhatsApp Number Name or ID',
		name: 'whatsappPhoneNumberId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPhoneNumberIds' },
		default: '',
		required: true,
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: 'Messlo\'s ID of your WhatsApp number (the "id" of WhatsApp Account → Get Phone Numbers)',
		...overrides,
	};
}

/** An approved template, by name. */
export function templateNameField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Template Name or ID',
		name: 'templateName',
		type: 'options',
		default: '',
		required: true,
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: 'The template\'s name, e.g. order_update; approved templates are listed first',
		typeOptions: { loadOptionsMethod: 'getTemplates', loadOptionsDependsOn: ['sender'] },
		...overrides,
	};
}

export const agentField: INodeProperties = {
	displayName: 'Agent Name or ID',
	name: 'agentId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getAgents' },
	default: '',
	required: true,
	description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
};

export function tagsField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Tag Names or IDs',
		name: 'tagIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getTags' },
		default: [],
		description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		...overrides,
	};
}

export function segmentsField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Segment Names or IDs',
		name: 'segmentIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getSegments' },
		default: [],
		description: 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		...overrides,
	};
}

export const contactIdField: INodeProperties = {
	displayName: 'Contact ID',
	name: 'contactId',
	type: 'string',
	default: '',
	required: true,
	description: 'Messlo\'s ID of the contact, as Contact → Get Many and Chat → Get Many give it',
};

/** Key/value pairs, e.g. template variables `{"1": "Jane"}`. */
export function keyValueField(displayName: string, name: string, description: string, keyPlaceholder = '1'): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Variable',
		default: {},
		description,
		options: [
			{
				displayName: 'Variable',
				name: 'variable',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '', placeholder: keyPlaceholder },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	};
}

/** An AI chatbot (of the chosen WABA, else of any). */
export function chatbotField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Chatbot Name or ID',
		name: 'chatbotId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getChatbots' },
		default: '',
		required: true,
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		...overrides,
	};
}

/** An automation flow. */
export function flowField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Flow Name or ID',
		name: 'flowId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getFlows' },
		default: '',
		required: true,
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		...overrides,
	};
}
