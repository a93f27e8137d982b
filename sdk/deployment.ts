import * as pulumi from "@pulumi/pulumi";
import type { DeploymentInputs } from "../provider/src/resources/deployment";
import { DEPLOYMENT } from "./kinds";
import { FireworksResource } from "./resource";
import type { AcceleratorType, DirectRouteType, HotLoadBucketType, MultiRegion, Precision, Region } from "./types";

/** Autoscaling behaviour (reference: Fireworks AutoscalingPolicy). Durations accept "30s", "10m", "1h". */
export interface AutoscalingPolicy {
  /** How long load must stay high before scaling up. Default "30s"; at most "1h". */
  scaleUpWindow?: pulumi.Input<string>;
  /** How long load must stay low before scaling down. Default "10m"; at most "1h". */
  scaleDownWindow?: pulumi.Input<string>;
  /** Idle time before scaling to zero when minReplicaCount is 0. Default "1h"; "0s" or between "5m" and "1h". */
  scaleToZeroWindow?: pulumi.Input<string>;
  /** Target load per replica by metric; the API documents the "default" key (a 0-1 fraction). Default { default: 0.8 }. */
  loadTargets?: pulumi.Input<Record<string, pulumi.Input<number>>>;
}

/** Where replicas may run. Set exactly one field. Immutable: a change replaces the deployment. Default: GLOBAL. */
export interface Placement {
  /** A single region, e.g. "US_IOWA_1". */
  region?: pulumi.Input<Region>;
  /** A multi-region: "GLOBAL", "US", "EUROPE" or "APAC". */
  multiRegion?: pulumi.Input<MultiRegion>;
  /** A list of allowed regions. */
  regions?: pulumi.Input<pulumi.Input<Region>[]>;
}

/** How long the provider waits for each operation. Durations like "30m", "1h". */
export interface Timeouts {
  /** Until the deployment is READY after create. Default "30m". */
  create?: pulumi.Input<string>;
  /** Until the deployment is READY again after an update. Default "30m". */
  update?: pulumi.Input<string>;
  /** Until the deployment is gone after delete. Default "10m". */
  delete?: pulumi.Input<string>;
}

