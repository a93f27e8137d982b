import { createHash } from "node:crypto";
import { invalidArgument } from "../core/errors";
import { parseDuration, secondsToNanos } from "../core/encoding";
import { deepEqual, getNumber, getObject, getString, type JsonObject } from "../core/json";
import { DEPLOYMENT_SCHEMA } from "./deployment-schema";
import { encodeMessage } from "../core/schema";

// Server-side defaults and validation of gateway.Deployment (reference §4.2, §4.3). Messages follow protovalidate's
// wording with the proto field path, and quote the CEL messages from [PROTO] verbatim.

export const DEFAULT_SCALE_UP_WINDOW = "30s";
export const DEFAULT_SCALE_DOWN_WINDOW = "600s";
export const DEFAULT_SCALE_TO_ZERO_WINDOW = "3600s";
export const DEFAULT_ACCELERATOR_TYPE = "NVIDIA_A100_80GB";

const ONE_HOUR = secondsToNanos(3600);
const FIVE_MINUTES = secondsToNanos(300);

/** Keys of `autoscalingPolicy.loadTargets` named by the docs (API field doc: "default"; autoscaling guide: the rest). */
const LOAD_TARGET_KEYS = ["default", "tokens_generated_per_second", "prompt_tokens_per_second", "requests_per_second", "concurrent_requests"];

/** Fields whose change does not roll replicas, so a PATCH touching only these leaves the deployment READY. */
export const METADATA_FIELDS = ["displayName", "description", "annotations", "expireTime", "pricingPlanId"];

const MODEL_NAME = /^accounts\/[^/]+\/models\/[^/]+$/;
const SHAPE_NAME = /^accounts\/[^/]+\/deploymentShapes\/[^/]+$/;
const SHAPE_VERSION_NAME = /^accounts\/[^/]+\/deploymentShapes\/[^/]+\/versions\/[^/]+$/;

/**
 * Defaults the server fills in. proto3 int32/enum fields cannot tell "absent" from zero, so an explicit 0 or
 * *_UNSPECIFIED reads as absent here too.
 * - minReplicaCount 0; maxReplicaCount max(min, 1) on create ("If not specified, the default is max(min_replica_count, 1)").
 * - autoscaling windows 30s / 10m / 1h (§4.3 defaults), filled whenever absent so reads always show them.
 * - placement GLOBAL multi-region ("If unspecified, the default is the GLOBAL multi-region").
 * - accelerator NVIDIA_A100_80GB x1 (the real default is "estimated minimum required by the base model", which the
 *   emulator cannot know; see README).
 * - deploymentShape family names are bound to a version ("will be replaced with the deployment shape version name").
 */
export function applyDefaults(dep: JsonObject, onCreate: boolean): void {
  const min = getNumber(dep, "minReplicaCount");
  dep["minReplicaCount"] = min;
  if (onCreate && getNumber(dep, "maxReplicaCount") === 0) dep["maxReplicaCount"] = Math.max(min, 1);
  else dep["maxReplicaCount"] = getNumber(dep, "maxReplicaCount");

  const policy = getObject(dep, "autoscalingPolicy") ?? {};
  if (policy["scaleUpWindow"] === undefined) policy["scaleUpWindow"] = DEFAULT_SCALE_UP_WINDOW;
  if (policy["scaleDownWindow"] === undefined) policy["scaleDownWindow"] = DEFAULT_SCALE_DOWN_WINDOW;
  if (policy["scaleToZeroWindow"] === undefined) policy["scaleToZeroWindow"] = DEFAULT_SCALE_TO_ZERO_WINDOW;
  dep["autoscalingPolicy"] = policy;

  if (onCreate && dep["placement"] === undefined) dep["placement"] = { multiRegion: "GLOBAL" };

  const type = getString(dep, "acceleratorType");
  if (type === "" || type === "ACCELERATOR_TYPE_UNSPECIFIED") dep["acceleratorType"] = DEFAULT_ACCELERATOR_TYPE;
  if (getNumber(dep, "acceleratorCount") === 0) dep["acceleratorCount"] = 1;

  const shape = getString(dep, "deploymentShape");
  if (SHAPE_NAME.test(shape)) dep["deploymentShape"] = `${shape}/versions/${shapeVersionId(shape)}`;
}

