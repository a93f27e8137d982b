import type { EmulatorContext, ResourceModule, RouteEntry } from "./context";
import { DEPLOYMENT_SCHEMA, PLACEMENT_SCHEMA, STATUS_SCHEMA } from "./deployment-schema";
import { applyDefaults, regionFor, rollsReplicas, sameOnWire, targetReplicas, validate } from "./deployment-rules";
import { formatTimestamp } from "./encoding";
import { STATUS_CODES, type DeploymentState } from "./enums";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "./errors";
import { applyMask, maskFromBody, parseMaskParam, projectMask } from "./fieldmask";
import { compareBy, parseFilter, parseOrderBy } from "./filter";
import { checkId, randomId } from "./ids";
import { clone, deepEqual, getNumber, getObject, getString, type JsonObject } from "./json";
import { page, readPageRequest } from "./pagination";
import type { ApiReply, ApiRequest } from "./request";
import type { Router } from "./router";
import { decodeMessage, encodeMessage, stripOutputOnly, t, type MessageSchema } from "./schema";
import { Collection, type Entry } from "./store";

// Deployments: methods of reference §4.1, the state machine of §4.4.

const COLLECTION = "/v1/accounts/{accountId}/deployments";
const RESOURCE = `${COLLECTION}/{deploymentId}`;

/** Soft-deleted deployments are hard deleted this long after deletion (retention is UNKNOWN, §22.5; README). */
export const SOFT_DELETE_RETENTION_MS = 7 * 24 * 3600 * 1000;

export const DEFAULT_FAILURE = { code: "RESOURCE_EXHAUSTED", message: "No H100 capacity in US_IOWA_1" } as const;

const SCALE_SCHEMA: MessageSchema = { name: "gateway.ScaleDeploymentRequest", fields: { replicaCount: { type: t.int32 } } };
const UNDELETE_SCHEMA: MessageSchema = { name: "gateway.UndeleteDeploymentRequest", fields: {} };
const FAILURE_SCHEMA: MessageSchema = { name: "emulator.Failure", fields: STATUS_SCHEMA.fields };

const FILTER_FIELDS = {
  state: { key: "state", values: ["STATE_UNSPECIFIED", "CREATING", "READY", "DELETING", "FAILED", "UPDATING", "DELETED"] },
  displayName: { key: "displayName" },
  display_name: { key: "displayName" },
  baseModel: { key: "baseModel" },
  base_model: { key: "baseModel" },
  name: { key: "name" },
};

const ORDER_FIELDS = {
  create_time: { key: "createTime", timestamp: true },
  createTime: { key: "createTime", timestamp: true },
  update_time: { key: "updateTime", timestamp: true },
  updateTime: { key: "updateTime", timestamp: true },
  name: { key: "name" },
  display_name: { key: "displayName" },
  displayName: { key: "displayName" },
};

interface Failure {
  code: string;
  message: string;
}

export class Deployments implements ResourceModule {
  private readonly collection: Collection;
  /** Failures queued by /_emulator/fail-next-create, consumed by the next creates in order. */
  private pendingFailures: Failure[] = [];
  /** Deployments whose pending delete is a hard one. */
  private readonly hardDeletes = new Set<string>();

  constructor(private readonly ctx: EmulatorContext) {
    this.collection = new Collection(`accounts/${ctx.accountId}`, "deployments", () => ctx.now(), {
      stateField: "state",
      deletedState: "DELETED",
      purgeTimeField: "purgeTime",
    });
  }

  registerApi(router: Router<RouteEntry>): void {
    router
      .add("POST", COLLECTION, {
        handler: (req) => this.create(req),
        query: ["deploymentId", "validateOnly", "disableAutoDeploy", "disableSpeculativeDecoding", "skipShapeValidation", "skipImageTagValidation"],
      })
      .add("GET", COLLECTION, {
        handler: (req) => this.list(req),
        query: ["pageSize", "pageToken", "filter", "orderBy", "showDeleted", "readMask"],
      })
      .add("GET", RESOURCE, { handler: (req) => this.get(req), query: ["readMask"] })
      .add("PATCH", RESOURCE, { handler: (req) => this.update(req), query: ["skipShapeValidation", "updateMask"] })
      .add("DELETE", RESOURCE, { handler: (req) => this.delete(req), query: ["hard", "ignoreChecks"] })
      .add("POST", `${RESOURCE}:undelete`, { handler: (req) => this.undelete(req), query: [] })
      .add("PATCH", `${RESOURCE}:scale`, { handler: (req) => this.scale(req), query: [] });
  }