/** Arguments of a {@link Deployment}. Names follow the Fireworks API (camelCase). */
export interface DeploymentArgs {
  /**
   * The deployment ID (the last segment of `accounts/{account}/deployments/{id}`): 1-63 characters of a-z, 0-9 and
   * "-", starting with a letter. Omit it to have one derived from the resource name; derived IDs let a replacement
   * come up before the old deployment goes (create-before-delete). A change replaces the deployment.
   */
  deploymentId?: pulumi.Input<string>;
  /** The model to serve, e.g. "accounts/fireworks/models/llama-v3p1-8b-instruct". Required. A change replaces the deployment. */
  baseModel: pulumi.Input<string>;
  /** Human-readable name; fewer than 64 characters. */
  displayName?: pulumi.Input<string>;
  /** Free text; fewer than 1000 characters. */
  description?: pulumi.Input<string>;
  /** Minimum replicas. Default 0 (scale to zero when idle). */
  minReplicaCount?: pulumi.Input<number>;
  /** Maximum replicas (0-1000). Default max(minReplicaCount, 1); 0 scales the deployment down to nothing. */
  maxReplicaCount?: pulumi.Input<number>;
  /** Maximum replicas including revocable capacity; the revocable part is this minus maxReplicaCount. */
  maxWithRevocableReplicaCount?: pulumi.Input<number>;
  /** Autoscaling windows and load targets. */
  autoscalingPolicy?: pulumi.Input<AutoscalingPolicy>;
  /** GPU type per replica, e.g. "NVIDIA_H100_80GB". Default: chosen by the platform. */
  acceleratorType?: pulumi.Input<AcceleratorType>;
  /** GPUs per replica. Default: the estimated minimum the base model needs. */
  acceleratorCount?: pulumi.Input<number>;
  /** Serving precision, e.g. "FP8". Default: chosen by the platform for the model. */
  precision?: pulumi.Input<Precision>;
  /** Allow LoRA (PEFT) addons to be loaded onto this deployment. Default false. */
  enableAddons?: pulumi.Input<boolean>;
  /** Speculative decoding: tokens drafted per step. Default: the base model's setting. */
  draftTokenCount?: pulumi.Input<number>;
  /** Draft model for speculative decoding, e.g. "accounts/fireworks/models/my-draft"; "" disables it. Default: the base model's. */
  draftModel?: pulumi.Input<string>;
  /** N-gram speculation length. Default 0 (off). */
  ngramSpeculationLength?: pulumi.Input<number>;
  /** Sticky routing by the request's `user` field (enterprise). Default false. */
  enableSessionAffinity?: pulumi.Input<boolean>;
  /** API keys accepted on the direct route (enterprise). Stored as a secret. */
  directRouteApiKeys?: pulumi.Input<pulumi.Input<string>[]>;
  /** Direct route kind (enterprise): "INTERNET", "GCP_PRIVATE_SERVICE_CONNECT" or "AWS_PRIVATELINK". */
  directRouteType?: pulumi.Input<DirectRouteType>;
  /** Deployment template name (enterprise). */
  deploymentTemplate?: pulumi.Input<string>;
  /** Auto-tuning preset; `longPrompt: true` optimises for long prompts. */
  autoTune?: pulumi.Input<{ longPrompt?: pulumi.Input<boolean> }>;
  /** Where replicas may run. A change replaces the deployment. Default { multiRegion: "GLOBAL" }. */
  placement?: pulumi.Input<Placement>;
  /** Maximum context length; 0 or absent means the model's default. */
  maxContextLength?: pulumi.Input<number>;
  /** Skip the platform's deployment size validation. Default false. */
  disableDeploymentSizeValidation?: pulumi.Input<boolean>;
  /** Enable multi-token prediction. Default false. */
  enableMtp?: pulumi.Input<boolean>;
  /** Use hot load for this deployment. Default false. */
  enableHotLoad?: pulumi.Input<boolean>;
  /** Hot-load bucket kind: "MINIO", "S3", "NEBIUS" or "FW_HOSTED". */
  hotLoadBucketType?: pulumi.Input<HotLoadBucketType>;
  /** Hot-load bucket URL, e.g. "s3://bucket/path". */
  hotLoadBucketUrl?: pulumi.Input<string>;
  /** Trainer job that feeds hot loads. */
  hotLoadTrainerJob?: pulumi.Input<string>;
  /** Load at most one addon at a time and merge it into the base model. Default false. */
  enableHotReloadLatestAddon?: pulumi.Input<boolean>;
  /** Deployment shape, e.g. "accounts/fireworks/deploymentShapes/fast". The platform binds a version; that is not a diff. */
  deploymentShape?: pulumi.Input<string>;
  /** Pricing plan for custom billing. */
  pricingPlanId?: pulumi.Input<string>;
  /** Key/value annotations for external tools. The key "pulumi-fireworks/owner" is reserved. */
  annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** @deprecated The API no longer deletes a deployment at this time (RFC 3339 timestamp). */
  expireTime?: pulumi.Input<string>;
  /** Create-time option: do not auto-deploy an undeployed base model to this deployment. */
  disableAutoDeploy?: pulumi.Input<boolean>;
  /** Create-time option: disable the base model's speculative decoding settings. */
  disableSpeculativeDecoding?: pulumi.Input<boolean>;
  /** Skip validation of the deployment shape on create and update. */
  skipShapeValidation?: pulumi.Input<boolean>;
  /** Create-time option: skip image-tag policy validation. */
  skipImageTagValidation?: pulumi.Input<boolean>;
  /** Delete for good (default true). With false, delete is a soft delete: the ID stays taken until the platform purges it. */
  hardDelete?: pulumi.Input<boolean>;
  /** Delete even if the deployment is in use (recent traffic). Default false. */
  ignoreChecks?: pulumi.Input<boolean>;
  /** How long to wait for create, update and delete. */
  timeouts?: pulumi.Input<Timeouts>;
}

