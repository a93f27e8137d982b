import { beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { BASE_MODEL, useEmulator, type Client, type ErrorBody } from "./helpers";
import { idOf, waitForGone, waitForState, type Resource } from "./train-helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true, timingMs: 30 });

beforeEach(async () => {
  await client.admin("PUT", "/timings", { deployedModels: { createMs: 40, deleteMs: 40 } });
});

const dms = (): string => `/v1/accounts/${emu.accountId}/deployedModels`;
const models = (): string => `/v1/accounts/${emu.accountId}/models`;
const depName = (id: string): string => `accounts/${emu.accountId}/deployments/${id}`;
const modelName = (id: string): string => `accounts/${emu.accountId}/models/${id}`;

async function readyAddon(id: string, baseModel = BASE_MODEL): Promise<string> {
  const res = await client.call("POST", models(), { modelId: id, model: { kind: "HF_PEFT_ADDON", peftDetails: { baseModel, r: 16, targetModules: ["q_proj"] } } });
  expect(res.status, res.text).toBe(200);
  await client.admin("POST", `/models/${id}/ready`);
  return modelName(id);
}

async function load(model: string, deployment: string, extra: Record<string, unknown> = {}): Promise<Resource> {
  const res = await client.call<Resource>("POST", dms(), { model, deployment, ...extra });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function expectError(body: Record<string, unknown>, status: number, code: number, message: RegExp): Promise<void> {
  const res = await client.call<ErrorBody>("POST", dms(), body);
  expect(res.status, res.text).toBe(status);
  expect(res.body.code).toBe(code);
  expect(res.body.message).toMatch(message);
}

describe("loading a LoRA", () => {
  it("gets a server-generated ID, goes DEPLOYING -> DEPLOYED, and shows on the model", async () => {
    await client.createReady("serve", { enableAddons: true });
    const model = await readyAddon("lora-a");
    const created = await load(model, depName("serve"), { displayName: "A" });
    expect(created.state).toBe("DEPLOYING");
    expect(idOf(created.name)).toMatch(/^[a-z][a-z0-9]{7}$/);
    expect(created["default"]).toBe(true);
    const deployed = await waitForState(client, `/v1/${created.name ?? ""}`, "DEPLOYED");
    expect(deployed.body).toMatchObject({ model, deployment: depName("serve"), displayName: "A" });
    const got = await client.call<Resource>("GET", `${models()}/lora-a`);
    expect(got.body["deployedModelRefs"]).toEqual([{ name: created.name, deployment: depName("serve"), state: "DEPLOYED", default: true }]);
    // An ID parameter is not part of the API.
    expect((await client.call("POST", `${dms()}?deployedModelId=x`, { model, deployment: depName("serve") })).status).toBe(400);
  });

  it("loads several adapters onto one deployment in parallel", async () => {
    await client.createReady("multi", { enableAddons: true });
    const names = await Promise.all(["p1", "p2", "p3"].map((id) => readyAddon(id)));
    const loaded = await Promise.all(names.map((m) => load(m, depName("multi"))));
    for (const dm of loaded) await waitForState(client, `/v1/${dm.name ?? ""}`, "DEPLOYED");
    const list = await client.call<{ deployedModels?: Resource[] }>("GET", `${dms()}?filter=${encodeURIComponent("state=DEPLOYED")}`);
    expect(list.body.deployedModels).toHaveLength(3);
  });

  it("refuses what cannot be loaded", async () => {
    await client.createReady("plain", {});
    await client.createReady("addons", { enableAddons: true });
    const model = await readyAddon("lora-b");
    await expectError({ model, deployment: depName("plain") }, 400, 9, /addons enabled/);
    await expectError({ model, deployment: depName("nowhere") }, 404, 5, /deployment/);
    await expectError({ model: modelName("nothing"), deployment: depName("addons") }, 404, 5, /model/);
    await expectError({ deployment: depName("addons") }, 400, 3, /model: value is required/);
    await expectError({ model }, 400, 3, /deployment: value is required/);
    await expectError({ model, deployment: depName("addons"), serverless: true }, 400, 3, /serverless/);

    const baseRes = await client.call("POST", models(), { modelId: "a-base", model: { kind: "HF_BASE_MODEL", baseModelDetails: { worldSize: 1 } } });
    expect(baseRes.status).toBe(200);
    await client.admin("POST", "/models/a-base/ready");
    await expectError({ model: modelName("a-base"), deployment: depName("addons") }, 400, 9, /not an addon/);

    await client.call("POST", models(), { modelId: "uploading", model: { kind: "HF_PEFT_ADDON", peftDetails: { baseModel: BASE_MODEL, r: 8, targetModules: ["q_proj"] } } });
    await expectError({ model: modelName("uploading"), deployment: depName("addons") }, 400, 9, /not READY/);

    const other = await readyAddon("other-base", "accounts/fireworks/models/qwen3-8b");
    await expectError({ model: other, deployment: depName("addons") }, 400, 9, /addon of/);

    await load(model, depName("addons"));
    await expectError({ model, deployment: depName("addons") }, 409, 6, /already loaded/);
  });

  it("refuses a deployment that is still CREATING", async () => {
    await client.admin("PUT", "/timings", { deploymentCreateMs: 5000 });
    await client.create({ baseModel: BASE_MODEL, enableAddons: true }, "?deploymentId=slow");
    const model = await readyAddon("lora-c");
    await expectError({ model, deployment: depName("slow") }, 400, 9, /CREATING/);
    await client.admin("PUT", "/timings", { deploymentCreateMs: 30 });
  });
});

describe("update and unload", () => {
  it("updates metadata, refuses moving the load, and unloads on delete (UNDEPLOYING -> gone)", async () => {
    await client.createReady("u", { enableAddons: true });
    const model = await readyAddon("lora-u");
    const dm = await load(model, depName("u"));
    const path = `/v1/${dm.name ?? ""}`;
    await waitForState(client, path, "DEPLOYED");
    const patched = await client.call<Resource>("PATCH", path, { displayName: "renamed", public: true });
    expect(patched.body).toMatchObject({ displayName: "renamed", public: true, state: "DEPLOYED" });
    const moved = await client.call<ErrorBody>("PATCH", path, { deployment: depName("elsewhere") });
    expect(moved.status).toBe(400);
    expect(moved.body.message).toMatch(/immutable/);

    // A loaded model cannot be deleted (UNKNOWN in the reference; stricter).
    const refused = await client.call<ErrorBody>("DELETE", `${models()}/lora-u`);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(9);

    expect((await client.call("DELETE", path)).body).toEqual({});
    expect((await client.call<Resource>("GET", path)).body.state).toBe("UNDEPLOYING");
    expect((await client.call("DELETE", path)).status).toBe(400);
    await waitForGone(client, path);
    expect((await client.call<Resource>("GET", `${models()}/lora-u`)).body["deployedModelRefs"]).toBeUndefined();
    expect((await client.call("DELETE", `${models()}/lora-u`)).status).toBe(200);
  });
});