  registerAdmin(router: Router<RouteEntry>): void {
    router
      .add("POST", "/_emulator/deployments/{deploymentId}/fail", { handler: (req) => this.adminFail(req), query: [] })
      .add("PATCH", "/_emulator/deployments/{deploymentId}", { handler: (req) => this.adminPatch(req), query: [] })
      .add("POST", "/_emulator/fail-next-create", { handler: (req) => this.adminFailNextCreate(req), query: [] });
  }

  reset(): void {
    this.collection.clear();
    this.pendingFailures = [];
    this.hardDeletes.clear();
  }

  // ---- API methods ----

  private create(req: ApiRequest): ApiReply {
    const q = req.query;
    const requestedId = q.string("deploymentId") ?? "";
    const validateOnly = q.bool("validateOnly");
    for (const flag of ["disableAutoDeploy", "disableSpeculativeDecoding", "skipShapeValidation", "skipImageTagValidation"]) q.bool(flag);
    if (requestedId !== "") checkId(requestedId, "deploymentId");

    const dep = stripOutputOnly(DEPLOYMENT_SCHEMA, decodeMessage(DEPLOYMENT_SCHEMA, req.json()));
    applyDefaults(dep, true);
    validate(dep);
    if (requestedId !== "" && this.collection.has(requestedId)) {
      throw alreadyExists(`deployment "${this.collection.name(requestedId)}" already exists`);
    }
    const id = requestedId !== "" ? requestedId : randomId((candidate) => this.collection.has(candidate));
    dep["name"] = this.collection.name(id);
    // validateOnly: "return the deployment that would be created" — nothing stored, no timestamps, no state.
    if (validateOnly) return this.reply(dep);

    const now = formatTimestamp(this.ctx.now());
    dep["createTime"] = now;
    dep["updateTime"] = now;
    this.startCreating(dep);
    this.collection.insert(id, dep);
    this.scheduleCreate(id, this.pendingFailures.shift());
    this.ctx.faults.resourceCreated(`/v1/${getString(dep, "name")}`);
    return this.reply(dep);
  }

  private get(req: ApiRequest): ApiReply {
    const entry = this.find(req);
    if (this.ctx.faults.takeNotFound(req.method, req.path)) throw this.notFoundError(entry.id);
    return { body: projectMask(DEPLOYMENT_SCHEMA, this.encode(entry.resource), req.query.string("readMask")) };
  }

  private list(req: ApiRequest): ApiReply {
    const q = req.query;
    const pageReq = readPageRequest(q.int32("pageSize"), q.string("pageToken"), q.others("pageToken"));
    const matches = parseFilter(q.string("filter"), FILTER_FIELDS);
    const order = compareBy(parseOrderBy(q.string("orderBy"), ORDER_FIELDS, "create_time"));
    const readMask = q.string("readMask");
    const all = this.collection
      .list(q.bool("showDeleted"))
      .map((e) => e.resource)
      .filter(matches)
      .sort(order);
    const { items, nextPageToken } = page(all, pageReq);
    // ListDeploymentsResponse goes through the same zero-value omission: an empty page is `{}`.
    const body: JsonObject = {};
    if (items.length > 0) body["deployments"] = items.map((d) => projectMask(DEPLOYMENT_SCHEMA, this.encode(d), readMask));
    if (nextPageToken !== "") body["nextPageToken"] = nextPageToken;
    if (all.length > 0) body["totalSize"] = all.length;
    return { body };
  }

