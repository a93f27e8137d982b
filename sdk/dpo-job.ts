import type * as pulumi from "@pulumi/pulumi";
import type { DpoJobInputs } from "../provider/src/resources/dpo-job";
import type { JobStatus, LossConfig, SameKeys, TrainingConfig, TrainingJobArgs } from "./job-types";
import { DPO_JOB } from "./kinds";
import { FireworksResource } from "./resource";

/** Preference losses a DPO job takes; omitted, DPO. */
export type DpoLossMethod = "METHOD_UNSPECIFIED" | "DPO" | "ORPO";

/** Arguments of a {@link DpoJob}. Names follow the Fireworks API. Any change replaces the job. */
export interface DpoJobArgs extends TrainingJobArgs {
  /** The job ID (`accounts/{account}/dpoJobs/{id}`). Omit it to have one derived from the resource name and the settings. */
  dpoJobId?: pulumi.Input<string>;
  /** The preference dataset's name ("accounts/{account}/datasets/{dataset}"). Required. */
  dataset: pulumi.Input<string>;
  /** The training settings; exactly one of `baseModel` or `warmStartFrom`. Required. */
  trainingConfig: pulumi.Input<TrainingConfig>;
  /** The loss: DPO (default) or ORPO; `dpo.beta` greater than 0 and less than 0.5. */
  lossConfig?: pulumi.Input<LossConfig<DpoLossMethod>>;
}

/**
 * A DPO (preference) fine-tuning job. `up` waits until it has COMPLETED and fails with its status message if it
 * FAILED or was CANCELLED. Destroying it cancels a running job first; it never deletes the model it produced.
 *
 * ```ts
 * const dpo = new fireworks.DpoJob("dpo", {
 *   dataset: prefs.name,
 *   trainingConfig: { baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct", loraRank: 8 },
 *   lossConfig: { method: "DPO", dpo: { beta: 0.1 } },
 * });
 * // dpo.outputModel: the produced model's full name.
 * ```
 */
export class DpoJob extends FireworksResource {
  static readonly __pulumiType = "fireworks:index:DpoJob";

  /** Full resource name, `accounts/{account}/dpoJobs/{id}`. */
  declare readonly name: pulumi.Output<string>;
  declare readonly dpoJobId: pulumi.Output<string>;
  /** The produced model's full name (`trainingConfig.outputModel` as the platform bound it). */
  declare readonly outputModel: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  declare readonly status: pulumi.Output<JobStatus | undefined>;
  declare readonly createTime: pulumi.Output<string>;
  declare readonly completedTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: DpoJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(DPO_JOB, name, args, opts);
  }
}

const argsMatchSchema: SameKeys<DpoJobArgs, DpoJobInputs> = true;
void argsMatchSchema;
