import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parsePhoneNumber, PhoneNumberError, type PhoneNumber } from './phone';

type Field = INodeProperties;

const isField = (option: unknown): option is Field => typeof option === 'object' && option !== null && 'type' in option && 'displayName' in option;

/** What a value is, in the words a workflow builder uses. */
function kindOf(value: unknown): string {
	if (Array.isArray(value)) return `a list (${value.length} entries)`;
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A text field's value as text; objects and lists are refused rather than sent as "[object Object]" or "a,b". */
function asText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'object') return undefined;
	return String(value);
}

export interface TextRules {
	/** The most characters the provider (or WhatsApp) accepts in this field. */
	maxLength?: number;
}

/**
 * Reads the parameters of one input item and fails that item (not the run) with a message that
 * names the field and the fix, before any request is made. A value is checked against its field's
 * definition: text must be text, numbers must be numbers within the field's range.
 */
export class ItemReader {
	constructor(
		readonly ctx: IExecuteFunctions,
		readonly index: number,
		private readonly fields: INodeProperties[] = [],
	) {}

	/** The definition of `name` ('field' or 'collection.option'), when the reader knows it. */
	private fieldOf(name: string): Field | undefined {
		const [head, ...rest] = name.split('.');
		const field = this.fields.find((f) => f.name === head);
		if (!field || !rest.length) return field;
		const inner = (field.options ?? []).find((o) => 'name' in o && o.name === rest[0]);
		return isField(inner) ? inner : undefined;
	}

	label(name: string): string {
		const [head, ...rest] = name.split('.');
		const field = this.fields.find((f) => f.name === head);
		if (!field) return name;
		if (!rest.length) return field.displayName;
		const inner = (field.options ?? []).find((o) => 'name' in o && o.name === rest[0]);
		return inner && 'displayName' in inner ? `${field.displayName} → ${inner.displayName}` : field.displayName;
	}

	/**
	 * Fails the item. `field` names the parameter at fault ('field' or 'collection.option'): error
	 * items then say which field to correct (see failedField).
	 */
	fail(message: string, description?: string, field?: string): never {
		const error = new NodeOperationError(this.ctx.getNode(), message, { itemIndex: this.index, description });
		if (field !== undefined) error.context.field = this.label(field);
		throw error;
	}

	/**
	 * Text, numbers and booleans read so far: an expression is evaluated once per item even when
	 * the value is read again (e.g. the recipient, for the output and for an error item). Objects
	 * are read anew, as callers may change what they get.
	 */
	private readonly primitives = new Map<string, { fallback: unknown; value: unknown }>();

	raw(name: string, fallback?: unknown): unknown {
		const known = this.primitives.get(name);
		if (known !== undefined && known.fallback === fallback) return known.value;
		const value = this.ctx.getNodeParameter(name, this.index, fallback);
		if (value === null || typeof value !== 'object') this.primitives.set(name, { fallback, value });
		return value;
	}

	/**
	 * A reader of the same item that sees `values` in place of those parameters (a dotted name
	 * reads inside them) and knows `fields`: lets one operation run another's request builder
	 * with parameters of its own, e.g. Send and Wait sending through the provider's Send.
	 */
	withParameters(values: IDataObject, fields: INodeProperties[]): ItemReader {
		return new ItemReaderWithParameters(this.ctx, this.index, fields, values);
	}

	/** `value` as the text of field `name`, or the item fails when it is an object, a list or too long. */
	text(name: string, value: unknown, rules: TextRules = {}): string | undefined {
		if (value !== undefined && value !== null && typeof value === 'object') {
			this.fail(
				`${this.label(name)} must be text, but the expression gave ${kindOf(value)}`,
				`Pick the text inside it, e.g. {{ $json.order.note }} instead of {{ $json.order }}, or turn it into text with {{ JSON.stringify(…) }}.`,
				name,
			);
		}
		const text = asText(value)?.trim();
		if (text === undefined || text === '') return undefined;
		if (rules.maxLength !== undefined && text.length > rules.maxLength) {
			this.fail(
				`${this.label(name)} is too long: ${text.length} characters (WhatsApp allows ${rules.maxLength})`,
				`Shorten "${this.label(name)}" to ${rules.maxLength} characters or fewer, or split it into several messages.`,
				name,
			);
		}
		return text;
	}

	/** A text parameter, trimmed; empty is `undefined`. */
	optionalString(name: string, rules?: TextRules): string | undefined {
		return this.text(name, this.raw(name, ''), rules);
	}

