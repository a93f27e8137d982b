/**
 * The job kinds against the emulator, in process: an SFT job trained to COMPLETED with its output model, the
 * `waitForCompletion: false` opt-out, a FAILED job that fails `up` with its status message and stays recorded, delete
 * of a running job (cancel, wait, delete), an RFT job naming an unknown evaluator, DPO and batch happy paths, and the
 * W&B API key kept out of outputs and error text.
 */
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import * as lifecycle from "../../provider/src/lifecycle";
import { batchInferenceJobSpec } from "../../provider/src/resources/batch-inference-job";
import { dpoJobSpec } from "../../provider/src/resources/dpo-job";
import { rftJobSpec } from "../../provider/src/resources/rft-job";
import { sftJobSpec } from "../../provider/src/resources/sft-job";
import type { ResourceSpec } from "../../provider/src/spec";
import type { Props } from "../../provider/src/values";
import { LLAMA, useLifecycle } from "./setup";

const WANDB_KEY = "wandb-key-6f1d2c9a8b7e";
const FAST = { createMs: 20, updateMs: 60, deleteMs: 20 };

describe("job lifecycle against the emulator", () => {
  const env = useLifecycle();
  let n = 0;
  let dataset = "";

  const control = async (method: string, path: string, body: unknown = {}): Promise<Props> => {
    const res = await fetch(`${env.emulator.url}/_emulator${path}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await res.text();
    expect(res.status, text).toBeLessThan(300);
    return text ? (JSON.parse(text) as Props) : {};
  };
  const timings = (collection: string, t: Props): Promise<Props> => control("PUT", "/timings", { [collection]: t });
  const inputs = (spec: ResourceSpec, extra: Props): Props => {
    n += 1;
    const checked = lifecycle.check(spec, {}, { __owner: `proj/dev/job${n}`, __instance: "instance-a", ...extra });
    expect(checked.failures).toEqual([]);
    return checked.inputs;
  };
  const writes = async (): Promise<string[]> =>
    (await env.admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path.replace(/^.*\//, "")}`);

  beforeEach(async () => {
    for (const c of ["supervisedFineTuningJobs", "dpoJobs", "reinforcementFineTuningJobs", "batchInferenceJobs"]) await timings(c, FAST);
    const id = `train-${randomUUID().slice(0, 8)}`;
    await control("PUT", `/seeded-datasets/${id}`);
    dataset = `accounts/${env.emulator.accountId}/datasets/${id}`;
  });

  it("trains an SFT job to COMPLETED and outputs the model it produced, with no diff after refresh", async () => {
    // A run long enough that polling sees RUNNING even on a loaded machine.
    await timings("supervisedFineTuningJobs", { createMs: 20, updateMs: 400, deleteMs: 20 });
    const lines: string[] = [];
    const ctx = { ...env.ctx, report: (line: string) => lines.push(line) };
    const news = inputs(sftJobSpec, { dataset, baseModel: LLAMA, epochs: 2, loraRank: 16, learningRate: 0.0002, displayName: "sft" });
    const { id, outs } = await lifecycle.create(sftJobSpec, ctx, news);
    const model = `accounts/${env.emulator.accountId}/models/${id}`;
    expect(outs).toMatchObject({ state: "JOB_STATE_COMPLETED", outputModel: model, supervisedFineTuningJobId: id, epochs: 2, loraRank: 16 });
    expect(await env.admin.get(`/v1/${model}`)).toMatchObject({ state: "READY", kind: "HF_PEFT_ADDON", fineTuningJob: outs.name });
    expect(lines.some((l) => l.includes("JOB_STATE_RUNNING"))).toBe(true);
    expect(lines.at(-1)).toContain("JOB_STATE_COMPLETED, 100%");

    const read = await lifecycle.read(sftJobSpec, env.ctx, id, outs);
    expect(lifecycle.diff(sftJobSpec, read.props ?? {}, news).changes).toBe(false);
    // Destroying the job leaves the model it produced.
    await lifecycle.remove(sftJobSpec, env.ctx, id, outs);
    expect(await env.admin.get(`/v1/${outs.name as string}`)).toBeUndefined();
    expect(await env.admin.get(`/v1/${model}`)).toMatchObject({ state: "READY" });
  });

  it("returns at RUNNING with waitForCompletion: false; delete then cancels the job, waits, and deletes it", async () => {
    await timings("supervisedFineTuningJobs", { createMs: 20, updateMs: 60_000, deleteMs: 50 });
    const news = inputs(sftJobSpec, { dataset, baseModel: LLAMA, waitForCompletion: false });
    const { id, outs } = await lifecycle.create(sftJobSpec, env.ctx, news);
    expect(outs).toMatchObject({ state: "JOB_STATE_RUNNING", waitForCompletion: false });
    expect(lifecycle.diff(sftJobSpec, outs, news).changes).toBe(false);

    await env.admin.clearRequests();
    await lifecycle.remove(sftJobSpec, env.ctx, id, outs);
    expect(await writes()).toEqual([`POST ${id}:cancel`, `DELETE ${id}`]);
    expect(await env.admin.get(`/v1/${outs.name as string}`)).toBeUndefined();
  });

  it("fails create with the job's status message when it FAILS, and keeps it recorded", async () => {
    await control("POST", "/supervisedFineTuningJobs/fail-next", { code: "RESOURCE_EXHAUSTED", message: "no H100 capacity for training" });
    const news = inputs(sftJobSpec, { dataset, baseModel: LLAMA });
    const err = await lifecycle.create(sftJobSpec, env.ctx, news).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(lifecycle.ResourceInitError);
    const init = err as lifecycle.ResourceInitError;
    expect(init.message).toContain("state JOB_STATE_FAILED: RESOURCE_EXHAUSTED: no H100 capacity for training");
    expect(init.properties).toMatchObject({ state: "JOB_STATE_FAILED", supervisedFineTuningJobId: init.id });
    // Recorded, so destroy finds and deletes it (a failed job needs no cancel).
    await env.admin.clearRequests();
    await lifecycle.remove(sftJobSpec, env.ctx, init.id, init.properties);
    expect(await writes()).toEqual([`DELETE ${init.id}`]);
  });

  it("fails an RFT job naming an unknown evaluator, creating nothing", async () => {
    const evaluator = `accounts/${env.emulator.accountId}/evaluators/nobody`;
    const news = inputs(rftJobSpec, { dataset, evaluator, trainingConfig: { baseModel: LLAMA } });
    const err = await lifecycle.create(rftJobSpec, env.ctx, news).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(lifecycle.ResourceInitError);
    expect((err as Error).message).toContain(`evaluator "${evaluator}" not found`);
  });

  it("trains an RFT job against a seeded evaluator", async () => {
    await control("PUT", "/evaluators/judge");
    const news = inputs(rftJobSpec, { dataset, evaluator: `accounts/${env.emulator.accountId}/evaluators/judge`, trainingConfig: { baseModel: LLAMA }, chunkSize: 100 });
    const { id, outs } = await lifecycle.create(rftJobSpec, env.ctx, news);
    expect(outs).toMatchObject({ state: "JOB_STATE_COMPLETED", outputModel: `accounts/${env.emulator.accountId}/models/${id}` });
    await lifecycle.remove(rftJobSpec, env.ctx, id, outs);
  });

  it("trains a DPO job and outputs trainingConfig.outputModel at top level", async () => {
    // A bare output model ID: the platform echoes the full name it bound, which must not read as a change.
    const modelId = `dpo-${randomUUID().slice(0, 8)}`;
    const news = inputs(dpoJobSpec, { dataset, trainingConfig: { baseModel: LLAMA, loraRank: 8, outputModel: modelId }, lossConfig: { method: "DPO", dpo: { beta: 0.1 } } });
    const { id, outs } = await lifecycle.create(dpoJobSpec, env.ctx, news);
    const model = `accounts/${env.emulator.accountId}/models/${modelId}`;
    expect(outs).toMatchObject({ state: "JOB_STATE_COMPLETED", outputModel: model, trainingConfig: { outputModel: model } });
    expect(lifecycle.diff(dpoJobSpec, outs, news).changes).toBe(false);
    const read = await lifecycle.read(dpoJobSpec, env.ctx, id, outs);
    expect(lifecycle.diff(dpoJobSpec, read.props ?? {}, news).changes).toBe(false);
    await lifecycle.remove(dpoJobSpec, env.ctx, id, outs);
  });

  it("runs a batch inference job and outputs its output dataset; a running one is deleted without a cancel", async () => {
    const news = inputs(batchInferenceJobSpec, { model: LLAMA, inputDatasetId: dataset, inferenceParameters: { temperature: 0, maxTokens: 16 } });
    const { id, outs } = await lifecycle.create(batchInferenceJobSpec, env.ctx, news);
    expect(outs).toMatchObject({ state: "JOB_STATE_COMPLETED", outputDataset: `accounts/${env.emulator.accountId}/datasets/${id}-output` });
    expect(lifecycle.diff(batchInferenceJobSpec, outs, news).changes).toBe(false);
    await lifecycle.remove(batchInferenceJobSpec, env.ctx, id, outs);

    await timings("batchInferenceJobs", { createMs: 20, updateMs: 60_000, deleteMs: 20 });
    const running = await lifecycle.create(batchInferenceJobSpec, env.ctx, inputs(batchInferenceJobSpec, { model: LLAMA, inputDatasetId: dataset, waitForCompletion: false }));
    expect(running.outs.state).toBe("JOB_STATE_RUNNING");
    await env.admin.clearRequests();
    await lifecycle.remove(batchInferenceJobSpec, env.ctx, running.id, running.outs);
    expect(await writes()).toEqual([`DELETE ${running.id}`]);
  });

  it("never shows the W&B API key in outputs or in error text, even when the platform echoes the request", async () => {
    const wandbConfig = { enabled: true, project: "p", apiKey: WANDB_KEY };
    const news = inputs(sftJobSpec, { dataset, baseModel: LLAMA, wandbConfig });
    const { id, outs } = await lifecycle.create(sftJobSpec, env.ctx, news);
    expect(JSON.stringify(outs)).not.toContain(WANDB_KEY);
    expect(outs.__declared).toMatchObject({ wandbConfig: true });
    expect(lifecycle.diff(sftJobSpec, outs, news).changes).toBe(false);
    const read = await lifecycle.read(sftJobSpec, env.ctx, id, outs);
    expect(JSON.stringify(read)).not.toContain(WANDB_KEY);
    await lifecycle.remove(sftJobSpec, env.ctx, id, outs);

    await env.admin.fault({ method: "POST", path: `/v1/accounts/${env.emulator.accountId}/supervisedFineTuningJobs`, times: 1, action: { type: "status", status: 400, echo: true } });
    const err = await lifecycle.create(sftJobSpec, env.ctx, inputs(sftJobSpec, { dataset, baseModel: LLAMA, wandbConfig })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const text = `${(err as Error).message} ${JSON.stringify(err)}`;
    expect(text).toContain("injected fault");
    expect(text).not.toContain(WANDB_KEY);
  });
});
