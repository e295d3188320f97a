/**
 * Phone numbers as people type them → E.164, and the form each provider wants.
 *
 * ITU-T E.164 country calling codes are a prefix-free set (no code is the start of another), so
 * an international number splits into country code + national number with this table alone.
 */

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

interface CallingCode {
	code: string;
	/** Dropped from a number typed in national form; '' when there is none (or it is not well known). */
	trunkPrefix: string;
	/** Usual length of the national number, where well known; tells '447946095812' from '9198765432'. */
	nationalLength?: { min: number; max: number };
}

// Columns: calling code, ISO 3166-1 alpha-2 countries dialled with it, national trunk prefix,
// usual national number length ('9' or '8-10').
const CALLING_CODE_TABLE: ReadonlyArray<readonly [string, string, string?, string?]> = [
	// Zone 1: North American Numbering Plan
	['1', 'US CA AG AI AS BB BM BS DM DO GD GU JM KN KY LC MP MS PR SX TC TT VC VG VI', '1', '10'],
	// Zone 2: mostly Africa
	['20', 'EG', '0', '8-10'],
	['211', 'SS', '0'],
	['212', 'MA EH', '0', '9'],
	['213', 'DZ', '0', '8-9'],
	['216', 'TN', '', '8'],
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
	['231', 'LR'],
	['232', 'SL'],
	['233', 'GH', '0', '9'],
	['234', 'NG', '0', '8-10'],
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
	['250', 'RW', '0', '9'],
	['251', 'ET', '0', '9'],
	['252', 'SO'],
	['253', 'DJ'],
	['254', 'KE', '0', '9'],
	['255', 'TZ', '0', '9'],
	['256', 'UG', '0', '9'],
	['257', 'BI'],
	['258', 'MZ'],
	['260', 'ZM', '0', '9'],
	['261', 'MG', '0'],
	['262', 'RE YT'],
	['263', 'ZW', '0'],
	['264', 'NA', '0'],
	['265', 'MW', '0'],
	['266', 'LS'],
	['267', 'BW'],
	['268', 'SZ'],
	['269', 'KM'],
	['27', 'ZA', '0', '9'],
	['290', 'SH TA'],
	['291', 'ER'],
	['297', 'AW'],
	['298', 'FO'],
	['299', 'GL'],
	// Zones 3 and 4: Europe
	['30', 'GR', '', '10'],
	['31', 'NL', '0', '9'],
	['32', 'BE', '0', '8-9'],
	['33', 'FR', '0', '9'],
	['34', 'ES', '', '9'],
	['350', 'GI'],
	['351', 'PT', '', '9'],
	['352', 'LU'],
	['353', 'IE', '0', '7-9'],
	['354', 'IS'],
	['355', 'AL', '0'],
	['356', 'MT'],
	['357', 'CY'],
	['358', 'FI AX', '0'],
	['359', 'BG', '0'],
	['36', 'HU', '06', '8-9'],
	['370', 'LT'],
	['371', 'LV'],
	['372', 'EE'],
	['373', 'MD', '0', '8'],
	['374', 'AM', '0', '8'],
	['375', 'BY', '', '9'],
	['376', 'AD'],
	['377', 'MC'],
	['378', 'SM'],
	['379', ''], // reserved for Vatican City, which is dialled with 39
	['380', 'UA', '0', '9'],
	['381', 'RS', '0'],
	['382', 'ME', '0'],
	['383', 'XK', '0'],
	['385', 'HR', '0', '8-9'],
	['386', 'SI', '0'],
	['387', 'BA', '0'],
	['389', 'MK', '0'],
	['39', 'IT VA', '', '6-11'], // Italian numbers keep their leading 0
	['40', 'RO', '0', '9'],
	['41', 'CH', '0', '9'],
	['420', 'CZ', '', '9'],
	['421', 'SK', '0', '9'],
	['423', 'LI'],
	['43', 'AT', '0', '4-13'],
	['44', 'GB GG IM JE', '0', '7-10'],
	['45', 'DK', '', '8'],
	['46', 'SE', '0', '6-9'],
	['47', 'NO SJ', '', '8'],
	['48', 'PL', '', '9'],
	['49', 'DE', '0', '5-13'],
	// Zone 5: Central and South America
	['500', 'FK GS'],
	['501', 'BZ'],
	['502', 'GT', '', '8'],
	['503', 'SV', '', '8'],
	['504', 'HN', '', '8'],
	['505', 'NI', '', '8'],
	['506', 'CR', '', '8'],
	['507', 'PA', '', '7-8'],
	['508', 'PM'],
	['509', 'HT'],
	['51', 'PE', '0', '8-9'],
	['52', 'MX', '', '10-11'],
	['53', 'CU', '0'],
	['54', 'AR', '0', '10-11'],
	['55', 'BR', '0', '10-11'],
	['56', 'CL', '', '9'],
	['57', 'CO', '', '10'],
	['58', 'VE', '0', '10'],
	['590', 'GP BL MF'],
	['591', 'BO', '0', '8'],
	['592', 'GY'],
	['593', 'EC', '0', '8-9'],
	['594', 'GF'],
	['595', 'PY', '0'],
	['596', 'MQ'],
	['597', 'SR'],
	['598', 'UY', '0', '8'],
	['599', 'CW BQ'],
	// Zone 6: Southeast Asia and Oceania
	['60', 'MY', '0', '8-10'],
	['61', 'AU CX CC', '0', '9'],
	['62', 'ID', '0', '7-12'],
	['63', 'PH', '0', '8-10'],
	['64', 'NZ PN', '0', '8-10'],
	['65', 'SG', '', '8'],
	['66', 'TH', '0', '8-9'],
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
	['686', 'KI'],
	['687', 'NC'],
	['688', 'TV'],
	['689', 'PF'],
	['690', 'TK'],
	['691', 'FM'],
	['692', 'MH'],
	// Zone 7: Russia and Kazakhstan
	['7', 'RU KZ', '8', '10'],
	// Zone 8: East Asia and international services
	['800', ''], // international freephone
	['808', ''], // international shared cost
	['81', 'JP', '0', '9-10'],
	['82', 'KR', '0', '8-10'],
	['84', 'VN', '0', '9-10'],
	['850', 'KP'],
	['852', 'HK', '', '8'],
	['853', 'MO', '', '8'],
	['855', 'KH', '0', '8-9'],
	['856', 'LA', '0'],
	['86', 'CN', '0', '9-11'],
	['870', ''], // Inmarsat
	['878', ''], // universal personal telecommunications
	['880', 'BD', '0', '8-10'],
	['881', ''], // global mobile satellite systems
	['882', ''], // international networks
	['883', ''], // international networks
	['886', 'TW', '0', '8-9'],
	['888', ''], // disaster relief (OCHA)
	// Zone 9: West, Central and South Asia
	['90', 'TR', '0', '10'],
	['91', 'IN', '0', '10'],
	['92', 'PK', '0', '9-10'],
	['93', 'AF', '0', '9'],
	['94', 'LK', '0', '9'],
	['95', 'MM', '0', '7-10'],
	['960', 'MV', '', '7'],
	['961', 'LB', '0', '7-8'],
	['962', 'JO', '0', '8-9'],
	['963', 'SY', '0', '8-9'],
	['964', 'IQ', '0', '8-10'],
	['965', 'KW', '', '8'],
	['966', 'SA', '0', '8-9'],
	['967', 'YE', '0'],
	['968', 'OM', '', '8'],
	['970', 'PS', '0', '8-9'],
	['971', 'AE', '0', '8-9'],
	['972', 'IL', '0', '8-9'],
	['973', 'BH', '', '8'],
	['974', 'QA', '', '8'],
	['975', 'BT'],
	['976', 'MN'],
	['977', 'NP', '0', '8-10'],
	['979', ''], // international premium rate
	['98', 'IR', '0', '10'],
	['992', 'TJ', '', '9'],
	['993', 'TM', '8', '8'],
	['994', 'AZ', '0', '9'],
	['995', 'GE', '0', '9'],
	['996', 'KG', '0', '9'],
	['998', 'UZ', '', '9'],
];

