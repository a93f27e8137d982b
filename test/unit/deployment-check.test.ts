import { describe, expect, it } from "vitest";
import { autoName } from "../../provider/src/ids";
import { check, type CheckResult } from "../../provider/src/lifecycle";
import { deploymentFields, deploymentSpec } from "../../provider/src/resources/deployment";
import type { CheckFailure } from "../../provider/src/spec";
import { UNKNOWN, type Props } from "../../provider/src/values";

const BASE = "accounts/fireworks/models/llama-v3p1-8b-instruct";
const OWNER = "proj/stack/my-res";

const valid: Props = {
  baseModel: BASE,
  displayName: "Llama 8B",
  minReplicaCount: 0,
  maxReplicaCount: 2,
  autoscalingPolicy: { scaleUpWindow: "30s", scaleDownWindow: "10m", scaleToZeroWindow: "1h", loadTargets: { default: 0.7 } },
  acceleratorType: "NVIDIA_H100_80GB",
  acceleratorCount: 1,
  precision: "FP8",
  placement: { multiRegion: "US" },
  annotations: { team: "search" },
  deploymentShape: "accounts/fireworks/deploymentShapes/llama-8b",
  hardDelete: true,
  timeouts: { create: "45m", update: "30m", delete: "10m" },
  __owner: OWNER,
};

function run(news: Props, olds: Props = {}): CheckResult {
  return check(deploymentSpec, olds, news);
}

/** The failures for `extra` on top of the valid declaration. */
function failuresOf(extra: Props): CheckFailure[] {
  return run({ ...valid, ...extra }).failures;
}

/** Exactly one failure, for `property`. */
function onlyFailure(extra: Props, property: string): CheckFailure {
  const failures = failuresOf(extra);
  expect(failures.map((f) => f.property)).toEqual([property]);
  return failures[0] as CheckFailure;
}

describe("check: valid input", () => {
  it("passes a full, valid declaration with no failures", () => {
    expect(run(valid).failures).toEqual([]);
  });

  it("passes the minimal declaration (baseModel only)", () => {
    expect(run({ baseModel: BASE }).failures).toEqual([]);
  });

  it("returns the inputs unchanged apart from the derived name and the read-only GPU footprint", () => {
    const { inputs } = run(valid);
    const { __name, gpuCapacity, ...rest } = inputs;
    expect(rest).toEqual(valid);
    expect(typeof __name).toBe("string");
    expect(gpuCapacity).toBe("min 0, max 2×NVIDIA_H100_80GB");
  });

  it("leaves the GPU footprint out while a value it depends on is unknown, and when check fails", () => {
    expect(run({ ...valid, maxReplicaCount: UNKNOWN }).inputs).not.toHaveProperty("gpuCapacity");
    expect(run({ ...valid, acceleratorType: "H100" }).inputs).not.toHaveProperty("gpuCapacity");
  });

  it("accepts maxReplicaCount 0 with a larger minReplicaCount (0 means scaled down)", () => {
    expect(failuresOf({ minReplicaCount: 3, maxReplicaCount: 0 })).toEqual([]);
  });

  it("accepts scaleToZeroWindow 0s and exactly 5m", () => {
    expect(failuresOf({ autoscalingPolicy: { scaleToZeroWindow: "0s" } })).toEqual([]);
    expect(failuresOf({ autoscalingPolicy: { scaleToZeroWindow: "5m" } })).toEqual([]);
    expect(failuresOf({ autoscalingPolicy: { scaleDownWindow: "1h" } })).toEqual([]);
  });

  it("accepts a valid deploymentId", () => {
    expect(failuresOf({ deploymentId: "llama-prod" })).toEqual([]);
  });
});

