// The numbering plans of nodes/shared/phone-plans.ts: which national numbers can exist after each
// country calling code, by leading digits and length. Run at development time only, after updating
// the libphonenumber-js devDependency:
//
//   node scripts/phone-plans.cjs            rewrite nodes/shared/phone-plans.ts
//   node scripts/phone-plans.cjs --check    fail if the committed file differs from the metadata
//
// Source: the "general description" pattern of every region in libphonenumber-js's max metadata
// (Google's libphonenumber data: the digit strings that can be a national number of that region,
// all number types together). Those patterns use a small regular-expression subset (digits,
// classes, \d, (?:…), |, ?, {n}, {n,m}); this file expands each into a finite union of
// "leading digits + total length" entries, exactly (no approximation), and compacts them. The node
// code reads only the generated plain data and never loads libphonenumber-js.
//
// Plain CommonJS so both this CLI and the TypeScript tests (test/unit/phone-oracle.test.ts) load it
// without a build step. Types: phone-plans.d.cts.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ANY = 0x3ff; // a digit mask with all ten digits
const OUTPUT = path.join(__dirname, '..', 'nodes', 'shared', 'phone-plans.ts');
const MAX_DIGITS = 17; // no national number is longer; bounds the expansion

/**
 * Where the metadata's plan is not the whole rule. North American numbers are NPA-NXX-XXXX: area code
 * and exchange both begin with 2-9 (the metadata's +1 plan checks only the area code), except the
 * Dominican Republic's toll-free 809/829/849-0XX/1XX range, which the metadata lists as valid.
 * Canada's seven-digit 310-XXXX service numbers are left out: they are dialled only inside Canada,
 * so no WhatsApp account has one.
 */
const OVERRIDES = { 1: '[2-9]xx[2-9]:10 8[024]9[01]:10' };

/** Names for messages where one calling code serves several places. */
const SHARED_CODE_NAMES = {
	1: 'US, Canada and the Caribbean',
	7: 'Russia, Kazakhstan',
	39: 'Italy, Vatican City',
	44: 'UK',
	47: 'Norway',
	61: 'Australia',
	212: 'Morocco',
	262: 'Réunion, Mayotte',
	290: 'St Helena, Tristan da Cunha',
	358: 'Finland, Åland',
	590: 'Guadeloupe, St Barthélemy, St Martin',
	599: 'Curaçao, Caribbean Netherlands',
};
const NON_GEOGRAPHIC_NAMES = {
	800: 'international freephone',
	808: 'international shared cost',
	870: 'Inmarsat',
	878: 'universal personal telecommunications',
	881: 'global mobile satellite systems',
	882: 'international networks',
	883: 'international networks',
	888: 'disaster relief (OCHA)',
	979: 'international premium rate',
};

// ---------------------------------------------------------------- the pattern subset

/** @typedef {{ kind: 'digits', mask: number } | { kind: 'group', alternatives: Item[][] }} Atom */
/** @typedef {{ atom: Atom, min: number, max: number }} Item */

