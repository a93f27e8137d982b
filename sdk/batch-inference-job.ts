import type * as pulumi from "@pulumi/pulumi";
import type { BatchInferenceJobInputs } from "../provider/src/resources/batch-inference-job";
import type { CommonJobArgs, JobProgress, JobStatus, SameKeys } from "./job-types";
import { BATCH_INFERENCE_JOB } from "./kinds";
import { FireworksResource } from "./resource";
import type { Precision } from "./types";

/** Sampling settings of a batch run. */
export interface BatchInferenceParameters {
  maxTokens?: pulumi.Input<number>;
  temperature?: pulumi.Input<number>;
  topP?: pulumi.Input<number>;
  /** Completions per row. */
  n?: pulumi.Input<number>;
  /** A JSON object in a string, e.g. '{"stop": ["\\n"]}'. */
  extraBody?: pulumi.Input<string>;
  topK?: pulumi.Input<number>;
}

/** Arguments of a {@link BatchInferenceJob}. Names follow the Fireworks API. Any change replaces the job. */
export interface BatchInferenceJobArgs extends CommonJobArgs {
  /** The job ID (`accounts/{account}/batchInferenceJobs/{id}`). Omit it to have one derived. */
  batchInferenceJobId?: pulumi.Input<string>;
  /** The model to run, e.g. a fine-tuning job's `outputModel`. Required unless `continuedFromJobName` is set. */
  model?: pulumi.Input<string>;
  /** The input dataset's name ("accounts/{account}/datasets/{dataset}"). Required unless `continuedFromJobName` is set. */
  inputDatasetId?: pulumi.Input<string>;
  /**
   * The name of a new dataset, in this account, for the results (and the error file). Omitted: "<job id>-output".
   * It must not exist yet, so a declared name fails a replacement until the old output is deleted.
   */
  outputDatasetId?: pulumi.Input<string>;
  /** Sampling settings. */
  inferenceParameters?: pulumi.Input<BatchInferenceParameters>;
  /** Omitted: chosen from the model. */
  precision?: pulumi.Input<Precision>;
  /** A batch job to continue; its model and input dataset are the defaults. */
  continuedFromJobName?: pulumi.Input<string>;
}

/**
 * A batch inference job: runs a model over a dataset into a new dataset. `up` waits until it has COMPLETED and fails
 * with its status message if it FAILED. The API has no cancel for batch jobs: destroying a running one deletes it,
 * which stops it. Destroying the job never deletes its output dataset.
 *
 * ```ts
 * const batch = new fireworks.BatchInferenceJob("eval", { model: sft.outputModel, inputDatasetId: prompts.name });
 * // batch.outputDataset: "accounts/<account>/datasets/<id>-output"
 * ```
 */
export class BatchInferenceJob extends FireworksResource {
  static readonly __pulumiType = "fireworks:index:BatchInferenceJob";

  /** Full resource name, `accounts/{account}/batchInferenceJobs/{id}`. */
  declare readonly name: pulumi.Output<string>;
  declare readonly batchInferenceJobId: pulumi.Output<string>;
  /** The output dataset's full name, where the results land. */
  declare readonly outputDataset: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  declare readonly status: pulumi.Output<JobStatus | undefined>;
  declare readonly jobProgress: pulumi.Output<JobProgress | undefined>;
  declare readonly createTime: pulumi.Output<string>;
  declare readonly updateTime: pulumi.Output<string>;

  constructor(name: string, args: BatchInferenceJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(BATCH_INFERENCE_JOB, name, args, opts);
  }
}

const argsMatchSchema: SameKeys<BatchInferenceJobArgs, BatchInferenceJobInputs> = true;
void argsMatchSchema;