describe("check: invalid input names the field, the bad value and the fix", () => {
  it("requires baseModel and shows an example", () => {
    const { baseModel: _omit, ...rest } = valid;
    expect(run(rest).failures).toEqual([
      { property: "baseModel", reason: 'baseModel is required: set it to the model to serve, e.g. "accounts/fireworks/models/llama-v3p1-8b-instruct"' },
    ]);
  });

  it("rejects an empty baseModel", () => {
    const failure = onlyFailure({ baseModel: "" }, "baseModel");
    expect(failure.reason).toContain('""');
  });

  it("rejects an unknown property and suggests the close one (baseModell)", () => {
    expect(failuresOf({ baseModell: BASE })).toEqual([{ property: "baseModell", reason: 'unknown property "baseModell"; did you mean "baseModel"?' }]);
  });

  it("rejects an unknown property and suggests maxReplicaCount for maxReplicas", () => {
    expect(failuresOf({ maxReplicas: 2 })).toEqual([
      { property: "maxReplicas", reason: 'unknown property "maxReplicas"; did you mean "maxReplicaCount"?' },
    ]);
  });

  it("suggests a sibling key for an unknown nested property (autoscalingPolicy.scaleDownWindw)", () => {
    expect(failuresOf({ autoscalingPolicy: { scaleDownWindw: "10m" } })).toEqual([
      {
        property: "autoscalingPolicy.scaleDownWindw",
        reason: 'unknown property "autoscalingPolicy.scaleDownWindw"; did you mean "scaleDownWindow"?',
      },
    ]);
  });

  it("does not suggest anything for an unrelated unknown property", () => {
    expect(failuresOf({ colour: "red" })).toEqual([{ property: "colour", reason: 'unknown property "colour"' }]);
  });

  it("rejects a bad enum value and lists the valid ones", () => {
    const failure = onlyFailure({ acceleratorType: "H100" }, "acceleratorType");
    expect(failure.reason).toMatch(/^"H100" is not a valid acceleratorType; use one of: NVIDIA_A100_80GB, NVIDIA_H100_80GB, /);
    expect(failure.reason).toContain("NVIDIA_B300_288GB");
  });

  it("rejects a bad region inside placement with the nested path", () => {
    const failure = onlyFailure({ placement: { region: "MARS_1" } }, "placement.region");
    expect(failure.reason).toMatch(/^"MARS_1" is not a valid region; use one of: US_IOWA_1, /);
  });

  it("rejects minReplicaCount greater than maxReplicaCount", () => {
    expect(failuresOf({ minReplicaCount: 3, maxReplicaCount: 2 })).toEqual([
      {
        property: "minReplicaCount",
        reason: "minReplicaCount 3 is greater than maxReplicaCount 2; raise maxReplicaCount to at least 3 or lower minReplicaCount",
      },
    ]);
  });

  it("rejects a negative count", () => {
    const failure = onlyFailure({ minReplicaCount: -1 }, "minReplicaCount");
    expect(failure.reason).toBe("-1: Too small: expected number to be >=0");
  });

  it("rejects maxReplicaCount above 1000", () => {
    const failure = onlyFailure({ maxReplicaCount: 1001 }, "maxReplicaCount");
    expect(failure.reason).toMatch(/^1001: .*1000/);
  });

  it("rejects a non-integer count", () => {
    const failure = onlyFailure({ acceleratorCount: 1.5 }, "acceleratorCount");
    expect(failure.reason).toBe("expected an int, got 1.5");
  });

  it("rejects a count given as a string", () => {
    const failure = onlyFailure({ minReplicaCount: "3" }, "minReplicaCount");
    expect(failure.reason).toBe('expected a number, got "3"');
  });

  it("rejects a displayName of 64 characters", () => {
    const name = "d".repeat(64);
    const failure = onlyFailure({ displayName: name }, "displayName");
    expect(failure.reason).toBe(`"${name}": must be fewer than 64 characters`);
  });

  it("accepts a displayName of 63 characters", () => {
    expect(failuresOf({ displayName: "d".repeat(63) })).toEqual([]);
  });

  it("rejects scaleToZeroWindow 2m as shorter than 5 minutes", () => {
    expect(failuresOf({ autoscalingPolicy: { scaleToZeroWindow: "2m" } })).toEqual([
      {
        property: "autoscalingPolicy.scaleToZeroWindow",
        reason: '"2m" is too short: scale_to_zero_window must be 0 or at least 5 minutes; use "0s" or at least "5m"',
      },
    ]);
  });

  it.each(["scaleUpWindow", "scaleDownWindow", "scaleToZeroWindow"])("rejects %s of 2h as longer than 1h", (key) => {
    expect(failuresOf({ autoscalingPolicy: { [key]: "2h" } })).toEqual([
      { property: `autoscalingPolicy.${key}`, reason: '"2h" (2h) is longer than the API\'s limit of 1h; use at most "1h"' },
    ]);
  });

  it("rejects a window written as '10 minutes'", () => {
    expect(failuresOf({ autoscalingPolicy: { scaleDownWindow: "10 minutes" } })).toEqual([
      { property: "autoscalingPolicy.scaleDownWindow", reason: '"10 minutes" is not a duration; write it like "30s", "10m" or "1h"' },
    ]);
  });

  it("rejects a non-positive load target", () => {
    const failure = onlyFailure({ autoscalingPolicy: { loadTargets: { default: 0 } } }, "autoscalingPolicy.loadTargets.default");
    expect(failure.reason).toMatch(/^0: /);
  });

  it("rejects placement with two fields set", () => {
    expect(failuresOf({ placement: { region: "US_IOWA_1", multiRegion: "US" } })).toEqual([
      { property: "placement", reason: "set exactly one of placement.region, placement.multiRegion or placement.regions (got region and multiRegion)" },
    ]);
  });

  it("rejects an empty placement", () => {
    expect(failuresOf({ placement: {} })).toEqual([
      { property: "placement", reason: "set exactly one of placement.region, placement.multiRegion or placement.regions (got none)" },
    ]);
  });

  it("rejects the reserved owner annotation", () => {
    expect(failuresOf({ annotations: { team: "search", "pulumi-fireworks/owner": "someone/else/x" } })).toEqual([
      {
        property: "annotations.pulumi-fireworks/owner",
        reason: 'the "pulumi-fireworks/owner" annotation is reserved for the provider; remove it',
      },
    ]);
  });

  it("rejects an invalid deploymentId and offers to derive one", () => {
    expect(failuresOf({ deploymentId: "My_Deployment" })).toEqual([
      {
        property: "deploymentId",
        reason:
          '"My_Deployment" is not a valid ID: it may contain only lowercase letters, digits and hyphens; or omit deploymentId to have one derived from the resource name',
      },
    ]);
  });

  it("rejects a deploymentId of 64 characters", () => {
    const failure = onlyFailure({ deploymentId: "d".repeat(64) }, "deploymentId");
    expect(failure.reason).toContain("it is 64 characters long; the limit is 63");
  });

  it("rejects an empty deploymentId instead of silently creating an unnamed deployment", () => {
    const failure = onlyFailure({ deploymentId: "" }, "deploymentId");
    expect(failure.reason).toContain("it must be at least 1 character long");
  });

  it.each(["soon", "0s", "-5m", ""])("rejects timeouts.create %j", (value) => {
    expect(failuresOf({ timeouts: { create: value } })).toEqual([
      { property: "timeouts.create", reason: `${JSON.stringify(value)} is not a positive duration; write it like "30m" or "1h"` },
    ]);
  });

  it("rejects an unknown timeouts key", () => {
    const failures = failuresOf({ timeouts: { craete: "10m" } });
    expect(failures.map((f) => f.property)).toEqual(["timeouts.craete"]);
  });

  it("reports every problem at once, not just the first", () => {
    const failures = failuresOf({ acceleratorType: "H100", displayName: "d".repeat(64), timeouts: { delete: "never" } });
    expect(failures.map((f) => f.property).sort()).toEqual(["acceleratorType", "displayName", "timeouts.delete"]);
  });
});