/** Parses a libphonenumber national number pattern into alternatives of items. */
function parsePattern(pattern) {
	let at = 0;
	const fail = (what) => {
		throw new Error(`Unsupported pattern ${JSON.stringify(pattern)} at ${at}: ${what}`);
	};
	const peek = () => pattern[at];

	function alternatives() {
		const result = [sequence()];
		while (peek() === '|') {
			at++;
			result.push(sequence());
		}
		return result;
	}
	function sequence() {
		const items = [];
		while (at < pattern.length && peek() !== '|' && peek() !== ')') {
			const atom = readAtom();
			let min = 1;
			let max = 1;
			if (peek() === '?') {
				at++;
				min = 0;
			} else if (peek() === '{') {
				const bounds = /^\{(\d+)(?:,(\d+))?\}/.exec(pattern.slice(at));
				if (!bounds) fail('quantifier');
				at += bounds[0].length;
				min = Number(bounds[1]);
				max = bounds[2] === undefined ? min : Number(bounds[2]);
			} else if (peek() === '*' || peek() === '+') fail('unbounded quantifier');
			items.push({ atom, min, max });
		}
		return items;
	}
	function readAtom() {
		const char = peek();
		if (char === '(') {
			if (pattern.slice(at, at + 3) !== '(?:') fail('capturing group');
			at += 3;
			const group = alternatives();
			if (peek() !== ')') fail('unclosed group');
			at++;
			return { kind: 'group', alternatives: group };
		}
		if (char === '[') {
			const end = pattern.indexOf(']', at);
			if (end < 0) fail('unclosed class');
			const mask = classMask(pattern.slice(at + 1, end));
			at = end + 1;
			return { kind: 'digits', mask };
		}
		if (pattern.slice(at, at + 2) === '\\d') {
			at += 2;
			return { kind: 'digits', mask: ANY };
		}
		if (/\d/.test(char)) {
			at++;
			return { kind: 'digits', mask: 1 << Number(char) };
		}
		return fail(`character ${JSON.stringify(char)}`);
	}

	const parsed = alternatives();
	if (at !== pattern.length) fail('trailing text');
	return parsed;
}

function classMask(body) {
	if (!/^(?:\d(?:-\d)?|\\d)+$/.test(body)) throw new Error(`Unsupported class [${body}]`);
	let mask = 0;
	for (const [, from, to] of body.replace(/\\d/g, '0-9').matchAll(/(\d)(?:-(\d))?/g)) {
		for (let digit = Number(from); digit <= Number(to ?? from); digit++) mask |= 1 << digit;
	}
	return mask;
}

// ---------------------------------------------------------------- exact expansion

/** Every fixed-length sequence of digit masks a pattern matches, as strings of mask characters. */
function expandPattern(alternatives) {
	return expandAlternatives(alternatives);
}

const maskChar = (mask) => String.fromCharCode(0x100 + mask);
const charMask = (char) => char.charCodeAt(0) - 0x100;

function expandAlternatives(alternatives) {
	const paths = new Set();
	for (const items of alternatives) for (const found of expandSequence(items)) paths.add(found);
	return paths;
}

function expandSequence(items) {
	let paths = new Set(['']);
	for (const { atom, min, max } of items) {
		const once = atom.kind === 'digits' ? new Set([maskChar(atom.mask)]) : expandAlternatives(atom.alternatives);
		const next = new Set();
		for (const head of paths) {
			let repeated = new Set([head]);
			for (let count = 0; count <= max; count++) {
				if (count >= min) for (const found of repeated) next.add(found);
				if (count === max) break;
				const longer = new Set();
				for (const start of repeated) {
					for (const tail of once) if (start.length + tail.length <= MAX_DIGITS) longer.add(start + tail);
				}
				repeated = longer;
			}
		}
		paths = next;
	}
	return paths;
}

// ---------------------------------------------------------------- compaction

/** @typedef {{ prefix: string, lengths: Set<number> }} Entry  prefix: mask characters */

/**
 * The patterns' union as "leading digits → lengths" entries: same numbers, fewer entries. `owners`:
 * places sharing the calling code that own the numbers starting with their leading digits (the Isle
 * of Man's 1624… within +44), whose lengths are then the owner's.
 */
function planOf(patterns, owners = []) {
	const byPrefix = new Map();
	for (const pattern of patterns) {
		for (const found of expandPattern(parsePattern(pattern))) {
			const prefix = found.replace(new RegExp(`${maskChar(ANY)}+$`), '');
			if (!byPrefix.has(prefix)) byPrefix.set(prefix, new Set());
			byPrefix.get(prefix).add(found.length);
		}
	}
	let entries = [...byPrefix].map(([prefix, lengths]) => ({ prefix, lengths }));
	for (const { leadingDigits, lengths } of owners) {
		for (const owned of expandPattern(parsePattern(leadingDigits))) entries = restrictToOwner(entries, owned, lengths);
	}
	for (;;) {
		const before = describeEntries(entries);
		entries = mergeSiblings(dropCovered(entries));
		if (describeEntries(entries) === before) return entries;
	}
}

