/**
 * The four job kinds at preview and in diff: the documented rules with their exact messages, every change to what
 * the API was sent replaces the job (no PATCH), provider-only settings never do, and `waitForCompletion` decides
 * whether RUNNING is enough.
 */
import { describe, expect, it } from "vitest";
import { appliedHashes } from "../../provider/src/fields";
import { check, diff } from "../../provider/src/lifecycle";
import { batchInferenceJobSpec } from "../../provider/src/resources/batch-inference-job";
import { dpoJobSpec } from "../../provider/src/resources/dpo-job";
import { jobProgress, jobSettled, jobStatusMessage, JOB_STATES } from "../../provider/src/resources/jobs";
import { rftJobSpec } from "../../provider/src/resources/rft-job";
import { sftJobSpec } from "../../provider/src/resources/sft-job";
import type { CheckFailure, ResourceSpec } from "../../provider/src/spec";
import { UNKNOWN, type Props } from "../../provider/src/values";

const OWNER = { __owner: "proj/dev/train", __instance: "inst-1" };
const BASE = "accounts/fireworks/models/llama-v3p1-8b-instruct";
const DATASET = "accounts/acme/datasets/train";
const LORA = "accounts/acme/models/lora-1";
const EVALUATOR = "accounts/acme/evaluators/judge";

function failures(spec: ResourceSpec, news: Props): CheckFailure[] {
  return check(spec, {}, { ...news, ...OWNER }).failures;
}

function checked(spec: ResourceSpec, news: Props, olds: Props = {}): Props {
  const result = check(spec, olds, { ...news, ...OWNER });
  expect(result.failures).toEqual([]);
  return result.inputs;
}

describe("training rules at preview", () => {
  it("requires exactly one of baseModel or warmStartFrom, naming the fix", () => {
    expect(failures(sftJobSpec, { dataset: DATASET })).toEqual([
      {
        property: "baseModel",
        reason: 'set exactly one of baseModel (a base model, e.g. "accounts/fireworks/models/llama-v3p1-8b-instruct") or warmStartFrom (a LoRA addon to continue training)',
      },
    ]);
    expect(failures(sftJobSpec, { dataset: DATASET, baseModel: BASE, warmStartFrom: LORA })).toEqual([
      { property: "warmStartFrom", reason: "set exactly one of baseModel or warmStartFrom, not both: warmStartFrom already implies its base model; remove one" },
    ]);
    // Nested for DPO and RFT, and counted even while the value is unknown at preview.
    expect(failures(dpoJobSpec, { dataset: DATASET, trainingConfig: { baseModel: BASE, warmStartFrom: UNKNOWN } })).toEqual([
      {
        property: "trainingConfig.warmStartFrom",
        reason: "set exactly one of trainingConfig.baseModel or trainingConfig.warmStartFrom, not both: warmStartFrom already implies its base model; remove one",
      },
    ]);
    expect(failures(sftJobSpec, { dataset: DATASET, warmStartFrom: LORA })).toEqual([]);
    // A dataset and a warm start made in the same `up` are unknown at preview: nothing to report yet.
    expect(failures(sftJobSpec, { dataset: UNKNOWN, warmStartFrom: UNKNOWN })).toEqual([]);
  });

  it("checks LoRA rank, epochs and learning rate against the documented bounds", () => {
    expect(failures(sftJobSpec, { dataset: DATASET, baseModel: BASE, loraRank: 2, epochs: 101, learningRate: 0.5 })).toEqual([
      { property: "epochs", reason: "101 is out of range: epochs must be between 0 (the platform's default) and 100" },
      { property: "learningRate", reason: "0.5 is out of range: learningRate must be between 0 (the platform's default) and 0.1; typical LoRA rates are 1e-4 to 1e-3" },
      { property: "loraRank", reason: "2 is out of range: loraRank must be 0 (the platform's default, 8) or between 4 and 32" },
    ]);
    expect(failures(rftJobSpec, { dataset: DATASET, evaluator: EVALUATOR, trainingConfig: { baseModel: BASE, loraRank: 64 } })).toEqual([
      { property: "trainingConfig.loraRank", reason: "64 is out of range: loraRank must be 0 (the platform's default, 8) or between 4 and 32" },
    ]);
    expect(failures(sftJobSpec, { dataset: DATASET, baseModel: BASE, loraRank: 0, epochs: 100, learningRate: 0.1 })).toEqual([]);
    expect(failures(sftJobSpec, { dataset: DATASET, baseModel: BASE, batchSize: 1024, maxContextLength: 4096 })).toEqual([
      {
        property: "batchSize",
        reason: "1024 is smaller than maxContextLength (4096): batchSize counts tokens per batch and must be at least maxContextLength; raise it or omit it",
      },
    ]);
  });

  it("requires the dataset and, for RFT, an evaluator resource name", () => {
    expect(failures(rftJobSpec, { trainingConfig: { baseModel: BASE } })).toEqual([
      { property: "dataset", reason: 'dataset is required: set it to the RL dataset\'s name, e.g. dataset.name ("accounts/{account}/datasets/{dataset}")' },
      { property: "evaluator", reason: 'evaluator is required: set it to the evaluator that scores rollouts, a resource name "accounts/{account}/evaluators/{evaluator}"' },
    ]);
    expect(failures(rftJobSpec, { dataset: DATASET, evaluator: "judge", trainingConfig: { baseModel: BASE } })).toEqual([
      { property: "evaluator", reason: '"judge" is not an evaluator resource name; write it as "accounts/{account}/evaluators/{evaluator}"' },
    ]);
    expect(failures(dpoJobSpec, { dataset: DATASET })).toEqual([
      { property: "trainingConfig", reason: "trainingConfig is required: set it to the training settings, at least { baseModel } or { warmStartFrom }" },
    ]);
  });

  it("checks DPO beta and the batch job's one-of rule", () => {
    expect(failures(dpoJobSpec, { dataset: DATASET, trainingConfig: { baseModel: BASE }, lossConfig: { dpo: { beta: 0.5 } } })).toEqual([
      { property: "lossConfig.dpo.beta", reason: "0.5 is out of range: beta must be greater than 0 and less than 0.5 (0 or omitted: the platform's default)" },
    ]);
    expect(failures(batchInferenceJobSpec, { continuedFromJobName: "accounts/acme/batchInferenceJobs/b1" })).toEqual([]);
    expect(failures(batchInferenceJobSpec, { model: BASE, inputDatasetId: DATASET, outputDatasetId: DATASET })).toEqual([
      { property: "outputDatasetId", reason: '"accounts/acme/datasets/train" is the input dataset too; the results need a new dataset: choose another name or omit it' },
    ]);
  });

  it("never quotes the W&B API key in a failure", () => {
    const found = failures(sftJobSpec, { dataset: DATASET, baseModel: BASE, wandbConfig: { apiKey: 12345678 } });
    expect(found.map((f) => f.property)).toEqual(["wandbConfig.apiKey"]);
    expect(JSON.stringify(found)).not.toContain("12345678");
  });
});

