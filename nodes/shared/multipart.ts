import { randomBytes } from 'crypto';

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

/** Encodes parts as one multipart/form-data body (RFC 7578). */
export function encodeMultipart(parts: MultipartPart[]): { body: Buffer; contentType: string } {
	const boundary = `----n8nWhatsAppGateways${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const part of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(part.field)}"`;
		if ('file' in part) {
			head += `; filename="${quoted(part.file.fileName)}"\r\nContent-Type: ${part.file.mimeType}`;
		}
		chunks.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'));
		chunks.push('file' in part ? part.file.data : Buffer.from(String(part.value), 'utf8'));
		chunks.push(Buffer.from('\r\n', 'utf8'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
