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
export { Provider } from "./provider";
export { Quota } from "./quota";
export type { QuotaArgs } from "./quota";
export { Secret } from "./secret";
export type { SecretArgs } from "./secret";
export type { ProviderArgs } from "./provider";
export type { AcceleratorType, DirectRouteType, HotLoadBucketType, MultiRegion, Precision, Region } from "./types";
