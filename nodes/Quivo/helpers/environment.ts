import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * Base URLs of Quivo's environments. Production is the server of Quivo's API reference.
 * TODO: the sandbox host comes from customers' public code; Quivo's own docs do not confirm it.
 */
export const QUIVO_BASE_URLS = {
	production: 'https://api.quivo.co',
	sandbox: 'https://api-sandbox.quivo.co',
} as const;

export type QuivoEnvironment = keyof typeof QUIVO_BASE_URLS | 'custom';

/** Error for a credential whose base URL cannot be used; its message names the value. */
export class QuivoBaseUrlError extends Error {
	readonly description = 'Open the Quivo credential and enter a URL such as https://api.quivo.co.';
}

/** Replaces a user name and password before an `@` in a URL, so that an error cannot show them. */
function withoutUserInfo(url: string): string {
	return url.replace(/^([^/]*\/\/)?[^/]*@/, '$1***@');
}

/** Returns the base URL the credential points at, without a trailing slash. */
export function resolveBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = (credentials.environment ?? 'production') as QuivoEnvironment;
	if (environment !== 'custom') {
		const baseUrl = QUIVO_BASE_URLS[environment];
		if (baseUrl === undefined) {
			throw new QuivoBaseUrlError(`The Quivo credential names an unknown environment "${environment}"`);
		}
		return baseUrl;
	}

	const custom = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!URL.canParse(custom)) {
		throw new QuivoBaseUrlError(`The base URL "${withoutUserInfo(custom)}" of the Quivo credential is not a valid URL`);
	}
	const parsed = new URL(custom);
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new QuivoBaseUrlError(
			`The base URL "${withoutUserInfo(custom)}" of the Quivo credential must start with https:// or http://`,
		);
	}
	// Paths are appended to the base URL, and a URL with user info would show a password in errors.
	if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '' || parsed.hash !== '') {
		throw new QuivoBaseUrlError(
			`The base URL of the Quivo credential must not contain a user name, password, query or fragment (host ${parsed.host})`,
		);
	}
	return custom;
}
