/**
 * check, diff, create, read, update and delete, derived from a ResourceSpec. Nothing here knows about a particular
 * kind; what differs between kinds is a typed choice in the spec (identity, read, update and delete styles, states)
 * or one of its hooks.
 *
 * State model: outputs are the server's resource as read back after every operation (never the inputs echoed), plus
 * the provider-only inputs, plus hidden keys the engine's display ignores:
 * - `__name`: the derived ID when the user gave none (stable across previews and re-runs),
 * - `__owner`, `__instance`, `__claim`: who created the resource (see ownership.ts),
 * - `__declared`: the inputs the user declared, as written ("10m", not "600s"; secrets as `true`), so refresh can
 *   report drift in terms of the program's inputs without turning equivalent spellings into diff noise. The SDK
 *   stores it as a secret output: it copies inputs, and the engine keeps secrecy only under an input's own key.
 * - `__applied`: hashes of the write-only values last applied (see fields.ts),
 * - `__unconfirmed`: set when a create's outcome stayed unknown (the POST may or may not have been applied); the
 *   resource is recorded anyway so nothing is orphaned, and the next update or refresh settles it.
 */
import { type Call, callFor, type Context, fetchCurrent, listAll, pacing, remoteDelete, request } from "./calls";
import { checkInputs, type CheckResult, HIDDEN } from "./check";
import { AmbiguousRequestError, ApiError, FireworksError, WaitError } from "./errors";
import { APPLIED, apiBody, appliedHashes, changedApiFields, fieldChanged, fieldEntries, fullApiBody } from "./fields";
import { isAlreadyExists } from "./http";
import { newClaim, notOursReason, ownerOf, sameOwner, stampOf } from "./ownership";
import { waitFor } from "./poller";
import type { ResourceSpec, StateMachine } from "./spec";
import { idInputOf } from "./spec";
import { timeoutsOf } from "./timeouts";
import { compact, isPlainObject, isUnknown, type Props } from "./values";

export { apiBody, changedApiFields } from "./fields";
export { HIDDEN, type CheckResult } from "./check";
export type { Context, Session } from "./calls";
export { timeoutsOf } from "./timeouts";

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

export function check(spec: ResourceSpec, olds: Props, news: Props): CheckResult {
  return checkInputs(spec, olds, news);
}

// ----------------------------------------------------------------------------------------------------------- diff

export function diff(spec: ResourceSpec, olds: Props, news: Props): DiffResult {
  const replaces: string[] = [];
  let changes = false;
  const idInput = idInputOf(spec);
  if (idInput !== undefined) {
    const newId = effectiveId(spec, news);
    if (newId === undefined || isUnknown(newId) || newId !== olds[idInput]) replaces.push(idInput);
  }
  // A kind the API cannot update is replaced by any change to what it sends the API.
  const immutable = spec.api.update.kind === "none";
  for (const [key, field] of fieldEntries(spec)) {
    if (key === idInput || !fieldChanged(field, key, olds, news)) continue;
    changes = true;
    if (field.kind === "replace" || (immutable && field.kind === "update")) replaces.push(key);
  }
  return {
    changes: changes || replaces.length > 0,
    replaces,
    // Two resources cannot share a user-chosen ID, so such a replacement must delete first; a derived or
    // server-generated ID changes with the replacement, so the new one can be ready before the old one goes.
    deleteBeforeReplace: replaces.length > 0 && spec.identity.kind === "client" && idInput !== undefined && news[idInput] !== undefined,
  };
}

function effectiveId(spec: ResourceSpec, inputs: Props): unknown {
  const idInput = idInputOf(spec);
  return idInput === undefined ? undefined : (inputs[idInput] ?? inputs[HIDDEN.name]);
}

// --------------------------------------------------------------------------------------------------------- create

