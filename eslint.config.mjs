import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import jsoncParser from 'jsonc-eslint-parser';

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
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', 'test-output/**'] },
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins,
		rules: n8nNodesBase.configs.community.rules,
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
