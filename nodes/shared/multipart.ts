import { randomUUID } from 'crypto';

export interface FilePart {
	field: string;
	file: { data: Buffer; fileName: string; mimeType: string };
}

export interface FieldPart {
	field: string;
	value: string | number | boolean;
}

export type MultipartPart = FieldPart | FilePart;

/** Form fields from an object, leaving out the ones with no value. */
export function formFields(values: Record<string, string | number | boolean | undefined | null>): FieldPart[] {
	return Object.entries(values)
		.filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== null && entry[1] !== '')
		.map(([field, value]) => ({ field, value }));
}

const quoted = (text: string) => text.replace(/[\r\n"]/g, (c) => encodeURIComponent(c));

/**
 * Encodes parts as one multipart/form-data body (RFC 7578). Text goes into one string, encoded
 * once; a file's bytes are copied in as they are.
 */
export function encodeMultipart(parts: MultipartPart[]): { body: Buffer; contentType: string } {
	// 96 random bits, from the UUID generator's pool rather than a call for fresh bytes each time.
	const boundary = `----n8nWhatsAppGateways${randomUUID().replace(/-/g, '').slice(0, 24)}`;
	const chunks: Buffer[] = [];
	let text = '';
	for (const part of parts) {
		text += `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(part.field)}"`;
		if ('file' in part) {
			text += `; filename="${quoted(part.file.fileName)}"\r\nContent-Type: ${part.file.mimeType}\r\n\r\n`;
			chunks.push(Buffer.from(text, 'utf8'), part.file.data);
			text = '\r\n';
		} else {
			text += `\r\n\r\n${String(part.value)}\r\n`;
		}
	}
	text += `--${boundary}--\r\n`;
	chunks.push(Buffer.from(text, 'utf8'));
	return { body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
