/**
 * Phone numbers as people type them → E.164, and the form each provider wants.
 *
 * ITU-T E.164 country calling codes are a prefix-free set (no code is the start of another), so
 * an international number splits into country code + national number with this table alone. The
 * numbering plan of each calling code (phone-plans.ts) then says which national numbers can exist
 * there, by leading digits and length: a number that cannot exist fails before any request.
 */

import { NORTH_AMERICAN_AREA_CODES, NUMBERING_PLANS } from './phone-plans';

export interface PhoneNumber {
	/** '+8801988123456' */
	e164: string;
	/** '880' */
	countryCode: string;
	/** '1988123456': the national significant number, without trunk prefix */
	nationalNumber: string;
}

export interface ParsePhoneNumberOptions {
	/** Country for numbers typed in national form: ISO 3166 alpha-2 ('GB') or calling code ('44'). */
	defaultCountry?: string;
}

export class PhoneNumberError extends Error {
	constructor(
		message: string,
		readonly input: string,
	) {
		super(message);
		this.name = 'PhoneNumberError';
	}
}

/** Numbers that start with these digits (one digit mask per position) have one of these lengths. */
interface PlanEntry {
	leadingDigits: number[];
	lengths: number[];
}

interface CallingCode {
	code: string;
	/** Dropped from a number typed in national form; '' when there is none (or it is not well known). */
	trunkPrefix: string;
	/** Where the code's numbers are, for messages: 'Bangladesh'. */
	where: string;
	/** The national numbers that can exist after the code (phone-plans.ts). */
	plan: PlanEntry[];
}

