import type { CollectionModule, EmulatorContext, RouteEntry } from "../core/context";
import { RESOURCE_STATES, USER_ROLES } from "../core/enums";
import { invalidArgument } from "../core/errors";
import { idProblem } from "../core/ids";
import { getString, type JsonObject } from "../core/json";
import type { Router } from "../core/router";
import { STATUS_SCHEMA, t, type MessageSchema } from "../core/schema";
import { StandardCollection } from "../core/standard";

// Users, service accounts included (reference §10). There is no DELETE in the public REST API (DeleteUser has no
// http rule), so none is routed: DELETE on a user path gets grpc-gateway's "Method Not Allowed" (501), like any
// other method a known path lacks. A control route removes a user, as firectl (over gRPC) would.

export const USER_SCHEMA: MessageSchema = {
  name: "gateway.User",
  fields: {
    name: { type: t.string, output: true },
    displayName: { type: t.string },
    serviceAccount: { type: t.bool },
    createTime: { type: t.timestamp, output: true },
    role: { type: t.string },
    email: { type: t.string },
    state: { type: t.enumOf(RESOURCE_STATES), output: true },
    status: { type: t.message(STATUS_SCHEMA), output: true },
    updateTime: { type: t.timestamp, output: true },
    permissionPreset: { type: t.string },
  },
};

/** Anything but the documented roles is refused (stricter). */
const ROLES: readonly string[] = USER_ROLES;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function violations(user: JsonObject): string[] {
  const out: string[] = [];
  const role = getString(user, "role");
  if (role === "") out.push("user.role: value is required");
  else if (!ROLES.includes(role)) out.push(`user.role: "${role}" is not one of ${ROLES.join(", ")}`);
  // "Must be fewer than 64 characters long."
  if ([...getString(user, "displayName")].length > 63) out.push("user.display_name: value length must be at most 63 characters");
  const email = getString(user, "email");
  if (email !== "" && !EMAIL.test(email)) out.push(`user.email: "${email}" is not an email address`);
  // Humans sign in by email; a service account may have none.
  if (email === "" && user["serviceAccount"] !== true) out.push("user.email: value is required unless service_account is true");
  // permission_preset: "only valid when role is custom".
  if (getString(user, "permissionPreset") !== "" && role !== "custom") out.push('user.permission_preset: only valid when role is "custom"');
  return out;
}

function validate(user: JsonObject): void {
  const problems = violations(user);
  if (problems.length > 0) throw invalidArgument(`validation error: ${problems.join("; ")}`);
}

/**
 * "If not specified, a default ID is generated from user.email." The exact derivation is UNKNOWN: the local part,
 * lowercased, with anything outside [a-z0-9-] turned into "-" (README).
 */
export function idFromEmail(user: JsonObject): string {
  const email = getString(user, "email");
  if (email === "") throw invalidArgument("userId is required when the user has no email");
  const id = (email.split("@")[0] ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[-0-9]+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  if (idProblem(id)) throw invalidArgument(`cannot derive a user ID from email "${email}"; pass userId`);
  return id;
}

export class Users implements CollectionModule {
  private readonly std: StandardCollection;

  constructor(ctx: EmulatorContext) {
    this.std = new StandardCollection(ctx, {
      collectionId: "users",
      singular: "user",
      schema: USER_SCHEMA,
      parent: { kind: "account" },
      idParam: "userId",
      id: { from: "query", param: "userId", derive: idFromEmail },
      methods: {
        create: { query: ["userId"] },
        list: { query: ["pageSize", "pageToken", "filter", "orderBy", "readMask"] },
        get: { query: ["readMask"] },
        update: { query: ["updateMask"] },
      },
      // email and serviceAccount are IMMUTABLE ([PROTO]); changing them is a 400, not silently ignored.
      update: { mode: "mask", updateMask: true, immutable: ["email", "serviceAccount"] },
      list: {
        filter: { name: { key: "name" }, role: { key: "role" }, email: { key: "email" }, displayName: { key: "displayName" }, display_name: { key: "displayName" } },
        order: {
          name: { key: "name" },
          email: { key: "email" },
          create_time: { key: "createTime", timestamp: true },
          createTime: { key: "createTime", timestamp: true },
        },
        defaultOrder: "name",
      },
      hooks: {
        prepare: (draft) => validate(draft),
        // No provisioning to wait for: a user is READY at once (state is output-only; README).
        created: (entry) => {
          entry.resource["state"] = "READY";
        },
        beforeUpdate: (_entry, decoded) => {
          // UserUpdateParams: role Required.
          if (getString(decoded, "role") === "") throw invalidArgument("validation error: user.role: value is required");
        },
        validateUpdate: (after) => validate(after),
      },
    });
  }

  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router);
  }

  registerAdmin(router: Router<RouteEntry>): void {
    router.add("DELETE", "/_emulator/users/{userId}", {
      handler: (req) => {
        this.std.remove(this.std.findForControl(req.params["userId"] ?? ""));
        return { body: {} };
      },
      query: [],
    });
  }

  reset(): void {
    this.std.reset();
  }
}
