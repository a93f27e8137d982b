/** How long each operation waits: the kind's defaults, or what the resource's `timeouts` input declares. */
import { parseDuration } from "./durations";
import type { ResourceSpec, Timeouts } from "./spec";
import { isPlainObject, type Props } from "./values";

export function timeoutsOf(spec: ResourceSpec, inputs: Props): Timeouts {
  const declared = isPlainObject(inputs.timeouts) ? inputs.timeouts : {};
  const pick = (op: keyof Timeouts): number => {
    const value = declared[op];
    const seconds = typeof value === "string" ? parseDuration(value) : undefined;
    return seconds !== undefined && seconds > 0 ? seconds : spec.defaultTimeouts[op];
  };
  return { create: pick("create"), update: pick("update"), delete: pick("delete") };
}
