/**
 * The Redactor on the per-item path: strings without any form of a secret are left alone at once,
 * and an answer is copied only where a secret was replaced; what it replaces is what replacing
 * every form, longest first, gives.
 */
import { Redactor, secretForms } from '../../nodes/shared/errors';
import { mesigic } from '../../nodes/Mesigic/api';

const credentials = { clientId: 'client-7', clientSecret: 's3cr3t/+= ü&' };
const redactor = new Redactor(mesigic, credentials);

/** Every form replaced in turn, longest first: what redaction must give. */
function reference(text: string): string {
	const forms = [...new Set(['clientSecret'].flatMap((field) => secretForms(String(credentials[field as keyof typeof credentials]))))].sort((a, b) => b.length - a.length);
	return forms.reduce((out, form) => out.split(form).join('[redacted]'), text);
}

describe('Redactor', () => {
	it('replaces every form of a secret, anywhere in a string, as replacing each form in turn does', () => {
		const forms = secretForms(credentials.clientSecret);
		const samples = [
			'nothing here',
			'',
			...forms.map((form) => `before ${form} after`),
			forms.join(''),
			`${forms[0]}${forms[0]}`,
			`x${forms.at(-1)}`,
			'client-7 is not a secret field',
		];
		for (const sample of samples) expect(redactor.text(sample)).toBe(reference(sample));
		for (const form of forms) expect(redactor.text(`a ${form} b`)).toBe('a [redacted] b');
	});

	it('gives back an answer that holds no secret as it is, without copying it', () => {
		const answer = { status: 'success', message: { id: 7, text: 'Hello', to: ['880', '1711000001'], sent: true, at: null } };
		expect(redactor.value(answer)).toBe(answer);
		const list = Array.from({ length: 3 }, (_, id) => ({ id, name: `Contact ${id}` }));
		expect(redactor.value(list)).toBe(list);
	});

	it('copies only the objects on the way to a replaced secret, and leaves the input untouched', () => {
		const untouched = { id: 1, name: 'Ann' };
		const answer = { contacts: [untouched, { id: 2, note: `key ${credentials.clientSecret}` }], page: { next: null } };
		const before = JSON.stringify(answer);
		const redacted = redactor.value(answer);
		expect(redacted).toEqual({ contacts: [{ id: 1, name: 'Ann' }, { id: 2, note: 'key [redacted]' }], page: { next: null } });
		expect(JSON.stringify(answer)).toBe(before);
		expect(redacted).not.toBe(answer);
		expect(redacted.contacts[0]).toBe(untouched);
		expect(redacted.page).toBe(answer.page);
	});

	it('leaves Buffers as they are and turns other objects into plain ones, as before', () => {
		const file = Buffer.from(`a ${credentials.clientSecret}`);
		expect(redactor.value({ file }).file).toBe(file);
		expect(redactor.value(new Date(0))).toEqual({});
	});
});
