/**
 * The field algebra every kind shares: what a declaration asks for in canonical form, what the platform has, whether
 * they differ, and the API body that makes them equal. Write-only fields (the API accepts them, never returns them)
 * compare a hash of what was last applied, recorded in state as `__applied`, never the server's echo.
 */
import { createHash } from "node:crypto";
import type { FieldSpec, ResourceSpec } from "./spec";
import { COMPUTED, deepEqual, isPlainObject, isUnknown, type Props } from "./values";

/** State key of the write-only hashes: `{ [field]: hash }`. */
export const APPLIED = "__applied";

export function fieldEntries(spec: ResourceSpec): [string, FieldSpec][] {
  return Object.entries(spec.fields) as [string, FieldSpec][];
}

/**
 * Whether the declaration in `news` differs from what `olds` holds (the recorded outputs, or the platform's resource
 * with `__applied` attached).
 */
export function fieldChanged(field: FieldSpec, key: string, olds: Props, news: Props): boolean {
  const declared = news[key];
  if (isUnknown(declared)) return true;
  if (field.kind === "provider") return !deepEqual(declared, olds[key]);
  // Not part of the API resource: compared with what state recorded as declared, in canonical form.
  if (field.send === false) {
    const [want, had] = [normalized(field, declared), normalized(field, olds[key])];
    return !(field.equal ? field.equal(want, had) : deepEqual(want, had));
  }
  if (field.writeOnly !== undefined && writeOnlyChanged(field, key, olds, news)) return true;
  const want = declaredValue(field, declared, news);
  if (want === COMPUTED) return false;
  const have = serverValue(field, olds[key]);
  return !(field.equal ? field.equal(stripWriteOnly(field, want), stripWriteOnly(field, have)) : deepEqual(stripWriteOnly(field, want), stripWriteOnly(field, have)));
}

/** The value the declaration asks for, in canonical form; COMPUTED when the server decides. */
export function declaredValue(field: FieldSpec, declared: unknown, inputs: Props): unknown {
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

/** Whether the field travels in API bodies (provider settings and `send: false` fields do not). */
export function sent(field: FieldSpec): boolean {
  return field.kind !== "provider" && field.send !== false;
}

export function toApi(field: FieldSpec, value: unknown): unknown {
  return field.toApi ? field.toApi(value) : normalized(field, value);
}

/** The create body: every declared API field in its API form. */
export function apiBody(spec: ResourceSpec, inputs: Props): Props {
  const body: Props = {};
  for (const [key, field] of fieldEntries(spec)) {
    if (!sent(field) || inputs[key] === undefined) continue;
    body[key] = toApi(field, inputs[key]);
  }
  return body;
}

/**
 * Updatable fields whose declared value differs from the server's, as an API-shaped PATCH body. `applied` are the
 * write-only hashes recorded in state (the server cannot tell what it holds).
 */
export function changedApiFields(spec: ResourceSpec, server: Props, news: Props, applied?: unknown): Props {
  const have: Props = { ...server, [APPLIED]: applied };
  const body: Props = {};
  for (const [key, field] of fieldEntries(spec)) {
    if (field.kind !== "update" || !sent(field) || !fieldChanged(field, key, have, news)) continue;
    // A removed declaration resets the field to its documented default or zero value.
    const value = declaredValue(field, news[key], news);
    if (value !== COMPUTED) body[key] = toApi(field, value);
  }
  return body;
}

/** Every writable field as declared (absent ones at their default), for APIs that replace them all at once. */
export function fullApiBody(spec: ResourceSpec, news: Props): Props {
  const body: Props = {};
  for (const [key, field] of fieldEntries(spec)) {
    if (field.kind !== "update" || !sent(field)) continue;
    const value = declaredValue(field, news[key], news);
    if (value !== COMPUTED && value !== undefined) body[key] = toApi(field, value);
  }
  return body;
}

/** The hashes of the write-only values in `inputs`, as state records them after they were applied. */
export function appliedHashes(spec: ResourceSpec, inputs: Props): Props | undefined {
  const out: Props = {};
  for (const [key, field] of fieldEntries(spec)) {
    if (field.writeOnly === undefined || inputs[key] === undefined) continue;
    out[key] = writeOnlyHash(field, inputs[key]);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function writeOnlyChanged(field: FieldSpec, key: string, olds: Props, news: Props): boolean {
  const recorded = isPlainObject(olds[APPLIED]) ? olds[APPLIED][key] : undefined;
  const declared = news[key];
  if (declared === undefined) return recorded !== undefined;
  return writeOnlyHash(field, declared) !== recorded;
}

/** A SHA-256 of the write-only part: enough to see that a value changed, nothing to recover it from. */
function writeOnlyHash(field: FieldSpec, value: unknown): string {
  const part = field.writeOnly === true ? value : pick(value, field.writeOnly ?? []);
  return createHash("sha256").update(JSON.stringify(part ?? null)).digest("hex");
}

function pick(value: unknown, keys: readonly string[]): Props {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]]));
}

/** The comparable part of a value: without its write-only keys (those compare by hash). */
function stripWriteOnly(field: FieldSpec, value: unknown): unknown {
  if (field.writeOnly === undefined || value === COMPUTED) return value;
  if (field.writeOnly === true) return undefined;
  if (!isPlainObject(value)) return value;
  const rest = { ...value };
  for (const k of field.writeOnly) delete rest[k];
  return rest;
}
