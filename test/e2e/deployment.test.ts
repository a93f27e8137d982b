/**
 * The quickstart stack through the real Pulumi engine against the emulator: create, no-op previews, in-place
 * updates, drift found by refresh, replacement, destroy. The tests in this file run in order and share one stack,
 * as a user's successive `pulumi` commands would.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../support/admin";
import { StackHarness, opsFor } from "./harness";

describe("quickstart stack end to end (real engine, emulator)", () => {
  let emulator: Emulator;
  let admin: EmulatorAdmin;
  let stack: StackHarness;
  let config: Record<string, { value: string; secret?: boolean }>;
  let firstName = "";

  beforeAll(async () => {
    emulator = await startEmulator({ timings: { deploymentCreateMs: 300, deploymentUpdateMs: 200, deploymentDeleteMs: 150 } });
    admin = new EmulatorAdmin(emulator);
    // Credentials through stack config (the documented path); the environment carries none.
    config = {
      "fireworks:baseUrl": { value: emulator.url },
      "fireworks:accountId": { value: emulator.accountId },
      "fireworks:apiKey": { value: emulator.apiKey, secret: true },
    };
    stack = new StackHarness("quickstart", {});
  });

  afterAll(async () => {
    stack?.cleanup();
    await emulator?.close();
  });

  it("previews, then creates a READY deployment with up (both in one process)", async () => {
    const [preview, up] = await stack.runAll([
      { op: "preview", diff: true, config },
      { op: "up", config },
    ]);
    expect(preview?.ok, preview?.error).toBe(true);
    expect(opsFor(preview!)).toEqual(["create"]);
    expect(preview?.stdout).toContain("fireworks:index:Deployment");
    expect(preview?.stdout).toMatch(/gpuCapacity\s*: "min 0, max 2×NVIDIA_H100_80GB"/);
    expect(up?.ok, up?.error).toBe(true);
    expect(up?.outputs?.state?.value).toBe("READY");
    firstName = String(up?.outputs?.deploymentName?.value);
    expect(firstName).toMatch(/^accounts\/emulator\/deployments\/llama-8b-[0-9a-f]{7}$/);
    // While it waited, the engine's output showed where the deployment stood (the provider's progress lines).
    expect(up?.stdout).toContain(`[fireworks] Deployment "${firstName}" (create): CREATING, 0/`);
    expect(up?.stdout).toContain(`[fireworks] Deployment "${firstName}" (create): READY, 1/1 replicas ready`);
    const live = await admin.get(`/v1/${firstName}`);
    expect(live?.state).toBe("READY");
    expect(live?.acceleratorType).toBe("NVIDIA_H100_80GB");
    expect(live?.precision).toBe("FP8");
    expect(live?.maxReplicaCount).toBe(2);
    expect((live?.autoscalingPolicy as Record<string, unknown>).scaleToZeroWindow).toBe("900s");
  });

  it("reports no changes right after up, and after a refresh", async () => {
    const preview = await stack.run({ op: "preview", expectNoChanges: true });
    expect(preview.ok, preview.error).toBe(true);
    const refresh = await stack.run({ op: "refresh", expectNoChanges: true });
    expect(refresh.ok, refresh.error).toBe(true);
    const again = await stack.run({ op: "preview", expectNoChanges: true });
    expect(again.ok, again.error).toBe(true);
  });

  it("keeps the API key out of plain text in state, and stores a small __provider", () => {
    const state = stack.stateFileText();
    expect(state).not.toContain(emulator.apiKey);
    const deployment = JSON.parse(state).checkpoint.latest.resources.find((r: { type: string }) => r.type === "fireworks:index:Deployment");
    const provider = String(deployment.inputs.__provider);
    expect(provider).toContain('require("pulumi-fireworks/runtime")');
    expect(provider.length).toBeLessThan(2048);
  });

  it("treats an equivalent duration spelling as no change", async () => {
    stack.editProgram((s) => s.replace('scaleDownWindow: "10m"', 'scaleDownWindow: "600s"'));
    const preview = await stack.run({ op: "preview", expectNoChanges: true });
    expect(preview.ok, preview.error).toBe(true);
  });

  it("updates maxReplicaCount and an autoscaling window in place", async () => {
    stack.editProgram((s) => s.replace("maxReplicaCount: 2", "maxReplicaCount: 3").replace('scaleDownWindow: "600s"', 'scaleDownWindow: "20m"'));
    const preview = await stack.run({ op: "preview", diff: true });
    expect(preview.ok, preview.error).toBe(true);
    expect(opsFor(preview)).toEqual(["update"]);
    expect(preview.stdout).toMatch(/maxReplicaCount\s*: 2 => 3/);
    // What the change means in GPUs, for the reviewer, in the --diff output itself.
    expect(preview.stdout).toMatch(/gpuCapacity\s*: "min 0, max 2×NVIDIA_H100_80GB" => "min 0, max 3×NVIDIA_H100_80GB"/);
    await admin.clearRequests();
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    expect(up.outputs?.deploymentName?.value).toBe(firstName);
    const writes = (await admin.requests()).filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /v1/${firstName}`]);
    const live = await admin.get(`/v1/${firstName}`);
    expect(live?.maxReplicaCount).toBe(3);
    expect((live?.autoscalingPolicy as Record<string, unknown>).scaleDownWindow).toBe("1200s");
    expect(live?.state).toBe("READY");
  });

  it("finds an out-of-band change with refresh, shows it in preview, and up puts it back", async () => {
    const id = firstName.split("/").pop() ?? "";
    await admin.patchOutOfBand(id, { maxReplicaCount: 7 });
    const refresh = await stack.run({ op: "refresh" });
    expect(refresh.ok, refresh.error).toBe(true);
    expect(refresh.changeSummary).toMatchObject({ update: 1 });
    const preview = await stack.run({ op: "preview", diff: true });
    expect(opsFor(preview)).toEqual(["update"]);
    expect(preview.stdout).toMatch(/maxReplicaCount\s*: 7 => 3/);
    // Only the drifted property changes, with the GPU footprint it implies: the windows the program spells "15m"
    // are not shown as "900s" => "15m".
    expect(preview.stdout.match(/=>/g)).toHaveLength(2);
    expect(preview.stdout).toMatch(/gpuCapacity\s*: "min 0, max 7×NVIDIA_H100_80GB" => "min 0, max 3×NVIDIA_H100_80GB"/);
    expect(preview.stdout).toMatch(/scaleToZeroWindow: "15m"/);
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    expect((await admin.get(`/v1/${firstName}`))?.maxReplicaCount).toBe(3);
    expect((await stack.run({ op: "preview", expectNoChanges: true })).ok).toBe(true);
  });

  it("replaces the deployment when baseModel changes: the new one is READY before the old one is deleted", async () => {
    stack.editProgram((s) => s.replace("llama-v3p1-8b-instruct", "qwen2p5-7b-instruct"));
    const preview = await stack.run({ op: "preview" });
    expect(preview.ok, preview.error).toBe(true);
    // Create-before-delete: the replacement is planned before the old deployment's deletion.
    expect(opsFor(preview)).toEqual(["create-replacement", "replace", "delete-replaced"]);
    const text = preview.stdout;
    expect(text).toContain("++ fireworks:index:Deployment llama-8b create replacement [diff: ~baseModel]");
    expect(text.indexOf("create replacement")).toBeLessThan(text.indexOf("delete original"));
    await admin.clearRequests();
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    const newName = String(up.outputs?.deploymentName?.value);
    expect(newName).not.toBe(firstName);
    const writes = (await admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual([`POST /v1/accounts/${emulator.accountId}/deployments`, `DELETE /v1/${firstName}`]);
    expect(await admin.get(`/v1/${firstName}`)).toBeUndefined();
    expect((await admin.get(`/v1/${newName}`))?.baseModel).toBe("accounts/fireworks/models/qwen2p5-7b-instruct");
  });

  it("drops a deployment deleted outside Pulumi on refresh, and up creates it again", async () => {
    const current = String((await stack.run({ op: "outputs" })).outputs?.deploymentName?.value);
    const res = await fetch(`${emulator.url}/v1/${current}?hard=true`, { method: "DELETE", headers: { authorization: `Bearer ${emulator.apiKey}` } });
    expect(res.status).toBe(200);
    await expect.poll(() => admin.get(`/v1/${current}`), { timeout: 10_000, interval: 50 }).toBeUndefined();
    const refresh = await stack.run({ op: "refresh" });
    expect(refresh.ok, refresh.error).toBe(true);
    expect(refresh.changeSummary).toMatchObject({ delete: 1 });
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    expect(opsFor(up)).toEqual(["create"]);
    expect((await admin.get(`/v1/${String(up.outputs?.deploymentName?.value)}`))?.state).toBe("READY");
  });

  it("destroy leaves nothing behind", async () => {
    const destroy = await stack.run({ op: "destroy" });
    expect(destroy.ok, destroy.error).toBe(true);
    expect(await admin.deployments(true)).toEqual([]);
  });
});
