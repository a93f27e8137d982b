import type { EmulatorContext } from "./context";
import { REGIONS } from "./enums";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "./errors";
import { idProblem } from "./ids";
import { getNumber, getObject, getString, isObject, type JsonObject } from "./json";
import { t, type MessageSchema } from "./schema";
import type { Entry } from "./store";

// What the job kinds share: the messages several of them embed (reference §3.8) and the checks of the resources a
// job names (dataset, base model, evaluator, secrets). It lives in core because a collection module may import only
// its own files (test/emulator/layout.test.ts); it finds other collections only through the registry, by ID.

export const WANDB_CONFIG_SCHEMA: MessageSchema = {
  name: "gateway.WandbConfig",
  fields: {
    enabled: { type: t.bool },
    // A credential: stored, never returned (stricter than echoing it; README).
    apiKey: { type: t.string, inputOnly: true },
    project: { type: t.string },
    entity: { type: t.string },
    runId: { type: t.string },
    url: { type: t.string, output: true },
  },
};

export const AWS_S3_CONFIG_SCHEMA: MessageSchema = {
  name: "gateway.AwsS3Config",
  fields: { credentialsSecret: { type: t.string }, iamRoleArn: { type: t.string } },
};

export const AZURE_BLOB_STORAGE_CONFIG_SCHEMA: MessageSchema = {
  name: "gateway.AzureBlobStorageConfig",
  fields: { credentialsSecret: { type: t.string }, managedIdentityClientId: { type: t.string }, tenantId: { type: t.string } },
};

const SHARDING_SCHEMA: MessageSchema = {
  name: "gateway.TrainerShardingScheme",
  fields: Object.fromEntries(["tensorParallelism", "pipelineParallelism", "contextParallelism", "expertParallelism", "sequenceParallelism"].map((k) => [k, { type: t.int32 }])),
};

/** §3.8 TrainingConfig (DPO, RFT): the SDK shape plus the 4.259.0 additions. */
export const TRAINING_CONFIG_SCHEMA: MessageSchema = {
  name: "gateway.BaseTrainingConfig",
  fields: {
    outputModel: { type: t.string },
    baseModel: { type: t.string },
    warmStartFrom: { type: t.string },
    jinjaTemplate: { type: t.string },
    learningRate: { type: t.float },
    maxContextLength: { type: t.int32 },
    loraRank: { type: t.int32 },
    epochs: { type: t.int32 },
    batchSize: { type: t.int32 },
    gradientAccumulationSteps: { type: t.int32 },
    learningRateWarmupSteps: { type: t.int32 },
    batchSizeSamples: { type: t.int32 },
    optimizerWeightDecay: { type: t.float },
    region: { type: t.enumOf(REGIONS) },
    trainerShardingScheme: { type: t.message(SHARDING_SCHEMA) },
    loraAlpha: { type: t.int32 },
    loraDropout: { type: t.float },
    loraTargetModules: { type: t.repeated(t.string) },
  },
};

export const LOSS_METHODS = ["METHOD_UNSPECIFIED", "GRPO", "DAPO", "DPO", "ORPO", "GSPO_TOKEN"] as const;

export const LOSS_CONFIG_SCHEMA: MessageSchema = {
  name: "gateway.ReinforcementLearningLossConfig",
  fields: {
    method: { type: t.enumOf(LOSS_METHODS) },
    klBeta: { type: t.float },
    dpo: {
      type: t.message({
        name: "gateway.DpoLossConfig",
        fields: { beta: { type: t.float }, refCacheConcurrency: { type: t.int32 }, refCacheBatchSize: { type: t.int32 } },
      }),
    },
    orpo: { type: t.message({ name: "gateway.OrpoLossConfig", fields: { lambda: { type: t.float } } }) },
  },
};

export const PURPOSES = ["PURPOSE_UNSPECIFIED", "PURPOSE_PILOT"] as const;

const ADDON_KINDS: readonly string[] = ["HF_PEFT_ADDON", "HF_TEFT_ADDON"];
/** The modules a produced LoRA targets when the job does not say (the usual attention + MLP projections). */
export const DEFAULT_TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];
/** LoRA rank when a job leaves `loraRank` at 0. */
export const DEFAULT_LORA_RANK = 8;

/** `learning_rate` in [0, 0.1]: the bound as a float32 (protovalidate compares 0.10000000149011612). */
const MAX_LEARNING_RATE = 0.10000000149011612;

function violation(field: string, text: string): never {
  throw invalidArgument(`validation error: ${field}: ${text}`);
}

