import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { BASE_MODEL, useEmulator, type Client, type ErrorBody } from "./helpers";
import { waitFor, type Resource } from "./train-helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true, timingMs: 50 });

const base = (): string => `/v1/accounts/${emu.accountId}/models`;
const baseModel = { kind: "HF_BASE_MODEL", baseModelDetails: { checkpointFormat: "HUGGINGFACE", worldSize: 1 } };
const lora = { kind: "HF_PEFT_ADDON", peftDetails: { baseModel: BASE_MODEL, r: 8, targetModules: ["q_proj", "v_proj"] } };

async function create(modelId: string, model: Record<string, unknown>): Promise<Resource> {
  const res = await client.call<Resource>("POST", base(), { modelId, model });
  if (res.status !== 200) throw new Error(`create ${modelId}: ${res.status} ${res.text}`);
  return res.body;
}

async function createReady(modelId: string, model: Record<string, unknown>): Promise<Resource> {
  await create(modelId, model);
  const res = await client.admin<Resource>("POST", `/models/${modelId}/ready`);
  expect(res.body.state).toBe("READY");
  return res.body;
}

async function expectError(method: string, path: string, body: unknown, status: number, code: number, message?: RegExp): Promise<void> {
  const res = await client.call<ErrorBody>(method, path, body);
  expect(res.status, res.text).toBe(status);
  expect(res.body.code).toBe(code);
  if (message) expect(res.body.message).toMatch(message);
}

describe("create", () => {
  it("takes the ID from the body's modelId and starts UPLOADING", async () => {
    const res = await client.call<Resource>("POST", base(), { modelId: "my-base", model: { ...baseModel, displayName: "Mine" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: `accounts/${emu.accountId}/models/my-base`, state: "UPLOADING", kind: "HF_BASE_MODEL", displayName: "Mine" });
    expect(res.body["createTime"]).toBeDefined();
    expect((await client.call<Resource>("GET", `${base()}/my-base`)).body.state).toBe("UPLOADING");
  });

  it("defaults kind to HF_PEFT_ADDON, which needs peftDetails", async () => {
    await expectError("POST", base(), { modelId: "bare" }, 400, 3, /peft_details: required/);
    const addon = await create("adapter", { peftDetails: lora.peftDetails });
    expect(addon["kind"]).toBe("HF_PEFT_ADDON");
  });

  it("refuses a missing or malformed modelId, unknown wrapper fields, a taken ID and a cluster", async () => {
    await expectError("POST", base(), { model: baseModel }, 400, 3, /model_id: value is required/);
    await expectError("POST", base(), { modelId: "Bad_ID", model: baseModel }, 400, 3, /invalid id/);
    await expectError("POST", base(), { modelId: "x", model: baseModel, extra: 1 }, 400, 3, /unknown field "extra"/);
    await create("taken", baseModel);
    await expectError("POST", base(), { modelId: "taken", model: baseModel }, 409, 6);
    await expectError("POST", base(), { modelId: "byoc", model: baseModel, cluster: "accounts/a/clusters/c" }, 404, 5);
  });

  it("ties kind to its details and checks the LoRA rank and base model", async () => {
    await expectError("POST", base(), { modelId: "b", model: { kind: "HF_BASE_MODEL" } }, 400, 3, /base_model_details: required/);
    await expectError("POST", base(), { modelId: "b", model: { ...lora, baseModelDetails: {} } }, 400, 3, /base_model_details: must not be set/);
    for (const r of [2, 65]) {
      await expectError("POST", base(), { modelId: "b", model: { kind: "HF_PEFT_ADDON", peftDetails: { ...lora.peftDetails, r } } }, 400, 3, /between 4 and 64/);
    }
    await expectError("POST", base(), { modelId: "b", model: { kind: "HF_PEFT_ADDON", peftDetails: { baseModel: BASE_MODEL, r: 8 } } }, 400, 3, /target_modules/);
    const missingBase = `accounts/${emu.accountId}/models/nope`;
    await expectError("POST", base(), { modelId: "b", model: { kind: "HF_PEFT_ADDON", peftDetails: { ...lora.peftDetails, baseModel: missingBase } } }, 404, 5);
    await expectError("POST", base(), { modelId: "b", model: { ...baseModel, displayName: "x".repeat(64) } }, 400, 3, /fewer than 64/);
  });
});

describe("get, list, update, delete", () => {
  it("lists by name, filters by state, and keeps deployedModelRefs out of lists", async () => {
    await create("b-model", baseModel);
    await createReady("a-model", baseModel);
    const all = await client.call<{ models?: Resource[]; totalSize?: number }>("GET", base());
    expect(all.body.models?.map((m) => m.name?.split("/").pop())).toEqual(["a-model", "b-model"]);
    expect(all.body.totalSize).toBe(2);
    const ready = await client.call<{ models?: Resource[] }>("GET", `${base()}?filter=${encodeURIComponent("state=READY")}`);
    expect(ready.body.models?.map((m) => m.name?.split("/").pop())).toEqual(["a-model"]);
  });

  it("updates mutable metadata in place and refuses changes to immutable fields", async () => {
    await create("meta", baseModel);
    const res = await client.call<Resource>("PATCH", `${base()}/meta`, { displayName: "New", description: "d", public: true, contextLength: 8192 });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ displayName: "New", description: "d", public: true, contextLength: 8192, kind: "HF_BASE_MODEL" });
    await expectError("PATCH", `${base()}/meta`, { kind: "HF_PEFT_ADDON" }, 400, 3, /kind: field is immutable/);
    await expectError("PATCH", `${base()}/meta`, { baseModelDetails: { worldSize: 2 } }, 400, 3, /immutable/);
    await expectError("PATCH", `${base()}/meta`, { description: "x".repeat(1000) }, 400, 3, /fewer than 1000/);
  });

  it("deletes a model", async () => {
    await create("gone", baseModel);
    expect((await client.call("DELETE", `${base()}/gone`)).body).toEqual({});
    await expectError("GET", `${base()}/gone`, undefined, 404, 5);
  });
});

describe("upload seam and :prepare", () => {
  it("becomes READY through the control route (until model uploads exist)", async () => {
    await create("up", baseModel);
    const ready = await client.admin<Resource>("POST", "/models/up/ready");
    expect(ready.body.state).toBe("READY");
    expect((await client.admin("POST", "/models/missing/ready")).status).toBe(404);
  });

  it("prepares a READY base model for a precision after the model timing", async () => {
    await client.admin("PUT", "/timings/models", { updateMs: 40 });
    await create("fp", baseModel);
    await expectError("POST", `${base()}/fp:prepare`, { precision: "FP8" }, 400, 9, /not READY/);
    await client.admin("POST", "/models/fp/ready");
    await expectError("POST", `${base()}/fp:prepare`, {}, 400, 3, /precision: value is required/);
    expect((await client.call("POST", `${base()}/fp:prepare`, { precision: "FP8" })).body).toEqual({});
    await expectError("POST", `${base()}/fp:prepare`, { precision: "FP16" }, 400, 9, /already being prepared/);
    const done = await waitFor(client, `${base()}/fp`, (r) => Array.isArray(r.body["supportedPrecisions"]));
    expect(done.body["supportedPrecisions"]).toEqual(["FP8"]);
    // Preparing a supported precision again is a no-op.
    expect((await client.call("POST", `${base()}/fp:prepare`, { precision: "FP8" })).status).toBe(200);
  });

  it("refuses to prepare an addon", async () => {
    await createReady("lora", lora);
    await expectError("POST", `${base()}/lora:prepare`, { precision: "FP8" }, 400, 9, /not a base model/);
  });
});