const trimAny = (prefix) => prefix.replace(new RegExp(`${maskChar(ANY)}+$`), '');
const padAny = (prefix, width) => prefix + maskChar(ANY).repeat(Math.max(0, width - prefix.length));

/** Entries where numbers that start with `owned` (and are at least that long) have only `ownerLengths`. */
function restrictToOwner(entries, owned, ownerLengths) {
	const result = [];
	for (const entry of entries) {
		const width = Math.max(entry.prefix.length, owned.length);
		const mine = padAny(entry.prefix, width);
		const theirs = padAny(owned, width);
		const both = [...mine].map((char, index) => charMask(char) & charMask(theirs[index]));
		const short = [...entry.lengths].filter((length) => length < owned.length);
		const long = [...entry.lengths].filter((length) => length >= owned.length);
		if (both.includes(0) || long.length === 0) {
			result.push(entry);
			continue;
		}
		if (short.length) result.push({ prefix: entry.prefix, lengths: new Set(short) });
		const inside = long.filter((length) => ownerLengths.includes(length));
		if (inside.length) result.push({ prefix: trimAny(both.map(maskChar).join('')), lengths: new Set(inside) });
		for (let index = 0; index < owned.length; index++) {
			const outside = charMask(mine[index]) & ~charMask(theirs[index]);
			if (outside === 0) continue;
			const prefix = both.slice(0, index).map(maskChar).join('') + maskChar(outside) + mine.slice(index + 1);
			result.push({ prefix: trimAny(prefix), lengths: new Set(long) });
		}
	}
	return result;
}

const covers = (general, specific) =>
	general.length <= specific.length &&
	[...general].every((char, index) => (charMask(specific[index]) & ~charMask(char)) === 0);

/** Lengths of an entry that a more general entry already allows are dropped (then empty entries). */
function dropCovered(entries) {
	return entries
		.map((entry) => {
			const lengths = new Set(entry.lengths);
			for (const other of entries) {
				if (other !== entry && other.prefix !== entry.prefix && covers(other.prefix, entry.prefix)) {
					for (const length of other.lengths) lengths.delete(length);
				}
			}
			return { prefix: entry.prefix, lengths };
		})
		.filter((entry) => entry.lengths.size > 0);
}

/** Entries with the same lengths whose prefixes differ in one position become one. */
function mergeSiblings(entries) {
	const result = entries.map((entry) => ({ prefix: entry.prefix, lengths: entry.lengths }));
	for (let merged = true; merged; ) {
		merged = false;
		outer: for (let i = 0; i < result.length; i++) {
			for (let j = i + 1; j < result.length; j++) {
				const a = result[i];
				const b = result[j];
				if (a.prefix.length !== b.prefix.length || lengthsText(a.lengths) !== lengthsText(b.lengths)) continue;
				const differ = [...a.prefix].flatMap((char, index) => (char === b.prefix[index] ? [] : [index]));
				if (differ.length !== 1) continue;
				const [index] = differ;
				const union = maskChar(charMask(a.prefix[index]) | charMask(b.prefix[index]));
				const prefix = (a.prefix.slice(0, index) + union + a.prefix.slice(index + 1)).replace(
					new RegExp(`${maskChar(ANY)}+$`),
					'',
				);
				result.splice(j, 1);
				result[i] = { prefix, lengths: a.lengths };
				merged = true;
				break outer;
			}
		}
	}
	// Same prefix after trimming: one entry.
	const byPrefix = new Map();
	for (const { prefix, lengths } of result) {
		byPrefix.set(prefix, new Set([...(byPrefix.get(prefix) ?? []), ...lengths]));
	}
	return [...byPrefix].map(([prefix, lengths]) => ({ prefix, lengths }));
}

