/**
 * What every kind must do at preview, derived from its spec: run for each registered kind automatically.
 */
import { describe, expect, it } from "vitest";
import { check } from "../../provider/src/lifecycle";
import { SPECS } from "../../provider/src/resources";
import { FIXTURES } from "../support/kinds";

const OWNER = { __owner: "proj/dev/res", __instance: "3f2c9d10-instance" };

describe.each(Object.keys(SPECS))("contract: %s at preview", (kind) => {
  const spec = SPECS[kind]!;
  const fixture = FIXTURES[kind];

  it("has a contract fixture", () => {
    expect(fixture, `add ${kind} to test/support/kinds.ts`).toBeDefined();
  });

  it("accepts the valid declaration", () => {
    expect(check(spec, {}, { ...fixture!.valid, ...OWNER }).failures).toEqual([]);
  });

  it("reports every problem of a declaration at once, each naming its property", () => {
    const failures = check(spec, {}, { ...fixture!.invalid.inputs, ...OWNER }).failures;
    for (const property of fixture!.invalid.properties) expect(failures.map((f) => f.property)).toContain(property);
    for (const f of failures) expect(f.reason.length).toBeGreaterThan(10);
  });

  it("names an unknown property and rejects it", () => {
    const failures = check(spec, {}, { ...fixture!.valid, ...OWNER, notAField: 1 }).failures;
    expect(failures).toContainEqual({ property: "notAField", reason: 'unknown property "notAField"' });
  });

  it("is stable: checking twice gives the same inputs, so previews do not flap", () => {
    const once = check(spec, {}, { ...fixture!.valid, ...OWNER }).inputs;
    expect(check(spec, once, { ...fixture!.valid, ...OWNER }).inputs).toEqual(once);
  });
});
