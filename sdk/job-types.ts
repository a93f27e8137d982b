/**
 * Types the four job resources share (reference §3.2, §3.8): training settings, W&B and storage configs, timeouts,
 * and the outputs every job has. A job cannot be updated: any change to its arguments replaces it (a new job runs),
 * and destroying a job never deletes the model or dataset it produced.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Region } from "./types";

/** How long the provider waits (Go-style durations such as "30m" or "24h"). */
export interface JobTimeouts {
  /** Waiting for the job to finish (or to run, with `waitForCompletion: false`). Default "24h" for training, "6h" for batch inference. */
  create?: string;
  /** Unused: jobs are replaced, never updated. */
  update?: string;
  /** Cancelling a running job and deleting it. Default "1h". */
  delete?: string;
}

/** Arguments every training job (SFT, DPO, RFT) takes besides its training settings. */
export interface TrainingJobArgs extends CommonJobArgs {
  /** Weights & Biases reporting; its `apiKey` is write-only and stored as a secret. */
  wandbConfig?: pulumi.Input<WandbConfig>;
  /** Access to a dataset kept in S3. */
  awsS3Config?: pulumi.Input<AwsS3Config>;
  /** Access to a dataset kept in Azure Blob Storage. */
  azureBlobStorageConfig?: pulumi.Input<AzureBlobStorageConfig>;
  /** "PURPOSE_PILOT" runs the job on dedicated resources. */
  purpose?: pulumi.Input<JobPurpose>;
}

/** Arguments every job takes. */
export interface CommonJobArgs {
  /** Human-readable name, fewer than 64 characters. A change replaces the job. */
  displayName?: pulumi.Input<string>;
  /**
   * Provider setting, never sent: by default `up` waits until the job has COMPLETED (and fails with the job's status
   * message if it FAILED or was CANCELLED); `false` returns as soon as the job is RUNNING, and the outputs that only
   * a finished job has (the produced model exists) come later, with `pulumi refresh`. Changing it changes nothing on
   * the platform.
   */
  waitForCompletion?: pulumi.Input<boolean>;
  /** How long create (the wait for the job) and delete (cancel and delete) may take. */
  timeouts?: pulumi.Input<JobTimeouts>;
}

/** Weights & Biases reporting (§3.8). The whole config is stored as a secret in the stack. */
export interface WandbConfig {
  enabled?: pulumi.Input<boolean>;
  /** The W&B API key. Write-only: the platform never returns it, and the provider never outputs it. */
  apiKey?: pulumi.Input<string>;
  project?: pulumi.Input<string>;
  entity?: pulumi.Input<string>;
}

/** Access to a dataset in S3. */
export interface AwsS3Config {
  /** A Secret's name (`accounts/{account}/secrets/{secret}`) holding the credentials. */
  credentialsSecret?: pulumi.Input<string>;
  iamRoleArn?: pulumi.Input<string>;
}

/** Access to a dataset in Azure Blob Storage. */
export interface AzureBlobStorageConfig {
  /** A Secret's name holding a JSON value with connection_string, sas_token or account_key. */
  credentialsSecret?: pulumi.Input<string>;
  managedIdentityClientId?: pulumi.Input<string>;
  tenantId?: pulumi.Input<string>;
}

/** "PURPOSE_PILOT": use dedicated resources for the job. */
export type JobPurpose = "PURPOSE_UNSPECIFIED" | "PURPOSE_PILOT";

/**
 * The training settings of a fine-tuning job: SupervisedFineTuningJob takes them at top level, DpoJob and
 * ReinforcementFineTuningJob inside `trainingConfig`. Set exactly one of `baseModel` or `warmStartFrom`. Bounds are
 * checked at preview. Omitted numbers (or 0) let the platform choose.
 */
export interface TrainingSettings {
  /** The model to fine-tune, e.g. "accounts/fireworks/models/llama-v3p1-8b-instruct". Exclusive with `warmStartFrom`. */
  baseModel?: pulumi.Input<string>;
  /** A LoRA addon (`accounts/{account}/models/{model}`) to continue training from, e.g. an earlier job's `outputModel`. Exclusive with `baseModel`. */
  warmStartFrom?: pulumi.Input<string>;
  /**
   * The ID (or full name) of the model the job produces. Omitted: the job ID, which is derived afresh whenever the
   * job is replaced. A declared ID stays the same across replacements, and the platform refuses a model ID that is
   * taken, so a retrain under a declared ID fails until the old model is deleted: omit it or change it with the data.
   */
  outputModel?: pulumi.Input<string>;
  /** A Jinja chat template to render examples with. */
  jinjaTemplate?: pulumi.Input<string>;
  /** Passes over the dataset: 0 to 100. */
  epochs?: pulumi.Input<number>;
  /** 0 to 0.1. */
  learningRate?: pulumi.Input<number>;
  learningRateWarmupSteps?: pulumi.Input<number>;
  gradientAccumulationSteps?: pulumi.Input<number>;
  /** Maximum tokens per example. */
  maxContextLength?: pulumi.Input<number>;
  /** LoRA rank: 0 (the platform's default, 8) or 4 to 32. */
  loraRank?: pulumi.Input<number>;
  /** Tokens per packed batch; when set, at least `maxContextLength`. */
  batchSize?: pulumi.Input<number>;
  /** Samples per gradient batch. */
  batchSizeSamples?: pulumi.Input<number>;
  optimizerWeightDecay?: pulumi.Input<number>;
  /** Where the job runs. */
  region?: pulumi.Input<Region>;
}

/** `trainingConfig` of a DpoJob or ReinforcementFineTuningJob: the training settings plus the 4.259.0 additions. */
export interface TrainingConfig extends TrainingSettings {
  trainerShardingScheme?: pulumi.Input<{
    tensorParallelism?: pulumi.Input<number>;
    pipelineParallelism?: pulumi.Input<number>;
    contextParallelism?: pulumi.Input<number>;
    expertParallelism?: pulumi.Input<number>;
    sequenceParallelism?: pulumi.Input<number>;
  }>;
  loraAlpha?: pulumi.Input<number>;
  /** A probability in [0, 1). */
  loraDropout?: pulumi.Input<number>;
  /** Modules the LoRA adapts, e.g. ["q_proj", "v_proj"]. */
  loraTargetModules?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The loss of a preference or RL job (§3.8). */
export interface LossConfig<Method extends string> {
  method?: pulumi.Input<Method>;
  klBeta?: pulumi.Input<number>;
  /** `beta` greater than 0 and less than 0.5. */
  dpo?: pulumi.Input<{ beta?: pulumi.Input<number>; refCacheConcurrency?: pulumi.Input<number>; refCacheBatchSize?: pulumi.Input<number> }>;
  orpo?: pulumi.Input<{ lambda?: pulumi.Input<number> }>;
}

/** The platform's explanation of a job's state, e.g. why it FAILED. */
export interface JobStatus {
  code?: string;
  message?: string;
}

/** How far a job got (§3.8); fields the platform has not set are absent. */
export interface JobProgress {
  percent?: number;
  epoch?: number;
  totalInputRequests?: number;
  totalProcessedRequests?: number;
  successfullyProcessedRequests?: number;
  failedRequests?: number;
  outputRows?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/** Whether the SDK arguments and the provider's schema name exactly the same properties (a compile-time guard). */
type Missing<A, B> = Exclude<keyof A, keyof B>;
export type SameKeys<A, B> = [Missing<A, B>, Missing<B, A>] extends [never, never] ? true : { onlyInFirst: Missing<A, B>; onlyInSecond: Missing<B, A> };
