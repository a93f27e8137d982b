/**
 * DpoJob (reference §15): preference tuning under `accounts/{a}/dpoJobs`, ID in `?dpoJobId=`. Unlike SFT, the
 * training settings are nested in `trainingConfig` (§3.8), and so is the produced model
 * (`trainingConfig.outputModel`), which is also output at top level as `outputModel`. Destroying the job never
 * deletes that model.
 */
import { z } from "zod";
import type { CheckFailure, FieldTable, ResourceSpec } from "../spec";
import { show } from "../validation";
import { isPlainObject, type Props } from "../values";
import {
  datasetRef, DAY, jobField, jobSpec, lossConfigSchema, messageField, outputModelOf, providerOnly, trainingConfigField, trainingConfigSchema, trainingFailures, trainingJobCommonFields, trainingJobCommonSchema,
} from "./jobs";

/** "If not specified, defaults to DPO loss. Set method to ORPO for ORPO training." (§15) */
export const DPO_LOSS_METHODS = ["METHOD_UNSPECIFIED", "DPO", "ORPO"] as const;

export function dpoJobSchema() {
  return z.strictObject({
    dpoJobId: z.string().optional(),
    displayName: z.string().max(63, { error: "must be fewer than 64 characters" }).optional(),
    dataset: datasetRef().optional(),
    trainingConfig: trainingConfigSchema().optional(),
    lossConfig: lossConfigSchema(DPO_LOSS_METHODS).optional(),
    ...trainingJobCommonSchema(),
  });
}

/** The inputs as the provider sees them; the SDK's DpoJobArgs is checked against this at compile time. */
export type DpoJobInputs = z.input<ReturnType<typeof dpoJobSchema>>;

export const dpoJobFields = {
  dpoJobId: providerOnly,
  displayName: jobField(""),
  dataset: { ...jobField(""), required: 'set it to the preference dataset\'s name, e.g. dataset.name ("accounts/{account}/datasets/{dataset}")' },
  trainingConfig: trainingConfigField,
  lossConfig: messageField,
  ...trainingJobCommonFields,
} satisfies FieldTable<DpoJobInputs>;

function crossCheck(inputs: Props, raw: Props): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (raw.trainingConfig !== undefined) {
    const cfg = isPlainObject(inputs.trainingConfig) ? inputs.trainingConfig : {};
    failures.push(...trainingFailures(cfg, isPlainObject(raw.trainingConfig) ? raw.trainingConfig : {}, "trainingConfig"));
  }
  const loss = isPlainObject(inputs.lossConfig) ? inputs.lossConfig : {};
  const beta = isPlainObject(loss.dpo) ? loss.dpo.beta : undefined;
  // dpo.beta "(>0,<0.5)" (§3.8); 0 means unset.
  if (typeof beta === "number" && (beta < 0 || beta >= 0.5)) {
    failures.push({ property: "lossConfig.dpo.beta", reason: `${show(beta)} is out of range: beta must be greater than 0 and less than 0.5 (0 or omitted: the platform's default)` });
  }
  return failures;
}

export const dpoJobSpec: ResourceSpec = jobSpec({
  kind: "DpoJob",
  collection: "dpoJobs",
  idInput: "dpoJobId",
  fields: dpoJobFields,
  schema: dpoJobSchema,
  crossCheck,
  cancel: true,
  createTimeout: DAY,
  derivedOutputs: (resource) => outputModelOf(resource.trainingConfig),
});
