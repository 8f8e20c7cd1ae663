/**
 * Throwaway PostgreSQL and Redis servers for the queue-mode end-to-end test.
 *
 * Each server gets a fresh temporary folder, listens only on 127.0.0.1 on a free port and keeps no
 * data after stop(). The servers come from Debian's packages, which `node scripts/install-services.js`
 * installs; the packaged system services stay stopped and are not used.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, promises as fs, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { findFreePorts } from './n8n';

const POSTGRES_LIB_DIR = '/usr/lib/postgresql';
const REDIS_PROGRAM_DIRS = ['/usr/bin', '/usr/local/bin', '/usr/sbin'];
const INSTALL_HINT = 'Run `node scripts/install-services.js` first (as root, it installs postgresql and redis-server).';

const POSTGRES_USER = 'n8n';
const POSTGRES_DATABASE = 'n8n';
const COMMAND_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 100;
const STOP_GRACE_MS = 10_000;
const HTTP_PROBE_TIMEOUT_MS = 2_000;

/** A long-running process that this test started, with the file that receives its stdout and stderr. */
export interface OwnedProcess {
	name: string;
	child: ChildProcess;
	logPath: string;
	exited: Promise<void>;
}

export interface PostgresServer {
	host: '127.0.0.1';
	port: number;
	user: string;
	database: string;
	/** PID of the postmaster. */
	pid: number;
	/** Server log so far (stdout and stderr of the postmaster). */
	readLog(): Promise<string>;
	/** Runs SQL with psql on the n8n database and returns its unaligned output (`psql -At`). */
	query(sql: string): Promise<string>;
	/** Stops the postmaster by PID (fast shutdown, then SIGKILL) and removes the data folder. */
	stop(): Promise<void>;
}

export interface RedisServer {
	host: '127.0.0.1';
	port: number;
	pid: number;
	readLog(): Promise<string>;
	/** Stops redis-server by PID (SIGTERM, then SIGKILL) and removes its folder. */
	stop(): Promise<void>;
}

/** Returns the bin folder of the newest installed PostgreSQL major version. */
function findPostgresBinDir(): string {
	const versions = existsSync(POSTGRES_LIB_DIR) ? readdirSync(POSTGRES_LIB_DIR) : [];
	const binDir = versions
		.filter((version) => /^\d+$/.test(version))
		.sort((a, b) => Number(b) - Number(a))
		.map((version) => path.join(POSTGRES_LIB_DIR, version, 'bin'))
		.find((candidate) => ['initdb', 'postgres', 'pg_isready', 'createdb', 'psql'].every((program) => existsSync(path.join(candidate, program))));
	if (binDir === undefined) {
		throw new Error(`PostgreSQL server programs not found in ${POSTGRES_LIB_DIR}/<version>/bin. ${INSTALL_HINT}`);
	}
	return binDir;
}

function findRedisServer(): string {
	const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
	const program = [...pathDirs, ...REDIS_PROGRAM_DIRS]
		.map((dir) => path.join(dir, 'redis-server'))
		.find((candidate) => existsSync(candidate));
	if (program === undefined) {
		throw new Error(`redis-server not found in PATH or ${REDIS_PROGRAM_DIRS.join(', ')}. ${INSTALL_HINT}`);
	}
	return program;
}

/**
 * Returns the user and group ids that PostgreSQL runs as. initdb and postgres exit when started as
 * root, so under root they run as the `postgres` system user that Debian's package creates.
 */
function postgresIdentity(): { uid: number; gid: number } | undefined {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
	try {
		const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		return { uid, gid };
	} catch {
		throw new Error(`The system user "postgres" is missing, and PostgreSQL does not run as root. ${INSTALL_HINT}`);
	}
}

/** Builds the environment of the server processes: HOME, the C locale, and only PATH, TZ and LANG from the test process. */
function serverEnv(home: string): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { HOME: home, LC_ALL: 'C' };
	for (const name of ['PATH', 'TZ', 'LANG']) {
		const value = process.env[name];
		if (value !== undefined) env[name] = value;
	}
	return env;
}

export interface StartOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	logPath: string;
	identity?: { uid: number; gid: number };
}

/**
 * Spawns a long-running process with its output in a file. Node switches to `identity` before
 * exec, so the returned PID is the server's own. `runuser -u postgres --` forks instead: its PID is
 * not the server's, and on SIGTERM runuser exits at once while its child may keep running.
 */
