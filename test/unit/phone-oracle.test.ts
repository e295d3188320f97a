/**
 * nodes/shared/phone.ts checked against libphonenumber-js (a devDependency, never loaded by node code).
 *
 * Numbers: for every region libphonenumber-js knows (getCountries()), its example number (the package
 * ships mobile examples only) and random numbers of every number type of the region (fixed line,
 * mobile, toll free, …) drawn from the region's own type patterns, so fixed lines are covered too;
 * each as it is, one digit shorter and one digit longer. Typed forms of each: +CC digits, +CC with
 * spaces, +CC with dashes, +CC with brackets, 00CC digits, 00 CC with spaces, CC digits, CC with
 * spaces, CC digits@c.us.
 *
 * Oracle: a form is possible when libphonenumber-js (max metadata) parses it, finds it possible
 * (`isPossible()`: a length of the region) and its national number matches the general national
 * number pattern of a region of that calling code (the metadata's description of every number there,
 * all types together). Both must agree on every form; when both accept, on the E.164 too. Forms with
 * + or 00 are given to libphonenumber-js as typed (00 with a default country that dials 00);
 * the others are judged on their +CC form, under the rule below.
 *
 * Why the pattern and not `isPossible()` alone: `isPossible()` checks the length only, and accepts
 * what issue 8 asks to refuse (+91 98765 4321: 9 digits, but Indian numbers that start with 9 have
 * 10; +880 1988 12). How many cases length alone would accept is logged; every one of them is a
 * number libphonenumber-js also calls invalid.
 *
 * Deliberate differences, counted and logged, each checked against the oracle:
 * 1. +1: area codes and exchanges start with 2-9 (the metadata's +1 pattern checks only the area
 *    code; the Dominican Republic's toll-free 8[024]9-0XX/1XX range, valid in the metadata, is kept),
 *    and Canada's seven-digit 310-XXXX numbers are refused: the metadata calls them valid, but they
 *    are dialled only inside Canada, so no WhatsApp account has one.
 * 2. Digits without + or 00 (CC digits, CC with spaces) are read country code first, and refused
 *    when they are also a North American number without its leading 1 (ten digits starting with an
 *    area code in use): both readings are possible (checked with libphonenumber-js: the +1 reading
 *    is possible too), so the node asks for the country code.
 * 3. More than 15 digits in all: E.164's maximum. The metadata lists national-only toll-free and
 *    service numbers that long (DE, JP, KR, NG, ID, UY); they cannot be dialled from abroad.
 * 4. Where libphonenumber-js changes the digits after the country code, this module does not:
 *    libphonenumber-js drops a trunk prefix after the code whenever the rest could be a number (it
 *    turns the valid Belarusian premium-rate +375 810 348 40 85 into +375 10 348 40 85; a trunk
 *    prefix is dropped here only when the number cannot exist with it and can without it), and it
 *    applies rewrite rules for old or local numbers (Norfolk Island's five-digit local numbers get a
 *    3, some old Gabonese numbers lose a 0). Here such a number is refused or kept as typed.
 */
import { getCountries, getCountryCallingCode, isValidPhoneNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/examples.mobile.json';
import metadata from 'libphonenumber-js/metadata.max.json';
import { version as libphonenumberVersion } from 'libphonenumber-js/package.json';

import { parsePhoneNumber, type PhoneNumber } from '../../nodes/shared/phone';
import { NORTH_AMERICAN_AREA_CODES, NUMBERING_PLANS } from '../../nodes/shared/phone-plans';
import { buildPlans, northAmericanAreaCodes, parsePattern, samplePattern } from '../../scripts/phone-plans.cjs';

type Metadata = {
	country_calling_codes: Record<string, string[]>;
	countries: Record<string, unknown[]>;
	nonGeographic: Record<string, unknown[]>;
};
const plans = metadata as unknown as Metadata;

const SAMPLES_PER_TYPE = 2;

/** The same random numbers on every run. */
function seededRandom(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
		mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
	};
}

