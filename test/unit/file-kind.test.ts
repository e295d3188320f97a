import { canonicalMimeType, fileKind, isKindConflict, sniffMimeType } from '../../nodes/shared/file-kind';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');
const BYTES = {
	jpeg: hex('ffd8ffe0 0010 4a464946 00'),
	png: hex('89504e47 0d0a1a0a 0000000d 49484452'),
	gif: Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'),
	webp: Buffer.concat([Buffer.from('RIFF'), hex('24000000'), Buffer.from('WEBPVP8 ')]),
	wav: Buffer.concat([Buffer.from('RIFF'), hex('24000000'), Buffer.from('WAVEfmt ')]),
	pdf: Buffer.from('%PDF-1.7\n'),
	pdfAfterJunk: Buffer.concat([Buffer.alloc(100, 0x20), Buffer.from('%PDF-1.4\n')]),
	mp4: Buffer.concat([hex('00000018'), Buffer.from('ftypisom')]),
	m4a: Buffer.concat([hex('00000018'), Buffer.from('ftypM4A ')]),
	threeGp: Buffer.concat([hex('00000018'), Buffer.from('ftyp3gp4')]),
	heic: Buffer.concat([hex('00000018'), Buffer.from('ftypheic')]),
	ogg: Buffer.from('OggS\x00\x02', 'latin1'),
	mp3: Buffer.from('ID3\x04\x00', 'latin1'),
	mp3Frame: hex('fffb9064'),
	aac: hex('fff15080'),
	amr: Buffer.from('#!AMR\n'),
	zip: hex('504b0304 1400'),
	ole: hex('d0cf11e0 a1b11ae1'),
	html: Buffer.from('  <!DOCTYPE html><html><head>'),
	text: Buffer.from('name,phone\nLena,+4915123456789\n'),
};

describe('sniffMimeType', () => {
	it.each([
		['jpeg', 'image/jpeg'],
		['png', 'image/png'],
		['gif', 'image/gif'],
		['webp', 'image/webp'],
		['wav', 'audio/wav'],
		['pdf', 'application/pdf'],
		['pdfAfterJunk', 'application/pdf'],
		['mp4', 'video/mp4'],
		['m4a', 'video/mp4'],
		['threeGp', 'video/3gpp'],
		['heic', 'image/heic'],
		['ogg', 'audio/ogg'],
		['mp3', 'audio/mpeg'],
		['mp3Frame', 'audio/mpeg'],
		['aac', 'audio/aac'],
		['amr', 'audio/amr'],
		['zip', 'application/zip'],
		['ole', 'application/msword'],
		['html', 'text/html'],
	] as Array<[keyof typeof BYTES, string]>)('%s → %s', (name, mime) => {
		expect(sniffMimeType(BYTES[name])).toBe(mime);
	});

	it('says nothing about content without a signature', () => {
		expect(sniffMimeType(BYTES.text)).toBeUndefined();
		expect(sniffMimeType(Buffer.from('AAAA', 'base64'))).toBeUndefined();
		expect(sniffMimeType(Buffer.alloc(0))).toBeUndefined();
	});
});

describe('canonicalMimeType', () => {
	it('drops parameters and case, folds aliases, and treats generic types as no claim', () => {
		expect(canonicalMimeType('Image/JPG; charset=binary')).toBe('image/jpeg');
		expect(canonicalMimeType('audio/mp3')).toBe('audio/mpeg');
		expect(canonicalMimeType('application/octet-stream')).toBe('');
		expect(canonicalMimeType('binary/octet-stream')).toBe('');
		expect(canonicalMimeType(undefined)).toBe('');
	});
});

