import {
	COUNTRY_CALLING_CODES,
	PhoneNumberError,
	callingCodeOfCountry,
	isPossibleNationalNumber,
	parsePhoneNumber,
	toChatId,
	toCountryAndNational,
	toDigits,
	toE164,
} from '../../nodes/shared/phone';
import { NUMBERING_PLANS } from '../../nodes/shared/phone-plans';

type Typed = string | [input: string, defaultCountry: string];

// Each number as people type it, with the E.164 form and the national number it must parse to.
const numbers: Array<{ e164: string; national: string; typed: Typed[] }> = [
	{
		// US
		e164: '+17472822486',
		national: '7472822486',
		typed: [
			'+1 (747) 282-2486',
			'+1 747–282–2486', // en dashes
			'tel:+1-747-282-2486',
			'17472822486',
			'001 747 282 2486',
			'17472822486@c.us',
			['(747) 282-2486', 'US'],
			['747.282.2486', 'us'],
			['1 747 282 2486', 'US'],
			['+1 747 282 2486', 'GB'], // the + wins over the default country
		],
	},
	{
		// CA
		e164: '+14165550123',
		national: '4165550123',
		typed: ['+1 416 555 0123', ['416-555-0123', 'CA'], ['1-416-555-0123', 'CA']],
	},
	{
		// GB landline
		e164: '+442079460958',
		national: '2079460958',
		typed: [
			'+44 20 7946 0958',
			'+44 (0)20 7946 0958',
			'+44 (0) 20 7946 0958',
			'+44 020 7946 0958',
			'0044 20 7946 0958',
			'011 44 20 7946 0958',
			'442079460958',
			'442079460958@s.whatsapp.net',
			'+44\u00a020\u00a07946\u00a00958', // non-breaking spaces
			'＋４４ ２０ ７９４６ ０９５８', // full-width
			['020 7946 0958', 'GB'],
			['(020) 7946 0958', 'UK'],
			['020 7946 0958', '44'],
			['020 7946 0958', '+44'],
			['011 44 20 7946 0958', 'US'],
		],
	},
	{
		// GB mobile
		e164: '+447946095812',
		national: '7946095812',
		typed: [
			'447946095812',
			'+44 7946 095812',
			'447946095812:12@s.whatsapp.net',
			['07946 095812', 'GB'],
			['7946 095812', 'GB'],
			['447946095812', 'GB'],
			['447946095812', 'US'], // too long for a US number: its country code leads
		],
	},
	{
		// DE landline
		e164: '+49301234567',
		national: '301234567',
		typed: ['00 49 30 1234567', '+49 (0)30 1234567', '+49-30-1234567', ['030 1234567', 'DE'], ['4930 1234567', 'DE']],
	},
	{
		// DE mobile
		e164: '+4915123456789',
		national: '15123456789',
		typed: ['+49 151 23456789', '004915123456789', ['0151/23456789', 'DE'], ['0151 2345 6789', 'de']],
	},
	{
		// FR
		e164: '+33612345678',
		national: '612345678',
		typed: ['+33 6 12 34 56 78', '+33 (0)6 12 34 56 78', '0033612345678', ['06 12 34 56 78', 'FR'], ['06.12.34.56.78', 'FR'], ['33612345678', 'FR']],
	},
	{
		// IN
		e164: '+919876543210',
		national: '9876543210',
		typed: [
			'+91-98765-43210',
			'+91 98765 43210',
			'919876543210',
			'+९१ ९८७६५ ४३२१०', // Devanagari digits
			['098765 43210', 'IN'],
			['98765 43210', 'IN'],
			['919876543210', 'IN'],
		],
	},
	{
		// IN mobile that begins with 91: '9123456789' typed with default IN is national
		e164: '+919123456789',
		national: '9123456789',
		typed: ['+91 91234 56789', '919123456789', ['91234 56789', 'IN'], ['919123456789', 'IN']],
	},
	{
		// BD
		e164: '+8801988123456',
		national: '1988123456',
		typed: [
			'+880 1988-123456',
			'8801988123456',
			'8801988123456@c.us',
			'008801988123456',
			'+৮৮০ ১৯৮৮-১২৩৪৫৬', // Bengali digits
			['01988-123456', 'BD'],
			['01988123456', 'BD'],
			['8801988123456', 'BD'],
			['8801988123456', 'RU'], // too long for a Russian number, though it starts with the 8 trunk prefix
		],
	},
	{
		// BR mobile
		e164: '+5511987654321',
		national: '11987654321',
		typed: ['+55 11 98765-4321', '+55 (11) 98765-4321', '5511987654321', ['(11) 98765-4321', 'BR'], ['(011) 98765-4321', 'BR'], ['5511987654321', 'BR']],
	},
	{
		// BR mobile in area 55, which looks like the country code
		e164: '+5555987654321',
		national: '55987654321',
		typed: ['+55 55 98765-4321', ['(55) 98765-4321', 'BR']],
	},
	{
		// NG
		e164: '+2348031234567',
		national: '8031234567',
		typed: ['+234 803 123 4567', '2348031234567', '+234 (0)803 123 4567', ['0803 123 4567', 'NG']],
	},
	{
		// ZA
		e164: '+27821234567',
		national: '821234567',
		typed: ['+27 82 123 4567', '0027 82 123 4567', ['082 123 4567', 'ZA'], ['27821234567', 'ZA']],
	},
	{
		// AE
		e164: '+971501234567',
		national: '501234567',
		typed: ['+971 50 123 4567', '00971501234567', '+٩٧١ ٥٠ ١٢٣ ٤٥٦٧', ['050 123 4567', 'AE']],
	},
	{
		// RU
		e164: '+79161234567',
		national: '9161234567',
		typed: ['+7 916 123-45-67', '+7 (916) 123-45-67', '79161234567', ['8 (916) 123-45-67', 'RU'], ['79161234567', 'RU'], ['916 123 45 67', 'RU']],
	},
	{
		// KZ
		e164: '+77011234567',
		national: '7011234567',
		typed: ['+7 701 123 4567', ['8 701 123 4567', 'KZ']],
	},
	{
		// CN mobile
		e164: '+8613800138000',
		national: '13800138000',
		typed: ['+86 138 0013 8000', '8613800138000', '008613800138000', ['138 0013 8000', 'CN']],
	},
	{
		// CN landline, Beijing
		e164: '+861012345678',
		national: '1012345678',
		typed: ['+86 10 1234 5678', ['010 1234 5678', 'CN']],
	},
	{
		// JP
		e164: '+819012345678',
		national: '9012345678',
		typed: ['+81 90-1234-5678', '+81 (0)90-1234-5678', ['090-1234-5678', 'JP']],
	},
	{
		// AU
		e164: '+61412345678',
		national: '412345678',
		typed: ['+61 412 345 678', '61412345678', ['0412 345 678', 'AU'], ['61 412 345 678', 'AU']],
	},
	{
		// AU landline
		e164: '+61298765432',
		national: '298765432',
		typed: ['+61 2 9876 5432', ['(02) 9876 5432', 'AU']],
	},
	{
		// MX
		e164: '+525512345678',
		national: '5512345678',
		typed: ['+52 55 1234 5678', '525512345678', ['55 1234 5678', 'MX'], ['525512345678', 'MX']],
	},
	{
		// IT landline: the leading 0 belongs to the number
		e164: '+390612345678',
		national: '0612345678',
		typed: ['+39 06 1234 5678', '+39 (0)6 1234 5678', '00390612345678', ['06 1234 5678', 'IT']],
	},
	{
		// IT mobile
		e164: '+393331234567',
		national: '3331234567',
		typed: ['+39 333 123 4567', '393331234567', ['333 123 4567', 'IT'], ['393331234567', 'IT']],
	},
	{
		// IT mobile that begins with 39, typed in national form
		e164: '+393931234567',
		national: '3931234567',
		typed: ['+39 393 123 4567', ['393 123 4567', 'IT'], ['393931234567', 'IT']],
	},
	{
		// ES
		e164: '+34612345678',
		national: '612345678',
		typed: ['+34 612 34 56 78', '0034 612345678', ['612 34 56 78', 'ES'], ['34612345678', 'ES']],
	},
	{
		// PK
		e164: '+923001234567',
		national: '3001234567',
		typed: ['+92 300 1234567', '923001234567', '+92-300-1234567', ['0300-1234567', 'PK']],
	},
	{
		// ID
		e164: '+6281234567890',
		national: '81234567890',
		typed: ['+62 812-3456-7890', '6281234567890', ['0812-3456-7890', 'ID']],
	},
	{
		// EG
		e164: '+201012345678',
		national: '1012345678',
		typed: ['+20 10 1234 5678', '201012345678', ['010 1234 5678', 'EG']],
	},
	{
		// KE
		e164: '+254712345678',
		national: '712345678',
		typed: ['+254 712 345678', '254712345678@c.us', ['0712 345678', 'KE']],
	},
	{
		// HU: trunk prefix 06
		e164: '+36301234567',
		national: '301234567',
		typed: ['+36 30 123 4567', '+36 (06) 30 123 4567', ['06 30 123 4567', 'HU']],
	},
	{
		// SG: no trunk prefix
		e164: '+6591234567',
		national: '91234567',
		typed: ['+65 9123 4567', '6591234567', ['9123 4567', 'SG']],
	},
	{
		// TR
		e164: '+905321234567',
		national: '5321234567',
		typed: ['+90 532 123 45 67', ['0532 123 45 67', 'TR']],
	},
	{
		// SA
		e164: '+966501234567',
		national: '501234567',
		typed: ['+966 50 123 4567', ['050 123 4567', 'SA']],
	},
	{
		// GH
		e164: '+233241234567',
		national: '241234567',
		typed: ['+233 24 123 4567', ['024 123 4567', 'GH']],
	},
	{
		// KR
		e164: '+821012345678',
		national: '1012345678',
		typed: ['+82 10-1234-5678', ['010-1234-5678', 'KR']],
	},
];

