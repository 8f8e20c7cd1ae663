/**
 * Local emulator of the Quivo API for development and tests: `POST /login`, `GET /orders` and `GET /ping`,
 * behind the same two-header authentication (X-Api-Key plus a raw session token) as the real API Gateway.
 * It binds to 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { BadRequestError } from './errors';
import type { ListParameters } from './listing';
import { OrderIndex } from './listing';
import type { QuivoOrder } from './orders';
import { generateOrders } from './orders';

export type { QuivoOrder } from './orders';

/** Obviously fake credentials the emulator accepts by default. */
export const FAKE_CREDENTIALS = { apiKey: 'fake-api-key-0000', username: 'ops@example.com', password: 'fake-password-0000' } as const;

export interface EmulatorOptions {
	apiKey?: string;
	username?: string;
	password?: string;
	/** Number of seeded orders; default 3000. */
	orderCount?: number;
	/** Seed of the order generator; the same seed gives identical orders. Default 1. */
	seed?: number;
	/** Session token lifetime; default 3600, the documented one hour. */
	tokenLifetimeSeconds?: number;
}

/** One request as the emulator saw it. It never contains the API key, password, token or body. */
export interface RecordedRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	/** Decoded query parameters; the last value wins. Values equal to a credential or token are redacted. */
	query: Record<string, string>;
	/** Status the emulator sent, or 0 when a fault reset the connection. */
	status: number;
	auth: 'valid' | 'expired' | 'missing' | 'unknown' | 'not-checked';
}

export interface EmulatorStats {
	/** Logins that returned a token. */
	logins: number;
	/** Logins the login handler rejected: bad API key, bad body, wrong credentials or rejectLogins(). */
	failedLogins: number;
	requests: RecordedRequest[];
}

export interface FaultSpec {
	/** Only requests to this path, e.g. '/orders'; default any path except /__emulator/*. */
	path?: string;
	method?: string;
	/** How many matching requests the fault hits; default 1. */
	times?: number;
	/** How many matching requests pass untouched before the fault starts; default 0. */
	skip?: number;
	status: number;
	/** Raw body; default ''. */
	body?: string;
	/** Default 'text/plain'. */
	contentType?: string;
	headers?: Record<string, string>;
	/** Delay before the response, in milliseconds. */
	delayMs?: number;
	/** Reset the connection instead of answering. */
	destroySocket?: boolean;
}

interface Reply {
	status: number;
	body: string;
	contentType: string;
	headers?: Record<string, string>;
}

interface QueuedFault {
	spec: FaultSpec;
	remaining: number;
	toSkip: number;
}

interface LoginRejection {
	status: number;
	body: string;
}

type AuthState = RecordedRequest['auth'];

const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain';
const CONTROL_PREFIX = '/__emulator/';
const TOKEN_PLACEHOLDER = '{{token}}';
const MAX_LOGIN_BODY_BYTES = 64 * 1024;
const INVALID_CREDENTIALS_BODY = '{"message":"Invalid username or password"}';

function jsonReply(status: number, value: unknown): Reply {
	return { status, body: JSON.stringify(value), contentType: JSON_TYPE };
}

function textReply(status: number, body: string): Reply {
	return { status, body, contentType: TEXT_TYPE };
}

function messageReply(status: number, message: string): Reply {
	return jsonReply(status, { message });
}

function looksLikeJson(body: string): boolean {
	try {
		JSON.parse(body);
		return true;
	} catch {
		return false;
	}
}

