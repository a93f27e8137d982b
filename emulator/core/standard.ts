import type { EmulatorContext, RouteEntry } from "./context";
import { formatTimestamp } from "./encoding";
import { alreadyExists, ApiError, failedPrecondition, invalidArgument, notFound } from "./errors";
import { applyMask, checkReadMask, maskFromBody, parseMaskParam, projectMask } from "./fieldmask";
import { compareBy, parseFilter, parseOrderBy, type FilterField, type OrderField } from "./filter";
import { checkId, randomId } from "./ids";
import { clone, deepEqual, getString, hasOwn, isObject, type JsonObject } from "./json";
import { page, readPageRequest } from "./pagination";
import type { ApiReply, ApiRequest } from "./request";
import type { Router } from "./router";
import { decodeMessage, encodeMessage, fieldOf, stripOutputOnly, type MessageSchema } from "./schema";
import { Store, type Entry, type SoftDelete } from "./store";
import type { CollectionTimings, Transition } from "./timings";

// The standard methods (AIP-131..135) once, for every collection: create/get/list/update/delete with the ID rule,
// parent, paging, filter, orderBy, read and update masks, fault hooks and 404/409 errors. A collection declares what
// differs (a `CollectionSpec`) and adds hooks; a method it writes itself replaces the generated one.

/** Where a collection lives: directly under the account, or under another resource (`users/{u}/apiKeys`). */
export type ParentSpec =
  | { kind: "account" }
  | {
      kind: "resource";
      /** The parent's collection ID, as registered in the registry ("users"). */
      collection: string;
      /** Its path variable ("userId"). */
      param: string;
      /** For messages ("user"). */
      singular: string;
    };

/** How a new resource gets its ID (reference §1.4). */
export type IdRule =
  /** A query parameter; when absent, `derive` (if given) or a generated ID. */
  | { from: "query"; param: string; derive?: (draft: JsonObject) => string }
  /** The body's full `name` (`<parent>/<collection>/<id>`, required): Secret. */
  | { from: "name" }
  /** Chosen by the server; the client has no say: IdentityProvider, ApiKey. */
  | { from: "server" };

export type StandardMethod = "create" | "get" | "list" | "update" | "delete";

export interface CreateCall {
  req: ApiRequest;
  parent: string;
  /** The client-chosen ID, if any (generated IDs are assigned after `prepare`). */
  id: string | undefined;
  validateOnly: boolean;
}

/** Collection-specific behaviour around the generated methods. Each names the API rule it serves. */
export interface Hooks {
  /** Server defaults and validation of a create body (decoded, output-only fields dropped). */
  prepare?(draft: JsonObject, call: CreateCall): void;
  /** Right after the resource is stored: its initial state and scheduled transitions. */
  created?(entry: Entry, call: CreateCall): void;
  /** The create response, from the encoded resource (an API key's plaintext is only in this one). */
  createReply?(entry: Entry, encoded: JsonObject): JsonObject;
  /** Preconditions of an update, before anything is merged (state checks, fields required in every PATCH body). */
  beforeUpdate?(entry: Entry, decoded: JsonObject, req: ApiRequest): void;
  /** Defaults and validation of the merged resource; `before` is what was stored. */
  validateUpdate?(after: JsonObject, before: JsonObject, req: ApiRequest): void;
  /** After an update was stored: transitions it starts. */
  updated?(entry: Entry, before: JsonObject): void;
}

export interface ListSpec {
  filter: Record<string, FilterField>;
  order: Record<string, OrderField>;
  /** The documented default order (`create_time` for deployments, `name` for most others). */
  defaultOrder: string;
  /** `showDeleted` for soft-deleting collections. */
  showDeleted?: boolean;
  /**
   * Parameters the API documents as "unused": a non-empty value is a 400 here, so a client that relies on the
   * server filtering or ordering is caught instead of silently receiving everything (README).
   */
  unused?: readonly ("filter" | "orderBy")[];
}

