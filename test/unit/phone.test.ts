import {
	COUNTRY_CALLING_CODES,
	PhoneNumberError,
	callingCodeOfCountry,
	parsePhoneNumber,
	toChatId,
	toCountryAndNational,
	toDigits,
	toE164,
} from '../../nodes/shared/phone';

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
		['+44 20', undefined, /has only 4 digits \(country code 44, national number 20\), but a complete number has at least 8/],
		['+1', undefined, /has only 1 digit \(country code 1, national number missing\)/],
		['+1 234', undefined, /has only 4 digits/],
		['+880 1234', undefined, /has only 7 digits/],
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
