import type { EmulatorContext } from "../core/context";
import { REGIONS } from "../core/enums";
import { invalidArgument } from "../core/errors";
import { JOB_PROGRESS_SCHEMA, JOB_STATE_FIELDS, JobCollection } from "../core/jobs";
import { getNumber, getString, type JsonObject } from "../core/json";
import { t, type MessageSchema } from "../core/schema";
import {
  AWS_S3_CONFIG_SCHEMA,
  AZURE_BLOB_STORAGE_CONFIG_SCHEMA,
  checkDataset,
  checkStorageConfigs,
  checkTraining,
  outputModelName,
  produceAddon,
  PURPOSES,
  trainingBase,
  WANDB_CONFIG_SCHEMA,
} from "../core/training";

// SupervisedFineTuningJobs (reference §14): a flat job body with `?supervisedFineTuningJobId`; no PATCH; `:cancel`
// and `:resume`. Completion produces the LoRA `outputModel` (a full model name, set at create: the given ID or the
// job ID) in the models collection, READY, with `fineTuningJob` pointing back.

const MONEY_SCHEMA: MessageSchema = {
  name: "google.type.Money",
  fields: { currencyCode: { type: t.string }, units: { type: t.int64 }, nanos: { type: t.int32 } },
};

export const SFT_JOB_SCHEMA: MessageSchema = {
  name: "gateway.SupervisedFineTuningJob",
  fields: {
    name: { type: t.string, output: true },
    displayName: { type: t.string },
    createTime: { type: t.timestamp, output: true },
    updateTime: { type: t.timestamp, output: true },
    completedTime: { type: t.timestamp, output: true },
    dataset: { type: t.string },
    evaluationDataset: { type: t.string },
    evalAutoCarveout: { type: t.bool },
    baseModel: { type: t.string },
    warmStartFrom: { type: t.string },
    outputModel: { type: t.string },
    jinjaTemplate: { type: t.string },
    earlyStop: { type: t.bool },
    epochs: { type: t.int32 },
    learningRate: { type: t.float },
    learningRateWarmupSteps: { type: t.int32 },
    gradientAccumulationSteps: { type: t.int32 },
    maxContextLength: { type: t.int32 },
    loraRank: { type: t.int32 },
    batchSize: { type: t.int32 },
    batchSizeSamples: { type: t.int32 },
    optimizerWeightDecay: { type: t.float },
    isTurbo: { type: t.bool },
    nodes: { type: t.int32 },
    mtpEnabled: { type: t.bool },
    mtpNumDraftTokens: { type: t.int32 },
    mtpFreezeBaseModel: { type: t.bool },
    region: { type: t.enumOf(REGIONS) },
    wandbConfig: { type: t.message(WANDB_CONFIG_SCHEMA) },
    awsS3Config: { type: t.message(AWS_S3_CONFIG_SCHEMA) },
    azureBlobStorageConfig: { type: t.message(AZURE_BLOB_STORAGE_CONFIG_SCHEMA) },
    metricsFileSignedUrl: { type: t.string },
    usePurpose: { type: t.string },
    purpose: { type: t.enumOf(PURPOSES) },
    ...JOB_STATE_FIELDS,
    createdBy: { type: t.string, output: true },
    jobProgress: { type: t.message(JOB_PROGRESS_SCHEMA), output: true },
    estimatedCost: { type: t.message(MONEY_SCHEMA), output: true },
    trainerLogsSignedUrl: { type: t.string, output: true },
  },
};

const PREFIX = "supervised_fine_tuning_job";

export function sftJobs(ctx: EmulatorContext): JobCollection {
  return new JobCollection(ctx, {
    collectionId: "supervisedFineTuningJobs",
    singular: "supervisedFineTuningJob",
    schema: SFT_JOB_SCHEMA,
    idParam: "supervisedFineTuningJobId",
    idQuery: "supervisedFineTuningJobId",
    defaultOrder: "name",
    cancel: true,
    resume: true,
    deleteUnfinished: "refuse",
    prepare: (draft: JsonObject, call) => {
      const dataset = getString(draft, "dataset");
      if (dataset === "") throw invalidArgument(`validation error: ${PREFIX}.dataset: value is required`);
      checkDataset(ctx, dataset, `${PREFIX}.dataset`);
      const evalDataset = getString(draft, "evaluationDataset");
      if (evalDataset !== "") checkDataset(ctx, evalDataset, `${PREFIX}.evaluation_dataset`);
      // "usePurpose ... The only supported value currently is \"pilot\"".
      const usePurpose = getString(draft, "usePurpose");
      if (usePurpose !== "" && usePurpose !== "pilot") throw invalidArgument(`validation error: ${PREFIX}.use_purpose: the only supported value is "pilot"`);
      checkTraining(ctx, draft, PREFIX);
      checkStorageConfigs(ctx, draft, PREFIX);
      if (call.id !== undefined || getString(draft, "outputModel") !== "") {
        draft["outputModel"] = outputModelName(ctx, getString(draft, "outputModel"), call.id ?? "", `${PREFIX}.output_model`).name;
      }
    },
    created: (entry) => {
      // "If not specified, the job ID will be used." A clash with an existing model fails the job when it ends.
      if (getString(entry.resource, "outputModel") === "") entry.resource["outputModel"] = `accounts/${ctx.accountId}/models/${entry.id}`;
    },
    complete: (entry) => {
      const job = entry.resource;
      produceAddon(ctx, entry, getString(job, "outputModel"), trainingBase(ctx, job, PREFIX), getNumber(job, "loraRank"), []);
    },
  });
}
