/**
 * Two stacks that look alike (same project, same stack name, same resource names) in different backends, as two
 * developers' local `dev` stacks or parallel CI runners on one Fireworks account: neither may adopt, change or
 * delete what the other created.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../support/admin";
import { StackHarness } from "./harness";
import { LLAMA_8B, deploymentProgram } from "./program";

describe("look-alike stacks on one account (real engine, emulator)", () => {
  let emulator: Emulator;
  let admin: EmulatorAdmin;
  let env: Record<string, string>;
  const stacks: StackHarness[] = [];

  /** A stack named "dev" of the quickstart project with its own file:// backend. */
  const devStack = (args: Record<string, unknown>): StackHarness => {
    const stack = new StackHarness("quickstart", env, "dev");
    stack.writeProgram(deploymentProgram({ name: "shared", args }));
    stacks.push(stack);
    return stack;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ timings: { deploymentCreateMs: 200, deploymentUpdateMs: 100, deploymentDeleteMs: 100 } });
    admin = new EmulatorAdmin(emulator);
    env = { FIREWORKS_BASE_URL: emulator.url, FIREWORKS_ACCOUNT_ID: emulator.accountId, FIREWORKS_API_KEY: emulator.apiKey };
  });

  afterAll(async () => {
    for (const stack of stacks) stack.cleanup();
    await emulator?.close();
  });

  it("derives different IDs for the same resource in look-alike stacks, and each destroys only its own", async () => {
    const alice = devStack({ baseModel: LLAMA_8B, maxReplicaCount: 1 });
    const bob = devStack({ baseModel: LLAMA_8B, maxReplicaCount: 2 });
    const [a, b] = [await alice.run({ op: "up" }), await bob.run({ op: "up" })];
    expect(a.ok, a.error).toBe(true);
    expect(b.ok, b.error).toBe(true);
    const aliceName = String(a.outputs?.deploymentName?.value);
    const bobName = String(b.outputs?.deploymentName?.value);
    expect(aliceName).toMatch(/\/shared-[0-9a-f]{7}$/);
    expect(bobName).toMatch(/\/shared-[0-9a-f]{7}$/);
    expect(aliceName).not.toBe(bobName);
    expect((await admin.get(`/v1/${aliceName}`))?.maxReplicaCount).toBe(1);
    expect((await admin.get(`/v1/${bobName}`))?.maxReplicaCount).toBe(2);

    expect((await bob.run({ op: "destroy" })).ok).toBe(true);
    expect(await admin.get(`/v1/${bobName}`)).toBeUndefined();
    expect((await admin.get(`/v1/${aliceName}`))?.state).toBe("READY");
    expect((await alice.run({ op: "preview", expectNoChanges: true })).ok).toBe(true);
    expect((await alice.run({ op: "destroy" })).ok).toBe(true);
  });

  it("refuses a user-chosen ID another look-alike stack holds, and that stack's deployment survives the refusal and its destroy", async () => {
    const alice = devStack({ baseModel: LLAMA_8B, deploymentId: "team-llama", maxReplicaCount: 1 });
    const bob = devStack({ baseModel: LLAMA_8B, deploymentId: "team-llama", maxReplicaCount: 3 });
    expect((await alice.run({ op: "up" })).ok).toBe(true);
    await admin.clearRequests();
    const b = await bob.run({ op: "up" });
    expect(b.ok).toBe(false);
    expect(b.error).toContain('it already exists and was not created by this stack resource');
    expect((await bob.run({ op: "destroy" })).ok).toBe(true);
    // Bob's runs sent one refused POST and nothing else that writes.
    expect((await admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.status}`)).toEqual(["POST 409"]);
    const live = await admin.get(`/v1/accounts/${emulator.accountId}/deployments/team-llama`);
    expect(live?.state).toBe("READY");
    expect(live?.maxReplicaCount).toBe(1);
    expect((await alice.run({ op: "destroy" })).ok).toBe(true);
  });
});
