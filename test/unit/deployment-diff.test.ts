import { describe, expect, it } from "vitest";
import { apiBody, changedApiFields, check, diff, type DiffResult } from "../../provider/src/lifecycle";
import { OWNER_ANNOTATION, deploymentSpec, deploymentUpdateBody } from "../../provider/src/resources/deployment";
import { UNKNOWN, type Props } from "../../provider/src/values";

const BASE = "accounts/fireworks/models/llama-v3p1-8b-instruct";
const OTHER_BASE = "accounts/fireworks/models/qwen3-8b";
const OWNER = "proj/dev/web";
const SHAPE = "accounts/fireworks/deploymentShapes/llama-8b";

/**
 * State after `up`, as the emulator returns a deployment: durations in seconds, zero values omitted (except the
 * show_if_zero fields), defaults filled in, the shape bound to a version, the owner stamp present.
 */
const SERVER: Props = {
  name: "accounts/acme/deployments/web",
  displayName: "Web",
  createTime: "2025-01-01T00:00:00Z",
  updateTime: "2025-01-01T00:05:00Z",
  state: "READY",
  baseModel: BASE,
  minReplicaCount: 0,
  maxReplicaCount: 1,
  replicaCount: 0,
  autoscalingPolicy: { scaleUpWindow: "30s", scaleDownWindow: "600s", scaleToZeroWindow: "3600s" },
  acceleratorType: "NVIDIA_A100_80GB",
  acceleratorCount: 1,
  enableAddons: false,
  placement: { multiRegion: "GLOBAL" },
  region: "US_IOWA_1",
  deploymentShape: `${SHAPE}/versions/v1a2b3c4d`,
  annotations: { [OWNER_ANNOTATION]: OWNER, team: "search" },
  deploymentId: "web",
  inferenceModel: `${BASE}#accounts/acme/deployments/web`,
  __owner: OWNER,
  __declared: { deploymentId: "web", baseModel: BASE, displayName: "Web", deploymentShape: SHAPE, annotations: { team: "search" } },
};

/** The program's declaration that produced SERVER. */
const DECLARED: Props = {
  deploymentId: "web",
  baseModel: BASE,
  displayName: "Web",
  autoscalingPolicy: { scaleDownWindow: "10m" },
  deploymentShape: SHAPE,
  annotations: { team: "search" },
  __owner: OWNER,
};

/** Inputs as the engine passes them to diff: the declaration after check. */
function checked(news: Props, olds: Props = SERVER): Props {
  const { inputs, failures } = check(deploymentSpec, olds, news);
  expect(failures).toEqual([]);
  return inputs;
}

function without(obj: Props, ...keys: string[]): Props {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !keys.includes(k)));
}

const NO_CHANGE: DiffResult = { changes: false, replaces: [], deleteBeforeReplace: false };
const IN_PLACE: DiffResult = { changes: true, replaces: [], deleteBeforeReplace: false };

