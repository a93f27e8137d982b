/**
 * Resource ID rules (reference §1.2): 1-63 characters of [a-z0-9-], not starting or ending with "-", not starting
 * with a digit. Auto-names are derived deterministically so that a re-run after a crash finds the resource it
 * created instead of creating a second one.
 */
import { createHash } from "node:crypto";

export const MAX_ID_LENGTH = 63;

/** Why `id` is not a valid resource ID, or undefined when it is. */
export function idProblem(id: string): string | undefined {
  if (id.length < 1) return "it must be at least 1 character long";
  if (id.length > MAX_ID_LENGTH) return `it is ${id.length} characters long; the limit is ${MAX_ID_LENGTH}`;
  if (!/^[a-z0-9-]+$/.test(id)) return "it may contain only lowercase letters, digits and hyphens";
  if (/^[0-9]/.test(id)) return "it must not start with a digit";
  if (id.startsWith("-") || id.endsWith("-")) return "it must not start or end with a hyphen";
  return undefined;
}

/**
 * `<slug of the resource name>-<7 hex chars>`; the hash covers the owner (project/stack/name) and the values of
 * the fields whose change forces replacement, so a replacement gets a fresh ID (create-before-delete can run) while
 * previews and re-runs with the same inputs get the same one.
 */
export function autoName(resourceName: string, seed: readonly unknown[]): string {
  const hash = createHash("sha256").update(JSON.stringify(seed)).digest("hex").slice(0, 7);
  let slug = resourceName.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-+|-+$/g, "");
  if (!slug || /^[0-9]/.test(slug)) slug = `r-${slug}`.replace(/-+$/, "");
  slug = slug.slice(0, MAX_ID_LENGTH - 8).replace(/-+$/, "");
  return `${slug}-${hash}`;
}

