/**
 * check, diff, create, read, update and delete, derived from a ResourceSpec. Nothing here knows about a particular
 * resource; what differs between resources lives in the spec and its hooks.
 *
 * State model: outputs are the server's resource as read back after every operation (never the inputs echoed), plus
 * the provider-only inputs, plus three hidden keys the engine's display ignores:
 * - `__name`: the derived ID when the user gave none (stable across previews and re-runs),
 * - `__owner`: "<project>/<stack>/<resource name>", stamped on the created resource so a re-run after a killed
 *   `up` recognises what it created and adopts it instead of creating a duplicate,
 * - `__declared`: the inputs the user declared, as written ("10m", not "600s"; secrets as `true`), so refresh can
 *   report drift in terms of the program's inputs without turning equivalent spellings into diff noise.
 */
import type { ProviderConfig } from "./config";
import { parseDuration } from "./durations";
import { AmbiguousRequestError, FireworksError, WaitError } from "./errors";
import type { HttpClient } from "./http";
import { isAlreadyExists, isNotFound } from "./http";
import { autoName, idProblem } from "./ids";
import { waitFor } from "./poller";
import type { CheckFailure, FieldSpec, ResourceSpec, Timeouts } from "./spec";
import { COMPUTED, compact, deepEqual, isPlainObject, isUnknown, type Props } from "./values";
import { schemaFailures, show, withoutUnknowns } from "./validation";

export const HIDDEN = { name: "__name", owner: "__owner", declared: "__declared" } as const;

/**
 * Resources this provider process adopted in create. A replacement that keeps the same ID (`pulumi up --replace`
 * of a resource whose inputs did not change) makes the engine create, which adopts the existing resource, and
 * then delete the "old" one, which is the very same resource: that delete must not happen. The engine runs create
 * and the replaced resource's delete in one provider process, so remembering adoptions here is enough.
 */
const adoptedThisRun = new Set<string>();
const HIDDEN_KEYS: readonly string[] = [HIDDEN.name, HIDDEN.owner, HIDDEN.declared, "__provider"];

export interface Context {
  config: ProviderConfig;
  client: HttpClient;
  /** Poll pacing; tests shorten it. */
  pollInitialDelayMs?: number;
  pollMaxDelayMs?: number;
}

