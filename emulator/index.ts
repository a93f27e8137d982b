import { COLLECTIONS } from "./collections";
import { ApiError } from "./core/errors";
import { idProblem } from "./core/ids";
import type { JsonObject } from "./core/json";
import { EmulatorServer } from "./core/server";
import type { Timings } from "./core/timings";

export type { CollectionTimings, DeploymentTimingAliases, Timings } from "./core/timings";

export const DEFAULT_API_KEY = "emulator-api-key";
export const DEFAULT_ACCOUNT_ID = "emulator";

/**
 * Library default of the Deployment transitions, under their flat aliases: tiny so tests run fast. Each collection
 * declares its own defaults; the CLI uses demo-sized timings instead.
 */
export const DEFAULT_TIMINGS: Timings = {
  deploymentCreateMs: 50,
  deploymentUpdateMs: 50,
  deploymentDeleteMs: 50,
};

export interface EmulatorOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  /** Default "127.0.0.1". Anything but loopback also puts the control channel behind the API key. */
  host?: string;
  /** Default "emulator-api-key". */
  apiKey?: string;
  /** Default "emulator". */
  accountId?: string;
  /** Per collection (`{deployments: {createMs: 20}}`) and/or flat aliases (`{deploymentCreateMs: 20}`). */
  timings?: Timings;
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

  const server = new EmulatorServer({ host, port, apiKey, accountId, collections: COLLECTIONS });
  try {
    server.timings.apply(timingsJson(options.timings ?? {}));
  } catch (err) {
    throw new Error(`invalid timings: ${err instanceof ApiError ? err.message : String(err)}`);
  }
  const address = await server.listen();
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    accountId,
    apiKey,
    close: () => server.close(),
  };
}

/** Options may carry `undefined` for a transition left at its default. */
function timingsJson(timings: Timings): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(timings)) {
    if (value === undefined) continue;
    if (typeof value === "number") {
      out[key] = value;
      continue;
    }
    const inner: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) inner[k] = v;
    out[key] = inner;
  }
  return out;
}
