/**
 * Who owns what on a shared account: a stack never adopts, changes or deletes what another stack (or anyone else)
 * created, while a re-run after a killed or cut-off `up` still creates no duplicate. Also: creates whose outcome
 * stays unknown are recorded, and secrets never come back in error text.
 */
import { describe, expect, it } from "vitest";
import * as lifecycle from "../../provider/src/lifecycle";
import { OWNER_ANNOTATION, deploymentSpec } from "../../provider/src/resources/deployment";
import type { Props } from "../../provider/src/values";
import { LLAMA, useLifecycle } from "./setup";

describe("ownership across stacks", () => {
  const env = useLifecycle();

  /** Creates a deployment the way someone outside Pulumi would: no owner stamp. */
  const createOutsidePulumi = async (id: string): Promise<void> => {
    const res = await fetch(`${env.emulator.url}/v1/accounts/${env.emulator.accountId}/deployments?deploymentId=${id}`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.emulator.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ baseModel: LLAMA }),
    });
    expect(res.status).toBe(200);
  };
  const serverCopy = (id: string): Promise<Props | undefined> => env.admin.get(`/v1/accounts/${env.emulator.accountId}/deployments/${id}`);

  it("derives different IDs for stacks of the same project, stack and resource name in different backends", () => {
    const news = { baseModel: LLAMA, __owner: "proj/dev/llama" };
    const a = lifecycle.check(deploymentSpec, {}, { ...news, __instance: "11111111-aaaa" }).inputs.__name;
    const b = lifecycle.check(deploymentSpec, {}, { ...news, __instance: "22222222-bbbb" }).inputs.__name;
    expect(a).toMatch(/^llama-[0-9a-f]{7}$/);
    expect(b).toMatch(/^llama-[0-9a-f]{7}$/);
    expect(a).not.toBe(b);
  });

  it("stamps owner, stack instance and a per-create claim, and records the claim", async () => {
    const { outs } = await lifecycle.create(deploymentSpec, env.ctx, env.inputs({}, { instance: "inst-1" }));
    const server = await env.admin.get(`/v1/${String(outs.name)}`);
    expect((server?.annotations as Props)[OWNER_ANNOTATION]).toBe(`${String(outs.__owner)}@inst-1#${String(outs.__claim)}`);
    expect(outs.__claim).toMatch(/^[0-9a-f]{12}$/);
    expect(outs.__instance).toBe("inst-1");
  });

  it("refuses to adopt a deployment another stack instance created under the same user-chosen ID", async () => {
    const theirs = await lifecycle.create(deploymentSpec, env.otherContext(), env.inputs({ deploymentId: "shared-id-1" }, { instance: "theirs" }));
    const mine = env.inputs({ deploymentId: "shared-id-1", maxReplicaCount: 3 }, { instance: "mine" });
    await env.admin.clearRequests();
    const err = await lifecycle.create(deploymentSpec, env.ctx, { ...mine, __owner: theirs.outs.__owner }).catch((e: unknown) => e);
    expect(String(err)).toContain('create Deployment "accounts/emulator/deployments/shared-id-1": it already exists and was not created by this stack resource');
    expect((await env.admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.status}`)).toEqual(["POST 409"]);
    expect((await serverCopy("shared-id-1"))?.maxReplicaCount).toBe(theirs.outs.maxReplicaCount);
  });

  it("neither refreshes, changes nor deletes a deployment someone else re-created under its recorded ID", async () => {
    const base = env.inputs({ deploymentId: "recreated-1" }, { instance: "mine" });
    const mine = await lifecycle.create(deploymentSpec, env.ctx, base);
    // Deleted outside this stack, then another stack takes the ID.
    await lifecycle.remove(deploymentSpec, env.otherContext(), mine.id, mine.outs);
    const theirs = await lifecycle.create(deploymentSpec, env.otherContext(), env.inputs({ deploymentId: "recreated-1" }, { instance: "theirs" }));
    await env.admin.clearRequests();

    expect(await lifecycle.read(deploymentSpec, env.ctx, mine.id, mine.outs)).toEqual({});
    const err = await lifecycle.update(deploymentSpec, env.ctx, mine.id, mine.outs, { ...base, maxReplicaCount: 4 }).catch((e: unknown) => e);
    expect(String(err)).toContain('update Deployment "accounts/emulator/deployments/recreated-1": refusing to change it, because it is not the deployment this stack created: it was created at');
    await lifecycle.remove(deploymentSpec, env.ctx, mine.id, mine.outs);
    expect((await env.admin.requests()).filter((r) => r.method !== "GET")).toEqual([]);
    const server = await serverCopy("recreated-1");
    expect(server?.state).toBe("READY");
    expect(server?.createTime).toBe(theirs.outs.createTime);
  });

  it("tells a deployment re-created without any owner stamp from its own by the create time", async () => {
    const base = env.inputs({ deploymentId: "recreated-2" });
    const mine = await lifecycle.create(deploymentSpec, env.ctx, base);
    await lifecycle.remove(deploymentSpec, env.ctx, mine.id, mine.outs);
    await createOutsidePulumi("recreated-2");
    expect(await lifecycle.read(deploymentSpec, env.ctx, mine.id, mine.outs)).toEqual({});
    await lifecycle.remove(deploymentSpec, env.ctx, mine.id, mine.outs);
    expect(await serverCopy("recreated-2")).toBeDefined();
  });

  it("still deletes its own deployment after the owner annotation was removed in the console (same create time)", async () => {
    const mine = await lifecycle.create(deploymentSpec, env.ctx, env.inputs({ deploymentId: "unstamped-1" }));
    await env.admin.patchOutOfBand(mine.id, { annotations: null });
    const read = await lifecycle.read(deploymentSpec, env.ctx, mine.id, mine.outs);
    expect(read.id).toBe(mine.id);
    await lifecycle.remove(deploymentSpec, env.ctx, mine.id, mine.outs);
    expect(await serverCopy("unstamped-1")).toBeUndefined();
  });
});

describe("owner stamp refused by the platform (annotations reserved for superusers)", () => {
  const env = useLifecycle();

  it("creates without the stamp, once per provider process, and then relies on the create time and derived IDs", async () => {
    await env.admin.setSettings({ annotationsRestricted: true });
    try {
      const firstInputs = env.inputs();
      const first = await lifecycle.create(deploymentSpec, env.ctx, firstInputs);
      const second = await lifecycle.create(deploymentSpec, env.ctx, env.inputs());
      const posts = (await env.admin.requests()).filter((r) => r.method === "POST").map((r) => r.status);
      // One refused POST, then both creates without the stamp: the refusal is remembered by the session.
      expect(posts).toEqual([403, 200, 200]);
      expect(first.outs.__claim).toBeUndefined();
      expect((await env.admin.get(`/v1/${String(second.outs.name)}`))?.annotations).toBeUndefined();

      // A re-run after a killed up (a new provider process) meets its derived ID: the ID hashes this stack
      // resource's owner and stack instance, so it is its own, and it adopts instead of duplicating.
      const rerun = env.otherContext();
      const again = await lifecycle.create(deploymentSpec, rerun, firstInputs);
      expect(again.id).toBe(first.id);
      // `up --replace` of that unchanged resource: the engine then deletes the replaced one, which is the same
      // deployment; without a stamp only the adopting process can tell, and it keeps it.
      await lifecycle.remove(deploymentSpec, rerun, first.id, first.outs);
      expect((await env.admin.get(`/v1/${String(first.outs.name)}`))?.state).toBe("READY");

      // A user-chosen ID proves nothing: without a stamp it is refused, never taken over.
      const chosen = env.inputs({ deploymentId: "chosen-unstamped" });
      await lifecycle.create(deploymentSpec, env.ctx, chosen);
      const refused = await lifecycle.create(deploymentSpec, env.otherContext(), chosen).catch((e: unknown) => e);
      expect(String(refused)).toContain("it already exists and was not created by this stack resource");

      await lifecycle.remove(deploymentSpec, env.ctx, first.id, first.outs);
      expect(await env.admin.get(`/v1/${String(first.outs.name)}`)).toBeUndefined();
    } finally {
      await env.admin.setSettings({ annotationsRestricted: false });
    }
  });
});

describe("creates whose outcome stays unknown", () => {
  const env = useLifecycle();
  const lookupsFail = (): Promise<unknown> => env.admin.fault({ method: "GET", times: 50, action: { type: "status", status: 503 } });

  it("records a create that was applied before the connection dropped when the lookup fails too, and the next update settles it", async () => {
    const before = (await env.admin.deployments()).length;
    await env.admin.clearRequests();
    const base = env.inputs({ maxReplicaCount: 2 });
    await env.admin.fault({ method: "POST", times: 1, action: { type: "applyThenDrop" } });
    await lookupsFail();
    const err = await lifecycle.create(deploymentSpec, env.ctx, base).catch((e: unknown) => e);
    await env.admin.clearFaults();
    expect(err).toBeInstanceOf(lifecycle.ResourceInitError);
    const init = err as lifecycle.ResourceInitError;
    expect(init.message).toContain("the outcome is unknown");
    expect(init.properties.__unconfirmed).toBe(true);
    expect(init.properties.deploymentId).toBe(init.id);

    // The next `up` updates the recorded resource (it has init errors): it finds the one it created and converges.
    await env.admin.clearRequests();
    const { outs } = await lifecycle.update(deploymentSpec, env.ctx, init.id, init.properties, base);
    expect(outs.state).toBe("READY");
    expect(outs.__unconfirmed).toBeUndefined();
    expect(outs.__claim).toBe(init.properties.__claim);
    expect((await env.admin.requests()).filter((r) => r.method === "POST")).toEqual([]);
    expect(await env.admin.deployments()).toHaveLength(before + 1);
  });

  it("records a create that never reached the platform when the lookup fails; refresh drops it and update creates it", async () => {
    const before = (await env.admin.deployments()).length;
    await env.admin.clearRequests();
    const base = env.inputs();
    await env.admin.fault({ method: "POST", times: 1, action: { type: "drop" } });
    await lookupsFail();
    const err = await lifecycle.create(deploymentSpec, env.ctx, base).catch((e: unknown) => e);
    await env.admin.clearFaults();
    expect(err).toBeInstanceOf(lifecycle.ResourceInitError);
    const init = err as lifecycle.ResourceInitError;
    expect(await env.admin.deployments()).toHaveLength(before);

    expect(await lifecycle.read(deploymentSpec, env.ctx, init.id, init.properties)).toEqual({});
    const { outs } = await lifecycle.update(deploymentSpec, env.ctx, init.id, init.properties, base);
    expect(outs.state).toBe("READY");
    expect(outs.deploymentId).toBe(init.id);
    expect(await env.admin.deployments()).toHaveLength(before + 1);
  });
});

describe("secrets in errors and state", () => {
  const env = useLifecycle({ apiKey: "emulator-key-0f9e8d7c6b5a" });

  it("redacts the API key and secret input values from an error body that echoes the request", async () => {
    const routeKey = "direct-route-key-5a6b7c8d9e";
    await env.admin.fault({ method: "POST", times: 1, action: { type: "status", status: 400, echo: true } });
    const err = await lifecycle.create(deploymentSpec, env.ctx, env.inputs({ directRouteApiKeys: [routeKey] })).catch((e: unknown) => e);
    const text = String(err);
    expect(text).toContain("HTTP 400");
    // The echo really happened: the body text came back (so this test would see a leak).
    expect(text).toContain("directRouteApiKeys");
    expect(text).not.toContain(routeKey);
    expect(text).not.toContain(env.emulator.apiKey);
  });

  it("never records a secret input in the declared record, only that it was declared", async () => {
    const { outs } = await lifecycle.create(deploymentSpec, env.ctx, env.inputs({ directRouteApiKeys: ["route-key-1234567"] }));
    expect((outs.__declared as Props).directRouteApiKeys).toBe(true);
    expect(JSON.stringify(outs.__declared)).not.toContain("route-key-1234567");
  });
});

describe("refresh round trip", () => {
  const env = useLifecycle();

  it("create, read, diff: no changes, provider-only settings kept, and a soft delete after the refresh stays soft", async () => {
    const base = env.inputs({ hardDelete: false, minReplicaCount: 1, autoscalingPolicy: { scaleToZeroWindow: "15m" } });
    const created = await lifecycle.create(deploymentSpec, env.ctx, base);
    const read = await lifecycle.read(deploymentSpec, env.ctx, created.id, created.outs);
    expect(read.props?.hardDelete).toBe(false);
    expect(read.props?.__claim).toBe(created.outs.__claim);
    expect(lifecycle.diff(deploymentSpec, read.props ?? {}, base)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(lifecycle.diff(deploymentSpec, read.props ?? {}, { ...base, ...read.inputs })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    await lifecycle.remove(deploymentSpec, env.ctx, created.id, read.props ?? {});
    expect((await env.admin.get(`/v1/${String(created.outs.name)}`))?.state).toBe("DELETED");
  });

  it("drops a soft-deleted deployment from state on read", async () => {
    const created = await lifecycle.create(deploymentSpec, env.ctx, env.inputs({ hardDelete: false }));
    await lifecycle.remove(deploymentSpec, env.ctx, created.id, created.outs);
    expect((await env.admin.get(`/v1/${String(created.outs.name)}`))?.state).toBe("DELETED");
    expect(await lifecycle.read(deploymentSpec, env.ctx, created.id, created.outs)).toEqual({});
  });
});

describe("a stack pointed at another account", () => {
  const env = useLifecycle();

  it("refuses to refresh, update or delete a resource recorded in the old account, saying how to proceed", async () => {
    const base = env.inputs();
    const { id, outs } = await lifecycle.create(deploymentSpec, env.ctx, base);
    expect(outs.__account).toBe(env.emulator.accountId);
    const moved: lifecycle.Context = { ...env.ctx, config: { ...env.ctx.config, accountId: "another-account" } };
    expect(lifecycle.accountMismatch(deploymentSpec, moved, outs)).toContain(
      `Deployment "accounts/emulator/deployments/${id}" lives in account "emulator", but the provider is now configured for account "another-account"`,
    );
    await env.admin.clearRequests();
    for (const attempt of [
      lifecycle.read(deploymentSpec, moved, id, outs),
      lifecycle.update(deploymentSpec, moved, id, outs, { ...base, maxReplicaCount: 3 }),
      lifecycle.remove(deploymentSpec, moved, id, outs),
    ]) {
      await expect(attempt).rejects.toThrow('set the account back to "emulator"');
    }
    expect(await env.admin.requests()).toEqual([]);
    expect(lifecycle.accountMismatch(deploymentSpec, env.ctx, outs)).toBeUndefined();
    // State written before the account was recorded: the account in the resource name tells.
    const { __account: _ignored, ...older } = outs;
    expect(lifecycle.accountMismatch(deploymentSpec, moved, older)).toContain('lives in account "emulator"');
    await lifecycle.remove(deploymentSpec, env.ctx, id, outs);
  });
});