// Columns: calling code, ISO 3166-1 alpha-2 countries dialled with it, national trunk prefix.
const CALLING_CODE_TABLE: ReadonlyArray<readonly [string, string, string?]> = [
	// Zone 1: North American Numbering Plan
	['1', 'US CA AG AI AS BB BM BS DM DO GD GU JM KN KY LC MP MS PR SX TC TT VC VG VI', '1'],
	// Zone 2: mostly Africa
	['20', 'EG', '0'],
	['211', 'SS', '0'],
	['212', 'MA EH', '0'],
	['213', 'DZ', '0'],
	['216', 'TN', ''],
	['218', 'LY', '0'],
	['220', 'GM'],
	['221', 'SN'],
	['222', 'MR'],
	['223', 'ML'],
	['224', 'GN'],
	['225', 'CI'],
	['226', 'BF'],
	['227', 'NE'],
	['228', 'TG'],
	['229', 'BJ'],
	['230', 'MU'],
	['231', 'LR', '0'],
	['232', 'SL', '0'],
	['233', 'GH', '0'],
	['234', 'NG', '0'],
	['235', 'TD'],
	['236', 'CF'],
	['237', 'CM'],
	['238', 'CV'],
	['239', 'ST'],
	['240', 'GQ'],
	['241', 'GA'],
	['242', 'CG'],
	['243', 'CD', '0'],
	['244', 'AO'],
	['245', 'GW'],
	['246', 'IO'],
	['247', 'AC'],
	['248', 'SC'],
	['249', 'SD', '0'],
	['250', 'RW', '0'],
	['251', 'ET', '0'],
	['252', 'SO', '0'],
	['253', 'DJ'],
	['254', 'KE', '0'],
	['255', 'TZ', '0'],
	['256', 'UG', '0'],
	['257', 'BI'],
	['258', 'MZ'],
	['260', 'ZM', '0'],
	['261', 'MG', '0'],
	['262', 'RE YT', '0'],
	['263', 'ZW', '0'],
	['264', 'NA', '0'],
	['265', 'MW', '0'],
	['266', 'LS'],
	['267', 'BW'],
	['268', 'SZ'],
	['269', 'KM'],
	['27', 'ZA', '0'],
	['290', 'SH TA'],
	['291', 'ER', '0'],
	['297', 'AW'],
	['298', 'FO'],
	['299', 'GL'],
	// Zones 3 and 4: Europe
	['30', 'GR', ''],
	['31', 'NL', '0'],
	['32', 'BE', '0'],
	['33', 'FR', '0'],
	['34', 'ES', ''],
	['350', 'GI'],
	['351', 'PT', ''],
	['352', 'LU'],
	['353', 'IE', '0'],
	['354', 'IS'],
	['355', 'AL', '0'],
	['356', 'MT'],
	['357', 'CY'],
	['358', 'FI AX', '0'],
	['359', 'BG', '0'],
	['36', 'HU', '06'],
	['370', 'LT', '0'],
	['371', 'LV'],
	['372', 'EE'],
	['373', 'MD', '0'],
	['374', 'AM', '0'],
	['375', 'BY', '8'],
	['376', 'AD'],
	['377', 'MC', '0'],
	['378', 'SM'],
	['380', 'UA', '0'],
	['381', 'RS', '0'],
	['382', 'ME', '0'],
	['383', 'XK', '0'],
	['385', 'HR', '0'],
	['386', 'SI', '0'],
	['387', 'BA', '0'],
	['389', 'MK', '0'],
	['39', 'IT VA', ''], // Italian numbers keep their leading 0
	['40', 'RO', '0'],
	['41', 'CH', '0'],
	['420', 'CZ', ''],
	['421', 'SK', '0'],
	['423', 'LI', '0'],
	['43', 'AT', '0'],
	['44', 'GB GG IM JE', '0'],
	['45', 'DK', ''],
	['46', 'SE', '0'],
	['47', 'NO SJ', ''],
	['48', 'PL', ''],
	['49', 'DE', '0'],
	// Zone 5: Central and South America
	['500', 'FK GS'],
	['501', 'BZ'],
	['502', 'GT', ''],
	['503', 'SV', ''],
	['504', 'HN', ''],
	['505', 'NI', ''],
	['506', 'CR', ''],
	['507', 'PA', ''],
	['508', 'PM', '0'],
	['509', 'HT'],
	['51', 'PE', '0'],
	['52', 'MX', ''],
	['53', 'CU', '0'],
	['54', 'AR', '0'],
	['55', 'BR', '0'],
	['56', 'CL', ''],
	['57', 'CO', '0'],
	['58', 'VE', '0'],
	['590', 'GP BL MF', '0'],
	['591', 'BO', '0'],
	['592', 'GY'],
	['593', 'EC', '0'],
	['594', 'GF', '0'],
	['595', 'PY', '0'],
	['596', 'MQ', '0'],
	['597', 'SR'],
	['598', 'UY', '0'],
	['599', 'CW BQ'],
	// Zone 6: Southeast Asia and Oceania
	['60', 'MY', '0'],
	['61', 'AU CX CC', '0'],
	['62', 'ID', '0'],
	['63', 'PH', '0'],
	['64', 'NZ PN', '0'],
	['65', 'SG', ''],
	['66', 'TH', '0'],
	['670', 'TL'],
	['672', 'NF AQ'],
	['673', 'BN'],
	['674', 'NR'],
	['675', 'PG'],
	['676', 'TO'],
	['677', 'SB'],
	['678', 'VU'],
	['679', 'FJ'],
	['680', 'PW'],
	['681', 'WF'],
	['682', 'CK'],
	['683', 'NU'],
	['685', 'WS'],
	['686', 'KI', '0'],
	['687', 'NC'],
	['688', 'TV'],
	['689', 'PF'],
	['690', 'TK'],
	['691', 'FM'],
	['692', 'MH', '1'],
	// Zone 7: Russia and Kazakhstan
	['7', 'RU KZ', '8'],
	// Zone 8: East Asia and international services
	['800', ''], // international freephone
	['808', ''], // international shared cost
	['81', 'JP', '0'],
	['82', 'KR', '0'],
	['84', 'VN', '0'],
	['850', 'KP', '0'],
	['852', 'HK', ''],
	['853', 'MO', ''],
	['855', 'KH', '0'],
	['856', 'LA', '0'],
	['86', 'CN', '0'],
	['870', ''], // Inmarsat
	['878', ''], // universal personal telecommunications
	['880', 'BD', '0'],
	['881', ''], // global mobile satellite systems
	['882', ''], // international networks
	['883', ''], // international networks
	['886', 'TW', '0'],
	['888', ''], // disaster relief (OCHA)
	// Zone 9: West, Central and South Asia
	['90', 'TR', '0'],
	['91', 'IN', '0'],
	['92', 'PK', '0'],
	['93', 'AF', '0'],
	['94', 'LK', '0'],
	['95', 'MM', '0'],
	['960', 'MV', ''],
	['961', 'LB', '0'],
	['962', 'JO', '0'],
	['963', 'SY', '0'],
	['964', 'IQ', '0'],
	['965', 'KW', ''],
	['966', 'SA', '0'],
	['967', 'YE', '0'],
	['968', 'OM', ''],
	['970', 'PS', '0'],
	['971', 'AE', '0'],
	['972', 'IL', '0'],
	['973', 'BH', ''],
	['974', 'QA', ''],
	['975', 'BT'],
	['976', 'MN', '0'],
	['977', 'NP', '0'],
	['979', ''], // international premium rate
	['98', 'IR', '0'],
	['992', 'TJ', ''],
	['993', 'TM', '8'],
	['994', 'AZ', '0'],
	['995', 'GE', '0'],
	['996', 'KG', '0'],
	['998', 'UZ', ''],
];

