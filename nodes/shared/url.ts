import type { ItemReader } from './item-reader';

/** Whether `text` is an absolute http(s) address (https only when `httpsOnly`). */
export function isHttpUrl(text: string, httpsOnly = false): boolean {
	try {
		const { protocol, hostname } = new URL(text);
		return (httpsOnly ? protocol === 'https:' : /^https?:$/.test(protocol)) && hostname !== '';
	} catch {
		return false;
	}
}

/** `value` as an http(s) address of field `name`, or the item fails with a message naming the field. */
export function checkHttpUrl(item: ItemReader, name: string, value: string, options: { httpsOnly?: boolean; fix?: string } = {}): string {
	if (!isHttpUrl(value, options.httpsOnly)) {
		const scheme = options.httpsOnly ? 'an https://' : 'an http:// or https://';
		item.fail(`${item.label(name)} must be ${scheme} address: "${value}" is not`, options.fix);
	}
	return value;
}

/** The http(s) address in text field `name`, or the item fails. */
export function httpUrl(item: ItemReader, name: string, options: { httpsOnly?: boolean; fix?: string } = {}): string {
	return checkHttpUrl(item, name, item.string(name), options);
}
