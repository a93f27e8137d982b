/**
 * Deployment: dedicated GPU serving of a model (reference §4). The spec: input schema, field policies, API binding,
 * state machine and timeouts. Everything generic lives in lifecycle.ts.
 */
import { z } from "zod";
import { formatApiDuration, formatHumanDuration, parseDuration } from "../durations";
import {
  ACCELERATOR_TYPES, DEPLOYMENT_STATES, DIRECT_ROUTE_TYPES, HOT_LOAD_BUCKET_TYPES, MULTI_REGIONS, PRECISIONS, REGIONS,
} from "../enums";
import type { CheckFailure, FieldSpec, FieldTable, ResourceSpec } from "../spec";
import { capacityChange, capacityOfNew, GPU_CAPACITY, gpuFootprint } from "./capacity";
import { isPlainObject, type Props } from "../values";
import { show } from "../validation";

/** Annotation the provider stamps on what it creates, so a re-run after a killed `up` can adopt it safely. */
export const OWNER_ANNOTATION = "pulumi-fireworks/owner";

const HOUR = 3600;
/** A platform refusing annotations themselves (superuser-only in the 0.19.20 protos, absent before 4.259.0). */
export const ANNOTATIONS_REFUSED =
  /annotations?\b[^.;{}"]{0,80}\b(superusers?|reserved|restricted|not allowed|not permitted|cannot be set|can only be set|read-only|unknown field)|\b(unknown field|restricted field)[^.;{}]{0,40}annotations/i;
const AUTOSCALING_DEFAULTS = { scaleUpWindow: 30, scaleDownWindow: 600, scaleToZeroWindow: 3600 } as const;
const DEFAULT_LOAD_TARGET = 0.8;

const durationText = () =>
  z.string().refine((v) => parseDuration(v) !== undefined, { error: (iss) => `${show(iss.input)} is not a duration; write it like "30s", "10m" or "1h"` });
const count = (max?: number) => (max === undefined ? z.number().int().min(0) : z.number().int().min(0).max(max));

export function deploymentSchema() {
  return z.strictObject({
    deploymentId: z.string().optional(),
    baseModel: z.string().min(1).optional(),
    displayName: z.string().max(63, { error: "must be fewer than 64 characters" }).optional(),
    description: z.string().max(999, { error: "must be fewer than 1000 characters" }).optional(),
    minReplicaCount: count(1000).optional(),
    maxReplicaCount: count(1000).optional(),
    maxWithRevocableReplicaCount: count().optional(),
    autoscalingPolicy: z
      .strictObject({
        scaleUpWindow: durationText().optional(),
        scaleDownWindow: durationText().optional(),
        scaleToZeroWindow: durationText().optional(),
        loadTargets: z.record(z.string(), z.number().positive()).optional(),
      })
      .optional(),
    acceleratorType: z.enum(ACCELERATOR_TYPES).optional(),
    acceleratorCount: count().optional(),
    precision: z.enum(PRECISIONS).optional(),
    enableAddons: z.boolean().optional(),
    draftTokenCount: count().optional(),
    draftModel: z.string().optional(),
    ngramSpeculationLength: count().optional(),
    enableSessionAffinity: z.boolean().optional(),
    directRouteApiKeys: z.array(z.string()).optional(),
    directRouteType: z.enum(DIRECT_ROUTE_TYPES).optional(),
    deploymentTemplate: z.string().optional(),
    autoTune: z.strictObject({ longPrompt: z.boolean().optional() }).optional(),
    placement: z
      .strictObject({
        region: z.enum(REGIONS).optional(),
        multiRegion: z.enum(MULTI_REGIONS).optional(),
        regions: z.array(z.enum(REGIONS)).min(1).optional(),
      })
      .optional(),
    maxContextLength: count().optional(),
    disableDeploymentSizeValidation: z.boolean().optional(),
    enableMtp: z.boolean().optional(),
    enableHotLoad: z.boolean().optional(),
    hotLoadBucketType: z.enum(HOT_LOAD_BUCKET_TYPES).optional(),
    hotLoadBucketUrl: z.string().optional(),
    hotLoadTrainerJob: z.string().optional(),
    enableHotReloadLatestAddon: z.boolean().optional(),
    deploymentShape: z.string().optional(),
    pricingPlanId: z.string().optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    expireTime: z.iso.datetime({ offset: true }).optional(),
    disableAutoDeploy: z.boolean().optional(),
    disableSpeculativeDecoding: z.boolean().optional(),
    skipShapeValidation: z.boolean().optional(),
    skipImageTagValidation: z.boolean().optional(),
    hardDelete: z.boolean().optional(),
    ignoreChecks: z.boolean().optional(),
    timeouts: z.strictObject({ create: z.string().optional(), update: z.string().optional(), delete: z.string().optional() }).optional(),
  });
}

/** The inputs as the provider sees them; the SDK's DeploymentArgs is checked against this at compile time. */
export type DeploymentInputs = z.input<ReturnType<typeof deploymentSchema>>;

/** Autoscaling windows compare in seconds with the documented defaults filled in ("10m" ≡ "600s" ≡ absent). */
function normalizeAutoscaling(value: unknown): unknown {
  const policy = isPlainObject(value) ? value : {};
  const seconds = (key: keyof typeof AUTOSCALING_DEFAULTS): string => {
    const raw = policy[key];
    const parsed = typeof raw === "string" ? parseDuration(raw) : undefined;
    return formatApiDuration(parsed ?? AUTOSCALING_DEFAULTS[key]);
  };
  const targets = isPlainObject(policy.loadTargets) && Object.keys(policy.loadTargets).length > 0 ? policy.loadTargets : { default: DEFAULT_LOAD_TARGET };
  return { scaleUpWindow: seconds("scaleUpWindow"), scaleDownWindow: seconds("scaleDownWindow"), scaleToZeroWindow: seconds("scaleToZeroWindow"), loadTargets: targets };
}

/**
 * The API rewrites a shape name to the version it bound ("…/deploymentShapes/s/versions/v", reference §4.2): a
 * declared family matches any version of it, a declared version only itself.
 */
function sameShape(declared: unknown, server: unknown): boolean {
  if (typeof declared !== "string" || typeof server !== "string") return declared === server;
  return /\/versions\/[^/]+$/.test(declared) ? declared === server : server.replace(/\/versions\/[^/]+$/, "") === declared;
}

/** The owner annotation is the provider's, not the user's: it is neither diffed nor reported. */
function normalizeAnnotations(value: unknown): unknown {
  if (!isPlainObject(value)) return {};
  const rest = { ...value };
  delete rest[OWNER_ANNOTATION];
  return rest;
}

const zeroString: FieldSpec = { kind: "update", absent: "zero", zero: "" };
// Absent means "the server decides", but a declared empty value equals the API's omitted zero value.
const serverString: FieldSpec = { kind: "update", absent: "server", zero: "" };
const serverCount: FieldSpec = { kind: "update", absent: "server", zero: 0 };
const zeroBool: FieldSpec = { kind: "update", absent: "zero", zero: false };
const zeroCount: FieldSpec = { kind: "update", absent: "zero", zero: 0 };
const serverDecides: FieldSpec = { kind: "update", absent: "server" };
const providerOnly: FieldSpec = { kind: "provider" };

export const deploymentFields = {
  deploymentId: providerOnly,
  baseModel: { kind: "replace", required: 'set it to the model to serve, e.g. "accounts/fireworks/models/llama-v3p1-8b-instruct"' },
  displayName: serverString,
  description: serverString,
  minReplicaCount: zeroCount,
  // "If not specified, the default is max(min_replica_count, 1)" (reference §4.2).
  maxReplicaCount: { kind: "update", absent: (inputs) => Math.max(typeof inputs.minReplicaCount === "number" ? inputs.minReplicaCount : 0, 1) },
  maxWithRevocableReplicaCount: zeroCount,
  autoscalingPolicy: { kind: "update", absent: "zero", zero: {}, normalize: normalizeAutoscaling },
  acceleratorType: serverDecides,
  acceleratorCount: serverCount,
  precision: serverDecides,
  enableAddons: zeroBool,
  draftTokenCount: serverCount,
  draftModel: serverString,
  ngramSpeculationLength: zeroCount,
  enableSessionAffinity: zeroBool,
  directRouteApiKeys: { kind: "update", absent: "zero", zero: [], secret: true },
  directRouteType: { kind: "update", absent: "zero", zero: "DIRECT_ROUTE_TYPE_UNSPECIFIED" },
  deploymentTemplate: serverString,
  autoTune: { kind: "update", absent: "zero", zero: {}, normalize: (v) => (isPlainObject(v) && v.longPrompt === true ? { longPrompt: true } : {}) },
  // "If unspecified, the default is the GLOBAL multi-region"; immutable after create (reference §4.2, §19).
  placement: { kind: "replace", absent: () => ({ multiRegion: "GLOBAL" }), zero: { multiRegion: "GLOBAL" } },
  maxContextLength: zeroCount,
  disableDeploymentSizeValidation: zeroBool,
  enableMtp: zeroBool,
  enableHotLoad: zeroBool,
  hotLoadBucketType: { kind: "update", absent: "zero", zero: "BUCKET_TYPE_UNSPECIFIED" },
  hotLoadBucketUrl: zeroString,
  hotLoadTrainerJob: zeroString,
  enableHotReloadLatestAddon: zeroBool,
  deploymentShape: { kind: "update", absent: "server", equal: sameShape },
  pricingPlanId: zeroString,
  annotations: { kind: "update", absent: "zero", zero: {}, normalize: normalizeAnnotations },
  expireTime: { kind: "update", absent: "zero", zero: "", normalize: (v) => (typeof v === "string" && v ? new Date(v).toISOString() : v) },
  disableAutoDeploy: providerOnly,
  disableSpeculativeDecoding: providerOnly,
  skipShapeValidation: providerOnly,
  skipImageTagValidation: providerOnly,
  hardDelete: providerOnly,
  ignoreChecks: providerOnly,
  timeouts: providerOnly,
} satisfies FieldTable<DeploymentInputs>;

function crossCheck(inputs: Props, raw: Props): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const min = typeof inputs.minReplicaCount === "number" ? inputs.minReplicaCount : undefined;
  const max = typeof inputs.maxReplicaCount === "number" ? inputs.maxReplicaCount : undefined;
  if (min !== undefined && max !== undefined && max !== 0 && min > max) {
    failures.push({
      property: "minReplicaCount",
      reason: `minReplicaCount ${min} is greater than maxReplicaCount ${max}; raise maxReplicaCount to at least ${min} or lower minReplicaCount`,
    });
  }
  const policy = isPlainObject(inputs.autoscalingPolicy) ? inputs.autoscalingPolicy : {};
  for (const key of ["scaleUpWindow", "scaleDownWindow", "scaleToZeroWindow"] as const) {
    const raw = policy[key];
    const seconds = typeof raw === "string" ? parseDuration(raw) : undefined;
    if (seconds === undefined) continue;
    if (seconds > HOUR) {
      failures.push({ property: `autoscalingPolicy.${key}`, reason: `${show(raw)} (${formatHumanDuration(seconds)}) is longer than the API's limit of 1h; use at most "1h"` });
    }
    if (key === "scaleToZeroWindow" && seconds !== 0 && seconds < 300) {
      failures.push({ property: `autoscalingPolicy.${key}`, reason: `${show(raw)} is too short: scale_to_zero_window must be 0 or at least 5 minutes; use "0s" or at least "5m"` });
    }
  }
  // Which placement fields are set counts even when their values are not known yet (preview).
  const placement = isPlainObject(raw.placement) ? raw.placement : undefined;
  if (placement) {
    const set = ["region", "multiRegion", "regions"].filter((k) => placement[k] !== undefined);
    if (set.length !== 1) {
      failures.push({
        property: "placement",
        reason: `set exactly one of placement.region, placement.multiRegion or placement.regions (got ${set.length ? set.join(" and ") : "none"})`,
      });
    }
  }
  if (isPlainObject(inputs.annotations) && OWNER_ANNOTATION in inputs.annotations) {
    failures.push({ property: `annotations.${OWNER_ANNOTATION}`, reason: `the "${OWNER_ANNOTATION}" annotation is reserved for the provider; remove it` });
  }
  return failures;
}