export async function create(spec: ResourceSpec, ctx: Context, inputs: Props): Promise<{ id: string; outs: Props }> {
  if (spec.identity.kind === "server") {
    const { id, outs } = await createServerNamed(spec, ctx, inputs);
    return { id, outs };
  }
  const id = effectiveId(spec, inputs);
  if (typeof id !== "string") throw new FireworksError(`${spec.kind}: no ID could be determined (internal error)`);
  const call = callFor(spec, ctx, id, inputs);
  if (spec.identity.kind === "existing") return { id, outs: await takeOver(call) };
  return { id, outs: await createAt(call) };
}

/** A create whose POST may have been applied: the engine must record the resource, or it would be orphaned. */
class UnconfirmedCreate extends FireworksError {
  override name = "UnconfirmedCreate";
}

interface Posted {
  resource: Props;
  /** The owner stamp the resource carries (undefined when the kind has none or the platform refused it). */
  stamp: string | undefined;
  adopted: boolean;
}

async function createAt(call: Call): Promise<Props> {
  const claim = newClaim();
  let posted: Posted;
  try {
    posted = await postOrAdopt(call, claim);
  } catch (err) {
    if (!(err instanceof UnconfirmedCreate)) throw err;
    const outs = outputs(call, {}, { claim, unconfirmed: true });
    throw new ResourceInitError(err.message, call.id, outs, [err.message]);
  }
  return settleCreated(call, posted, claim);
}

/** Waits for what a POST made (or a lookup found) to be ready, and converges what the platform did not apply. */
async function settleCreated(call: Call, posted: Posted, claim: string): Promise<Props> {
  const { spec, inputs } = call;
  const { stamp, adopted } = posted;
  const recordedClaim = stamp === undefined ? undefined : claim;
  const createOnly = pickCreateOnly(spec, posted.resource);
  let created = posted.resource;
  const timeouts = timeoutsOf(spec, inputs);
  try {
    if (spec.hooks?.afterCreate) created = await spec.hooks.afterCreate(call, created);
    created = await waitReady(call, created, timeouts.create, "create");
    // Adopted resources were created by an earlier attempt, whose write-only values cannot be read back: resend.
    let body = changedApiFields(spec, created, inputs, adopted ? undefined : appliedHashes(spec, inputs));
    // An adopted resource carries the stamp of the create that made it: move it to this create's claim, so the
    // delete of a replaced resource that shared the ID (`up --replace`) sees it is no longer its own.
    if (adopted && stamp !== undefined && spec.api.owner && spec.api.owner.read(created) !== stamp) {
      body = spec.api.owner.rewrite(body, created, stamp);
    }
    if (Object.keys(body).length > 0 && spec.api.update.kind !== "none") {
      // Adopted after a killed run, or the server did not apply everything on create: converge like an update.
      created = await patchAndWait(call, created, body, timeouts.update);
    }
  } catch (err) {
    throw initError(call, { ...created, ...createOnly }, err, recordedClaim);
  }
  return outputs(call, { ...created, ...createOnly }, { claim: recordedClaim, applied: appliedHashes(spec, inputs) });
}

async function postOrAdopt(call: Call, claim: string): Promise<Posted> {
  const { ctx } = call;
  let stamp = stampFor(call, claim);
  for (let attempt = 1; ; attempt++) {
    try {
      return { resource: await post(call, stamp), stamp, adopted: false };
    } catch (err) {
      if (stampRefused(call, stamp, err)) {
        // The platform refuses the stamp itself (the protos mark annotations superuser-only): a refused request
        // created nothing, so create without it, and rely on the create time and derived IDs.
        if (ctx.session) ctx.session.stampRefused = true;
        stamp = undefined;
        attempt -= 1;
        continue;
      }
      if (isAlreadyExists(err)) {
        const existing = await fetchCurrent(call, "create (look up existing)");
        if (!existing) throw err;
        return { resource: adoptExisting(call, existing), stamp, adopted: true };
      }
      if (!(err instanceof AmbiguousRequestError)) throw err;
      // The POST may have been applied: the client-chosen ID tells us by looking, instead of risking a duplicate.
      let existing: Props | undefined;
      try {
        existing = await fetchCurrent(call, "create (reconcile)");
      } catch (lookup) {
        throw new UnconfirmedCreate(`${err.message}; looking it up failed too (${errorMessage(lookup)}); the next \`pulumi up\` settles it`);
      }
      if (existing) return { resource: adoptExisting(call, existing), stamp, adopted: true };
      if (attempt >= 3) throw new UnconfirmedCreate(`${err.message}; it was not found after ${attempt} attempts; the next \`pulumi up\` settles it`);
      await ctx.client.pause(attempt);
    }
  }
}

