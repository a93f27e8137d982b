import type { EmulatorContext } from "../core/context";
import { invalidArgument } from "../core/errors";
import { JOB_STATE_FIELDS, JobCollection } from "../core/jobs";
import { getNumber, getObject, getString, type JsonObject } from "../core/json";
import { t, type MessageSchema } from "../core/schema";
import {
  trainingConfigOutputHooks,
  AWS_S3_CONFIG_SCHEMA,
  AZURE_BLOB_STORAGE_CONFIG_SCHEMA,
  checkDataset,
  checkStorageConfigs,
  checkTraining,
  LOSS_CONFIG_SCHEMA,
  outputModelName,
  PURPOSES,
  TRAINING_CONFIG_SCHEMA,
  WANDB_CONFIG_SCHEMA,
} from "../core/training";

// DpoJobs (reference §15): `?dpoJobId` + body `{dataset, displayName, trainingConfig, wandbConfig, lossConfig,
// awsS3Config, azureBlobStorageConfig, purpose}`; no PATCH; `:cancel` (4.259.0) and `:resume`. Completion produces
// `trainingConfig.outputModel` (a full model name, set at create: the given ID or the job ID), READY.

export const DPO_JOB_SCHEMA: MessageSchema = {
  name: "gateway.DpoJob",
  fields: {
    name: { type: t.string, output: true },
    displayName: { type: t.string },
    createTime: { type: t.timestamp, output: true },
    completedTime: { type: t.timestamp, output: true },
    dataset: { type: t.string },
    ...JOB_STATE_FIELDS,
    createdBy: { type: t.string, output: true },
    trainingConfig: { type: t.message(TRAINING_CONFIG_SCHEMA) },
    wandbConfig: { type: t.message(WANDB_CONFIG_SCHEMA) },
    trainerLogsSignedUrl: { type: t.string, output: true },
    lossConfig: { type: t.message(LOSS_CONFIG_SCHEMA) },
    awsS3Config: { type: t.message(AWS_S3_CONFIG_SCHEMA) },
    azureBlobStorageConfig: { type: t.message(AZURE_BLOB_STORAGE_CONFIG_SCHEMA) },
    purpose: { type: t.enumOf(PURPOSES) },
  },
};

const PREFIX = "dpo_job";
/** The DPO job doc: "defaults to DPO loss. Set method to ORPO for ORPO training." Policy-gradient losses are refused. */
const DPO_METHODS: readonly string[] = ["METHOD_UNSPECIFIED", "DPO", "ORPO"];

export function dpoJobs(ctx: EmulatorContext): JobCollection {
  return new JobCollection(ctx, {
    collectionId: "dpoJobs",
    singular: "dpoJob",
    schema: DPO_JOB_SCHEMA,
    idParam: "dpoJobId",
    idQuery: "dpoJobId",
    defaultOrder: "name",
    cancel: true,
    resume: true,
    deleteUnfinished: "refuse",
    prepare: (draft: JsonObject, call) => {
      const dataset = getString(draft, "dataset");
      if (dataset === "") throw invalidArgument(`validation error: ${PREFIX}.dataset: value is required`);
      checkDataset(ctx, dataset, `${PREFIX}.dataset`);
      const cfg = getObject(draft, "trainingConfig") ?? {};
      draft["trainingConfig"] = cfg;
      checkTraining(ctx, cfg, `${PREFIX}.training_config`);
      const loss = getObject(draft, "lossConfig");
      if (loss) {
        const method = getString(loss, "method") || "METHOD_UNSPECIFIED";
        if (!DPO_METHODS.includes(method)) throw invalidArgument(`validation error: ${PREFIX}.loss_config.method: ${method} is not a preference loss; use DPO or ORPO`);
        const dpo = getObject(loss, "dpo");
        const beta = dpo ? getNumber(dpo, "beta") : 0;
        // dpo.beta: "(>0,<0.5)" (§3.8); 0 reads as unset.
        if (beta < 0 || beta >= 0.5) throw invalidArgument(`validation error: ${PREFIX}.loss_config.dpo.beta: value must be greater than 0 and less than 0.5 (got ${beta})`);
      }
      checkStorageConfigs(ctx, draft, PREFIX);
      if (call.id !== undefined || getString(cfg, "outputModel") !== "") {
        cfg["outputModel"] = outputModelName(ctx, getString(cfg, "outputModel"), call.id ?? "", `${PREFIX}.training_config.output_model`).name;
      }
    },
    ...trainingConfigOutputHooks(ctx, PREFIX),
  });
}