describe("jobs cannot be updated", () => {
  const sft = (): Props => checked(sftJobSpec, { dataset: DATASET, baseModel: BASE, epochs: 2, wandbConfig: { project: "p", apiKey: "wandb-secret-1" } });
  /** State as the emulator answers: full output model name, zero values omitted, the W&B key never returned. */
  const state = (inputs: Props): Props => ({
    ...inputs,
    name: `accounts/acme/supervisedFineTuningJobs/${String(inputs.__name)}`,
    supervisedFineTuningJobId: inputs.__name,
    outputModel: `accounts/acme/models/${String(inputs.__name)}`,
    wandbConfig: { project: "p" },
    state: "JOB_STATE_COMPLETED",
    __applied: appliedHashes(sftJobSpec, inputs),
  });

  it.each([
    ["epochs", { epochs: 3 }],
    ["dataset", { dataset: "accounts/acme/datasets/other" }],
    ["baseModel", { baseModel: "accounts/fireworks/models/qwen3-8b" }],
    ["displayName", { displayName: "new" }],
    ["region", { region: "US_IOWA_1" }],
    ["outputModel", { outputModel: "fresh-model" }],
  ])("a change of %s replaces the job", (key, change) => {
    const inputs = sft();
    const olds = state(inputs);
    const result = diff(sftJobSpec, olds, checked(sftJobSpec, { ...inputs, ...change }, olds));
    expect(result).toEqual({ changes: true, replaces: [key], deleteBeforeReplace: false });
  });

  it("replaces on a new W&B API key (compared by hash), and is quiet about an unchanged one", () => {
    const inputs = sft();
    const olds = state(inputs);
    expect(diff(sftJobSpec, olds, inputs)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const rotated = checked(sftJobSpec, { ...inputs, wandbConfig: { project: "p", apiKey: "wandb-secret-2" } }, olds);
    expect(diff(sftJobSpec, olds, rotated).replaces).toEqual(["wandbConfig"]);
  });

  it("treats a bare output model ID like the full name the API echoes", () => {
    const inputs = checked(sftJobSpec, { dataset: DATASET, baseModel: BASE, outputModel: "train-1" });
    const olds = { ...state(inputs), wandbConfig: undefined, outputModel: "accounts/acme/models/train-1" };
    expect(diff(sftJobSpec, olds, inputs).changes).toBe(false);
    expect(diff(sftJobSpec, { ...olds, outputModel: "accounts/acme/models/train-2" }, inputs).replaces).toEqual(["outputModel"]);
  });

  it("changes only provider behaviour for waitForCompletion and timeouts", () => {
    const inputs = sft();
    const olds = state(inputs);
    const result = diff(sftJobSpec, olds, checked(sftJobSpec, { ...inputs, waitForCompletion: false, timeouts: { create: "2h" } }, olds));
    expect(result).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("derives a fresh job ID for a replacement, and deletes first only under a declared ID", () => {
    const a = checked(dpoJobSpec, { dataset: DATASET, trainingConfig: { baseModel: BASE, epochs: 1 } });
    const b = checked(dpoJobSpec, { dataset: DATASET, trainingConfig: { baseModel: BASE, epochs: 2 } });
    expect(a.__name).not.toEqual(b.__name);
    const olds = { ...a, dpoJobId: a.__name, trainingConfig: { baseModel: BASE, epochs: 1, outputModel: `accounts/acme/models/${String(a.__name)}` } };
    expect(diff(dpoJobSpec, olds, a).changes).toBe(false);
    expect(diff(dpoJobSpec, olds, b)).toEqual({ changes: true, replaces: ["dpoJobId", "trainingConfig"], deleteBeforeReplace: false });
    const named = checked(dpoJobSpec, { dpoJobId: "dpo-1", dataset: DATASET, trainingConfig: { baseModel: BASE, epochs: 2 } });
    expect(diff(dpoJobSpec, { ...olds, dpoJobId: "dpo-1" }, named)).toMatchObject({ replaces: ["trainingConfig"], deleteBeforeReplace: true });
  });

  it("ignores zero values the API omits in nested messages", () => {
    const inputs = checked(batchInferenceJobSpec, { model: BASE, inputDatasetId: DATASET, inferenceParameters: { temperature: 0, maxTokens: 64, topK: 0 } });
    const olds = { ...inputs, batchInferenceJobId: inputs.__name, inferenceParameters: { temperature: 0, maxTokens: 64 }, outputDatasetId: "accounts/acme/datasets/x-output" };
    expect(diff(batchInferenceJobSpec, olds, inputs).changes).toBe(false);
  });
});

describe("waiting for a job", () => {
  it("treats RUNNING as ready only with waitForCompletion: false", () => {
    expect(JOB_STATES.ready).toEqual(["JOB_STATE_RUNNING", "JOB_STATE_COMPLETED", "JOB_STATE_EARLY_STOPPED"]);
    expect(JOB_STATES.failed).toEqual(["JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED"]);
    const running = { state: "JOB_STATE_RUNNING" };
    expect(jobSettled(running, {})).toBe(false);
    expect(jobSettled(running, { waitForCompletion: true })).toBe(false);
    expect(jobSettled(running, { waitForCompletion: false })).toBe(true);
    expect(jobSettled({ state: "JOB_STATE_COMPLETED" }, {})).toBe(true);
  });

  it("shows the state and progress, and explains a failure", () => {
    expect(jobProgress({ state: "JOB_STATE_RUNNING", jobProgress: { percent: 50, epoch: 1 } })).toBe("JOB_STATE_RUNNING, 50%, epoch 1");
    expect(jobProgress({ state: "JOB_STATE_CREATING" })).toBe("JOB_STATE_CREATING");
    expect(jobStatusMessage({ state: "JOB_STATE_FAILED", status: { code: "INTERNAL", message: "out of memory" } })).toBe("INTERNAL: out of memory");
    expect(jobStatusMessage({ state: "JOB_STATE_COMPLETED" })).toBeUndefined();
  });

  it("uses a day as the default create timeout for training and cancels before delete only where the API can", () => {
    for (const spec of [sftJobSpec, dpoJobSpec, rftJobSpec]) {
      expect(spec.defaultTimeouts.create).toBe(24 * 3600);
      expect(spec.api.update).toEqual({ kind: "none" });
      expect(spec.hooks?.beforeDelete).toBeTypeOf("function");
    }
    expect(batchInferenceJobSpec.hooks?.beforeDelete).toBeUndefined();
  });

  it("outputs the produced model at top level for every training kind", () => {
    const config = { baseUrl: "http://127.0.0.1:1", accountId: "acme", apiKey: "k" };
    expect(sftJobSpec.derivedOutputs?.({ outputModel: "accounts/acme/models/m1" }, config)).toEqual({ outputModel: "accounts/acme/models/m1" });
    expect(dpoJobSpec.derivedOutputs?.({ trainingConfig: { outputModel: "accounts/acme/models/m2" } }, config)).toEqual({ outputModel: "accounts/acme/models/m2" });
    expect(rftJobSpec.derivedOutputs?.({ trainingConfig: { outputModel: "accounts/acme/models/m3" } }, config)).toEqual({ outputModel: "accounts/acme/models/m3" });
    expect(batchInferenceJobSpec.derivedOutputs?.({ outputDatasetId: "accounts/acme/datasets/o" }, config)).toEqual({ outputDataset: "accounts/acme/datasets/o" });
  });
});
