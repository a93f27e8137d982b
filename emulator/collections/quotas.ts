import type { CollectionModule, EmulatorContext, RouteEntry } from "../core/context";
import { formatTimestamp } from "../core/encoding";
import { ApiError, invalidArgument, notFound } from "../core/errors";
import { checkId } from "../core/ids";
import { getString, hasOwn, type JsonObject } from "../core/json";
import type { ApiReply, ApiRequest } from "../core/request";
import type { Router } from "../core/router";
import { decodeMessage, encodeMessage, t, type MessageSchema } from "../core/schema";
import { StandardCollection } from "../core/standard";

// Quotas (reference §13): seeded by the server, read and lowered by users, never created or deleted through the API
// (POST and DELETE get grpc-gateway's "Method Not Allowed"). `value` and `maxValue` are int64, so strings on the wire.

export const QUOTA_SCHEMA: MessageSchema = {
  name: "gateway.Quota",
  fields: {
    name: { type: t.string, output: true },
    value: { type: t.int64 },
    maxValue: { type: t.int64 },
    usage: { type: t.float, output: true },
    updateTime: { type: t.timestamp, output: true },
  },
};

/** Control-route body: anything the server side may set, without the API's rules. */
const SEED_SCHEMA: MessageSchema = {
  name: "emulator.QuotaSeed",
  fields: { value: { type: t.int64 }, maxValue: { type: t.int64 }, usage: { type: t.float } },
};

/**
 * The quotas every account starts with. Only these two IDs are documented ([DOCS] firectl examples); GPU quota IDs
 * are UNKNOWN. 6,000 RPM is the documented account-wide cap; the spend limit is an arbitrary tier.
 */
export const SEEDED_QUOTAS: Readonly<Record<string, { value: string; maxValue: string }>> = {
  "monthly-spend-usd": { value: "5000", maxValue: "5000" },
  "serverless-inference-rpm": { value: "6000", maxValue: "6000" },
};

export class Quotas implements CollectionModule {
  private readonly std: StandardCollection;

  constructor(private readonly ctx: EmulatorContext) {
    this.std = new StandardCollection(ctx, {
      collectionId: "quotas",
      singular: "quota",
      schema: QUOTA_SCHEMA,
      parent: { kind: "account" },
      idParam: "quotaId",
      // Never used: there is no create.
      id: { from: "server" },
      methods: {
        list: { query: ["pageSize", "pageToken", "filter", "orderBy", "readMask"] },
        get: { query: ["readMask"] },
      },
      list: { filter: { name: { key: "name" } }, order: { name: { key: "name" } }, defaultOrder: "name" },
    });
    this.seed();
  }

  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router, { update: { handler: (req) => this.update(req), query: ["allowMissing", "updateMask"] } });
  }

  /**
   * PATCH with `allowMissing`: "If true, and the quota does not exist, it will be created" — here only for a seeded
   * quota ID that a control route removed; an ID the server does not know stays 404 (README). The standard update is
   * not used because a missing quota is not always a 404.
   */
  private update(req: ApiRequest): ApiReply {
    const parent = this.std.parentOf(req);
    const id = req.params["quotaId"] ?? "";
    checkId(id, "quota id");
    const allowMissing = req.query.bool("allowMissing");
    const maskText = req.query.string("updateMask");
    const decoded = decodeMessage(QUOTA_SCHEMA, req.json());
    let entry = this.std.store.get(parent, id);
    if (!entry) {
      const seed = hasOwn(SEEDED_QUOTAS, id) ? SEEDED_QUOTAS[id] : undefined;
      if (!allowMissing || !seed) throw this.std.notFound(this.std.store.name(parent, id));
      entry = this.insert(id, seed.maxValue, seed.maxValue);
    }
    const paths = maskText !== undefined && maskText.trim() !== "" ? maskText.split(",").map((p) => p.trim()) : Object.keys(decoded);
    for (const path of paths) {
      if (!hasOwn(QUOTA_SCHEMA.fields, path)) throw invalidArgument(`updateMask: unknown field path "${path}" in ${QUOTA_SCHEMA.name}`);
    }
    const current = entry.resource;
    const maxValue = getString(current, "maxValue") || "0";
    // maxValue is "the maximum approved value": raised by Fireworks, not by the account (INFERRED, §13).
    if (paths.includes("maxValue") && (getString(decoded, "maxValue") || "0") !== maxValue) {
      throw new ApiError("PERMISSION_DENIED", `quota "${entry.name}": max_value can only be changed by Fireworks (it is ${maxValue})`);
    }
    if (paths.includes("value")) {
      const value = getString(decoded, "value") || "0";
      if (BigInt(value) < 0n) throw invalidArgument(`validation error: quota.value: must be greater than or equal to 0`);
      // firectl: "Must be less than max_value" — read as "at most", since a fresh quota's value equals its maximum.
      if (BigInt(value) > BigInt(maxValue)) {
        throw invalidArgument(`validation error: quota.value: ${value} exceeds the max_value ${maxValue} of quota "${entry.name}"`);
      }
      if (value !== (getString(current, "value") || "0")) {
        current["value"] = value;
        current["updateTime"] = formatTimestamp(this.ctx.now());
      }
    }
    return this.std.reply(current);
  }

  registerAdmin(router: Router<RouteEntry>): void {
    router
      // Sets what Fireworks would (a raised limit, usage), creating the quota if needed; no API rules apply.
      .add("PUT", "/_emulator/quotas/{quotaId}", {
        handler: (req) => {
          const id = req.params["quotaId"] ?? "";
          checkId(id, "quota id");
          const body = decodeMessage(SEED_SCHEMA, req.json());
          const entry = this.std.store.get(`accounts/${this.ctx.accountId}`, id) ?? this.insert(id, "0", "0");
          for (const [key, value] of Object.entries(body)) entry.resource[key] = value;
          entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
          return { body: encodeMessage(QUOTA_SCHEMA, entry.resource) };
        },
        query: [],
      })
      .add("DELETE", "/_emulator/quotas/{quotaId}", {
        handler: (req) => {
          const entry = this.std.store.get(`accounts/${this.ctx.accountId}`, req.params["quotaId"] ?? "");
          if (!entry) throw notFound(`quota "${req.params["quotaId"] ?? ""}" not found`);
          this.std.remove(entry);
          return { body: {} };
        },
        query: [],
      });
  }

  reset(): void {
    this.std.reset();
    this.seed();
  }

  private seed(): void {
    for (const [id, { value, maxValue }] of Object.entries(SEEDED_QUOTAS)) this.insert(id, value, maxValue);
  }

  private insert(id: string, value: string, maxValue: string): ReturnType<StandardCollection["findIn"]> {
    const resource: JsonObject = { name: `accounts/${this.ctx.accountId}/quotas/${id}`, value, maxValue, updateTime: formatTimestamp(this.ctx.now()) };
    return this.std.store.insert(`accounts/${this.ctx.accountId}`, id, resource);
  }
}
