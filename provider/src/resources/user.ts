/**
 * User: a person (signs in by email) or a service account (`serviceAccount: true`) of the account (reference §10).
 * Role, display name and permission preset change in place; email, serviceAccount and the user ID cannot change
 * (IMMUTABLE in the protos), so a change replaces. The public REST API has no user delete (DeleteUser has no http
 * rule): destroy leaves the user on the platform and says so, optionally lowering its role first.
 */
import { z } from "zod";
import type { CheckFailure, FieldTable, ResourceSpec, StateMachine } from "../spec";
import { show } from "../validation";
import { isUnknown, type Props } from "../values";

/** User.role: "admin, user, contributor, inference-user, or custom" (4.259.0; `custom` is new there, §21). */
export const USER_ROLES = ["admin", "user", "contributor", "inference-user", "custom"] as const;

/** Roles destroy may lower a user to: `custom` would need a permission preset, which destroy does not choose. */
export const DESTROY_ROLES = ["admin", "user", "contributor", "inference-user"] as const;

/**
 * User.state: STATE_UNSPECIFIED, CREATING, READY, UPDATING, DELETING (§10). The API omits zero-valued enums (§1.3),
 * so a user whose state the platform does not track reads with no state at all: that user is usable, i.e. ready.
 */
export const USER_STATES: StateMachine = {
  creating: ["CREATING"],
  ready: ["READY", "STATE_UNSPECIFIED", ""],
  updating: ["UPDATING"],
  failed: [],
  deleting: ["DELETING"],
  deleted: [],
};

/** Deliberately loose: the platform is the authority on addresses; this catches a missing "@" or domain at preview. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function userSchema() {
  return z.strictObject({
    userId: z.string().optional(),
    email: z.string().regex(EMAIL, { error: (iss) => `${show(iss.input)} is not an email address` }).optional(),
    serviceAccount: z.boolean().optional(),
    role: z.enum(USER_ROLES).optional(),
    displayName: z.string().max(63, { error: "must be fewer than 64 characters" }).optional(),
    permissionPreset: z.string().min(1, { error: 'must not be empty; omit it unless role is "custom"' }).optional(),
    roleOnDestroy: z.enum(DESTROY_ROLES).optional(),
  });
}

/** The inputs as the provider sees them; the SDK's UserArgs is checked against this at compile time. */
export type UserInputs = z.input<ReturnType<typeof userSchema>>;

export const userFields = {
  // The ID travels in the `userId` query parameter (identity below); a change replaces the user.
  userId: { kind: "provider" },
  // IMMUTABLE ([PROTO]). Absent is the server's call: a service account may be given an address by the platform.
  email: { kind: "replace", absent: "server", zero: "" },
  serviceAccount: { kind: "replace", absent: "zero", zero: false },
  role: { kind: "update", required: `set it to one of: ${USER_ROLES.join(", ")}` },
  // The platform may fill a display name from the user's profile: absent is not a diff.
  displayName: { kind: "update", absent: "server", zero: "" },
  // Absent means none, so a role change away from "custom" with the preset removed clears it in the same PATCH
  // (a preset is "only valid when role is custom").
  permissionPreset: { kind: "update", absent: "zero", zero: "" },
  roleOnDestroy: { kind: "provider" },
} satisfies FieldTable<UserInputs>;

function crossCheck(inputs: Props, raw: Props): CheckFailure[] {
  const failures: CheckFailure[] = [];
  // Whether email is set counts even when its value is not known yet (preview); an unknown serviceAccount may be true.
  if (raw.email === undefined && raw.serviceAccount !== true && !isUnknown(raw.serviceAccount)) {
    failures.push({
      property: "email",
      reason: "email is required for a human user: set it to the address they sign in with, or set serviceAccount: true for a service account",
    });
  }
  if (raw.permissionPreset !== undefined && typeof inputs.role === "string" && inputs.role !== "custom") {
    failures.push({
      property: "permissionPreset",
      reason: `permissionPreset is only valid when role is "custom" (role is ${show(inputs.role)}); set role: "custom" or remove permissionPreset`,
    });
  }
  return failures;
}

/** UserUpdateParams requires `role` (reference §10): a PATCH of any other field carries the role unchanged. */
export function userUpdateBody(changed: Props, current: Props, inputs: Props): Props {
  return { ...changed, role: changed.role ?? inputs.role ?? current.role };
}

/**
 * The PATCH destroy sends before leaving the user: its role lowered to `roleOnDestroy`. A preset is only valid with
 * role "custom", so one is cleared in the same request.
 */
export function userBeforeDelete(props: Props): Props | undefined {
  const role = props.roleOnDestroy;
  if (typeof role !== "string" || role === props.role) return undefined;
  return { role, ...(typeof props.permissionPreset === "string" && props.permissionPreset !== "" ? { permissionPreset: "" } : {}) };
}

/** What destroy says it left on the platform: who still has access, and with which role. Never that it was revoked. */
export function userLeftMessage(name: string, props: Props): string {
  const email = typeof props.email === "string" && props.email !== "" ? ` (${props.email})` : "";
  const what = props.serviceAccount === true ? "service account" : "user";
  const lowered = typeof props.roleOnDestroy === "string" ? props.roleOnDestroy : undefined;
  const role = lowered ?? (typeof props.role === "string" ? props.role : "unknown");
  const access = lowered
    ? `still has access, with its role lowered to "${role}" (roleOnDestroy)`
    : `still has access with role "${role}"`;
  const id = name.slice(name.lastIndexOf("/") + 1);
  return (
    `Fireworks ${what} "${name}"${email} was removed from the stack but ${access}: the Fireworks REST API cannot delete users. ` +
    `Remove it with \`firectl delete user ${id}\` or in the Fireworks console` +
    (props.serviceAccount === true ? ", and delete its API keys." : ".")
  );
}

export const userSpec: ResourceSpec = {
  kind: "User",
  identity: { kind: "client", input: "userId", derive: true, query: "userId" },
  fields: userFields,
  schema: userSchema,
  crossCheck,
  // A replacement (new email, or a person turned service account) gets a fresh derived ID.
  autoNameSeed: (inputs) => [inputs.email ?? null, inputs.serviceAccount === true],
  // Users are provisioned at once in practice; the bound only keeps a stuck state from hanging `up`.
  defaultTimeouts: { create: 5 * 60, update: 5 * 60, delete: 60 },
  states: USER_STATES,
  api: {
    collection: (config) => `accounts/${config.accountId}/users`,
    read: { kind: "get" },
    update: { kind: "sparse", body: userUpdateBody },
    delete: { kind: "none", left: userLeftMessage, before: userBeforeDelete },
  },
};