export interface CollectionSpec {
  /** The URL segment and list response key ("deployments", "apiKeys"). */
  collectionId: string;
  /** For messages and timing aliases ("deployment"). */
  singular: string;
  schema: MessageSchema;
  parent: ParentSpec;
  /** The path variable of the resource ID ("deploymentId"). */
  idParam: string;
  id: IdRule;
  /** The methods to generate, each with its documented query parameters. */
  methods: Partial<Record<StandardMethod, { query?: readonly string[] }>>;
  /** Message field holding the full name; `null` for kinds without one (ApiKey). Default "name". */
  nameField?: string | null;
  /** Message field holding the bare ID (ApiKey.keyId). */
  idField?: string;
  /** Body wrapper of create: `{"apiKey": {...}}` carries the resource under this key. */
  createWrapper?: string;
  /** Boolean query flags accepted (and type-checked) but without effect here, per method. */
  flags?: Partial<Record<StandardMethod, readonly string[]>>;
  /** Create supports `validateOnly` (return the would-be resource, store nothing). */
  validateOnly?: boolean;
  /** `mask`: PATCH changes the fields the body (or `updateMask`) names. `replace`: every writable field is replaced. */
  update?: { mode: "mask" | "replace"; updateMask?: boolean; immutable?: readonly string[]; ignore?: readonly string[] };
  list?: ListSpec;
  softDelete?: SoftDelete;
  /** Transitions and their default timings; adjustable at run time per collection. */
  timings?: CollectionTimings;
  hooks?: Hooks;
}

const DEFAULT_LIST: ListSpec = { filter: { name: { key: "name" } }, order: { name: { key: "name" } }, defaultOrder: "name" };

export class StandardCollection {
  readonly store: Store;
  readonly collectionPath: string;
  readonly resourcePath: string;
  private readonly parentPath: string;

  constructor(
    readonly ctx: EmulatorContext,
    readonly spec: CollectionSpec,
  ) {
    this.store = new Store(spec.collectionId, () => ctx.now(), spec.softDelete);
    this.parentPath = spec.parent.kind === "account" ? "/v1/accounts/{accountId}" : `/v1/accounts/{accountId}/${spec.parent.collection}/{${spec.parent.param}}`;
    this.collectionPath = `${this.parentPath}/${spec.collectionId}`;
    this.resourcePath = `${this.collectionPath}/{${spec.idParam}}`;
    ctx.registry.register(spec.collectionId, {
      // A soft-deleted resource cannot be referenced (a job naming a DELETED model must fail).
      find: (name) => {
        const entry = this.store.getByName(name);
        return entry && !this.store.isDeleted(entry) ? entry : undefined;
      },
    });
    if (spec.timings) ctx.timings.declare(spec.collectionId, spec.singular, spec.timings);
  }

  /** Registers the generated methods; `overrides` (explicit handlers) replace generated ones. */
  register(router: Router<RouteEntry>, overrides: Partial<Record<StandardMethod, RouteEntry>> = {}): void {
    const generated: Record<StandardMethod, [string, string, (req: ApiRequest) => ApiReply]> = {
      create: ["POST", this.collectionPath, (req) => this.create(req)],
      list: ["GET", this.collectionPath, (req) => this.list(req)],
      get: ["GET", this.resourcePath, (req) => this.get(req)],
      update: ["PATCH", this.resourcePath, (req) => this.update(req)],
      delete: ["DELETE", this.resourcePath, (req) => this.delete(req)],
    };
    for (const method of ["create", "list", "get", "update", "delete"] as const) {
      const declared = this.spec.methods[method];
      const explicit = overrides[method];
      if (!declared && !explicit) continue;
      const [verb, template, handler] = generated[method];
      router.add(verb, template, explicit ?? { handler, query: declared?.query ?? [] });
    }
  }

  reset(): void {
    this.store.clear();
  }

  // ---- naming and lookup ----

  /** The parent's name from the path, checking a resource parent exists (404 otherwise). */
  parentOf(req: ApiRequest): string {
    const account = `accounts/${this.ctx.accountId}`;
    const parent = this.spec.parent;
    if (parent.kind === "account") return account;
    const parentId = req.params[parent.param] ?? "";
    checkId(parentId, `${parent.singular} id`);
    const name = `${account}/${parent.collection}/${parentId}`;
    if (!this.ctx.registry.find(parent.collection, name)) throw notFound(`${parent.singular} "${name}" not found`);
    return name;
  }

