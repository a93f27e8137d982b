import { describe, expect, it } from "vitest";
import { apiBody, check, diff } from "../../provider/src/lifecycle";
import { OWNER_ANNOTATION, annotationOwner } from "../../provider/src/resources/annotation-owner";
import { apiKeyCollection, apiKeySpec } from "../../provider/src/resources/api-key";
import type { CheckFailure } from "../../provider/src/spec";
import { UNKNOWN, type Props } from "../../provider/src/values";

const OWNER = { __owner: "proj/dev/ci-key", __instance: "inst-1" };
const USER = "accounts/acme/users/ci";
const VALID: Props = { user: USER, displayName: "ci", expireTime: "2099-01-01T00:00:00+02:00", annotations: { team: "ml" }, keepers: { rotation: "q1" } };
const CONFIG = { baseUrl: "http://127.0.0.1:1", accountId: "acme", apiKey: "k" };

function failures(news: Props): CheckFailure[] {
  return check(apiKeySpec, {}, { ...news, ...OWNER }).failures;
}

function checked(news: Props): Props {
  const result = check(apiKeySpec, {}, { ...news, ...OWNER });
  expect(result.failures).toEqual([]);
  return result.inputs;
}

/** State after `up`, as the emulator answers a create: UTC timestamps, the stamp among the annotations. */
const STATE: Props = {
  keyId: "k1a2b3c4",
  displayName: "ci",
  key: "fw_plaintextplaintextplain",
  prefix: "fw_plain",
  email: "ci@acme.sa.fireworks.ai",
  createTime: "2025-01-01T00:00:00Z",
  expireTime: "2098-12-31T22:00:00Z",
  annotations: { team: "ml" },
  user: USER,
  keepers: { rotation: "q1" },
  ...OWNER,
};

describe("ApiKey check", () => {
  it("accepts a key of a user given by name or by ID", () => {
    expect(failures(VALID)).toEqual([]);
    expect(failures({ user: "ci" })).toEqual([]);
    expect(failures({ user: UNKNOWN })).toEqual([]);
  });

  it("requires the user and names what it takes", () => {
    expect(failures({ displayName: "x" })).toEqual([
      {
        property: "user",
        reason:
          'user is required: set it to the user or service account the key belongs to, e.g. serviceAccount.name ("accounts/{account}/users/{user}") or its user ID',
      },
    ]);
    expect(failures({ user: "accounts/acme/models/m" })).toEqual([
      { property: "user", reason: '"accounts/acme/models/m" names no user: it is neither a user name ("accounts/{account}/users/{user}") nor a user ID' },
    ]);
    expect(failures({ user: "accounts/acme/users/CI" })).toEqual([
      { property: "user", reason: '"accounts/acme/users/CI" names no user: the user ID "CI" is not valid: it may contain only lowercase letters, digits and hyphens' },
    ]);
  });

  it("fails a past or malformed expiry at preview", () => {
    expect(failures({ user: USER, expireTime: "2001-01-01T00:00:00Z" })).toEqual([
      {
        property: "expireTime",
        reason: '"2001-01-01T00:00:00Z" is in the past: the key would be born expired; set a future time, or omit expireTime for a key that never expires',
      },
    ]);
    expect(failures({ user: USER, expireTime: "next year" })).toEqual([
      { property: "expireTime", reason: '"next year" is not an RFC 3339 timestamp; write it like "2030-01-01T00:00:00Z"' },
    ]);
  });

  it("lets a key that has since expired through later previews: only a new or changed expiry must lie ahead", () => {
    const olds = { user: USER, expireTime: "2001-01-01T00:00:00Z", __owner: "p/s/key" };
    expect(check(apiKeySpec, olds, { ...olds }).failures).toEqual([]);
    expect(check(apiKeySpec, olds, { ...olds, expireTime: "2002-01-01T00:00:00Z" }).failures.map((f) => f.property)).toEqual(["expireTime"]);
  });

  it("reports independent problems at once, the reserved annotation among them", () => {
    const found = failures({ user: USER, expireTime: "2001-01-01T00:00:00Z", displayName: "x".repeat(64), annotations: { [OWNER_ANNOTATION]: "me" }, keepers: { n: 1 } });
    expect(found.map((f) => f.property).sort()).toEqual(["annotations.pulumi-fireworks/owner", "displayName", "expireTime", "keepers.n"]);
  });
});

