import { describe, expect, it } from "vitest";
import { changedApiFields, check, diff } from "../../provider/src/lifecycle";
import { userBeforeDelete, userLeftMessage, userSpec, userUpdateBody } from "../../provider/src/resources/user";
import type { CheckFailure } from "../../provider/src/spec";
import { UNKNOWN, type Props } from "../../provider/src/values";

const OWNER = { __owner: "proj/dev/alice", __instance: "inst-1" };
const HUMAN: Props = { email: "alice@example.com", role: "user", displayName: "Alice" };
const NAME = "accounts/acme/users/alice";

function failures(news: Props): CheckFailure[] {
  return check(userSpec, {}, { ...news, ...OWNER }).failures;
}

function checked(news: Props, olds: Props = {}): Props {
  const result = check(userSpec, olds, { ...news, ...OWNER });
  expect(result.failures).toEqual([]);
  return result.inputs;
}

/** State after `up`, as the emulator returns the user (READY, zero values omitted). */
function server(inputs: Props, extra: Props = {}): Props {
  const id = String(inputs.userId ?? inputs.__name);
  return {
    name: `accounts/acme/users/${id}`,
    state: "READY",
    createTime: "2025-01-01T00:00:00Z",
    ...Object.fromEntries(["email", "role", "displayName", "permissionPreset"].filter((k) => inputs[k] !== undefined).map((k) => [k, inputs[k]])),
    ...(inputs.serviceAccount === true ? { serviceAccount: true } : {}),
    userId: id,
    ...OWNER,
    ...extra,
  };
}

describe("User check", () => {
  it("accepts a person and a service account, and derives an ID when none is given", () => {
    expect(failures(HUMAN)).toEqual([]);
    expect(failures({ serviceAccount: true, role: "inference-user" })).toEqual([]);
    expect(failures({ ...HUMAN, role: "custom", permissionPreset: "read-only" })).toEqual([]);
    expect(checked(HUMAN).__name).toMatch(/^alice-[0-9a-f]{7}$/);
    expect(checked({ ...HUMAN, userId: "alice" }).__name).toBeUndefined();
  });

  it("requires a role, naming the documented roles", () => {
    expect(failures({ email: "alice@example.com" })).toEqual([
      { property: "role", reason: "role is required: set it to one of: admin, user, contributor, inference-user, custom" },
    ]);
    expect(failures({ ...HUMAN, role: "owner" })).toEqual([
      { property: "role", reason: '"owner" is not a valid role; use one of: admin, user, contributor, inference-user, custom' },
    ]);
  });

  it("requires an email for a person, not for a service account", () => {
    expect(failures({ role: "user" })).toEqual([
      {
        property: "email",
        reason: "email is required for a human user: set it to the address they sign in with, or set serviceAccount: true for a service account",
      },
    ]);
    // Unknown at preview: it may turn out to be a service account, and an unknown email is still an email.
    expect(failures({ role: "user", serviceAccount: UNKNOWN })).toEqual([]);
    expect(failures({ role: "user", email: UNKNOWN })).toEqual([]);
    expect(failures({ ...HUMAN, email: "alice.example.com" })).toEqual([{ property: "email", reason: '"alice.example.com" is not an email address' }]);
  });

  it("accepts a permission preset only with role custom", () => {
    expect(failures({ ...HUMAN, role: "admin", permissionPreset: "read-only" })).toEqual([
      { property: "permissionPreset", reason: 'permissionPreset is only valid when role is "custom" (role is "admin"); set role: "custom" or remove permissionPreset' },
    ]);
  });

  it("reports independent problems at once", () => {
    const found = failures({ role: "admin", permissionPreset: "x", displayName: "x".repeat(64), userId: "Alice", roleOnDestroy: "custom" });
    expect(found.map((f) => f.property).sort()).toEqual(["displayName", "email", "permissionPreset", "roleOnDestroy", "userId"]);
    expect(found.find((f) => f.property === "userId")?.reason).toBe(
      '"Alice" is not a valid ID: it may contain only lowercase letters, digits and hyphens; or omit userId to have one derived from the resource name',
    );
    expect(found.find((f) => f.property === "roleOnDestroy")?.reason).toBe(
      '"custom" is not a valid roleOnDestroy; use one of: admin, user, contributor, inference-user',
    );
  });
});

