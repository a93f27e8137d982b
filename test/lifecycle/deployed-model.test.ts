/**
 * DeployedModel's lifecycle hooks against the emulator, in process: a LoRA load waits for DEPLOYED under the
 * platform's ID, refresh invents no diff, metadata updates in place, a new model replaces create-before-delete, unload
 * waits until the load is gone, a deployment without addons fails with the platform's own message, and three adapters
 * load onto one deployment concurrently (as the engine runs them in one `up`).
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiRequest } from "../../provider/src/http";
import * as lifecycle from "../../provider/src/lifecycle";
import { deployedModelSpec as spec } from "../../provider/src/resources/deployed-model";
import { deploymentSpec } from "../../provider/src/resources/deployment";
import type { Props } from "../../provider/src/values";
import { LLAMA, useLifecycle } from "./setup";

describe("DeployedModel lifecycle against the emulator", () => {
  const env = useLifecycle();
  let n = 0;

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const api = env.api;

  /** A READY deployment of LLAMA, created through the provider itself (which waits for READY). */
  const host = async (extra: Props = {}): Promise<string> => {
    const { outs } = await lifecycle.create(deploymentSpec, env.ctx, env.inputs({ maxReplicaCount: 1, ...extra }));
    return String(outs.name);
  };
  /** A READY LoRA addon of LLAMA: created through the API, made READY by the control route (no upload here). */
  const addon = async (): Promise<string> => {
    const id = `lora-${randomUUID().slice(0, 8)}`;
    const model = await api("POST", `/v1/accounts/${env.emulator.accountId}/models`, {
      modelId: id,
      model: { kind: "HF_PEFT_ADDON", peftDetails: { baseModel: LLAMA, r: 8, targetModules: ["q_proj", "v_proj"] } },
    });
    await api("POST", `/_emulator/models/${id}/ready`);
    return String(model.name);
  };
  /** Checked inputs for a fresh load, as the engine passes them to create. */
  const inputs = (declared: Props): Props => {
    n += 1;
    const checked = lifecycle.check(spec, {}, { ...declared, __owner: `proj/dev/lora${n}`, __instance: "instance-a" });
    expect(checked.failures).toEqual([]);
    return checked.inputs;
  };
  const changed = (news: Props, extra: Props): Props => lifecycle.check(spec, news, { ...news, ...extra }).inputs;
  const loadsOn = async (deployment: string): Promise<Props[]> => {
    const filter = encodeURIComponent(`deployment="${deployment}"`);
    const body = await api("GET", `/v1/accounts/${env.emulator.accountId}/deployedModels?pageSize=200&filter=${filter}`);
    return Array.isArray(body.deployedModels) ? (body.deployedModels as Props[]) : [];
  };
  const recordRequests = (): ApiRequest[] => {
    const seen: ApiRequest[] = [];
    const original = env.client.request.bind(env.client);
    vi.spyOn(env.client, "request").mockImplementation(<T>(req: ApiRequest): Promise<T> => {
      seen.push(req);
      return original<T>(req);
    });
    return seen;
  };
  const noDiff = { changes: false, replaces: [], deleteBeforeReplace: false };

  it("loads a LoRA under the platform's ID, waits for DEPLOYED, refreshes without a diff and unloads until gone", async () => {
    const deployment = await host({ enableAddons: true });
    const model = await addon();
    const news = inputs({ model, deployment, displayName: "Support" });
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    expect(outs.name).toBe(`accounts/${env.emulator.accountId}/deployedModels/${id}`);
    expect(outs).toMatchObject({ state: "DEPLOYED", model, deployment, displayName: "Support", default: true, inferenceModel: `${model}#${deployment}` });
    expect(lifecycle.diff(spec, outs, news)).toEqual(noDiff);

    const read = await lifecycle.read(spec, env.ctx, id, outs);
    expect(read.id).toBe(id);
    expect(lifecycle.diff(spec, read.props ?? {}, news)).toEqual(noDiff);
    expect(lifecycle.diff(spec, read.props ?? {}, lifecycle.check(spec, read.inputs ?? {}, { ...news, ...read.inputs }).inputs)).toEqual(noDiff);

    await lifecycle.remove(spec, env.ctx, id, read.props ?? {});
    // Unload waited through UNDEPLOYING: the load is gone, and the model no longer lists it.
    expect(await env.admin.get(`/v1/${String(outs.name)}`)).toBeUndefined();
    expect((await api("GET", `/v1/${model}`)).deployedModelRefs).toBeUndefined();
    expect(await lifecycle.read(spec, env.ctx, id, outs)).toEqual({});
  });

  it("updates metadata in place with one PATCH of what changed", async () => {
    const deployment = await host({ enableAddons: true });
    const news = inputs({ model: await addon(), deployment, displayName: "Support" });
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    const renamed = changed(news, { displayName: "Support v2", public: true });
    expect(lifecycle.diff(spec, outs, renamed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const seen = recordRequests();
    const updated = await lifecycle.update(spec, env.ctx, id, outs, renamed);
    expect(seen.filter((r) => r.method === "PATCH").map((r) => r.body)).toEqual([{ displayName: "Support v2", public: true }]);
    expect(updated.outs).toMatchObject({ state: "DEPLOYED", displayName: "Support v2", public: true });
    expect(lifecycle.diff(spec, updated.outs, renamed)).toEqual(noDiff);
    await lifecycle.remove(spec, env.ctx, id, updated.outs);
  });

  it("replaces a load whose model changes: the new adapter is loaded before the old one is unloaded", async () => {
    const deployment = await host({ enableAddons: true });
    const news = inputs({ model: await addon(), deployment });
    const first = await lifecycle.create(spec, env.ctx, news);
    const next = changed(news, { model: await addon() });
    expect(lifecycle.diff(spec, first.outs, next)).toEqual({ changes: true, replaces: ["model"], deleteBeforeReplace: false });
    const second = await lifecycle.create(spec, env.ctx, lifecycle.check(spec, {}, next).inputs);
    expect(second.id).not.toBe(first.id);
    expect((await loadsOn(deployment)).map((dm) => dm.name).sort()).toEqual([first.outs.name, second.outs.name].sort());
    await lifecycle.remove(spec, env.ctx, first.id, first.outs);
    expect((await loadsOn(deployment)).map((dm) => dm.name)).toEqual([second.outs.name]);
    await lifecycle.remove(spec, env.ctx, second.id, second.outs);
  });

  it("fails on a deployment without enableAddons with the platform's message, and loads nothing", async () => {
    const deployment = await host();
    const model = await addon();
    const error = await lifecycle.create(spec, env.ctx, inputs({ model, deployment })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`deployment "${deployment}" does not have addons enabled (enableAddons is false)`);
    expect(await loadsOn(deployment)).toEqual([]);
  });

  it("loads three adapters onto one deployment concurrently, each DEPLOYED under its own ID, and unloads them concurrently", async () => {
    const deployment = await host({ enableAddons: true });
    const models = await Promise.all([addon(), addon(), addon()]);
    const created = await Promise.all(models.map((model, i) => lifecycle.create(spec, env.ctx, inputs({ model, deployment, displayName: `adapter ${i}` }))));

    expect(created.map((c) => c.outs.state)).toEqual(["DEPLOYED", "DEPLOYED", "DEPLOYED"]);
    expect(new Set(created.map((c) => c.id)).size).toBe(3);
    expect(created.map((c) => c.outs.model)).toEqual(models);
    expect(created.map((c) => c.outs.displayName)).toEqual(["adapter 0", "adapter 1", "adapter 2"]);
    const onPlatform = await loadsOn(deployment);
    expect(onPlatform.map((dm) => dm.name).sort()).toEqual(created.map((c) => c.outs.name).sort());
    expect(onPlatform.every((dm) => dm.state === "DEPLOYED")).toBe(true);

    await Promise.all(created.map((c) => lifecycle.remove(spec, env.ctx, c.id, c.outs)));
    expect(await loadsOn(deployment)).toEqual([]);
  });
});
