/**
 * ReinforcementFineTuningJob (reference §16): RL fine-tuning against an evaluator, under
 * `accounts/{a}/reinforcementFineTuningJobs`, ID in `?reinforcementFineTuningJobId=`. `dataset` and `evaluator` (an
 * evaluator resource name) are required; training settings are nested in `trainingConfig` like DPO's, and the
 * produced model (`trainingConfig.outputModel`) is output at top level as `outputModel`. The 4.259.0-only PATCH has
 * undocumented semantics, so the job is treated as immutable like the others. Destroying the job never deletes the
 * model it produced.
 */
import { z } from "zod";
import type { CheckFailure, FieldTable, ResourceSpec } from "../spec";
import { show } from "../validation";
import { isPlainObject, type Props } from "../values";
import {
  datasetRef, DAY, EVALUATOR_NAME, extraBodyFailures, jobField, jobSpec, lossConfigSchema, messageField, outputModelOf, providerOnly, requiredRef, trainingConfigField, trainingConfigSchema, trainingFailures, trainingJobCommonFields, trainingJobCommonSchema,
} from "./jobs";

/** Policy-gradient losses; preference losses (DPO, ORPO) belong to a DpoJob. */
export const RFT_LOSS_METHODS = ["METHOD_UNSPECIFIED", "GRPO", "DAPO", "GSPO_TOKEN"] as const;
/** chunkSize: "Valid range is 1-10,000." (§16; 0 = the default, 200) */
const MAX_CHUNK_SIZE = 10_000;

const count = () => z.number().int({ error: "must be a whole number" });

export function rftJobSchema() {
  return z.strictObject({
    reinforcementFineTuningJobId: z.string().optional(),
    displayName: z.string().max(63, { error: "must be fewer than 64 characters" }).optional(),
    dataset: datasetRef().optional(),
    evaluationDataset: datasetRef().optional(),
    evalAutoCarveout: z.boolean().optional(),
    // Checked in crossCheck, so its message can say where an evaluator name comes from.
    evaluator: z.string().optional(),
    trainingConfig: trainingConfigSchema().optional(),
    lossConfig: lossConfigSchema(RFT_LOSS_METHODS).optional(),
    inferenceParameters: z
      .strictObject({
        maxOutputTokens: count().optional(),
        temperature: z.number().optional(),
        topP: z.number().optional(),
        responseCandidatesCount: count().optional(),
        extraBody: z.string().optional(),
        topK: count().optional(),
      })
      .optional(),
    chunkSize: count().optional(),
    maxInferenceReplicaCount: count().optional(),
    nodeCount: count().optional(),
    maxConcurrentRollouts: count().optional(),
    maxConcurrentEvaluations: count().optional(),
    mcpServer: z.string().optional(),
    ...trainingJobCommonSchema(),
  });
}

/** The inputs as the provider sees them; the SDK's ReinforcementFineTuningJobArgs is checked against this at compile time. */
export type RftJobInputs = z.input<ReturnType<typeof rftJobSchema>>;

const str = jobField("");
const num = jobField(0);

export const rftJobFields = {
  reinforcementFineTuningJobId: providerOnly,
  displayName: str,
  dataset: { ...str, required: 'set it to the RL dataset\'s name, e.g. dataset.name ("accounts/{account}/datasets/{dataset}")' },
  evaluationDataset: str,
  evalAutoCarveout: jobField(false),
  evaluator: str,
  trainingConfig: trainingConfigField,
  lossConfig: messageField,
  inferenceParameters: messageField,
  chunkSize: num,
  maxInferenceReplicaCount: num,
  nodeCount: num,
  maxConcurrentRollouts: num,
  maxConcurrentEvaluations: num,
  mcpServer: str,
  ...trainingJobCommonFields,
} satisfies FieldTable<RftJobInputs>;

function crossCheck(inputs: Props, raw: Props): CheckFailure[] {
  const failures: CheckFailure[] = [];
  // "The evaluator resource name to use for RLOR fine-tuning job." REQUIRED (§16).
  failures.push(...requiredRef(raw, "evaluator", 'set it to the evaluator that scores rollouts, a resource name "accounts/{account}/evaluators/{evaluator}"'));
  const evaluator = inputs.evaluator;
  if (typeof evaluator === "string" && !EVALUATOR_NAME.test(evaluator)) {
    failures.push({ property: "evaluator", reason: `${show(evaluator)} is not an evaluator resource name; write it as "accounts/{account}/evaluators/{evaluator}"` });
  }
  if (raw.trainingConfig !== undefined) {
    const cfg = isPlainObject(inputs.trainingConfig) ? inputs.trainingConfig : {};
    failures.push(...trainingFailures(cfg, isPlainObject(raw.trainingConfig) ? raw.trainingConfig : {}, "trainingConfig"));
  }
  const chunk = inputs.chunkSize;
  if (typeof chunk === "number" && (chunk < 0 || chunk > MAX_CHUNK_SIZE)) {
    failures.push({ property: "chunkSize", reason: `${show(chunk)} is out of range: chunkSize must be between 1 and ${MAX_CHUNK_SIZE} (0 or omitted: the platform's default, 200)` });
  }
  for (const key of ["maxInferenceReplicaCount", "nodeCount", "maxConcurrentRollouts", "maxConcurrentEvaluations"]) {
    const v = inputs[key];
    if (typeof v === "number" && v < 0) failures.push({ property: key, reason: `${show(v)} is negative: ${key} must be 0 (the platform's default) or more` });
  }
  failures.push(...extraBodyFailures(inputs.inferenceParameters, "inferenceParameters"));
  return failures;
}

export const rftJobSpec: ResourceSpec = jobSpec({
  kind: "ReinforcementFineTuningJob",
  collection: "reinforcementFineTuningJobs",
  idInput: "reinforcementFineTuningJobId",
  fields: rftJobFields,
  schema: rftJobSchema,
  crossCheck,
  cancel: true,
  createTimeout: DAY,
  derivedOutputs: (resource) => outputModelOf(resource.trainingConfig),
});