describe("User diff", () => {
  const declared = checked(HUMAN);
  const state = server(declared);

  it("shows no change for what was applied, nor for a display name the platform filled in", () => {
    expect(diff(userSpec, state, declared)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const withoutName = checked({ email: "alice@example.com", role: "user" }, state);
    expect(diff(userSpec, state, withoutName).changes).toBe(false);
  });

  it("changes role, display name and permission preset in place", () => {
    expect(diff(userSpec, state, checked({ ...HUMAN, role: "admin" }, state))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(diff(userSpec, state, checked({ ...HUMAN, displayName: "Alice B." }, state))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(diff(userSpec, state, checked({ ...HUMAN, role: "custom", permissionPreset: "ops" }, state)).replaces).toEqual([]);
  });

  it("replaces on an email change: create-before-delete with a derived ID, delete-before-replace with a given one", () => {
    const replaced = check(userSpec, {}, { ...HUMAN, email: "alice@corp.example", ...OWNER }).inputs;
    expect(diff(userSpec, state, replaced)).toEqual({ changes: true, replaces: ["userId", "email"], deleteBeforeReplace: false });
    expect(replaced.__name).not.toBe(declared.__name);
    const named = checked({ ...HUMAN, userId: "alice" });
    const namedState = server(named);
    expect(diff(userSpec, namedState, checked({ ...HUMAN, userId: "alice", email: "alice@corp.example" }, namedState))).toEqual({
      changes: true,
      replaces: ["email"],
      deleteBeforeReplace: true,
    });
  });

  it("replaces when a person becomes a service account, or the user ID changes", () => {
    expect(diff(userSpec, state, checked({ ...HUMAN, serviceAccount: true }, state)).replaces).toContain("serviceAccount");
    const named = checked({ ...HUMAN, userId: "alice" });
    expect(diff(userSpec, server(named), checked({ ...HUMAN, userId: "alice2" }, server(named))).replaces).toEqual(["userId"]);
  });

  it("changes roleOnDestroy without an API change", () => {
    const news = checked({ ...HUMAN, roleOnDestroy: "inference-user" }, state);
    expect(diff(userSpec, state, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(changedApiFields(userSpec, state, news)).toEqual({});
  });
});

describe("User update and destroy bodies", () => {
  it("always carries the role in a PATCH (UserUpdateParams requires it)", () => {
    const current = { name: NAME, role: "admin", email: "alice@example.com" };
    expect(userUpdateBody({ displayName: "A" }, current, { role: "admin" })).toEqual({ displayName: "A", role: "admin" });
    expect(userUpdateBody({ role: "user" }, current, { role: "user" })).toEqual({ role: "user" });
  });

  it("clears the preset when the role moves away from custom", () => {
    const current = { name: NAME, role: "custom", permissionPreset: "ops", email: "alice@example.com" };
    expect(changedApiFields(userSpec, current, { ...HUMAN, role: "admin" })).toEqual({ role: "admin", permissionPreset: "", displayName: "Alice" });
  });

  it("lowers the role on destroy only when asked, clearing a preset", () => {
    expect(userBeforeDelete({ role: "admin" })).toBeUndefined();
    expect(userBeforeDelete({ role: "admin", roleOnDestroy: "inference-user" })).toEqual({ role: "inference-user" });
    expect(userBeforeDelete({ role: "inference-user", roleOnDestroy: "inference-user" })).toBeUndefined();
    expect(userBeforeDelete({ role: "custom", permissionPreset: "ops", roleOnDestroy: "user" })).toEqual({ role: "user", permissionPreset: "" });
  });

  it("says who still has access after destroy, and never that it was revoked", () => {
    expect(userLeftMessage(NAME, { email: "alice@example.com", role: "admin" })).toBe(
      'Fireworks user "accounts/acme/users/alice" (alice@example.com) was removed from the stack but still has access with role "admin": ' +
        "the Fireworks REST API cannot delete users. Remove it with `firectl delete user alice` or in the Fireworks console.",
    );
    expect(userLeftMessage("accounts/acme/users/ci", { serviceAccount: true, role: "admin", roleOnDestroy: "inference-user" })).toBe(
      'Fireworks service account "accounts/acme/users/ci" was removed from the stack but still has access, with its role lowered to "inference-user" (roleOnDestroy): ' +
        "the Fireworks REST API cannot delete users. Remove it with `firectl delete user ci` or in the Fireworks console, and delete its API keys.",
    );
  });
});
