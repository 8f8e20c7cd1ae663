/**
 * Three projects: fast unit tests, the end-to-end suite that drives a real n8n, and the browser
 * test that drives the n8n editor in Chromium.
 */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];

const common = {
	testEnvironment: 'node',
	// Only these folders are crawled: .cache/ holds n8n installs of about 1.8 GB each.
	roots: ['<rootDir>/test', '<rootDir>/nodes', '<rootDir>/credentials'],
	transform: { '^.+\\.ts$': tsJest },
};

module.exports = {
	projects: [
		{
			...common,
			displayName: 'unit',
			testMatch: ['<rootDir>/test/**/*.test.ts'],
			testPathIgnorePatterns: ['<rootDir>/test/e2e/', '<rootDir>/test/browser/'],
			setupFiles: ['<rootDir>/test/support/n8n-environment.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/support/reset-shared-logins.ts'],
		},
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
		},
		{
			...common,
			displayName: 'browser',
			testMatch: ['<rootDir>/test/browser/**/*.browser.test.ts'],
		},
	],
};