/** Why a leading digit is refused, where the plan's own rule is worth saying. */
const LEADING_DIGIT_RULES: Record<string, string> = {
	'1': 'area codes and exchanges, the 1st and 4th digits, start with 2 to 9',
};

const callingCodes = new Map<string, CallingCode>();
const callingCodeByCountry = new Map<string, string>([['UK', '44']]);
for (const [code, countries, trunkPrefix = ''] of CALLING_CODE_TABLE) {
	const [where, plan] = NUMBERING_PLANS[code] ?? [];
	if (where === undefined || plan === undefined) throw new Error(`No numbering plan for calling code ${code}`);
	callingCodes.set(code, { code, trunkPrefix, where, plan: readPlan(plan) });
	for (const country of countries.split(' ').filter(Boolean)) callingCodeByCountry.set(country, code);
}

/** '1:10 [2-9]x:8-10' → entries; see phone-plans.ts for the notation. */
function readPlan(text: string): PlanEntry[] {
	return text.split(' ').map((entry) => {
		const [leading, lengths] = entry.split(':');
		return {
			leadingDigits: readLeadingDigits(leading),
			lengths: lengths.split(',').flatMap((run) => {
				const [from, to = from] = run.split('-').map(Number);
				return Array.from({ length: to - from + 1 }, (_, index) => from + index);
			}),
		};
	});
}

/** '8[0-79]x' → one digit mask per position. */
function readLeadingDigits(text: string): number[] {
	return [...text.matchAll(/\[([^\]]+)\]|x|\d/g)].map(([digits, inClass]) =>
		digitMask(digits === 'x' ? '0-9' : inClass ?? digits),
	);
}

/** '2-57' → the mask of 2, 3, 4, 5 and 7. */
function digitMask(digits: string): number {
	let mask = 0;
	for (const [, from, to = from] of digits.matchAll(/(\d)(?:-(\d))?/g)) {
		for (let digit = Number(from); digit <= Number(to); digit++) mask |= 1 << digit;
	}
	return mask;
}

/** Every assigned country calling code, e.g. ['1', '20', '211', …]. */
export const COUNTRY_CALLING_CODES: readonly string[] = [...callingCodes.keys()];

/** Calling code of an ISO 3166 alpha-2 country ('GB' → '44'), or undefined. */
export function callingCodeOfCountry(country: string): string | undefined {
	return callingCodeByCountry.get(country.trim().toUpperCase());
}

/** Whether a national number can exist after this calling code ('880', '1988123456' → true). */
export function isPossibleNationalNumber(countryCode: string, nationalNumber: string): boolean {
	const country = callingCodes.get(countryCode);
	return country !== undefined && isPossible(nationalNumber, country);
}

const EXAMPLE = 'e.g. +44 20 7946 0958';
const ADD_COUNTRY_CODE = `Type the number with its country code, ${EXAMPLE}`;
const CHECK_DIGITS = 'Check the number for a missing or extra digit';
const MAX_DIGITS = 15;

