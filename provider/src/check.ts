/**
 * check: validation at preview, before any API call, and the hidden inputs that give a resource its identity (the
 * derived ID, the owner and stack instance recorded at create).
 */
import { parseDuration } from "./durations";
import { autoName, idProblem } from "./ids";
import { OWNER_KEYS, ownerOf } from "./ownership";
import type { CheckFailure, ResourceSpec } from "./spec";
import { fieldEntries } from "./fields";
import { isPlainObject, isUnknown, type Props } from "./values";
import { schemaFailures, show, withoutUnknowns } from "./validation";

export const HIDDEN = { name: "__name", declared: "__declared", unconfirmed: "__unconfirmed", applied: "__applied", account: "__account", ...OWNER_KEYS } as const;
const HIDDEN_KEYS: readonly string[] = [...Object.values(HIDDEN), "__provider"];

export interface CheckResult {
  inputs: Props;
  failures: CheckFailure[];
}

export function checkInputs(spec: ResourceSpec, olds: Props, news: Props): CheckResult {
  const inputs: Props = { ...news };
  const known = withoutUnknowns(stripHidden(news)) as Props;
  const secretKeys = fieldEntries(spec).filter(([, f]) => f.secret || f.writeOnly !== undefined).map(([k]) => k);
  const failures = schemaFailures(spec.schema(), known, secretKeys);
  for (const [key, field] of fieldEntries(spec)) {
    if (field.required && news[key] === undefined) failures.push({ property: key, reason: `${key} is required: ${field.required}` });
  }
  // Cross-field rules read only well-typed values, so they run even when some field failed: one preview lists
  // every problem instead of one per attempt.
  failures.push(...(spec.crossCheck?.(known, news, olds) ?? []));
  failures.push(...timeoutFailures(known.timeouts));

  // Ownership is fixed when a resource is created: a later run keeps the recorded owner even if the program now
  // runs under another provider, or the platform's stamp would no longer match (replacements check without olds).
  if (typeof olds[HIDDEN.owner] === "string") {
    inputs[HIDDEN.owner] = olds[HIDDEN.owner];
    if (typeof olds[HIDDEN.instance] === "string") inputs[HIDDEN.instance] = olds[HIDDEN.instance];
    else delete inputs[HIDDEN.instance];
  }
  if (failures.length === 0) Object.assign(inputs, spec.annotate?.(inputs));
  const identity = spec.identity;
  if (identity.kind === "server") return { inputs, failures };
  const userId = news[identity.input];
  if (userId === undefined && identity.kind === "client" && identity.derive) {
    // Keep an earlier derived name (a renamed resource with an alias keeps its resource); a replacement re-runs
    // check without olds and so derives a fresh name from the new replace-forcing values. The stack instance is
    // part of the hash, so two stacks of the same project and stack name never derive the same ID.
    const previous = olds[HIDDEN.name];
    const seed = spec.autoNameSeed?.(news) ?? [];
    if (typeof previous === "string") inputs[HIDDEN.name] = previous;
    else if (!isUnknown(seed) && !isUnknown(inputs[HIDDEN.instance]) && !isUnknown(inputs[HIDDEN.owner])) {
      inputs[HIDDEN.name] = autoName(resourceNameOf(inputs), [ownerOf(inputs), ...seed]);
    }
  } else if (typeof userId === "string" && !isUnknown(userId)) {
    const problem = idProblem(userId);
    const fix = identity.kind === "client" && identity.derive ? `; or omit ${identity.input} to have one derived from the resource name` : "";
    if (problem) failures.push({ property: identity.input, reason: `${show(userId)} is not a valid ID: ${problem}${fix}` });
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

function stripHidden(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !HIDDEN_KEYS.includes(k)));
}
