import { randomUUID } from "node:crypto";
import { invalidArgument } from "./errors";
import { isObject, type Json, type JsonObject } from "./json";

// Fault injection for API routes (DESIGN §4): 429 with Retry-After, 5xx, dropped connections (before or after the
// request took effect), slow responses and a 404 right after create. Faults are matched in the order they were added; each matching request consumes one of
// its `times`.

export type FaultAction =
  | { type: "status"; status: number; retryAfterSeconds?: number; message?: string; echo?: boolean }
  | { type: "drop" }
  | { type: "applyThenDrop" }
  | { type: "delay"; ms: number }
  | { type: "notFoundAfterCreate" };

export interface Fault {
  id: string;
  method?: string;
  path?: string;
  remaining: number;
  action: FaultAction;
  /** notFoundAfterCreate: the resource path it became bound to when the next resource was created. */
  boundPath?: string;
}

const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"];
const MAX_DELAY_MS = 600_000;

function optionalString(body: JsonObject, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalidArgument(`${key} must be a string`);
  return v;
}

function optionalNumber(body: JsonObject, key: string, min: number, max: number, integer: boolean): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw invalidArgument(`${key} must be ${integer ? "an integer" : "a number"} between ${min} and ${max}`);
  }
  return v;
}

// A Map, not an object literal: `type` comes from the request, and "constructor" must not find Object's member.
const ACTION_KEYS = new Map<string, readonly string[]>([
  ["status", ["type", "status", "retryAfterSeconds", "message", "echo"]],
  ["drop", ["type"]],
  ["applyThenDrop", ["type"]],
  ["delay", ["type", "ms"]],
  ["notFoundAfterCreate", ["type"]],
]);

function parseAction(value: Json | undefined): FaultAction {
  if (!isObject(value)) throw invalidArgument('action must be an object with a "type"');
  const type = value["type"];
  const keys = typeof type === "string" ? ACTION_KEYS.get(type) : undefined;
  if (!keys) throw invalidArgument(`action.type must be one of ${[...ACTION_KEYS.keys()].join(", ")}`);
  for (const k of Object.keys(value)) if (!keys.includes(k)) throw invalidArgument(`unknown field action.${k}`);
  switch (type) {
    case "status": {
      const status = optionalNumber(value, "status", 400, 599, true);
      if (status === undefined) throw invalidArgument("action.status is required (400-599)");
      const retryAfterSeconds = optionalNumber(value, "retryAfterSeconds", 0, 86_400, false);
      const message = optionalString(value, "message");
      const echo = value["echo"];
      if (echo !== undefined && echo !== null && typeof echo !== "boolean") throw invalidArgument("action.echo must be true or false");
      return {
        type: "status",
        status,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
        ...(message !== undefined && { message }),
        ...(echo === true && { echo: true }),
      };
    }
    case "delay": {
      const ms = optionalNumber(value, "ms", 0, MAX_DELAY_MS, true);
      if (ms === undefined) throw invalidArgument(`action.ms is required (0-${MAX_DELAY_MS})`);
      return { type: "delay", ms };
    }
    case "drop":
      return { type: "drop" };
    case "applyThenDrop":
      return { type: "applyThenDrop" };
    default:
      return { type: "notFoundAfterCreate" };
  }
}

export class Faults {
  private faults: Fault[] = [];

  add(body: JsonObject): Fault {
    for (const k of Object.keys(body)) {
      if (!["method", "path", "times", "action"].includes(k)) throw invalidArgument(`unknown field "${k}"`);
    }
    const method = optionalString(body, "method")?.toUpperCase();
    if (method !== undefined && !METHODS.includes(method)) throw invalidArgument(`method must be one of ${METHODS.join(", ")}`);
    const path = optionalString(body, "path");
    const times = optionalNumber(body, "times", 1, 1_000_000, true) ?? 1;
    const action = parseAction(body["action"]);
    if (action.type === "notFoundAfterCreate" && method !== undefined && method !== "GET") {
      throw invalidArgument("notFoundAfterCreate applies to GET requests; omit method or use GET");
    }
    const fault: Fault = { id: randomUUID(), remaining: times, action, ...(method && { method }), ...(path !== undefined && { path }) };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): JsonObject[] {
    return this.faults.map((f) => ({
      id: f.id,
      method: f.method ?? null,
      path: f.path ?? null,
      remaining: f.remaining,
      action: { ...f.action },
      boundPath: f.boundPath ?? null,
    }));
  }

  /** The first status/drop/applyThenDrop/delay fault matching this request, consumed by one. */
  take(method: string, path: string): FaultAction | undefined {
    const fault = this.faults.find(
      (f) => f.action.type !== "notFoundAfterCreate" && (f.method === undefined || f.method === method) && (f.path === undefined || path.includes(f.path)),
    );
    return fault ? this.consume(fault) : undefined;
  }

  /** Binds waiting notFoundAfterCreate faults to a newly created resource's path. */
  resourceCreated(resourcePath: string): void {
    for (const f of this.faults) {
      if (f.action.type === "notFoundAfterCreate" && f.boundPath === undefined && (f.path === undefined || resourcePath.includes(f.path))) {
        f.boundPath = resourcePath;
      }
    }
  }

  /** True when this GET must pretend the resource does not exist yet (read-after-create lag). */
  takeNotFound(method: string, path: string): boolean {
    if (method !== "GET") return false;
    const fault = this.faults.find((f) => f.action.type === "notFoundAfterCreate" && f.boundPath === path);
    return fault ? this.consume(fault) !== undefined : false;
  }

  private consume(fault: Fault): FaultAction {
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault.action;
  }
}