export function parsePhoneNumber(input: string, options: ParsePhoneNumberOptions = {}): PhoneNumber {
	const typed = String(input ?? '').trim();
	const invalid = (reason: string, fix = ADD_COUNTRY_CODE) =>
		new PhoneNumberError(`"${typed}" is not a valid phone number: ${reason}. ${fix}`, typed);

	if (typed === '') {
		throw new PhoneNumberError(`The phone number is empty. ${ADD_COUNTRY_CODE}`, typed);
	}
	const defaultCountry = findDefaultCountry(options.defaultCountry);

	const chatIdDigits = digitsOfChatId(typed, invalid);
	const { international, digits } =
		chatIdDigits === undefined ? toDigitsAsTyped(typed, defaultCountry, invalid) : { international: true, digits: chatIdDigits };

	const reading = international
		? readInternational(digits)
		: defaultCountry
			? readWithDefaultCountry(digits, defaultCountry)
			: readWithoutPlus(digits);
	if ('problem' in reading) throw invalid(reading.problem, reading.fix);
	const { country, nationalNumber } = reading;
	return { e164: `+${country.code}${nationalNumber}`, countryCode: country.code, nationalNumber };
}

export function toE164(phone: PhoneNumber): string {
	return phone.e164;
}

export function toDigits(phone: PhoneNumber): string {
	return phone.countryCode + phone.nationalNumber;
}

/** WhatsApp chat id of a person, as Chat API expects it. */
export function toChatId(phone: PhoneNumber): string {
	return `${toDigits(phone)}@c.us`;
}

/** Mesigic's mobile_code (digits, no +) and mobile. */
export function toCountryAndNational(phone: PhoneNumber): { mobileCode: string; mobile: string } {
	return { mobileCode: phone.countryCode, mobile: phone.nationalNumber };
}

type Reading = { country: CallingCode; nationalNumber: string } | { problem: string; fix?: string };
type Invalid = (reason: string, fix?: string) => PhoneNumberError;

/** Digits that start with a country calling code: '8801988123456', '+44 (0)20 7946 0958'. */
function readInternational(digits: string): Reading {
	const country = [1, 2, 3].map((length) => callingCodes.get(digits.slice(0, length))).find(Boolean);
	if (digits === '') return { problem: 'it has no digits after the international prefix' };
	if (!country) {
		return digits.length < 3
			? { problem: `it has only ${describeDigitCount(digits.length)}` }
			: { problem: `${digits.slice(0, 3)} is not a country calling code` };
	}
	const nationalNumber = dropTrunkPrefixAfterCountryCode(digits.slice(country.code.length), country);
	const digitCount = country.code.length + nationalNumber.length;
	if (digitCount > MAX_DIGITS) {
		return {
			problem: `it has ${digitCount} digits, but an international number has at most ${MAX_DIGITS}`,
			fix: 'Check for extra or repeated digits',
		};
	}
	if (nationalNumber === '') {
		return { problem: `it has only the country code +${country.code}`, fix: `Type the whole number with its country code, ${EXAMPLE}` };
	}
	return whyImpossible(nationalNumber, country) ?? { country, nationalNumber };
}

/**
 * Digits typed without +, 00 or a default country. WhatsApp writes numbers this way (chat ids,
 * wa.me links), country code first, so that is the reading, taken only when it is the one reading:
 * the number it gives must be possible, and the digits must not also be a North American number
 * missing its leading 1 (ten digits, an area code in use): US contacts are often stored that way,
 * and about one in five of them also reads as another country's number ('2015550123', +20 …).
 */
function readWithoutPlus(digits: string): Reading {
	if (digits.startsWith('0')) {
		return {
			problem: 'it is in national form (it starts with 0) and no default country is set',
			fix: `Type it with its country code (${EXAMPLE}) or set the default country`,
		};
	}
	const northAmerican = isNorthAmericanWithoutOne(digits);
	const reading = readInternational(digits);
	if ('problem' in reading) {
		return {
			problem: `without a + it is read with its country code first, and ${reading.problem}`,
			fix: northAmerican
				? `If it is a North American number, type it as +1 ${digits}; otherwise type it with + and its country code`
				: `If it has no country code, type it with + and its country code, ${EXAMPLE}`,
		};
	}
	if (northAmerican) {
		const { country, nationalNumber } = reading;
		return {
			problem: `without a + it could be +${country.code} ${nationalNumber} (${country.where}) or the North American number +1 ${digits} without its leading 1`,
			fix: `Type it with + and its country code: +${country.code} ${nationalNumber} or +1 ${digits}`,
		};
	}
	return reading;
}

const northAmericanAreaCodes = NORTH_AMERICAN_AREA_CODES.split(' ').map(readLeadingDigits);

