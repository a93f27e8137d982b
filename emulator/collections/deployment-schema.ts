import {
  ACCELERATOR_TYPES,
  DEPLOYMENT_STATES,
  DIRECT_ROUTE_TYPES,
  HOT_LOAD_BUCKET_TYPES,
  MULTI_REGIONS,
  PRECISIONS,
  REGIONS,
} from "../core/enums";
import { STATUS_SCHEMA, t, type MessageSchema } from "../core/schema";

// gateway.Deployment as the REST API carries it (reference §4.2, §4.3): the union of the fields in the 4.21.6 docs,
// the Stainless SDK and the 4.259.0 spec. Output-only per the SDK's readOnly set and [PROTO] OUTPUT_ONLY.
// Superuser-only proto fields (worldSize, imageTag, ...) are not public and are unknown fields here.

export { STATUS_SCHEMA };

export const AUTOSCALING_POLICY_SCHEMA: MessageSchema = {
  name: "gateway.AutoscalingPolicy",
  fields: {
    scaleUpWindow: { type: t.duration },
    scaleDownWindow: { type: t.duration },
    scaleToZeroWindow: { type: t.duration },
    loadTargets: { type: t.map(t.float) },
    // 4.259.0 lists it but its shape is unknown (§4.3); accepting an arbitrary object would let anything through.
    scalingSchedules: { type: t.string, rejectReason: "scalingSchedules is not supported: its shape is not documented" },
  },
};

export const PLACEMENT_SCHEMA: MessageSchema = {
  name: "gateway.Placement",
  fields: {
    region: { type: t.enumOf(REGIONS) },
    multiRegion: { type: t.enumOf(MULTI_REGIONS) },
    regions: { type: t.repeated(t.enumOf(REGIONS)) },
  },
};

export const AUTO_TUNE_SCHEMA: MessageSchema = {
  name: "gateway.AutoTune",
  fields: { longPrompt: { type: t.bool } },
};

export const REPLICA_STATS_SCHEMA: MessageSchema = {
  name: "gateway.ReplicaStats",
  fields: {
    pendingSchedulingReplicaCount: { type: t.int32, output: true },
    downloadingModelReplicaCount: { type: t.int32, output: true },
    initializingReplicaCount: { type: t.int32, output: true },
    readyReplicaCount: { type: t.int32, output: true },
    revocableReplicaCount: { type: t.int32, output: true },
    partialReplicaCount: { type: t.float, output: true },
  },
};

export const DEPLOYMENT_SCHEMA: MessageSchema = {
  name: "gateway.Deployment",
  fields: {
    name: { type: t.string, output: true },
    displayName: { type: t.string },
    description: { type: t.string },
    createTime: { type: t.timestamp, output: true },
    expireTime: { type: t.timestamp },
    purgeTime: { type: t.timestamp, output: true },
    deleteTime: { type: t.timestamp, output: true },
    state: { type: t.enumOf(DEPLOYMENT_STATES), output: true },
    status: { type: t.message(STATUS_SCHEMA), output: true },
    annotations: { type: t.map(t.string) },
    minReplicaCount: { type: t.int32, showIfZero: true },
    maxReplicaCount: { type: t.int32, showIfZero: true },
    maxWithRevocableReplicaCount: { type: t.int32 },
    desiredReplicaCount: { type: t.int32, output: true },
    replicaCount: { type: t.int32, output: true, showIfZero: true },
    autoscalingPolicy: { type: t.message(AUTOSCALING_POLICY_SCHEMA) },
    baseModel: { type: t.string },
    acceleratorCount: { type: t.int32 },
    acceleratorType: { type: t.enumOf(ACCELERATOR_TYPES) },
    precision: { type: t.enumOf(PRECISIONS) },
    cluster: { type: t.string, output: true },
    enableAddons: { type: t.bool, showIfZero: true },
    draftTokenCount: { type: t.int32 },
    draftModel: { type: t.string },
    ngramSpeculationLength: { type: t.int32 },
    enableSessionAffinity: { type: t.bool },
    directRouteApiKeys: { type: t.repeated(t.string) },
    numPeftDeviceCached: { type: t.int32, output: true },
    directRouteType: { type: t.enumOf(DIRECT_ROUTE_TYPES) },
    directRouteHandle: { type: t.string, output: true },
    deploymentTemplate: { type: t.string },
    autoTune: { type: t.message(AUTO_TUNE_SCHEMA) },
    placement: { type: t.message(PLACEMENT_SCHEMA) },
    region: { type: t.enumOf(REGIONS), output: true },
    maxContextLength: { type: t.int32 },
    updateTime: { type: t.timestamp, output: true },
    disableDeploymentSizeValidation: { type: t.bool },
    enableMtp: { type: t.bool },
    enableHotLoad: { type: t.bool },
    hotLoadBucketType: { type: t.enumOf(HOT_LOAD_BUCKET_TYPES) },
    hotLoadBucketUrl: { type: t.string },
    hotLoadTrainerJob: { type: t.string },
    enableHotReloadLatestAddon: { type: t.bool },
    deploymentShape: { type: t.string },
    activeModelVersion: { type: t.string },
    targetModelVersion: { type: t.string },
    replicaStats: { type: t.message(REPLICA_STATS_SCHEMA), output: true },
    pricingPlanId: { type: t.string },
  },
};
