import type { RouteEntry, Timings } from "./context";
import { invalidArgument } from "./errors";
import type { Faults } from "./faults";
import type { RequestLog } from "./requestlog";
import type { Router } from "./router";

// The control channel under /_emulator/ (no bearer auth, never fault-injected, never logged): lets a test in
// another process inject faults, read the request log, change timings and reset state. Resource-specific control
// routes (e.g. /_emulator/deployments/{id}/fail) are registered by the resource modules.

export interface AdminDeps {
  faults: Faults;
  log: RequestLog;
  timings: Timings;
  reset(): void;
}

const TIMING_KEYS: readonly (keyof Timings)[] = ["deploymentCreateMs", "deploymentUpdateMs", "deploymentDeleteMs"];

export function registerAdmin(router: Router<RouteEntry>, deps: AdminDeps): void {
  router
    .add("POST", "/_emulator/faults", { handler: (req) => ({ body: { id: deps.faults.add(req.json()).id } }), query: [] })
    .add("GET", "/_emulator/faults", { handler: () => ({ body: { faults: deps.faults.list() } }), query: [] })
    .add("DELETE", "/_emulator/faults", {
      handler: () => {
        deps.faults.clear();
        return { body: {} };
      },
      query: [],
    })
    .add("GET", "/_emulator/requests", { handler: () => ({ body: deps.log.toJson() }), query: [] })
    .add("DELETE", "/_emulator/requests", {
      handler: () => {
        deps.log.clear();
        return { body: {} };
      },
      query: [],
    })
    .add("GET", "/_emulator/timings", { handler: () => ({ body: { ...deps.timings } }), query: [] })
    .add("PUT", "/_emulator/timings", {
      handler: (req) => {
        const body = req.json();
        const updates: Partial<Timings> = {};
        for (const [key, value] of Object.entries(body)) {
          const timingKey = TIMING_KEYS.find((k) => k === key);
          if (!timingKey) throw invalidArgument(`unknown timing "${key}"; known: ${TIMING_KEYS.join(", ")}`);
          if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
            throw invalidArgument(`${key} must be a non-negative integer number of milliseconds`);
          }
          updates[timingKey] = value;
        }
        Object.assign(deps.timings, updates);
        return { body: { ...deps.timings } };
      },
      query: [],
    })
    .add("POST", "/_emulator/reset", {
      handler: () => {
        deps.reset();
        return { body: {} };
      },
      query: [],
    });
}

export function checkTimings(timings: Partial<Timings>): void {
  for (const [key, value] of Object.entries(timings)) {
    if (!TIMING_KEYS.some((k) => k === key)) throw new Error(`unknown timing "${key}"`);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new Error(`timing ${key} must be a non-negative number`);
  }
}