function stampFor(call: Call, claim: string): string | undefined {
  const owner = ownerOf(call.inputs);
  return owner !== undefined && call.spec.api.owner && !call.ctx.session?.stampRefused ? stampOf(owner, claim) : undefined;
}

function stampRefused(call: Call, stamp: string | undefined, err: unknown): boolean {
  return stamp !== undefined && err instanceof ApiError && call.spec.api.owner?.refused(err.status, err.apiMessage) === true;
}

/** The create POST: the body with the stamp, the ID where the kind puts it, wrapped if the API wants it wrapped. */
async function post(call: Call, stamp: string | undefined): Promise<Props> {
  const { spec, ctx, inputs } = call;
  let body = apiBody(spec, inputs);
  if (stamp !== undefined && spec.api.owner) body = spec.api.owner.write(body, stamp);
  const identity = spec.identity;
  const query = { ...spec.api.createQuery?.(inputs) };
  if (identity.kind === "client") {
    if ("query" in identity) query[identity.query] = call.id;
    else body = identity.body(body, call.id, call.name);
  }
  return request<Props>(call, {
    method: "POST",
    path: `/v1/${spec.api.collection(ctx.config, inputs)}`,
    query,
    body: spec.api.createWrap ? { [spec.api.createWrap]: body } : body,
    context: { action: "create", kind: spec.kind, name: call.name },
  });
}

/**
 * Takes over `existing` if this stack resource created it (a killed run); refuses anything else. Without an owner
 * stamp (the kind has none, or the platform refused it), a derived ID is itself the proof: it hashes this stack
 * resource's owner and stack instance, so nothing else would have chosen it.
 */
function adoptExisting(call: Call, existing: Props): Props {
  const { spec, name, inputs } = call;
  const state = stateOf(existing);
  const stamp = spec.api.owner?.read(existing);
  const derived = idInputOf(spec) !== undefined && inputs[idInputOf(spec) ?? ""] === undefined && inputs[HIDDEN.name] === call.id;
  const ours = stamp !== undefined ? sameOwner(stamp, ownerOf(inputs)) : derived;
  if (isDeleted(spec, existing)) {
    throw new FireworksError(
      `create ${spec.kind} "${name}": the ID is held by a deleted ${spec.kind.toLowerCase()} (state ${state}) until it is purged; choose another ${idInputOf(spec)}, or undelete it`,
    );
  }
  if (!ours) {
    throw new FireworksError(
      `create ${spec.kind} "${name}": it already exists and was not created by this stack resource${state ? ` (state ${state})` : ""}; choose another ${idInputOf(spec)}, omit it to have one derived, or delete the existing one`,
    );
  }
  const session = call.ctx.session;
  if (stamp === undefined && session) (session.adoptedUnstamped ??= new Set()).add(name);
  return existing;
}

/**
 * Server-generated IDs: the POST returns the ID. When its outcome is unknown the provider lists the collection and
 * takes the resource that carries this create's stamp; it never posts again, so it cannot duplicate.
 */