/** The "latest validated version" a shape family binds to: stable per family, so re-sending the family is a no-op. */
export function shapeVersionId(shape: string): string {
  return "v" + createHash("sha256").update(shape).digest("hex").slice(0, 8);
}

function durationNanos(policy: JsonObject, key: string): bigint | undefined {
  const v = policy[key];
  return typeof v === "string" ? parseDuration(v) : undefined;
}

/** All rule violations of a complete (defaulted) deployment; protovalidate reports every violation, not the first. */
export function violations(dep: JsonObject): string[] {
  const out: string[] = [];
  const baseModel = getString(dep, "baseModel");
  if (baseModel === "") out.push("deployment.base_model: value is required");
  else if (!MODEL_NAME.test(baseModel)) out.push(`deployment.base_model: "${baseModel}" is not a model name like accounts/fireworks/models/<model>`);

  if ([...getString(dep, "displayName")].length > 63) out.push("deployment.display_name: value length must be at most 63 characters");
  if ([...getString(dep, "description")].length > 999) out.push("deployment.description: value length must be at most 999 characters");

  const min = getNumber(dep, "minReplicaCount");
  const max = getNumber(dep, "maxReplicaCount");
  if (min < 0) out.push("deployment.min_replica_count: value must be greater than or equal to 0");
  if (max < 0 || max > 1000) out.push("deployment.max_replica_count: value must be greater than or equal to 0 and less than or equal to 1000");
  if (!(max === 0 || min <= max)) out.push("deployment: min_replica_count cannot be greater than max_replica_count");
  const revocable = getNumber(dep, "maxWithRevocableReplicaCount");
  if (revocable < 0 || (revocable !== 0 && revocable < max)) {
    out.push("deployment.max_with_revocable_replica_count: value must be 0 or at least max_replica_count");
  }
  for (const [key, proto] of [
    ["acceleratorCount", "accelerator_count"],
    ["draftTokenCount", "draft_token_count"],
    ["ngramSpeculationLength", "ngram_speculation_length"],
    ["maxContextLength", "max_context_length"],
  ] as const) {
    if (getNumber(dep, key) < 0) out.push(`deployment.${proto}: value must be greater than or equal to 0`);
  }

  const draftModel = getString(dep, "draftModel");
  if (draftModel !== "" && !MODEL_NAME.test(draftModel)) out.push(`deployment.draft_model: "${draftModel}" is not a model name`);
  const shape = getString(dep, "deploymentShape");
  if (shape !== "" && !SHAPE_VERSION_NAME.test(shape)) {
    out.push(`deployment.deployment_shape: "${shape}" is not a deployment shape name like accounts/<account>/deploymentShapes/<shape>`);
  }
  if (getString(dep, "deploymentTemplate") !== "" && dep["autoTune"] !== undefined) {
    out.push("deployment: only one of deployment_template and auto_tune may be set (oneof preconfig)");
  }

  out.push(...placementViolations(getObject(dep, "placement")));
  out.push(...autoscalingViolations(getObject(dep, "autoscalingPolicy") ?? {}));
  return out;
}

function placementViolations(placement: JsonObject | undefined): string[] {
  if (!placement) return [];
  const region = getString(placement, "region");
  const multiRegion = getString(placement, "multiRegion");
  const regions = Array.isArray(placement["regions"]) ? placement["regions"] : [];
  const set = [region !== "" && region !== "REGION_UNSPECIFIED", multiRegion !== "" && multiRegion !== "MULTI_REGION_UNSPECIFIED", regions.length > 0];
  const out: string[] = [];
  if (set.filter(Boolean).length !== 1) out.push("deployment.placement: exactly one of region, multi_region or regions must be set");
  if (regions.includes("REGION_UNSPECIFIED")) out.push("deployment.placement.regions: REGION_UNSPECIFIED is not a region");
  if (new Set(regions.map(String)).size !== regions.length) out.push("deployment.placement.regions: values must be unique");
  return out;
}

