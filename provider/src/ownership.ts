/**
 * Who owns a resource on the platform. Three facts decide it:
 *
 * - the owner: "<project>/<stack>/<resource name>@<stack instance>", where the stack instance is the ID the engine
 *   gave this stack's Fireworks provider when it was first created (a random UUID, kept in state). Two stacks of
 *   the same name in different backends, organisations or checkouts therefore never share an owner, while a re-run
 *   of the same stack after a killed `up` does (the provider was checkpointed before any resource was created).
 * - the claim: a random token chosen by each create. The stamp on the platform is "<owner>#<claim>" and state
 *   records the claim, so read, update and delete can tell the resource this stack resource created from one that
 *   another create (a replacement under the same ID, or someone else after an out-of-band delete) put there later.
 * - the create time the platform reported, recorded in state: a resource deleted and re-created outside Pulumi has
 *   another one, whether or not the kind can carry a stamp.
 */
import { randomBytes } from "node:crypto";
import type { ResourceSpec } from "./spec";
import { isUnknown, type Props } from "./values";

export const OWNER_KEYS = { owner: "__owner", instance: "__instance", claim: "__claim" } as const;

export function newClaim(): string {
  return randomBytes(6).toString("hex");
}

/** "<project>/<stack>/<name>@<instance>", or the bare owner when the SDK gave no instance (older programs). */
export function ownerOf(inputs: Props): string | undefined {
  const owner = inputs[OWNER_KEYS.owner];
  const instance = inputs[OWNER_KEYS.instance];
  if (typeof owner !== "string" || isUnknown(owner)) return undefined;
  return typeof instance === "string" && instance !== "" && !isUnknown(instance) ? `${owner}@${instance}` : owner;
}

export function stampOf(owner: string, claim: string): string {
  return `${owner}#${claim}`;
}

/** True when the platform's stamp was written by some create of this very stack resource (any claim). */
export function sameOwner(stamp: string | undefined, owner: string | undefined): boolean {
  if (stamp === undefined || owner === undefined) return false;
  return stamp === owner || stamp.startsWith(`${owner}#`);
}

/**
 * Why `server` is not the resource recorded in `props` (the state of this stack resource), or undefined when it is
 * (or when nothing recorded can tell).
 */
export function notOursReason(spec: ResourceSpec, props: Props, server: Props): string | undefined {
  const recordedTime = props.createTime;
  const serverTime = server.createTime;
  if (typeof recordedTime === "string" && typeof serverTime === "string" && recordedTime !== serverTime) {
    return `it was created at ${serverTime}, not at ${recordedTime} as this stack recorded`;
  }
  const stamp = spec.api.owner?.read(server);
  const owner = typeof props[OWNER_KEYS.owner] === "string" ? ownerOf(props) : undefined;
  const claim = props[OWNER_KEYS.claim];
  if (stamp === undefined || owner === undefined) return undefined;
  const expected = typeof claim === "string" ? stampOf(owner, claim) : undefined;
  if (expected !== undefined ? stamp === expected : sameOwner(stamp, owner)) return undefined;
  return sameOwner(stamp, owner)
    ? "a later create of this stack resource took it over under the same ID"
    : `it carries another owner stamp ("${stamp}")`;
}
