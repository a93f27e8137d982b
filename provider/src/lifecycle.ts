/**
 * check, diff, create, read, update and delete, derived from a ResourceSpec. Nothing here knows about a particular
 * resource; what differs between resources lives in the spec and its hooks.
 *
 * State model: outputs are the server's resource as read back after every operation (never the inputs echoed), plus
 * the provider-only inputs, plus hidden keys the engine's display ignores:
 * - `__name`: the derived ID when the user gave none (stable across previews and re-runs),
 * - `__owner`, `__instance`, `__claim`: who created the resource (see ownership.ts),
 * - `__declared`: the inputs the user declared, as written ("10m", not "600s"; secrets as `true`), so refresh can
 *   report drift in terms of the program's inputs without turning equivalent spellings into diff noise. The SDK
 *   stores it as a secret output: it copies inputs, and the engine keeps secrecy only under an input's own key.
 * - `__unconfirmed`: set when a create's outcome stayed unknown (the POST may or may not have been applied); the
 *   resource is recorded anyway so nothing is orphaned, and the next update or refresh settles it.
 */
import type { ProviderConfig } from "./config";
import { parseDuration } from "./durations";
import { AmbiguousRequestError, ApiError, FireworksError, WaitError } from "./errors";
import type { ApiRequest, HttpClient } from "./http";
import { isAlreadyExists, isNotFound } from "./http";
import { autoName, idProblem } from "./ids";
import { newClaim, notOursReason, OWNER_KEYS, ownerOf, sameOwner, stampOf } from "./ownership";
import { waitFor } from "./poller";
import type { CheckFailure, FieldSpec, ResourceSpec, Timeouts } from "./spec";
import { COMPUTED, compact, deepEqual, isPlainObject, isUnknown, type Props } from "./values";
import { schemaFailures, show, withoutUnknowns } from "./validation";

export const HIDDEN = { name: "__name", declared: "__declared", unconfirmed: "__unconfirmed", ...OWNER_KEYS } as const;
const HIDDEN_KEYS: readonly string[] = [...Object.values(HIDDEN), "__provider"];

/** What one provider process remembers between calls: facts about the platform, never resources by name. */
export interface Session {
  /** The platform refused the owner stamp once (e.g. annotations reserved for superusers): create without it. */
  stampRefused?: boolean;
}

export interface Context {
  config: ProviderConfig;
  client: HttpClient;
  session?: Session;
  /** Poll pacing; tests shorten it. */
  pollInitialDelayMs?: number;
  pollMaxDelayMs?: number;
}

/** One operation on one resource: everything a step needs, instead of six parameters passed along. */
interface Call {
  spec: ResourceSpec;
  ctx: Context;
  id: string;
  /** Full resource name, e.g. accounts/{a}/deployments/{id}. */
  name: string;
  inputs: Props;
  /** Values of secret inputs, redacted from any error text the platform echoes back. */
  secrets: string[];
}