describe("diff: no change for semantically equal values", () => {
  const cases: [string, Props, Props][] = [
    ["the declaration that produced the state", DECLARED, SERVER],
    ['"10m" vs "600s"', { ...DECLARED, autoscalingPolicy: { scaleDownWindow: "10m" } }, SERVER],
    ['"1h" vs "3600s" and "30s" vs "30s"', { ...DECLARED, autoscalingPolicy: { scaleUpWindow: "30s", scaleToZeroWindow: "1h" } }, SERVER],
    ["absent autoscalingPolicy vs the server's filled-in defaults", without(DECLARED, "autoscalingPolicy"), SERVER],
    ["the documented default load target vs none reported", { ...DECLARED, autoscalingPolicy: { loadTargets: { default: 0.8 } } }, SERVER],
    ["absent minReplicaCount vs 0", DECLARED, SERVER],
    ["absent minReplicaCount vs omitted", DECLARED, without(SERVER, "minReplicaCount")],
    ["declared minReplicaCount 0 vs omitted", { ...DECLARED, minReplicaCount: 0 }, without(SERVER, "minReplicaCount")],
    ["absent maxReplicaCount vs max(0, 1) = 1", DECLARED, SERVER],
    ["absent maxReplicaCount vs max(min, 1) = min", { ...DECLARED, minReplicaCount: 2 }, { ...SERVER, minReplicaCount: 2, maxReplicaCount: 2 }],
    ["a shape without version vs the bound version", DECLARED, SERVER],
    ["annotations equal except the owner key", DECLARED, SERVER],
    ["annotations equal, owner stripped from state", DECLARED, { ...SERVER, annotations: { team: "search" } }],
    ["no annotations vs only the owner annotation", without(DECLARED, "annotations"), { ...SERVER, annotations: { [OWNER_ANNOTATION]: OWNER } }],
    ["absent acceleratorType vs the server's choice", DECLARED, SERVER],
    ["absent acceleratorCount and precision vs the server's choice", DECLARED, { ...SERVER, precision: "FP16" }],
    ["declared acceleratorType equal to the server's", { ...DECLARED, acceleratorType: "NVIDIA_A100_80GB" }, SERVER],
    ["absent placement vs GLOBAL", DECLARED, SERVER],
    ["declared GLOBAL placement vs GLOBAL", { ...DECLARED, placement: { multiRegion: "GLOBAL" } }, SERVER],
    ["a pinned shape version equal to the bound one", { ...DECLARED, deploymentShape: `${SHAPE}/versions/v1a2b3c4d` }, SERVER],
    ["absent displayName vs a server value", without(DECLARED, "displayName"), SERVER],
    ["enableAddons false vs omitted", { ...DECLARED, enableAddons: false }, without(SERVER, "enableAddons")],
    ["autoTune longPrompt false vs omitted", { ...DECLARED, autoTune: { longPrompt: false } }, SERVER],
    ["expireTime with an offset vs the same instant in UTC", { ...DECLARED, expireTime: "2030-01-01T01:00:00+01:00" }, { ...SERVER, expireTime: "2030-01-01T00:00:00Z" }],
    ["directRouteType UNSPECIFIED vs omitted", { ...DECLARED, directRouteType: "DIRECT_ROUTE_TYPE_UNSPECIFIED" }, SERVER],
  ];

  it.each(cases)("%s", (_label, news, olds) => {
    expect(diff(deploymentSpec, olds, checked(news, olds))).toEqual(NO_CHANGE);
  });

  it("shows no change for an auto-named deployment re-checked against its state", () => {
    const olds = { ...SERVER, deploymentId: "web-1a2b3c4", __name: "web-1a2b3c4" };
    const news = checked(without(DECLARED, "deploymentId"), olds);
    expect(news.__name).toBe("web-1a2b3c4");
    expect(diff(deploymentSpec, olds, news)).toEqual(NO_CHANGE);
  });
});

describe("diff: empty values the API omits", () => {
  // proto3 JSON omits "" and 0 (reference §1.3): a declared empty value and an omitted one are the same.
  it.each([
    ["draftModel", ""],
    ["displayName", ""],
    ["description", ""],
    ["draftTokenCount", 0],
  ])("declared %s %j vs omitted on the server is no change", (key, value) => {
    const olds = without(SERVER, key);
    expect(diff(deploymentSpec, olds, checked({ ...DECLARED, [key]: value }, olds))).toEqual(NO_CHANGE);
  });
});

describe("diff: in-place updates", () => {
  const cases: [string, Props, Props?][] = [
    ["maxReplicaCount", { ...DECLARED, maxReplicaCount: 3 }],
    ["minReplicaCount", { ...DECLARED, minReplicaCount: 1 }],
    ["a removed minReplicaCount", DECLARED, { ...SERVER, minReplicaCount: 2, maxReplicaCount: 2 }],
    ["scaleDownWindow", { ...DECLARED, autoscalingPolicy: { scaleDownWindow: "5m" } }],
    ["scaleUpWindow", { ...DECLARED, autoscalingPolicy: { scaleDownWindow: "10m", scaleUpWindow: "1m" } }],
    ["scaleToZeroWindow", { ...DECLARED, autoscalingPolicy: { scaleDownWindow: "10m", scaleToZeroWindow: "30m" } }],
    ["loadTargets", { ...DECLARED, autoscalingPolicy: { scaleDownWindow: "10m", loadTargets: { default: 0.5 } } }],
    ["acceleratorType", { ...DECLARED, acceleratorType: "NVIDIA_H100_80GB" }],
    ["acceleratorCount", { ...DECLARED, acceleratorCount: 2 }],
    ["precision", { ...DECLARED, precision: "FP8" }],
    ["displayName", { ...DECLARED, displayName: "Web v2" }],
    ["an annotation value", { ...DECLARED, annotations: { team: "ads" } }],
    ["removed annotations", without(DECLARED, "annotations")],
    ["deploymentShape family", { ...DECLARED, deploymentShape: "accounts/fireworks/deploymentShapes/llama-8b-fast" }],
    ["enableAddons", { ...DECLARED, enableAddons: true }],
    ["a pinned deploymentShape version", { ...DECLARED, deploymentShape: `${SHAPE}/versions/v2` }, { ...SERVER, deploymentShape: `${SHAPE}/versions/v1` }],
  ];

  it.each(cases)("%s changes in place", (_label, news, olds = SERVER) => {
    expect(diff(deploymentSpec, olds, checked(news, olds))).toEqual(IN_PLACE);
  });
});

