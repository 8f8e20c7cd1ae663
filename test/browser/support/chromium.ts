/**
 * Starts Debian's headless Chromium through playwright-core for the browser test. Playwright never
 * downloads a browser here: it drives `/usr/bin/chromium`, which `node scripts/install-services.js
 * chromium` installs, with a fresh empty profile. The page may reach only 127.0.0.1; requests to
 * other hosts are aborted and recorded.
 */
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * No sandbox because the tests run as root. The networking flags stop Chromium's own connections
 * to Google's services, which a machine without internet access refuses.
 */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const VIEWPORT = { width: 1440, height: 900 };
/** Time limit of one Playwright action or wait, generous because the n8n editor renders slowly on a 2-core machine. */
const ACTION_TIMEOUT_MS = 60_000;
const NAVIGATION_TIMEOUT_MS = 120_000;

export interface LocalBrowser {
	context: BrowserContext;
	page: Page;
	/** URLs of aborted requests to hosts other than 127.0.0.1. */
	blockedUrls: string[];
	/** Closes Chromium and removes its profile folder. */
	close(): Promise<void>;
}

/** Launches Chromium with a new profile folder and returns its first page. */
export async function launchChromium(): Promise<LocalBrowser> {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(`${CHROMIUM_PATH} is missing. Run \`node scripts/install-services.js chromium\` first (as root).`);
	}

	// n8n's frontend marks its elements with data-test-id, not Playwright's default data-testid.
	selectors.setTestIdAttribute('data-test-id');
	const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quivo-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM_PATH,
			args: CHROMIUM_ARGS,
			headless: true,
			viewport: VIEWPORT,
		});
	} catch (error) {
		await fs.rm(userDataDir, { recursive: true, force: true });
		throw error;
	}
	context.setDefaultTimeout(ACTION_TIMEOUT_MS);
	context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);

	const blockedUrls: string[] = [];
	await context.route('**/*', async (route) => {
		const url = route.request().url();
		if (new URL(url).hostname === '127.0.0.1') {
			await route.continue();
		} else {
			blockedUrls.push(url);
			await route.abort('blockedbyclient');
		}
	});

	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		blockedUrls,
		close: async () => {
			await context.close();
			await fs.rm(userDataDir, { recursive: true, force: true });
		},
	};
}
