/**
 * ApiKey: a key of a user or service account (reference §9), under `accounts/{a}/users/{u}/apiKeys`. Its quirks,
 * each a typed choice below: the ID (`keyId`) is server-generated; there is no GET, so reads list the user's keys;
 * there is no update, so every change replaces the key (create-before-delete, since the new key gets a new ID);
 * delete is the POST verb `apiKeys:delete` with `{keyId}`; create wraps the body as `{"apiKey": {...}}`; and the
 * plaintext `key` is in the create response only ("not stored thereafter"), so state keeps it across refresh.
 */
import { z } from "zod";
import type { ProviderConfig } from "../config";
import { FireworksError } from "../errors";
import { idProblem } from "../ids";
import type { CheckFailure, FieldTable, ResourceSpec } from "../spec";
import { show } from "../validation";
import type { Props } from "../values";
import { annotationOwner, reservedAnnotationFailure, userAnnotations, withoutOwnerAnnotation } from "./annotation-owner";

/** "displayName ... defaults to \"default\" if not specified" (§9). */
const DEFAULT_DISPLAY_NAME = "default";

const USER_NAME = /^accounts\/([^/]+)\/users\/([^/]+)$/;

/** Why `user` names no user, or undefined: a full name `accounts/{a}/users/{u}` or a bare user ID. */
function userProblem(user: string): string | undefined {
  const match = USER_NAME.exec(user);
  const id = match ? (match[2] ?? "") : user;
  if (!match && user.includes("/")) return 'it is neither a user name ("accounts/{account}/users/{user}") nor a user ID';
  const problem = idProblem(id);
  return problem ? `the user ID ${show(id)} is not valid: ${problem}` : undefined;
}

export function apiKeySchema() {
  return z.strictObject({
    user: z
      .string()
      .refine((v) => userProblem(v) === undefined, { error: (iss) => `${show(iss.input)} names no user: ${userProblem(String(iss.input))}` })
      .optional(),
    displayName: z.string().max(63, { error: "must be fewer than 64 characters" }).optional(),
    expireTime: z.iso.datetime({ offset: true, error: (iss) => `${show(iss.input)} is not an RFC 3339 timestamp; write it like "2030-01-01T00:00:00Z"` }).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    keepers: z.record(z.string(), z.string()).optional(),
  });
}

/** The inputs as the provider sees them; the SDK's ApiKeyArgs is checked against this at compile time. */
export type ApiKeyInputs = z.input<ReturnType<typeof apiKeySchema>>;

/** Timestamps compare as instants: the platform returns UTC with "Z" whatever offset was sent. */
function instant(value: unknown): unknown {
  return typeof value === "string" && value !== "" ? new Date(value).toISOString() : value;
}

// Every API field is "replace": the API has no update (§9, §19). The engine would replace on "update" fields too
// (update style "none"), but the table then says what happens.
export const apiKeyFields = {
  // A path parameter, not part of the key: kept in state as declared.
  user: {
    kind: "replace",
    send: false,
    required: 'set it to the user or service account the key belongs to, e.g. serviceAccount.name ("accounts/{account}/users/{user}") or its user ID',
  },
  displayName: { kind: "replace", absent: () => DEFAULT_DISPLAY_NAME, normalize: (v) => (v === "" ? DEFAULT_DISPLAY_NAME : v) },
  // "If not set, the key never expires."
  expireTime: { kind: "replace", absent: "zero", zero: "", normalize: instant },
  // The owner stamp rides here; it is the provider's, so neither diffed nor reported.
  annotations: { kind: "replace", absent: "zero", zero: {}, normalize: withoutOwnerAnnotation },
  // Arbitrary values whose change rotates the key (like random's keepers); never sent.
  keepers: { kind: "replace", send: false },
} satisfies FieldTable<ApiKeyInputs>;

function crossCheck(inputs: Props, _raw: Props, olds: Props): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const expire = inputs.expireTime;
  // Only a new or changed expiry must lie ahead: a key that has since expired must not block every later preview
  // of the stack (changing the time, which rotates the key, is the way out).
  if (typeof expire === "string" && expire !== olds.expireTime) {
    const at = Date.parse(expire);
    if (!Number.isNaN(at) && at <= Date.now()) {
      failures.push({
        property: "expireTime",
        reason: `${show(expire)} is in the past: the key would be born expired; set a future time, or omit expireTime for a key that never expires`,
      });
    }
  }
  const reserved = reservedAnnotationFailure(inputs.annotations);
  if (reserved) failures.push(reserved);
  return failures;
}

/** `accounts/{a}/users/{u}/apiKeys` for a user given by full name (its own account) or by ID (the provider's). */
export function apiKeyCollection(config: ProviderConfig, inputs: Props): string {
  const user = inputs.user;
  if (typeof user !== "string" || user === "") throw new FireworksError("ApiKey: the key's user is not known (internal error: check requires it)");
  return `${user.startsWith("accounts/") ? user : `accounts/${config.accountId}/users/${user}`}/apiKeys`;
}

export const apiKeySpec: ResourceSpec = {
  kind: "ApiKey",
  identity: { kind: "server", idOf: (resource) => (typeof resource.keyId === "string" && resource.keyId !== "" ? resource.keyId : undefined) },
  fields: apiKeyFields,
  schema: apiKeySchema,
  crossCheck,
  // No state machine: a key exists (and works) as soon as the create returns.
  defaultTimeouts: { create: 60, update: 60, delete: 60 },
  api: {
    collection: apiKeyCollection,
    createWrap: "apiKey",
    // The GET path in the 4.259.0 spec is a generator artefact (§9): list the user's keys and find the keyId.
    read: { kind: "list", items: "apiKeys" },
    update: { kind: "none" },
    delete: { kind: "verb", verb: ":delete", body: (id) => ({ keyId: id }) },
    // The only marker a key can carry (annotations, 4.259.0): an ambiguous create is settled by listing the user's
    // keys and finding this create's stamp, never by posting again.
    owner: annotationOwner,
  },
  // "The actual API key value, only available upon creation and not stored thereafter."
  createOnlyOutputs: ["key"],
  derivedOutputs: (resource) => ({ annotations: userAnnotations(resource) }),
};
