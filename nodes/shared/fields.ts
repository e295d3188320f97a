import type { INodeProperties } from 'n8n-workflow';

import type { TextRules } from './item-reader';

/** WhatsApp's own limits: the text of a message, and the caption of a file. */
export const MESSAGE_TEXT: TextRules = { maxLength: 4096 };
export const CAPTION: TextRules = { maxLength: 1024 };

/** A phone number typed the way people type it; the node converts it to the provider's form. */
export function phoneField(overrides: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Phone Number',
		name: 'phone',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+1 (747) 282-2486',
		description: 'With its country code, in any common form: +44 20 7946 0958, 0044 20…, 4420…',
		...overrides,
	};
}

export function idField(displayName: string, name: string, description?: string): INodeProperties {
	return { displayName, name, type: 'string', default: '', required: true, description };
}

/** Latitude and longitude of a location message, within their ranges. */
export function coordinateFields(displayOptions: INodeProperties['displayOptions']): INodeProperties[] {
	return [
		{ displayName: 'Latitude', name: 'latitude', type: 'number', typeOptions: { numberPrecision: 6, minValue: -90, maxValue: 90 }, default: 0, required: true, displayOptions },
		{ displayName: 'Longitude', name: 'longitude', type: 'number', typeOptions: { numberPrecision: 6, minValue: -180, maxValue: 180 }, default: 0, required: true, displayOptions },
	];
}
