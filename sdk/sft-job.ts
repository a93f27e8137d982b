import type * as pulumi from "@pulumi/pulumi";
import type { SftJobInputs } from "../provider/src/resources/sft-job";
import type { JobProgress, JobStatus, SameKeys, TrainingJobArgs, TrainingSettings } from "./job-types";
import { SUPERVISED_FINE_TUNING_JOB } from "./kinds";
import { FireworksResource } from "./resource";

/**
 * Arguments of a {@link SupervisedFineTuningJob}: the training settings at top level (see {@link TrainingSettings}),
 * plus the data. Names follow the Fireworks API. Any change replaces the job: a new job trains a new model.
 */
export interface SupervisedFineTuningJobArgs extends TrainingSettings, TrainingJobArgs {
  /**
   * The job ID (`accounts/{account}/supervisedFineTuningJobs/{id}`): 1-63 characters of a-z, 0-9 and "-", starting
   * with a letter. Omit it to have one derived from the resource name and the settings, so a replacement gets a new
   * ID (and, unless `outputModel` is declared, a new output model).
   */
  supervisedFineTuningJobId?: pulumi.Input<string>;
  /** The training dataset's name, e.g. `dataset.name` of a {@link Dataset} ("accounts/{account}/datasets/{dataset}"). Required. */
  dataset: pulumi.Input<string>;
  /** A separate evaluation dataset's name. */
  evaluationDataset?: pulumi.Input<string>;
  /** Carve an evaluation split out of the training dataset automatically. */
  evalAutoCarveout?: pulumi.Input<boolean>;
  /** Stop early when the evaluation loss stops improving. */
  earlyStop?: pulumi.Input<boolean>;
  /** Faster training on dedicated hardware. */
  isTurbo?: pulumi.Input<boolean>;
}

/**
 * A supervised fine-tuning job: trains a LoRA adapter on a dataset. `up` waits until it has COMPLETED (progress is
 * printed while it trains) and fails with the job's status message if it FAILED or was CANCELLED; the job then stays
 * in the stack. Destroying the job cancels it first if it is still running; it never deletes the model it produced.
 *
 * ```ts
 * const train = new fireworks.Dataset("train", { source: new pulumi.asset.FileAsset("data/train.jsonl"), format: "CHAT" });
 * const sft = new fireworks.SupervisedFineTuningJob("sft", {
 *   dataset: train.name,
 *   baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct",
 *   epochs: 2,
 *   loraRank: 16,
 * });
 * // sft.outputModel: "accounts/<account>/models/<id>", for a DeployedModel's `model`.
 * ```
 */
export class SupervisedFineTuningJob extends FireworksResource {
  static readonly __pulumiType = "fireworks:index:SupervisedFineTuningJob";

  /** Full resource name, `accounts/{account}/supervisedFineTuningJobs/{id}`. */
  declare readonly name: pulumi.Output<string>;
  declare readonly supervisedFineTuningJobId: pulumi.Output<string>;
  /** The produced LoRA's full name (`accounts/{account}/models/{id}`); the model exists once the job has COMPLETED. */
  declare readonly outputModel: pulumi.Output<string>;
  /** JOB_STATE_COMPLETED after a default create; JOB_STATE_RUNNING with `waitForCompletion: false`. */
  declare readonly state: pulumi.Output<string>;
  declare readonly status: pulumi.Output<JobStatus | undefined>;
  declare readonly jobProgress: pulumi.Output<JobProgress | undefined>;
  declare readonly createTime: pulumi.Output<string>;
  declare readonly completedTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: SupervisedFineTuningJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(SUPERVISED_FINE_TUNING_JOB, name, args, opts);
  }
}

const argsMatchSchema: SameKeys<SupervisedFineTuningJobArgs, SftJobInputs> = true;
void argsMatchSchema;