export interface CheckResult {
  inputs: Props;
  failures: CheckFailure[];
}

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** Error shape the dynamic-provider host turns into "created but failed to initialise": the resource stays in state. */
export class ResourceInitError extends FireworksError {
  override name = "ResourceInitError";
  constructor(message: string, readonly id: string, readonly properties: Props, readonly reasons: string[]) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------- check

export function check(spec: ResourceSpec, olds: Props, news: Props): CheckResult {
  const inputs: Props = { ...news };
  const known = withoutUnknowns(stripHidden(news)) as Props;
  const failures = schemaFailures(spec.schema(), known);
  for (const [key, field] of Object.entries(spec.fields) as [string, FieldSpec][]) {
    if (field.required && news[key] === undefined) failures.push({ property: key, reason: `${key} is required: ${field.required}` });
  }
  // Cross-field rules read only well-typed values, so they run even when some field failed: one preview lists
  // every problem instead of one per attempt.
  failures.push(...(spec.crossCheck?.(known, news) ?? []));
  failures.push(...timeoutFailures(known.timeouts));

  const userId = news[spec.idInput];
  if (userId === undefined) {
    // Keep an earlier derived name (a renamed resource with an alias keeps its deployment); a replacement re-runs
    // check without olds and so derives a fresh name from the new replace-forcing values.
    const previous = olds[HIDDEN.name];
    if (typeof previous === "string") inputs[HIDDEN.name] = previous;
    else if (!isUnknown(spec.autoNameSeed(news))) inputs[HIDDEN.name] = autoName(resourceNameOf(news), [news[HIDDEN.owner], ...spec.autoNameSeed(news)]);
  } else if (typeof userId === "string" && !isUnknown(userId)) {
    const problem = idProblem(userId);
    if (problem) failures.push({ property: spec.idInput, reason: `${show(userId)} is not a valid ID: ${problem}; or omit ${spec.idInput} to have one derived from the resource name` });
    delete inputs[HIDDEN.name];
  }
  return { inputs, failures };
}

function resourceNameOf(news: Props): string {
  const owner = news[HIDDEN.owner];
  if (typeof owner !== "string") return "resource";
  const parts = owner.split("/");
  return parts.slice(2).join("/") || "resource";
}

function timeoutFailures(timeouts: unknown): CheckFailure[] {
  if (!isPlainObject(timeouts)) return [];
  const failures: CheckFailure[] = [];
  for (const [op, value] of Object.entries(timeouts)) {
    if (typeof value === "string" && (parseDuration(value) ?? 0) <= 0) {
      failures.push({ property: `timeouts.${op}`, reason: `${show(value)} is not a positive duration; write it like "30m" or "1h"` });
    }
  }
  return failures;
}

// ----------------------------------------------------------------------------------------------------------- diff

export function diff(spec: ResourceSpec, olds: Props, news: Props): DiffResult {
  const replaces: string[] = [];
  let changes = false;
  const newId = effectiveId(spec, news);
  if (newId === undefined || isUnknown(newId) || newId !== olds[spec.idInput]) {
    replaces.push(spec.idInput);
  }
  for (const [key, field] of Object.entries(spec.fields) as [string, FieldSpec][]) {
    if (key === spec.idInput) continue;
    if (!fieldChanged(field, key, olds, news)) continue;
    changes = true;
    if (field.kind === "replace") replaces.push(key);
  }
  return {
    changes: changes || replaces.length > 0,
    replaces,
    // Two deployments cannot share a user-chosen ID, so such a replacement must delete first; a derived name
    // changes with the replace-forcing values, so the new one can be READY before the old one goes.
    deleteBeforeReplace: replaces.length > 0 && news[spec.idInput] !== undefined,
  };
}

function fieldChanged(field: FieldSpec, key: string, olds: Props, news: Props): boolean {
  const declared = news[key];
  if (isUnknown(declared)) return true;
  if (field.kind === "provider") return !deepEqual(declared, olds[key]);
  const want = declaredValue(field, declared, news);
  if (want === COMPUTED) return false;
  const have = serverValue(field, olds[key]);
  return !(field.equal ? field.equal(want, have) : deepEqual(want, have));
}

/** The value the declaration asks for, in canonical form; COMPUTED when the server decides. */
function declaredValue(field: FieldSpec, declared: unknown, inputs: Props): unknown {
  if (declared !== undefined) return normalized(field, declared);
  const absent = field.absent ?? "server";
  if (absent === "server") return COMPUTED;
  return normalized(field, absent === "zero" ? field.zero : absent(inputs));
}

function serverValue(field: FieldSpec, value: unknown): unknown {
  return normalized(field, value ?? field.zero);
}

function normalized(field: FieldSpec, value: unknown): unknown {
  return value === undefined || !field.normalize ? value : field.normalize(value);
}

function toApi(field: FieldSpec, value: unknown): unknown {
  return field.toApi ? field.toApi(value) : normalized(field, value);
}

/** Fields whose declared value differs from the server's, as an API-shaped PATCH body. */
export function changedApiFields(spec: ResourceSpec, server: Props, news: Props): Props {
  const body: Props = {};
  for (const [key, field] of Object.entries(spec.fields) as [string, FieldSpec][]) {
    if (field.kind !== "update" || !fieldChanged(field, key, server, news)) continue;
    // A removed declaration resets the field to its documented default or zero value.
    body[key] = toApi(field, declaredValue(field, news[key], news));
  }
  return body;
}

function effectiveId(spec: ResourceSpec, inputs: Props): unknown {
  return inputs[spec.idInput] ?? inputs[HIDDEN.name];
}

// --------------------------------------------------------------------------------------------------------- create

export async function create(spec: ResourceSpec, ctx: Context, inputs: Props): Promise<{ id: string; outs: Props }> {
  const id = effectiveId(spec, inputs);
  if (typeof id !== "string") throw new FireworksError(`${spec.kind}: no ID could be determined (internal error)`);
  const name = spec.api.resourceName(ctx.config, id);
  const body = apiBody(spec, inputs);
  let created = await postOrAdopt(spec, ctx, id, name, body, inputs);
  const timeouts = timeoutsOf(spec, inputs);
  try {
    created = await waitReady(spec, ctx, name, inputs, timeouts.create, "create");
    const drift = changedApiFields(spec, created, inputs);
    if (Object.keys(drift).length > 0) {
      // Adopted after a killed run, or the server did not apply everything on create: converge like an update.
      created = await patchAndWait(spec, ctx, name, created, drift, inputs, timeouts.update);
    }
  } catch (err) {
    throw initError(spec, ctx, id, created, inputs, err);
  }
  return { id, outs: outputs(spec, ctx, id, created, inputs) };
}

async function postOrAdopt(spec: ResourceSpec, ctx: Context, id: string, name: string, body: Props, inputs: Props): Promise<Props> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.client.request<Props>(spec.api.createRequest(ctx.config, id, body, inputs));
    } catch (err) {
      if (isAlreadyExists(err)) {
        const existing = await get(spec, ctx, name, "create (look up existing)");
        if (!existing) throw err;
        return adoptExisting(spec, name, existing, inputs);
      }
      if (!(err instanceof AmbiguousRequestError)) throw err;
      // The POST may have been applied: the client-chosen ID tells us by looking, instead of risking a duplicate.
      const existing = await get(spec, ctx, name, "create (reconcile)");
      if (existing) return adoptExisting(spec, name, existing, inputs);
      if (attempt >= 3) throw err;
      await ctx.client.pause(attempt);
    }
  }
}

