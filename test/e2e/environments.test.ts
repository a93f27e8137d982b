/**
 * examples/stacks/environments: one program, a stack per environment, each sized by its own Pulumi.<stack>.yaml.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../support/admin";
import { StackHarness } from "./harness";

describe("per-environment stacks (real engine, emulator)", () => {
  let emulator: Emulator;
  let admin: EmulatorAdmin;
  const stacks: StackHarness[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ timings: { deploymentCreateMs: 200, deploymentUpdateMs: 100, deploymentDeleteMs: 100 } });
    admin = new EmulatorAdmin(emulator);
  });

  afterAll(async () => {
    for (const stack of stacks) stack.cleanup();
    await emulator?.close();
  });

  it("sizes the same deployment from each stack's config, and destroys each independently", async () => {
    const env = { FIREWORKS_BASE_URL: emulator.url, FIREWORKS_API_KEY: emulator.apiKey };
    // The example's stack files name a real account; point them at the emulator's.
    const config = { "fireworks:accountId": { value: emulator.accountId } };
    const results: Record<string, string> = {};
    for (const name of ["staging", "production"]) {
      const stack = new StackHarness("environments", env, name);
      stacks.push(stack);
      const up = await stack.run({ op: "up", config });
      expect(up.ok, up.error).toBe(true);
      results[name] = String(up.outputs?.inferenceModel?.value).split("#")[1] ?? "";
    }
    const staging = await admin.get(`/v1/${results.staging}`);
    const production = await admin.get(`/v1/${results.production}`);
    expect(staging).toMatchObject({ acceleratorType: "NVIDIA_A100_80GB", minReplicaCount: 0, maxReplicaCount: 1, annotations: { environment: "staging" } });
    expect((staging?.autoscalingPolicy as Record<string, unknown>).scaleToZeroWindow).toBe("900s");
    expect(production).toMatchObject({ acceleratorType: "NVIDIA_H100_80GB", minReplicaCount: 2, maxReplicaCount: 8, state: "READY" });
    // READY is not enough for production: up waited for the two warm replicas it declares.
    expect(production?.replicaCount).toBeGreaterThanOrEqual(2);
    expect(results.staging).not.toBe(results.production);

    const [staged, prod] = stacks.slice(-2);
    expect((await staged?.run({ op: "destroy" }))?.ok).toBe(true);
    expect(await admin.get(`/v1/${results.staging}`)).toBeUndefined();
    expect((await admin.get(`/v1/${results.production}`))?.state).toBe("READY");
    expect((await prod?.run({ op: "destroy" }))?.ok).toBe(true);
    expect(await admin.deployments(true)).toEqual([]);
  });
});
