import { DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, startEmulator, type Emulator, type EmulatorOptions } from "./index";

// `fireworks-emulator`: runs the emulator in the foreground for demos and for tests in other processes.

/** Demo timings: shaped like the real thing (create takes longest) but short enough to watch. */
export const CLI_TIMINGS = { deploymentCreateMs: 8000, deploymentUpdateMs: 4000, deploymentDeleteMs: 2000 };

export const USAGE = `Usage: fireworks-emulator [options]

Runs a local Fireworks control-plane emulator (HTTP on loopback) until interrupted.

Options:
  --port N          port to listen on (default 8080; 0 = a random free port)
  --host H          address to bind (default 127.0.0.1)
  --api-key K       the API key clients must send as "Authorization: Bearer K" (default ${DEFAULT_API_KEY})
  --account-id A    the account the key belongs to (default ${DEFAULT_ACCOUNT_ID})
  --create-ms N     CREATING -> READY, in milliseconds (default ${CLI_TIMINGS.deploymentCreateMs})
  --update-ms N     UPDATING -> READY, in milliseconds (default ${CLI_TIMINGS.deploymentUpdateMs})
  --delete-ms N     DELETING -> DELETED, in milliseconds (default ${CLI_TIMINGS.deploymentDeleteMs})
  -h, --help        print this help
`;

export class UsageError extends Error {}

export type ParsedArgs = { help: true } | { help: false; options: EmulatorOptions & { port: number } };

function nonNegativeInt(flag: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) > max) throw new UsageError(`${flag} expects an integer between 0 and ${max}, got "${text}"`);
  return Number(text);
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const timings = { ...CLI_TIMINGS };
  const options: EmulatorOptions & { port: number } = { port: 8080, timings };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "-h" || arg === "--help") return { help: true };
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    const takeValue = (): string => {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      }
      return value;
    };
    switch (flag) {
      case "--port":
        options.port = nonNegativeInt(flag, takeValue(), 65535);
        break;
      case "--host":
        options.host = takeValue();
        break;
      case "--api-key":
        options.apiKey = takeValue();
        break;
      case "--account-id":
        options.accountId = takeValue();
        break;
      case "--create-ms":
        timings.deploymentCreateMs = nonNegativeInt(flag, takeValue(), 3_600_000);
        break;
      case "--update-ms":
        timings.deploymentUpdateMs = nonNegativeInt(flag, takeValue(), 3_600_000);
        break;
      case "--delete-ms":
        timings.deploymentDeleteMs = nonNegativeInt(flag, takeValue(), 3_600_000);
        break;
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  return { help: false, options };
}

/** The lines a user pastes as environment variables (the real port, even with --port 0). */
export function banner(emulator: Emulator): string {
  return [
    "Fireworks emulator listening",
    `  FIREWORKS_BASE_URL=${emulator.url}`,
    `  FIREWORKS_ACCOUNT_ID=${emulator.accountId}`,
    `  FIREWORKS_API_KEY=${emulator.apiKey}`,
    "",
  ].join("\n");
}

/** Entry point of bin/fireworks-emulator.js. Resolves once the server is listening. */
export async function run(argv: readonly string[]): Promise<void> {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`fireworks-emulator: ${err.message}\nRun "fireworks-emulator --help" for usage.\n`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  let emulator: Emulator;
  try {
    emulator = await startEmulator(parsed.options);
  } catch (err) {
    process.stderr.write(`fireworks-emulator: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    return;
  }
  const stop = (): void => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    void emulator.close().then(() => process.exit(0));
  };
  // Handlers go in before the banner: whoever reads the banner may signal at once.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.stdout.write(banner(emulator));
}

if (typeof module !== "undefined" && require.main === module) {
  void run(process.argv.slice(2));
}