  private update(req: ApiRequest): ApiReply {
    const entry = this.find(req);
    const state = this.state(entry);
    req.query.bool("skipShapeValidation");
    const maskText = req.query.string("updateMask");
    const raw = req.json();
    const decoded = decodeMessage(DEPLOYMENT_SCHEMA, raw);
    if (state === "DELETED" || state === "DELETING" || state === "FAILED") {
      throw failedPrecondition(`deployment "${this.collection.name(entry.id)}" is ${state} and cannot be updated`);
    }
    // baseModel is REQUIRED in the UpdateDeployment body (SDK DeploymentUpdateParams) and IMMUTABLE ([PROTO]).
    const baseModel = getString(decoded, "baseModel");
    if (baseModel === "") throw invalidArgument("validation error: deployment.base_model: value is required");
    if (baseModel !== getString(entry.resource, "baseModel")) {
      throw invalidArgument(`deployment.base_model: field is immutable (is "${getString(entry.resource, "baseModel")}", got "${baseModel}")`);
    }

    const paths = (maskText !== undefined && maskText.trim() !== "" ? parseMaskParam(DEPLOYMENT_SCHEMA, maskText, "updateMask") : maskFromBody(DEPLOYMENT_SCHEMA, raw))
      // Output-only fields are ignored rather than rejected (grpc-gateway services ignore them; README).
      .filter((p) => !DEPLOYMENT_SCHEMA.fields[p.split(".")[0] ?? ""]?.output && p !== "baseModel");
    const before = entry.resource;
    const after = clone(before);
    applyMask(after, stripOutputOnly(DEPLOYMENT_SCHEMA, decoded), paths);
    applyDefaults(after, false);
    if (!deepEqual(encodeMessage(PLACEMENT_SCHEMA, getObject(before, "placement") ?? {}), encodeMessage(PLACEMENT_SCHEMA, getObject(after, "placement") ?? {}))) {
      throw invalidArgument("deployment.placement: field is immutable");
    }
    validate(after);

    const rolls = rollsReplicas(before, after);
    if (!sameOnWire(before, after)) after["updateTime"] = formatTimestamp(this.ctx.now());
    after["desiredReplicaCount"] = targetReplicas(after, getNumber(before, "desiredReplicaCount"));
    entry.resource = after;
    // A change during CREATING is picked up when creation finishes; a change to serving config of a running
    // deployment rolls its replicas (UPDATING, §4.4).
    if (rolls && state !== "CREATING") this.startUpdating(entry);
    return this.reply(after);
  }