const validCases = numbers.flatMap(({ e164, national, typed }) =>
	typed.map((form) => {
		const [input, defaultCountry] = typeof form === 'string' ? [form, undefined] : form;
		return { input, defaultCountry, e164, national };
	}),
);

describe('parsePhoneNumber', () => {
	it.each(validCases)(
		'$input (default country $defaultCountry) → $e164',
		({ input, defaultCountry, e164, national }) => {
			const phone = parsePhoneNumber(input, { defaultCountry });
			const countryCode = e164.slice(1, e164.length - national.length);

			expect(phone).toEqual({ e164, countryCode, nationalNumber: national });
			expect(toE164(phone)).toBe(e164);
			expect(toDigits(phone)).toBe(e164.slice(1));
			expect(toChatId(phone)).toBe(`${e164.slice(1)}@c.us`);
			expect(toCountryAndNational(phone)).toEqual({ mobileCode: countryCode, mobile: national });
		},
	);

	it('treats an empty default country as none', () => {
		expect(parsePhoneNumber('+44 20 7946 0958', { defaultCountry: '' }).e164).toBe('+442079460958');
		expect(() => parsePhoneNumber('020 7946 0958', { defaultCountry: ' ' })).toThrow(/no default country/);
	});
});

describe('invalid phone numbers', () => {
	it.each<[input: string, defaultCountry: string | undefined, problem: RegExp]>([
		['', undefined, /^The phone number is empty\. Type the number with its country code/],
		['   ', undefined, /is empty/],
		['+999 1234', undefined, /^"\+999 1234" is not a valid phone number: 999 is not a country calling code\. Type the number with its country code, e\.g\. \+44 20 7946 0958$/],
		['+28 123 456 789', undefined, /281 is not a country calling code/],
		['0 800 1234 5678', 'XX', /default country "XX" is not known/],
		['0 800 1234 5678', '999', /default country "999" is not known/],
		['call me', undefined, /contains letters \("call", "me"\)/],
		['+1 800 FLOWERS', undefined, /contains letters \("FLOWERS"\)/],
		['+44 20 7946 0958 ext. 12', undefined, /has an extension \("ext\. 12"\)\. WhatsApp numbers have no extension/],
		['+1 747 282 2486 x12', undefined, /has an extension \("x12"\)/],
		['tel:+1-747-282-2486;ext=12', undefined, /has an extension \(";ext=12"\)/],
		['+44 20 7946 0958 #3', undefined, /has an extension/],
		['+44*20 7946 0958', undefined, /contains "\*", which is not part of a phone number/],
		['44+2079460958', undefined, /contains "\+"/],
		['+44_20_7946_0958', undefined, /contains "_"/],
		['()', undefined, /has no digits/],
		['+', undefined, /has no digits/],
		['+44 20', undefined, /it has 2 digits after \+44 \(UK\), where numbers that start with 2 have 10\. Check the number for a missing or extra digit$/],
		['+1', undefined, /it has only the country code \+1\. Type the whole number with its country code/],
		['+1 234', undefined, /it has 3 digits after \+1 \(US, Canada and the Caribbean\), where numbers have 10\./],
		['+880 1234', undefined, /it has 4 digits after \+880 \(Bangladesh\), where numbers that start with 1 have 10\./],
		['+9', undefined, /has only 1 digit\. /],
		['+44 20 7946 0958 1234 5678', undefined, /has 20 digits, but an international number has at most 15/],
		['8801988123456789', undefined, /has 16 digits/],
		['020 7946 0958', undefined, /is in national form \(it starts with 0\) and no default country is set\. Type it with its country code/],
		['07946095812', undefined, /national form/],
		['120363025246125888@g.us', undefined, /WhatsApp chat id that holds no phone number/],
		['12345678@lid', undefined, /chat id that holds no phone number/],
		['someone@example.com', undefined, /chat id that holds no phone number/],
	])('%p (default country %p) fails: %p', (input, defaultCountry, problem) => {
		let error: unknown;
		try {
			parsePhoneNumber(input, { defaultCountry });
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(PhoneNumberError);
		expect(error).toBeInstanceOf(Error);
		expect((error as PhoneNumberError).name).toBe('PhoneNumberError');
		expect((error as Error).message).toMatch(problem);
		if (input.trim() !== '' && defaultCountry === undefined) {
			expect((error as Error).message.startsWith(`"${input.trim()}" is not a valid phone number: `)).toBe(true);
		}
	});
});

/** The message of the PhoneNumberError that parsing `input` throws. */
function refusal(input: string, defaultCountry?: string): string {
	try {
		parsePhoneNumber(input, { defaultCountry });
	} catch (error) {
		expect(error).toBeInstanceOf(PhoneNumberError);
		return (error as Error).message;
	}
	throw new Error(`"${input}" was accepted`);
}

const NANP = '+1 (US, Canada and the Caribbean)';
const CHECK_DIGITS = 'Check the number for a missing or extra digit';

describe('numbers that cannot exist fail before any request', () => {
	it.each<[input: string, message: string]>([
		// Issue 8: a length that no number of that country has.
		['+1 988 123 456', `"+1 988 123 456" is not a valid phone number: it has 9 digits after ${NANP}, where numbers have 10. ${CHECK_DIGITS}`],
		['+1 (747) 282-24860', `"+1 (747) 282-24860" is not a valid phone number: it has 11 digits after ${NANP}, where numbers have 10. ${CHECK_DIGITS}`],
		['+91 98765 4321', `"+91 98765 4321" is not a valid phone number: it has 9 digits after +91 (India), where numbers that start with 9 have 10. ${CHECK_DIGITS}`],
		['+33 1 23 45 67', `"+33 1 23 45 67" is not a valid phone number: it has 7 digits after +33 (France), where numbers have 9. ${CHECK_DIGITS}`],
		['+880 1988 12', `"+880 1988 12" is not a valid phone number: it has 6 digits after +880 (Bangladesh), where numbers that start with 1 have 10. ${CHECK_DIGITS}`],
		// A Bangladeshi mobile without its country code is not taken for a North American number.
		[
			'1988123456',
			`"1988123456" is not a valid phone number: without a + it is read with its country code first, and it has 9 digits after ${NANP}, where numbers have 10. If it has no country code, type it with + and its country code, e.g. +44 20 7946 0958`,
		],
		// North American area codes and exchanges start with 2-9.
		['+1 055 123 4567', `"+1 055 123 4567" is not a valid phone number: after ${NANP} no number starts with 0 (area codes and exchanges, the 1st and 4th digits, start with 2 to 9). Check the number`],
		['+1 747 182 2486', `"+1 747 182 2486" is not a valid phone number: after ${NANP} no number starts with 7471 (area codes and exchanges, the 1st and 4th digits, start with 2 to 9). Check the number`],
		// Leading digits decide the length where a plan mixes lengths.
		['+44 7946 09581', `"+44 7946 09581" is not a valid phone number: it has 9 digits after +44 (UK), where numbers that start with 7 have 10. ${CHECK_DIGITS}`],
		['+7 916 123 45 6', `"+7 916 123 45 6" is not a valid phone number: it has 9 digits after +7 (Russia, Kazakhstan), where numbers that start with 9 have 10. ${CHECK_DIGITS}`],
	])('%s', (input, message) => {
		expect(refusal(input)).toBe(message);
	});

	it.each([
		'001 988 123 456',
		'011 1 988 123 456',
		'+1-988-123-456',
		'1988123456@c.us',
		'0091 98765 4321',
		'+91 (98765) 4321',
		'+33 (0)1 23 45 67',
		'00 33 1 23 45 67',
		'880198812',
		'+880-1988-12',
		'+1 747 282 24860',
	])('%s, the same numbers typed otherwise', (input) => {
		expect(refusal(input)).toMatch(/ is not a valid phone number: (it has \d+ digits after|without a \+ it is read)/);
	});

	it('counts the digits after a trunk prefix typed out of habit', () => {
		expect(refusal('+44 (0)20 7946 095')).toContain('it has 9 digits after +44 (UK), where numbers that start with 2 have 10');
	});

	it('says so for national numbers with a default country', () => {
		expect(refusal('0 1988 12', 'BD')).toBe(
			`"0 1988 12" is not a valid phone number: it has 6 digits as a national number of +880 (Bangladesh), where numbers that start with 1 have 10. ${CHECK_DIGITS}`,
		);
		expect(refusal('(747) 282-248', 'US')).toContain(`it has 9 digits as a national number of ${NANP}, where numbers have 10`);
	});
});

describe('digits without + or 00 are taken only when they read one way', () => {
	it.each([
		['17472822486', '+17472822486'],
		['447946095812', '+447946095812'],
		['8801988123456', '+8801988123456'],
		['4915123456789', '+4915123456789'], // a German mobile: also a Leer (0491) number, but Germans type that 0
		['6591234567', '+6591234567'],
		['4534412345', '+4534412345'],
		['12025550123', '+12025550123'],
	])('%s → %s (country code first, as WhatsApp writes numbers)', (input, e164) => {
		expect(parsePhoneNumber(input).e164).toBe(e164);
	});

	it('refuses a North American number without its 1 and says how to type it', () => {
		expect(refusal('7472822486')).toBe(
			'"7472822486" is not a valid phone number: without a + it is read with its country code first, and it has 9 digits after +7 (Russia, Kazakhstan), where numbers that start with 4 have 10. If it is a North American number, type it as +1 7472822486; otherwise type it with + and its country code',
		);
	});

	it('refuses digits that are a possible number with their country code first and a North American number without its 1', () => {
		expect(refusal('2015550123')).toBe(
			'"2015550123" is not a valid phone number: without a + it could be +20 15550123 (Egypt) or the North American number +1 2015550123 without its leading 1. Type it with + and its country code: +20 15550123 or +1 2015550123',
		);
		expect(refusal('6806201234')).toContain('it could be +680 6201234 (Palau) or the North American number +1 6806201234');
		// With the + there is one reading.
		expect(parsePhoneNumber('+680 620 1234').e164).toBe('+6806201234');
		expect(parsePhoneNumber('+1 201 555 0123').e164).toBe('+12015550123');
	});

	it('refuses national numbers typed without their country code', () => {
		expect(refusal('9876543210')).toMatch(/^"9876543210" is not a valid phone number: without a \+ it is read with its country code first, and it has 8 digits after \+98 \(Iran\)/);
		expect(refusal('7946095812')).toContain('it has 9 digits after +7 (Russia, Kazakhstan)');
		expect(refusal('3001234567')).toContain('without a + it is read with its country code first');
	});
});

describe('numbering plans', () => {
	it('cover exactly the calling codes of the table', () => {
		expect(Object.keys(NUMBERING_PLANS).sort()).toEqual([...COUNTRY_CALLING_CODES].sort());
	});

	it.each<[code: string, national: string, possible: boolean]>([
		['880', '1988123456', true],
		['880', '198812345', false],
		['880', '29876543', true], // Dhaka landline
		['91', '9876543210', true],
		['91', '987654321', false],
		['91', '18001234567', true], // toll free
		['1', '7472822486', true],
		['1', '0472822486', false],
		['1', '7471822486', false],
		['39', '0612345678', true], // Italian numbers keep their 0
		['44', '2079460958', true],
		['44', '02079460958', false],
		['999', '12345678', false],
	])('+%s %s possible: %s', (code, national, possible) => {
		expect(isPossibleNationalNumber(code, national)).toBe(possible);
	});
});

describe('country calling code table', () => {
	it('is prefix-free, so a number splits into code + national number without guessing', () => {
		for (const code of COUNTRY_CALLING_CODES) {
			const longer = COUNTRY_CALLING_CODES.filter((other) => other !== code && other.startsWith(code));
			expect(longer).toEqual([]);
		}
	});

	it('holds the assigned codes', () => {
		expect(COUNTRY_CALLING_CODES).toEqual(
			expect.arrayContaining(['1', '7', '20', '27', '30', '44', '49', '55', '86', '91', '211', '383', '880', '971', '998']),
		);
		expect(COUNTRY_CALLING_CODES).not.toEqual(expect.arrayContaining(['0']));
		for (const spare of ['28', '210', '259', '384', '422', '671', '684', '969', '999']) {
			expect(COUNTRY_CALLING_CODES).not.toContain(spare);
		}
		expect(COUNTRY_CALLING_CODES.every((code) => /^[1-9]\d{0,2}$/.test(code))).toBe(true);
		expect(COUNTRY_CALLING_CODES.length).toBeGreaterThan(200);
	});

	it.each([
		['US', '1'],
		['CA', '1'],
		['gb', '44'],
		['UK', '44'],
		['DE', '49'],
		['BD', '880'],
		['IN', '91'],
		['BR', '55'],
		['RU', '7'],
		['KZ', '7'],
		['VA', '39'],
		['AE', '971'],
	])('maps country %s to calling code %s', (country, code) => {
		expect(callingCodeOfCountry(country)).toBe(code);
	});

	it('knows no calling code for an unknown country', () => {
		expect(callingCodeOfCountry('XX')).toBeUndefined();
	});
});