function isNorthAmericanWithoutOne(digits: string): boolean {
	const northAmerica = callingCodes.get('1');
	return (
		digits.length === 10 &&
		northAmerica !== undefined &&
		isPossible(digits, northAmerica) &&
		northAmericanAreaCodes.some((areaCode) => startsLike(digits, areaCode))
	);
}

/**
 * Digits typed without + or 00 where a default country is set: a national number of that country
 * (with or without its trunk prefix) when it can be one, the setting says where such numbers come
 * from; else country code first ('447946095812' with default US).
 */
function readWithDefaultCountry(digits: string, country: CallingCode): Reading {
	const { trunkPrefix, code } = country;
	const nationalNumber = trunkPrefix !== '' && digits.startsWith(trunkPrefix) ? digits.slice(trunkPrefix.length) : digits;
	if (isPossible(nationalNumber, country) && code.length + nationalNumber.length <= MAX_DIGITS) {
		return { country, nationalNumber };
	}
	const international = digits.startsWith('0') ? undefined : readInternational(digits);
	if (international && (!('problem' in international) || digits.startsWith(code))) return international;
	return (
		whyImpossible(nationalNumber, country, `as a national number of +${code} (${country.where})`) ?? {
			problem: `it has ${code.length + nationalNumber.length} digits with its country code, but an international number has at most ${MAX_DIGITS}`,
			fix: 'Check for extra or repeated digits',
		}
	);
}

/** Why a national number cannot exist after its calling code, or undefined when it can. */
function whyImpossible(
	nationalNumber: string,
	country: CallingCode,
	where = `after +${country.code} (${country.where})`,
): { problem: string; fix: string } | undefined {
	if (isPossible(nationalNumber, country)) return undefined;
	const entriesStartingLike = (count: number) =>
		country.plan.filter((entry) => startsLike(nationalNumber.slice(0, count), entry.leadingDigits));

	// The longest start of the number that some entry allows, and the lengths those entries allow.
	let known = nationalNumber.length;
	while (entriesStartingLike(known).length === 0) known--;
	const lengths = lengthsOf(entriesStartingLike(known));
	if (!lengths.includes(nationalNumber.length)) {
		let count = 0;
		while (lengthsOf(entriesStartingLike(count)).join() !== lengths.join()) count++;
		const numbers = count === 0 ? 'numbers' : `numbers that start with ${nationalNumber.slice(0, count)}`;
		return {
			problem: `it has ${describeDigitCount(nationalNumber.length)} ${where}, where ${numbers} have ${describeLengths(lengths)}`,
			fix: CHECK_DIGITS,
		};
	}
	const rule = LEADING_DIGIT_RULES[country.code];
	return {
		problem: `${where} no number starts with ${nationalNumber.slice(0, known + 1)}${rule ? ` (${rule})` : ''}`,
		fix: 'Check the number',
	};
}

function isPossible(nationalNumber: string, country: CallingCode): boolean {
	return country.plan.some(
		(entry) =>
			entry.lengths.includes(nationalNumber.length) &&
			nationalNumber.length >= entry.leadingDigits.length &&
			startsLike(nationalNumber, entry.leadingDigits),
	);
}

/** Whether the digits agree with the leading digits (as far as both go). */
function startsLike(digits: string, leadingDigits: number[]): boolean {
	const compared = Math.min(digits.length, leadingDigits.length);
	for (let index = 0; index < compared; index++) {
		if (!(leadingDigits[index] & (1 << Number(digits[index])))) return false;
	}
	return true;
}

function lengthsOf(entries: PlanEntry[]): number[] {
	return [...new Set(entries.flatMap((entry) => entry.lengths))].sort((a, b) => a - b);
}