function autoscalingViolations(policy: JsonObject): string[] {
  const out: string[] = [];
  const up = durationNanos(policy, "scaleUpWindow");
  const down = durationNanos(policy, "scaleDownWindow");
  const toZero = durationNanos(policy, "scaleToZeroWindow");
  for (const [value, proto] of [
    [up, "scale_up_window"],
    [down, "scale_down_window"],
  ] as const) {
    if (value === undefined) continue;
    if (value < 0n) out.push(`deployment.autoscaling_policy.${proto}: value must be greater than or equal to 0s`);
    // "Must be less than or equal to 1 hour." (§4.3)
    if (value > ONE_HOUR) out.push(`deployment.autoscaling_policy.${proto}: must be less than or equal to 1 hour`);
  }
  if (toZero !== undefined) {
    if (!(toZero === 0n || toZero >= FIVE_MINUTES)) {
      out.push("deployment.autoscaling_policy.scale_to_zero_window: scale_to_zero_window must be at least 5 minutes");
    }
    // No documented upper bound; the stricter reading applies the 1-hour cap of the other windows (README).
    if (toZero > ONE_HOUR) out.push("deployment.autoscaling_policy.scale_to_zero_window: must be less than or equal to 1 hour");
  }
  const targets = getObject(policy, "loadTargets") ?? {};
  for (const [key, value] of Object.entries(targets)) {
    if (!LOAD_TARGET_KEYS.includes(key)) {
      out.push(`deployment.autoscaling_policy.load_targets: unknown load target "${key}" (known: ${LOAD_TARGET_KEYS.join(", ")})`);
    } else if (typeof value !== "number" || value <= 0 || (key === "default" && value > 1)) {
      out.push(`deployment.autoscaling_policy.load_targets["${key}"]: must be ${key === "default" ? "a fraction in (0, 1]" : "greater than 0"}`);
    }
  }
  return out;
}

export function validate(dep: JsonObject): void {
  const problems = violations(dep);
  if (problems.length > 0) throw invalidArgument(`validation error: ${problems.join("; ")}`);
}

/**
 * True when a change touches serving configuration (anything writable but metadata), so replicas roll. Compared
 * in wire form, where an absent field and its zero value are the same thing.
 */
export function rollsReplicas(before: JsonObject, after: JsonObject): boolean {
  const a = encodeMessage(DEPLOYMENT_SCHEMA, before);
  const b = encodeMessage(DEPLOYMENT_SCHEMA, after);
  for (const [key, spec] of Object.entries(DEPLOYMENT_SCHEMA.fields)) {
    if (spec.output || METADATA_FIELDS.includes(key)) continue;
    if (!deepEqual(a[key], b[key])) return true;
  }
  return false;
}

/** True when two stored deployments read the same on the wire. */
export function sameOnWire(before: JsonObject, after: JsonObject): boolean {
  return deepEqual(encodeMessage(DEPLOYMENT_SCHEMA, before), encodeMessage(DEPLOYMENT_SCHEMA, after));
}

/**
 * The replica count the autoscaler aims for, given the bounds: `previous` clamped into [min, max]; max 0 means
 * "downscale to 0" ("May be set to 0 to downscale the deployment to 0").
 */
export function targetReplicas(dep: JsonObject, previous: number): number {
  const min = getNumber(dep, "minReplicaCount");
  const max = getNumber(dep, "maxReplicaCount");
  if (max === 0) return 0;
  return Math.min(Math.max(previous, min), max);
}

/** The region a READY deployment reports, within its placement (§4.2 `region`). */
export function regionFor(placement: JsonObject | undefined): string {
  if (!placement) return "US_IOWA_1";
  const region = getString(placement, "region");
  if (region !== "") return region;
  const regions = placement["regions"];
  if (Array.isArray(regions) && typeof regions[0] === "string") return regions[0];
  const byMultiRegion: Record<string, string> = { EUROPE: "EU_FRANKFURT_1", APAC: "AP_TOKYO_1" };
  return byMultiRegion[getString(placement, "multiRegion")] ?? "US_IOWA_1";
}