export function startProcess(name: string, command: string, args: string[], options: StartOptions): OwnedProcess {
	const logFd = openSync(options.logPath, 'a');
	try {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env,
			stdio: ['ignore', logFd, logFd],
			...(options.identity ?? {}),
		});
		const exited = new Promise<void>((resolve) => {
			child.once('exit', () => resolve());
			child.once('error', () => resolve());
		});
		return { name, child, logPath: options.logPath, exited };
	} finally {
		closeSync(logFd);
	}
}

/** Runs a short command to its end with output in a file, and throws with that output when it fails. */
async function runToEnd(command: string, args: string[], options: StartOptions): Promise<void> {
	const owned = startProcess(path.basename(command), command, args, options);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		owned.child.kill('SIGKILL');
	}, COMMAND_TIMEOUT_MS);
	const exitCode = await new Promise<number | null>((resolve, reject) => {
		owned.child.once('error', reject);
		owned.child.once('exit', (code) => resolve(code));
	}).finally(() => clearTimeout(timer));
	if (exitCode !== 0) {
		const output = await fs.readFile(options.logPath, 'utf8').catch(() => '');
		const commandLine = [path.basename(command), ...args].join(' ');
		const reason = timedOut ? `timed out after ${COMMAND_TIMEOUT_MS} ms` : `failed with exit code ${String(exitCode)}`;
		throw new Error(`${commandLine} ${reason}. Output:\n${output}`);
	}
}

export function isRunning(owned: OwnedProcess): boolean {
	return owned.child.exitCode === null && owned.child.signalCode === null;
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sends `signal` to the process, waits up to `graceMs` for it to exit, then sends SIGKILL and waits again. */
export async function stopProcess(owned: OwnedProcess, signal: NodeJS.Signals, graceMs = STOP_GRACE_MS): Promise<void> {
	if (!isRunning(owned)) return;
	owned.child.kill(signal);
	let timer: NodeJS.Timeout | undefined;
	const graceOver = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), graceMs);
	});
	const outcome = await Promise.race([owned.exited.then(() => 'exited' as const), graceOver]);
	clearTimeout(timer);
	if (outcome === 'timeout' && isRunning(owned)) {
		owned.child.kill('SIGKILL');
		await owned.exited;
	}
}

/** Resolves true when GET `url` returns status 200 within HTTP_PROBE_TIMEOUT_MS. */
export async function isHttpOk(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(HTTP_PROBE_TIMEOUT_MS) });
		await response.arrayBuffer();
		return response.status === 200;
	} catch {
		return false;
	}
}

/** Polls `check` until it resolves true; throws with the process log when the process exits or the time runs out. */
export async function waitUntilReady(
	owned: OwnedProcess,
	check: () => Promise<boolean>,
	timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!isRunning(owned)) {
			const log = await fs.readFile(owned.logPath, 'utf8').catch(() => '');
			throw new Error(`${owned.name} exited during startup. Log:\n${log}`);
		}
		if (await check()) return;
		await delay(READY_POLL_MS);
	}
	const log = await fs.readFile(owned.logPath, 'utf8').catch(() => '');
	throw new Error(`${owned.name} was not ready after ${timeoutMs} ms. Log:\n${log}`);
}

function commandSucceeds(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
	return new Promise((resolve) => {
		const child = spawn(command, args, { env, stdio: 'ignore' });
		child.once('error', () => resolve(false));
		child.once('exit', (code) => resolve(code === 0));
	});
}

/** Sends a Redis PING over TCP and resolves true on `+PONG`. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		let reply = '';
		const finish = (ready: boolean) => {
			socket.destroy();
			resolve(ready);
		};
		socket.setTimeout(1_000, () => finish(false));
		socket.once('error', () => finish(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk: Buffer) => {
			reply += chunk.toString('utf8');
			if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
		});
	});
}

/**
 * Starts a throwaway PostgreSQL: initdb into a new temporary folder, trust authentication (only
 * for this local test data), TCP only on 127.0.0.1, the Unix socket inside the temporary folder,
 * and a database for n8n. Durability settings are off because the data is discarded.
 */
