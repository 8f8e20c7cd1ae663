import { createHmac, randomBytes } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IHttpRequestHelper } from 'n8n-workflow';

import { resolveBaseUrl } from '../helpers/environment';
import { logIn } from './login';

/**
 * How long a token this process obtained is handed to callers that still hold an older one.
 * Quivo's tokens last one hour, so a token this young is still valid.
 */
const REUSE_WINDOW_MS = 5 * 60_000;

/** Random per process, so that the keys below cannot be checked against guessed credentials. */
const KEY_SECRET = randomBytes(32);

// Process-wide on purpose: n8n has no lock around preAuthentication, so executions that run at
// the same time in this process would each log in. The maps hold keyed digests and tokens, never
// a password or API key.
const loginsInFlight = new Map<string, Promise<string>>();
const recentTokens = new Map<string, { token: string; obtainedAt: number }>();

/** Returns a digest that is equal exactly when base URL, API key, username and password are. */
function credentialKey(credentials: ICredentialDataDecryptedObject): string {
	const fields = [resolveBaseUrl(credentials), credentials.apiKey, credentials.username, credentials.password];
	return createHmac('sha256', KEY_SECRET).update(JSON.stringify(fields)).digest('hex');
}

/**
 * Logs in like `logIn`, but shares the work between callers of this process that use the same
 * credential: concurrent callers wait for one `POST /login`, and a caller that still holds an
 * older token gets the token this process obtained in the last minutes instead of a new login.
 */
export async function logInShared(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const key = credentialKey(credentials);

	const recent = recentTokens.get(key);
	if (recent && recent.token !== credentials.sessionToken && Date.now() - recent.obtainedAt < REUSE_WINDOW_MS) {
		return recent.token;
	}

	let login = loginsInFlight.get(key);
	if (login === undefined) {
		login = logIn
			.call(this, credentials)
			.then((token) => {
				recentTokens.set(key, { token, obtainedAt: Date.now() });
				return token;
			})
			.finally(() => loginsInFlight.delete(key));
		loginsInFlight.set(key, login);
	}
	return await login;
}

/** Forgets all shared logins and tokens; for tests that need a fresh process state. */
export function clearSharedLogins(): void {
	loginsInFlight.clear();
	recentTokens.clear();
}
