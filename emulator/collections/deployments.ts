import type { CollectionModule, EmulatorContext, RouteEntry } from "../core/context";
import { formatTimestamp } from "../core/encoding";
import { DEPLOYMENT_STATES, STATUS_CODES, type DeploymentState } from "../core/enums";
import { failedPrecondition, invalidArgument } from "../core/errors";
import { clone, getNumber, getObject, getString, deepEqual, type JsonObject } from "../core/json";
import type { ApiReply, ApiRequest } from "../core/request";
import type { Router } from "../core/router";
import { decodeMessage, encodeMessage, fieldOf, t, type MessageSchema } from "../core/schema";
import { StandardCollection } from "../core/standard";
import type { Entry } from "../core/store";
import { applyDefaults, regionFor, rollsReplicas, targetReplicas, validate } from "./deployment-rules";
import { DEPLOYMENT_SCHEMA, PLACEMENT_SCHEMA, STATUS_SCHEMA } from "./deployment-schema";

// Deployments: methods of reference §4.1, the state machine of §4.4. Create, get, list and update are the standard
// methods with hooks; DELETE (soft, timed, `hard`), `:undelete` and `:scale` are written here.

/** Soft-deleted deployments are hard deleted this long after deletion (retention is UNKNOWN, §22.5; README). */
export const SOFT_DELETE_RETENTION_MS = 7 * 24 * 3600 * 1000;

export const DEFAULT_FAILURE = { code: "RESOURCE_EXHAUSTED", message: "No H100 capacity in US_IOWA_1" } as const;

const SCALE_SCHEMA: MessageSchema = { name: "gateway.ScaleDeploymentRequest", fields: { replicaCount: { type: t.int32 } } };
const UNDELETE_SCHEMA: MessageSchema = { name: "gateway.UndeleteDeploymentRequest", fields: {} };
const FAILURE_SCHEMA: MessageSchema = { name: "emulator.Failure", fields: STATUS_SCHEMA.fields };

interface Failure {
  code: string;
  message: string;
}

export class Deployments implements CollectionModule {
  private readonly std: StandardCollection;
  /** Failures queued by /_emulator/fail-next-create, consumed by the next creates in order. */
  private pendingFailures: Failure[] = [];
  /** Deployments whose pending delete is a hard one. */
  private readonly hardDeletes = new Set<string>();

