import { checkTimings } from "./admin";
import type { Timings } from "./context";
import { idProblem } from "./ids";
import { EmulatorServer } from "./server";

export type { Timings } from "./context";

export const DEFAULT_API_KEY = "emulator-api-key";
export const DEFAULT_ACCOUNT_ID = "emulator";

/** Library default: tiny so tests run fast. The CLI uses demo-sized timings instead. */
export const DEFAULT_TIMINGS: Timings = {
  deploymentCreateMs: 50,
  deploymentUpdateMs: 50,
  deploymentDeleteMs: 50,
};

export interface EmulatorOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Default "emulator-api-key". */
  apiKey?: string;
  /** Default "emulator". */
  accountId?: string;
  timings?: Partial<Timings>;
}

export interface Emulator {
  /** The API base URL, e.g. "http://127.0.0.1:43121" (no trailing slash). */
  url: string;
  accountId: string;
  apiKey: string;
  /** Stops the server and every timer, and closes keep-alive sockets. */
  close(): Promise<void>;
}

/** Starts a Fireworks control-plane emulator on loopback. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);
  if (apiKey === "" || /\s/.test(apiKey)) throw new Error("apiKey must be a non-empty string without whitespace");
  const problem = idProblem(accountId);
  if (problem) throw new Error(`invalid accountId "${accountId}": ${problem}`);
  checkTimings(options.timings ?? {});
  const timings: Timings = { ...DEFAULT_TIMINGS, ...options.timings };

  const server = new EmulatorServer({ host, port, apiKey, accountId, timings });
  const address = await server.listen();
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    accountId,
    apiKey,
    close: () => server.close(),
  };
}