// ---------------------------------------------------------------- the text form

function maskText(mask) {
	if (mask === ANY) return 'x';
	const digits = [...Array(10).keys()].filter((digit) => mask & (1 << digit));
	if (digits.length === 1) return String(digits[0]);
	const runs = [];
	for (const digit of digits) {
		const last = runs[runs.length - 1];
		if (last && last[1] === digit - 1) last[1] = digit;
		else runs.push([digit, digit]);
	}
	return `[${runs.map(([from, to]) => (from === to ? `${from}` : to === from + 1 ? `${from}${to}` : `${from}-${to}`)).join('')}]`;
}

function lengthsText(lengths) {
	const sorted = [...lengths].sort((a, b) => a - b);
	const runs = [];
	for (const length of sorted) {
		const last = runs[runs.length - 1];
		if (last && last[1] === length - 1) last[1] = length;
		else runs.push([length, length]);
	}
	return runs.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(',');
}

const prefixText = (prefix) => [...prefix].map((char) => maskText(charMask(char))).join('') || 'x';

/** '1:10 [2-9]x:8-10', entries in digit order. */
function describeEntries(entries) {
	return entries
		.map((entry) => `${prefixText(entry.prefix)}:${lengthsText(entry.lengths)}`)
		.sort(comparePlanEntries)
		.join(' ');
}