const generalPatterns = new Map<string, RegExp>();
for (const [code, regions] of Object.entries(plans.country_calling_codes)) {
	const patterns = regions.map((region) => `(?:${String(plans.countries[region][2])})`);
	generalPatterns.set(code, new RegExp(`^(?:${patterns.join('|')})$`));
}
for (const [code, plan] of Object.entries(plans.nonGeographic)) generalPatterns.set(code, new RegExp(`^(?:${String(plan[2])})$`));

interface Verdict {
	possible: boolean;
	/** The digits after the country code, as libphonenumber-js reads them */
	national?: string;
	/** libphonenumber-js's length check alone */
	possibleLength: boolean;
	valid: boolean;
	e164?: string;
}

function oracle(typed: string, defaultCountry?: CountryCode): Verdict {
	const parsed = parsePhoneNumberFromString(typed, defaultCountry ? { defaultCountry } : undefined);
	if (!parsed) return { possible: false, possibleLength: false, valid: false };
	const possibleLength = parsed.isPossible();
	const pattern = generalPatterns.get(parsed.countryCallingCode);
	const possible = possibleLength && pattern !== undefined && pattern.test(parsed.nationalNumber);
	return { possible, possibleLength, valid: parsed.isValid(), national: parsed.nationalNumber, e164: possible ? parsed.number : undefined };
}

function ours(typed: string): PhoneNumber | undefined {
	try {
		return parsePhoneNumber(typed);
	} catch {
		return undefined;
	}
}

const spaced = (digits: string, separator: string) => digits.match(/.{1,3}/g)!.join(separator);
const bracketed = (digits: string) => (digits.length > 3 ? `(${digits.slice(0, 3)}) ${spaced(digits.slice(3), ' ')}` : `(${digits})`);

/** Typed forms of +code national, and how the oracle judges each. */
function typedForms(code: string, national: string): Array<{ text: string; judge: 'as typed' | 'with 00' | 'without plus' | 'chat id' }> {
	return [
		{ text: `+${code}${national}`, judge: 'as typed' },
		{ text: `+${code} ${spaced(national, ' ')}`, judge: 'as typed' },
		{ text: `+${code}-${spaced(national, '-')}`, judge: 'as typed' },
		{ text: `+${code} ${bracketed(national)}`, judge: 'as typed' },
		{ text: `00${code}${national}`, judge: 'with 00' },
		{ text: `00 ${code} ${spaced(national, ' ')}`, judge: 'with 00' },
		{ text: `${code}${national}`, judge: 'without plus' },
		{ text: `${code} ${spaced(national, ' ')}`, judge: 'without plus' },
		{ text: `${code}${national}@c.us`, judge: 'chat id' },
	];
}

const areaCodesInUse = NORTH_AMERICAN_AREA_CODES.split(' ').map((text) => new RegExp(`^${text.replace(/x/g, '\\d')}`));
/** NPA-NXX-XXXX, and the Dominican Republic's toll-free range (see difference 1). */
const isNanpShaped = (national: string) => /^(?:[2-9]\d\d[2-9]\d{6}|8[024]9[01]\d{6})$/.test(national);
const isNorthAmericanWithoutOne = (digits: string) => isNanpShaped(digits) && areaCodesInUse.some((areaCode) => areaCode.test(digits));

interface Case {
	region: string;
	source: string;
	text: string;
}

