import type { EmulatorContext } from "../core/context";
import { invalidArgument } from "../core/errors";
import { JOB_PROGRESS_SCHEMA, JOB_STATE_FIELDS, JobCollection } from "../core/jobs";
import { getNumber, getObject, getString, isObject, type Json, type JsonObject } from "../core/json";
import { t, type MessageSchema } from "../core/schema";
import {
  trainingConfigOutputHooks,
  AWS_S3_CONFIG_SCHEMA,
  AZURE_BLOB_STORAGE_CONFIG_SCHEMA,
  checkDataset,
  checkEvaluator,
  checkStorageConfigs,
  checkTraining,
  LOSS_CONFIG_SCHEMA,
  outputModelName,
  PURPOSES,
  TRAINING_CONFIG_SCHEMA,
  WANDB_CONFIG_SCHEMA,
} from "../core/training";

// ReinforcementFineTuningJobs (reference §16): `?reinforcementFineTuningJobId` + body with `dataset` and `evaluator`
// required; `:cancel` and `:resume`. The 4.259.0-only PATCH and `:debug` / `:getMetricsFileEndpoint` are not served.
// Evaluators are seeded through `PUT /_emulator/evaluators/{id}`. Completion produces `trainingConfig.outputModel`.

const INFERENCE_PARAMETERS_SCHEMA: MessageSchema = {
  name: "gateway.RftInferenceParameters",
  fields: {
    maxOutputTokens: { type: t.int32 },
    temperature: { type: t.float },
    topP: { type: t.float },
    responseCandidatesCount: { type: t.int32 },
    extraBody: { type: t.string },
    topK: { type: t.int32 },
  },
};

export const RFT_JOB_SCHEMA: MessageSchema = {
  name: "gateway.ReinforcementFineTuningJob",
  fields: {
    name: { type: t.string, output: true },
    displayName: { type: t.string },
    createTime: { type: t.timestamp, output: true },
    completedTime: { type: t.timestamp, output: true },
    dataset: { type: t.string },
    evaluationDataset: { type: t.string },
    evalAutoCarveout: { type: t.bool },
    ...JOB_STATE_FIELDS,
    createdBy: { type: t.string, output: true },
    trainingConfig: { type: t.message(TRAINING_CONFIG_SCHEMA) },
    evaluator: { type: t.string },
    wandbConfig: { type: t.message(WANDB_CONFIG_SCHEMA) },
    awsS3Config: { type: t.message(AWS_S3_CONFIG_SCHEMA) },
    azureBlobStorageConfig: { type: t.message(AZURE_BLOB_STORAGE_CONFIG_SCHEMA) },
    outputStats: { type: t.string, output: true },
    outputMetrics: { type: t.string, output: true },
    jobProgress: { type: t.message(JOB_PROGRESS_SCHEMA), output: true },
    inferenceParameters: { type: t.message(INFERENCE_PARAMETERS_SCHEMA) },
    chunkSize: { type: t.int32 },
    maxInferenceReplicaCount: { type: t.int32 },
    nodeCount: { type: t.int32 },
    lossConfig: { type: t.message(LOSS_CONFIG_SCHEMA) },
    trainerLogsSignedUrl: { type: t.string, output: true },
    acceleratorSeconds: { type: t.map(t.int64), output: true },
    maxConcurrentRollouts: { type: t.int32 },
    maxConcurrentEvaluations: { type: t.int32 },
    mcpServer: { type: t.string },
    purpose: { type: t.enumOf(PURPOSES) },
  },
};

const PREFIX = "reinforcement_fine_tuning_job";
/** Preference losses belong to DPO jobs; an RFT job takes the policy-gradient ones (stricter; README). */
const RFT_METHODS: readonly string[] = ["METHOD_UNSPECIFIED", "GRPO", "DAPO", "GSPO_TOKEN"];

/** `extraBody` is a JSON object in a string (e.g. "{\"stop\": [\"\\n\"]}"); anything else is refused. */
function checkExtraBody(text: string, field: string): void {
  if (text === "") return;
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    throw invalidArgument(`validation error: ${field}: must be a JSON object`);
  }
  if (!isObject(parsed)) throw invalidArgument(`validation error: ${field}: must be a JSON object`);
}

export function rftJobs(ctx: EmulatorContext): JobCollection {
  return new JobCollection(ctx, {
    collectionId: "reinforcementFineTuningJobs",
    singular: "reinforcementFineTuningJob",
    schema: RFT_JOB_SCHEMA,
    idParam: "reinforcementFineTuningJobId",
    idQuery: "reinforcementFineTuningJobId",
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
      // "The evaluator resource name to use for RLOR fine-tuning job." REQUIRED.
      checkEvaluator(ctx, getString(draft, "evaluator"), `${PREFIX}.evaluator`);
      const cfg = getObject(draft, "trainingConfig") ?? {};
      draft["trainingConfig"] = cfg;
      checkTraining(ctx, cfg, `${PREFIX}.training_config`);
      const loss = getObject(draft, "lossConfig");
      const method = loss ? getString(loss, "method") || "METHOD_UNSPECIFIED" : "METHOD_UNSPECIFIED";
      if (!RFT_METHODS.includes(method)) throw invalidArgument(`validation error: ${PREFIX}.loss_config.method: ${method} is a preference loss; use a DPO job`);
      // "default size 200, enabled when dataset > 300. Valid range is 1-10,000." (0 = unset)
      const chunk = getNumber(draft, "chunkSize");
      if (chunk < 0 || chunk > 10000) throw invalidArgument(`validation error: ${PREFIX}.chunk_size: valid range is 1-10,000 (got ${chunk})`);
      for (const key of ["nodeCount", "maxInferenceReplicaCount", "maxConcurrentRollouts", "maxConcurrentEvaluations"]) {
        if (getNumber(draft, key) < 0) throw invalidArgument(`validation error: ${PREFIX}.${key}: value must be greater than or equal to 0`);
      }
      const params = getObject(draft, "inferenceParameters");
      if (params) checkExtraBody(getString(params, "extraBody"), `${PREFIX}.inference_parameters.extra_body`);
      checkStorageConfigs(ctx, draft, PREFIX);
      if (call.id !== undefined || getString(cfg, "outputModel") !== "") {
        cfg["outputModel"] = outputModelName(ctx, getString(cfg, "outputModel"), call.id ?? "", `${PREFIX}.training_config.output_model`).name;
      }
    },
    ...trainingConfigOutputHooks(ctx, PREFIX),
  });
}
