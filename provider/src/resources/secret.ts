/**
 * Secret: a named value the platform injects into workloads (reference §8). The API quirks this spec serves:
 * - no ID parameter: the ID travels as the last segment of the full `name` in the create body;
 * - `value` is INPUT_ONLY ("will not be returned in GET or LIST responses"): diffs compare a hash of what was last
 *   applied, and drift of the value on the platform cannot be detected;
 * - UpdateSecretRequest has no update mask: a PATCH replaces keyName and value together, so both are always sent;
 * - no state and no timestamps: a secret is ready as soon as GET returns it.
 */
import { z } from "zod";
import type { FieldTable, ResourceSpec } from "../spec";
import { show } from "../validation";

/**
 * keyName looks like an environment variable name. Fireworks' own code ([RK]) upper-cases the ID and turns "-" into
 * "_", calling keyName "the specific field with new rules"; the exact rule is UNKNOWN, so the provider applies the
 * emulator's stricter reading (README choice 29): an uppercase letter, then A-Z, 0-9 and "_", at most 63 characters.
 */
export const KEY_NAME = /^[A-Z][A-Z0-9_]{0,62}$/;
const KEY_NAME_MAX = 63;

/** A keyName that satisfies the rule, made from a rejected one ("my-key" -> "MY_KEY"), to show as the fix. */
export function suggestKeyName(value: string): string {
  const upper = value.toUpperCase().replace(/[^A-Z0-9_]+/g, "_").replace(/^[^A-Z]+/, "").slice(0, KEY_NAME_MAX);
  return upper === "" ? "MY_SECRET" : upper;
}

export function secretSchema() {
  return z.strictObject({
    secretId: z.string().optional(),
    keyName: z
      .string()
      .refine((v) => KEY_NAME.test(v), {
        error: (iss) => {
          const given = typeof iss.input === "string" ? iss.input : "";
          return `${show(iss.input)} is not a valid keyName: it must start with an uppercase letter and contain only A-Z, 0-9 and _ (at most ${KEY_NAME_MAX} characters); use e.g. ${show(suggestKeyName(given))}`;
        },
      })
      .optional(),
    // The emulator (README choice 29) refuses an empty value on create and on PATCH: an empty secret nobody can read
    // back would be a silent wipe. The message never quotes the value (check.ts masks secret inputs).
    value: z.string().min(1, { error: "the value must not be empty; the API requires one on create and on every update" }).optional(),
  });
}

/** The inputs as the provider sees them; the SDK's SecretArgs is checked against this at compile time. */
export type SecretInputs = z.input<ReturnType<typeof secretSchema>>;

export const secretFields = {
  // The ID is part of `name` (identity.body); a change replaces the secret.
  secretId: { kind: "provider" },
  keyName: { kind: "update", required: 'set it to the environment-variable name the value is exposed under, e.g. "HF_TOKEN"' },
  value: { kind: "update", secret: true, writeOnly: true, required: "set it to the secret value, e.g. from `config.requireSecret(...)`" },
} satisfies FieldTable<SecretInputs>;

export const secretSpec: ResourceSpec = {
  kind: "Secret",
  // "no secretId parameter": the create body carries `name: accounts/{a}/secrets/{id}` ([RK], reference §1.4, §8).
  identity: { kind: "client", input: "secretId", derive: true, body: (body, _id, name) => ({ ...body, name }) },
  fields: secretFields,
  schema: secretSchema,
  // Nothing is polled (no states): these bound nothing but are required by the spec.
  defaultTimeouts: { create: 5 * 60, update: 5 * 60, delete: 5 * 60 },
  api: {
    collection: (config) => `accounts/${config.accountId}/secrets`,
    read: { kind: "get" },
    // No update mask in UpdateSecretRequest: the PATCH replaces keyName and value together, so a changed keyName must
    // resend the value (only the program has it) and a changed value must resend keyName ("keyName: Required").
    update: { kind: "full" },
    delete: { kind: "delete" },
  },
};