async function createServerNamed(spec: ResourceSpec, ctx: Context, inputs: Props): Promise<{ id: string; outs: Props }> {
  if (spec.identity.kind !== "server") throw new FireworksError(`${spec.kind}: not a server-named kind (internal error)`);
  const idOf = spec.identity.idOf;
  const draft = callFor(spec, ctx, "", inputs);
  const claim = newClaim();
  let stamp = stampFor(draft, claim);
  let resource: Props | undefined;
  for (;;) {
    try {
      resource = await post(draft, stamp);
      break;
    } catch (err) {
      if (stampRefused(draft, stamp, err)) {
        if (ctx.session) ctx.session.stampRefused = true;
        stamp = undefined;
        continue;
      }
      if (!(err instanceof AmbiguousRequestError)) throw err;
      const found = stamp === undefined ? undefined : await findStamped(draft, stamp).catch(() => undefined);
      if (!found) {
        throw new FireworksError(
          `${err.message}; ${stamp === undefined ? `this kind carries no owner stamp, so the provider cannot tell whether the ${spec.kind} was created` : "no resource with this create's owner stamp was found"}: check the ${spec.kind} list before running \`pulumi up\` again, or a second one may be created`,
        );
      }
      resource = found;
      break;
    }
  }
  const id = idOf(resource);
  if (!id) throw new FireworksError(`create ${spec.kind}: the response carried no ID (internal error)`);
  const call = callFor(spec, ctx, id, inputs);
  return { id, outs: await settleCreated(call, { resource, stamp, adopted: false }, claim) };
}

async function findStamped(call: Call, stamp: string): Promise<Props | undefined> {
  const items = await listAll(call, "create (reconcile)");
  return items.find((item) => call.spec.api.owner?.read(item) === stamp);
}

/**
 * `existing` kinds (quotas): the resource is always there. Create reads it (it must exist) and applies the
 * declaration; what it held before is not restored on delete (the platform has no "unset").
 */
async function takeOver(call: Call): Promise<Props> {
  const current = await fetchCurrent(call, "create (read current)");
  if (!current) {
    throw new FireworksError(`create ${call.spec.kind} "${call.name}": it does not exist on the platform; check ${idInputOf(call.spec)} (a ${call.spec.kind.toLowerCase()} cannot be created, only changed)`);
  }
  return settleCreated(call, { resource: current, stamp: undefined, adopted: true }, newClaim());
}

function initError(call: Call, last: Props, err: unknown, claim: string | undefined): ResourceInitError {
  const seen = err instanceof WaitError && isPlainObject(err.last) ? (err.last as Props) : last;
  const message = errorMessage(err);
  return new ResourceInitError(message, call.id, outputs(call, seen, { claim, applied: appliedHashes(call.spec, call.inputs) }), [message]);
}

// ----------------------------------------------------------------------------------------------------------- read

export interface ReadResult {
  id?: string;
  props?: Props;
  inputs?: Props;
}

/**
 * The account a recorded resource lives in (recorded at create; older states: the account in its name), when the
 * provider is now configured for another one. Acting on the new account under the recorded ID would refresh, change
 * or delete whatever holds that ID there; nothing can move a resource between accounts.
 */
export function accountMismatch(spec: ResourceSpec, ctx: Context, props: Props): string | undefined {
  const recorded = typeof props[HIDDEN.account] === "string" ? props[HIDDEN.account] : /^accounts\/([^/]+)\//.exec(String(props.name ?? ""))?.[1];
  if (recorded === undefined || recorded === ctx.config.accountId) return undefined;
  const name = typeof props.name === "string" ? props.name : `${spec.kind} ${String(props[idInputOf(spec) ?? "name"] ?? "")}`;
  return (
    `${spec.kind} "${name}" lives in account "${recorded}", but the provider is now configured for account "${ctx.config.accountId}" ` +
    `(fireworks:accountId / FIREWORKS_ACCOUNT_ID). Resources cannot move between accounts: set the account back to "${recorded}" to manage it, ` +
    "or destroy it with the old account first; to forget it without touching it, `pulumi state delete` its URN"
  );
}

function assertSameAccount(spec: ResourceSpec, ctx: Context, props: Props): void {
  const problem = accountMismatch(spec, ctx, props);
  if (problem) throw new FireworksError(problem);
}

