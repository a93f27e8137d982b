import type { CollectionModule, EmulatorContext, RouteEntry } from "../core/context";
import { formatTimestamp } from "../core/encoding";
import { checkId } from "../core/ids";
import { getString, type JsonObject } from "../core/json";
import type { ApiReply, ApiRequest } from "../core/request";
import type { Router } from "../core/router";
import { decodeMessage, t, type MessageSchema } from "../core/schema";
import type { Entry } from "../core/store";

// Resources the jobs reference but the emulator does not serve, seeded through the control channel:
// - evaluators (`accounts/{a}/evaluators/{e}`): a ReinforcementFineTuningJob needs one (reference §16), and the
//   Evaluator API is out of scope;
// - datasets, for as long as (or in addition to) a datasets collection: a job's `dataset` is accepted when a
//   registered "datasets" collection has it READY, or when its name was seeded here.
// Both are visible to the other collections through the registry ("evaluators", "seededDatasets").

const SEED_SCHEMA: MessageSchema = { name: "emulator.Seed", fields: { displayName: { type: t.string } } };

class SeedSet {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;

  constructor(
    private readonly ctx: EmulatorContext,
    readonly collection: string,
  ) {}

  put(id: string, body: JsonObject): Entry {
    checkId(id, `${this.collection} id`);
    const decoded = decodeMessage(SEED_SCHEMA, body);
    const parent = `accounts/${this.ctx.accountId}`;
    const name = `${parent}/${this.collection}/${id}`;
    const resource: JsonObject = { name, state: "READY", createTime: formatTimestamp(this.ctx.now()) };
    const displayName = getString(decoded, "displayName");
    if (displayName !== "") resource["displayName"] = displayName;
    const entry: Entry = { id, parent, name, seq: ++this.seq, resource };
    this.entries.set(name, entry);
    return entry;
  }

  remove(id: string): boolean {
    return this.entries.delete(`accounts/${this.ctx.accountId}/${this.collection}/${id}`);
  }

  find(name: string): Entry | undefined {
    return this.entries.get(name);
  }

  list(): JsonObject[] {
    return [...this.entries.values()].map((e) => e.resource);
  }

  clear(): void {
    this.entries.clear();
  }
}

export class Seeds implements CollectionModule {
  private readonly evaluators: SeedSet;
  private readonly datasets: SeedSet;

  constructor(ctx: EmulatorContext) {
    this.evaluators = new SeedSet(ctx, "evaluators");
    this.datasets = new SeedSet(ctx, "datasets");
    ctx.registry.register("evaluators", { find: (name) => this.evaluators.find(name) });
    ctx.registry.register("seededDatasets", { find: (name) => this.datasets.find(name) });
  }

  registerApi(): void {
    // No public API: evaluators are out of scope, datasets have their own collection.
  }

  registerAdmin(router: Router<RouteEntry>): void {
    for (const [path, set] of [
      ["evaluators", this.evaluators],
      ["seeded-datasets", this.datasets],
    ] as const) {
      router
        .add("PUT", `/_emulator/${path}/{id}`, { handler: (req) => this.put(set, req), query: [] })
        .add("DELETE", `/_emulator/${path}/{id}`, { handler: (req) => this.remove(set, req), query: [] })
        .add("GET", `/_emulator/${path}`, { handler: () => ({ body: { [set.collection]: set.list() } }), query: [] });
    }
  }

  reset(): void {
    this.evaluators.clear();
    this.datasets.clear();
  }

  private put(set: SeedSet, req: ApiRequest): ApiReply {
    return { body: set.put(req.params["id"] ?? "", req.json()).resource };
  }

  private remove(set: SeedSet, req: ApiRequest): ApiReply {
    set.remove(req.params["id"] ?? "");
    return { body: {} };
  }
}