const callingCodes = new Map<string, CallingCode>();
const callingCodeByCountry = new Map<string, string>([['UK', '44']]);
for (const [code, countries, trunkPrefix = '', length] of CALLING_CODE_TABLE) {
	const [min, max = min] = length ? length.split('-').map(Number) : [];
	callingCodes.set(code, { code, trunkPrefix, nationalLength: length ? { min, max } : undefined });
	for (const country of countries.split(' ').filter(Boolean)) callingCodeByCountry.set(country, code);
}

/** Every assigned country calling code, e.g. ['1', '20', '211', …]. */
export const COUNTRY_CALLING_CODES: readonly string[] = [...callingCodes.keys()];

/** Calling code of an ISO 3166 alpha-2 country ('GB' → '44'), or undefined. */
export function callingCodeOfCountry(country: string): string | undefined {
	return callingCodeByCountry.get(country.trim().toUpperCase());
}

const EXAMPLE = 'e.g. +44 20 7946 0958';
const ADD_COUNTRY_CODE = `Type the number with its country code, ${EXAMPLE}`;

export function parsePhoneNumber(input: string, options: ParsePhoneNumberOptions = {}): PhoneNumber {
	const typed = String(input ?? '').trim();
	const invalid = (reason: string, fix = ADD_COUNTRY_CODE) =>
		new PhoneNumberError(`"${typed}" is not a valid phone number: ${reason}. ${fix}`, typed);

	if (typed === '') {
		throw new PhoneNumberError(`The phone number is empty. ${ADD_COUNTRY_CODE}`, typed);
	}
	const defaultCountry = findDefaultCountry(options.defaultCountry);

	const international =
		digitsOfChatId(typed, invalid) ?? toInternationalDigits(typed, defaultCountry, invalid);

	const country = [1, 2, 3]
		.map((length) => callingCodes.get(international.slice(0, length)))
		.find(Boolean);
	if (!country) {
		if (international.length < 3) throw invalid(`it has only ${describeDigitCount(international.length)}`);
		throw invalid(`${international.slice(0, 3)} is not a country calling code`);
	}
	const countryCode = country.code;
	const nationalNumber = dropTrunkPrefixAfterCountryCode(international.slice(countryCode.length), country);
	const digitCount = countryCode.length + nationalNumber.length;
	if (digitCount > 15) {
		throw invalid(
			`it has ${digitCount} digits, but an international number has at most 15`,
			'Check for extra or repeated digits',
		);
	}
	// Country codes have at most 3 digits, so this also keeps the national number at 5 digits or more.
	if (digitCount < 8) {
		throw invalid(
			`it has only ${describeDigitCount(digitCount)} (country code ${countryCode}, national number ${nationalNumber || 'missing'}), but a complete number has at least 8`,
			`Type the whole number with its country code, ${EXAMPLE}`,
		);
	}
	return { e164: `+${countryCode}${nationalNumber}`, countryCode, nationalNumber };
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

function describeDigitCount(count: number): string {
	return count === 1 ? '1 digit' : `${count} digits`;
}

type Invalid = (reason: string, fix?: string) => PhoneNumberError;

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

function toInternationalDigits(
	typed: string,
	defaultCountry: CallingCode | undefined,
	invalid: Invalid,
): string {
	const { plus, digits } = readDigits(typed, invalid);
	if (plus) return digits;
	if (digits.startsWith('00')) return digits.slice(2);
	const dialsFromNanp = !defaultCountry || defaultCountry.code === '1';
	if (dialsFromNanp && digits.startsWith('011')) return digits.slice(3);
	if (defaultCountry) return fromNationalForm(digits, defaultCountry);
	if (digits.startsWith('0')) {
		throw invalid(
			'it is in national form (it starts with 0) and no default country is set',
			`Type it with its country code (${EXAMPLE}) or set the default country`,
		);
	}
	return digits;
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

function fromNationalForm(digits: string, country: CallingCode): string {
	const { trunkPrefix } = country;
	const national =
		trunkPrefix && digits.startsWith(trunkPrefix) ? digits.slice(trunkPrefix.length) : digits;
	return includesCountryCode(digits, national, country) ? digits : country.code + national;
}

// Without a +, '447946095812' (GB number with its code) and '9198765432' (Indian national number
// that happens to begin with 91) look alike; the usual national number length tells them apart.
function includesCountryCode(digits: string, national: string, country: CallingCode): boolean {
	const length = country.nationalLength;
	const afterCode = digits.length - country.code.length;
	if (!length) return digits.startsWith(country.code) && afterCode >= 7;
	// Too long to be a national number, so a country code leads (this one or another).
	if (national.length > length.max) return true;
	if (!digits.startsWith(country.code)) return false;
	// Where there is a trunk prefix, national numbers are typed with it: without it, the code is
	// more likely meant (Germany's '4930123456').
	return country.trunkPrefix !== '' && afterCode >= length.min && afterCode <= length.max;
}

// '+44 (0)20 …' and '+44 020 …': a trunk prefix typed after the country code out of habit. Where
// the trunk prefix starts with 0 national numbers never do, so the 0 can only be that prefix.
// Italy has no trunk prefix and keeps its 0: '+39 06 …'.
function dropTrunkPrefixAfterCountryCode(national: string, country: CallingCode): string {
	const { trunkPrefix } = country;
	return trunkPrefix.startsWith('0') && national.startsWith(trunkPrefix)
		? national.slice(trunkPrefix.length)
		: national;
}
