/**
 * What a deployment change means in GPUs, for the line a reviewer reads in `pulumi preview`: accelerator type ×
 * GPUs per replica × replica bounds, e.g. "max 2×NVIDIA_H100_80GB → 8×NVIDIA_H100_80GB". Values the program leaves
 * to the platform keep the platform's current value (or show as "platform's choice" for a new deployment).
 */
import { isUnknown, UNKNOWN, type Props } from "../values";

interface Capacity {
  type: string;
  perReplica: number | undefined;
  min: number;
  max: number;
}

function capacityOf(values: Props, fallback: Props): Capacity {
  // Accelerator type and count are the platform's choice when undeclared (it keeps its value); the replica bounds
  // are not: an undeclared min is 0 and an undeclared max the documented default.
  const pick = (key: string): unknown => (values[key] !== undefined ? values[key] : fallback[key]);
  const type = pick("acceleratorType");
  const count = pick("acceleratorCount");
  const min = typeof values.minReplicaCount === "number" ? values.minReplicaCount : 0;
  const declaredMax = values.maxReplicaCount;
  return {
    type: typeof type === "string" && !isUnknown(type) ? type : "GPU",
    perReplica: typeof count === "number" && count > 0 ? count : undefined,
    min,
    // "If not specified, the default is max(min_replica_count, 1)" (reference §4.2).
    max: typeof declaredMax === "number" ? declaredMax : Math.max(min, 1),
  };
}

function gpus(replicas: number, c: Capacity): string {
  if (replicas === 0) return "0";
  return c.perReplica === undefined ? `${replicas} replica(s) of ${c.type}` : `${replicas * c.perReplica}×${c.type}`;
}

/** "GPUs: max 2×NVIDIA_H100_80GB → 8×NVIDIA_H100_80GB", or undefined when the GPU footprint does not change. */
export function capacityChange(olds: Props, news: Props): string | undefined {
  if (Object.values(news).some((v) => v === UNKNOWN)) return undefined;
  const before = capacityOf(olds, {});
  const after = capacityOf(news, olds);
  const parts: string[] = [];
  const [minBefore, minAfter, maxBefore, maxAfter] = [gpus(before.min, before), gpus(after.min, after), gpus(before.max, before), gpus(after.max, after)];
  if (minBefore !== minAfter) parts.push(`min ${minBefore} → ${minAfter}`);
  if (maxBefore !== maxAfter) parts.push(`max ${maxBefore} → ${maxAfter}`);
  return parts.length > 0 ? `GPUs: ${parts.join(", ")}` : undefined;
}

/** "GPUs: min 0, max 2×NVIDIA_H100_80GB" for a deployment about to be created. */
export function capacityOfNew(news: Props): string {
  const c = capacityOf(news, {});
  return `GPUs: min ${gpus(c.min, c)}, max ${gpus(c.max, c)}`;
}

/** The read-only input that carries the footprint into the preview's property diff. */
export const GPU_CAPACITY = "gpuCapacity";

/**
 * The footprint as declared, e.g. "min 0, max 2×NVIDIA_H100_80GB", for `pulumi preview --diff`, which shows a
 * change of it as "min 0, max 2×… => min 0, max 8×…". Undefined while a value it depends on is unknown.
 */
export function gpuFootprint(inputs: Props): string | undefined {
  const keys = ["acceleratorType", "acceleratorCount", "minReplicaCount", "maxReplicaCount"];
  if (keys.some((k) => isUnknown(inputs[k]))) return undefined;
  return capacityOfNew(inputs).replace(/^GPUs: /, "");
}