describe("diff: replacement", () => {
  it("replaces on a baseModel change, deleting first because the ID is user-chosen", () => {
    expect(diff(deploymentSpec, SERVER, checked({ ...DECLARED, baseModel: OTHER_BASE }))).toEqual({
      changes: true,
      replaces: ["baseModel"],
      deleteBeforeReplace: true,
    });
  });

  it.each([
    ["multiRegion US", { multiRegion: "US" }],
    ["a single region", { region: "US_IOWA_1" }],
    ["a region list", { regions: ["US_IOWA_1", "US_VIRGINIA_1"] }],
  ])("replaces on a placement change to %s", (_label, placement) => {
    expect(diff(deploymentSpec, SERVER, checked({ ...DECLARED, placement }))).toEqual({
      changes: true,
      replaces: ["placement"],
      deleteBeforeReplace: true,
    });
  });

  it("replaces on a deploymentId change, deleting first", () => {
    expect(diff(deploymentSpec, SERVER, checked({ ...DECLARED, deploymentId: "web2" }))).toEqual({
      changes: true,
      replaces: ["deploymentId"],
      deleteBeforeReplace: true,
    });
  });

  it("creates the replacement first for an auto-named deployment", () => {
    const olds = { ...SERVER, deploymentId: "web-1a2b3c4", __name: "web-1a2b3c4" };
    const news = checked({ ...without(DECLARED, "deploymentId"), baseModel: OTHER_BASE }, olds);
    expect(diff(deploymentSpec, olds, news)).toEqual({ changes: true, replaces: ["baseModel"], deleteBeforeReplace: false });
  });

  it("replaces when switching from an auto-name to an explicit, different deploymentId", () => {
    const olds = { ...SERVER, deploymentId: "web-1a2b3c4", __name: "web-1a2b3c4" };
    expect(diff(deploymentSpec, olds, checked({ ...DECLARED, deploymentId: "web" }, olds))).toEqual({
      changes: true,
      replaces: ["deploymentId"],
      deleteBeforeReplace: true,
    });
  });

  it("does not replace when an explicit deploymentId equals the existing auto-name", () => {
    const olds = { ...SERVER, deploymentId: "web-1a2b3c4", __name: "web-1a2b3c4" };
    expect(diff(deploymentSpec, olds, checked({ ...DECLARED, deploymentId: "web-1a2b3c4" }, olds))).toEqual(NO_CHANGE);
  });
});

describe("diff: provider-only fields", () => {
  it.each([
    ["timeouts", { timeouts: { create: "1h" } }],
    ["hardDelete", { hardDelete: false }],
    ["ignoreChecks", { ignoreChecks: true }],
    ["skipShapeValidation", { skipShapeValidation: true }],
  ])("a %s change is a change without replacement", (_label, extra) => {
    expect(diff(deploymentSpec, SERVER, checked({ ...DECLARED, ...extra }))).toEqual(IN_PLACE);
  });

  it("removing declared timeouts is a change", () => {
    const olds = { ...SERVER, timeouts: { create: "1h" } };
    expect(diff(deploymentSpec, olds, checked(DECLARED, olds))).toEqual(IN_PLACE);
  });

  it("equal timeouts are no change", () => {
    const olds = { ...SERVER, timeouts: { create: "1h" } };
    expect(diff(deploymentSpec, olds, checked({ ...DECLARED, timeouts: { create: "1h" } }, olds))).toEqual(NO_CHANGE);
  });
});

describe("diff: unknown values during preview", () => {
  it.each([
    ["displayName", { displayName: UNKNOWN }],
    ["maxReplicaCount", { maxReplicaCount: UNKNOWN }],
    ["a nested window", { autoscalingPolicy: { scaleDownWindow: UNKNOWN } }],
    ["an annotation", { annotations: { team: UNKNOWN } }],
    ["timeouts", { timeouts: UNKNOWN }],
  ])("an unknown %s is a change without replacement", (_label, extra) => {
    expect(diff(deploymentSpec, SERVER, { ...DECLARED, ...extra })).toEqual(IN_PLACE);
  });

  it("an unknown baseModel is a replacement", () => {
    expect(diff(deploymentSpec, SERVER, { ...DECLARED, baseModel: UNKNOWN })).toEqual({
      changes: true,
      replaces: ["baseModel"],
      deleteBeforeReplace: true,
    });
  });

  it("an unknown placement is a replacement", () => {
    expect(diff(deploymentSpec, SERVER, { ...DECLARED, placement: { region: UNKNOWN } }).replaces).toEqual(["placement"]);
  });

  it("an unknown deploymentId is a replacement", () => {
    expect(diff(deploymentSpec, SERVER, { ...DECLARED, deploymentId: UNKNOWN })).toEqual({
      changes: true,
      replaces: ["deploymentId"],
      deleteBeforeReplace: true,
    });
  });
});