/** [7, 9, 10] → '7, 9 or 10'; [5, 6, 7, 8] → '5 to 8'. */
function describeLengths(lengths: number[]): string {
	const runs: Array<[number, number]> = [];
	for (const length of lengths) {
		const last = runs[runs.length - 1];
		if (last && last[1] === length - 1) last[1] = length;
		else runs.push([length, length]);
	}
	const parts = runs.flatMap(([from, to]) => (to - from >= 2 ? [`${from} to ${to}`] : from === to ? [`${from}`] : [`${from}`, `${to}`]));
	return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

function describeDigitCount(count: number): string {
	return count === 1 ? '1 digit' : `${count} digits`;
}

function findDefaultCountry(defaultCountry: string | undefined): CallingCode | undefined {
	const wanted = (defaultCountry ?? '').trim();
	if (wanted === '') return undefined;
	const code = /^\+?\d+$/.test(wanted) ? wanted.replace('+', '') : callingCodeOfCountry(wanted);
	const found = code === undefined ? undefined : callingCodes.get(code);
	if (!found) {
		throw new PhoneNumberError(
			`The default country "${wanted}" is not known. Use a two-letter country code such as US, GB or IN, or a calling code such as 44`,
			wanted,
		);
	}
	return found;
}

/** '8801988123456@c.us', '8801988123456:12@s.whatsapp.net' → '8801988123456'; undefined if not a chat id. */
function digitsOfChatId(typed: string, invalid: Invalid): string | undefined {
	if (!typed.includes('@')) return undefined;
	const personChat = /^(\d+)(?::\d+)?@(?:c\.us|s\.whatsapp\.net)$/i.exec(typed);
	if (!personChat) {
		throw invalid(
			'it is a WhatsApp chat id that holds no phone number (only ids ending in @c.us or @s.whatsapp.net do)',
			`Give the person's phone number, ${EXAMPLE}`,
		);
	}
	return personChat[1];
}

/** The digits as typed, and whether they start with a country code (+, 00, or 011 from North America). */
function toDigitsAsTyped(
	typed: string,
	defaultCountry: CallingCode | undefined,
	invalid: Invalid,
): { international: boolean; digits: string } {
	const { plus, digits } = readDigits(typed, invalid);
	if (plus) return { international: true, digits };
	if (digits.startsWith('00')) return { international: true, digits: digits.slice(2) };
	const dialsFromNanp = !defaultCountry || defaultCountry.code === '1';
	if (dialsFromNanp && digits.startsWith('011')) return { international: true, digits: digits.slice(3) };
	return { international: false, digits };
}

const SEPARATORS = /[\s\-.\/()\u2010-\u2015\u2212]/g;
const EXTENSION = /(?:;?ext(?:ension)?[.=:]?|x|#)\s*\d+$/i;
// Zero of digit sets people type numbers with besides 0-9: Arabic-Indic, Persian, Devanagari,
// Bengali, Thai, full-width.
const OTHER_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50, 0xff10];

function readDigits(typed: string, invalid: Invalid): { plus: boolean; digits: string } {
	let text = typed
		.replace(/^(?:tel|whatsapp):/i, '')
		.replace(/\p{Nd}/gu, (digit) => {
			const codePoint = digit.codePointAt(0) ?? 0;
			const zero = OTHER_ZEROS.find((z) => codePoint >= z && codePoint <= z + 9);
			return zero === undefined ? digit : String(codePoint - zero);
		})
		.replace(/^\s*[+\uff0b]/, '+');

	const extension = EXTENSION.exec(text);
	if (extension) {
		throw invalid(
			`it has an extension ("${extension[0]}")`,
			'WhatsApp numbers have no extension: remove it',
		);
	}
	const letters = text.match(/\p{L}+/gu);
	if (letters) {
		throw invalid(`it contains letters ("${letters.join('", "')}")`, ADD_COUNTRY_CODE);
	}

	const plus = text.startsWith('+');
	text = text.replace(/^\+/, '').replace(SEPARATORS, '');
	const junk = text.match(/\D/g);
	if (junk) {
		throw invalid(
			`it contains ${[...new Set(junk)].map((c) => `"${c}"`).join(', ')}, which is not part of a phone number`,
			'Use only digits, spaces, dashes, dots, brackets and a + at the start',
		);
	}
	if (text === '') throw invalid('it has no digits');
	return { plus, digits: text };
}

// '+44 (0)20 …', '+44 020 …', '+36 (06) 30 …': a trunk prefix typed after the country code out of
// habit. It goes when the number cannot exist with it and can without it; Italy has no trunk prefix
// and keeps its 0 ('+39 06 …'). A 0 that makes the number impossible either way goes too, so the
// message counts the digits people mean.
function dropTrunkPrefixAfterCountryCode(national: string, country: CallingCode): string {
	const { trunkPrefix } = country;
	if (trunkPrefix === '' || !national.startsWith(trunkPrefix) || isPossible(national, country)) return national;
	const without = national.slice(trunkPrefix.length);
	return isPossible(without, country) || trunkPrefix.startsWith('0') ? without : national;
}
