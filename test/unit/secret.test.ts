/**
 * Secret at preview and in diffs: the keyName rule, the write-only value (compared by hash, never shown), keyName
 * changed in place, the ID in the create body.
 */
import { describe, expect, it } from "vitest";
import { apiBody, check, diff, type DiffResult } from "../../provider/src/lifecycle";
import { APPLIED, appliedHashes } from "../../provider/src/fields";
import { secretSpec, suggestKeyName } from "../../provider/src/resources/secret";
import type { CheckFailure } from "../../provider/src/spec";
import { UNKNOWN, type Props } from "../../provider/src/values";

const OWNER = { __owner: "proj/dev/hf-token", __instance: "instance-a" };
const VALUE = "hf_s3cr3t-value";
const DECLARED: Props = { secretId: "hf-token", keyName: "HF_TOKEN", value: VALUE, ...OWNER };

/** State after `up`: the server's secret (never the value) plus the hash of the value applied. */
const STATE: Props = {
  name: "accounts/acme/secrets/hf-token",
  keyName: "HF_TOKEN",
  secretId: "hf-token",
  ...OWNER,
  __declared: { secretId: "hf-token", keyName: "HF_TOKEN", value: true },
  [APPLIED]: appliedHashes(secretSpec, { value: VALUE }),
};

const NO_CHANGE: DiffResult = { changes: false, replaces: [], deleteBeforeReplace: false };
const IN_PLACE: DiffResult = { changes: true, replaces: [], deleteBeforeReplace: false };

function failuresOf(news: Props): CheckFailure[] {
  return check(secretSpec, {}, { ...news, ...OWNER }).failures;
}

function checked(news: Props, olds: Props = STATE): Props {
  const { inputs, failures } = check(secretSpec, olds, news);
  expect(failures).toEqual([]);
  return inputs;
}

describe("Secret check", () => {
  it("accepts a valid declaration", () => {
    expect(failuresOf({ keyName: "HF_TOKEN", value: VALUE })).toEqual([]);
    expect(failuresOf({ keyName: "A", value: "x", secretId: "a-1" })).toEqual([]);
  });

  it("names keyName, the bad value and the fix", () => {
    expect(failuresOf({ keyName: "hf-token", value: VALUE })).toEqual([
      {
        property: "keyName",
        reason: '"hf-token" is not a valid keyName: it must start with an uppercase letter and contain only A-Z, 0-9 and _ (at most 63 characters); use e.g. "HF_TOKEN"',
      },
    ]);
  });

  it.each([
    ["a leading digit", "1PASSWORD", "PASSWORD"],
    ["a leading underscore", "_KEY", "KEY"],
    ["a space", "MY KEY", "MY_KEY"],
    ["lowercase", "wandb_api_key", "WANDB_API_KEY"],
    ["64 characters", "K".repeat(64), "K".repeat(63)],
    ["nothing usable", "---", "MY_SECRET"],
  ])("rejects a keyName with %s, suggesting %s", (_label, keyName, suggestion) => {
    const failures = failuresOf({ keyName, value: VALUE });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.property).toBe("keyName");
    expect(failures[0]?.reason).toContain(`use e.g. "${suggestion}"`);
    expect(suggestKeyName(keyName)).toBe(suggestion);
  });

  it("requires keyName and value, saying how to set them", () => {
    expect(failuresOf({})).toEqual([
      { property: "keyName", reason: 'keyName is required: set it to the environment-variable name the value is exposed under, e.g. "HF_TOKEN"' },
      { property: "value", reason: "value is required: set it to the secret value, e.g. from `config.requireSecret(...)`" },
    ]);
  });

  it("rejects an empty value without quoting it", () => {
    expect(failuresOf({ keyName: "K", value: "" })).toEqual([
      { property: "value", reason: "[secret]: the value must not be empty; the API requires one on create and on every update" },
    ]);
  });

  it("never quotes a value of the wrong type", () => {
    const failures = failuresOf({ keyName: "K", value: 12345 });
    expect(failures).toEqual([{ property: "value", reason: "expected a string, got [secret]" }]);
  });

  it("validates a given secretId with the ID rules", () => {
    expect(failuresOf({ keyName: "K", value: "v", secretId: "HF_Token" })).toEqual([
      {
        property: "secretId",
        reason: '"HF_Token" is not a valid ID: it may contain only lowercase letters, digits and hyphens; or omit secretId to have one derived from the resource name',
      },
    ]);
  });

  it("reports independent problems at once", () => {
    expect(failuresOf({ keyName: "x", value: "", secretId: "1abc" }).map((f) => f.property).sort()).toEqual(["keyName", "secretId", "value"]);
  });

  it("derives a stable ID from the resource name when secretId is omitted", () => {
    const first = check(secretSpec, {}, { keyName: "K", value: "v", ...OWNER }).inputs;
    expect(first.__name).toMatch(/^hf-token-[0-9a-f]{7}$/);
    expect(check(secretSpec, first, { keyName: "K", value: "other", ...OWNER }).inputs.__name).toBe(first.__name);
  });
});

describe("Secret create body", () => {
  it("carries keyName and value, and the ID as the full name (no secretId parameter)", () => {
    const inputs = checked(DECLARED, {});
    const identity = secretSpec.identity;
    if (identity.kind !== "client" || !("body" in identity)) throw new Error("Secret must put its ID in the body");
    const body = identity.body(apiBody(secretSpec, inputs), "hf-token", "accounts/acme/secrets/hf-token");
    expect(body).toEqual({ name: "accounts/acme/secrets/hf-token", keyName: "HF_TOKEN", value: VALUE });
  });
});

describe("Secret diff", () => {
  it("shows no change for the declaration that produced the state", () => {
    expect(diff(secretSpec, STATE, checked(DECLARED))).toEqual(NO_CHANGE);
  });

  it("shows a changed value as an in-place change, comparing hashes (the server never returns it)", () => {
    expect(diff(secretSpec, STATE, checked({ ...DECLARED, value: "rotated" }))).toEqual(IN_PLACE);
    // The state holds only a hash: nothing in it reveals the value.
    expect(JSON.stringify(STATE)).not.toContain(VALUE);
  });

  it("does not mistake the server's missing value for a change", () => {
    expect(STATE.value).toBeUndefined();
    expect(diff(secretSpec, STATE, checked(DECLARED)).changes).toBe(false);
  });

  it("treats an unknown value (preview) as a change", () => {
    expect(diff(secretSpec, STATE, { ...checked(DECLARED), value: UNKNOWN })).toEqual(IN_PLACE);
  });

  it("changes keyName in place", () => {
    expect(diff(secretSpec, STATE, checked({ ...DECLARED, keyName: "HUGGING_FACE_TOKEN" }))).toEqual(IN_PLACE);
  });

  it("replaces on a secretId change, deleting first (two secrets cannot share a user-chosen ID)", () => {
    expect(diff(secretSpec, STATE, checked({ ...DECLARED, secretId: "hf-token-2" }))).toEqual({
      changes: true,
      replaces: ["secretId"],
      deleteBeforeReplace: true,
    });
  });

  it("shows a change when state has no record of the applied value (e.g. adopted)", () => {
    const { [APPLIED]: _dropped, ...withoutHashes } = STATE;
    expect(diff(secretSpec, withoutHashes, checked(DECLARED)).changes).toBe(true);
  });
});
