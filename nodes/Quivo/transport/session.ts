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

/** Session tokens this process obtained or replaced for one credential. */
interface SessionMemory {
	/** The newest token this process obtained, and when. */
	newest?: { token: string; obtainedAt: number };
	/**
	 * Tokens this process has seen replaced, with the time: tokens it obtained before `newest`,
	 * and tokens that were handed to the hook after Quivo rejected them.
	 */
	superseded: Map<string, number>;
}

// Process-wide on purpose: n8n has no lock around preAuthentication, so executions that run at
// the same time in this process would each log in. The maps hold keyed digests and tokens, never
// a password or API key.
const loginsInFlight = new Map<string, Promise<string>>();
const sessions = new Map<string, SessionMemory>();

/** Drops memory older than the reuse window. */
function prune(memory: SessionMemory, now: number): void {
	for (const [token, seenAt] of memory.superseded) {
		if (now - seenAt >= REUSE_WINDOW_MS) memory.superseded.delete(token);
	}
	if (memory.newest && now - memory.newest.obtainedAt >= REUSE_WINDOW_MS) memory.newest = undefined;
}

/** Returns a digest that is equal exactly when base URL, API key, username and password are. */
function credentialKey(credentials: ICredentialDataDecryptedObject): string {
	const fields = [resolveBaseUrl(credentials), credentials.apiKey, credentials.username, credentials.password];
	return createHmac('sha256', KEY_SECRET).update(JSON.stringify(fields)).digest('hex');
}

/**
 * Logs in like `logIn`, but shares the work between callers of this process that use the same
 * credential: concurrent callers wait for one `POST /login`, and a caller with a token that this
 * process has seen replaced gets the token it obtained in the last minutes instead of a new login.
 */
export async function logInShared(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const key = credentialKey(credentials);
	const now = Date.now();
	const memory: SessionMemory = sessions.get(key) ?? { superseded: new Map() };
	sessions.set(key, memory);
	prune(memory, now);

	// The hook gets a non-empty token only after Quivo rejected it, so
	// the token handed out instead replaces it.
	const callerToken = String(credentials.sessionToken ?? '');

	// While a login runs, its token is the newest; the one in memory may be what Quivo rejected.
	const inFlight = loginsInFlight.get(key);
	if (inFlight !== undefined) {
		if (callerToken !== '') memory.superseded.set(callerToken, now);
		return await inFlight;
	}

	// A token this process has seen replaced by its newest one: hand out the newest. A token
	// from elsewhere, such as another worker, may be newer, so that one gets a real login.
	const { newest } = memory;
	if (newest && callerToken !== newest.token && (callerToken === '' || memory.superseded.has(callerToken))) {
		return newest.token;
	}
	if (callerToken !== '') memory.superseded.set(callerToken, now);

	const login = logIn
		.call(this, credentials)
		.then((token) => {
			if (memory.newest) memory.superseded.set(memory.newest.token, Date.now());
			memory.newest = { token, obtainedAt: Date.now() };
			return token;
		})
		.finally(() => loginsInFlight.delete(key));
	loginsInFlight.set(key, login);
	return await login;
}

/** Forgets all shared logins and tokens; for tests that need a fresh process state. */
export function clearSharedLogins(): void {
	loginsInFlight.clear();
	sessions.clear();
}
