import { DEFAULT_SETTINGS, type RouteEntry, type Settings } from "./context";
import { invalidArgument, notFound } from "./errors";
import type { Faults } from "./faults";
import type { RequestLog } from "./requestlog";
import type { Router } from "./router";
import type { TimingTable } from "./timings";

// The control channel under /_emulator/ (guarded by the server, never fault-injected, never logged): lets a test in
// another process inject faults, read the request log, change timings and settings, and reset state. Collection
// control routes (e.g. /_emulator/deployments/{id}/fail) are registered by the collection modules.

export interface AdminDeps {
  faults: Faults;
  log: RequestLog;
  timings: TimingTable;
  settings: Settings;
  reset(): void;
}

const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[];

export function registerAdmin(router: Router<RouteEntry>, deps: AdminDeps): void {
  const done = (fn: () => void) => ({
    handler: () => {
      fn();
      return { body: {} };
    },
    query: [],
  });
  router
    .add("POST", "/_emulator/faults", { handler: (req) => ({ body: { id: deps.faults.add(req.json()).id } }), query: [] })
    .add("GET", "/_emulator/faults", { handler: () => ({ body: { faults: deps.faults.list() } }), query: [] })
    .add("DELETE", "/_emulator/faults", done(() => deps.faults.clear()))
    .add("GET", "/_emulator/requests", { handler: () => ({ body: deps.log.toJson() }), query: [] })
    .add("DELETE", "/_emulator/requests", done(() => deps.log.clear()))
    // The flat form (`deploymentCreateMs`, ...) covers every collection's timings under their aliases.
    .add("GET", "/_emulator/timings", { handler: () => ({ body: deps.timings.flat() }), query: [] })
    .add("PUT", "/_emulator/timings", {
      handler: (req) => {
        deps.timings.apply(req.json());
        return { body: deps.timings.flat() };
      },
      query: [],
    })
    .add("GET", "/_emulator/timings/{collection}", {
      handler: (req) => {
        const collection = req.params["collection"] ?? "";
        const timings = deps.timings.of(collection);
        if (!timings) throw notFound(`collection "${collection}" has no timings`);
        return { body: { ...timings } };
      },
      query: [],
    })
    .add("PUT", "/_emulator/timings/{collection}", {
      handler: (req) => {
        const collection = req.params["collection"] ?? "";
        if (!deps.timings.of(collection)) throw notFound(`collection "${collection}" has no timings`);
        deps.timings.apply({ [collection]: req.json() });
        return { body: { ...deps.timings.of(collection) } };
      },
      query: [],
    })
    .add("GET", "/_emulator/settings", { handler: () => ({ body: { ...deps.settings } }), query: [] })
    .add("PUT", "/_emulator/settings", {
      handler: (req) => {
        const updates: Partial<Settings> = {};
        for (const [key, value] of Object.entries(req.json())) {
          const settingKey = SETTING_KEYS.find((k) => k === key);
          if (!settingKey) throw invalidArgument(`unknown field "${key}": not a setting; known: ${SETTING_KEYS.join(", ")}`);
          if (typeof value !== "boolean") throw invalidArgument(`${key} must be true or false`);
          updates[settingKey] = value;
        }
        Object.assign(deps.settings, updates);
        return { body: { ...deps.settings } };
      },
      query: [],
    })
    .add("POST", "/_emulator/reset", done(() => deps.reset()));
}
