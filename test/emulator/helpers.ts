import { afterAll, beforeAll, beforeEach } from "vitest";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";

export const BASE_MODEL = "accounts/fireworks/models/llama-v3p1-8b-instruct";

export interface ErrorBody {
  code: number;
  message: string;
  details: unknown[];
}

export interface Deployment {
  name?: string;
  displayName?: string;
  description?: string;
  state?: string;
  status?: { code?: string; message?: string };
  baseModel?: string;
  minReplicaCount?: number;
  maxReplicaCount?: number;
  replicaCount?: number;
  desiredReplicaCount?: number;
  replicaStats?: Record<string, number>;
  acceleratorType?: string;
  acceleratorCount?: number;
  precision?: string;
  enableAddons?: boolean;
  autoscalingPolicy?: { scaleUpWindow?: string; scaleDownWindow?: string; scaleToZeroWindow?: string; loadTargets?: Record<string, number> };
  placement?: { region?: string; multiRegion?: string; regions?: string[] };
  region?: string;
  deploymentShape?: string;
  createTime?: string;
  updateTime?: string;
  deleteTime?: string;
  purgeTime?: string;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface ListBody {
  deployments?: Deployment[];
  nextPageToken?: string;
  totalSize?: number;
}

export interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  /** Bearer key to send; null sends no Authorization header. Defaults to the emulator's key. */
  key?: string | null;
  /** Raw request body text (overrides `body`). */
  raw?: string;
  /** Extra headers; a null value removes a default one (e.g. content-type). */
  headers?: Record<string, string | null>;
}

/** A thin fetch wrapper: the tests talk to the real HTTP server exactly as a client would. */
export class Client {
  constructor(readonly emu: Emulator) {}

  get base(): string {
    return `/v1/accounts/${this.emu.accountId}/deployments`;
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const key = opts.key === undefined ? this.emu.apiKey : opts.key;
    if (key !== null) headers["authorization"] = `Bearer ${key}`;
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      if (value === null) delete headers[name];
      else headers[name] = value;
    }
    const payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const res = await fetch(this.emu.url + path, { method, headers, ...(payload !== undefined && { body: payload }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text === "" ? {} : JSON.parse(text)) as T, text };
  }

  create(body: Record<string, unknown>, query = ""): Promise<Reply<Deployment>> {
    return this.call<Deployment>("POST", `${this.base}${query}`, body);
  }

  get(id: string, query = ""): Promise<Reply<Deployment>> {
    return this.call<Deployment>("GET", `${this.base}/${id}${query}`);
  }

  list(query = ""): Promise<Reply<ListBody>> {
    return this.call<ListBody>("GET", `${this.base}${query}`);
  }

  patch(id: string, body: Record<string, unknown>, query = ""): Promise<Reply<Deployment>> {
    return this.call<Deployment>("PATCH", `${this.base}/${id}${query}`, body);
  }

  delete(id: string, query = ""): Promise<Reply<Record<string, unknown>>> {
    return this.call("DELETE", `${this.base}/${id}${query}`);
  }

  admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    return this.call<T>(method, `/_emulator${path}`, body, { key: null });
  }

  /** Polls GET until the deployment reaches `state` (or is gone, for state "GONE"), within a deadline. */
  async waitForState(id: string, state: string, timeoutMs = 5000): Promise<Deployment> {
    const deadline = Date.now() + timeoutMs;
    let last: Reply<Deployment> | undefined;
    while (Date.now() < deadline) {
      last = await this.get(id);
      if (state === "GONE" ? last.status === 404 : last.body.state === state) return last.body;
      await pause(5);
    }
    throw new Error(`deployment ${id} did not reach ${state} within ${timeoutMs} ms; last: ${last?.text ?? "none"}`);
  }

  /** Creates a deployment and waits for READY. */
  async createReady(id: string, extra: Record<string, unknown> = {}): Promise<Deployment> {
    const res = await this.create({ baseModel: BASE_MODEL, ...extra }, `?deploymentId=${id}`);
    if (res.status !== 200) throw new Error(`create ${id} failed: ${res.status} ${res.text}`);
    return this.waitForState(id, "READY");
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One emulator per test file: started before the tests, closed after them, and (with `resetEach`) emptied before
 * each test with every transition set to `timingMs`. `bind` receives the emulator and its client once started.
 */
export function useEmulator(bind: (emu: Emulator, client: Client) => void, opts: { resetEach?: boolean; timingMs?: number } = {}): void {
  let emu: Emulator | undefined;
  let client: Client | undefined;
  beforeAll(async () => {
    ({ emu, client } = await start());
    bind(emu, client);
  });
  afterAll(() => emu?.close());
  if (opts.resetEach) {
    beforeEach(async () => {
      await client?.admin("POST", "/reset");
      const ms = opts.timingMs;
      if (ms !== undefined) await client?.admin("PUT", "/timings", { deploymentCreateMs: ms, deploymentUpdateMs: ms, deploymentDeleteMs: ms });
    });
  }
}

export async function start(options: EmulatorOptions = {}): Promise<{ emu: Emulator; client: Client }> {
  const emu = await startEmulator(options);
  return { emu, client: new Client(emu) };
}
