/**
 * A tiny PNG encoder and checker (node:zlib only), for simulators that hand out QR codes and images.
 * The QR-like picture has a QR code's look (finder squares, timing lines, a module grid drawn from
 * a seed) but is not a scannable QR code: nobody scans a sandbox.
 */
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

export function crc32(...parts: Buffer[]): number {
	let crc = 0xffffffff;
	for (const part of parts) {
		for (const byte of part) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
	}
	return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(head.subarray(4), data), 0);
	return Buffer.concat([head, data, crc]);
}

/** An 8-bit greyscale PNG; `pixels` holds width × height bytes, row by row (0 black, 255 white). */
export function encodeGreyscalePng(width: number, height: number, pixels: Uint8Array): Buffer {
	if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
		throw new RangeError('PNG dimensions must be positive integers');
	}
	if (pixels.length !== width * height) throw new RangeError(`Expected ${width * height} pixels, got ${pixels.length}`);
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 0; // colour type: greyscale
	ihdr[10] = 0; // compression: deflate
	ihdr[11] = 0; // filter method 0
	ihdr[12] = 0; // no interlace
	const raw = Buffer.alloc(height * (width + 1));
	for (let y = 0; y < height; y++) {
		raw[y * (width + 1)] = 0; // filter type None
		raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
	}
	return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A square grid of modules (true = dark) that looks like a QR code, the same for the same seed. */
export function qrLikeModules(seed: string, size = 25): boolean[][] {
	if (!Number.isInteger(size) || size < 21) throw new RangeError('A QR-like grid needs at least 21 modules a side');
	let pool = Buffer.alloc(0);
	let counter = 0;
	let bit = 0;
	const nextBit = () => {
		if (bit >= pool.length * 8) {
			pool = createHash('sha256').update(`${seed}:${counter++}`).digest();
			bit = 0;
		}
		const value = (pool[bit >> 3]! >> (7 - (bit & 7))) & 1;
		bit += 1;
		return value === 1;
	};
	const grid = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
	const reserved = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
	const finder = (top: number, left: number) => {
		for (let y = -1; y <= 7; y++) {
			for (let x = -1; x <= 7; x++) {
				const row = top + y;
				const col = left + x;
				if (row < 0 || col < 0 || row >= size || col >= size) continue;
				reserved[row]![col] = true;
				const ring = Math.max(Math.abs(y - 3), Math.abs(x - 3));
				grid[row]![col] = ring !== 2 && ring <= 3;
			}
		}
	};
	finder(0, 0);
	finder(0, size - 7);
	finder(size - 7, 0);
	for (let i = 8; i < size - 8; i++) {
		grid[6]![i] = grid[i]![6] = i % 2 === 0;
		reserved[6]![i] = reserved[i]![6] = true;
	}
	for (let row = 0; row < size; row++) {
		for (let col = 0; col < size; col++) if (!reserved[row]![col]) grid[row]![col] = nextBit();
	}
	return grid;
}

/** The QR-like picture as PNG bytes: `scale` pixels per module and a quiet zone of `margin` modules. */
export function qrLikePng(seed: string, options: { size?: number; scale?: number; margin?: number } = {}): Buffer {
	const { size = 25, scale = 8, margin = 4 } = options;
	const modules = qrLikeModules(seed, size);
	const side = (size + 2 * margin) * scale;
	const pixels = new Uint8Array(side * side).fill(255);
	for (let row = 0; row < size; row++) {
		for (let col = 0; col < size; col++) {
			if (!modules[row]![col]) continue;
			for (let dy = 0; dy < scale; dy++) {
				const start = ((row + margin) * scale + dy) * side + (col + margin) * scale;
				pixels.fill(0, start, start + scale);
			}
		}
	}
	return encodeGreyscalePng(side, side, pixels);
}

export interface PngInfo {
	width: number;
	height: number;
	bitDepth: number;
	colourType: number;
	/** Chunk types in file order. */
	chunks: string[];
	/** The inflated image data (each row prefixed by its filter byte). */
	data: Buffer;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Checks a PNG the way a decoder would (signature, chunk CRCs, IHDR first, IDAT inflates to the size
 * the header implies, IEND last) and returns what it found; throws on anything wrong.
 */
export function inspectPng(png: Buffer): PngInfo {
	if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('Not a PNG: wrong signature');
	const chunks: string[] = [];
	const idat: Buffer[] = [];
	let header: Omit<PngInfo, 'chunks' | 'data'> | undefined;
	let offset = 8;
	while (offset < png.length) {
		if (offset + 12 > png.length) throw new Error('Truncated PNG chunk');
		const length = png.readUInt32BE(offset);
		const type = png.toString('latin1', offset + 4, offset + 8);
		const end = offset + 12 + length;
		if (end > png.length) throw new Error(`Truncated PNG chunk ${type}`);
		const data = png.subarray(offset + 8, offset + 8 + length);
		if (crc32(png.subarray(offset + 4, offset + 8), data) !== png.readUInt32BE(offset + 8 + length)) {
			throw new Error(`Bad CRC in PNG chunk ${type}`);
		}
		if (chunks.length === 0 && type !== 'IHDR') throw new Error('The first PNG chunk is not IHDR');
		chunks.push(type);
		if (type === 'IHDR') {
			if (length !== 13) throw new Error('IHDR must be 13 bytes');
			header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), bitDepth: data[8]!, colourType: data[9]! };
		} else if (type === 'IDAT') idat.push(data);
		offset = end;
		if (type === 'IEND') break;
	}
	if (!header) throw new Error('No IHDR chunk');
	if (chunks.at(-1) !== 'IEND') throw new Error('No IEND chunk');
	if (offset !== png.length) throw new Error('Bytes after IEND');
	if (idat.length === 0) throw new Error('No IDAT chunk');
	const channels = CHANNELS[header.colourType];
	if (channels === undefined) throw new Error(`Unknown PNG colour type ${header.colourType}`);
	const data = inflateSync(Buffer.concat(idat));
	const rowBytes = Math.ceil((header.width * channels * header.bitDepth) / 8);
	if (data.length !== header.height * (rowBytes + 1)) {
		throw new Error(`IDAT holds ${data.length} bytes, the header implies ${header.height * (rowBytes + 1)}`);
	}
	return { ...header, chunks, data };
}