  private scale(req: ApiRequest): ApiReply {
    const entry = this.find(req);
    const body = decodeMessage(SCALE_SCHEMA, req.json());
    const n = getNumber(body, "replicaCount");
    const state = this.state(entry);
    if (state === "DELETED" || state === "DELETING" || state === "FAILED") {
      throw failedPrecondition(`deployment "${this.collection.name(entry.id)}" is ${state} and cannot be scaled`);
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
    const entry = this.find(req);
    const hard = req.query.bool("hard");
    req.query.bool("ignoreChecks");
    const state = this.state(entry);
    if (state === "DELETED") {
      if (!hard) throw failedPrecondition(`deployment "${this.collection.name(entry.id)}" is already deleted; use hard=true to purge it`);
      this.ctx.scheduler.cancel(this.timerKey(entry.id));
      this.collection.remove(entry.id);
      return { body: {} };
    }
    if (state === "DELETING") {
      if (!hard) throw failedPrecondition(`deployment "${this.collection.name(entry.id)}" is already being deleted`);
      this.hardDeletes.add(entry.id);
      return { body: {} };
    }
    if (hard) this.hardDeletes.add(entry.id);
    else this.hardDeletes.delete(entry.id);
    this.setState(entry, "DELETING");
    this.ctx.scheduler.schedule(this.timerKey(entry.id), this.ctx.timings.deploymentDeleteMs, () => this.finishDelete(entry.id));
    return { body: {} };
  }

  private undelete(req: ApiRequest): ApiReply {
    const entry = this.find(req);
    decodeMessage(UNDELETE_SCHEMA, req.json());
    const state = this.state(entry);
    // "You can only undelete a deployment with DELETED or FAILED status." (§4.1)
    if (state !== "DELETED" && state !== "FAILED") {
      throw failedPrecondition(`deployment "${this.collection.name(entry.id)}" is ${state}; only DELETED or FAILED deployments can be undeleted`);
    }
    for (const key of ["deleteTime", "purgeTime", "status"]) delete entry.resource[key];
    entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
    this.startCreating(entry.resource);
    this.scheduleCreate(entry.id, undefined);
    return this.reply(entry.resource);
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

  private scheduleCreate(id: string, failure: Failure | undefined): void {
    this.ctx.scheduler.schedule(this.timerKey(id), this.ctx.timings.deploymentCreateMs, () => {
      const entry = this.collection.get(id);
      if (!entry || this.state(entry) !== "CREATING") return;
      if (failure) this.markFailed(entry, failure);
      else this.becomeReady(entry);
    });
  }

  private startUpdating(entry: Entry): void {
    this.setState(entry, "UPDATING");
    this.ctx.scheduler.schedule(this.timerKey(entry.id), this.ctx.timings.deploymentUpdateMs, () => {
      const current = this.collection.get(entry.id);
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
    this.ctx.scheduler.cancel(this.timerKey(entry.id));
    const dep = entry.resource;
    dep["status"] = { code: failure.code, message: failure.message };
    dep["replicaCount"] = 0;
    delete dep["replicaStats"];
    this.setState(entry, "FAILED");
  }

  private finishDelete(id: string): void {
    const entry = this.collection.get(id);
    if (!entry || this.state(entry) !== "DELETING") return;
    if (this.hardDeletes.delete(id)) {
      this.collection.remove(id);
      return;
    }
    const now = this.ctx.now();
    const dep = entry.resource;
    dep["deleteTime"] = formatTimestamp(now);
    dep["purgeTime"] = formatTimestamp(now + SOFT_DELETE_RETENTION_MS);
    dep["replicaCount"] = 0;
    dep["desiredReplicaCount"] = 0;
    delete dep["replicaStats"];
    this.setState(entry, "DELETED");
  }

  private setState(entry: Entry, state: DeploymentState): void {
    entry.resource["state"] = state;
    entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
  }

  // ---- /_emulator control ----

  private adminFail(req: ApiRequest): ApiReply {
    const entry = this.findAdmin(req);
    this.markFailed(entry, this.readFailure(req.json()));
    return this.reply(entry.resource);
  }

  private adminFailNextCreate(req: ApiRequest): ApiReply {
    this.pendingFailures.push(this.readFailure(req.json()));
    return { body: { queued: this.pendingFailures.length } };
  }

  /** Simulates a change made outside the API (e.g. in the console): shallow merge, no validation, no state change. */
  private adminPatch(req: ApiRequest): ApiReply {
    const entry = this.findAdmin(req);
    for (const [key, value] of Object.entries(req.json())) {
      if (value === null) delete entry.resource[key];
      else entry.resource[key] = clone(value);
    }
    entry.resource["updateTime"] = formatTimestamp(this.ctx.now());
    return this.reply(entry.resource);
  }

  private readFailure(body: JsonObject): Failure {
    const decoded = decodeMessage(FAILURE_SCHEMA, body);
    const code = getString(decoded, "code") || DEFAULT_FAILURE.code;
    if (!(STATUS_CODES as readonly string[]).includes(code)) throw invalidArgument(`unknown status code "${code}"`);
    return { code, message: getString(decoded, "message") || DEFAULT_FAILURE.message };
  }

  // ---- helpers ----

  private find(req: ApiRequest): Entry {
    const id = req.params["deploymentId"] ?? "";
    checkId(id, "deployment id");
    const entry = this.collection.get(id);
    if (!entry) throw this.notFoundError(id);
    return entry;
  }

  private findAdmin(req: ApiRequest): Entry {
    const id = req.params["deploymentId"] ?? "";
    const entry = this.collection.get(id);
    if (!entry) throw this.notFoundError(id);
    return entry;
  }

  private notFoundError(id: string) {
    return notFound(`deployment "${this.collection.name(id)}" not found`);
  }

  private state(entry: Entry): DeploymentState {
    return (getString(entry.resource, "state") || "STATE_UNSPECIFIED") as DeploymentState;
  }

  private timerKey(id: string): string {
    return `deployments/${id}`;
  }

  private encode(dep: JsonObject): JsonObject {
    return encodeMessage(DEPLOYMENT_SCHEMA, dep);
  }

  private reply(dep: JsonObject): ApiReply {
    return { body: this.encode(dep) };
  }
}