export async function startPostgres(): Promise<PostgresServer> {
	const binDir = findPostgresBinDir();
	const identity = postgresIdentity();
	const [port] = await findFreePorts(1);

	// NOTE: under root, the postgres user must be able to enter TMPDIR; /tmp allows that, a folder in /root does not.
	const rootDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quivo-postgres-'));
	const dataDir = path.join(rootDir, 'data');
	const socketDir = path.join(rootDir, 'socket');
	const logPath = path.join(rootDir, 'postgres.log');
	await fs.mkdir(socketDir);
	if (identity) {
		await fs.chown(rootDir, identity.uid, identity.gid);
		await fs.chown(socketDir, identity.uid, identity.gid);
	}
	const env = serverEnv(rootDir);
	const options: StartOptions = { cwd: rootDir, env, logPath: path.join(rootDir, 'setup.log'), identity };

	let server: OwnedProcess | undefined;
	const stop = async () => {
		// SIGINT is PostgreSQL's fast shutdown: it ends open sessions and writes a checkpoint.
		if (server) await stopProcess(server, 'SIGINT');
		await fs.rm(rootDir, { recursive: true, force: true });
	};

	try {
		await runToEnd(
			path.join(binDir, 'initdb'),
			['--pgdata', dataDir, '--username', POSTGRES_USER, '--auth', 'trust', '--encoding', 'UTF8', '--locale', 'C', '--no-sync'],
			options,
		);
		server = startProcess(
			'postgres',
			path.join(binDir, 'postgres'),
			[
				'-D', dataDir,
				'-p', String(port),
				'-c', 'listen_addresses=127.0.0.1',
				'-c', `unix_socket_directories=${socketDir}`,
				'-c', 'fsync=off',
				'-c', 'synchronous_commit=off',
				'-c', 'full_page_writes=off',
				'-c', 'max_connections=100',
			],
			{ ...options, logPath },
		);
		const isReadyArgs = ['--host', '127.0.0.1', '--port', String(port), '--username', POSTGRES_USER, '--quiet'];
		await waitUntilReady(server, () => commandSucceeds(path.join(binDir, 'pg_isready'), isReadyArgs, env));
		await runToEnd(
			path.join(binDir, 'createdb'),
			['--host', '127.0.0.1', '--port', String(port), '--username', POSTGRES_USER, POSTGRES_DATABASE],
			options,
		);
	} catch (error) {
		await stop();
		throw error;
	}

	const pid = server.child.pid;
	if (pid === undefined) throw new Error('postgres started without a PID');
	return {
		host: '127.0.0.1',
		port,
		user: POSTGRES_USER,
		database: POSTGRES_DATABASE,
		pid,
		readLog: () => fs.readFile(logPath, 'utf8'),
		query: (sql) => runPsql(path.join(binDir, 'psql'), port, sql, env),
		stop,
	};
}

function runPsql(psql: string, port: number, sql: string, env: NodeJS.ProcessEnv): Promise<string> {
	const args = ['--host', '127.0.0.1', '--port', String(port), '--username', POSTGRES_USER, '--dbname', POSTGRES_DATABASE];
	return new Promise((resolve, reject) => {
		execFile(
			psql,
			[...args, '--no-psqlrc', '--tuples-only', '--no-align', '--set', 'ON_ERROR_STOP=1', '--command', sql],
			{ env, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
			(error, stdout, stderr) => (error ? reject(new Error(`psql failed: ${error.message}\n${stderr}`)) : resolve(stdout)),
		);
	});
}

/** Starts a throwaway redis-server on 127.0.0.1 with persistence off and protected mode on. */
export async function startRedis(): Promise<RedisServer> {
	const program = findRedisServer();
	const [port] = await findFreePorts(1);
	const rootDir = await fs.mkdtemp(path.join(os.tmpdir(), 'quivo-redis-'));
	const logPath = path.join(rootDir, 'redis.log');

	const server = startProcess(
		'redis-server',
		program,
		[
			'--bind', '127.0.0.1',
			'--port', String(port),
			'--save', '',
			'--appendonly', 'no',
			'--protected-mode', 'yes',
			'--daemonize', 'no',
			'--dir', rootDir,
			'--logfile', '',
		],
		{ cwd: rootDir, env: serverEnv(rootDir), logPath },
	);
	const stop = async () => {
		await stopProcess(server, 'SIGTERM');
		await fs.rm(rootDir, { recursive: true, force: true });
	};

	try {
		await waitUntilReady(server, () => redisPing(port));
	} catch (error) {
		await stop();
		throw error;
	}

	const pid = server.child.pid;
	if (pid === undefined) throw new Error('redis-server started without a PID');
	return { host: '127.0.0.1', port, pid, readLog: () => fs.readFile(logPath, 'utf8'), stop };
}