  /** The resource a request's path names, or 404. A malformed ID is a 400 (README). */
  find(req: ApiRequest): Entry {
    const parent = this.parentOf(req);
    return this.findIn(parent, req.params[this.spec.idParam] ?? "");
  }

  findIn(parent: string, id: string): Entry {
    checkId(id, `${this.spec.singular} id`);
    const entry = this.store.get(parent, id);
    if (!entry) throw this.notFound(this.store.name(parent, id));
    return entry;
  }

  /** For control routes: account-scoped by ID, no ID syntax check. */
  findForControl(id: string, parent = `accounts/${this.ctx.accountId}`): Entry {
    const entry = this.store.get(parent, id);
    if (!entry) throw this.notFound(this.store.name(parent, id));
    return entry;
  }

  notFound(name: string): ApiError {
    return notFound(`${this.spec.singular} "${name}" not found`);
  }

  // ---- encoding ----

  encode(resource: JsonObject): JsonObject {
    return encodeMessage(this.spec.schema, resource);
  }

  reply(resource: JsonObject): ApiReply {
    return { body: this.encode(resource) };
  }

  /** Same wire form, INPUT_ONLY values included: a change to a secret's value is a change. */
  sameOnWire(a: JsonObject, b: JsonObject): boolean {
    return deepEqual(encodeMessage(this.spec.schema, a, { inputOnly: true }), encodeMessage(this.spec.schema, b, { inputOnly: true }));
  }

  // ---- timers ----

  /** Runs `fn` after this collection's timing for `transition`; a newer transition of the same resource replaces it. */
  schedule(entry: Entry, transition: Transition, fn: () => void): void {
    this.ctx.scheduler.schedule(this.timerKey(entry), this.ctx.timings.ms(this.spec.collectionId, transition), fn);
  }

  cancelTimer(entry: Entry): void {
    this.ctx.scheduler.cancel(this.timerKey(entry));
  }

  private timerKey(entry: Entry): string {
    return `${this.spec.collectionId}:${entry.name}`;
  }

  // ---- settings ----

  /** Under `annotationsRestricted`, writing owner annotations (by body or by update mask) is a superuser privilege. */
  checkAnnotationsAllowed(body: JsonObject, maskText: string | undefined): void {
    if (!this.ctx.settings.annotationsRestricted || !fieldOf(this.spec.schema, "annotations")) return;
    const inBody = hasOwn(body, "annotations") && body["annotations"] !== null;
    const inMask = (maskText ?? "").split(",").some((p) => p.trim().split(".")[0] === "annotations");
    if (inBody || inMask) {
      throw new ApiError("PERMISSION_DENIED", `permission denied: ${this.spec.singular}.annotations can only be set by a superuser`);
    }
  }

  // ---- the generated methods ----

  create(req: ApiRequest): ApiReply {
    const { spec } = this;
    const q = req.query;
    const validateOnly = spec.validateOnly ? q.bool("validateOnly") : false;
    for (const flag of spec.flags?.create ?? []) q.bool(flag);
    const parent = this.parentOf(req);
    let id: string | undefined;
    if (spec.id.from === "query") {
      const requested = q.string(spec.id.param) ?? "";
      if (requested !== "") {
        checkId(requested, spec.id.param);
        id = requested;
      }
    }
    const body = this.unwrapCreate(req.json());
    this.checkAnnotationsAllowed(body, undefined);
    const draft = stripOutputOnly(spec.schema, decodeMessage(spec.schema, body));
    if (spec.id.from === "name") id = this.idFromName(draft, parent);
    const call: CreateCall = { req, parent, id, validateOnly };
    spec.hooks?.prepare?.(draft, call);
    if (id === undefined && spec.id.from === "query" && spec.id.derive) id = spec.id.derive(draft);
    if (id !== undefined && this.store.has(parent, id)) {
      throw alreadyExists(`${spec.singular} "${this.store.name(parent, id)}" already exists`);
    }
    const finalId = id ?? randomId((candidate) => this.store.has(parent, candidate));
    this.setIdentity(draft, parent, finalId);
    // validateOnly: "return the resource that would be created" — nothing stored, no timestamps, no state.
    if (validateOnly) return this.reply(draft);

    const now = formatTimestamp(this.ctx.now());
    if (fieldOf(spec.schema, "createTime")) draft["createTime"] = now;
    if (fieldOf(spec.schema, "updateTime")) draft["updateTime"] = now;
    const entry = this.store.insert(parent, finalId, draft);
    spec.hooks?.created?.(entry, call);
    this.ctx.faults.resourceCreated(`/v1/${entry.name}`);
    const encoded = this.encode(entry.resource);
    return { body: spec.hooks?.createReply ? spec.hooks.createReply(entry, encoded) : encoded };
  }

