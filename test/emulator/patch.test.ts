import { describe, expect, it } from "vitest";
import { BASE_MODEL, useEmulator, type Client, type ErrorBody } from "./helpers";

let client: Client;

useEmulator((_emu, c) => {
  client = c;
}, { resetEach: true, timingMs: 20 });

const FULL = {
  displayName: "orig",
  description: "keep me",
  minReplicaCount: 1,
  maxReplicaCount: 3,
  acceleratorType: "NVIDIA_H100_80GB",
  acceleratorCount: 2,
  precision: "FP8",
  autoscalingPolicy: { scaleUpWindow: "60s", scaleDownWindow: "300s", scaleToZeroWindow: "900s", loadTargets: { default: 0.7 } },
  placement: { region: "US_IOWA_1" },
  annotations: { a: "1" },
};

describe("PATCH partial semantics (reference §1.6)", () => {
  it("changes only the keys present in the body", async () => {
    const before = await client.createReady("p", FULL);
    const res = await client.patch("p", { baseModel: BASE_MODEL, displayName: "new" });
    expect(res.status).toBe(200);
    const { displayName: _a, updateTime: _b, ...restAfter } = res.body;
    const { displayName: _c, updateTime: _d, ...restBefore } = before;
    expect(res.body.displayName).toBe("new");
    expect(restAfter).toEqual(restBefore);
  });

  it("walks into nested messages: one window changes, the others stay", async () => {
    await client.createReady("p", FULL);
    const res = await client.patch("p", { baseModel: BASE_MODEL, autoscalingPolicy: { scaleUpWindow: "90s" } });
    expect(res.body.autoscalingPolicy).toEqual({ ...FULL.autoscalingPolicy, scaleUpWindow: "90s" });
    expect(res.body.state).toBe("UPDATING");
  });

  it("replaces maps wholesale and resets a message sent as {} (defaults refilled)", async () => {
    await client.createReady("p", FULL);
    const maps = await client.patch("p", { baseModel: BASE_MODEL, annotations: { b: "2" } });
    expect(maps.body.annotations).toEqual({ b: "2" });
    const reset = await client.patch("p", { baseModel: BASE_MODEL, autoscalingPolicy: {} });
    expect(reset.body.autoscalingPolicy).toEqual({ scaleUpWindow: "30s", scaleDownWindow: "600s", scaleToZeroWindow: "3600s" });
  });

  it("clears a field sent as null", async () => {
    await client.createReady("p", FULL);
    const res = await client.patch("p", { baseModel: BASE_MODEL, description: null, precision: null });
    expect(res.body).not.toHaveProperty("description");
    expect(res.body).not.toHaveProperty("precision");
  });

  it("can set maxReplicaCount to 0 to downscale to zero", async () => {
    await client.createReady("p", { minReplicaCount: 0, maxReplicaCount: 2 });
    const res = await client.patch("p", { baseModel: BASE_MODEL, maxReplicaCount: 0 });
    expect(res.body.maxReplicaCount).toBe(0);
    const ready = await client.waitForState("p", "READY");
    expect(ready.replicaCount).toBe(0);
  });

  it("honours an explicit updateMask: only the listed paths change, a listed path missing from the body is cleared", async () => {
    await client.createReady("p", FULL);
    const res = await client.patch("p", { baseModel: BASE_MODEL, displayName: "masked", description: "ignored" }, "?updateMask=displayName,precision");
    expect(res.status).toBe(200);
    expect(res.body.displayName).toBe("masked");
    expect(res.body.description).toBe("keep me");
    expect(res.body).not.toHaveProperty("precision");
    const nested = await client.patch("p", { baseModel: BASE_MODEL, autoscalingPolicy: { scaleDownWindow: "120s", scaleUpWindow: "5s" } }, "?updateMask=autoscalingPolicy.scaleDownWindow");
    expect(nested.body.autoscalingPolicy?.scaleDownWindow).toBe("120s");
    expect(nested.body.autoscalingPolicy?.scaleUpWindow).toBe("60s");
    const bad = await client.call<ErrorBody>("PATCH", `${client.base}/p?updateMask=gpuCount`, { baseModel: BASE_MODEL });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('unknown field path "gpuCount"');
  });

  it("requires baseModel in the body and refuses to change it", async () => {
    await client.createReady("p", FULL);
    const missing = await client.call<ErrorBody>("PATCH", `${client.base}/p`, { displayName: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("deployment.base_model: value is required");
    const changed = await client.call<ErrorBody>("PATCH", `${client.base}/p`, { baseModel: "accounts/fireworks/models/other", displayName: "x" });
    expect(changed.status).toBe(400);
    expect(changed.body.message).toContain("deployment.base_model: field is immutable");
  });

  it("refuses to change placement but accepts it unchanged", async () => {
    await client.createReady("p", FULL);
    const same = await client.patch("p", { baseModel: BASE_MODEL, placement: { region: "US_IOWA_1" } });
    expect(same.status).toBe(200);
    expect(same.body.state).toBe("READY");
    const other = await client.call<ErrorBody>("PATCH", `${client.base}/p`, { baseModel: BASE_MODEL, placement: { region: "US_OHIO_1" } });
    expect(other.status).toBe(400);
    expect(other.body.message).toContain("deployment.placement: field is immutable");
  });

  it("validates the merged result", async () => {
    await client.createReady("p", FULL);
    const res = await client.call<ErrorBody>("PATCH", `${client.base}/p`, { baseModel: BASE_MODEL, minReplicaCount: 5 });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("min_replica_count cannot be greater than max_replica_count");
    const unknown = await client.call<ErrorBody>("PATCH", `${client.base}/p`, { baseModel: BASE_MODEL, gpus: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('unknown field "gpus"');
    const duration = await client.call<ErrorBody>("PATCH", `${client.base}/p`, { baseModel: BASE_MODEL, autoscalingPolicy: { scaleDownWindow: "10m" } });
    expect(duration.status).toBe(400);
    expect((await client.get("p")).body.autoscalingPolicy).toEqual(FULL.autoscalingPolicy);
  });

  it("ignores output-only fields and leaves updateTime alone on a no-op", async () => {
    const before = await client.createReady("p", FULL);
    const res = await client.patch("p", { ...before, state: "FAILED", replicaCount: 9, name: "accounts/x/deployments/y" });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("READY");
    expect(res.body.replicaCount).toBe(before.replicaCount);
    expect(res.body.name).toBe(before.name);
    expect(res.body.updateTime).toBe(before.updateTime);
  });

  it("treats re-sending the shape family as no change once it was bound to a version", async () => {
    const shape = "accounts/fireworks/deploymentShapes/fast";
    await client.createReady("p", { deploymentShape: shape });
    const res = await client.patch("p", { baseModel: BASE_MODEL, deploymentShape: shape });
    expect(res.body.state).toBe("READY");
  });

  it("accepts a change while CREATING; it applies when creation finishes", async () => {
    // Long enough that the PATCH surely lands while CREATING, even on a loaded machine.
    await client.admin("PUT", "/timings", { deploymentCreateMs: 600 });
    await client.create({ baseModel: BASE_MODEL, maxReplicaCount: 4 }, "?deploymentId=young");
    const res = await client.patch("young", { baseModel: BASE_MODEL, minReplicaCount: 2, acceleratorCount: 4 });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("CREATING");
    const ready = await client.waitForState("young", "READY");
    expect(ready.replicaCount).toBe(2);
    expect(ready.acceleratorCount).toBe(4);
  });

  it("returns 404 for an unknown deployment", async () => {
    expect((await client.patch("nobody", { baseModel: BASE_MODEL })).status).toBe(404);
  });
});
