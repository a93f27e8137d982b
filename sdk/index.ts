/**
 * pulumi-fireworks: Fireworks AI control-plane resources for Pulumi.
 *
 * `import * as fireworks from "pulumi-fireworks"` then `new fireworks.Deployment("name", {...})`.
 */
export { Deployment } from "./deployment";
export type { AutoscalingPolicy, DeploymentArgs, Placement, ReplicaStats, Status, Timeouts } from "./deployment";
export { Provider } from "./provider";
export type { ProviderArgs } from "./provider";
export type { AcceleratorType, DirectRouteType, HotLoadBucketType, MultiRegion, Precision, Region } from "./types";