  get(req: ApiRequest): ApiReply {
    const entry = this.find(req);
    if (this.ctx.faults.takeNotFound(req.method, req.path)) throw this.notFound(entry.name);
    return { body: projectMask(this.spec.schema, this.encode(entry.resource), req.query.string("readMask")) };
  }

  list(req: ApiRequest): ApiReply {
    const listSpec = this.spec.list ?? DEFAULT_LIST;
    const q = req.query;
    const parent = this.parentOf(req);
    for (const param of listSpec.unused ?? []) {
      if ((q.string(param) ?? "").trim() !== "") throw invalidArgument(`${param} is not supported when listing ${this.spec.collectionId}`);
    }
    const pageReq = readPageRequest(q.int32("pageSize"), q.string("pageToken"), q.others("pageToken"));
    const matches = parseFilter(q.string("filter"), listSpec.filter);
    const order = compareBy(parseOrderBy(q.string("orderBy"), listSpec.order, listSpec.defaultOrder));
    const readMask = q.string("readMask");
    checkReadMask(this.spec.schema, readMask);
    const includeDeleted = listSpec.showDeleted ? q.bool("showDeleted") : false;
    // Filters and orders see the stored form, where a kind without `name` still has its entry name.
    const all = this.store
      .list(parent, includeDeleted)
      .map((e) => ({ ...e.resource, ...(this.spec.nameField === null && { name: e.name }) }))
      .filter(matches)
      .sort(order);
    const { items, nextPageToken } = page(all, pageReq);
    // List responses go through the same zero-value omission: an empty page is `{}`.
    const body: JsonObject = {};
    if (items.length > 0) body[this.spec.collectionId] = items.map((r) => projectMask(this.spec.schema, this.encode(r), readMask));
    if (nextPageToken !== "") body["nextPageToken"] = nextPageToken;
    if (all.length > 0) body["totalSize"] = all.length;
    return { body };
  }

  update(req: ApiRequest): ApiReply {
    const { spec } = this;
    const rules = spec.update ?? { mode: "mask" };
    const entry = this.find(req);
    for (const flag of spec.flags?.update ?? []) req.query.bool(flag);
    const maskText = rules.updateMask ? req.query.string("updateMask") : undefined;
    const raw = req.json();
    this.checkAnnotationsAllowed(raw, maskText);
    const decoded = decodeMessage(spec.schema, raw);
    this.checkBodyName(decoded, entry);
    spec.hooks?.beforeUpdate?.(entry, decoded, req);

    const before = entry.resource;
    const after = clone(before);
    const writable = stripOutputOnly(spec.schema, decoded);
    const ignored = new Set([...(rules.ignore ?? []), ...(spec.nameField === null ? [] : [spec.nameField ?? "name"])]);
    if (rules.mode === "replace") {
      // No update mask in the API: the body is the new value of every writable field (absent = cleared).
      for (const [key, field] of Object.entries(spec.schema.fields)) {
        if (field.output || ignored.has(key)) continue;
        if (writable[key] === undefined) delete after[key];
        else after[key] = clone(writable[key]);
      }
    } else {
      const paths = (maskText !== undefined && maskText.trim() !== "" ? parseMaskParam(spec.schema, maskText, "updateMask") : maskFromBody(spec.schema, raw))
        // Output-only fields are ignored rather than rejected (grpc-gateway services ignore them; README).
        .filter((p) => !fieldOf(spec.schema, p.split(".")[0] ?? "")?.output && !ignored.has(p.split(".")[0] ?? ""));
      applyMask(after, writable, paths);
    }
    for (const field of rules.immutable ?? []) {
      if (!deepEqual(encodeMessage(spec.schema, before)[field], encodeMessage(spec.schema, after)[field])) {
        throw invalidArgument(`${spec.singular}.${field}: field is immutable`);
      }
    }
    spec.hooks?.validateUpdate?.(after, before, req);
    if (!this.sameOnWire(before, after) && fieldOf(spec.schema, "updateTime")) after["updateTime"] = formatTimestamp(this.ctx.now());
    entry.resource = after;
    spec.hooks?.updated?.(entry, before);
    return this.reply(entry.resource);
  }

