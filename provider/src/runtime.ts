/**
 * Entry point of the provider runtime, loaded by package name ("pulumi-fireworks/runtime") inside the dynamic
 * provider process by the thin shim stored in each resource's `__provider` (see sdk/shim.ts). Because the shim only
 * forwards, delete and refresh always run the installed provider code, never a stale copy frozen in state.
 */
import { isLoopback, resolveConfig, type ConfigSource, type ProviderConfig } from "./config";
import { HttpClient } from "./http";
import * as lifecycle from "./lifecycle";
import { SPECS } from "./resources";
import type { ResourceSpec } from "./spec";
import type { Props } from "./values";

export const KINDS: readonly string[] = Object.keys(SPECS);

const CONFIG_NAMES = ["fireworks:apiKey", "fireworks:accountId", "fireworks:baseUrl"] as const;

let source: ConfigSource | undefined;
let configured: string | undefined;
let cached: { config: ProviderConfig; client: HttpClient; session: lifecycle.Session } | undefined;

/**
 * Called with the provider's configuration (stack config or explicit provider args). The dynamic-provider host
 * calls it once per distinct `__provider` text, and each kind has its own shim, so a process that manages several
 * kinds is configured several times, while other kinds' calls are in flight: the same configuration keeps the
 * client and session they use. A different one (not expected within one provider process) starts afresh, without
 * closing the old client under its callers.
 */
export async function configure(req: { config: ConfigSource }): Promise<void> {
  const values: Record<string, string | undefined> = {};
  for (const key of CONFIG_NAMES) values[key] = req.config.get(key);
  const fingerprint = JSON.stringify(CONFIG_NAMES.map((k) => values[k] ?? null));
  if (fingerprint === configured) return;
  configured = fingerprint;
  source = { get: (key) => values[key] };
  cached = undefined;
}

function context(): lifecycle.Context {
  if (!cached) {
    const config = resolveConfig(source);
    cached = { config, client: new HttpClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, userAgent: "pulumi-fireworks" }), session: {} };
  }
  return { config: cached.config, client: cached.client, session: cached.session, report: reportProgress, ...pollPacing(cached.config.baseUrl) };
}

/** The kind's line for the reviewer of a preview, e.g. a deployment's GPU footprint, named after the resource. */
function review(ctx: lifecycle.Context, spec: ResourceSpec, olds: Props | undefined, news: Props): void {
  const line = spec.reviewLine?.(olds, news);
  if (!line || !ctx.report) return;
  const owner = typeof news.__owner === "string" ? news.__owner : "";
  const resource = owner.split("/").slice(2).join("/") || spec.kind;
  ctx.report(`${spec.kind} ${resource}: ${line}`);
}

/** Progress lines for the engine's output (see Context.report); one line each, never a secret (names and states). */
function reportProgress(line: string): void {
  process.stderr.write(`[fireworks] ${line}\n`);
}

/** The fastest FIREWORKS_POLL_INTERVAL_MS honoured: against the emulator on this machine, and against anything else. */
export const MIN_POLL_INTERVAL_MS = { loopback: 10, remote: 1_000 } as const;

/**
 * Test and demo hook: poll faster than the production default (FIREWORKS_POLL_INTERVAL_MS). Bounded below, so a
 * stray setting cannot turn a wait into a request storm against the real API (which the production pacing, 1 s
 * backing off to 15 s, never does).
 */
export function pollPacing(baseUrl: string, env: NodeJS.ProcessEnv = process.env): Pick<lifecycle.Context, "pollInitialDelayMs" | "pollMaxDelayMs"> {
  const ms = Number(env.FIREWORKS_POLL_INTERVAL_MS);
  if (!Number.isFinite(ms) || ms <= 0) return {};
  const floor = isLoopbackUrl(baseUrl) ? MIN_POLL_INTERVAL_MS.loopback : MIN_POLL_INTERVAL_MS.remote;
  const interval = Math.max(ms, floor);
  return { pollInitialDelayMs: interval, pollMaxDelayMs: Math.max(interval, interval * 4) };
}

function isLoopbackUrl(baseUrl: string): boolean {
  try {
    return isLoopback(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

function specFor(kind: string): ResourceSpec {
  const spec = SPECS[kind];
  if (!spec) throw new Error(`pulumi-fireworks: unknown resource kind "${kind}"; this provider knows ${KINDS.join(", ")}`);
  return spec;
}

/** The dynamic ResourceProvider for one kind; the shim calls these with the raw property bags. */
export function provider(kind: string) {
  const spec = specFor(kind);
  return {
    async check(olds: Props, news: Props) {
      // Surface a configuration problem at preview, before anything is planned against the API.
      const ctx = context();
      const result = lifecycle.check(spec, olds ?? {}, news);
      // A new resource (or a replacement): say what it will cost, where the kind knows.
      if (result.failures.length === 0 && Object.keys(olds ?? {}).length === 0) review(ctx, spec, undefined, result.inputs);
      return result;
    },
    async diff(_id: string, olds: Props, news: Props) {
      // A stack pointed at another account fails its preview here, saying so, before anything acts on that account.
      const ctx = context();
      const moved = lifecycle.accountMismatch(spec, ctx, olds);
      if (moved) throw new Error(moved);
      const result = lifecycle.diff(spec, olds, news);
      if (result.changes) review(ctx, spec, olds, news);
      return result;
    },
    async create(inputs: Props) {
      return lifecycle.create(spec, context(), inputs);
    },
    async read(id: string, props: Props) {
      return lifecycle.read(spec, context(), id, props ?? {});
    },
    async update(id: string, olds: Props, news: Props) {
      return lifecycle.update(spec, context(), id, olds ?? {}, news);
    },
    async delete(id: string, props: Props) {
      return lifecycle.remove(spec, context(), id, props);
    },
  };
}