function numbersOf(region: CountryCode, random: () => number): Array<{ national: string; source: string }> {
	const numbers: Array<{ national: string; source: string }> = [];
	const example = (examples as Record<string, string>)[region];
	if (example) numbers.push({ national: example, source: 'example mobile' });
	const types = (plans.countries[region][11] ?? []) as unknown[];
	types.forEach((type, index) => {
		const pattern = Array.isArray(type) ? (type[0] as string | undefined) : undefined;
		if (!pattern) return;
		const parsed = parsePattern(pattern);
		for (let sample = 0; sample < SAMPLES_PER_TYPE; sample++) {
			numbers.push({ national: samplePattern(parsed, random), source: `random ${TYPE_NAMES[index]}` });
		}
	});
	return numbers;
}
const TYPE_NAMES = ['fixed line', 'mobile', 'toll free', 'premium rate', 'personal number', 'voicemail', 'UAN', 'pager', 'VoIP', 'shared cost'];

type Difference = 'north american plan' | 'north american without its 1' | 'over 15 digits' | 'digits changed';

/** How our answer relates to the oracle's: 'agree', a deliberate difference, or 'disagree'. */
function compare(code: string, digits: string, judge: string, expected: Verdict, international: Verdict, got: PhoneNumber | undefined): 'agree' | 'disagree' | Difference {
	const ourAnswer = got?.e164 ?? 'refused';
	if (ourAnswer === (expected.e164 ?? 'refused')) return 'agree';
	if (!expected.possible) return 'disagree';
	if (code === '1' && !isNanpShaped(expected.national ?? digits) && !got) return 'north american plan';
	if (judge === 'without plus' && isNorthAmericanWithoutOne(`${code}${digits}`) && !got) {
		// Both readings must be possible for the oracle.
		return international.possible && oracle(`+1${code}${digits}`).possible ? 'north american without its 1' : 'disagree';
	}
	if (code.length + (expected.national ?? digits).length > 15 && !got) return 'over 15 digits';
	if (expected.national !== digits && (!got || got.e164 === `+${code}${digits}`)) {
		// Kept as typed only where the metadata's pattern allows the typed digits, refused only where not.
		return generalPatterns.get(code)?.test(digits) === Boolean(got) ? 'digits changed' : 'disagree';
	}
	return 'disagree';
}

