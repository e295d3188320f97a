/**
 * What kind of file something is, from three witnesses: its name's extension, its declared MIME type
 * and its first bytes. A file whose witnesses disagree (a `photo.jpg` whose bytes are a PDF) is
 * refused rather than sent for the recipient's phone to fail on.
 */

const MIME_BY_EXTENSION: Record<string, string> = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	webp: 'image/webp',
	gif: 'image/gif',
	heic: 'image/heic',
	pdf: 'application/pdf',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	ppt: 'application/vnd.ms-powerpoint',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	zip: 'application/zip',
	txt: 'text/plain',
	csv: 'text/csv',
	htm: 'text/html',
	html: 'text/html',
	mp4: 'video/mp4',
	'3gp': 'video/3gpp',
	mov: 'video/quicktime',
	webm: 'video/webm',
	mp3: 'audio/mpeg',
	ogg: 'audio/ogg',
	opus: 'audio/ogg',
	aac: 'audio/aac',
	amr: 'audio/amr',
	m4a: 'audio/mp4',
	wav: 'audio/wav',
};

/** Other spellings of the same MIME type. */
const MIME_ALIASES: Record<string, string> = {
	'image/jpg': 'image/jpeg',
	'image/pjpeg': 'image/jpeg',
	'image/x-png': 'image/png',
	'application/x-pdf': 'application/pdf',
	'audio/mp3': 'audio/mpeg',
	'audio/x-mp3': 'audio/mpeg',
	'audio/mpeg3': 'audio/mpeg',
	'audio/x-mpeg': 'audio/mpeg',
	'audio/x-wav': 'audio/wav',
	'audio/wave': 'audio/wav',
	'audio/vnd.wave': 'audio/wav',
	'audio/x-m4a': 'audio/mp4',
	'audio/m4a': 'audio/mp4',
	'audio/aacp': 'audio/aac',
	'audio/x-aac': 'audio/aac',
	'audio/opus': 'audio/ogg',
	'application/x-zip-compressed': 'application/zip',
};

/** MIME types that say nothing about the content: treated as no claim at all. */
const NO_CLAIM = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown', 'application/download', 'application/x-download', 'application/force-download']);

/**
 * The format each known MIME type is stored in. Types that share a container are one format here:
 * the bytes of an .m4a and an .mp4 cannot be told apart cheaply, nor a .docx from a .zip.
 */
const FORMAT_OF_MIME: Record<string, string> = {
	'image/jpeg': 'a JPEG image',
	'image/png': 'a PNG image',
	'image/gif': 'a GIF image',
	'image/webp': 'a WebP image',
	'image/heic': 'a HEIC image',
	'application/pdf': 'a PDF document',
	'application/msword': 'an Office 97–2003 file',
	'application/vnd.ms-excel': 'an Office 97–2003 file',
	'application/vnd.ms-powerpoint': 'an Office 97–2003 file',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'a ZIP-based file (Office document or ZIP)',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'a ZIP-based file (Office document or ZIP)',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'a ZIP-based file (Office document or ZIP)',
	'application/zip': 'a ZIP-based file (Office document or ZIP)',
	'text/plain': 'text',
	'text/csv': 'text',
	'text/html': 'a web page (HTML)',
	'video/mp4': 'MP4/3GP/MOV media',
	'audio/mp4': 'MP4/3GP/MOV media',
	'video/3gpp': 'MP4/3GP/MOV media',
	'audio/3gpp': 'MP4/3GP/MOV media',
	'video/quicktime': 'MP4/3GP/MOV media',
	'video/webm': 'WebM media',
	'audio/webm': 'WebM media',
	'audio/ogg': 'OGG media',
	'video/ogg': 'OGG media',
	'application/ogg': 'OGG media',
	'audio/mpeg': 'MP3 audio',
	'audio/aac': 'AAC audio',
	'audio/amr': 'AMR audio',
	'audio/wav': 'WAV audio',
};

/** Declared types that real software attaches to an extension whose own type differs. */
const TOLERATED: Record<string, string[]> = {
	// Windows and many browsers upload .csv as application/vnd.ms-excel.
	csv: ['application/vnd.ms-excel'],
};

export function extensionOf(fileName: string): string | undefined {
	const match = /\.([a-z0-9]+)$/i.exec(fileName);
	return match?.[1].toLowerCase();
}

/** `image/JPG; charset=x` → `image/jpeg`; a type that says nothing → ''. */
export function canonicalMimeType(mimeType: string | undefined): string {
	const bare = String(mimeType ?? '').split(';')[0].trim().toLowerCase();
	const canonical = MIME_ALIASES[bare] ?? bare;
	return NO_CLAIM.has(canonical) ? '' : canonical;
}

