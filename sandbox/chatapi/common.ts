/** What Chat API's routes share: request rules; every problem is one sentence, joined in `{ error }`. */
import { z } from 'zod';

import { routeFor, type Problem, type RawInput } from '../framework';
import { chatIdOfPhone, chatIdProblem, phoneProblem, type ChatApiState } from './state';

export const route = routeFor<ChatApiState>();

/** The instance's paths: `/<instanceId>` + path. */
export type ApiPath = (path: string) => string;

export function chatApiProblems(issue: z.ZodIssue): Problem[] {
	const field = issue.path.join('.') || undefined;
	if (issue.code === 'unrecognized_keys') {
		return issue.keys.map((key) => ({ field: key, message: `Unknown parameter ${key}.` }));
	}
	if (issue.code === 'invalid_type') {
		if (!field) return [{ message: 'The request body must be a JSON object.' }];
		if (issue.received === 'undefined') return [{ field, message: `${field} is required.` }];
		const article = /^[aeiou]/.test(issue.expected) ? 'an' : 'a';
		return [{ field, message: `${field} must be ${article} ${issue.expected}.` }];
	}
	return [{ field, message: issue.message }];
}

export const checked = (check: (value: string) => string | undefined) =>
	z.string().superRefine((value, context) => {
		const problem = check(value);
		if (problem) context.addIssue({ code: 'custom', message: problem });
	});

export const nonEmpty = (name: string) => z.string().min(1, `${name} must not be empty.`);
export const phone = checked((value) => phoneProblem(value, 'phone'));
export const chatId = checked((value) => chatIdProblem(value));
export const tokenOnly = z.object({ token: z.unknown().optional() }).strict();

export const given = (value: unknown) => value !== undefined;
export const fieldsOf = (input: RawInput) =>
	(input.body !== null && typeof input.body === 'object' && !Array.isArray(input.body) ? input.body : {}) as Record<string, unknown>;

export function recipientProblems(input: RawInput): Problem[] {
	const fields = fieldsOf(input);
	if (given(fields.phone) && given(fields.chatId)) return [{ message: 'Give only one of phone or chatId.' }];
	if (!given(fields.phone) && !given(fields.chatId)) return [{ message: 'phone or chatId is required.' }];
	return [];
}

export const recipientOf = (body: { phone?: string; chatId?: string }) => body.chatId ?? chatIdOfPhone(body.phone!);

/** 1/0, true/false, "1"/"0", "true"/"false" → boolean. */
export function ackSetting(value: unknown): boolean | undefined {
	if (value === 1 || value === true || value === '1' || value === 'true') return true;
	if (value === 0 || value === false || value === '0' || value === 'false') return false;
	return undefined;
}

export const ACK_SETTING_PROBLEM = 'ackNotificationsOn must be 1 (true) or 0 (false).';