describe("ApiKey diff: the API cannot update a key, so every change replaces it, create-before-delete", () => {
  const declared = checked(VALID);

  it("shows no change for what was applied: same instant in UTC, the stamp not the user's, default display name", () => {
    expect(diff(apiKeySpec, STATE, declared)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const stamped = { ...STATE, annotations: { team: "ml", [OWNER_ANNOTATION]: "proj/dev/ci-key@inst-1#abc" } };
    expect(diff(apiKeySpec, stamped, declared).changes).toBe(false);
    const bare = { keyId: "k1", displayName: "default", createTime: "2025-01-01T00:00:00Z", user: USER, ...OWNER };
    expect(diff(apiKeySpec, bare, checked({ user: USER })).changes).toBe(false);
    expect(diff(apiKeySpec, bare, checked({ user: USER, displayName: "" })).changes).toBe(false);
  });

  it("replaces the key when a keeper changes, the new key first", () => {
    expect(diff(apiKeySpec, STATE, checked({ ...VALID, keepers: { rotation: "q2" } }))).toEqual({
      changes: true,
      replaces: ["keepers"],
      deleteBeforeReplace: false,
    });
    expect(diff(apiKeySpec, STATE, checked({ ...VALID, keepers: undefined })).replaces).toEqual(["keepers"]);
  });

  it("replaces on any API field and on the user", () => {
    expect(diff(apiKeySpec, STATE, checked({ ...VALID, displayName: "ci-2" }))).toEqual({ changes: true, replaces: ["displayName"], deleteBeforeReplace: false });
    expect(diff(apiKeySpec, STATE, checked({ ...VALID, expireTime: "2099-06-01T00:00:00Z" })).replaces).toEqual(["expireTime"]);
    expect(diff(apiKeySpec, STATE, checked({ ...VALID, annotations: {} })).replaces).toEqual(["annotations"]);
    expect(diff(apiKeySpec, STATE, checked({ ...VALID, user: "accounts/acme/users/other" })).replaces).toEqual(["user"]);
    expect(diff(apiKeySpec, STATE, { ...declared, keepers: UNKNOWN }).replaces).toEqual(["keepers"]);
  });
});

describe("ApiKey API binding", () => {
  it("sends neither the user (a path parameter) nor the keepers", () => {
    expect(apiBody(apiKeySpec, checked(VALID))).toEqual({ displayName: "ci", expireTime: "2098-12-31T22:00:00.000Z", annotations: { team: "ml" } });
  });

  it("lists keys under the user's collection, by name or in the provider's account by ID", () => {
    expect(apiKeyCollection(CONFIG, { user: USER })).toBe("accounts/acme/users/ci/apiKeys");
    expect(apiKeyCollection(CONFIG, { user: "ci" })).toBe("accounts/acme/users/ci/apiKeys");
    expect(apiKeyCollection(CONFIG, { user: "accounts/other/users/ci" })).toBe("accounts/other/users/ci/apiKeys");
  });

  it("stamps the owner beside the user's annotations and reads it back", () => {
    const body = annotationOwner.write({ displayName: "ci", annotations: { team: "ml" } }, "proj/dev/ci-key@inst-1#abc");
    expect(body).toEqual({ displayName: "ci", annotations: { team: "ml", [OWNER_ANNOTATION]: "proj/dev/ci-key@inst-1#abc" } });
    expect(annotationOwner.read(body)).toBe("proj/dev/ci-key@inst-1#abc");
    expect(annotationOwner.read({ keyId: "k" })).toBeUndefined();
    expect(annotationOwner.refused(403, "annotations can only be set by superusers")).toBe(true);
    expect(annotationOwner.refused(400, 'invalid request body {"annotations": {}}: display_name too long')).toBe(false);
  });

  it("keeps the plaintext across refresh and marks it create-only", () => {
    expect(apiKeySpec.createOnlyOutputs).toEqual(["key"]);
    expect(apiKeySpec.api.createWrap).toBe("apiKey");
    expect(apiKeySpec.api.read).toEqual({ kind: "list", items: "apiKeys" });
  });
});
