/**
 * A client for the emulator's control channel (/_emulator/...) and its API, over HTTP like any other process
 * would use it. Tests use it to inject faults, make out-of-band changes and read the request log.
 */
import type { Emulator } from "../../emulator";

export interface LoggedRequest {
  method: string;
  path: string;
  query?: Record<string, string> | string;
  status: number;
}

export interface FaultSpec {
  method?: string;
  path?: string;
  times?: number;
  action:
    | { type: "status"; status: number; retryAfterSeconds?: number; message?: string; echo?: boolean }
    | { type: "drop" }
    | { type: "applyThenDrop" }
    | { type: "delay"; ms: number }
    | { type: "notFoundAfterCreate" };
}

export type Json = Record<string, unknown>;

export class EmulatorAdmin {
  constructor(readonly emulator: Emulator) {}

  private async call(method: string, path: string, body?: unknown, auth = false): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${this.emulator.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(auth ? { authorization: `Bearer ${this.emulator.apiKey}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  private async ok(method: string, path: string, body?: unknown): Promise<Json> {
    const res = await this.call(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  fault(spec: FaultSpec): Promise<Json> {
    return this.ok("POST", "/_emulator/faults", spec);
  }

  clearFaults(): Promise<Json> {
    return this.ok("DELETE", "/_emulator/faults");
  }

  async requests(): Promise<LoggedRequest[]> {
    const body = (await this.ok("GET", "/_emulator/requests")) as unknown;
    if (Array.isArray(body)) return body as LoggedRequest[];
    const wrapped = (body as { requests?: LoggedRequest[] }).requests;
    return wrapped ?? [];
  }

  clearRequests(): Promise<Json> {
    return this.ok("DELETE", "/_emulator/requests");
  }

  failDeployment(id: string, code: string, message: string): Promise<Json> {
    return this.ok("POST", `/_emulator/deployments/${id}/fail`, { code, message });
  }

  failNextCreate(code: string, message: string): Promise<Json> {
    return this.ok("POST", "/_emulator/fail-next-create", { code, message });
  }

  patchOutOfBand(id: string, patch: Json): Promise<Json> {
    return this.ok("PATCH", `/_emulator/deployments/${id}`, patch);
  }

  /** Emulator behaviour switches, e.g. `{ annotationsRestricted: true }` (annotations reserved for superusers). */
  setSettings(settings: Json): Promise<Json> {
    return this.ok("PUT", "/_emulator/settings", settings);
  }

  setTimings(timings: Json): Promise<Json> {
    return this.ok("PUT", "/_emulator/timings", timings);
  }

  /** GET an API path with the emulator's key; undefined on 404. */
  async get(path: string): Promise<Json | undefined> {
    const res = await this.call("GET", path, undefined, true);
    if (res.status === 404) return undefined;
    if (res.status >= 300) throw new Error(`GET ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async deployments(showDeleted = true): Promise<Json[]> {
    const body = await this.get(`/v1/accounts/${this.emulator.accountId}/deployments?pageSize=200&showDeleted=${showDeleted}`);
    return ((body?.deployments as Json[] | undefined) ?? []);
  }
}
