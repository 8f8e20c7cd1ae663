/**
 * Starts the Quivo emulator as a standalone process on 127.0.0.1.
 * Usage: npx tsx test/emulator/cli.ts [--port 3999] [--orders 3000] [--seed 1]
 */
import { FAKE_CREDENTIALS, QuivoEmulator } from './server';

const DEFAULT_PORT = 3999;

interface CliOptions {
	port: number;
	orderCount: number;
	seed: number;
}

function parseArguments(argv: readonly string[]): CliOptions {
	const options: CliOptions = { port: DEFAULT_PORT, orderCount: 3000, seed: 1 };
	const names: Record<string, keyof CliOptions> = { '--port': 'port', '--orders': 'orderCount', '--seed': 'seed' };
	for (let i = 0; i < argv.length; i += 2) {
		const name = argv[i];
		const key = Object.prototype.hasOwnProperty.call(names, name) ? names[name] : undefined;
		if (key === undefined) throw new Error(`unknown option ${name}; expected --port, --orders or --seed`);
		const value = Number(argv[i + 1]);
		if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a non-negative integer, got ${argv[i + 1] ?? 'nothing'}`);
		options[key] = value;
	}
	return options;
}

async function main(): Promise<void> {
	const options = parseArguments(process.argv.slice(2));
	const emulator = new QuivoEmulator({ orderCount: options.orderCount, seed: options.seed });
	const baseUrl = await emulator.start(options.port);

	console.log(`Quivo emulator listening on ${baseUrl} (${options.orderCount} orders, seed ${options.seed})`);
	console.log(`Fake credentials: X-Api-Key ${FAKE_CREDENTIALS.apiKey}, username ${FAKE_CREDENTIALS.username}, password ${FAKE_CREDENTIALS.password}`);

	const shutdown = (signal: string): void => {
		emulator.stop().then(
			() => {
				console.log(`Quivo emulator stopped (${signal})`);
				process.exit(0);
			},
			(error: unknown) => {
				console.error(`Quivo emulator failed to stop cleanly: ${String(error)}`);
				process.exit(1);
			},
		);
	};
	process.once('SIGINT', () => shutdown('SIGINT'));
	process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(`Quivo emulator failed to start: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