function callFor(spec: ResourceSpec, ctx: Context, id: string, inputs: Props): Call {
  return { spec, ctx, id, name: spec.api.resourceName(ctx.config, id), inputs, secrets: secretValues(spec, inputs) };
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
  const secretKeys = Object.entries(spec.fields).filter(([, f]) => (f as FieldSpec).secret).map(([k]) => k);
  const failures = schemaFailures(spec.schema(), known, secretKeys);
  for (const [key, field] of Object.entries(spec.fields) as [string, FieldSpec][]) {
    if (field.required && news[key] === undefined) failures.push({ property: key, reason: `${key} is required: ${field.required}` });
  }
  // Cross-field rules read only well-typed values, so they run even when some field failed: one preview lists
  // every problem instead of one per attempt.
  failures.push(...(spec.crossCheck?.(known, news) ?? []));
  failures.push(...timeoutFailures(known.timeouts));

  // Ownership is fixed when a resource is created: a later run keeps the recorded owner even if the program now
  // runs under another provider, or the platform's stamp would no longer match (replacements check without olds).
  if (typeof olds[HIDDEN.owner] === "string") {
    inputs[HIDDEN.owner] = olds[HIDDEN.owner];
    if (typeof olds[HIDDEN.instance] === "string") inputs[HIDDEN.instance] = olds[HIDDEN.instance];
    else delete inputs[HIDDEN.instance];
  }
  const userId = news[spec.idInput];
  if (userId === undefined) {
    // Keep an earlier derived name (a renamed resource with an alias keeps its deployment); a replacement re-runs
    // check without olds and so derives a fresh name from the new replace-forcing values. The stack instance is
    // part of the hash, so two stacks of the same project and stack name never derive the same ID.
    const previous = olds[HIDDEN.name];
    const seed = spec.autoNameSeed(news);
    const owner = ownerOf(inputs);
    if (typeof previous === "string") inputs[HIDDEN.name] = previous;
    else if (!isUnknown(seed) && !isUnknown(inputs[HIDDEN.instance]) && !isUnknown(inputs[HIDDEN.owner])) {
      inputs[HIDDEN.name] = autoName(resourceNameOf(inputs), [owner, ...seed]);
    }
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
  const call = callFor(spec, ctx, id, inputs);
  return { id, outs: await createAt(call) };
}

/** A create whose POST may have been applied: the engine must record the resource, or it would be orphaned. */
class UnconfirmedCreate extends FireworksError {
  override name = "UnconfirmedCreate";
}

async function createAt(call: Call): Promise<Props> {
  const { spec, inputs } = call;
  const claim = newClaim();
  let created: Props;
  let stamp: string | undefined;
  let adopted: boolean;
  try {
    ({ resource: created, stamp, adopted } = await postOrAdopt(call, claim));
  } catch (err) {
    if (!(err instanceof UnconfirmedCreate)) throw err;
    const outs = outputs(call, {}, { claim, unconfirmed: true });
    throw new ResourceInitError(err.message, call.id, outs, [err.message]);
  }
  const recordedClaim = stamp === undefined ? undefined : claim;
  const timeouts = timeoutsOf(spec, inputs);
  try {
    created = await waitReady(call, timeouts.create, "create");
    let body = changedApiFields(spec, created, inputs);
    // An adopted resource carries the stamp of the create that made it: move it to this create's claim, so the
    // delete of a replaced resource that shared the ID (`up --replace`) sees it is no longer its own.
    if (adopted && stamp !== undefined && spec.api.owner && spec.api.owner.read(created) !== stamp) {
      body = spec.api.owner.rewrite(body, created, stamp);
    }
    if (Object.keys(body).length > 0) {
      // Adopted after a killed run, or the server did not apply everything on create: converge like an update.
      created = await patchAndWait(call, created, body, timeouts.update);
    }
  } catch (err) {
    throw initError(call, created, err, recordedClaim);
  }
  return outputs(call, created, { claim: recordedClaim });
}

interface Posted {
  resource: Props;
  /** The owner stamp the resource carries (undefined when the kind has none or the platform refused it). */
  stamp: string | undefined;
  adopted: boolean;
}

async function postOrAdopt(call: Call, claim: string): Promise<Posted> {
  const { spec, ctx, inputs } = call;
  const owner = ownerOf(inputs);
  let stamp = owner !== undefined && spec.api.owner && !ctx.session?.stampRefused ? stampOf(owner, claim) : undefined;
  for (let attempt = 1; ; attempt++) {
    const body = stamp === undefined || !spec.api.owner ? apiBody(spec, inputs) : spec.api.owner.write(apiBody(spec, inputs), stamp);
    try {
      const request = spec.api.createRequest(ctx.config, call.id, body, inputs);
      return { resource: await ctx.client.request<Props>(withSecrets(call, request)), stamp, adopted: false };
    } catch (err) {
      if (stamp !== undefined && err instanceof ApiError && spec.api.owner?.refused(err.status, err.apiMessage)) {
        // The platform refuses the stamp itself (the protos mark annotations superuser-only): a refused request
        // created nothing, so create without it. Adoption after a killed run is then impossible (documented).
        if (ctx.session) ctx.session.stampRefused = true;
        stamp = undefined;
        attempt -= 1;
        continue;
      }
      if (isAlreadyExists(err)) {
        const existing = await get(call, "create (look up existing)");
        if (!existing) throw err;
        return { resource: adoptExisting(call, existing), stamp, adopted: true };
      }
      if (!(err instanceof AmbiguousRequestError)) throw err;
      // The POST may have been applied: the client-chosen ID tells us by looking, instead of risking a duplicate.
      let existing: Props | undefined;
      try {
        existing = await get(call, "create (reconcile)");
      } catch (lookup) {
        throw new UnconfirmedCreate(`${err.message}; looking it up failed too (${errorMessage(lookup)}); the next \`pulumi up\` settles it`);
      }
      if (existing) return { resource: adoptExisting(call, existing), stamp, adopted: true };
      if (attempt >= 3) throw new UnconfirmedCreate(`${err.message}; it was not found after ${attempt} attempts; the next \`pulumi up\` settles it`);
      await ctx.client.pause(attempt);
    }
  }
}

/** Takes over `existing` if this stack resource created it (a killed run); refuses anything else. */
function adoptExisting(call: Call, existing: Props): Props {
  const { spec, name, inputs } = call;
  const state = stateOf(existing);
  const ours = sameOwner(spec.api.owner?.read(existing), ownerOf(inputs));
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
  return existing;
}

function initError(call: Call, last: Props, err: unknown, claim: string | undefined): ResourceInitError {
  const seen = err instanceof WaitError && isPlainObject(err.last) ? (err.last as Props) : last;
  const message = errorMessage(err);
  return new ResourceInitError(message, call.id, outputs(call, seen, { claim }), [message]);
}

// ----------------------------------------------------------------------------------------------------------- read

export interface ReadResult {
  id?: string;
  props?: Props;
  inputs?: Props;
}

export async function read(spec: ResourceSpec, ctx: Context, id: string, props: Props): Promise<ReadResult> {
  const call = callFor(spec, ctx, id, props);
  const current = await get(call, "read");
  // Gone or soft-deleted outside Pulumi, or the ID now holds someone else's resource: returning no ID removes it
  // from state (the next up recreates it, or refuses to take over the other one).
  if (!current || spec.states.deleted.includes(stateOf(current)) || notOursReason(spec, props, current)) return {};
  const recorded = props[HIDDEN.declared];
  const declared: Props = isPlainObject(recorded) ? recorded : {};
  const outs = outputs(call, current, { claim: claimOf(props), declared });
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
  for (const key of [HIDDEN.name, HIDDEN.owner, HIDDEN.instance]) if (props[key] !== undefined) inputs[key] = props[key];
  return inputs;
}

// --------------------------------------------------------------------------------------------------------- update

/** `olds` are the recorded outputs (they hold the claim and create time); `news` the checked inputs. */
export async function update(spec: ResourceSpec, ctx: Context, id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
  const call = callFor(spec, ctx, id, news);
  const timeouts = timeoutsOf(spec, news);
  let current = await get(call, "update (read current)");
  // A create whose outcome stayed unknown and that never happened: create it now, under the recorded ID.
  if (!current && olds[HIDDEN.unconfirmed] === true) return { outs: await createAt(call) };
  if (!current || isDeleted(spec, current)) {
    throw new FireworksError(
      `update ${spec.kind} "${call.name}": it was deleted outside Pulumi${current ? ` (state ${stateOf(current)})` : ""}; run \`pulumi refresh\` and then \`pulumi up\` to create it again`,
    );
  }
  const foreign = notOursReason(spec, olds, current);
  if (foreign) {
    throw new FireworksError(
      `update ${spec.kind} "${call.name}": refusing to change it, because it is not the ${spec.kind.toLowerCase()} this stack created: ${foreign}; run \`pulumi refresh\` to drop it from the stack, then give this resource another ${spec.idInput}`,
    );
  }
  const claim = claimOf(olds);
  try {
    if (spec.states.failed.includes(stateOf(current)) && spec.api.recoverVerb) {
      // A FAILED resource cannot converge by PATCH; the API's undelete restarts it (allowed only from FAILED/DELETED).
      await ctx.client.request<Props>(withSecrets(call, {
        method: "POST",
        path: `/v1/${call.name}${spec.api.recoverVerb}`,
        body: {},
        idempotent: true,
        context: { action: "recover", kind: spec.kind, name: call.name },
      }));
      current = await waitReady(call, timeouts.create, "recovery");
    }
    const body = changedApiFields(spec, current, news);
    if (Object.keys(body).length > 0 || !spec.states.ready.includes(stateOf(current))) {
      current = await patchAndWait(call, current, body, timeouts.update);
    }
  } catch (err) {
    throw initError(call, current, err, claim);
  }
  return { outs: outputs(call, current, { claim }) };
}

async function patchAndWait(call: Call, current: Props, body: Props, timeoutSeconds: number): Promise<Props> {
  const { spec, ctx } = call;
  if (Object.keys(body).length > 0) {
    await ctx.client.request<Props>(withSecrets(call, {
      method: "PATCH",
      path: `/v1/${call.name}`,
      query: spec.api.updateQuery?.(call.inputs),
      body: spec.api.updateBody(body, current),
      context: { action: "update", kind: spec.kind, name: call.name },
    }));
  }
  return waitReady(call, timeoutSeconds, "update");
}

// --------------------------------------------------------------------------------------------------------- delete

export async function remove(spec: ResourceSpec, ctx: Context, id: string, props: Props): Promise<void> {
  const call = callFor(spec, ctx, id, props);
  const current = await get(call, "delete (read current)");
  // Already gone for the user, or the ID now holds a resource this stack resource did not create (replaced under
  // the same ID by `up --replace`, or re-created by someone else after an out-of-band delete): nothing of ours is
  // left to delete, and deleting theirs would be the worst thing a provider can do.
  if (!current || spec.states.deleted.includes(stateOf(current)) || notOursReason(spec, props, current)) return;
  try {
    await ctx.client.request<Props>({
      method: "DELETE",
      path: `/v1/${call.name}`,
      query: spec.api.deleteQuery(props),
      context: { action: "delete", kind: spec.kind, name: call.name },
    });
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  const timeouts = timeoutsOf(spec, props);
  await waitFor<Props>({
    what: `${spec.kind} "${call.name}" to be deleted`,
    timeoutHint: 'raise timeouts.delete (e.g. "30m")',
    fetch: (deadline) => get(call, "wait for deletion of", deadline),
    state: stateOf,
    pending: [...spec.states.deleting, ...spec.states.ready, ...spec.states.updating, ...spec.states.creating, ...spec.states.failed],
    target: spec.states.deleted,
    notFound: "target",
    timeoutMs: timeouts.delete * 1000,
    ...pacing(ctx),
  });
}

// -------------------------------------------------------------------------------------------------------- helpers

async function get(call: Call, action: string, deadline?: number): Promise<Props | undefined> {
  try {
    return await call.ctx.client.request<Props>({
      method: "GET",
      path: `/v1/${call.name}`,
      context: { action, kind: call.spec.kind, name: call.name },
      secrets: call.secrets,
      ...(deadline === undefined ? {} : { deadline }),
    });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function waitReady(call: Call, timeoutSeconds: number, op: string): Promise<Props> {
  const { spec, inputs } = call;
  const result = await waitFor<Props>({
    what: `${spec.kind} "${call.name}" to become ${spec.states.ready.join("/")} after ${op}`,
    timeoutHint: `raise timeouts.${op === "update" ? "update" : "create"} (e.g. "1h"); the ${spec.kind.toLowerCase()} stays in the stack, and the next \`pulumi up\` waits for it again`,
    fetch: (deadline) => get(call, `wait for ${op} of`, deadline),
    state: stateOf,
    pending: [...spec.states.creating, ...spec.states.updating],
    target: spec.states.ready,
    failed: spec.states.failed,
    settled: (resource) => spec.settled?.(resource, inputs) ?? true,
    failure: (resource) => spec.statusMessage(resource) ?? "the platform gave no status message",
    notFound: "grace",
    timeoutMs: timeoutSeconds * 1000,
    ...pacing(call.ctx),
  });
  if (!result) throw new FireworksError(`${spec.kind} "${call.name}" disappeared while waiting for it`);
  return result;
}

/** Attaches the call's secret values, so the client redacts them from anything the platform echoes. */
function withSecrets(call: Call, request: ApiRequest): ApiRequest {
  return { ...request, secrets: [...(request.secrets ?? []), ...call.secrets] };
}

/** Every string inside the inputs of fields marked secret. */
function secretValues(spec: ResourceSpec, inputs: Props): string[] {
  const out: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isPlainObject(value)) Object.values(value).forEach(collect);
  };
  for (const [key, field] of Object.entries(spec.fields) as [string, FieldSpec][]) if (field.secret) collect(inputs[key]);
  return out;
}

function claimOf(props: Props): string | undefined {
  const claim = props[HIDDEN.claim];
  return typeof claim === "string" ? claim : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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

interface Hidden {
  claim?: string;
  /** The declaration recorded at the last create or update (refresh keeps it); else taken from the inputs. */
  declared?: Props;
  unconfirmed?: boolean;
}

function outputs(call: Call, resource: Props, hidden: Hidden): Props {
  const { spec, ctx, id, inputs } = call;
  const provided: Props = {};
  const declared: Props = hidden.declared ?? {};
  for (const [key, field] of Object.entries(spec.fields) as [string, FieldSpec][]) {
    // Secrets are recorded only as "declared": their values stay under their own (secret) keys.
    if (!hidden.declared && inputs[key] !== undefined) declared[key] = field.secret ? true : inputs[key];
    if (field.kind === "provider") provided[key] = inputs[key];
  }
  return compact({
    ...resource,
    ...spec.derivedOutputs(resource, ctx.config),
    ...provided,
    [spec.idInput]: id,
    [HIDDEN.name]: inputs[HIDDEN.name],
    [HIDDEN.owner]: inputs[HIDDEN.owner],
    [HIDDEN.instance]: inputs[HIDDEN.instance],
    [HIDDEN.claim]: hidden.claim,
    [HIDDEN.declared]: declared,
    [HIDDEN.unconfirmed]: hidden.unconfirmed ? true : undefined,
  });
}

function stripHidden(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !HIDDEN_KEYS.includes(k)));
}
