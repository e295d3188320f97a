import type { IDataObject } from 'n8n-workflow';

import type { ItemReader } from '../../shared/item-reader';
import type { Operation } from '../../shared/operation';
import { envelopeData, MEHERY_SUCCESS } from '../api';

function links(item: ItemReader): IDataObject[] {
	const { link } = item.collection('links') as { link?: Array<{ name?: unknown; type?: unknown; value?: unknown }> };
	return (link ?? []).map((entry, index) => {
		const [linkName, linkType, linkValue] = [entry.name, entry.type, entry.value].map((value) => String(value ?? '').trim());
		const missing = [!linkName && 'Name', !linkType && 'Type', !linkValue && 'Value'].filter(Boolean);
		if (missing.length) {
			item.fail(`Link ${index + 1} has no ${missing.join(' or ')}`, 'Every link needs a name, a type and a value (e.g. name "order", type "ORDER_ID", value "DS-1042"), or remove it.');
		}
		return { linkName, linkType, linkValue };
	});
}

export const analyticsOperations: Operation[] = [
	{
		resource: 'analytics',
		value: 'pushEvent',
		success: MEHERY_SUCCESS.event,
		name: 'Push Event',
		action: 'Push an analytics event',
		description: 'Record an event (e.g. an order placed) in Mehery\'s digital analytics, linked to contacts, orders or anything else',
		fields: [
			{
				displayName: 'Event Name',
				name: 'eventName',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'order.placed',
				description: 'The event\'s name and action',
			},
			{
				displayName: 'Event ID',
				name: 'eventId',
				type: 'string',
				default: '',
				required: true,
				description: 'A unique ID of this event, e.g. the order number',
			},
			{
				displayName: 'Links',
				name: 'links',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Link',
				default: {},
				description: 'What the event is about: each link has a name, a type and a value',
				options: [
					{
						displayName: 'Link',
						name: 'link',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'customer' },
							{ displayName: 'Type', name: 'type', type: 'string', default: '', placeholder: 'PHONE' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '', placeholder: '+17472822486' },
						],
					},
				],
			},
		],
		request: (item) => ({
			method: 'POST',
			path: 'api/v1/event/push',
			body: { eventName: item.string('eventName'), id: item.string('eventId'), links: links(item) },
		}),
		output: (result) => envelopeData(result),
	},
];
