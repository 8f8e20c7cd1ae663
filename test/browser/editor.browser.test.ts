/**
 * Drives the packed n8n-nodes-quivo in a real n8n editor with headless Chromium: the nodes panel,
 * the Get Many parameters, the credential form and the credential test against the Quivo emulator.
 * The tests run in order on one page, as a user would click through.
 *
 * Runs on the n8n of N8N_E2E_VERSION (default: the first entry of test/e2e/n8n/versions.json).
 * Screenshots and the n8n log land in test-output/browser/n8n-<version>/ (git-ignored).
 * Needs Chromium from Debian's packages: `node scripts/install-services.js chromium`.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Locator, Page, Response } from 'playwright-core';

import { FAKE_CREDENTIALS, QuivoEmulator } from '../emulator/server';
import { N8nEditor, OWNER } from '../e2e/support/editor';
import { packPackage } from '../e2e/support/quivo';
import { launchChromium, type LocalBrowser } from './support/chromium';

jest.setTimeout(300_000);

const OUTPUT_ROOT = path.resolve(__dirname, '..', '..', 'test-output', 'browser');
/** n8n serves a community package's icons below this path (1.123.81 and 2.40.7). */
const ICON_PATH_PREFIX = '/icons/n8n-nodes-quivo/';
const CREDENTIAL_FIELDS = [
	{ name: 'environment', label: 'Environment' },
	{ name: 'baseUrl', label: 'Base URL' },
	{ name: 'apiKey', label: 'API Key' },
	{ name: 'username', label: 'Username' },
	{ name: 'password', label: 'Password' },
];

const emulator = new QuivoEmulator({ orderCount: 20 });
let editor: N8nEditor | undefined;
let browser: LocalBrowser | undefined;
let workDir: string | undefined;
let outputDir: string;
const iconResponses: Array<{ url: string; status: number }> = [];

function currentPage(): Page {
	if (!browser) throw new Error('Chromium did not start. See the error of beforeAll above.');
	return browser.page;
}

function runningEditor(): N8nEditor {
	if (!editor) throw new Error('n8n did not start. See the error of beforeAll above.');
	return editor;
}

function n8nMajorVersion(): number {
	return Number.parseInt(runningEditor().cli.version, 10);
}

function credentialModal(): Locator {
	return currentPage().getByTestId('editCredential-modal');
}

async function saveScreenshot(name: string): Promise<void> {
	// Finishes running transitions at once, so that a dropdown or spinner is not caught half faded.
	await currentPage().screenshot({ path: path.join(outputDir, `${name}.png`), animations: 'disabled' });
}