/** The platform's explanation of the last operation (Fireworks `Status`). */
export interface Status {
  code?: string;
  message?: string;
}

export interface ReplicaStats {
  pendingSchedulingReplicaCount?: number;
  downloadingModelReplicaCount?: number;
  initializingReplicaCount?: number;
  readyReplicaCount?: number;
}

/**
 * A Fireworks on-demand deployment: dedicated GPUs serving a model. `pulumi up` waits until it is READY with the
 * declared hardware, precision, replicas and autoscaling; a create that fails or times out is still recorded in
 * state, so nothing is orphaned.
 *
 * ```ts
 * const llama = new fireworks.Deployment("llama", {
 *   baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct",
 *   acceleratorType: "NVIDIA_H100_80GB",
 *   precision: "FP8",
 *   minReplicaCount: 0,
 *   maxReplicaCount: 2,
 *   autoscalingPolicy: { scaleToZeroWindow: "15m" },
 * });
 * export const model = llama.inferenceModel;
 * ```
 */
export class Deployment extends FireworksResource {
  static readonly __pulumiType = "fireworks:index:Deployment";

  /** Full resource name, `accounts/{account}/deployments/{id}`. */
  declare readonly name: pulumi.Output<string>;
  /** The deployment ID (given or derived). */
  declare readonly deploymentId: pulumi.Output<string>;
  /** The string to send as `model` to the inference API: `<baseModel>#<name>`. */
  declare readonly inferenceModel: pulumi.Output<string>;
  /** CREATING, READY, UPDATING, FAILED, DELETING or DELETED. */
  declare readonly state: pulumi.Output<string>;
  declare readonly status: pulumi.Output<Status | undefined>;
  /** Replicas currently running. */
  declare readonly replicaCount: pulumi.Output<number>;
  /** Replicas the platform is scaling towards. */
  declare readonly desiredReplicaCount: pulumi.Output<number | undefined>;
  declare readonly replicaStats: pulumi.Output<ReplicaStats | undefined>;
  declare readonly createTime: pulumi.Output<string>;
  declare readonly updateTime: pulumi.Output<string | undefined>;
  /** The region the deployment is running in, within its placement. */
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly cluster: pulumi.Output<string | undefined>;
  declare readonly directRouteHandle: pulumi.Output<string | undefined>;
  declare readonly numPeftDeviceCached: pulumi.Output<number | undefined>;
  declare readonly activeModelVersion: pulumi.Output<string | undefined>;
  declare readonly targetModelVersion: pulumi.Output<string | undefined>;
  declare readonly baseModel: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string | undefined>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly minReplicaCount: pulumi.Output<number>;
  declare readonly maxReplicaCount: pulumi.Output<number>;
  declare readonly autoscalingPolicy: pulumi.Output<{ scaleUpWindow?: string; scaleDownWindow?: string; scaleToZeroWindow?: string; loadTargets?: Record<string, number> }>;
  declare readonly acceleratorType: pulumi.Output<string | undefined>;
  declare readonly acceleratorCount: pulumi.Output<number | undefined>;
  declare readonly precision: pulumi.Output<string | undefined>;
  declare readonly placement: pulumi.Output<{ region?: string; multiRegion?: string; regions?: string[] } | undefined>;
  declare readonly deploymentShape: pulumi.Output<string | undefined>;
  declare readonly annotations: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: DeploymentArgs, opts?: pulumi.CustomResourceOptions) {
    super(DEPLOYMENT, name, args, opts);
  }
}

// Compile-time guard: the SDK arguments and the provider's schema name exactly the same properties.
type Missing<A, B> = Exclude<keyof A, keyof B>;
type SameKeys<A, B> = [Missing<A, B>, Missing<B, A>] extends [never, never] ? true : { onlyInFirst: Missing<A, B>; onlyInSecond: Missing<B, A> };
const argsMatchSchema: SameKeys<DeploymentArgs, DeploymentInputs> = true;
void argsMatchSchema;