export async function read(spec: ResourceSpec, ctx: Context, id: string, props: Props): Promise<ReadResult> {
  assertSameAccount(spec, ctx, props);
  const call = callFor(spec, ctx, id, props);
  const current = await fetchCurrent(call, "read");
  // Gone or soft-deleted outside Pulumi, or the ID now holds someone else's resource: returning no ID removes it
  // from state (the next up recreates it, or refuses to take over the other one).
  if (!current || isSoftDeleted(spec, current) || notOursReason(spec, props, current)) return {};
  const recorded = props[HIDDEN.declared];
  const declared: Props = isPlainObject(recorded) ? recorded : {};
  const outs = outputs(call, { ...current, ...pickCreateOnly(spec, props) }, { claim: claimOf(props), declared, applied: props[APPLIED] });
  return { id, props: outs, inputs: refreshedInputs(spec, props, current, declared) };
}

/**
 * The inputs a refresh records: the declared fields as the user wrote them where the platform still matches,
 * the platform's value where it does not. The engine shows a preview's property diff from old vs new inputs, so
 * this is what names drifted properties, and only them.
 */
function refreshedInputs(spec: ResourceSpec, props: Props, current: Props, declared: Props): Props {
  const inputs: Props = {};
  const have: Props = { ...current, [APPLIED]: props[APPLIED] };
  for (const key of Object.keys(declared)) {
    const field = spec.fields[key];
    if (!field) continue;
    // A field holding write-only values cannot be rebuilt from what the platform returns (it lacks them), and a copy
    // without them would look like a change: such fields are left to the program's declaration.
    if (field.writeOnly !== undefined) continue;
    // Secrets are never copied from the server: keep what state recorded.
    if (field.kind === "provider" || field.send === false || field.secret) {
      if (props[key] !== undefined) inputs[key] = props[key];
      continue;
    }
    const value = fieldChanged(field, key, have, declared) ? (current[key] ?? field.zero) : declared[key];
    if (value !== undefined) inputs[key] = value;
  }
  for (const key of [HIDDEN.name, HIDDEN.owner, HIDDEN.instance]) if (props[key] !== undefined) inputs[key] = props[key];
  const idInput = idInputOf(spec);
  if (idInput !== undefined && declared[idInput] !== undefined) inputs[idInput] = declared[idInput];
  // The read-only review properties follow what was refreshed, so the next preview shows their change from here.
  return { ...inputs, ...spec.annotate?.(inputs) };
}

// --------------------------------------------------------------------------------------------------------- update

/** `olds` are the recorded outputs (they hold the claim, create time and write-only hashes); `news` the checked inputs. */
export async function update(spec: ResourceSpec, ctx: Context, id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
  assertSameAccount(spec, ctx, olds);
  const call = callFor(spec, ctx, id, news);
  const timeouts = timeoutsOf(spec, news);
  let current = await fetchCurrent(call, "update (read current)");
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
      `update ${spec.kind} "${call.name}": refusing to change it, because it is not the ${spec.kind.toLowerCase()} this stack created: ${foreign}; run \`pulumi refresh\` to drop it from the stack, then give this resource another ${idInputOf(spec) ?? "name"}`,
    );
  }
  const claim = claimOf(olds);
  const createOnly = pickCreateOnly(spec, olds);
  try {
    const states = spec.states;
    if (states && states.failed.includes(stateOf(current)) && spec.api.recoverVerb) {
      // A FAILED resource cannot converge by PATCH; the API's undelete restarts it (allowed only from FAILED/DELETED).
      await request<Props>(call, {
        method: "POST",
        path: `/v1/${call.name}${spec.api.recoverVerb}`,
        body: {},
        idempotent: true,
        context: { action: "recover", kind: spec.kind, name: call.name },
      });
      current = await waitReady(call, undefined, timeouts.create, "recovery");
    }
    // A create interrupted before its afterCreate step finished (a killed `up` mid-upload) left the resource still
    // creating: it never gets ready unless the step runs again (it is written to be safe to repeat).
    if (states && states.creating.includes(stateOf(current)) && spec.hooks?.afterCreate) {
      current = await spec.hooks.afterCreate(call, current);
      current = await waitReady(call, current, timeouts.create, "create");
    }
    const body = changedApiFields(spec, current, news, olds[APPLIED]);
    if (Object.keys(body).length > 0 || (states !== undefined && !states.ready.includes(stateOf(current)))) {
      current = await patchAndWait(call, current, body, timeouts.update);
    }
  } catch (err) {
    throw initError(call, { ...current, ...createOnly }, err, claim);
  }
  return { outs: outputs(call, { ...current, ...createOnly }, { claim, applied: appliedHashes(spec, news) }) };
}

