// ESLint flat config.
//
// The published code (nodes/, credentials/, package.json) gets the rule set of
// @n8n/scan-community-package 0.32.0, i.e. the scanner's `buildScanConfig()`
// reproduced below object for object:
//   - @n8n/eslint-plugin-community-nodes `recommended`, plus `no-console: error`
//   - eslint-plugin-n8n-nodes-base `community` rules on package.json,
//     `credentials` rules on **/credentials/**/*.ts, `nodes` rules on **/nodes/**/*.ts,
//     with the same rules switched off as the scanner switches off
//   - @typescript-eslint/parser for *.ts and *.json
// Inline configuration is ignored (the scanner constructs ESLint with
// `allowInlineConfig: false`), so an `eslint-disable` comment hides nothing.
//
// Two deliberate differences from the scanner, both stricter:
//   - the scanner's `warn` rules (themed icons, dead files, node registration,
//     files array, homepage, ...) are errors here: DESIGN.md makes them musts;
//   - the community-nodes plugin is the project's devDependency (0.32.0), a
//     superset of the 0.29.0 the scanner pins (one more rule,
//     no-unsafe-connection-type-cast, and descriptions found in more shapes).
//
// scripts/lint-tarball.mjs imports `scanRuleSet` from here when the scanner
// package itself is not installed.
//
// Test, sandbox, bench and scripts code is NOT held to the community rule set
// (it is never published); it gets a small set of ordinary correctness rules
// below when linted (`npx eslint test sandbox bench scripts`).

import { defineConfig, globalIgnores } from 'eslint/config';
import tsParser from '@typescript-eslint/parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

// eslint-plugin-n8n-nodes-base switches to its own test mode when NODE_ENV is
// "test" (every file then counts as a node and a credential file), which
// changes what its rules report. The scanner never runs that way, so neither
// does this config. It must run before the plugin loads, hence the dynamic import.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
const { default: n8nNodesBasePlugin } = await import('eslint-plugin-n8n-nodes-base');

/**
 * The scanner's config, as built by `buildScanConfig()` in
 * @n8n/scan-community-package 0.32.0 (scanner/scanner.mjs). Plugins and parser
 * can be swapped so a caller can use other installed copies.
 */
export function scanRuleSet({
	communityNodes = n8nCommunityNodesPlugin,
	nodesBase = n8nNodesBasePlugin,
	parser = tsParser,
} = {}) {
	const tsParserModule = parser.default ?? parser;
	return [
		communityNodes.configs.recommended,
		{
			rules: { 'no-console': 'error' },
		},
		{ plugins: { 'n8n-nodes-base': nodesBase } },
		{
			files: ['package.json'],
			rules: { ...nodesBase.configs.community.rules },
		},
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...nodesBase.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...nodesBase.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{
			files: ['**/*.json'],
			languageOptions: { parser: tsParserModule },
		},
		{
			files: ['**/*.ts'],
			languageOptions: { parser: tsParserModule },
		},
	];
}

/** Every rule the scanner only warns about, raised to an error (see the header). */
function warningsAsErrors(communityNodes = n8nCommunityNodesPlugin) {
	return Object.fromEntries(
		Object.entries(communityNodes.configs.recommended.rules)
			.filter(([, level]) => level === 'warn' || level === 1)
			.map(([rule]) => [rule, 'error']),
	);
}

/** The published sources, as the scanner's source leg selects them
 * ('package.json', '{nodes,credentials}/**' + '/*.{js,ts,json}'), relative to the repo root. */
const PUBLISHED_SOURCES = [
	'package.json',
	'nodes/**/*.js',
	'nodes/**/*.ts',
	'nodes/**/*.json',
	'credentials/**/*.js',
	'credentials/**/*.ts',
	'credentials/**/*.json',
];

/** Code that is never published: ordinary Node TypeScript/JavaScript. */
const DEV_CODE = [
	'test/**/*.{ts,js,mjs,cjs}',
	'sandbox/**/*.{ts,js,mjs,cjs}',
	'bench/**/*.{ts,js,mjs,cjs}',
	'scripts/**/*.{ts,js,mjs,cjs}',
	'*.{js,mjs,cjs}',
];

export default defineConfig(
	globalIgnores([
		'dist/**',
		'build/**',
		'coverage/**',
		'runtime/**',
		'.state/**',
		'**/node_modules/**',
	]),
	{
		name: 'scan-community-package rule set (published sources)',
		files: PUBLISHED_SOURCES,
		extends: [scanRuleSet()],
	},
	{
		name: 'scanner warnings are errors here',
		files: PUBLISHED_SOURCES,
		rules: warningsAsErrors(),
	},
	{
		name: 'no inline config in published sources',
		files: PUBLISHED_SOURCES,
		linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
	},
	{
		name: 'ordinary lint for test, sandbox, bench, scripts',
		files: DEV_CODE,
		ignores: PUBLISHED_SOURCES,
		languageOptions: {
			parser: tsParser,
			ecmaVersion: 'latest',
			sourceType: 'module',
		},
		rules: {
			'no-debugger': 'error',
			'no-dupe-else-if': 'error',
			'no-duplicate-case': 'error',
			'no-empty-pattern': 'error',
			'no-self-assign': 'error',
			'no-self-compare': 'error',
			'no-unsafe-finally': 'error',
			'no-unsafe-optional-chaining': 'error',
			'no-unused-labels': 'error',
			'no-cond-assign': 'error',
			'no-compare-neg-zero': 'error',
			'no-loss-of-precision': 'error',
			'no-sparse-arrays': 'error',
			'use-isnan': 'error',
			'valid-typeof': 'error',
		},
	},
);
