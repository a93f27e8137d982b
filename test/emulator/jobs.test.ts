import { beforeEach, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { BASE_MODEL, useEmulator, type Client, type ErrorBody } from "./helpers";
import { idOf, waitFor, waitForGone, waitForState, type Resource } from "./train-helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true, timingMs: 30 });

const JOB_TIMINGS = { createMs: 40, updateMs: 80, deleteMs: 40 };

beforeEach(async () => {
  await client.admin("PUT", "/timings", {
    supervisedFineTuningJobs: JOB_TIMINGS,
    dpoJobs: JOB_TIMINGS,
    reinforcementFineTuningJobs: JOB_TIMINGS,
    batchInferenceJobs: JOB_TIMINGS,
    deployedModels: { createMs: 30, deleteMs: 30 },
  });
  await client.admin("PUT", "/seeded-datasets/train", {});
  await client.admin("PUT", "/evaluators/judge", {});
});

const acct = (): string => `/v1/accounts/${emu.accountId}`;
const dataset = (id = "train"): string => `accounts/${emu.accountId}/datasets/${id}`;
const modelName = (id: string): string => `accounts/${emu.accountId}/models/${id}`;
const sft = (): string => `${acct()}/supervisedFineTuningJobs`;

async function createJob(collection: string, body: Record<string, unknown>, query = ""): Promise<Resource> {
  const res = await client.call<Resource>("POST", `${acct()}/${collection}${query}`, body);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function expectError(path: string, body: Record<string, unknown>, status: number, code: number, message: RegExp): Promise<void> {
  const res = await client.call<ErrorBody>("POST", path, body);
  expect(res.status, res.text).toBe(status);
  expect(res.body.code).toBe(code);
  expect(res.body.message).toMatch(message);
}

describe("SupervisedFineTuningJob state machine", () => {
  it("goes CREATING -> RUNNING -> COMPLETED and produces the output LoRA, READY", async () => {
    const created = await createJob("supervisedFineTuningJobs", { dataset: dataset(), baseModel: BASE_MODEL, loraRank: 16, epochs: 2, displayName: "first" }, "?supervisedFineTuningJobId=sft-one");
    expect(created).toMatchObject({ name: `accounts/${emu.accountId}/supervisedFineTuningJobs/sft-one`, state: "JOB_STATE_CREATING", outputModel: modelName("sft-one") });
    const path = `${sft()}/sft-one`;
    await waitForState(client, path, "JOB_STATE_RUNNING");
    const done = await waitForState(client, path, "JOB_STATE_COMPLETED");
    expect(done.body["completedTime"]).toBeDefined();
    expect(done.body["jobProgress"]).toEqual({ percent: 100 });
    const model = await client.call<Resource>("GET", `${acct()}/models/sft-one`);
    expect(model.body).toMatchObject({
      state: "READY",
      kind: "HF_PEFT_ADDON",
      fineTuningJob: created.name,
      displayName: "first",
      peftDetails: { baseModel: BASE_MODEL, r: 16 },
    });
  });

  it("uses a given outputModel, generates an ID when none is given, and refuses a taken output model", async () => {
    const named = await createJob("supervisedFineTuningJobs", { dataset: dataset(), baseModel: BASE_MODEL, outputModel: "my-lora" });
    expect(idOf(named.name)).toMatch(/^[a-z][a-z0-9]{7}$/);
    expect(named["outputModel"]).toBe(modelName("my-lora"));
    await waitForState(client, `/v1/${named.name ?? ""}`, "JOB_STATE_COMPLETED");
    expect((await client.call<Resource>("GET", `${acct()}/models/my-lora`)).body.state).toBe("READY");
    await expectError(sft(), { dataset: dataset(), baseModel: BASE_MODEL, outputModel: "my-lora" }, 409, 6, /already exists/);
    await expectError(`${sft()}?supervisedFineTuningJobId=my-lora`, { dataset: dataset(), baseModel: BASE_MODEL }, 409, 6, /already exists/);
  });

  it("trains the produced LoRA again with warmStartFrom, and the result can be loaded onto a deployment", async () => {
    await createJob("supervisedFineTuningJobs", { dataset: dataset(), baseModel: BASE_MODEL }, "?supervisedFineTuningJobId=round-one");
    await waitForState(client, `${sft()}/round-one`, "JOB_STATE_COMPLETED");
    await createJob("supervisedFineTuningJobs", { dataset: dataset(), warmStartFrom: modelName("round-one") }, "?supervisedFineTuningJobId=round-two");
    await waitForState(client, `${sft()}/round-two`, "JOB_STATE_COMPLETED");
    const second = await client.call<Resource>("GET", `${acct()}/models/round-two`);
    expect(second.body["peftDetails"]).toMatchObject({ baseModel: BASE_MODEL });

    await client.createReady("serve", { enableAddons: true });
    const dm = await client.call<Resource>("POST", `${acct()}/deployedModels`, { model: modelName("round-two"), deployment: `accounts/${emu.accountId}/deployments/serve` });
    expect(dm.status, dm.text).toBe(200);
    await waitForState(client, `/v1/${dm.body.name ?? ""}`, "DEPLOYED");
  });

  it("cancels: CANCELLING -> CANCELLED with a status, produces nothing, then can be deleted", async () => {
    await createJob("supervisedFineTuningJobs", { dataset: dataset(), baseModel: BASE_MODEL }, "?supervisedFineTuningJobId=stop-me");
    const path = `${sft()}/stop-me`;
    await waitForState(client, path, "JOB_STATE_RUNNING");
    expect((await client.call("POST", `${path}:cancel`, {})).body).toEqual({});
    expect((await client.call<Resource>("GET", path)).body.state).toBe("JOB_STATE_CANCELLING");
    const refused = await client.call<ErrorBody>("DELETE", path);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(9);
    const cancelled = await waitForState(client, path, "JOB_STATE_CANCELLED");
    expect(cancelled.body.status).toEqual({ code: "CANCELLED", message: "the job was cancelled" });
    expect((await client.call("POST", `${path}:cancel`, {})).status).toBe(400);
    expect((await client.call("GET", `${acct()}/models/stop-me`)).status).toBe(404);
    expect((await client.call("DELETE", path)).body).toEqual({});
    await waitForGone(client, path);
  });

  it("refuses to delete a running job (the client cancels first)", async () => {
    await createJob("supervisedFineTuningJobs", { dataset: dataset(), baseModel: BASE_MODEL }, "?supervisedFineTuningJobId=busy");
    for (const state of ["JOB_STATE_CREATING", "JOB_STATE_RUNNING"]) {
      await waitForState(client, `${sft()}/busy`, state);
      const res = await client.call<ErrorBody>("DELETE", `${sft()}/busy`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(9);
      expect(res.body.message).toMatch(/cancel it/);
    }
    await waitForState(client, `${sft()}/busy`, "JOB_STATE_COMPLETED");
    expect((await client.call("DELETE", `${sft()}/busy`)).status).toBe(200);
    // The produced model outlives the job.
    expect((await client.call("GET", `${acct()}/models/busy`)).status).toBe(200);
  });

  it("fails through the control channel with a status, and :resume runs it again to completion", async () => {
    await createJob("supervisedFineTuningJobs", { dataset: dataset(), baseModel: BASE_MODEL }, "?supervisedFineTuningJobId=flaky");
    const failed = await client.admin<Resource>("POST", "/supervisedFineTuningJobs/flaky/fail", { code: "RESOURCE_EXHAUSTED", message: "no H100 capacity" });
    expect(failed.body).toMatchObject({ state: "JOB_STATE_FAILED", status: { code: "RESOURCE_EXHAUSTED", message: "no H100 capacity" } });
    expect((await client.admin("POST", "/supervisedFineTuningJobs/flaky/fail", {})).status).toBe(400);
    const resumed = await client.call<Resource>("POST", `${sft()}/flaky:resume`, {});
    expect(resumed.body.state).toBe("JOB_STATE_RUNNING");
    expect(resumed.body.status).toBeUndefined();
    await waitForState(client, `${sft()}/flaky`, "JOB_STATE_COMPLETED");
    expect((await client.call("POST", `${sft()}/flaky:resume`, {})).status).toBe(400);
  });

  it("fails the next created job at the end of its run with fail-next", async () => {
    expect((await client.admin("POST", "/supervisedFineTuningJobs/fail-next", { message: "loss diverged" })).body).toEqual({ queued: 1 });
    await createJob("supervisedFineTuningJobs", { dataset: dataset(), baseModel: BASE_MODEL }, "?supervisedFineTuningJobId=doomed");
    await waitForState(client, `${sft()}/doomed`, "JOB_STATE_RUNNING");
    const failed = await waitForState(client, `${sft()}/doomed`, "JOB_STATE_FAILED");
    expect(failed.body.status).toEqual({ code: "INTERNAL", message: "loss diverged" });
    expect((await client.call("GET", `${acct()}/models/doomed`)).status).toBe(404);
  });

  it("lists jobs by name and filters by state", async () => {
    await createJob("supervisedFineTuningJobs", { dataset: dataset(), baseModel: BASE_MODEL }, "?supervisedFineTuningJobId=b-job");
    await createJob("supervisedFineTuningJobs", { dataset: dataset(), baseModel: BASE_MODEL }, "?supervisedFineTuningJobId=a-job");
    const list = await client.call<{ supervisedFineTuningJobs?: Resource[] }>("GET", sft());
    expect(list.body.supervisedFineTuningJobs?.map((j) => idOf(j.name))).toEqual(["a-job", "b-job"]);
    await client.admin("POST", "/supervisedFineTuningJobs/a-job/fail", {});
    const failed = await client.call<{ supervisedFineTuningJobs?: Resource[] }>("GET", `${sft()}?filter=${encodeURIComponent("state=JOB_STATE_FAILED")}`);
    expect(failed.body.supervisedFineTuningJobs?.map((j) => idOf(j.name))).toEqual(["a-job"]);
    // Jobs cannot be updated (the emulator answers an undocumented method with 501, as for users).
    expect((await client.call("PATCH", `${sft()}/b-job`, { displayName: "x" })).status).toBe(501);
  });
});

describe("SupervisedFineTuningJob validation", () => {
  const ok = (): Record<string, unknown> => ({ dataset: dataset(), baseModel: BASE_MODEL });

  it("needs exactly one of baseModel and warmStartFrom", async () => {
    await expectError(sft(), { dataset: dataset(), baseModel: BASE_MODEL, warmStartFrom: modelName("x") }, 400, 3, /exactly one of base_model or warm_start_from/);
    await expectError(sft(), { dataset: dataset() }, 400, 3, /exactly one of base_model or warm_start_from/);
  });

  it("checks LoRA rank, epochs, learning rate and batch size bounds", async () => {
    await expectError(sft(), { ...ok(), loraRank: 33 }, 400, 3, /lora_rank: value must be less than or equal to 32/);
    await expectError(sft(), { ...ok(), loraRank: 2 }, 400, 3, /lora_rank/);
    await expectError(sft(), { ...ok(), loraRank: -1 }, 400, 3, /lora_rank/);
    await expectError(sft(), { ...ok(), epochs: 101 }, 400, 3, /epochs/);
    await expectError(sft(), { ...ok(), learningRate: 0.2 }, 400, 3, /learning_rate/);
    await expectError(sft(), { ...ok(), learningRate: -0.001 }, 400, 3, /learning_rate/);
    await expectError(sft(), { ...ok(), batchSize: 1024, maxContextLength: 4096 }, 400, 3, /batch_size must be greater than or equal to max_context_length/);
    // The documented limits themselves are accepted.
    await createJob("supervisedFineTuningJobs", { ...ok(), loraRank: 32, epochs: 100, learningRate: 0.1, maxContextLength: 4096 });
  });

  it("checks the dataset, the base model and the warm-start model", async () => {
    await expectError(sft(), { baseModel: BASE_MODEL }, 400, 3, /dataset: value is required/);
    await expectError(sft(), { ...ok(), dataset: dataset("unknown") }, 404, 5, /dataset/);
    await expectError(sft(), { ...ok(), dataset: "train" }, 400, 3, /not a dataset name/);
    await expectError(sft(), { ...ok(), baseModel: modelName("nope") }, 404, 5, /model/);
    await expectError(sft(), { ...ok(), baseModel: "accounts/fireworks/models/Bad_Name" }, 400, 3, /invalid model name/);
    // A warm start continues an addon of this account's models collection; a public model is not one.
    await expectError(sft(), { dataset: dataset(), warmStartFrom: "accounts/fireworks/models/llama" }, 404, 5, /not found/);
    await expectError(sft(), { dataset: dataset(), warmStartFrom: "llama" }, 400, 3, /not a model name/);
    await expectError(sft(), { ...ok(), awsS3Config: { credentialsSecret: `accounts/${emu.accountId}/secrets/none` } }, 404, 5, /secret/);
    await expectError(sft(), { ...ok(), unknownField: 1 }, 400, 3, /unknown field/);
  });

  it("accepts a READY dataset of the datasets collection and refuses one still UPLOADING", async () => {
    const datasets = `${acct()}/datasets`;
    const external = await client.call("POST", datasets, { datasetId: "ext", dataset: { format: "CHAT", externalUrl: "gs://bucket/train.jsonl" } });
    expect(external.status, external.text).toBe(200);
    await waitForState(client, `${datasets}/ext`, "READY");
    await createJob("supervisedFineTuningJobs", { ...ok(), dataset: dataset("ext") });
    const pending = await client.call<Resource>("POST", datasets, { datasetId: "pending", dataset: { format: "CHAT" } });
    expect(pending.status, pending.text).toBe(200);
    expect(pending.body.state).toBe("UPLOADING");
    await expectError(sft(), { ...ok(), dataset: dataset("pending") }, 400, 9, /UPLOADING/);
  });
});

describe("DpoJob", () => {
  const dpo = (): string => `${acct()}/dpoJobs`;

  it("completes and produces trainingConfig.outputModel", async () => {
    const created = await createJob("dpoJobs", { dataset: dataset(), trainingConfig: { baseModel: BASE_MODEL, loraRank: 8, loraTargetModules: ["q_proj"] }, lossConfig: { method: "ORPO" } }, "?dpoJobId=prefs");
    expect(created["trainingConfig"]).toMatchObject({ outputModel: modelName("prefs") });
    await waitForState(client, `${dpo()}/prefs`, "JOB_STATE_COMPLETED");
    const model = await client.call<Resource>("GET", `${acct()}/models/prefs`);
    expect(model.body).toMatchObject({ state: "READY", peftDetails: { baseModel: BASE_MODEL, r: 8, targetModules: ["q_proj"] } });
  });

  it("validates the training config and the loss", async () => {
    await expectError(dpo(), { dataset: dataset() }, 400, 3, /dpo_job.training_config: exactly one of base_model or warm_start_from/);
    await expectError(dpo(), { dataset: dataset(), trainingConfig: { baseModel: BASE_MODEL, epochs: 101 } }, 400, 3, /epochs/);
    await expectError(dpo(), { dataset: dataset(), trainingConfig: { baseModel: BASE_MODEL }, lossConfig: { method: "GRPO" } }, 400, 3, /preference loss/);
    await expectError(dpo(), { dataset: dataset(), trainingConfig: { baseModel: BASE_MODEL }, lossConfig: { dpo: { beta: 0.7 } } }, 400, 3, /beta/);
  });

  it("cancels", async () => {
    await createJob("dpoJobs", { dataset: dataset(), trainingConfig: { baseModel: BASE_MODEL } }, "?dpoJobId=halt");
    expect((await client.call("POST", `${dpo()}/halt:cancel`, {})).status).toBe(200);
    await waitForState(client, `${dpo()}/halt`, "JOB_STATE_CANCELLED");
  });
});

describe("ReinforcementFineTuningJob", () => {
  const rft = (): string => `${acct()}/reinforcementFineTuningJobs`;
  const evaluator = (id = "judge"): string => `accounts/${emu.accountId}/evaluators/${id}`;

  it("needs a seeded evaluator resource name", async () => {
    const body = { dataset: dataset(), trainingConfig: { baseModel: BASE_MODEL } };
    await expectError(rft(), body, 400, 3, /evaluator: value is required/);
    await expectError(rft(), { ...body, evaluator: "judge" }, 400, 3, /not an evaluator resource name/);
    await expectError(rft(), { ...body, evaluator: evaluator("unknown") }, 404, 5, /evaluator/);
  });

  it("validates chunk size, loss method and extraBody", async () => {
    const body = { dataset: dataset(), trainingConfig: { baseModel: BASE_MODEL }, evaluator: evaluator() };
    await expectError(rft(), { ...body, chunkSize: 20000 }, 400, 3, /chunk_size/);
    await expectError(rft(), { ...body, lossConfig: { method: "DPO" } }, 400, 3, /preference loss/);
    await expectError(rft(), { ...body, inferenceParameters: { extraBody: "not json" } }, 400, 3, /extra_body/);
    await expectError(rft(), { ...body, trainingConfig: { baseModel: BASE_MODEL, loraRank: 64 } }, 400, 3, /lora_rank/);
  });

  it("runs to completion with progress and produces the model", async () => {
    await client.admin("PUT", "/timings/reinforcementFineTuningJobs", { updateMs: 200 });
    await createJob("reinforcementFineTuningJobs", { dataset: dataset(), trainingConfig: { baseModel: BASE_MODEL }, evaluator: evaluator() }, "?reinforcementFineTuningJobId=rl");
    await waitFor(client, `${rft()}/rl`, (r) => r.body.state === "JOB_STATE_RUNNING" && JSON.stringify(r.body["jobProgress"]) === JSON.stringify({ percent: 50 }));
    await waitForState(client, `${rft()}/rl`, "JOB_STATE_COMPLETED");
    expect((await client.call<Resource>("GET", `${acct()}/models/rl`)).body.state).toBe("READY");
  });
});

describe("BatchInferenceJob", () => {
  const bij = (): string => `${acct()}/batchInferenceJobs`;

  it("completes and names its output dataset", async () => {
    const created = await createJob(
      "batchInferenceJobs",
      { model: BASE_MODEL, inputDatasetId: dataset(), inferenceParameters: { maxTokens: 256, temperature: 0 }, precision: "FP8" },
      "?batchInferenceJobId=batch-one",
    );
    expect(created).toMatchObject({ state: "JOB_STATE_CREATING", outputDatasetId: dataset("batch-one-output"), inferenceParameters: { maxTokens: 256, temperature: 0 } });
    const done = await waitForState(client, `${bij()}/batch-one`, "JOB_STATE_COMPLETED");
    expect(done.body["outputDatasetId"]).toBe(dataset("batch-one-output"));
    expect(done.body["jobProgress"]).toEqual({ percent: 100 });
    const named = await createJob("batchInferenceJobs", { model: BASE_MODEL, inputDatasetId: dataset(), outputDatasetId: dataset("results") });
    expect(named["outputDatasetId"]).toBe(dataset("results"));
  });

  it("validates model, input and output datasets", async () => {
    await expectError(bij(), { inputDatasetId: dataset() }, 400, 3, /model: value is required/);
    await expectError(bij(), { model: BASE_MODEL }, 400, 3, /input_dataset_id: value is required/);
    await expectError(bij(), { model: modelName("missing"), inputDatasetId: dataset() }, 404, 5, /model/);
    await expectError(bij(), { model: BASE_MODEL, inputDatasetId: dataset("nope") }, 404, 5, /dataset/);
    await expectError(bij(), { model: BASE_MODEL, inputDatasetId: dataset(), outputDatasetId: dataset() }, 409, 6, /already exists/);
    await expectError(bij(), { model: BASE_MODEL, inputDatasetId: dataset(), outputDatasetId: "accounts/other/datasets/x" }, 400, 3, /in this account/);
  });

  it("has no :cancel; DELETE stops a running job", async () => {
    await createJob("batchInferenceJobs", { model: BASE_MODEL, inputDatasetId: dataset() }, "?batchInferenceJobId=stop");
    expect((await client.call("POST", `${bij()}/stop:cancel`, {})).status).toBe(404);
    await waitForState(client, `${bij()}/stop`, "JOB_STATE_RUNNING");
    expect((await client.call("DELETE", `${bij()}/stop`)).status).toBe(200);
    expect((await client.call("GET", `${bij()}/stop`)).status).toBe(404);
  });
});