/** Resolves with the next response of `POST /rest/credentials/test`, which the credential dialog sends for each test. */
function nextCredentialTest(): Promise<Response> {
	return currentPage().waitForResponse(
		(response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/rest/credentials/test',
	);
}

/** Returns the result of a credential test response: `status` "OK" or "Error" and n8n's `message` (1.123.81 and 2.40.7). */
async function credentialTestResult(response: Response): Promise<{ status?: unknown; message?: unknown }> {
	const body = (await response.json()) as { data?: { status?: unknown; message?: unknown } };
	return body.data ?? {};
}

/** Opens a dropdown, returns the names of its options and closes it again. */
async function listOptions(dropdown: Locator): Promise<string[]> {
	const page = currentPage();
	await dropdown.click();
	// Only the open dropdown's options are visible, and getByRole skips hidden elements.
	await page.getByRole('option').first().waitFor();
	const names = await page.getByRole('option').allInnerTexts();
	await page.keyboard.press('Escape');
	await page.getByRole('option', { name: names[0], exact: true }).waitFor({ state: 'hidden' });
	return names;
}

async function signIn(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
	await page.getByTestId('password').locator('input').fill(OWNER.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

beforeAll(async () => {
	await emulator.start();
	workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quivo-browser-'));
	editor = await N8nEditor.start({ packageTarball: packPackage(workDir) });
	await editor.setUpOwner();

	outputDir = path.join(OUTPUT_ROOT, `n8n-${editor.cli.version}`);
	await fs.rm(outputDir, { recursive: true, force: true });
	await fs.mkdir(outputDir, { recursive: true });

	browser = await launchChromium();
	browser.page.on('response', (response) => {
		if (new URL(response.url()).pathname.startsWith(ICON_PATH_PREFIX)) {
			iconResponses.push({ url: response.url(), status: response.status() });
		}
	});
	await signIn(browser.page, editor.baseUrl);
});

afterAll(async () => {
	if (browser) {
		await fs.writeFile(path.join(outputDir, 'blocked-requests.txt'), browser.blockedUrls.join('\n'));
		await saveScreenshot('last-state').catch(() => undefined);
		await browser.close();
	}
	if (editor) {
		if (outputDir) await fs.writeFile(path.join(outputDir, 'n8n.log'), await editor.readLog());
		await editor.dispose();
	}
	await emulator.stop();
	if (workDir) await fs.rm(workDir, { recursive: true, force: true });
});

describe('n8n editor', () => {
	test('nodes panel lists Quivo with its icon', async () => {
		const page = currentPage();
		const baseUrl = runningEditor().baseUrl;
		await page.goto(`${baseUrl}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Quivo');

		const name = page.getByTestId('node-creator-item-name').filter({ hasText: /^Quivo$/ });
		const item = page.getByTestId('item-iterator-item').filter({ has: name });
		await item.waitFor();
		const icon = item.locator('img').first();
		const iconUrl = new URL((await icon.getAttribute('src')) ?? '', baseUrl).href;
		// decode() waits for the image and rejects for a broken one, whose naturalWidth stays 0.
		const naturalWidth = await icon.evaluate(async (element) => {
			const image = element as unknown as { decode(): Promise<void>; naturalWidth: number };
			await image.decode().catch(() => undefined);
			return image.naturalWidth;
		});
		await saveScreenshot('01-nodes-panel');

		expect(new URL(iconUrl).pathname).toBe(`${ICON_PATH_PREFIX}dist/nodes/Quivo/quivo.svg`);
		const iconStatuses = iconResponses.filter((response) => response.url === iconUrl).map((response) => response.status);
		expect(iconStatuses.length).toBeGreaterThan(0);
		expect(iconStatuses.filter((status) => status !== 200)).toEqual([]);
		expect(naturalWidth).toBeGreaterThan(0);
	});

	test('Get Many shows its parameters', async () => {
		const page = currentPage();
		await page.getByTestId('node-creator-item-name').filter({ hasText: /^Quivo$/ }).click();
		await page.getByTestId('node-creator-item-name').filter({ hasText: /^Get many orders$/ }).click();

		const parameters = page.getByTestId('node-parameters');
		await parameters.getByTestId('parameter-input-simplify').waitFor();
		const operation = await parameters.getByTestId('parameter-input-operation').getByRole('combobox').inputValue();
		const missingInputs: string[] = [];
		for (const name of ['returnAll', 'limit', 'simplify']) {
			if (!(await parameters.getByTestId(`parameter-input-${name}`).isVisible())) missingInputs.push(name);
		}
		await saveScreenshot('02-get-many-parameters');
		const filters = await listOptions(parameters.getByPlaceholder('Add Filter'));
		const options = await listOptions(parameters.getByPlaceholder('Add Option'));

		expect(operation).toBe('Get Many');
		expect(missingInputs).toEqual([]);
		expect(filters).toEqual([
			'Created After',
			'Created Before',
			'Last Modified After',
			'Order Identifier',
			'Order Reference',
			'Order Status',
			'Query',
			'Seller ID',
			'Ship-To Country',
			'Tag',
		]);
		expect(options).toEqual(['Max Retries', 'Sort By', 'Sort Direction', 'Timeout']);
	});

	test('credential form shows its fields', async () => {
		const page = currentPage();
		if (n8nMajorVersion() >= 2) {
			// n8n 2.x shows a "Connect to Quivo" button while no credential of the type exists.
			await page.getByTestId('node-credentials-empty-state').click();
		} else {
			await page.getByTestId('node-credentials-select').click();
			await page.getByTestId('node-credentials-select-item-new').click();
		}
		const modal = credentialModal();
		await modal.getByTestId('parameter-input-apiKey').waitFor();
		const baseUrlShownForProduction = await modal.getByTestId('parameter-input-baseUrl').isVisible();

		await modal.getByTestId('parameter-input-environment').click();
		await page.getByRole('option', { name: 'Custom' }).click();
		await modal.getByTestId('parameter-input-baseUrl').locator('input').fill(emulator.baseUrl);
		await modal.getByTestId('parameter-input-apiKey').locator('input').fill(FAKE_CREDENTIALS.apiKey);
		await modal.getByTestId('parameter-input-username').locator('input').fill(FAKE_CREDENTIALS.username);
		await modal.getByTestId('parameter-input-password').locator('input').fill(FAKE_CREDENTIALS.password);
		const shownFields: string[] = [];
		for (const field of CREDENTIAL_FIELDS) {
			const input = modal.getByTestId(`parameter-input-${field.name}`);
			const label = await modal.getByTestId(field.name).innerText();
			if ((await input.isVisible()) && label.startsWith(field.label)) shownFields.push(field.name);
		}
		await modal.getByTestId('environment').scrollIntoViewIfNeeded();
		await saveScreenshot('03-credential-form');

		expect(baseUrlShownForProduction).toBe(false);
		expect(shownFields).toEqual(CREDENTIAL_FIELDS.map((field) => field.name));
		expect(await modal.getByTestId('parameter-input-apiKey').locator('input').getAttribute('type')).toBe('password');
		expect(await modal.getByTestId('parameter-input-password').locator('input').getAttribute('type')).toBe('password');
		expect(await modal.getByTestId('parameter-input-username').locator('input').getAttribute('type')).toBe('text');
	});

	test('credential test passes against the emulator', async () => {
		const page = currentPage();
		const modal = credentialModal();
		const saveTest = nextCredentialTest();
		await modal.getByTestId('credential-save-button').click();
		// On failure, the received object shows n8n's message, such as the connection error.
		expect(await credentialTestResult(await saveTest)).toMatchObject({ status: 'OK' });

		// n8n 2.x closes the dialog of a new credential once its test passed, but 1.x keeps it open.
		if (n8nMajorVersion() < 2) {
			await modal.getByRole('button', { name: 'Close this dialog' }).click();
		}
		await modal.waitFor({ state: 'hidden' });
		// Opening a saved credential tests it again, and then its dialog offers the test button "Retry".
		const reopenTest = nextCredentialTest();
		await page.getByTestId('credential-edit-button').click();
		await reopenTest;
		const loginsBefore = emulator.stats.logins;

		const retryTest = nextCredentialTest();
		// While a test runs, the button is disabled and named "Retrying".
		const retryButton = modal.getByRole('button', { name: 'Retry', exact: true });
		await retryButton.click();
		const retryTestResult = await credentialTestResult(await retryTest);
		await retryButton.waitFor();
		// n8n 2.x fades the spinner out after it shows the result, and the screenshot should not catch it.
		await retryButton.locator('.n8n-spinner').waitFor({ state: 'detached' });
		const success = modal.getByTestId('credentials-config-container-test-success');
		await success.waitFor();
		await saveScreenshot('04-credential-test');

		expect(retryTestResult).toMatchObject({ status: 'OK' });
		expect(await success.innerText()).toContain('Connection tested successfully');
		// The test logs in with the form's values each time, even when a session token is saved.
		expect(emulator.stats.logins).toBe(loginsBefore + 1);
		expect(emulator.stats.failedLogins).toBe(0);
	});

	test('credential test rejects wrong password', async () => {
		const modal = credentialModal();
		await modal.getByTestId('parameter-input-password').locator('input').fill('wrong-password-for-test');
		const failedLoginsBefore = emulator.stats.failedLogins;

		const saveTest = nextCredentialTest();
		await modal.getByTestId('credential-save-button').click();
		const result = await credentialTestResult(await saveTest);
		await modal.getByText(/Couldn.t connect with these settings/).waitFor();
		// The banner shows n8n's summary; its "More details" link shows the node's message.
		await modal.getByText('More details').click();
		await modal.getByText(/Quivo rejected the username or password/).waitFor();
		await saveScreenshot('05-credential-wrong-password');

		expect(result).toMatchObject({ status: 'Error' });
		expect(String(result.message)).toContain('Quivo rejected the username or password (HTTP 401)');
		expect(emulator.stats.failedLogins).toBeGreaterThan(failedLoginsBefore);
	});
});
