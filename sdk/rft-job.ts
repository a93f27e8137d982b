import type * as pulumi from "@pulumi/pulumi";
import type { RftJobInputs } from "../provider/src/resources/rft-job";
import type { JobProgress, JobStatus, LossConfig, SameKeys, TrainingConfig, TrainingJobArgs } from "./job-types";
import { REINFORCEMENT_FINE_TUNING_JOB } from "./kinds";
import { FireworksResource } from "./resource";

/** Policy-gradient losses an RFT job takes; preference losses belong to a DpoJob. */
export type RftLossMethod = "METHOD_UNSPECIFIED" | "GRPO" | "DAPO" | "GSPO_TOKEN";

/** Sampling settings of the rollouts. */
export interface RftInferenceParameters {
  maxOutputTokens?: pulumi.Input<number>;
  temperature?: pulumi.Input<number>;
  topP?: pulumi.Input<number>;
  /** Responses sampled per prompt. */
  responseCandidatesCount?: pulumi.Input<number>;
  /** A JSON object in a string, e.g. '{"stop": ["\\n"]}'. */
  extraBody?: pulumi.Input<string>;
  topK?: pulumi.Input<number>;
}

/** Arguments of a {@link ReinforcementFineTuningJob}. Names follow the Fireworks API. Any change replaces the job. */
export interface ReinforcementFineTuningJobArgs extends TrainingJobArgs {
  /** The job ID (`accounts/{account}/reinforcementFineTuningJobs/{id}`). Omit it to have one derived. */
  reinforcementFineTuningJobId?: pulumi.Input<string>;
  /** The RL dataset's name ("accounts/{account}/datasets/{dataset}"). Required. */
  dataset: pulumi.Input<string>;
  /** A separate evaluation dataset's name. */
  evaluationDataset?: pulumi.Input<string>;
  /** Carve an evaluation split out of the training dataset automatically. */
  evalAutoCarveout?: pulumi.Input<boolean>;
  /** The evaluator that scores rollouts: "accounts/{account}/evaluators/{evaluator}". Required. */
  evaluator: pulumi.Input<string>;
  /** The training settings; exactly one of `baseModel` or `warmStartFrom`. Required. */
  trainingConfig: pulumi.Input<TrainingConfig>;
  /** The loss: GRPO, DAPO or GSPO_TOKEN. */
  lossConfig?: pulumi.Input<LossConfig<RftLossMethod>>;
  /** Sampling settings of the rollouts. */
  inferenceParameters?: pulumi.Input<RftInferenceParameters>;
  /** Rollout chunk size: 1 to 10,000 (default 200, used when the dataset has more than 300 rows). */
  chunkSize?: pulumi.Input<number>;
  maxInferenceReplicaCount?: pulumi.Input<number>;
  /** Training nodes; default 1. */
  nodeCount?: pulumi.Input<number>;
  maxConcurrentRollouts?: pulumi.Input<number>;
  maxConcurrentEvaluations?: pulumi.Input<number>;
  /** An MCP server the rollouts may call. */
  mcpServer?: pulumi.Input<string>;
}

/**
 * A reinforcement fine-tuning job: trains against an evaluator's scores. `up` waits until it has COMPLETED and fails
 * with its status message if it FAILED or was CANCELLED. Destroying it cancels a running job first; it never deletes
 * the model it produced.
 *
 * ```ts
 * const rft = new fireworks.ReinforcementFineTuningJob("rft", {
 *   dataset: rl.name,
 *   evaluator: "accounts/my-account/evaluators/exact-match",
 *   trainingConfig: { baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct" },
 * });
 * ```
 */
export class ReinforcementFineTuningJob extends FireworksResource {
  static readonly __pulumiType = "fireworks:index:ReinforcementFineTuningJob";

  /** Full resource name, `accounts/{account}/reinforcementFineTuningJobs/{id}`. */
  declare readonly name: pulumi.Output<string>;
  declare readonly reinforcementFineTuningJobId: pulumi.Output<string>;
  /** The produced model's full name (`trainingConfig.outputModel` as the platform bound it). */
  declare readonly outputModel: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  declare readonly status: pulumi.Output<JobStatus | undefined>;
  declare readonly jobProgress: pulumi.Output<JobProgress | undefined>;
  declare readonly createTime: pulumi.Output<string>;
  declare readonly completedTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: ReinforcementFineTuningJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(REINFORCEMENT_FINE_TUNING_JOB, name, args, opts);
  }
}

const argsMatchSchema: SameKeys<ReinforcementFineTuningJobArgs, RftJobInputs> = true;
void argsMatchSchema;