describe('phone numbers against libphonenumber-js', () => {
	const random = seededRandom(8);
	let agreed = 0;
	const disagreed: Array<Case & { ours: string; oracle: string }> = [];
	const differences = new Map<Difference, Case[]>();
	const refusedThoughLengthFits: Array<Case & { valid: boolean }> = [];
	const validRefused: Case[] = [];
	let sampledNumbers = 0;
	let sampledValid = 0;
	const started = Date.now();

	for (const region of getCountries()) {
		const code = getCountryCallingCode(region);
		for (const { national, source } of numbersOf(region, random)) {
			if (source.startsWith('random')) {
				sampledNumbers++;
				if (isValidPhoneNumber(`+${code}${national}`)) sampledValid++;
			}
			const variants = [
				{ digits: national, how: '' },
				{ digits: national.slice(0, -1), how: ', one digit shorter' },
				{ digits: `${national}${national.slice(-1) === '5' ? '6' : '5'}`, how: ', one digit longer' },
			];
			for (const { digits, how } of variants) {
				if (digits === '') continue;
				const international = oracle(`+${code}${digits}`);
				for (const { text, judge } of typedForms(code, digits)) {
					const found: Case = { region, source: `${source}${how}`, text };
					const expected = judge === 'as typed' ? oracle(text) : judge === 'with 00' ? oracle(text, 'DE') : international;
					const got = ours(text);
					const outcome = compare(code, digits, judge, expected, international, got);
					if (outcome === 'agree') agreed++;
					else if (outcome === 'disagree') disagreed.push({ ...found, ours: got?.e164 ?? 'refused', oracle: expected.e164 ?? 'refused' });
					else differences.set(outcome, [...(differences.get(outcome) ?? []), found]);

					if (expected.valid && !got && outcome === 'disagree') validRefused.push(found);
					if (!expected.possible && expected.possibleLength && !got) refusedThoughLengthFits.push({ ...found, valid: expected.valid });
				}
			}
		}
	}
	const elapsed = Date.now() - started;
	const total = agreed + disagreed.length + [...differences.values()].reduce((sum, cases) => sum + cases.length, 0);
	const summary = (difference: Difference) => {
		const cases = differences.get(difference) ?? [];
		return `${cases.length} cases, e.g. ${cases.slice(0, 3).map((c) => c.text).join(', ')}`;
	};

	it('agree on every typed form of every example, random number, and the same one digit shorter or longer', () => {
		console.log(
			[
				`libphonenumber-js ${libphonenumberVersion}: ${agreed} of ${total} cases agree, ${disagreed.length} disagree`,
				`(${getCountries().length} regions; ${sampledNumbers} random numbers, ${sampledValid} of them valid for libphonenumber-js; ${elapsed} ms)`,
				`deliberate difference 1 (+1 area code / exchange 2-9, no 310-XXXX): ${summary('north american plan')}`,
				`deliberate difference 2 (digits without +, also a North American number without its 1): ${summary('north american without its 1')}`,
				`deliberate difference 3 (over 15 digits): ${summary('over 15 digits')}`,
				`deliberate difference 4 (libphonenumber-js changes the digits after the code): ${summary('digits changed')}`,
				`refused by leading digits although libphonenumber-js's length check alone accepts them: ${refusedThoughLengthFits.length} cases`,
			].join('\n'),
		);
		expect(disagreed.slice(0, 20)).toEqual([]);
		expect(agreed).toBeGreaterThan(60_000);
		expect(agreed / total).toBeGreaterThan(0.99);
	});

	it('accept every number libphonenumber-js calls valid, except the deliberate differences', () => {
		expect(validRefused).toEqual([]);
		// The sampler draws from libphonenumber-js's own type patterns: nearly all of them are valid.
		expect(sampledValid / sampledNumbers).toBeGreaterThan(0.95);
	});

	it('refuse by leading digits only numbers libphonenumber-js calls invalid', () => {
		expect(refusedThoughLengthFits.filter((found) => found.valid)).toEqual([]);
		expect(refusedThoughLengthFits.length).toBeGreaterThan(0);
	});
});

describe('numbering plans', () => {
	it('are what scripts/phone-plans.cjs makes of the installed libphonenumber-js metadata', () => {
		expect(NUMBERING_PLANS).toEqual(buildPlans());
		expect(NORTH_AMERICAN_AREA_CODES).toBe(northAmericanAreaCodes());
	});

	it('refuse what issue 8 lists, which libphonenumber-js finds possible by length or invalid', () => {
		for (const typed of ['+91 98765 4321', '+880 1988 12']) {
			expect(oracle(typed)).toMatchObject({ possibleLength: true, possible: false, valid: false });
			expect(ours(typed)).toBeUndefined();
		}
		for (const typed of ['+1 988 123 456', '+1 (747) 282-24860', '+33 1 23 45 67']) {
			expect(oracle(typed)).toMatchObject({ possibleLength: false, possible: false });
			expect(ours(typed)).toBeUndefined();
		}
		// An area code starting with 0: neither. An exchange starting with 0, Canada's 310-XXXX:
		// libphonenumber-js finds them possible (the second valid), the North American plan does not.
		expect(oracle('+1 055 123 4567')).toMatchObject({ possible: false });
		expect(ours('+1 055 123 4567')).toBeUndefined();
		expect(oracle('+1 747 082 2486')).toMatchObject({ possible: true, valid: false });
		expect(ours('+1 747 082 2486')).toBeUndefined();
		expect(oracle('+1 310 1234')).toMatchObject({ possible: true, valid: true });
		expect(ours('+1 310 1234')).toBeUndefined();
		// The Dominican Republic's toll-free 809-0XX range is valid: kept.
		expect(oracle('+1 809 071 9272')).toMatchObject({ valid: true });
		expect(ours('+1 809 071 9272')?.e164).toBe('+18090719272');
	});
});