async function patchAndWait(call: Call, current: Props, body: Props, timeoutSeconds: number): Promise<Props> {
  const { spec } = call;
  const style = spec.api.update;
  if (Object.keys(body).length > 0) {
    if (style.kind === "none") throw new FireworksError(`update ${spec.kind} "${call.name}": the API cannot update it (internal error: diff should have replaced it)`);
    // An API without an update mask replaces every writable field: send them all, whatever changed (what `body`
    // adds, e.g. a moved owner stamp, wins).
    const payload = style.kind === "full" ? { ...fullApiBody(spec, call.inputs), ...body } : body;
    const response = await request<Props>(call, {
      method: "PATCH",
      path: `/v1/${call.name}`,
      query: style.query?.(call.inputs),
      body: style.body ? style.body(payload, current, call.inputs) : payload,
      context: { action: "update", kind: spec.kind, name: call.name },
    });
    if (!spec.states) return isPlainObject(response) ? response : current;
  }
  return waitReady(call, undefined, timeoutSeconds, "update");
}

// --------------------------------------------------------------------------------------------------------- delete

export async function remove(spec: ResourceSpec, ctx: Context, id: string, props: Props): Promise<void> {
  assertSameAccount(spec, ctx, props);
  const call = callFor(spec, ctx, id, props);
  const style = spec.api.delete;
  const current = await fetchCurrent(call, "delete (read current)");
  // Already gone for the user, or the ID now holds a resource this stack resource did not create (replaced under
  // the same ID by `up --replace`, or re-created by someone else after an out-of-band delete): nothing of ours is
  // left to delete, and deleting theirs would be the worst thing a provider can do.
  if (!current || isSoftDeleted(spec, current) || notOursReason(spec, props, current)) return;
  if (ctx.session?.adoptedUnstamped?.delete(call.name)) return;
  if (style.kind === "none") {
    const before = style.before?.(props);
    if (before) {
      await request<Props>(call, { method: "PATCH", path: `/v1/${call.name}`, body: before, context: { action: "delete (prepare)", kind: spec.kind, name: call.name } });
    }
    // The dynamic-provider host shows a provider's stderr in the engine's output (under the stack): the user
    // learns what destroy could not remove, instead of believing it gone.
    console.warn(`warning: ${style.left(call.name, props)}`);
    return;
  }
  await spec.hooks?.beforeDelete?.(call, current);
  const gone = await remoteDelete(call, style);
  if (gone || !spec.states) return;
  const timeouts = timeoutsOf(spec, props);
  const states = spec.states;
  await waitFor<Props>({
    what: `${spec.kind} "${call.name}" to be deleted`,
    timeoutHint: 'raise timeouts.delete (e.g. "30m")',
    fetch: (deadline) => fetchCurrent(call, "wait for deletion of", deadline),
    state: stateOf,
    pending: [...states.deleting, ...states.ready, ...states.updating, ...states.creating, ...states.failed],
    target: states.deleted,
    notFound: "target",
    timeoutMs: timeouts.delete * 1000,
    ...pacing(ctx),
  });
}

// -------------------------------------------------------------------------------------------------------- helpers

