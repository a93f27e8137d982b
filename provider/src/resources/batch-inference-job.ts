/**
 * BatchInferenceJob (reference §17): runs a model over an input dataset into an output dataset, under
 * `accounts/{a}/batchInferenceJobs`, ID in `?batchInferenceJobId=`. The API has no PATCH and no public `:cancel`:
 * DELETE itself stops a running job, so there is no cancel step before the delete. The output dataset defaults to
 * one named after the job; its name is output as `outputDataset`. Destroying the job never deletes that dataset.
 */
import { z } from "zod";
import { PRECISIONS } from "../enums";
import type { CheckFailure, FieldTable, ResourceSpec } from "../spec";
import type { Props } from "../values";
import {
  DATASET_NAME, datasetRef, extraBodyFailures, jobField, jobSpec, jobTimeoutsSchema, messageField, modelRef, providerOnly,
  requiredRef,
} from "./jobs";
import { show } from "../validation";

const HOURS_6 = 6 * 3600;
const count = () => z.number().int({ error: "must be a whole number" });

export function batchInferenceJobSchema() {
  return z.strictObject({
    batchInferenceJobId: z.string().optional(),
    displayName: z.string().max(63, { error: "must be fewer than 64 characters" }).optional(),
    model: modelRef().optional(),
    inputDatasetId: datasetRef().optional(),
    // Checked in crossCheck, so its message can say that it must be new and in this account.
    outputDatasetId: z.string().optional(),
    inferenceParameters: z
      .strictObject({
        maxTokens: count().optional(),
        temperature: z.number().optional(),
        topP: z.number().optional(),
        n: count().optional(),
        extraBody: z.string().optional(),
        topK: count().optional(),
      })
      .optional(),
    precision: z.enum(PRECISIONS).optional(),
    continuedFromJobName: z.string().optional(),
    waitForCompletion: z.boolean().optional(),
    timeouts: jobTimeoutsSchema().optional(),
  });
}

/** The inputs as the provider sees them; the SDK's BatchInferenceJobArgs is checked against this at compile time. */
export type BatchInferenceJobInputs = z.input<ReturnType<typeof batchInferenceJobSchema>>;

/** Taken from the continued job when `continuedFromJobName` is set, so compared only when declared. */
const fromServer = { kind: "replace", absent: "server" } as const;

export const batchInferenceJobFields = {
  batchInferenceJobId: providerOnly,
  displayName: jobField(""),
  model: fromServer,
  inputDatasetId: fromServer,
  // "<job id>-output" when not declared.
  outputDatasetId: fromServer,
  inferenceParameters: messageField,
  // "If PRECISION_UNSPECIFIED, a default will be chosen based on the model."
  precision: fromServer,
  continuedFromJobName: jobField(""),
  waitForCompletion: providerOnly,
  timeouts: providerOnly,
} satisfies FieldTable<BatchInferenceJobInputs>;

function crossCheck(inputs: Props, raw: Props): CheckFailure[] {
  const failures: CheckFailure[] = [];
  // "This is required, except when continued_from_job_name is specified." (§17)
  if (raw.continuedFromJobName === undefined) {
    failures.push(...requiredRef(raw, "model", 'set it to the model to run, e.g. "accounts/fireworks/models/llama-v3p1-8b-instruct" or a fine-tuning job\'s outputModel'));
    failures.push(...requiredRef(raw, "inputDatasetId", 'set it to the input dataset\'s name, e.g. dataset.name ("accounts/{account}/datasets/{dataset}")'));
  }
  const output = inputs.outputDatasetId;
  if (typeof output === "string" && !DATASET_NAME.test(output)) {
    failures.push({ property: "outputDatasetId", reason: `${show(output)} is not a dataset name; write it as "accounts/{account}/datasets/{new-dataset}" (a dataset that does not exist yet), or omit it` });
  }
  if (typeof output === "string" && output === inputs.inputDatasetId) {
    failures.push({ property: "outputDatasetId", reason: `${show(output)} is the input dataset too; the results need a new dataset: choose another name or omit it` });
  }
  failures.push(...extraBodyFailures(inputs.inferenceParameters, "inferenceParameters"));
  return failures;
}

export const batchInferenceJobSpec: ResourceSpec = jobSpec({
  kind: "BatchInferenceJob",
  collection: "batchInferenceJobs",
  idInput: "batchInferenceJobId",
  fields: batchInferenceJobFields,
  schema: batchInferenceJobSchema,
  crossCheck,
  // No `:cancel` over public REST: DELETE stops a running batch job (§17, §19).
  cancel: false,
  createTimeout: HOURS_6,
  derivedOutputs: (resource) => ({ outputDataset: typeof resource.outputDatasetId === "string" && resource.outputDatasetId !== "" ? resource.outputDatasetId : undefined }),
});