/** Takes over `existing` if this stack resource created it (a killed run); refuses anything else. */
function adoptExisting(spec: ResourceSpec, name: string, existing: Props, inputs: Props): Props {
  const state = stateOf(existing);
  const owner = inputs[HIDDEN.owner];
  const ours = typeof owner === "string" && spec.api.ownerOf?.(existing) === owner;
  if (isDeleted(spec, existing)) {
    throw new FireworksError(
      `create ${spec.kind} "${name}": the ID is held by a deleted ${spec.kind.toLowerCase()} (state ${state}) until it is purged; choose another ${spec.idInput}, or undelete it`,
    );
  }
  if (!ours) {
    throw new FireworksError(
      `create ${spec.kind} "${name}": it already exists and was not created by this stack resource (state ${state}); choose another ${spec.idInput}, omit it to have one derived, or delete the existing one`,
    );
  }
  adoptedThisRun.add(name);
  return existing;
}

function initError(spec: ResourceSpec, ctx: Context, id: string, last: Props, inputs: Props, err: unknown): ResourceInitError {
  const seen = err instanceof WaitError && isPlainObject(err.last) ? (err.last as Props) : last;
  const message = err instanceof Error ? err.message : String(err);
  const outs = outputs(spec, ctx, id, seen, inputs);
  return new ResourceInitError(message, id, outs, [message]);
}

// ----------------------------------------------------------------------------------------------------------- read

export interface ReadResult {
  id?: string;
  props?: Props;
  inputs?: Props;
}

export async function read(spec: ResourceSpec, ctx: Context, id: string, props: Props): Promise<ReadResult> {
  const name = spec.api.resourceName(ctx.config, id);
  const current = await get(spec, ctx, name, "read");
  // Gone or soft-deleted outside Pulumi: returning no ID removes it from state, so the next up recreates it.
  if (!current || spec.states.deleted.includes(stateOf(current))) return {};
  const recorded = props[HIDDEN.declared];
  const declared: Props = isPlainObject(recorded) ? recorded : {};
  const outs = outputs(spec, ctx, id, current, props, declared);
  return { id, props: outs, inputs: refreshedInputs(spec, props, current, declared) };
}

