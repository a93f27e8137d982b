/**
 * Faults through the real engine: bad input stopped at preview, a 429 storm, a deployment that goes FAILED, a
 * killed `up`, a user-chosen ID replaced delete-first, a wrong API key. Each test has its own stack.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../support/admin";
import { StackHarness, opsFor } from "./harness";
import { LLAMA_8B, QWEN_7B, deploymentProgram } from "./program";

describe("faults end to end (real engine, emulator)", () => {
  let emulator: Emulator;
  let admin: EmulatorAdmin;
  let env: Record<string, string>;
  const stacks: StackHarness[] = [];

  const newStack = (args: Record<string, unknown>, name = "llama"): StackHarness => {
    const stack = new StackHarness("quickstart", env);
    stack.writeProgram(deploymentProgram({ name, args }));
    stacks.push(stack);
    return stack;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ timings: { deploymentCreateMs: 300, deploymentUpdateMs: 200, deploymentDeleteMs: 150 } });
    admin = new EmulatorAdmin(emulator);
    // Credentials through the environment this time (the fallback path).
    env = { FIREWORKS_BASE_URL: emulator.url, FIREWORKS_ACCOUNT_ID: emulator.accountId, FIREWORKS_API_KEY: emulator.apiKey };
  });

  afterEach(async () => {
    await admin.clearFaults();
    await admin.setTimings({ deploymentCreateMs: 300, deploymentUpdateMs: 200, deploymentDeleteMs: 150 });
  });

  afterAll(async () => {
    for (const stack of stacks) stack.cleanup();
    await emulator?.close();
  });

  it("stops bad input at preview with messages naming the property, the value and the fix, before any API call", async () => {
    const stack = newStack({ baseModel: LLAMA_8B, acceleratorType: "H100", minReplicaCount: 3, maxReplicaCount: 2, autoscalingPolicy: { scaleToZeroWindow: "2m" } });
    await admin.clearRequests();
    const preview = await stack.run({ op: "preview" });
    expect(preview.ok).toBe(false);
    const text = `${preview.error}\n${preview.diagnostics.join("\n")}`;
    expect(text).toContain('"H100" is not a valid acceleratorType; use one of: NVIDIA_A100_80GB');
    expect(text).toContain("minReplicaCount 3 is greater than maxReplicaCount 2");
    expect(text).toContain('use "0s" or at least "5m"');
    expect(await admin.requests()).toEqual([]);
  });

  it("absorbs a 429 storm during up and creates exactly one deployment", async () => {
    const stack = newStack({ baseModel: LLAMA_8B, maxReplicaCount: 1 }, "storm");
    await admin.clearRequests();
    await admin.fault({ path: "/deployments", times: 4, action: { type: "status", status: 429, retryAfterSeconds: 1, message: "rate limited" } });
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    const log = await admin.requests();
    expect(log.filter((r) => r.status === 429)).toHaveLength(4);
    expect(log.filter((r) => r.method === "POST" && r.status === 200)).toHaveLength(1);
    const name = String(up.outputs?.deploymentName?.value);
    expect((await admin.get(`/v1/${name}`))?.state).toBe("READY");
    expect((await stack.run({ op: "destroy" })).ok).toBe(true);
  });

  it("fails up with the platform's message when the deployment goes FAILED, keeps it in state, and recovers on the next up", async () => {
    const stack = newStack({ baseModel: LLAMA_8B, deploymentId: "doomed", acceleratorType: "NVIDIA_H100_80GB" }, "doomed");
    await admin.failNextCreate("RESOURCE_EXHAUSTED", "No H100 capacity in US_IOWA_1");
    const up = await stack.run({ op: "up" });
    expect(up.ok).toBe(false);
    expect(up.error).toContain("No H100 capacity in US_IOWA_1");
    const state = JSON.parse(stack.stateFileText());
    const recorded = state.checkpoint.latest.resources.find((r: { type: string }) => r.type === "fireworks:index:Deployment");
    expect(recorded?.id).toBe("doomed");
    expect(recorded?.initErrors?.[0]).toContain("No H100 capacity");
    expect((await admin.deployments()).filter((d) => d.name === `accounts/${emulator.accountId}/deployments/doomed`)).toHaveLength(1);

    const retry = await stack.run({ op: "up" });
    expect(retry.ok, retry.error).toBe(true);
    expect((await admin.get(`/v1/accounts/${emulator.accountId}/deployments/doomed`))?.state).toBe("READY");
    expect((await admin.deployments()).filter((d) => String(d.name).endsWith("/doomed"))).toHaveLength(1);
    expect((await stack.run({ op: "destroy" })).ok).toBe(true);
  });

  it("recovers from a killed up without orphaning or duplicating the deployment", async () => {
    const stack = newStack({ baseModel: LLAMA_8B, maxReplicaCount: 1 }, "killed");
    await admin.setTimings({ deploymentCreateMs: 8_000 });
    await admin.clearRequests();
    const run = stack.start({ op: "up" });
    const deadline = Date.now() + 60_000;
    while (!(await admin.requests()).some((r) => r.method === "POST" && r.status === 200)) {
      if (Date.now() > deadline) throw new Error("the create request never arrived");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Kill the whole run (runner, engine, provider process) while it waits for READY, like a lost CI machine.
    run.kill();
    const killed = await run.done;
    expect(killed[0]?.ok).toBe(false);
    await admin.setTimings({ deploymentCreateMs: 300 });

    // The documented recovery: `pulumi cancel` removes the killed run's lock, then refresh and up.
    const retry = await stack.run([{ op: "cancel" }, { op: "refresh" }, { op: "up" }]);
    expect(retry.ok, retry.error).toBe(true);
    const ours = (await admin.deployments()).filter((d) => String(d.name).includes("/killed-"));
    expect(ours).toHaveLength(1);
    // The re-run's create met the deployment the killed run had made (409) and adopted it by its owner stamp.
    expect((await admin.requests()).filter((r) => r.method === "POST").map((r) => r.status)).toEqual([200, 409]);
    expect(ours[0]?.state).toBe("READY");
    expect(retry.outputs?.deploymentName?.value).toBe(ours[0]?.name);
    expect((await stack.run({ op: "destroy" })).ok).toBe(true);
    expect((await admin.deployments()).filter((d) => String(d.name).includes("/killed-"))).toHaveLength(0);
  });

  it("replaces a deployment with a user-chosen ID by deleting it first, and preview says so", async () => {
    const stack = newStack({ baseModel: LLAMA_8B, deploymentId: "fixed-id" }, "fixed");
    expect((await stack.run({ op: "up" })).ok).toBe(true);
    stack.writeProgram(deploymentProgram({ name: "fixed", args: { baseModel: QWEN_7B, deploymentId: "fixed-id" } }));
    const preview = await stack.run({ op: "preview" });
    expect(preview.ok, preview.error).toBe(true);
    // Delete-before-replace: the preview plans the old deployment's deletion before the replacement's creation.
    expect(opsFor(preview)).toEqual(["delete-replaced", "replace", "create-replacement"]);
    const text = preview.stdout;
    expect(text).toMatch(/-- fireworks:index:Deployment fixed delete original/);
    expect(text.indexOf("delete original")).toBeLessThan(text.indexOf("create replacement"));
    expect(text).toContain("replace [diff: ~baseModel]");
    await admin.clearRequests();
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    const writes = (await admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual([`DELETE /v1/accounts/${emulator.accountId}/deployments/fixed-id`, `POST /v1/accounts/${emulator.accountId}/deployments`]);
    expect((await admin.get(`/v1/accounts/${emulator.accountId}/deployments/fixed-id`))?.baseModel).toBe(QWEN_7B);
    expect((await stack.run({ op: "destroy" })).ok).toBe(true);
  });

  it("keeps the deployment through `up --replace` of an unchanged resource with a derived ID", async () => {
    const stack = newStack({ baseModel: LLAMA_8B, maxReplicaCount: 1 }, "forced");
    const first = await stack.run({ op: "up" });
    expect(first.ok, first.error).toBe(true);
    const name = String(first.outputs?.deploymentName?.value);
    const forced = await stack.run({ op: "up", replace: ["forced"] });
    expect(forced.ok, forced.error).toBe(true);
    expect(opsFor(forced)).toContain("replace");
    expect(forced.outputs?.deploymentName?.value).toBe(name);
    expect((await admin.get(`/v1/${name}`))?.state).toBe("READY");
    expect((await stack.run({ op: "preview", expectNoChanges: true })).ok).toBe(true);
    expect((await stack.run({ op: "destroy" })).ok).toBe(true);
  });

  it("fails preview, saying what would happen, when the stack is pointed at another account; destroy acts on neither", async () => {
    const stack = newStack({ baseModel: LLAMA_8B, maxReplicaCount: 1 }, "moved");
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    const name = String(up.outputs?.deploymentName?.value);
    await admin.clearRequests();
    const other = { FIREWORKS_ACCOUNT_ID: "another-account" };
    const preview = await stack.run({ op: "preview", env: other });
    expect(preview.ok).toBe(false);
    expect(`${preview.error}\n${preview.diagnostics.join("\n")}`).toContain(`"${name}" lives in account "emulator", but the provider is now configured for account "another-account"`);
    const destroy = await stack.run({ op: "destroy", env: other });
    expect(destroy.ok).toBe(false);
    expect(await admin.requests()).toEqual([]);
    expect((await admin.get(`/v1/${name}`))?.state).toBe("READY");
    expect((await stack.run({ op: "destroy" })).ok).toBe(true);
  });

  it("names the API key setting when the key is wrong, without printing the key", async () => {
    const stack = newStack({ baseModel: LLAMA_8B }, "badkey");
    const up = await stack.run({ op: "up", env: { FIREWORKS_API_KEY: "wrong-key-123456" } });
    expect(up.ok).toBe(false);
    expect(up.error).toContain("HTTP 401");
    expect(up.error).toContain("FIREWORKS_API_KEY");
    for (const text of [up.error, up.stdout, ...up.diagnostics]) expect(text).not.toContain("wrong-key-123456");
  });

  it("keeps the key and secret inputs out of a failed up even when the platform echoes the request", async () => {
    const routeKey = "route-key-echoed-4d5e6f";
    const stack = newStack({ baseModel: LLAMA_8B, directRouteApiKeys: [routeKey] }, "echoed");
    await admin.fault({ method: "POST", times: 1, action: { type: "status", status: 400, echo: true } });
    const up = await stack.run({ op: "up" });
    expect(up.ok).toBe(false);
    const texts = [up.error ?? "", up.stdout, ...up.diagnostics];
    // The echo came through (the request body is in the message), so a leak would be visible here.
    expect(texts.join("\n")).toContain("directRouteApiKeys");
    for (const text of texts) {
      expect(text).not.toContain(emulator.apiKey);
      expect(text).not.toContain(routeKey);
    }
  });
});
