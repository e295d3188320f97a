// Types of phone-plans.cjs for the TypeScript tests (test/unit/phone-oracle.test.ts).

/** A parsed national number pattern: alternatives of items. */
export type ParsedPattern = unknown[];

/** Parses a libphonenumber national number pattern (digits, classes, \d, (?:…), |, ?, {n}, {n,m}). */
export declare function parsePattern(pattern: string): ParsedPattern;

/** A random digit string the pattern matches; `random()` returns [0, 1) like Math.random. */
export declare function samplePattern(pattern: ParsedPattern, random: () => number): string;

/** { calling code: [where, plan] } as phone-plans.ts holds them, made from the installed metadata. */
export declare function buildPlans(): Record<string, [where: string, plan: string]>;

/** The North American area codes in use, as phone-plans.ts holds them. */
export declare function northAmericanAreaCodes(): string;

/** Plans that are not the metadata's, by calling code. */
export declare const OVERRIDES: Record<string, string>;