export function mimeTypeOfExtension(extension: string | undefined): string | undefined {
	return extension ? MIME_BY_EXTENSION[extension] : undefined;
}

export function extensionOfMimeType(mimeType: string): string | undefined {
	const canonical = canonicalMimeType(mimeType);
	return Object.entries(MIME_BY_EXTENSION).find(([, mime]) => mime === canonical)?.[0];
}

const startsWith = (data: Buffer, signature: string | number[], at = 0) => {
	const bytes = typeof signature === 'string' ? Buffer.from(signature, 'latin1') : Buffer.from(signature);
	return data.length >= at + bytes.length && data.subarray(at, at + bytes.length).equals(bytes);
};

/** The MIME type the first bytes prove, for formats with a signature; undefined for anything else (text, say). */
export function sniffMimeType(data: Buffer): string | undefined {
	if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(data, 'GIF87a') || startsWith(data, 'GIF89a')) return 'image/gif';
	if (startsWith(data, 'RIFF') && startsWith(data, 'WEBP', 8)) return 'image/webp';
	if (startsWith(data, 'RIFF') && startsWith(data, 'WAVE', 8)) return 'audio/wav';
	// A PDF may have a little junk before its header; readers look in the first kilobyte.
	if (data.subarray(0, 1024).includes('%PDF-')) return 'application/pdf';
	if (startsWith(data, 'ftyp', 4)) {
		const brand = data.subarray(8, 12).toString('latin1');
		if (['heic', 'heix', 'mif1', 'msf1'].includes(brand)) return 'image/heic';
		if (brand.startsWith('3g')) return 'video/3gpp';
		if (brand === 'qt  ') return 'video/quicktime';
		return 'video/mp4';
	}
	if (startsWith(data, 'OggS')) return 'audio/ogg';
	if (startsWith(data, [0x1a, 0x45, 0xdf, 0xa3])) return 'video/webm';
	if (startsWith(data, 'ID3') || (data.length >= 2 && data[0] === 0xff && [0xfb, 0xf3, 0xf2].includes(data[1]))) return 'audio/mpeg';
	if (data.length >= 2 && data[0] === 0xff && (data[1] === 0xf1 || data[1] === 0xf9)) return 'audio/aac';
	if (startsWith(data, '#!AMR')) return 'audio/amr';
	if (startsWith(data, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
	if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'application/msword';
	if (/^\s*<(!doctype html|html)[\s>]/i.test(data.subarray(0, 512).toString('latin1'))) return 'text/html';
	return undefined;
}

export interface FileKind {
	/** The MIME type to send: the most specific one the witnesses agree on. */
	mimeType: string;
	/** The extension the name should have when it has none (from the MIME type or the bytes). */
	extension?: string;
}

export interface KindConflict {
	/** e.g. `the name says a JPEG image, the MIME type (application/pdf) says a PDF document` */
	disagreement: string;
}

interface Witness {
	says: string;
	format: string;
	mimeType: string;
}

/** The kind of a file, or what disagrees about it. */
export function fileKind(file: { data: Buffer; fileName: string; mimeType?: string }): FileKind | KindConflict {
	const extension = extensionOf(file.fileName);
	const declared = canonicalMimeType(file.mimeType);
	const sniffed = sniffMimeType(file.data);
	const witnesses: Witness[] = [];
	const byName = mimeTypeOfExtension(extension);
	if (byName) witnesses.push({ says: 'the name', format: FORMAT_OF_MIME[byName], mimeType: byName });
	const tolerated = extension !== undefined && (TOLERATED[extension] ?? []).includes(declared);
	const declaredKnown = declared && FORMAT_OF_MIME[declared] && !tolerated ? declared : undefined;
	if (declaredKnown) witnesses.push({ says: `the MIME type (${declared})`, format: FORMAT_OF_MIME[declared], mimeType: declared });
	if (sniffed) witnesses.push({ says: 'the content', format: FORMAT_OF_MIME[sniffed], mimeType: sniffed });

	const formats = new Set(witnesses.map((witness) => witness.format));
	if (formats.size > 1) {
		return { disagreement: witnesses.map((witness) => `${witness.says} says ${witness.format}`).join(', ') };
	}
	// A declared type the table knows stays (it may be finer than the name: audio/mp4 for an .mp4);
	// one it does not know comes after the name and the bytes.
	const mimeType = declaredKnown || byName || sniffed || declared || 'application/octet-stream';
	return { mimeType, extension: extension ?? extensionOfMimeType(mimeType) };
}

export const isKindConflict = (kind: FileKind | KindConflict): kind is KindConflict => 'disagreement' in kind;