describe("changedApiFields", () => {
  it("returns nothing when nothing changed", () => {
    expect(changedApiFields(deploymentSpec, SERVER, checked(DECLARED))).toEqual({});
  });

  it("returns exactly the changed fields in API form", () => {
    const news = checked({ ...DECLARED, maxReplicaCount: 3, autoscalingPolicy: { scaleDownWindow: "15m" } });
    expect(changedApiFields(deploymentSpec, SERVER, news)).toEqual({
      maxReplicaCount: 3,
      autoscalingPolicy: { scaleUpWindow: "30s", scaleDownWindow: "900s", scaleToZeroWindow: "3600s", loadTargets: { default: 0.8 } },
    });
  });

  it("resets a removed minReplicaCount to 0", () => {
    const olds = { ...SERVER, minReplicaCount: 2, maxReplicaCount: 3 };
    expect(changedApiFields(deploymentSpec, olds, checked({ ...DECLARED, maxReplicaCount: 3 }, olds))).toEqual({ minReplicaCount: 0 });
  });

  it("resets a removed maxReplicaCount to its documented default max(min, 1)", () => {
    const olds = { ...SERVER, maxReplicaCount: 5 };
    expect(changedApiFields(deploymentSpec, olds, checked(DECLARED, olds))).toEqual({ maxReplicaCount: 1 });
  });

  it("sends annotations without the owner key; updateBody puts it back with baseModel", () => {
    const changed = changedApiFields(deploymentSpec, SERVER, checked({ ...DECLARED, annotations: { team: "ads" } }));
    expect(changed).toEqual({ annotations: { team: "ads" } });
    expect(deploymentUpdateBody(changed, SERVER)).toEqual({
      baseModel: BASE,
      annotations: { team: "ads", [OWNER_ANNOTATION]: OWNER },
    });
  });

  it("leaves out replace-forcing and provider-only fields", () => {
    const news = checked({ ...DECLARED, baseModel: OTHER_BASE, placement: { multiRegion: "US" }, timeouts: { update: "1h" }, hardDelete: false });
    expect(changedApiFields(deploymentSpec, SERVER, news)).toEqual({});
  });

  it("leaves out server-decided fields that are not declared", () => {
    const olds = { ...SERVER, precision: "FP16", acceleratorType: "NVIDIA_H100_80GB" };
    expect(changedApiFields(deploymentSpec, olds, checked({ ...DECLARED, precision: "FP8" }, olds))).toEqual({ precision: "FP8" });
  });
});

describe("apiBody", () => {
  it("includes declared API fields in API form and omits provider-only and hidden keys", () => {
    const inputs = checked(
      {
        deploymentId: "web",
        baseModel: BASE,
        minReplicaCount: 1,
        autoscalingPolicy: { scaleDownWindow: "10m", scaleToZeroWindow: "1h" },
        deploymentShape: SHAPE,
        hardDelete: false,
        ignoreChecks: true,
        timeouts: { create: "1h" },
        skipShapeValidation: true,
        disableAutoDeploy: true,
        __owner: OWNER,
      },
      {},
    );
    expect(apiBody(deploymentSpec, inputs)).toEqual({
      baseModel: BASE,
      minReplicaCount: 1,
      autoscalingPolicy: { scaleUpWindow: "30s", scaleDownWindow: "600s", scaleToZeroWindow: "3600s", loadTargets: { default: 0.8 } },
      deploymentShape: SHAPE,
    });
  });

  it("is just baseModel for the minimal declaration", () => {
    expect(apiBody(deploymentSpec, checked({ baseModel: BASE, __owner: OWNER }, {}))).toEqual({ baseModel: BASE });
  });
});

describe("owner stamp refusal", () => {
  const refused = (status: number, message: string): boolean => deploymentSpec.api.owner?.refused(status, message) ?? false;

  it("recognises the platform reserving annotations", () => {
    expect(refused(403, "permission denied: deployment.annotations can only be set by a superuser")).toBe(true);
    expect(refused(400, 'unknown field "annotations" in gateway.Deployment')).toBe(true);
    expect(refused(400, "deployment.annotations: field is restricted to superusers")).toBe(true);
  });

  it("is not fooled by an error that merely echoes a body with annotations in it", () => {
    const echoed = 'invalid request (body: {"baseModel":"m","annotations":{"pulumi-fireworks/owner":"p/s/r@i#c"}})';
    expect(refused(400, echoed)).toBe(false);
    expect(refused(403, `permission denied ${echoed}`)).toBe(false);
    expect(refused(500, "deployment.annotations can only be set by a superuser")).toBe(false);
  });
});