  constructor(private readonly ctx: EmulatorContext) {
    this.std = new StandardCollection(ctx, {
      collectionId: "deployments",
      singular: "deployment",
      schema: DEPLOYMENT_SCHEMA,
      parent: { kind: "account" },
      idParam: "deploymentId",
      id: { from: "query", param: "deploymentId" },
      methods: {
        create: { query: ["deploymentId", "validateOnly", "disableAutoDeploy", "disableSpeculativeDecoding", "skipShapeValidation", "skipImageTagValidation"] },
        list: { query: ["pageSize", "pageToken", "filter", "orderBy", "showDeleted", "readMask"] },
        get: { query: ["readMask"] },
        update: { query: ["skipShapeValidation", "updateMask"] },
      },
      flags: { create: ["disableAutoDeploy", "disableSpeculativeDecoding", "skipShapeValidation", "skipImageTagValidation"], update: ["skipShapeValidation"] },
      validateOnly: true,
      // baseModel is checked by `beforeUpdate` (required and unchanged) and never part of the mask.
      update: { mode: "mask", updateMask: true, ignore: ["baseModel"] },
      list: {
        filter: {
          state: { key: "state", values: DEPLOYMENT_STATES },
          displayName: { key: "displayName" },
          display_name: { key: "displayName" },
          baseModel: { key: "baseModel" },
          base_model: { key: "baseModel" },
          name: { key: "name" },
        },
        order: {
          create_time: { key: "createTime", timestamp: true },
          createTime: { key: "createTime", timestamp: true },
          update_time: { key: "updateTime", timestamp: true },
          updateTime: { key: "updateTime", timestamp: true },
          name: { key: "name" },
          display_name: { key: "displayName" },
          displayName: { key: "displayName" },
        },
        defaultOrder: "create_time",
        showDeleted: true,
      },
      softDelete: { stateField: "state", deletedState: "DELETED", deleteTimeField: "deleteTime", purgeTimeField: "purgeTime", retentionMs: SOFT_DELETE_RETENTION_MS },
      timings: { createMs: 50, updateMs: 50, deleteMs: 50 },
      hooks: {
        prepare: (draft) => {
          applyDefaults(draft, true);
          validate(draft);
        },
        created: (entry) => {
          this.startCreating(entry.resource);
          // validateOnly returns before this hook, so it does not spend a queued failure.
          this.scheduleCreate(entry, this.pendingFailures.shift());
        },
        beforeUpdate: (entry, decoded) => {
          const state = this.state(entry);
          if (state === "DELETED" || state === "DELETING" || state === "FAILED") {
            throw failedPrecondition(`deployment "${entry.name}" is ${state} and cannot be updated`);
          }
          // baseModel is REQUIRED in the UpdateDeployment body (SDK DeploymentUpdateParams) and IMMUTABLE ([PROTO]).
          const baseModel = getString(decoded, "baseModel");
          if (baseModel === "") throw invalidArgument("validation error: deployment.base_model: value is required");
          if (baseModel !== getString(entry.resource, "baseModel")) {
            throw invalidArgument(`deployment.base_model: field is immutable (is "${getString(entry.resource, "baseModel")}", got "${baseModel}")`);
          }
        },
        validateUpdate: (after, before) => {
          applyDefaults(after, false);
          if (!deepEqual(encodeMessage(PLACEMENT_SCHEMA, getObject(before, "placement") ?? {}), encodeMessage(PLACEMENT_SCHEMA, getObject(after, "placement") ?? {}))) {
            throw invalidArgument("deployment.placement: field is immutable");
          }
          validate(after);
        },
        updated: (entry, before) => {
          const state = this.state(entry);
          entry.resource["desiredReplicaCount"] = targetReplicas(entry.resource, getNumber(before, "desiredReplicaCount"));
          // A change during CREATING is picked up when creation finishes; a change to serving config of a running
          // deployment rolls its replicas (UPDATING, §4.4).
          if (rollsReplicas(before, entry.resource) && state !== "CREATING") this.startUpdating(entry);
        },
      },
    });
  }

  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router, { delete: { handler: (req) => this.delete(req), query: ["hard", "ignoreChecks"] } });
    router
      .add("POST", `${this.std.resourcePath}:undelete`, { handler: (req) => this.undelete(req), query: [] })
      .add("PATCH", `${this.std.resourcePath}:scale`, { handler: (req) => this.scale(req), query: [] });
  }

  registerAdmin(router: Router<RouteEntry>): void {
    router
      .add("POST", "/_emulator/deployments/{deploymentId}/fail", { handler: (req) => this.adminFail(req), query: [] })
      .add("PATCH", "/_emulator/deployments/{deploymentId}", { handler: (req) => this.adminPatch(req), query: [] })
      .add("POST", "/_emulator/fail-next-create", { handler: (req) => this.adminFailNextCreate(req), query: [] });
  }

  reset(): void {
    this.std.reset();
    this.pendingFailures = [];
    this.hardDeletes.clear();
  }

  // ---- custom methods ----

  private scale(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    const body = decodeMessage(SCALE_SCHEMA, req.json());
    const n = getNumber(body, "replicaCount");
    const state = this.state(entry);
    if (state === "DELETED" || state === "DELETING" || state === "FAILED") {
      throw failedPrecondition(`deployment "${entry.name}" is ${state} and cannot be scaled`);
    }
    // firectl: "The desired number of replicas. Must be non-negative." Staying inside the autoscaler bounds is the
    // stricter reading of an UNKNOWN relationship (README).
    if (n < 0) throw invalidArgument("replica_count: value must be greater than or equal to 0");
    const min = getNumber(entry.resource, "minReplicaCount");
    const max = getNumber(entry.resource, "maxReplicaCount");
    if (n < min || n > max) {
      throw invalidArgument(`replica_count: ${n} is outside [min_replica_count, max_replica_count] = [${min}, ${max}]`);
    }
    entry.resource["desiredReplicaCount"] = n;
    entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
    if (state !== "CREATING") this.startUpdating(entry);
    return { body: {} };
  }

  private delete(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    const hard = req.query.bool("hard");
    req.query.bool("ignoreChecks");
    const state = this.state(entry);
    if (state === "DELETED") {
      if (!hard) throw failedPrecondition(`deployment "${entry.name}" is already deleted; use hard=true to purge it`);
      this.std.remove(entry);
      return { body: {} };
    }
    if (state === "DELETING") {
      if (!hard) throw failedPrecondition(`deployment "${entry.name}" is already being deleted`);
      this.hardDeletes.add(entry.name);
      return { body: {} };
    }
    if (hard) this.hardDeletes.add(entry.name);
    else this.hardDeletes.delete(entry.name);
    this.setState(entry, "DELETING");
    this.std.schedule(entry, "delete", () => this.finishDelete(entry));
    return { body: {} };
  }

  private undelete(req: ApiRequest): ApiReply {
    const entry = this.std.find(req);
    decodeMessage(UNDELETE_SCHEMA, req.json());
    const state = this.state(entry);
    // "You can only undelete a deployment with DELETED or FAILED status." (§4.1)
    if (state !== "DELETED" && state !== "FAILED") {
      throw failedPrecondition(`deployment "${entry.name}" is ${state}; only DELETED or FAILED deployments can be undeleted`);
    }
    for (const key of ["deleteTime", "purgeTime", "status"]) delete entry.resource[key];
    entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
    this.startCreating(entry.resource);
    this.scheduleCreate(entry, undefined);
    return this.std.reply(entry.resource);
  }

  // ---- state machine ----

  private startCreating(dep: JsonObject): void {
    const desired = targetReplicas(dep, 1);
    dep["state"] = "CREATING";
    dep["desiredReplicaCount"] = desired;
    dep["replicaCount"] = 0;
    if (desired > 0) dep["replicaStats"] = { pendingSchedulingReplicaCount: desired };
    else delete dep["replicaStats"];
  }

  private scheduleCreate(entry: Entry, failure: Failure | undefined): void {
    this.std.schedule(entry, "create", () => {
      const current = this.std.store.getByName(entry.name);
      if (!current || this.state(current) !== "CREATING") return;
      if (failure) this.markFailed(current, failure);
      else this.becomeReady(current);
    });
  }

  private startUpdating(entry: Entry): void {
    this.setState(entry, "UPDATING");
    this.std.schedule(entry, "update", () => {
      const current = this.std.store.getByName(entry.name);
      if (current && this.state(current) === "UPDATING") this.becomeReady(current);
    });
  }

  private becomeReady(entry: Entry): void {
    const dep = entry.resource;
    const replicas = getNumber(dep, "desiredReplicaCount");
    dep["replicaCount"] = replicas;
    if (replicas > 0) dep["replicaStats"] = { readyReplicaCount: replicas };
    else delete dep["replicaStats"];
    dep["region"] = regionFor(getObject(dep, "placement"));
    delete dep["status"];
    this.setState(entry, "READY");
  }

  private markFailed(entry: Entry, failure: Failure): void {
    this.std.cancelTimer(entry);
    const dep = entry.resource;
    dep["status"] = { code: failure.code, message: failure.message };
    dep["replicaCount"] = 0;
    delete dep["replicaStats"];
    this.setState(entry, "FAILED");
  }

  private finishDelete(entry: Entry): void {
    const current = this.std.store.getByName(entry.name);
    if (!current || this.state(current) !== "DELETING") return;
    if (this.hardDeletes.delete(current.name)) {
      this.std.remove(current);
      return;
    }
    const now = this.ctx.now();
    const dep = current.resource;
    dep["deleteTime"] = formatTimestamp(now);
    dep["purgeTime"] = formatTimestamp(now + SOFT_DELETE_RETENTION_MS);
    dep["replicaCount"] = 0;
    dep["desiredReplicaCount"] = 0;
    delete dep["replicaStats"];
    this.setState(current, "DELETED");
  }

  private setState(entry: Entry, state: DeploymentState): void {
    entry.resource["state"] = state;
    entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
  }

  private state(entry: Entry): DeploymentState {
    return (getString(entry.resource, "state") || "STATE_UNSPECIFIED") as DeploymentState;
  }

  // ---- /_emulator control ----

  private adminFail(req: ApiRequest): ApiReply {
    const entry = this.std.findForControl(req.params["deploymentId"] ?? "");
    this.markFailed(entry, this.readFailure(req.json()));
    return this.std.reply(entry.resource);
  }

  private adminFailNextCreate(req: ApiRequest): ApiReply {
    this.pendingFailures.push(this.readFailure(req.json()));
    return { body: { queued: this.pendingFailures.length } };
  }

  /** Simulates a change made outside the API (e.g. in the console): shallow merge, no validation, no state change. */
  private adminPatch(req: ApiRequest): ApiReply {
    const entry = this.std.findForControl(req.params["deploymentId"] ?? "");
    const patch = req.json();
    // Unvalidated values, but only Deployment fields: a key like "constructor" is refused, not stored.
    for (const key of Object.keys(patch)) {
      if (!fieldOf(DEPLOYMENT_SCHEMA, key)) throw invalidArgument(`unknown field "${key}" in ${DEPLOYMENT_SCHEMA.name}`);
    }
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete entry.resource[key];
      else entry.resource[key] = clone(value);
    }
    entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
    return this.std.reply(entry.resource);
  }

  private readFailure(body: JsonObject): Failure {
    const decoded = decodeMessage(FAILURE_SCHEMA, body);
    const code = getString(decoded, "code") || DEFAULT_FAILURE.code;
    if (!(STATUS_CODES as readonly string[]).includes(code)) throw invalidArgument(`unknown status code "${code}"`);
    return { code, message: getString(decoded, "message") || DEFAULT_FAILURE.message };
  }
}