  /** Soft-deletes where the collection declares it (state, deleteTime, purgeTime), else forgets the resource. */
  delete(req: ApiRequest): ApiReply {
    const entry = this.find(req);
    for (const flag of this.spec.flags?.delete ?? []) req.query.bool(flag);
    const soft = this.spec.softDelete;
    if (!soft) {
      this.remove(entry);
      return { body: {} };
    }
    if (this.store.isDeleted(entry)) throw failedPrecondition(`${this.spec.singular} "${entry.name}" is already deleted`);
    this.cancelTimer(entry);
    const now = this.ctx.now();
    entry.resource[soft.stateField] = soft.deletedState;
    entry.resource[soft.deleteTimeField] = formatTimestamp(now);
    entry.resource[soft.purgeTimeField] = formatTimestamp(now + soft.retentionMs);
    if (fieldOf(this.spec.schema, "updateTime")) entry.resource["updateTime"] = formatTimestamp(now);
    return { body: {} };
  }

  /** Deletes at once: stops its timers and forgets it. */
  remove(entry: Entry): void {
    this.cancelTimer(entry);
    this.store.remove(entry);
  }

  // ---- helpers of the generated methods ----

  private unwrapCreate(raw: JsonObject): JsonObject {
    const wrapper = this.spec.createWrapper;
    if (wrapper === undefined) return raw;
    for (const key of Object.keys(raw)) {
      if (key !== wrapper) throw invalidArgument(`invalid JSON body: unknown field "${key}"`);
    }
    const inner = raw[wrapper];
    if (inner === undefined || inner === null) throw invalidArgument(`validation error: ${wrapper}: value is required`);
    if (!isObject(inner)) throw invalidArgument(`invalid JSON body: ${wrapper}: expected an object`);
    return inner;
  }

  /** Secret: the ID is the last segment of the body's `name`, which must sit under this account's collection. */
  private idFromName(draft: JsonObject, parent: string): string {
    const name = getString(draft, "name");
    if (name === "") throw invalidArgument(`validation error: ${this.spec.singular}.name: value is required`);
    const prefix = `${parent}/${this.spec.collectionId}/`;
    if (!name.startsWith(prefix)) throw invalidArgument(`${this.spec.singular}.name: "${name}" must look like ${prefix}<id>`);
    const id = name.slice(prefix.length);
    checkId(id, `${this.spec.singular} id`);
    return id;
  }

  /** A name in a PATCH body must be the path's (stricter than letting the path silently win; README). */
  private checkBodyName(decoded: JsonObject, entry: Entry): void {
    const nameField = this.spec.nameField === undefined ? "name" : this.spec.nameField;
    if (nameField === null || fieldOf(this.spec.schema, nameField)?.output) return;
    const given = getString(decoded, nameField);
    if (given !== "" && given !== entry.name) throw invalidArgument(`${this.spec.singular}.${nameField}: "${given}" does not match the path ("${entry.name}")`);
  }

  private setIdentity(draft: JsonObject, parent: string, id: string): void {
    const nameField = this.spec.nameField === undefined ? "name" : this.spec.nameField;
    if (nameField !== null) draft[nameField] = this.store.name(parent, id);
    if (this.spec.idField) draft[this.spec.idField] = id;
  }
}