describe("check: unknown values during preview", () => {
  const keys = Object.keys(deploymentFields);

  it.each(keys.map((k) => [k]))("tolerates an unknown %s", (key) => {
    expect(run({ ...valid, [key]: UNKNOWN }).failures).toEqual([]);
  });

  it.each([
    ["autoscalingPolicy windows", { autoscalingPolicy: { scaleUpWindow: UNKNOWN, scaleToZeroWindow: UNKNOWN } }],
    ["an annotation value", { annotations: { team: UNKNOWN } }],
    ["a direct-route key", { directRouteApiKeys: ["k1", UNKNOWN] }],
    ["timeouts.create", { timeouts: { create: UNKNOWN } }],
    ["placement.region", { placement: { region: UNKNOWN } }],
    ["placement.multiRegion", { placement: { multiRegion: UNKNOWN } }],
    ["one entry of placement.regions", { placement: { regions: ["US_IOWA_1", UNKNOWN] } }],
  ])("tolerates an unknown nested value: %s", (_label, extra) => {
    expect(run({ ...valid, ...extra }).failures).toEqual([]);
  });

  it("still validates the known fields next to an unknown one", () => {
    expect(run({ ...valid, baseModel: UNKNOWN, acceleratorType: "H100" }).failures.map((f) => f.property)).toEqual(["acceleratorType"]);
  });

  it("skips the min/max cross-check when one side is unknown", () => {
    expect(run({ ...valid, minReplicaCount: 5, maxReplicaCount: UNKNOWN }).failures).toEqual([]);
  });

  it("derives no name while baseModel is unknown (the name depends on it)", () => {
    expect(run({ baseModel: UNKNOWN, __owner: OWNER }).inputs.__name).toBeUndefined();
  });
});

