/**
 * Quota: an account limit the platform seeds (reference §13), such as "monthly-spend-usd" or
 * "serverless-inference-rpm". The API quirks this spec serves:
 * - there is no create and no delete: the provider takes an existing quota over (identity `existing`) and, on
 *   destroy, leaves it as it is and says so (the platform has no "unset", and the value it held before is not kept);
 * - `value` is int64, a JSON string on the wire (reference §1.3): 5000 and "5000" are the same declaration, and a
 *   value of 0 is omitted from responses (zero values are not emitted);
 * - the PATCH body must carry the name ("quota.name must be populated with the updated resource's name");
 * - `maxValue` is "the maximum approved value", raised by Fireworks, not by the account (INFERRED; the emulator
 *   answers 403 to a change), so it is an output here; a value above it is the platform's 400, whose message
 *   names the limit and reaches the user unchanged.
 */
import { z } from "zod";
import type { FieldTable, ResourceSpec } from "../spec";
import { show } from "../validation";

const INT64_MAX = 9223372036854775807n;

/** A non-negative int64: a safe integer number, or a decimal string (for values a JS number cannot hold exactly). */
function isQuotaValue(value: unknown): value is number | string {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0;
  return typeof value === "string" && /^[0-9]{1,19}$/.test(value) && BigInt(value) <= INT64_MAX;
}

/** int64 in the API's JSON form: a decimal string without leading zeros (5000, "5000" and "05000" -> "5000"). */
export function canonicalQuotaValue(value: unknown): unknown {
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value === "string" && /^[0-9]+$/.test(value)) return BigInt(value).toString();
  return value;
}

export function quotaSchema() {
  return z.strictObject({
    quotaId: z.string().optional(),
    value: z
      .custom<number | string>(isQuotaValue, {
        error: (iss) => `${show(iss.input)} is not a valid value: a quota value is a whole number from 0 up to the quota's maxValue, e.g. 5000 (or "5000")`,
      })
      .optional(),
  });
}

/** The inputs as the provider sees them; the SDK's QuotaArgs is checked against this at compile time. */
export type QuotaInputs = z.input<ReturnType<typeof quotaSchema>>;

export const quotaFields = {
  // The ID names which existing quota this resource manages; a change moves management to another quota.
  quotaId: { kind: "provider", required: 'set it to the quota to manage, e.g. "monthly-spend-usd" or "serverless-inference-rpm"' },
  // "0" is the int64 zero value, which responses omit: an absent server value means 0.
  value: { kind: "update", zero: "0", normalize: canonicalQuotaValue, required: "set it to the limit to enforce, at most the quota's maxValue, e.g. 5000" },
} satisfies FieldTable<QuotaInputs>;

export const quotaSpec: ResourceSpec = {
  kind: "Quota",
  identity: { kind: "existing", input: "quotaId" },
  fields: quotaFields,
  schema: quotaSchema,
  // Nothing is polled (no states): these bound nothing but are required by the spec.
  defaultTimeouts: { create: 5 * 60, update: 5 * 60, delete: 5 * 60 },
  api: {
    collection: (config) => `accounts/${config.accountId}/quotas`,
    read: { kind: "get" },
    update: {
      kind: "sparse",
      // "quota.name must be populated with the updated resource's name" (UpdateQuotaRequest, reference §13).
      body: (changed, current) => ({ ...changed, name: current.name }),
    },
    delete: {
      kind: "none",
      left: (name, props) =>
        `Quota "${name}" keeps its value ${typeof props.value === "string" ? props.value : "0"}${typeof props.maxValue === "string" ? ` (maxValue ${props.maxValue})` : ""} on Fireworks: quotas cannot be deleted or reset through the API, so destroy only removed it from the stack; set it back with firectl or the console if you want the earlier limit`,
    },
  },
};
