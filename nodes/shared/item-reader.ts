import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parsePhoneNumber, PhoneNumberError, type PhoneNumber } from './phone';

/**
 * Reads the parameters of one input item and fails that item (not the run) with a message that
 * names the field and the fix, before any request is made.
 */
export class ItemReader {
	constructor(
		readonly ctx: IExecuteFunctions,
		readonly index: number,
		private readonly fields: INodeProperties[] = [],
	) {}

	label(name: string): string {
		const [head, ...rest] = name.split('.');
		const field = this.fields.find((f) => f.name === head);
		if (!field) return name;
		if (!rest.length) return field.displayName;
		const inner = (field.options ?? []).find((o) => 'name' in o && o.name === rest[0]);
		return inner && 'displayName' in inner ? `${field.displayName} → ${inner.displayName}` : field.displayName;
	}

	fail(message: string, description?: string): never {
		throw new NodeOperationError(this.ctx.getNode(), message, { itemIndex: this.index, description });
	}

	raw(name: string, fallback?: unknown): unknown {
		return this.ctx.getNodeParameter(name, this.index, fallback);
	}

	/** A text parameter, trimmed; empty is `undefined`. */
	optionalString(name: string): string | undefined {
		const value = this.raw(name, '');
		if (value === undefined || value === null) return undefined;
		const text = String(value).trim();
		return text === '' ? undefined : text;
	}

	string(name: string): string {
		return this.optionalString(name) ?? this.fail(`${this.label(name)} is empty`, `Enter a value for "${this.label(name)}" (or an expression that gives one).`);
	}

	optionalNumber(name: string): number | undefined {
		const value = this.raw(name, '');
		if (value === undefined || value === null || value === '') return undefined;
		const number = typeof value === 'number' ? value : Number(String(value).trim());
		if (!Number.isFinite(number)) {
			this.fail(`${this.label(name)} must be a number`, `"${String(value)}" is not a number. Enter digits only, e.g. 42.`);
		}
		return number;
	}

	number(name: string): number {
		return this.optionalNumber(name) ?? this.fail(`${this.label(name)} is empty`, `Enter a number for "${this.label(name)}".`);
	}

	/** A positive whole number, e.g. a record id. */
	id(name: string): number {
		const value = this.number(name);
		if (!Number.isInteger(value) || value <= 0) {
			this.fail(`${this.label(name)} must be a positive whole number`, `"${value}" is not a valid id.`);
		}
		return value;
	}

	boolean(name: string, fallback = false): boolean {
		return Boolean(this.raw(name, fallback));
	}

	collection(name: string): IDataObject {
		return (this.raw(name, {}) as IDataObject) ?? {};
	}

	phone(name: string, text = this.string(name)): PhoneNumber {
		try {
			return parsePhoneNumber(text);
		} catch (error) {
			const reason = error instanceof PhoneNumberError ? error.message : String(error);
			return this.fail(`${this.label(name)}: ${reason}`);
		}
	}
}
