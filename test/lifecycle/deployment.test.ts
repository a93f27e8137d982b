/**
 * The provider runtime against the emulator, in process: every lifecycle path of a Deployment, including faults.
 * The engine is not involved; these are the hooks the dynamic-provider host calls, with real HTTP underneath.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../provider/src/errors";
import { HttpClient } from "../../provider/src/http";
import * as lifecycle from "../../provider/src/lifecycle";
import { OWNER_ANNOTATION, deploymentSpec } from "../../provider/src/resources/deployment";
import * as runtime from "../../provider/src/runtime";
import type { Props } from "../../provider/src/values";
import { LLAMA, useLifecycle } from "./setup";

describe("Deployment lifecycle against the emulator", () => {
  const env = useLifecycle();
  const inputs = (extra: Props = {}): Props => env.inputs(extra);

  it("creates, waits for READY and returns the server's view as outputs", async () => {
    const { id, outs } = await lifecycle.create(deploymentSpec, env.ctx, inputs({ minReplicaCount: 1, maxReplicaCount: 2, autoscalingPolicy: { scaleDownWindow: "10m" } }));
    expect(id).toMatch(/^dep\d+-[0-9a-f]{7}$/);
    expect(outs.state).toBe("READY");
    expect(outs.name).toBe(`accounts/${env.emulator.accountId}/deployments/${id}`);
    expect(outs.deploymentId).toBe(id);
    expect(outs.replicaCount).toBeGreaterThanOrEqual(1);
    expect(outs.inferenceModel).toBe(`${LLAMA}#accounts/${env.emulator.accountId}/deployments/${id}`);
    expect((outs.autoscalingPolicy as Props).scaleDownWindow).toBe("600s");
    expect(outs.annotations).toBeUndefined();
    expect(outs.__declared).toEqual({ baseModel: LLAMA, minReplicaCount: 1, maxReplicaCount: 2, autoscalingPolicy: { scaleDownWindow: "10m" } });
    const server = await env.admin.get(`/v1/${String(outs.name)}`);
    expect((server?.annotations as Props)[OWNER_ANNOTATION]).toMatch(/^proj\/dev\/dep\d+@instance-a#[0-9a-f]{12}$/);
  });

  it("fails create with the platform's status message and keeps the ID (init error, not an orphan)", async () => {
    await env.admin.failNextCreate("RESOURCE_EXHAUSTED", "No H100 capacity in US_IOWA_1");
    const err = await lifecycle.create(deploymentSpec, env.ctx, inputs()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(lifecycle.ResourceInitError);
    const init = err as lifecycle.ResourceInitError;
    expect(init.message).toContain("state FAILED: RESOURCE_EXHAUSTED: No H100 capacity in US_IOWA_1");
    expect(init.id).toMatch(/^dep\d+-/);
    expect(init.properties.state).toBe("FAILED");
    expect(init.reasons).toEqual([init.message]);
  });

  it("times out a create as an init error naming the last state, with the deployment recorded", async () => {
    await env.admin.setTimings({ deploymentCreateMs: 5_000 });
    const err = await lifecycle.create(deploymentSpec, env.ctx, inputs({ timeouts: { create: "0.3s" } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(lifecycle.ResourceInitError);
    const init = err as lifecycle.ResourceInitError;
    expect(init.message).toMatch(/timed out after 0.3s waiting for Deployment ".*" to become READY after create \(last state CREATING\)/);
    expect(init.properties.state).toBe("CREATING");
    expect(await env.admin.get(`/v1/accounts/${env.emulator.accountId}/deployments/${init.id}`)).toBeDefined();
  });

  it("tolerates a 404 right after create", async () => {
    await env.admin.fault({ times: 2, action: { type: "notFoundAfterCreate" } });
    const { outs } = await lifecycle.create(deploymentSpec, env.ctx, inputs());
    expect(outs.state).toBe("READY");
    expect((await env.admin.requests()).filter((r) => r.method === "GET" && r.status === 404).length).toBe(2);
  });

  it("retries a create whose connection dropped before the platform acted on it, creating exactly one", async () => {
    // The emulator reads the request, then drops the connection without applying it: the provider cannot know
    // which, looks the ID up (404), and posts again.
    const before = (await env.admin.deployments()).length;
    await env.admin.clearRequests();
    await env.admin.fault({ method: "POST", times: 1, action: { type: "drop" } });
    const { id } = await lifecycle.create(deploymentSpec, env.ctx, inputs());
    const calls = (await env.admin.requests()).map((r) => `${r.method} ${r.status}`);
    expect(calls.slice(0, 3)).toEqual(["POST 0", "GET 404", "POST 200"]);
    // Counted over every ID, so a duplicate under another name would show too.
    const all = await env.admin.deployments();
    expect(all).toHaveLength(before + 1);
    expect(all.filter((d) => d.name === `accounts/${env.emulator.accountId}/deployments/${id}`)).toHaveLength(1);
  });

  it("adopts a create the platform applied before the connection dropped, creating exactly one", async () => {
    const before = (await env.admin.deployments()).length;
    await env.admin.clearRequests();
    await env.admin.fault({ method: "POST", times: 1, action: { type: "applyThenDrop" } });
    const { id, outs } = await lifecycle.create(deploymentSpec, env.ctx, inputs());
    const calls = (await env.admin.requests()).map((r) => `${r.method} ${r.status}`);
    expect(calls.slice(0, 2)).toEqual(["POST 0", "GET 200"]);
    expect((await env.admin.requests()).filter((r) => r.method === "POST")).toHaveLength(1);
    expect(await env.admin.deployments()).toHaveLength(before + 1);
    expect(outs.deploymentId).toBe(id);
    expect(outs.state).toBe("READY");
  });

  it("does not retry a POST answered with 500 blindly: it looks the deployment up first", async () => {
    await env.admin.fault({ method: "POST", times: 1, action: { type: "status", status: 500 } });
    const { outs } = await lifecycle.create(deploymentSpec, env.ctx, inputs());
    const calls = (await env.admin.requests()).map((r) => `${r.method} ${r.status}`);
    expect(calls.slice(0, 3)).toEqual(["POST 500", "GET 404", "POST 200"]);
    expect(outs.state).toBe("READY");
  });

  it("gives up on a create the platform keeps failing with 5xx after three looked-up attempts, pausing between them", async () => {
    const pauses: number[] = [];
    const pacedClient = new HttpClient({
      baseUrl: env.emulator.url,
      apiKey: env.emulator.apiKey,
      retry: { baseDelayMs: 100, maxDelayMs: 400 },
      random: () => 1,
      sleep: async (ms) => {
        pauses.push(ms);
      },
    });
    await env.admin.fault({ method: "POST", times: 3, action: { type: "status", status: 503 } });
    const err = await lifecycle.create(deploymentSpec, { ...env.ctx, client: pacedClient }, inputs()).catch((e: unknown) => e);
    await pacedClient.close();
    expect(String(err)).toContain("the outcome is unknown (HTTP 503");
    const calls = (await env.admin.requests()).map((r) => `${r.method} ${r.status}`);
    expect(calls).toEqual(["POST 503", "GET 404", "POST 503", "GET 404", "POST 503", "GET 404"]);
    expect(pauses).toEqual([100, 200]);
    // A 5xx on a POST may still have been applied (later): the engine must record it, or it could be orphaned.
    expect(err).toBeInstanceOf(lifecycle.ResourceInitError);
    expect((err as lifecycle.ResourceInitError).properties.__unconfirmed).toBe(true);
  });

  it("rides out 503s and 429s while waiting", async () => {
    await env.admin.fault({ method: "GET", times: 3, action: { type: "status", status: 503 } });
    await env.admin.fault({ method: "GET", times: 2, action: { type: "status", status: 429, retryAfterSeconds: 0 } });
    const { outs } = await lifecycle.create(deploymentSpec, env.ctx, inputs());
    expect(outs.state).toBe("READY");
  });

  it("adopts its own deployment after a killed run (409 with our owner stamp) and converges it", async () => {
    const first = inputs({ maxReplicaCount: 1 });
    await lifecycle.create(deploymentSpec, env.ctx, first);
    const again = await lifecycle.create(deploymentSpec, env.ctx, { ...first, maxReplicaCount: 3 });
    expect(again.outs.maxReplicaCount).toBe(3);
    const writes = (await env.admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.status}`);
    expect(writes).toEqual(["POST 200", "POST 409", "PATCH 200"]);
  });

  it("does not delete the deployment it adopted in this run when the engine deletes the replaced resource", async () => {
    // `pulumi up --replace` with unchanged inputs: the replacement derives the same ID, adopts, then the engine
    // deletes the old resource, which is the same deployment.
    const same = inputs();
    const old = await lifecycle.create(deploymentSpec, env.ctx, same);
    const replacement = await lifecycle.create(deploymentSpec, env.ctx, same);
    expect(replacement.id).toBe(old.id);
    await lifecycle.remove(deploymentSpec, env.ctx, old.id, old.outs);
    expect((await env.admin.get(`/v1/${String(old.outs.name)}`))?.state).toBe("READY");
    // A later delete (e.g. destroy) does delete it.
    await lifecycle.remove(deploymentSpec, env.ctx, replacement.id, replacement.outs);
    expect(await env.admin.get(`/v1/${String(old.outs.name)}`)).toBeUndefined();
  });

  it("refuses to take over a deployment it did not create", async () => {
    const res = await fetch(`${env.emulator.url}/v1/accounts/${env.emulator.accountId}/deployments?deploymentId=someone-elses`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.emulator.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ baseModel: LLAMA }),
    });
    expect(res.status).toBe(200);
    const err = await lifecycle.create(deploymentSpec, env.ctx, inputs({ deploymentId: "someone-elses" })).catch((e: unknown) => e);
    expect(String(err)).toContain('create Deployment "accounts/emulator/deployments/someone-elses": it already exists and was not created by this stack resource');
  });

  it("updates in place with a sparse PATCH that carries baseModel, then waits for READY", async () => {
    const base = inputs({ maxReplicaCount: 1, displayName: "a" });
    const { id, outs: created } = await lifecycle.create(deploymentSpec, env.ctx, base);
    await env.admin.clearRequests();
    const { outs } = await lifecycle.update(deploymentSpec, env.ctx, id, created, { ...base, maxReplicaCount: 2, acceleratorType: "NVIDIA_H200_141GB", displayName: "a" });
    expect(outs.maxReplicaCount).toBe(2);
    expect(outs.acceleratorType).toBe("NVIDIA_H200_141GB");
    expect(outs.state).toBe("READY");
    const patches = (await env.admin.requests()).filter((r) => r.method === "PATCH");
    expect(patches).toHaveLength(1);
  });

  it("changes only provider settings without calling the API", async () => {
    const base = inputs();
    const { id, outs: created } = await lifecycle.create(deploymentSpec, env.ctx, base);
    await env.admin.clearRequests();
    const { outs } = await lifecycle.update(deploymentSpec, env.ctx, id, created, { ...base, hardDelete: false, timeouts: { delete: "20m" } });
    expect(outs.hardDelete).toBe(false);
    expect((await env.admin.requests()).filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("explains an update of a deployment deleted outside Pulumi instead of sending a doomed PATCH", async () => {
    const base = inputs({ hardDelete: false });
    const { id, outs } = await lifecycle.create(deploymentSpec, env.ctx, base);
    await lifecycle.remove(deploymentSpec, env.ctx, id, outs);
    await env.admin.clearRequests();
    const err = await lifecycle.update(deploymentSpec, env.ctx, id, outs, { ...base, maxReplicaCount: 2 }).catch((e: unknown) => e);
    expect(String(err)).toContain("it was deleted outside Pulumi (state DELETED); run `pulumi refresh` and then `pulumi up`");
    expect((await env.admin.requests()).filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("recovers a FAILED deployment on update with undelete", async () => {
    const base = inputs();
    const { id, outs: created } = await lifecycle.create(deploymentSpec, env.ctx, base);
    await env.admin.failDeployment(id, "INTERNAL", "replica crashed");
    const { outs } = await lifecycle.update(deploymentSpec, env.ctx, id, created, base);
    expect(outs.state).toBe("READY");
    expect((await env.admin.requests()).some((r) => r.method === "POST" && r.path.endsWith(":undelete"))).toBe(true);
  });

  it("reports drift on read in terms of the declared inputs, and a deleted deployment as gone", async () => {
    const base = inputs({ maxReplicaCount: 2, autoscalingPolicy: { scaleUpWindow: "0.5m" } });
    const { id, outs } = await lifecycle.create(deploymentSpec, env.ctx, base);
    await env.admin.patchOutOfBand(id, { maxReplicaCount: 5 });
    const read = await lifecycle.read(deploymentSpec, env.ctx, id, outs);
    expect(read.id).toBe(id);
    expect(read.props?.maxReplicaCount).toBe(5);
    expect(read.inputs?.maxReplicaCount).toBe(5);
    expect(read.inputs?.baseModel).toBe(LLAMA);
    // Unchanged fields keep the program's spelling ("0.5m", not the server's "30s"), so they are no diff noise.
    expect(read.inputs?.autoscalingPolicy).toEqual({ scaleUpWindow: "0.5m" });
    expect(Object.keys(read.inputs ?? {}).sort()).toEqual(["__instance", "__name", "__owner", "autoscalingPolicy", "baseModel", "gpuCapacity", "maxReplicaCount"]);
    expect(lifecycle.diff(deploymentSpec, read.props ?? {}, base).changes).toBe(true);

    await lifecycle.remove(deploymentSpec, env.ctx, id, outs);
    expect(await lifecycle.read(deploymentSpec, env.ctx, id, outs)).toEqual({});
  });

  it("deletes for good by default, soft-deletes on request, and treats 404 as already gone", async () => {
    const hard = await lifecycle.create(deploymentSpec, env.ctx, inputs());
    await lifecycle.remove(deploymentSpec, env.ctx, hard.id, hard.outs);
    expect(await env.admin.get(`/v1/accounts/${env.emulator.accountId}/deployments/${hard.id}`)).toBeUndefined();

    const softInputs = inputs({ hardDelete: false });
    const soft = await lifecycle.create(deploymentSpec, env.ctx, softInputs);
    await lifecycle.remove(deploymentSpec, env.ctx, soft.id, soft.outs);
    expect((await env.admin.get(`/v1/accounts/${env.emulator.accountId}/deployments/${soft.id}`))?.state).toBe("DELETED");

    await expect(lifecycle.remove(deploymentSpec, env.ctx, "never-existed", {})).resolves.toBeUndefined();
  });
});

describe("provider runtime configuration", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("fails check with a message naming both missing settings and how to set them", async () => {
    delete process.env.FIREWORKS_API_KEY;
    delete process.env.FIREWORKS_ACCOUNT_ID;
    await runtime.configure({ config: { get: () => undefined } });
    const err = await runtime.provider("Deployment").check({}, { baseModel: LLAMA }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(String(err)).toContain("pulumi config set --secret fireworks:apiKey");
    expect(String(err)).toContain("FIREWORKS_ACCOUNT_ID");
  });

  it("refuses to send the key over plain http to a non-loopback host", async () => {
    const values: Record<string, string> = { "fireworks:apiKey": "k-123456", "fireworks:accountId": "acme", "fireworks:baseUrl": "http://api.example.com" };
    await runtime.configure({ config: { get: (k) => values[k] } });
    const err = await runtime.provider("Deployment").check({}, { baseModel: LLAMA }).catch((e: unknown) => e);
    expect(String(err)).toContain("would send the API key unencrypted");
    expect(String(err)).not.toContain("k-123456");
  });

  it("names the known kinds for an unknown one", () => {
    expect(() => runtime.provider("Nope")).toThrow('unknown resource kind "Nope"; this provider knows Deployment');
  });
});