const sortKey = (text) => text.replace(/\[/g, '').replace(/x/g, ':');
const comparePlanEntries = (a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0);

// ---------------------------------------------------------------- random numbers of a pattern

/** A random digit string the pattern matches; `random()` returns [0, 1) like Math.random. */
function samplePattern(alternatives, random) {
	const pick = (list) => list[Math.floor(random() * list.length)];
	const digitOf = (mask) => pick([...Array(10).keys()].filter((digit) => mask & (1 << digit)));
	const sequence = (items) =>
		items
			.map(({ atom, min, max }) => {
				const count = min + Math.floor(random() * (max - min + 1));
				let text = '';
				for (let i = 0; i < count; i++) {
					text += atom.kind === 'digits' ? String(digitOf(atom.mask)) : sequence(pick(atom.alternatives));
				}
				return text;
			})
			.join('');
	return sequence(pick(alternatives));
}

// ---------------------------------------------------------------- the generated file

function loadMetadata() {
	return require('libphonenumber-js/metadata.max.json');
}

/** { code: [name, plan] } for every calling code of the metadata. */
function buildPlans(metadata = loadMetadata()) {
	const regionName = new Intl.DisplayNames(['en'], { type: 'region' });
	const plans = {};
	for (const [code, regions] of Object.entries(metadata.country_calling_codes)) {
		const name = SHARED_CODE_NAMES[code] ?? (regions.length === 1 ? regionName.of(regions[0]) : undefined);
		if (!name) throw new Error(`Calling code ${code} serves ${regions.join(', ')}: give it a name in SHARED_CODE_NAMES`);
		const patterns = regions.map((region) => metadata.countries[region][2]);
		// libphonenumber judges a number that starts with a place's leading digits by that place's lengths.
		const owners = regions
			.slice(1)
			.filter((region) => metadata.countries[region][10])
			.map((region) => ({ leadingDigits: metadata.countries[region][10], lengths: metadata.countries[region][3] }));
		plans[code] = [name, OVERRIDES[code] ?? describeEntries(planOf(patterns, owners))];
	}
	for (const [code, plan] of Object.entries(metadata.nonGeographic)) {
		const name = NON_GEOGRAPHIC_NAMES[code];
		if (!name) throw new Error(`Non-geographic calling code ${code}: give it a name in NON_GEOGRAPHIC_NAMES`);
		plans[code] = [name, describeEntries(planOf([plan[2]]))];
	}
	return Object.fromEntries(Object.entries(plans).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The North American area codes in use ('201', '202', …): the three leading digits of every valid
 * number, of every type, of every region of +1. Written as three-digit patterns, e.g. '20[1-35-9]'.
 */
function northAmericanAreaCodes(metadata = loadMetadata()) {
	const areaCodes = new Set();
	for (const region of metadata.country_calling_codes['1']) {
		for (const type of metadata.countries[region][11] ?? []) {
			if (!type || !type[0]) continue;
			for (const found of expandPattern(parsePattern(type[0]))) {
				let heads = [''];
				for (const char of found.slice(0, 3)) {
					const mask = charMask(char);
					heads = heads.flatMap((head) => [...Array(10).keys()].filter((digit) => mask & (1 << digit)).map((digit) => head + digit));
				}
				for (const head of heads) areaCodes.add(head);
			}
		}
	}
	const byTens = new Map();
	for (const code of [...areaCodes].sort()) {
		const tens = code.slice(0, 2);
		byTens.set(tens, (byTens.get(tens) ?? 0) | (1 << Number(code[2])));
	}
	return [...byTens].map(([tens, mask]) => tens + maskText(mask)).join(' ');
}

function fileText(plans, areaCodes, version) {
	const rows = Object.entries(plans).map(([code, [name, plan]]) => `\t'${code}': [${JSON.stringify(name).replace(/'/g, "\\'").replace(/^"|"$/g, "'")}, '${plan}'],`);
	return `// Generated by scripts/phone-plans.cjs from the numbering plans in libphonenumber-js ${version}
// (Google's libphonenumber metadata); regenerate with \`node scripts/phone-plans.cjs\`, do not edit.
//
// For each country calling code: where its numbers are (for messages), and which national numbers
// (the digits after the country code) can exist there, as space-separated entries
// "<leading digits>:<lengths>". Leading digits are digits, [classes] or x (any digit); lengths are
// counts of national digits, e.g. '1:10 [2-9]x:8-10' = ten digits starting with 1, or 8 to 10
// digits starting with 2-9. A number is possible when some entry fits both its start and its length.

export const NUMBERING_PLANS: Readonly<Record<string, readonly [where: string, plan: string]>> = {
${rows.join('\n')}
};

// North American area codes in use, as three-digit patterns: a ten-digit number typed without +
// that starts with one of them may be a North American number missing its leading 1.
export const NORTH_AMERICAN_AREA_CODES =
${wrap(areaCodes, 96).map((line) => `\t'${line}'`).join(' +\n')};
`;
}

/** Lines of at most `width` characters, broken at spaces, each but the last ending with its space. */
function wrap(text, width) {
	const lines = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line && line.length + word.length + 1 > width) {
			lines.push(`${line} `);
			line = word;
		} else line = line ? `${line} ${word}` : word;
	}
	return [...lines, line];
}

function main() {
	const { version } = require('libphonenumber-js/package.json');
	const text = fileText(buildPlans(), northAmericanAreaCodes(), version);
	if (process.argv.includes('--check')) {
		const committed = fs.readFileSync(OUTPUT, 'utf8');
		if (committed !== text) {
			console.error(`${path.relative(process.cwd(), OUTPUT)} differs from libphonenumber-js ${version}: run node scripts/phone-plans.cjs`);
			process.exit(1);
		}
		console.log(`${path.relative(process.cwd(), OUTPUT)} matches libphonenumber-js ${version}`);
		return;
	}
	fs.writeFileSync(OUTPUT, text);
	console.log(`wrote ${path.relative(process.cwd(), OUTPUT)} (${text.length} characters, ${Object.keys(buildPlans()).length} calling codes)`);
}

module.exports = { parsePattern, expandPattern, planOf, describeEntries, samplePattern, buildPlans, northAmericanAreaCodes, OVERRIDES };

if (require.main === module) main();