function singleHeader(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

export class QuivoEmulator {
	readonly orders: QuivoOrder[];

	private readonly apiKey: string;
	private readonly username: string;
	private readonly password: string;
	private readonly tokenLifetimeMs: number;
	private readonly index: OrderIndex;
	/** Expiry time in epoch milliseconds of every token issued so far. */
	private readonly tokenExpiry = new Map<string, number>();
	private readonly faults: QueuedFault[] = [];
	/** Remaining GET /orders requests before each scheduled token expiry. */
	private expiryCountdowns: number[] = [];
	private loginRejection: LoginRejection | null = null;
	private loginResponseOverride: string | undefined;
	private loginDelayMs = 0;
	private readonly statistics: EmulatorStats = { logins: 0, failedLogins: 0, requests: [] };
	private server: http.Server | null = null;
	private url: string | null = null;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();

	constructor(options: EmulatorOptions = {}) {
		this.apiKey = options.apiKey ?? FAKE_CREDENTIALS.apiKey;
		this.username = options.username ?? FAKE_CREDENTIALS.username;
		this.password = options.password ?? FAKE_CREDENTIALS.password;
		this.tokenLifetimeMs = (options.tokenLifetimeSeconds ?? 3600) * 1000;
		this.orders = generateOrders(options.orderCount ?? 3000, options.seed ?? 1);
		this.index = new OrderIndex(this.orders);
	}

	/** Base URL such as `http://127.0.0.1:43121`; throws before start() and after stop(). */
	get baseUrl(): string {
		if (this.url === null) throw new Error('QuivoEmulator is not running: call start() first');
		return this.url;
	}

	get stats(): EmulatorStats {
		return this.statistics;
	}

	/** Starts listening on 127.0.0.1; port 0 picks a free port. Resolves to the base URL. */
	start(port = 0): Promise<string> {
		if (this.server !== null) return Promise.reject(new Error('QuivoEmulator is already running'));

		const server = http.createServer((request, response) => {
			void this.handleRequest(request, response);
		});
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.server = server;

		return new Promise((resolve, reject) => {
			server.once('error', (error) => {
				this.server = null;
				reject(error);
			});
			server.listen(port, '127.0.0.1', () => {
				const address = server.address() as AddressInfo;
				this.url = `http://127.0.0.1:${address.port}`;
				resolve(this.url);
			});
		});
	}

	/** Closes the server, its open connections and any delayed answers. */
	stop(): Promise<void> {
		const server = this.server;
		if (server === null) return Promise.resolve();
		this.server = null;
		this.url = null;
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
		return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
	}

	resetStats(): void {
		this.statistics.logins = 0;
		this.statistics.failedLogins = 0;
		this.statistics.requests.length = 0;
	}

	/** Every session token issued so far, for tests that check no output contains one. */
	get issuedTokens(): string[] {
		return [...this.tokenExpiry.keys()];
	}

	/** Marks every token issued so far as expired; tokens issued later are unaffected. */
	expireTokens(): void {
		const now = Date.now();
		for (const [token, expiresAt] of this.tokenExpiry) this.tokenExpiry.set(token, Math.min(expiresAt, now));
	}

	/** Expires all tokens just before the n-th GET /orders request from now (1-based) is authenticated. */
	expireTokensBeforeRequest(n: number): void {
		if (!Number.isInteger(n) || n < 1) throw new RangeError(`expireTokensBeforeRequest needs an integer >= 1, got ${n}`);
		this.expiryCountdowns.push(n);
	}

	rejectLogins(status = 401, body = INVALID_CREDENTIALS_BODY): void {
		this.loginRejection = { status, body };
	}

	acceptLogins(): void {
		this.loginRejection = null;
	}

	/**
	 * Replaces the body of successful logins, e.g. '{}' for a reply without token; undefined restores
	 * `{"Token": …}`. Each `{{token}}` in the body becomes a newly issued valid token.
	 */
	setLoginResponse(body: string | undefined): void {
		this.loginResponseOverride = body;
	}

	setLoginDelay(ms: number): void {
		this.loginDelayMs = ms;
	}

	/** Queues a fault. A request takes the first queued fault it matches; a fault is removed after `times` hits. */
	injectFault(fault: FaultSpec): void {
		const times = fault.times ?? 1;
		if (!Number.isInteger(times) || times < 1) throw new RangeError(`FaultSpec.times must be an integer >= 1, got ${times}`);
		this.faults.push({ spec: fault, remaining: times, toSkip: fault.skip ?? 0 });
	}

	clearFaults(): void {
		this.faults.length = 0;
	}

	private async handleRequest(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
		try {
			const method = (request.method ?? 'GET').toUpperCase();
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			if (url.pathname.startsWith(CONTROL_PREFIX)) {
				request.resume();
				this.send(response, this.handleControl(method, url.pathname));
				return;
			}

			const record = this.record(method, url);
			if (method === 'GET' && url.pathname === '/orders') this.advanceExpiryCountdowns();

			const fault = this.takeFault(method, url.pathname);
			if (fault !== null) {
				request.resume();
				await this.applyFault(fault, request, response, record);
				return;
			}

			const reply = await this.route(method, url, request, record);
			record.status = reply.status;
			this.send(response, reply);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			console.error(`Quivo emulator failed on ${request.method ?? '?'} ${(request.url ?? '').split('?')[0]}: ${message}`);
			this.send(response, textReply(500, `Quivo emulator internal error: ${message}`));
		}
	}

	private record(method: string, url: URL): RecordedRequest {
		const query: Record<string, string> = {};
		for (const [name, value] of url.searchParams) query[name] = this.isSecret(value) ? '[redacted]' : value;
		const recorded: RecordedRequest = { method, path: url.pathname, query, status: 0, auth: 'not-checked' };
		this.statistics.requests.push(recorded);
		return recorded;
	}

	private isSecret(value: string): boolean {
		return value === this.apiKey || value === this.password || this.tokenExpiry.has(value);
	}

	private advanceExpiryCountdowns(): void {
		const remaining = this.expiryCountdowns.map((count) => count - 1);
		if (remaining.some((count) => count === 0)) this.expireTokens();
		this.expiryCountdowns = remaining.filter((count) => count > 0);
	}

	private takeFault(method: string, path: string): FaultSpec | null {
		const index = this.faults.findIndex(({ spec }) =>
			(spec.path === undefined || spec.path === path) && (spec.method === undefined || spec.method.toUpperCase() === method));
		if (index < 0) return null;
		const fault = this.faults[index];
		if (fault.toSkip > 0) {
			fault.toSkip--;
			return null;
		}
		fault.remaining--;
		if (fault.remaining === 0) this.faults.splice(index, 1);
		return fault.spec;
	}

	private async applyFault(fault: FaultSpec, request: http.IncomingMessage, response: http.ServerResponse, record: RecordedRequest): Promise<void> {
		if (fault.delayMs !== undefined && fault.delayMs > 0) await this.wait(fault.delayMs);
		if (fault.destroySocket === true) {
			record.status = 0;
			request.socket.resetAndDestroy();
			return;
		}
		record.status = fault.status;
		this.send(response, { status: fault.status, body: fault.body ?? '', contentType: fault.contentType ?? TEXT_TYPE, headers: fault.headers });
	}

	private async route(method: string, url: URL, request: http.IncomingMessage, record: RecordedRequest): Promise<Reply> {
		// API Gateway rejects a missing or wrong API key before anything else; login failures count as failed logins.
		if (singleHeader(request.headers['x-api-key']) !== this.apiKey) {
			request.resume();
			if (url.pathname === '/login' && method === 'POST') this.statistics.failedLogins++;
			return messageReply(403, 'Forbidden');
		}
		if (url.pathname === '/login') {
			if (method !== 'POST') return messageReply(405, 'Method Not Allowed');
			return this.login(await readBody(request, MAX_LOGIN_BODY_BYTES));
		}

		request.resume();
		record.auth = this.authenticate(singleHeader(request.headers.authorization));
		if (record.auth === 'missing' || record.auth === 'unknown') return messageReply(401, 'Unauthorized');
		if (record.auth === 'expired') return messageReply(401, 'The incoming token has expired');

		if (url.pathname === '/orders') return method === 'GET' ? this.listOrders(url) : messageReply(405, 'Method Not Allowed');
		// NOTE: /ping is only mentioned in the docs; GET, the auth requirement and the body are inferred.
		if (url.pathname === '/ping') return method === 'GET' ? jsonReply(200, { status: 'ok' }) : messageReply(405, 'Method Not Allowed');
		return messageReply(404, 'Not Found');
	}

	/** Classifies the raw `Authorization` token; `Bearer <token>` is unknown because the docs only show the raw form. */
	private authenticate(token: string | undefined): AuthState {
		if (token === undefined || token === '') return 'missing';
		const expiresAt = this.tokenExpiry.get(token);
		if (expiresAt === undefined) return 'unknown';
		return Date.now() >= expiresAt ? 'expired' : 'valid';
	}

	private async login(body: string | null): Promise<Reply> {
		if (this.loginDelayMs > 0) await this.wait(this.loginDelayMs);

		const credentials = parseLoginBody(body);
		if (typeof credentials === 'string') {
			this.statistics.failedLogins++;
			return textReply(400, credentials);
		}
		if (this.loginRejection !== null) {
			this.statistics.failedLogins++;
			const { status, body: rejectionBody } = this.loginRejection;
			return { status, body: rejectionBody, contentType: looksLikeJson(rejectionBody) ? JSON_TYPE : TEXT_TYPE };
		}
		if (credentials.username !== this.username || credentials.password !== this.password) {
			this.statistics.failedLogins++;
			return { status: 401, body: INVALID_CREDENTIALS_BODY, contentType: JSON_TYPE };
		}

		this.statistics.logins++;
		if (this.loginResponseOverride === undefined) return jsonReply(200, { Token: this.issueToken() });
		const customBody = this.loginResponseOverride.split(TOKEN_PLACEHOLDER).reduce((text, part) => `${text}${this.issueToken()}${part}`);
		return { status: 200, body: customBody, contentType: JSON_TYPE };
	}

	private issueToken(): string {
		const token = randomBytes(20).toString('hex');
		this.tokenExpiry.set(token, Date.now() + this.tokenLifetimeMs);
		return token;
	}

	private listOrders(url: URL): Reply {
		const parameters: ListParameters = {};
		for (const name of ['query', 'sort', 'page', 'pageSize', 'searchAfter'] as const) {
			const value = url.searchParams.getAll(name).pop();
			if (value !== undefined) parameters[name] = value;
		}
		try {
			return jsonReply(200, this.index.list(parameters));
		} catch (error) {
			if (error instanceof BadRequestError) return textReply(400, error.message);
			throw error;
		}
	}

	private handleControl(method: string, path: string): Reply {
		const actions: Record<string, { method: string; run: () => Reply }> = {
			'/__emulator/stats': { method: 'GET', run: () => jsonReply(200, this.statistics) },
			'/__emulator/reset-stats': { method: 'POST', run: () => this.runControl(() => this.resetStats()) },
			'/__emulator/expire-tokens': { method: 'POST', run: () => this.runControl(() => this.expireTokens()) },
		};
		const action = Object.prototype.hasOwnProperty.call(actions, path) ? actions[path] : undefined;
		if (action === undefined) return messageReply(404, 'Not Found');
		return action.method === method ? action.run() : messageReply(405, 'Method Not Allowed');
	}

	private runControl(action: () => void): Reply {
		action();
		return { status: 204, body: '', contentType: TEXT_TYPE };
	}

	private send(response: http.ServerResponse, reply: Reply): void {
		if (response.destroyed || response.headersSent) return;
		const headers: Record<string, string> = { ...reply.headers, 'Content-Type': reply.contentType };
		if (reply.status === 204) {
			response.writeHead(204, reply.headers ?? {});
			response.end();
			return;
		}
		response.writeHead(reply.status, headers);
		response.end(reply.body);
	}

	/** Resolves after `ms`; stop() cancels the timer, so the waiting handler never answers. */
	private wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}
}

/** Reads the request body as UTF-8, or returns null when it exceeds `limitBytes`. */
function readBody(request: http.IncomingMessage, limitBytes: number): Promise<string | null> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limitBytes) tooLarge = true;
			else chunks.push(chunk);
		});
		request.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

/** Validates the login body like a Spring bean-validation endpoint; returns the error text when invalid. */
function parseLoginBody(body: string | null): { username: string; password: string } | string {
	if (body === null) return 'Request body is too large';
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return 'Malformed JSON request body';
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'Malformed JSON request body';

	const fields = parsed as Record<string, unknown>;
	for (const name of ['username', 'password']) {
		if (fields[name] === undefined || fields[name] === null) return `${name}: must not be null`;
		if (typeof fields[name] !== 'string') return `${name}: must be a string`;
	}
	return { username: fields.username as string, password: fields.password as string };
}
