/**
 * Value helpers shared by the spec engine: Pulumi's preview "unknown" sentinel, deep equality, and canonical forms
 * that make semantically equal values compare equal (absent ≡ server default, "10m" ≡ "600s").
 */
export type Props = Record<string, unknown>;

/** The value Pulumi passes for properties that are not known until apply (rpc.unknownValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A canonical value meaning "absent, and the server picks the value": never a diff. */
export const COMPUTED: unique symbol = Symbol("computed");

export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (value && typeof value === "object") return Object.values(value).some(isUnknown);
  return false;
}

export function isPlainObject(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Removes keys whose value is undefined (the engine drops them anyway; keeping state tidy makes diffs honest). */
export function compact<T extends Props>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

