/**
 * Turns schema issues into check failures that name the property, the bad value and the fix, so `pulumi preview`
 * stops bad input before any API call spends money.
 */
import type { z } from "zod";
import type { CheckFailure } from "./spec";
import { UNKNOWN, isPlainObject, type Props } from "./values";

/** Drops values that are unknown during preview; they are validated once known. */
export function withoutUnknowns(value: unknown): unknown {
  if (value === UNKNOWN) return undefined;
  if (Array.isArray(value)) return value.some((v) => v === UNKNOWN) ? undefined : value.map(withoutUnknowns);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, withoutUnknowns(v)] as const)
        .filter(([, v]) => v !== undefined),
    );
  }
  return value;
}

/**
 * `secretKeys`: top-level inputs whose values are credentials. A failure under them never quotes the value: the
 * engine masks secret values in its own part of the message, but not in the reason text the provider writes.
 */
export function schemaFailures(schema: z.ZodType, inputs: Props, secretKeys: readonly string[] = []): CheckFailure[] {
  const result = schema.safeParse(inputs, { reportInput: true });
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => {
    const key = String(issue.path[0] ?? "");
    if (!secretKeys.includes(key)) return describeIssue(issue, keysAt(schema, issue.path), false);
    // A refinement's own message may quote its input too, so the values are also cut out of the finished text.
    const values = stringsIn(inputs[key]);
    return describeIssue(issue, keysAt(schema, issue.path), true).map((f) => ({
      ...f,
      // Longest first, and not values so short that they would cut words apart (as the HTTP client's redaction).
      reason: [...values].sort((a, b) => b.length - a.length).reduce((text, v) => (v.length >= 4 ? text.split(v).join("[secret]") : text), f.reason),
    }));
  });
}

function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isPlainObject(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}



/** The property names an object schema accepts at `path` (the siblings an unknown key is compared with). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  for (const segment of path) {
    current = unwrap(current);
    const shape = objectShape(current);
    if (!shape) return [];
    current = shape[String(segment)];
  }
  return Object.keys(objectShape(unwrap(current)) ?? {});
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let i = 0; i < 5; i++) {
    const inner = (current as { unwrap?: () => unknown } | undefined)?.unwrap;
    if (typeof inner !== "function") break;
    current = inner.call(current);
  }
  return current;
}

function objectShape(schema: unknown): Record<string, unknown> | undefined {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return shape && typeof shape === "object" ? (shape as Record<string, unknown>) : undefined;
}

function describeIssue(issue: z.core.$ZodIssue, knownKeys: readonly string[], secret: boolean): CheckFailure[] {
  const path = issue.path.map(String).join(".");
  const shown = !("input" in issue) ? "" : secret ? "[secret]" : show(issue.input);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const property = path ? `${path}.${key}` : key;
        const near = closest(key, knownKeys);
        return { property, reason: `unknown property "${property}"${near ? `; did you mean "${near}"?` : ""}` };
      });
    case "invalid_value": {
      const allowed = issue.values.map(String);
      return [{ property: path, reason: `${shown} is not a valid ${lastKey(path)}; use one of: ${allowed.join(", ")}` }];
    }
    case "invalid_type":
      return [{ property: path, reason: `expected ${article(issue.expected)}, got ${shown}` }];
    case "too_small":
    case "too_big":
      return [{ property: path, reason: `${shown}: ${issue.message}` }];
    default:
      return [{ property: path, reason: issue.message }];
  }
}

function lastKey(path: string): string {
  return path.slice(path.lastIndexOf(".") + 1) || "value";
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The known key the user most likely meant: one sharing most of what they wrote as a prefix ("maxReplicas" ->
 * "maxReplicaCount"), else the nearest within an edit distance that grows with the name's length.
 */
function closest(key: string, candidates: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const needed = Math.max(4, Math.ceil(lower.length * 0.7));
  const byPrefix = candidates
    .map((c) => ({ c, common: commonPrefix(lower, c.toLowerCase()) }))
    .filter(({ common }) => common >= needed)
    .sort((a, b) => b.common - a.common || a.c.length - b.c.length);
  if (byPrefix[0]) return byPrefix[0].c;
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(key.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}
