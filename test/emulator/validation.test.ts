import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { BASE_MODEL, useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

async function expectCreate400(body: Record<string, unknown>, message: string, query = ""): Promise<void> {
  const res = await client.call<ErrorBody>("POST", `${client.base}${query}`, body);
  expect(res.status, res.text).toBe(400);
  expect(res.body.code).toBe(3);
  expect(res.body.details).toEqual([]);
  expect(res.body.message).toContain(message);
}

async function expectCreate200(body: Record<string, unknown>, query = "") {
  const res = await client.create(body, query);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const M = { baseModel: BASE_MODEL };

describe("deployment IDs (reference §1.2)", () => {
  it.each([
    ["Upper", "must contain only lowercase letters"],
    ["has_underscore", "must contain only lowercase letters"],
    ["-leading", "must not begin or end with a hyphen"],
    ["trailing-", "must not begin or end with a hyphen"],
    ["9starts-with-digit", "must not begin with a digit"],
    ["a".repeat(64), "at most 63 characters"],
  ])("rejects %s", async (id, message) => {
    await expectCreate400(M, message, `?deploymentId=${id}`);
  });

  it.each(["a", "a".repeat(63), "my-dep-1", "x9"])("accepts %s", async (id) => {
    await expectCreate200(M, `?deploymentId=${id}`);
  });
});

describe("required and immutable fields", () => {
  it("requires baseModel", async () => {
    await expectCreate400({ displayName: "x" }, "deployment.base_model: value is required");
    await expectCreate400({ baseModel: "" }, "deployment.base_model: value is required");
  });

  it("requires baseModel to be a model resource name", async () => {
    await expectCreate400({ baseModel: "llama-v3p1-8b-instruct" }, "is not a model name");
  });
});

describe("field rules (reference §4.2, §4.3)", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["displayName over 63 characters", { displayName: "x".repeat(64) }, "deployment.display_name: value length must be at most 63 characters"],
    ["description over 999 characters", { description: "x".repeat(1000) }, "deployment.description: value length must be at most 999 characters"],
    ["negative minReplicaCount", { minReplicaCount: -1 }, "deployment.min_replica_count: value must be greater than or equal to 0"],
    ["maxReplicaCount over 1000", { maxReplicaCount: 1001 }, "deployment.max_replica_count: value must be greater than or equal to 0 and less than or equal to 1000"],
    ["negative maxReplicaCount", { maxReplicaCount: -1 }, "deployment.max_replica_count"],
    ["min greater than max", { minReplicaCount: 3, maxReplicaCount: 2 }, "min_replica_count cannot be greater than max_replica_count"],
    ["negative acceleratorCount", { acceleratorCount: -2 }, "deployment.accelerator_count: value must be greater than or equal to 0"],
    ["negative draftTokenCount", { draftTokenCount: -1 }, "deployment.draft_token_count"],
    ["negative maxContextLength", { maxContextLength: -1 }, "deployment.max_context_length"],
    ["negative ngramSpeculationLength", { ngramSpeculationLength: -1 }, "deployment.ngram_speculation_length"],
    ["revocable max below max", { maxReplicaCount: 4, maxWithRevocableReplicaCount: 2 }, "max_with_revocable_replica_count"],
    ["unknown acceleratorType", { acceleratorType: "NVIDIA_RTX_4090" }, 'acceleratorType: invalid value "NVIDIA_RTX_4090"'],
    ["unknown precision", { precision: "FP7" }, "precision: invalid value"],
    ["unknown directRouteType", { directRouteType: "CARRIER_PIGEON" }, "directRouteType: invalid value"],
    ["unknown hotLoadBucketType", { hotLoadBucketType: "DROPBOX" }, "hotLoadBucketType: invalid value"],
    ["enum given as a number", { acceleratorType: 2 }, "acceleratorType: invalid value 2"],
    ["empty placement", { placement: {} }, "exactly one of region, multi_region or regions must be set"],
    ["two placement fields", { placement: { region: "US_IOWA_1", multiRegion: "US" } }, "exactly one of region, multi_region or regions"],
    ["unknown region", { placement: { region: "MARS_1" } }, "placement.region: invalid value"],
    ["unknown multiRegion", { placement: { multiRegion: "AFRICA" } }, "placement.multiRegion: invalid value"],
    ["unknown region in regions", { placement: { regions: ["US_IOWA_1", "MOON"] } }, "placement.regions[1]: invalid value"],
    ["duplicate regions", { placement: { regions: ["US_IOWA_1", "US_IOWA_1"] } }, "values must be unique"],
    ["scaleUpWindow over 1h", { autoscalingPolicy: { scaleUpWindow: "3601s" } }, "scale_up_window: must be less than or equal to 1 hour"],
    ["scaleDownWindow over 1h", { autoscalingPolicy: { scaleDownWindow: "3600.5s" } }, "scale_down_window: must be less than or equal to 1 hour"],
    ["negative window", { autoscalingPolicy: { scaleUpWindow: "-1s" } }, "scale_up_window: value must be greater than or equal to 0s"],
    ["scaleToZeroWindow under 5m", { autoscalingPolicy: { scaleToZeroWindow: "299s" } }, "scale_to_zero_window must be at least 5 minutes"],
    ["scaleToZeroWindow over 1h", { autoscalingPolicy: { scaleToZeroWindow: "7200s" } }, "scale_to_zero_window: must be less than or equal to 1 hour"],
    ["Go-style duration", { autoscalingPolicy: { scaleDownWindow: "10m" } }, 'invalid google.protobuf.Duration value "10m"'],
    ["duration as a number", { autoscalingPolicy: { scaleDownWindow: 600 } }, "invalid google.protobuf.Duration value 600"],
    ["loadTargets value not a number", { autoscalingPolicy: { loadTargets: { default: "0.8" } } }, "loadTargets.default: expected a number"],
    ["loadTargets default above 1", { autoscalingPolicy: { loadTargets: { default: 1.5 } } }, "must be a fraction in (0, 1]"],
    ["unknown loadTargets key", { autoscalingPolicy: { loadTargets: { gpu_temperature: 70 } } }, 'unknown load target "gpu_temperature"'],
    ["scalingSchedules (shape unknown)", { autoscalingPolicy: { scalingSchedules: "x" } }, "scalingSchedules is not supported"],
    ["deploymentTemplate and autoTune together", { deploymentTemplate: "t", autoTune: { longPrompt: true } }, "only one of deployment_template and auto_tune"],
    ["malformed deploymentShape", { deploymentShape: "fast" }, "deployment.deployment_shape"],
    ["malformed draftModel", { draftModel: "my-draft" }, "deployment.draft_model"],
    ["int32 overflow", { maxContextLength: 2 ** 31 }, "invalid value for int32"],
    ["fractional int32", { minReplicaCount: 1.5 }, "invalid value for int32"],
    ["bool as a string", { enableAddons: "true" }, "enableAddons: expected true or false"],
    ["string as a number", { displayName: 5 }, "displayName: expected a string"],
    ["malformed expireTime", { expireTime: "tomorrow" }, "invalid google.protobuf.Timestamp"],
    ["unknown top-level field", { gpuCount: 8 }, 'unknown field "gpuCount" in gateway.Deployment'],
    ["snake_case field name", { base_model: BASE_MODEL }, 'unknown field "base_model"'],
    ["unknown nested field", { autoscalingPolicy: { scaleUp: "30s" } }, 'unknown field "autoscalingPolicy.scaleUp" in gateway.AutoscalingPolicy'],
    ["superuser-only field", { imageTag: "latest" }, 'unknown field "imageTag"'],
  ])("rejects %s", async (_label, fields, message) => {
    await expectCreate400({ ...M, ...fields }, message);
  });

  it("reports every violation at once", async () => {
    const res = await client.call<ErrorBody>("POST", client.base, { ...M, displayName: "x".repeat(64), minReplicaCount: -1 });
    expect(res.body.message).toContain("display_name");
    expect(res.body.message).toContain("min_replica_count");
  });

  it.each<[string, Record<string, unknown>]>([
    ["63-character displayName", { displayName: "x".repeat(63) }],
    ["999-character description", { description: "x".repeat(999) }],
    ["maxReplicaCount 1000", { maxReplicaCount: 1000 }],
    ["min equal to max", { minReplicaCount: 2, maxReplicaCount: 2 }],
    ["scaleToZeroWindow 0s", { autoscalingPolicy: { scaleToZeroWindow: "0s" } }],
    ["scaleToZeroWindow exactly 5m", { autoscalingPolicy: { scaleToZeroWindow: "300s" } }],
    ["windows exactly 1h", { autoscalingPolicy: { scaleUpWindow: "3600s", scaleDownWindow: "3600s", scaleToZeroWindow: "3600s" } }],
    ["all documented load targets", { autoscalingPolicy: { loadTargets: { default: 0.5, requests_per_second: 10, concurrent_requests: 4, tokens_generated_per_second: 100, prompt_tokens_per_second: 1000 } } }],
    ["regions list", { placement: { regions: ["US_IOWA_1", "EU_FRANKFURT_1"] } }],
    ["every accelerator from the 4.259.0 enum", { acceleratorType: "NVIDIA_B300_288GB" }],
    ["a 4.21.6-only region", { placement: { region: "EU_LONDON_1" } }],
    ["int32 as a decimal string", { maxReplicaCount: "3" }],
    ["timestamp with an offset", { expireTime: "2030-01-01T02:00:00+02:00" }],
    ["null for a field (unset)", { displayName: null }],
    ["enterprise fields", { directRouteType: "INTERNET", directRouteApiKeys: ["k"], enableSessionAffinity: true }],
    ["hot load fields", { enableHotLoad: true, hotLoadBucketType: "S3", hotLoadBucketUrl: "s3://b/p", hotLoadTrainerJob: "j" }],
    ["draft settings", { draftModel: "accounts/fireworks/models/draft", draftTokenCount: 4, ngramSpeculationLength: 3, enableMtp: true }],
  ])("accepts %s", async (_label, fields) => {
    await expectCreate200({ ...M, ...fields });
  });

  it("normalizes an offset timestamp to UTC with Z", async () => {
    const dep = await expectCreate200({ ...M, expireTime: "2030-01-01T02:00:00+02:00" });
    expect(dep["expireTime"]).toBe("2030-01-01T00:00:00Z");
  });

  it("ignores output-only fields sent in the body", async () => {
    const dep = await expectCreate200(
      { ...M, name: "accounts/x/deployments/hijack", state: "READY", createTime: "2000-01-01T00:00:00Z", replicaCount: 7, region: "US_OHIO_1", status: { code: "OK" }, replicaStats: { readyReplicaCount: 9 } },
      "?deploymentId=real",
    );
    expect(dep.name).toBe(`accounts/${emu.accountId}/deployments/real`);
    expect(dep.state).toBe("CREATING");
    expect(dep.createTime).not.toBe("2000-01-01T00:00:00Z");
    expect(dep.replicaCount).toBe(0);
    expect(dep.region).toBeUndefined();
    expect(dep.status).toBeUndefined();
  });

  it("still type-checks output-only fields", async () => {
    await expectCreate400({ ...M, state: "SLEEPING" }, "state: invalid value");
  });
});