/** Waits until the resource is ready; kinds without states are ready as soon as the API returns them. */
async function waitReady(call: Call, known: Props | undefined, timeoutSeconds: number, op: string): Promise<Props> {
  const { spec, inputs } = call;
  const states = spec.states;
  if (!states) {
    const current = known ?? (await fetchCurrent(call, `read after ${op}`));
    if (!current) throw new FireworksError(`${spec.kind} "${call.name}" disappeared right after ${op}`);
    return current;
  }
  let shown: string | undefined;
  const report = (resource: Props | undefined): void => {
    if (!resource || !call.ctx.report) return;
    const line = spec.progress?.(resource, inputs) ?? defaultProgress(spec, resource);
    if (line === shown) return;
    shown = line;
    call.ctx.report(`${spec.kind} "${call.name}" (${op}): ${line}`);
  };
  const result = await waitFor<Props>({
    what: `${spec.kind} "${call.name}" to become ${states.ready.join("/")} after ${op}`,
    onPoll: report,
    timeoutHint: `raise timeouts.${op === "update" ? "update" : "create"} (e.g. "1h"); the ${spec.kind.toLowerCase()} stays in the stack, and the next \`pulumi up\` waits for it again`,
    fetch: (deadline) => fetchCurrent(call, `wait for ${op} of`, deadline),
    state: stateOf,
    pending: [...states.creating, ...states.updating],
    target: states.ready,
    failed: states.failed,
    settled: (resource) => spec.settled?.(resource, inputs) ?? true,
    failure: (resource) => spec.statusMessage?.(resource) ?? "the platform gave no status message",
    notFound: "grace",
    timeoutMs: timeoutSeconds * 1000,
    ...pacing(call.ctx),
  });
  if (!result) throw new FireworksError(`${spec.kind} "${call.name}" disappeared while waiting for it`);
  return result;
}

function defaultProgress(spec: ResourceSpec, resource: Props): string {
  const why = spec.statusMessage?.(resource);
  return `${stateOf(resource) || "(no state)"}${why ? `: ${why}` : ""}`;
}

function pickCreateOnly(spec: ResourceSpec, from: Props): Props {
  return Object.fromEntries((spec.createOnlyOutputs ?? []).filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));
}

function claimOf(props: Props): string | undefined {
  const claim = props[HIDDEN.claim];
  return typeof claim === "string" ? claim : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function statesOf(spec: ResourceSpec): StateMachine | undefined {
  return spec.states;
}

/** Deleted or being deleted: still visible to GET, but gone for the user. */
function isDeleted(spec: ResourceSpec, resource: Props): boolean {
  const states = statesOf(spec);
  const state = stateOf(resource);
  return states !== undefined && (states.deleted.includes(state) || states.deleting.includes(state));
}

function isSoftDeleted(spec: ResourceSpec, resource: Props): boolean {
  return statesOf(spec)?.deleted.includes(stateOf(resource)) ?? false;
}

export function stateOf(resource: Props): string {
  return typeof resource.state === "string" ? resource.state : "";
}

interface Hidden {
  claim?: string;
  /** The declaration recorded at the last create or update (refresh keeps it); else taken from the inputs. */
  declared?: Props;
  applied?: unknown;
  unconfirmed?: boolean;
}

function outputs(call: Call, resource: Props, hidden: Hidden): Props {
  const { spec, ctx, id, inputs } = call;
  const provided: Props = {};
  const declared: Props = hidden.declared ?? {};
  for (const [key, field] of fieldEntries(spec)) {
    // Secrets are recorded only as "declared": their values stay under their own (secret) keys.
    if (!hidden.declared && inputs[key] !== undefined) declared[key] = field.secret ? true : inputs[key];
    // Write-only values are not kept: diffs compare the hashes in `__applied`, and a copy would only be a liability.
    if (field.kind === "provider" || field.send === false) provided[key] = inputs[key];
  }
  const idInput = idInputOf(spec);
  return compact({
    ...resource,
    ...spec.derivedOutputs?.(resource, ctx.config),
    ...provided,
    ...(idInput === undefined ? {} : { [idInput]: id }),
    [HIDDEN.name]: inputs[HIDDEN.name],
    [HIDDEN.owner]: inputs[HIDDEN.owner],
    [HIDDEN.instance]: inputs[HIDDEN.instance],
    [HIDDEN.account]: ctx.config.accountId,
    [HIDDEN.claim]: hidden.claim,
    [HIDDEN.declared]: declared,
    [APPLIED]: hidden.applied,
    [HIDDEN.unconfirmed]: hidden.unconfirmed ? true : undefined,
  });
}
