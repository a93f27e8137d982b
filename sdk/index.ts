/**
 * pulumi-fireworks: Fireworks AI control-plane resources for Pulumi.
 *
 * `import * as fireworks from "pulumi-fireworks"` then `new fireworks.Deployment("name", {...})`.
 */
export { Deployment } from "./deployment";
export type { AutoscalingPolicy, DeploymentArgs, Placement, ReplicaStats, Status, Timeouts } from "./deployment";
export { IdentityProvider } from "./identity-provider";
export type { IdentityProviderArgs, IdentityProviderStatus, IdentityProviderTimeouts, JitDefaultRole, OidcConfig, SamlConfig } from "./identity-provider";
export { User } from "./user";
export type { DestroyRole, UserArgs, UserRole, UserStatus } from "./user";
export { ApiKey } from "./api-key";
export type { ApiKeyArgs } from "./api-key";
export { Dataset } from "./dataset";
export type { DatasetArgs, DatasetFormat, DatasetTimeouts } from "./dataset";
export { DeployedModel } from "./deployed-model";
export type { DeployedModelArgs, DeployedModelStatus, DeployedModelTimeouts } from "./deployed-model";
export { SupervisedFineTuningJob } from "./sft-job";
export type { SupervisedFineTuningJobArgs } from "./sft-job";
export { DpoJob } from "./dpo-job";
export type { DpoJobArgs, DpoLossMethod } from "./dpo-job";
export { ReinforcementFineTuningJob } from "./rft-job";
export type { ReinforcementFineTuningJobArgs, RftInferenceParameters, RftLossMethod } from "./rft-job";
export { BatchInferenceJob } from "./batch-inference-job";
export type { BatchInferenceJobArgs, BatchInferenceParameters } from "./batch-inference-job";
export type { AwsS3Config, AzureBlobStorageConfig, CommonJobArgs, JobProgress, JobPurpose, JobStatus, JobTimeouts, LossConfig, TrainingConfig, TrainingSettings, WandbConfig } from "./job-types";
export { Provider } from "./provider";
export { Quota } from "./quota";
export type { QuotaArgs } from "./quota";
export { Secret } from "./secret";
export type { SecretArgs } from "./secret";
export type { ProviderArgs } from "./provider";
export type { AcceleratorType, DirectRouteType, HotLoadBucketType, MultiRegion, Precision, Region } from "./types";