/**
 * The inputs a refresh records: the declared fields as the user wrote them where the platform still matches,
 * the platform's value where it does not. The engine shows a preview's property diff from old vs new inputs, so
 * this is what names drifted properties, and only them.
 */
function refreshedInputs(spec: ResourceSpec, props: Props, current: Props, declared: Props): Props {
  const inputs: Props = {};
  for (const key of Object.keys(declared)) {
    const field = spec.fields[key];
    if (!field) continue;
    if (field.kind === "provider" || field.secret) {
      if (props[key] !== undefined) inputs[key] = props[key];
      continue;
    }
    const value = fieldChanged(field, key, current, declared) ? (current[key] ?? field.zero) : declared[key];
    if (value !== undefined) inputs[key] = value;
  }
  for (const key of [HIDDEN.name, HIDDEN.owner]) if (props[key] !== undefined) inputs[key] = props[key];
  return inputs;
}

// --------------------------------------------------------------------------------------------------------- update

export async function update(spec: ResourceSpec, ctx: Context, id: string, news: Props): Promise<{ outs: Props }> {
  const name = spec.api.resourceName(ctx.config, id);
  const timeouts = timeoutsOf(spec, news);
  let current = await get(spec, ctx, name, "update (read current)");
  if (!current || isDeleted(spec, current)) {
    throw new FireworksError(
      `update ${spec.kind} "${name}": it was deleted outside Pulumi${current ? ` (state ${stateOf(current)})` : ""}; run \`pulumi refresh\` and then \`pulumi up\` to create it again`,
    );
  }
  try {
    if (spec.states.failed.includes(stateOf(current)) && spec.api.recoverVerb) {
      // A FAILED resource cannot converge by PATCH; the API's undelete restarts it (allowed only from FAILED/DELETED).
      await ctx.client.request<Props>({
        method: "POST",
        path: `/v1/${name}${spec.api.recoverVerb}`,
        body: {},
        idempotent: true,
        context: { action: "recover", kind: spec.kind, name },
      });
      current = await waitReady(spec, ctx, name, news, timeouts.create, "recovery");
    }
    const body = changedApiFields(spec, current, news);
    if (Object.keys(body).length > 0 || !spec.states.ready.includes(stateOf(current))) {
      current = await patchAndWait(spec, ctx, name, current, body, news, timeouts.update);
    }
  } catch (err) {
    throw initError(spec, ctx, id, current, news, err);
  }
  return { outs: outputs(spec, ctx, id, current, news) };
}

async function patchAndWait(spec: ResourceSpec, ctx: Context, name: string, current: Props, body: Props, inputs: Props, timeoutSeconds: number): Promise<Props> {
  if (Object.keys(body).length > 0) {
    await ctx.client.request<Props>({
      method: "PATCH",
      path: `/v1/${name}`,
      query: spec.api.updateQuery?.(inputs),
      body: spec.api.updateBody(body, current),
      context: { action: "update", kind: spec.kind, name },
    });
  }
  return waitReady(spec, ctx, name, inputs, timeoutSeconds, "update");
}

// --------------------------------------------------------------------------------------------------------- delete