describe('fileKind', () => {
	it('refuses a .jpg whose MIME type says PDF, naming what disagrees', () => {
		const kind = fileKind({ data: BYTES.pdf, fileName: 'photo.jpg', mimeType: 'application/pdf' });
		expect(isKindConflict(kind) && kind.disagreement).toBe('the name says a JPEG image, the MIME type (application/pdf) says a PDF document, the content says a PDF document');
	});

	it('refuses a .jpg whose bytes are a PDF even when nothing else says so', () => {
		const kind = fileKind({ data: BYTES.pdf, fileName: 'photo.jpg', mimeType: '' });
		expect(isKindConflict(kind) && kind.disagreement).toBe('the name says a JPEG image, the content says a PDF document');
	});

	it('refuses a .jpg declared as application/pdf even when the bytes are unknown', () => {
		expect(isKindConflict(fileKind({ data: BYTES.text, fileName: 'photo.jpg', mimeType: 'application/pdf' }))).toBe(true);
	});

	it('refuses a .png whose bytes are a JPEG, and a .pdf that is a web page', () => {
		expect(isKindConflict(fileKind({ data: BYTES.jpeg, fileName: 'logo.png', mimeType: 'image/png' }))).toBe(true);
		expect(isKindConflict(fileKind({ data: BYTES.html, fileName: 'invoice.pdf', mimeType: 'application/pdf' }))).toBe(true);
	});

	it.each([
		['photo.jpeg', 'image/jpg', BYTES.jpeg, 'image/jpeg'],
		['photo.JPG', 'image/pjpeg', BYTES.jpeg, 'image/jpeg'],
		['clip.mp4', 'video/mp4', BYTES.mp4, 'video/mp4'],
		['voice.m4a', 'audio/x-m4a', BYTES.m4a, 'audio/mp4'],
		['clip.3gp', 'video/3gpp', BYTES.threeGp, 'video/3gpp'],
		['note.opus', 'audio/opus', BYTES.ogg, 'audio/ogg'],
		['song.mp3', 'audio/mp3', BYTES.mp3, 'audio/mpeg'],
		['report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', BYTES.zip, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
		['report.doc', 'application/msword', BYTES.ole, 'application/msword'],
		['sheet.xls', 'application/vnd.ms-excel', BYTES.ole, 'application/vnd.ms-excel'],
		['contacts.csv', 'application/vnd.ms-excel', BYTES.text, 'text/csv'],
		['contacts.csv', 'text/plain', BYTES.text, 'text/plain'],
		['scan.png', 'application/octet-stream', BYTES.png, 'image/png'],
		['scan.png', '', BYTES.png, 'image/png'],
		['clip.mp4', '', Buffer.from('AAAA', 'base64'), 'video/mp4'],
		['photo.heic', 'image/heic', BYTES.heic, 'image/heic'],
	])('accepts %s as %s with matching bytes (sends %s)', (fileName, mimeType, data, sent) => {
		const kind = fileKind({ data, fileName, mimeType });
		expect(isKindConflict(kind)).toBe(false);
		expect(!isKindConflict(kind) && kind.mimeType).toBe(sent);
	});

	it('gives a name without an extension the extension its MIME type or bytes prove', () => {
		expect(fileKind({ data: BYTES.png, fileName: 'download', mimeType: 'image/png' })).toEqual({ mimeType: 'image/png', extension: 'png' });
		expect(fileKind({ data: BYTES.pdf, fileName: 'download', mimeType: '' })).toEqual({ mimeType: 'application/pdf', extension: 'pdf' });
		expect(fileKind({ data: BYTES.text, fileName: 'download', mimeType: '' })).toEqual({ mimeType: 'application/octet-stream', extension: undefined });
	});

	it('leaves a MIME type it does not know to the other witnesses', () => {
		expect(fileKind({ data: BYTES.png, fileName: 'scan.png', mimeType: 'image/x-portable-thing' })).toEqual({ mimeType: 'image/png', extension: 'png' });
		expect(fileKind({ data: BYTES.text, fileName: 'model', mimeType: 'model/gltf+json' })).toEqual({ mimeType: 'model/gltf+json', extension: undefined });
	});
});