describe("check: auto-naming", () => {
  const news: Props = { baseModel: BASE, __owner: OWNER };

  it("derives __name from the resource name in __owner and the replace-forcing values", () => {
    const name = run(news).inputs.__name;
    expect(name).toBe(autoName("my-res", [OWNER, BASE, null]));
    expect(name).toMatch(/^my-res-[0-9a-f]{7}$/);
  });

  it("is stable across calls", () => {
    expect(run({ ...news }).inputs.__name).toBe(run({ ...news }).inputs.__name);
  });

  it("reuses olds.__name when present", () => {
    expect(run({ ...news, baseModel: "accounts/fireworks/models/qwen3-8b" }, { __name: "my-res-abcdef0" }).inputs.__name).toBe("my-res-abcdef0");
  });

  it("differs when baseModel differs", () => {
    const other = run({ ...news, baseModel: "accounts/fireworks/models/qwen3-8b" }).inputs.__name;
    expect(other).toMatch(/^my-res-[0-9a-f]{7}$/);
    expect(other).not.toBe(run(news).inputs.__name);
  });

  it("differs when placement differs", () => {
    expect(run({ ...news, placement: { multiRegion: "US" } }).inputs.__name).not.toBe(run(news).inputs.__name);
  });

  it("differs between stacks for the same resource name", () => {
    expect(run({ ...news, __owner: "proj/prod/my-res" }).inputs.__name).not.toBe(run(news).inputs.__name);
  });

  it("is absent when deploymentId is given, even if a stale __name was passed in", () => {
    const { inputs, failures } = run({ ...news, deploymentId: "web", __name: "stale-1234567" });
    expect(failures).toEqual([]);
    expect(inputs).not.toHaveProperty("__name");
    expect(inputs.deploymentId).toBe("web");
  });

  it("falls back to a valid name when there is no owner", () => {
    expect(run({ baseModel: BASE }).inputs.__name).toMatch(/^resource-[0-9a-f]{7}$/);
  });
});

describe("check: ownership inputs", () => {
  const news: Props = { baseModel: BASE, __owner: OWNER, __instance: "9b2f0c1e-instance" };

  it("hashes the stack instance into the derived name, so same-named stacks in other backends differ", () => {
    expect(run(news).inputs.__name).toBe(autoName("my-res", [`${OWNER}@9b2f0c1e-instance`, BASE, null]));
    expect(run({ ...news, __instance: "another-instance" }).inputs.__name).not.toBe(run(news).inputs.__name);
  });

  it("derives no name while the stack instance is unknown (the first preview of a new stack)", () => {
    expect(run({ ...news, __instance: UNKNOWN }).inputs.__name).toBeUndefined();
  });

  it("keeps the owner and instance recorded at create, whatever the program now sends", () => {
    const olds = { __owner: "proj/stack/my-res", __instance: "first-instance", __name: "my-res-1234567" };
    const { inputs } = run({ ...news, __instance: "provider-replaced" }, olds);
    expect(inputs.__instance).toBe("first-instance");
    expect(inputs.__name).toBe("my-res-1234567");
  });

  it("keeps a resource created before stack instances existed without one", () => {
    const { inputs } = run(news, { __owner: OWNER, __name: "my-res-1234567" });
    expect(inputs).not.toHaveProperty("__instance");
  });
});

describe("check: secret inputs in failures", () => {
  it("never quotes a secret field's value in the reason", () => {
    const failure = onlyFailure({ directRouteApiKeys: "route-secret-123456" }, "directRouteApiKeys");
    expect(failure.reason).toBe("expected an array, got [secret]");
    const nested = onlyFailure({ directRouteApiKeys: ["route-secret-ok", 42] }, "directRouteApiKeys.1");
    expect(nested.reason).toBe("expected a string, got [secret]");
    expect(JSON.stringify(failuresOf({ directRouteApiKeys: ["route-secret-ok", 42] }))).not.toContain("route-secret-ok");
  });

  it("still quotes other values, so the user sees what was wrong", () => {
    expect(onlyFailure({ acceleratorType: "H100" }, "acceleratorType").reason).toContain('"H100" is not a valid acceleratorType');
  });
});