	string(name: string, rules?: TextRules): string {
		return this.optionalString(name, rules) ?? this.fail(`${this.label(name)} is empty`, `Enter a value for "${this.label(name)}" (or an expression that gives one).`, name);
	}

	/** A text parameter that becomes one segment of the request path: encoded, and never `.` or `..`. */
	pathSegment(name: string): string {
		const value = this.string(name);
		if (/^\.{1,2}$/.test(value)) {
			this.fail(`${this.label(name)} cannot be "${value}"`, `"${value}" would change which address the request goes to. Enter the ID itself.`, name);
		}
		return encodeURIComponent(value);
	}

	/** A number within the field's own range (its `minValue` / `maxValue`). */
	numberValue(name: string, value: unknown): number | undefined {
		if (value === undefined || value === null || value === '') return undefined;
		const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
		const { minValue, maxValue, numberPrecision } = (this.fieldOf(name)?.typeOptions ?? {}) as { minValue?: number; maxValue?: number; numberPrecision?: number };
		const range =
			minValue !== undefined && maxValue !== undefined
				? `from ${minValue} to ${maxValue}`
				: minValue !== undefined
					? `of at least ${minValue}`
					: maxValue !== undefined
						? `of at most ${maxValue}`
						: undefined;
		const shown = typeof value === 'object' ? kindOf(value) : `"${String(value)}"`;
		if (!Number.isFinite(number)) {
			this.fail(`${this.label(name)} must be a number${range ? ` ${range}` : ''}: ${shown} is not`, `Enter digits only, e.g. ${minValue ?? 1}.`, name);
		}
		if ((minValue !== undefined && number < minValue) || (maxValue !== undefined && number > maxValue)) {
			this.fail(`${this.label(name)} must be ${range}: ${number} is not`, `Enter a number ${range} in "${this.label(name)}".`, name);
		}
		if (numberPrecision === 0 && !Number.isInteger(number)) {
			this.fail(`${this.label(name)} must be a whole number${range ? ` ${range}` : ''}: ${number} is not`, undefined, name);
		}
		return number;
	}

	optionalNumber(name: string): number | undefined {
		return this.numberValue(name, this.raw(name, ''));
	}

	number(name: string): number {
		return this.optionalNumber(name) ?? this.fail(`${this.label(name)} is empty`, `Enter a number for "${this.label(name)}".`, name);
	}

	/** A positive whole number, e.g. a record id. */
	id(name: string): number {
		const value = this.number(name);
		if (!Number.isInteger(value) || value <= 0) {
			this.fail(`${this.label(name)} must be a positive whole number`, `"${value}" is not a valid id.`, name);
		}
		return value;
	}

	boolean(name: string, fallback = false): boolean {
		return Boolean(this.raw(name, fallback));
	}

	/**
	 * A collection's values, each checked against its option's definition: text options must be
	 * text, number options numbers in range. Options the reader does not know pass as they are.
	 */
	collection(name: string): IDataObject {
		const values = (this.raw(name, {}) as IDataObject) ?? {};
		if (typeof values !== 'object' || Array.isArray(values)) return {};
		const checked: IDataObject = { ...values };
		for (const [key, value] of Object.entries(values)) {
			const option = this.fieldOf(`${name}.${key}`);
			if (option?.type === 'string') checked[key] = this.text(`${name}.${key}`, value) ?? '';
			if (option?.type === 'number') checked[key] = this.numberValue(`${name}.${key}`, value);
		}
		return checked;
	}

	phone(name: string, text = this.string(name)): PhoneNumber {
		try {
			return parsePhoneNumber(text);
		} catch (error) {
			const reason = error instanceof PhoneNumberError ? error.message : String(error);
			return this.fail(`${this.label(name)}: ${reason}`, undefined, name);
		}
	}
}

class ItemReaderWithParameters extends ItemReader {
	constructor(
		ctx: IExecuteFunctions,
		index: number,
		fields: INodeProperties[],
		private readonly values: IDataObject,
	) {
		super(ctx, index, fields);
	}

	raw(name: string, fallback?: unknown): unknown {
		const [head, ...rest] = name.split('.');
		if (!Object.prototype.hasOwnProperty.call(this.values, head)) return super.raw(name, fallback);
		let value: unknown = this.values[head];
		for (const key of rest) value = value !== null && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
		return value === undefined ? fallback : value;
	}
}