/**
 * PATCH requires baseModel in the body, equal to the current one (reference §1.6). The owner stamp is kept when
 * annotations are rewritten, or a later adoption could not recognise the deployment; a body that moves the stamp
 * (owner.rewrite) carries its own.
 */
export function deploymentUpdateBody(changed: Props, current: Props): Props {
  const body: Props = { ...changed, baseModel: current.baseModel };
  if (changed.annotations !== undefined) {
    const owner = isPlainObject(current.annotations) ? current.annotations[OWNER_ANNOTATION] : undefined;
    body.annotations = { ...(owner === undefined ? {} : { [OWNER_ANNOTATION]: owner }), ...(changed.annotations as Props) };
  }
  return body;
}

export const deploymentSpec: ResourceSpec = {
  kind: "Deployment",
  identity: { kind: "client", input: "deploymentId", derive: true, query: "deploymentId" },
  fields: deploymentFields,
  schema: deploymentSchema,
  crossCheck,
  autoNameSeed: (inputs) => [inputs.baseModel, inputs.placement ?? null],
  // Create → READY takes "a few minutes" (reference §1.10); firectl waits up to 1h. Hardware changes roll replicas.
  defaultTimeouts: { create: 30 * 60, update: 30 * 60, delete: 10 * 60 },
  states: DEPLOYMENT_STATES,
  api: {
    collection: (config) => `accounts/${config.accountId}/deployments`,
    createQuery: (inputs) => ({
      disableAutoDeploy: inputs.disableAutoDeploy === true ? true : undefined,
      disableSpeculativeDecoding: inputs.disableSpeculativeDecoding === true ? true : undefined,
      skipShapeValidation: inputs.skipShapeValidation === true ? true : undefined,
      skipImageTagValidation: inputs.skipImageTagValidation === true ? true : undefined,
    }),
    read: { kind: "get" },
    update: {
      kind: "sparse",
      body: (changed, current) => deploymentUpdateBody(changed, current),
      query: (inputs) => ({ skipShapeValidation: inputs.skipShapeValidation === true ? true : undefined }),
    },
    // Hard delete by default: a soft-deleted deployment keeps its ID taken until purge, which would block a
    // delete-before-replace under the same deploymentId. hardDelete: false keeps it undeletable for a while.
    delete: {
      kind: "delete",
      query: (inputs) => ({ hard: inputs.hardDelete === false ? undefined : true, ignoreChecks: inputs.ignoreChecks === true ? true : undefined }),
    },
    // The stamp rides on annotations, public in the 4.259.0 spec but superuser-only in the 0.19.20 protos.
    owner: {
      read: (resource) => {
        const owner = isPlainObject(resource.annotations) ? resource.annotations[OWNER_ANNOTATION] : undefined;
        return typeof owner === "string" ? owner : undefined;
      },
      write: (body, stamp) => {
        const annotations = isPlainObject(body.annotations) ? body.annotations : {};
        return { ...body, annotations: { ...annotations, [OWNER_ANNOTATION]: stamp } };
      },
      rewrite: (body, current, stamp) => {
        const annotations = isPlainObject(body.annotations) ? body.annotations : (normalizeAnnotations(current.annotations) as Props);
        return { ...body, annotations: { ...annotations, [OWNER_ANNOTATION]: stamp } };
      },
      // A platform that reserves annotations refuses the whole request (400 or 403) and says so about the field. The
      // restriction must be said of annotations themselves: a message that merely echoes the request body names
      // the field too, and must not switch stamping off.
      refused: (status, message) => (status === 400 || status === 403) && ANNOTATIONS_REFUSED.test(message),
    },
    recoverVerb: ":undelete",
  },
  statusMessage: (resource) => {
    const status = isPlainObject(resource.status) ? resource.status : undefined;
    if (!status) return undefined;
    const code = typeof status.code === "string" ? status.code : "";
    const message = typeof status.message === "string" ? status.message : "";
    return [code, message].filter(Boolean).join(": ") || undefined;
  },
  reviewLine: (olds, news) => (olds === undefined ? capacityOfNew(news) : capacityChange(olds, news)),
  annotate: (inputs) => {
    const footprint = gpuFootprint(inputs);
    return footprint === undefined ? undefined : { [GPU_CAPACITY]: footprint };
  },
  // What a reviewer watching `up` wants: the state, replicas serving of those wanted, and why it is stuck if it is.
  progress: (resource) => {
    const state = typeof resource.state === "string" ? resource.state : "(no state)";
    const have = typeof resource.replicaCount === "number" ? resource.replicaCount : 0;
    const want = typeof resource.desiredReplicaCount === "number" ? resource.desiredReplicaCount : have;
    const status = isPlainObject(resource.status) && typeof resource.status.message === "string" && resource.status.message ? `: ${resource.status.message}` : "";
    return `${state}, ${have}/${want} replicas ready${status}`;
  },
  // READY is not enough when replicas are declared: wait until the declared minimum is actually serving.
  settled: (resource, inputs) => {
    const want = typeof inputs.minReplicaCount === "number" ? inputs.minReplicaCount : 0;
    const have = typeof resource.replicaCount === "number" ? resource.replicaCount : 0;
    return have >= want;
  },
  derivedOutputs: (resource) => {
    const name = typeof resource.name === "string" ? resource.name : "";
    const base = typeof resource.baseModel === "string" ? resource.baseModel : "";
    const annotations = normalizeAnnotations(resource.annotations) as Props;
    return {
      // The string the inference API takes to route to this deployment: "<model>#<deployment name>".
      inferenceModel: name && base ? `${base}#${name}` : undefined,
      // Users see their own annotations; the owner stamp stays on the server only.
      annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    };
  },
};
