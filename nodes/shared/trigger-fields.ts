import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** A line of guidance at the top of a trigger. */
export function triggerNotice(text: string): INodeProperties {
	return { displayName: text, name: 'notice', type: 'notice', default: '' };
}

/** The events a trigger fires on, offered sorted by name. */
export function triggerEvents(options: INodePropertyOptions[], defaults: string[]): INodeProperties {
	return {
		displayName: 'Trigger On',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [...defaults],
		options: [...options].sort((a, b) => a.name.localeCompare(b.name)),
	};
}

/** The trigger's Options collection. */
export function triggerOptions(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options };
}