function checkRange(obj: JsonObject, key: string, field: string, min: number, max?: number): void {
  const v = getNumber(obj, key);
  if (v < min) violation(field, `value must be greater than or equal to ${min} (got ${v})`);
  if (max !== undefined && v > max) violation(field, `value must be less than or equal to ${max} (got ${v})`);
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The training settings shared by SFT (top level) and DPO/RFT (`trainingConfig`): `prefix` names them in messages. */
export function checkTraining(ctx: EmulatorContext, cfg: JsonObject, prefix: string): void {
  const f = (key: string): string => `${prefix}.${snake(key)}`;
  const base = getString(cfg, "baseModel");
  const warm = getString(cfg, "warmStartFrom");
  // [PROTO] CEL: "(this.base_model != '') != (this.warm_start_from != '')".
  if ((base !== "") === (warm !== "")) violation(prefix, "exactly one of base_model or warm_start_from must be specified");
  // [PROTO] buf.validate limits of the 0.19.20 protos.
  checkRange(cfg, "epochs", f("epochs"), 0, 100);
  checkRange(cfg, "learningRate", f("learningRate"), 0, MAX_LEARNING_RATE);
  checkRange(cfg, "loraRank", f("loraRank"), 0, 32);
  // A produced LoRA must be a valid addon ("r ... Must be between 4 and 64"): ranks 1-3 are refused here (README).
  const rank = getNumber(cfg, "loraRank");
  if (rank > 0 && rank < 4) violation(f("loraRank"), `value must be 0 (default) or between 4 and 32 (got ${rank})`);
  for (const key of ["maxContextLength", "batchSize", "batchSizeSamples", "gradientAccumulationSteps", "learningRateWarmupSteps", "loraAlpha"]) checkRange(cfg, key, f(key), 0);
  checkRange(cfg, "optimizerWeightDecay", f("optimizerWeightDecay"), 0);
  // A dropout probability lies in [0, 1).
  const dropout = getNumber(cfg, "loraDropout");
  if (dropout < 0 || dropout >= 1) violation(f("loraDropout"), `value must be in [0, 1) (got ${dropout})`);
  // [PROTO] CEL "batch_size must be greater than or equal to max_context_length", applied when batch_size is set
  // (with 0 = server default the literal rule would refuse every job that sets only max_context_length; README).
  const batch = getNumber(cfg, "batchSize");
  if (batch > 0 && batch < getNumber(cfg, "maxContextLength")) violation(prefix, "batch_size must be greater than or equal to max_context_length");

  if (base !== "") checkBaseModel(ctx, base, f("baseModel"));
  else trainingBase(ctx, cfg, prefix);
}

/**
 * The base model a job's output LoRA belongs to: its base model, or the warm-start addon's base (looked up again
 * when the job completes, so an addon deleted meanwhile fails the job).
 */
export function trainingBase(ctx: EmulatorContext, cfg: JsonObject, prefix: string): string {
  const base = getString(cfg, "baseModel");
  if (base !== "") return base;
  const warm = getString(cfg, "warmStartFrom");
  const field = `${prefix}.warm_start_from`;
  const addon = findModel(ctx, warm, field);
  // "The PEFT addon model in Fireworks format to be fine-tuned from."
  if (!ADDON_KINDS.includes(getString(addon.resource, "kind"))) violation(field, `"${warm}" is not a PEFT addon`);
  const peft = getObject(addon.resource, "peftDetails");
  return peft ? getString(peft, "baseModel") : "";
}

const PUBLIC_MODEL = /^accounts\/fireworks\/models\/([^/]+)$/;
const MODEL_NAME = /^accounts\/([^/]+)\/models\/([^/]+)$/;

/** A model to serve or train from: a public `accounts/fireworks/models/*`, or a READY model of the models collection. */
export function checkModel(ctx: EmulatorContext, name: string, field: string): Entry | undefined {
  const pub = PUBLIC_MODEL.exec(name);
  if (pub) {
    const problem = idProblem(pub[1] ?? "");
    if (problem) violation(field, `invalid model name "${name}": ${problem}`);
    return undefined;
  }
  return findModel(ctx, name, field);
}

/** A base model to train on: as `checkModel`, and not an addon. */
export function checkBaseModel(ctx: EmulatorContext, name: string, field: string): void {
  const entry = checkModel(ctx, name, field);
  if (entry && ADDON_KINDS.includes(getString(entry.resource, "kind"))) violation(field, `"${name}" is an addon, not a base model (an addon is continued with warm_start_from)`);
}

function findModel(ctx: EmulatorContext, name: string, field: string): Entry {
  if (!MODEL_NAME.test(name)) violation(field, `"${name}" is not a model name (accounts/{account}/models/{model})`);
  const entry = ctx.registry.find("models", name);
  if (!entry) throw notFound(`${field}: model "${name}" not found`);
  if (getString(entry.resource, "state") !== "READY") throw failedPrecondition(`${field}: model "${name}" is not READY`);
  return entry;
}

const DATASET_NAME = /^accounts\/([^/]+)\/datasets\/([^/]+)$/;

/**
 * A dataset a job reads: READY in the registered "datasets" collection, or seeded through
 * `PUT /_emulator/seeded-datasets/{id}` (which is how tests name datasets while no datasets collection exists).
 */
export function checkDataset(ctx: EmulatorContext, name: string, field: string): void {
  if (!DATASET_NAME.test(name)) violation(field, `"${name}" is not a dataset name (accounts/{account}/datasets/{dataset})`);
  if (ctx.registry.find("seededDatasets", name)) return;
  const entry = ctx.registry.find("datasets", name);
  if (!entry) throw notFound(`${field}: dataset "${name}" not found`);
  const state = getString(entry.resource, "state");
  if (state !== "" && state !== "READY") throw failedPrecondition(`${field}: dataset "${name}" is ${state}, not READY`);
}

/** A dataset a job will write: a name in this account that is not taken yet (stricter; README). */
export function checkOutputDataset(ctx: EmulatorContext, name: string, field: string): void {
  const m = DATASET_NAME.exec(name);
  if (!m || m[1] !== ctx.accountId) violation(field, `"${name}" must be a dataset name in this account (accounts/${ctx.accountId}/datasets/{dataset})`);
  const problem = idProblem(m[2] ?? "");
  if (problem) violation(field, `invalid dataset id in "${name}": ${problem}`);
  if (ctx.registry.find("datasets", name) || ctx.registry.find("seededDatasets", name)) throw alreadyExists(`${field}: dataset "${name}" already exists`);
}

const EVALUATOR_NAME = /^accounts\/([^/]+)\/evaluators\/([^/]+)$/;

/** An RFT evaluator: seeded through `PUT /_emulator/evaluators/{id}` (the Evaluator API is out of scope). */
export function checkEvaluator(ctx: EmulatorContext, name: string, field: string): void {
  if (name === "") violation(field, "value is required");
  if (!EVALUATOR_NAME.test(name)) violation(field, `"${name}" is not an evaluator resource name (accounts/{account}/evaluators/{evaluator})`);
  if (!ctx.registry.find("evaluators", name)) throw notFound(`${field}: evaluator "${name}" not found`);
}

/** Storage credentials name secrets of this account, which must exist. */
export function checkStorageConfigs(ctx: EmulatorContext, job: JsonObject, prefix: string): void {
  for (const key of ["awsS3Config", "azureBlobStorageConfig"]) {
    const cfg = job[key];
    if (!isObject(cfg)) continue;
    const secret = getString(cfg, "credentialsSecret");
    if (secret !== "" && !ctx.registry.find("secrets", secret)) throw notFound(`${prefix}.${snake(key)}.credentials_secret: secret "${secret}" not found`);
  }
}

/**
 * The output model of a training job: `given` is "The model ID to be assigned" (a bare ID, or a full name in this
 * account); absent, the job ID. Returns its full name; a taken name is a 409.
 */
export function outputModelName(ctx: EmulatorContext, given: string, jobId: string, field: string): { id: string; name: string } {
  const prefix = `accounts/${ctx.accountId}/models/`;
  const id = given === "" ? jobId : given.startsWith(prefix) ? given.slice(prefix.length) : given;
  const problem = idProblem(id);
  if (problem) violation(field, `invalid model id "${given}": ${problem}`);
  const name = prefix + id;
  if (ctx.registry.find("models", name)) throw alreadyExists(`${field}: model "${name}" already exists`);
  return { id, name };
}

/** Creates a job's output LoRA, READY, in the models collection. */
export function produceAddon(ctx: EmulatorContext, job: Entry, output: string, base: string, rank: number, targetModules: readonly string[]): void {
  const prefix = `accounts/${ctx.accountId}/models/`;
  const model: JsonObject = {
    kind: "HF_PEFT_ADDON",
    peftDetails: { baseModel: base, r: rank > 0 ? rank : DEFAULT_LORA_RANK, targetModules: [...(targetModules.length > 0 ? targetModules : DEFAULT_TARGET_MODULES)] },
    fineTuningJob: job.name,
  };
  const displayName = getString(job.resource, "displayName");
  if (displayName !== "") model["displayName"] = [...displayName].slice(0, 63).join("");
  ctx.registry.perform("models", "createProduced", { modelId: output.slice(prefix.length), model });
}

/**
 * The output-model hooks of the jobs that nest their settings in `trainingConfig` (DPO, RFT): the model is named at
 * create ("If not specified, the job ID will be used.") and produced, as a LoRA addon, when the job completes.
 */
export function trainingConfigOutputHooks(ctx: EmulatorContext, prefix: string): { created(entry: Entry): void; complete(entry: Entry): void } {
  return {
    created: (entry) => {
      const cfg = getObject(entry.resource, "trainingConfig");
      if (cfg && getString(cfg, "outputModel") === "") cfg["outputModel"] = `accounts/${ctx.accountId}/models/${entry.id}`;
    },
    complete: (entry) => {
      const cfg = getObject(entry.resource, "trainingConfig") ?? {};
      const modules = cfg["loraTargetModules"];
      const targets = Array.isArray(modules) ? modules.filter((m): m is string => typeof m === "string") : [];
      produceAddon(ctx, entry, getString(cfg, "outputModel"), trainingBase(ctx, cfg, `${prefix}.training_config`), getNumber(cfg, "loraRank"), targets);
    },
  };
}
