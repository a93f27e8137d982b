/**
 * SupervisedFineTuningJob (reference §14): a flat job body under `accounts/{a}/supervisedFineTuningJobs`, with the
 * ID in `?supervisedFineTuningJobId=`. Everything job-shaped (states, no update, cancel before delete, the training
 * rules) is in jobs.ts; this file lists the SFT settings. The produced LoRA is `outputModel` (a full model name,
 * the job ID when not declared); destroying the job never deletes it.
 */
import { z } from "zod";
import type { CheckFailure, FieldTable, ResourceSpec } from "../spec";
import type { Props } from "../values";
import {
  datasetRef, DAY, jobField, jobSpec, outputModelOf, providerOnly, serverNamed, trainingFailures, trainingJobCommonFields, trainingJobCommonSchema, trainingSettings,
} from "./jobs";

export function sftJobSchema() {
  return z.strictObject({
    supervisedFineTuningJobId: z.string().optional(),
    displayName: z.string().max(63, { error: "must be fewer than 64 characters" }).optional(),
    dataset: datasetRef().optional(),
    evaluationDataset: datasetRef().optional(),
    evalAutoCarveout: z.boolean().optional(),
    ...trainingSettings(),
    earlyStop: z.boolean().optional(),
    isTurbo: z.boolean().optional(),
    ...trainingJobCommonSchema(),
  });
}

/** The inputs as the provider sees them; the SDK's SupervisedFineTuningJobArgs is checked against this at compile time. */
export type SftJobInputs = z.input<ReturnType<typeof sftJobSchema>>;

const str = jobField("");
const num = jobField(0);
const bool = jobField(false);

export const sftJobFields = {
  supervisedFineTuningJobId: providerOnly,
  displayName: str,
  dataset: { ...str, required: 'set it to the training dataset\'s name, e.g. dataset.name ("accounts/{account}/datasets/{dataset}")' },
  evaluationDataset: str,
  evalAutoCarveout: bool,
  baseModel: str,
  warmStartFrom: str,
  outputModel: serverNamed,
  jinjaTemplate: str,
  epochs: num,
  learningRate: num,
  learningRateWarmupSteps: num,
  gradientAccumulationSteps: num,
  maxContextLength: num,
  loraRank: num,
  batchSize: num,
  batchSizeSamples: num,
  optimizerWeightDecay: num,
  region: str,
  earlyStop: bool,
  isTurbo: bool,
  ...trainingJobCommonFields,
} satisfies FieldTable<SftJobInputs>;

function crossCheck(inputs: Props, raw: Props): CheckFailure[] {
  return trainingFailures(inputs, raw, "");
}

export const sftJobSpec: ResourceSpec = jobSpec({
  kind: "SupervisedFineTuningJob",
  collection: "supervisedFineTuningJobs",
  idInput: "supervisedFineTuningJobId",
  fields: sftJobFields,
  schema: sftJobSchema,
  crossCheck,
  cancel: true,
  createTimeout: DAY,
  derivedOutputs: (resource) => outputModelOf(resource),
});
