import type { EmulatorContext } from "../core/context";
import { PRECISIONS } from "../core/enums";
import { invalidArgument, notFound } from "../core/errors";
import { JOB_PROGRESS_SCHEMA, JOB_STATE_FIELDS, JobCollection } from "../core/jobs";
import { getString, isObject, type Json, type JsonObject } from "../core/json";
import { t, type MessageSchema } from "../core/schema";
import { checkDataset, checkModel, checkOutputDataset } from "../core/training";

// BatchInferenceJobs (reference §17): `?batchInferenceJobId` + body job; get, list (default order `created_time`),
// delete. No PATCH, `:cancel` or `:resume` over public REST, so DELETE is the only way to stop a running job and is
// allowed in any state (README). Completion reports the output dataset in `outputDatasetId` (set at create: the
// given name, or `<job id>-output`).
//
// OUTPUT DATASET SEAM: the emulator does not create the output dataset yet. When a datasets collection offers the
// registry action `datasets:createProduced` ({datasetId, dataset}), completion calls it.

const INFERENCE_PARAMETERS_SCHEMA: MessageSchema = {
  name: "gateway.BatchInferenceJob.InferenceParameters",
  fields: {
    maxTokens: { type: t.int32 },
    // show_if_zero ([PROTO]; reference §1.3): a temperature of 0 is shown.
    temperature: { type: t.float, showIfZero: true },
    topP: { type: t.float },
    n: { type: t.int32 },
    extraBody: { type: t.string },
    topK: { type: t.int32 },
  },
};

export const BATCH_INFERENCE_JOB_SCHEMA: MessageSchema = {
  name: "gateway.BatchInferenceJob",
  fields: {
    name: { type: t.string, output: true },
    displayName: { type: t.string },
    createTime: { type: t.timestamp, output: true },
    updateTime: { type: t.timestamp, output: true },
    createdBy: { type: t.string, output: true },
    ...JOB_STATE_FIELDS,
    model: { type: t.string },
    inputDatasetId: { type: t.string },
    outputDatasetId: { type: t.string },
    inferenceParameters: { type: t.message(INFERENCE_PARAMETERS_SCHEMA) },
    precision: { type: t.enumOf(PRECISIONS) },
    jobProgress: { type: t.message(JOB_PROGRESS_SCHEMA), output: true },
    continuedFromJobName: { type: t.string },
  },
};

const PREFIX = "batch_inference_job";
const MAX_ID = 63;

export function batchInferenceJobs(ctx: EmulatorContext): JobCollection {
  const outputFor = (jobId: string): string => `accounts/${ctx.accountId}/datasets/${jobId.slice(0, MAX_ID - "-output".length)}-output`;
  const jobs: JobCollection = new JobCollection(ctx, {
    collectionId: "batchInferenceJobs",
    singular: "batchInferenceJob",
    schema: BATCH_INFERENCE_JOB_SCHEMA,
    idParam: "batchInferenceJobId",
    idQuery: "batchInferenceJobId",
    defaultOrder: "created_time",
    cancel: false,
    resume: false,
    deleteUnfinished: "stop",
    prepare: (draft: JsonObject, call) => {
      // "This is required, except when continued_from_job_name is specified": then they default to that job's.
      const continued = getString(draft, "continuedFromJobName");
      if (continued !== "") {
        const previous = jobs.std.store.getByName(continued);
        if (!previous) throw notFound(`${PREFIX}.continued_from_job_name: batch inference job "${continued}" not found`);
        for (const key of ["model", "inputDatasetId"]) if (getString(draft, key) === "") draft[key] = getString(previous.resource, key);
      }
      const model = getString(draft, "model");
      if (model === "") throw invalidArgument(`validation error: ${PREFIX}.model: value is required`);
      checkModel(ctx, model, `${PREFIX}.model`);
      const input = getString(draft, "inputDatasetId");
      if (input === "") throw invalidArgument(`validation error: ${PREFIX}.input_dataset_id: value is required`);
      checkDataset(ctx, input, `${PREFIX}.input_dataset_id`);
      const output = getString(draft, "outputDatasetId") || (call.id !== undefined ? outputFor(call.id) : "");
      if (output !== "") {
        checkOutputDataset(ctx, output, `${PREFIX}.output_dataset_id`);
        if (output === input) throw invalidArgument(`validation error: ${PREFIX}.output_dataset_id: must differ from input_dataset_id`);
        draft["outputDatasetId"] = output;
      }
      const params = draft["inferenceParameters"];
      if (isObject(params)) {
        const extra = getString(params, "extraBody");
        if (extra !== "") {
          let parsed: Json;
          try {
            parsed = JSON.parse(extra) as Json;
          } catch {
            throw invalidArgument(`validation error: ${PREFIX}.inference_parameters.extra_body: must be a JSON object`);
          }
          if (!isObject(parsed)) throw invalidArgument(`validation error: ${PREFIX}.inference_parameters.extra_body: must be a JSON object`);
        }
      }
    },
    created: (entry) => {
      if (getString(entry.resource, "outputDatasetId") === "") entry.resource["outputDatasetId"] = outputFor(entry.id);
    },
    complete: (entry) => {
      const output = getString(entry.resource, "outputDatasetId");
      if (ctx.registry.offers("datasets", "createProduced")) {
        ctx.registry.perform("datasets", "createProduced", { datasetId: output.split("/").pop() ?? "", dataset: { sourceJobName: entry.name } });
      }
    },
  });
  return jobs;
}
