/**
 * Quota at preview and in diffs: int64 values as numbers or strings (5000 ≡ "5000"), the omitted zero value, the
 * PATCH body that names the quota, and destroy's warning.
 */
import { describe, expect, it } from "vitest";
import { changedApiFields, check, diff, type DiffResult } from "../../provider/src/lifecycle";
import { canonicalQuotaValue, quotaSpec } from "../../provider/src/resources/quota";
import type { CheckFailure } from "../../provider/src/spec";
import type { Props } from "../../provider/src/values";

const OWNER = { __owner: "proj/dev/spend", __instance: "instance-a" };
const NAME = "accounts/acme/quotas/monthly-spend-usd";
const SERVER: Props = { name: NAME, value: "5000", maxValue: "10000", usage: 12.5, updateTime: "2025-01-01T00:00:00Z" };
const STATE: Props = { ...SERVER, quotaId: "monthly-spend-usd", ...OWNER, __declared: { quotaId: "monthly-spend-usd", value: 5000 } };

const NO_CHANGE: DiffResult = { changes: false, replaces: [], deleteBeforeReplace: false };
const IN_PLACE: DiffResult = { changes: true, replaces: [], deleteBeforeReplace: false };

function failuresOf(news: Props): CheckFailure[] {
  return check(quotaSpec, {}, { ...news, ...OWNER }).failures;
}

function checked(news: Props, olds: Props = STATE): Props {
  const { inputs, failures } = check(quotaSpec, olds, { ...news, ...OWNER });
  expect(failures).toEqual([]);
  return inputs;
}

describe("Quota check", () => {
  it.each([[5000], ["5000"], [0], ["0"], ["9223372036854775807"]])("accepts value %j", (value) => {
    expect(failuresOf({ quotaId: "monthly-spend-usd", value })).toEqual([]);
  });

  it.each([[-1], [1.5], ["-1"], ["5k"], [""], ["9223372036854775808"], [true], [2 ** 53]])("rejects value %j, naming it and the fix", (value) => {
    const failures = failuresOf({ quotaId: "monthly-spend-usd", value });
    expect(failures).toEqual([
      {
        property: "value",
        reason: `${JSON.stringify(value)} is not a valid value: a quota value is a whole number from 0 up to the quota's maxValue, e.g. 5000 (or "5000")`,
      },
    ]);
  });

  it("requires quotaId and value, saying how to set them", () => {
    expect(failuresOf({})).toEqual([
      { property: "quotaId", reason: 'quotaId is required: set it to the quota to manage, e.g. "monthly-spend-usd" or "serverless-inference-rpm"' },
      { property: "value", reason: "value is required: set it to the limit to enforce, at most the quota's maxValue, e.g. 5000" },
    ]);
  });

  it("validates quotaId with the ID rules, without offering a derived one", () => {
    expect(failuresOf({ quotaId: "Monthly_Spend", value: 1 })).toEqual([
      { property: "quotaId", reason: '"Monthly_Spend" is not a valid ID: it may contain only lowercase letters, digits and hyphens' },
    ]);
  });

  it("never derives an ID: the quota exists already", () => {
    expect(check(quotaSpec, {}, { quotaId: "monthly-spend-usd", value: 1, ...OWNER }).inputs.__name).toBeUndefined();
  });
});

describe("Quota diff", () => {
  it.each([
    ["5000 vs the server's \"5000\"", 5000, SERVER],
    ['"5000" vs the server\'s "5000"', "5000", SERVER],
    ['"05000" vs the server\'s "5000"', "05000", SERVER],
    ["0 vs the omitted zero value", 0, { ...SERVER, value: undefined }],
    ['"0" vs the omitted zero value', "0", { ...SERVER, value: undefined }],
  ])("no change for %s", (_label, value, server) => {
    const olds = { ...STATE, ...server };
    expect(diff(quotaSpec, olds, checked({ quotaId: "monthly-spend-usd", value }, olds))).toEqual(NO_CHANGE);
  });

  it("changes the value in place", () => {
    expect(diff(quotaSpec, STATE, checked({ quotaId: "monthly-spend-usd", value: 4000 }))).toEqual(IN_PLACE);
    expect(diff(quotaSpec, STATE, checked({ quotaId: "monthly-spend-usd", value: "0" }))).toEqual(IN_PLACE);
  });

  it("moves to another quota on a quotaId change (the old one keeps its value)", () => {
    expect(diff(quotaSpec, STATE, checked({ quotaId: "serverless-inference-rpm", value: 5000 }))).toEqual({
      changes: true,
      replaces: ["quotaId"],
      deleteBeforeReplace: false,
    });
  });

  it("sends the value as an int64 string and the name the PATCH requires", () => {
    const changed = changedApiFields(quotaSpec, SERVER, checked({ quotaId: "monthly-spend-usd", value: 4000 }));
    expect(changed).toEqual({ value: "4000" });
    const style = quotaSpec.api.update;
    if (style.kind === "none" || !style.body) throw new Error("Quota must update with a body hook");
    expect(style.body(changed, SERVER, {})).toEqual({ value: "4000", name: NAME });
  });

  it("canonicalises int64 spellings and leaves anything else alone", () => {
    expect([canonicalQuotaValue(5000), canonicalQuotaValue("007"), canonicalQuotaValue("x"), canonicalQuotaValue(undefined)]).toEqual(["5000", "7", "x", undefined]);
  });
});

describe("Quota delete", () => {
  it("says which quota keeps which value upstream", () => {
    const style = quotaSpec.api.delete;
    if (style.kind !== "none") throw new Error("Quota cannot be deleted through the API");
    expect(style.left(NAME, STATE)).toBe(
      `Quota "${NAME}" keeps its value 5000 (maxValue 10000) on Fireworks: quotas cannot be deleted or reset through the API, so destroy only removed it from the stack; set it back with firectl or the console if you want the earlier limit`,
    );
    expect(style.left(NAME, { ...STATE, value: undefined })).toContain("keeps its value 0 ");
  });
});
