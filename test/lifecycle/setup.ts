/**
 * One emulator and one provider context per lifecycle test file: the provider runtime's hooks against a real
 * emulator over HTTP, in process, with fast polling and fast client retries.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";
import { HttpClient } from "../../provider/src/http";
import * as lifecycle from "../../provider/src/lifecycle";
import { deploymentSpec } from "../../provider/src/resources/deployment";
import type { Props } from "../../provider/src/values";
import { EmulatorAdmin } from "../support/admin";

export const LLAMA = "accounts/fireworks/models/llama-v3p1-8b-instruct";
export const TIMINGS = { deploymentCreateMs: 60, deploymentUpdateMs: 40, deploymentDeleteMs: 30 };

export interface LifecycleEnv {
  emulator: Emulator;
  admin: EmulatorAdmin;
  client: HttpClient;
  ctx: lifecycle.Context;
  /** Checked inputs for a fresh resource name, as the engine would pass them to create. */
  inputs(extra?: Props, owner?: { stack?: string; instance?: string }): Props;
  /** A provider context of another process (its own session), e.g. a second stack's provider. */
  otherContext(): lifecycle.Context;
  /** Calls the emulator's API with its key, as someone outside Pulumi would; throws on a non-2xx answer. */
  api(method: string, path: string, body?: unknown): Promise<Props>;
}

export function useLifecycle(options: Partial<EmulatorOptions> = {}): LifecycleEnv {
  let n = 0;
  const clients: HttpClient[] = [];
  const newClient = (): HttpClient => {
    const c = new HttpClient({ baseUrl: env.emulator.url, apiKey: env.emulator.apiKey, retry: { baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50 } });
    clients.push(c);
    return c;
  };
  const contextWith = (client: HttpClient): lifecycle.Context => ({
    config: { baseUrl: env.emulator.url, accountId: env.emulator.accountId, apiKey: env.emulator.apiKey },
    client,
    session: {},
    pollInitialDelayMs: 10,
    pollMaxDelayMs: 30,
  });
  const env = {
    inputs(extra: Props = {}, owner: { stack?: string; instance?: string } = {}): Props {
      n += 1;
      const news = { baseModel: LLAMA, __owner: `proj/${owner.stack ?? "dev"}/dep${n}`, __instance: owner.instance ?? "instance-a", ...extra };
      const checked = lifecycle.check(deploymentSpec, {}, news);
      expect(checked.failures).toEqual([]);
      return checked.inputs;
    },
    otherContext: () => contextWith(newClient()),
    async api(method: string, path: string, body?: unknown): Promise<Props> {
      const res = await fetch(`${env.emulator.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${env.emulator.apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
      return text ? (JSON.parse(text) as Props) : {};
    },
  } as LifecycleEnv;

  beforeAll(async () => {
    env.emulator = await startEmulator({ timings: TIMINGS, ...options });
    env.admin = new EmulatorAdmin(env.emulator);
    env.client = newClient();
    env.ctx = contextWith(env.client);
  });
  beforeEach(async () => {
    await env.admin.clearRequests();
  });
  afterEach(async () => {
    await env.admin.clearFaults();
    await env.admin.setTimings(TIMINGS);
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await env.emulator?.close();
  });
  return env;
}