export async function remove(spec: ResourceSpec, ctx: Context, id: string, props: Props): Promise<void> {
  const name = spec.api.resourceName(ctx.config, id);
  if (adoptedThisRun.delete(name)) return;
  try {
    await ctx.client.request<Props>({
      method: "DELETE",
      path: `/v1/${name}`,
      query: spec.api.deleteQuery(props),
      context: { action: "delete", kind: spec.kind, name },
    });
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  const timeouts = timeoutsOf(spec, props);
  await waitFor<Props>({
    what: `${spec.kind} "${name}" to be deleted`,
    fetch: () => get(spec, ctx, name, "wait for deletion of"),
    state: stateOf,
    pending: [...spec.states.deleting, ...spec.states.ready, ...spec.states.updating, ...spec.states.creating, ...spec.states.failed],
    target: spec.states.deleted,
    notFound: "target",
    timeoutMs: timeouts.delete * 1000,
    ...pacing(ctx),
  });
}

// -------------------------------------------------------------------------------------------------------- helpers

async function get(spec: ResourceSpec, ctx: Context, name: string, action: string): Promise<Props | undefined> {
  try {
    return await ctx.client.request<Props>({ method: "GET", path: `/v1/${name}`, context: { action, kind: spec.kind, name } });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function waitReady(spec: ResourceSpec, ctx: Context, name: string, inputs: Props, timeoutSeconds: number, op: string): Promise<Props> {
  const result = await waitFor<Props>({
    what: `${spec.kind} "${name}" to become ${spec.states.ready.join("/")} after ${op}`,
    fetch: () => get(spec, ctx, name, `wait for ${op} of`),
    state: stateOf,
    pending: [...spec.states.creating, ...spec.states.updating],
    target: spec.states.ready,
    failed: spec.states.failed,
    settled: (resource) => spec.settled?.(resource, inputs) ?? true,
    failure: (resource) => spec.statusMessage(resource) ?? "the platform gave no status message",
    notFound: "grace",
    timeoutMs: timeoutSeconds * 1000,
    ...pacing(ctx),
  });
  if (!result) throw new FireworksError(`${spec.kind} "${name}" disappeared while waiting for it`);
  return result;
}

function pacing(ctx: Context): { initialDelayMs?: number; maxDelayMs?: number; notFoundGraceMs?: number } {
  return compact({ initialDelayMs: ctx.pollInitialDelayMs, maxDelayMs: ctx.pollMaxDelayMs });
}

/** Deleted or being deleted: still visible to GET, but gone for the user. */
function isDeleted(spec: ResourceSpec, resource: Props): boolean {
  const state = stateOf(resource);
  return spec.states.deleted.includes(state) || spec.states.deleting.includes(state);
}

export function stateOf(resource: Props): string {
  return typeof resource.state === "string" ? resource.state : "";
}

export function timeoutsOf(spec: ResourceSpec, inputs: Props): Timeouts {
  const declared = isPlainObject(inputs.timeouts) ? inputs.timeouts : {};
  const pick = (op: keyof Timeouts): number => {
    const value = declared[op];
    const seconds = typeof value === "string" ? parseDuration(value) : undefined;
    return seconds !== undefined && seconds > 0 ? seconds : spec.defaultTimeouts[op];
  };
  return { create: pick("create"), update: pick("update"), delete: pick("delete") };
}


/** The create body: every declared API field in its API form. */
export function apiBody(spec: ResourceSpec, inputs: Props): Props {
  const body: Props = {};
  for (const [key, field] of Object.entries(spec.fields) as [string, FieldSpec][]) {
    if (field.kind === "provider" || inputs[key] === undefined) continue;
    body[key] = toApi(field, inputs[key]);
  }
  return body;
}

function outputs(spec: ResourceSpec, ctx: Context, id: string, resource: Props, inputs: Props, previouslyDeclared?: Props): Props {
  const provided: Props = {};
  const declared: Props = previouslyDeclared ?? {};
  for (const [key, field] of Object.entries(spec.fields) as [string, FieldSpec][]) {
    // Secrets are recorded only as "declared": their values stay under their own (secret) keys.
    if (!previouslyDeclared && inputs[key] !== undefined) declared[key] = field.secret ? true : inputs[key];
    if (field.kind === "provider") provided[key] = inputs[key];
  }
  return compact({
    ...resource,
    ...spec.derivedOutputs(resource, ctx.config),
    ...provided,
    [spec.idInput]: id,
    [HIDDEN.name]: inputs[HIDDEN.name],
    [HIDDEN.owner]: inputs[HIDDEN.owner],
    [HIDDEN.declared]: declared,
  });
}

function stripHidden(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !HIDDEN_KEYS.includes(k)));
}
