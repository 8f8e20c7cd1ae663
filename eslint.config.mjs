import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

import { n8nCommunityNodesPlugin } from './lint/community-nodes/index.mjs';

const plugins = { 'n8n-nodes-base': n8nNodesBase };

/** Rules for code that runs inside n8n: no console, no timers (use sleep from n8n-workflow). */
const shippedCodeRules = {
	'no-console': 'error',
	'no-restricted-globals': [
		'error',
		{ name: 'setTimeout', message: 'Use sleep() from n8n-workflow.' },
		{ name: 'setInterval', message: 'Nodes must not keep timers running.' },
	],
};

export default [
	{
		ignores: ['dist/**', 'node_modules/**', 'lint/*/node_modules/**', '.cache/**', 'coverage/**', 'test-output/**'],
	},
	{
		// n8n's current rules for community packages, installed by scripts/install-community-lint.js.
		...n8nCommunityNodesPlugin.configs.recommended,
		files: ['package.json', 'credentials/**/*.ts', 'nodes/**/*.ts'],
	},
	{
		// The package.json rules of both plugins walk the TypeScript parser's tree of the JSON file, as
		// in n8n's own node-cli config. jsonc-eslint-parser builds other node types, so they check nothing.
		files: ['package.json'],
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins,
		rules: {
			...n8nNodesBase.configs.community.rules,
			// TODO: the package has no public maintainer address yet. Add `author.email` to
			// package.json before publishing, then delete this line.
			'@n8n/community-nodes/valid-author': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser },
		plugins,
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			...shippedCodeRules,
			// The rule expects a slug of n8n's own docs; a community credential links a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser },
		plugins,
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			...shippedCodeRules,
			// NodeConnectionTypes.Main is 'main'; n8n's current nodes use the constant.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['test/**/*.ts', 'scripts/**/*.ts'],
		languageOptions: { parser: tsParser },
	},
];
