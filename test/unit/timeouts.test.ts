import { describe, expect, it } from "vitest";
import { timeoutsOf } from "../../provider/src/lifecycle";
import { deploymentSpec } from "../../provider/src/resources/deployment";
import { UNKNOWN } from "../../provider/src/values";

describe("timeoutsOf (Deployment)", () => {
  it("uses the defaults: create 30m, update 30m, delete 10m", () => {
    expect(timeoutsOf(deploymentSpec, {})).toEqual({ create: 1800, update: 1800, delete: 600 });
  });

  it("takes each declared timeout in seconds and defaults the rest", () => {
    expect(timeoutsOf(deploymentSpec, { timeouts: { create: "1h", delete: "90s" } })).toEqual({ create: 3600, update: 1800, delete: 90 });
  });

  it("accepts compound durations", () => {
    expect(timeoutsOf(deploymentSpec, { timeouts: { update: "1h30m" } }).update).toBe(5400);
  });

  it.each(["soon", "0s", "0", "-5m", ""])("falls back to the default for %j", (value) => {
    expect(timeoutsOf(deploymentSpec, { timeouts: { create: value } }).create).toBe(1800);
  });

  it("falls back to the defaults while timeouts are unknown", () => {
    expect(timeoutsOf(deploymentSpec, { timeouts: UNKNOWN })).toEqual({ create: 1800, update: 1800, delete: 600 });
    expect(timeoutsOf(deploymentSpec, { timeouts: { create: UNKNOWN } }).create).toBe(1800);
  });
});
