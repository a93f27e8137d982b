import { invalidArgument } from "./errors";
import { isObject, type Json, type JsonObject } from "./json";

// How long each simulated transition takes, per collection: `{deployments: {createMs, updateMs, deleteMs}}`.
// Every transition also has a flat alias `<singular><Transition>Ms` (`deploymentCreateMs`), the shape the options,
// CLI flags and control route had when deployments were the only collection; code outside the emulator uses it.

export const TRANSITIONS = ["create", "update", "delete"] as const;
export type Transition = (typeof TRANSITIONS)[number];

/** One collection's timings, in milliseconds. */
export type CollectionTimings = { [T in Transition as `${T}Ms`]: number };

/** The flat aliases of the Deployment timings. */
export interface DeploymentTimingAliases {
  /** CREATING -> READY (or FAILED). */
  deploymentCreateMs: number;
  /** UPDATING -> READY. */
  deploymentUpdateMs: number;
  /** DELETING -> DELETED, or gone with hard=true. */
  deploymentDeleteMs: number;
}

/**
 * What `startEmulator({timings})` accepts: per-collection objects, flat aliases, or both (aliases win when both
 * name the same transition, since they are the more specific, older spelling).
 */
export interface Timings extends Partial<DeploymentTimingAliases> {
  deployments?: Partial<CollectionTimings>;
  [collection: string]: Partial<CollectionTimings> | number | undefined;
}

interface Declared {
  collection: string;
  singular: string;
  timings: CollectionTimings;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const MAX_MS = 3_600_000;

/** The live timing table. Changes apply to transitions started afterwards. */
export class TimingTable {
  private readonly table = new Map<string, Declared>();

  /** A collection declares its transitions and their default timings. */
  declare(collection: string, singular: string, defaults: CollectionTimings): void {
    this.table.set(collection, { collection, singular, timings: { ...defaults } });
  }

  ms(collection: string, transition: Transition): number {
    const declared = this.table.get(collection);
    if (!declared) throw new Error(`collection "${collection}" declares no timings`);
    return declared.timings[`${transition}Ms`];
  }

  /** One collection's timings (GET /_emulator/timings/{collection}). */
  of(collection: string): CollectionTimings | undefined {
    const declared = this.table.get(collection);
    return declared ? { ...declared.timings } : undefined;
  }

  /** Every timing under its flat alias (GET /_emulator/timings): the form older callers know. */
  flat(): JsonObject {
    const out: JsonObject = {};
    for (const { singular, timings } of this.table.values()) {
      for (const t of TRANSITIONS) out[`${singular}${capitalize(t)}Ms`] = timings[`${t}Ms`];
    }
    return out;
  }

  /**
   * Applies partial timings given per collection and/or as flat aliases. All-or-nothing: a bad entry changes nothing.
   * Throws `invalidArgument` (the control route answers 400; startEmulator rethrows it as a plain Error).
   */
  apply(input: JsonObject): void {
    const nested: [Declared, Transition, number][] = [];
    const aliased: [Declared, Transition, number][] = [];
    for (const [key, value] of Object.entries(input)) {
      const alias = this.alias(key);
      if (alias) {
        aliased.push([alias[0], alias[1], checkMs(key, value)]);
        continue;
      }
      const declared = this.table.get(key);
      if (!declared) throw invalidArgument(`unknown field "${key}": not a timing; known: ${this.knownKeys().join(", ")}`);
      if (!isObject(value)) throw invalidArgument(`${key} must be an object like {"createMs": 100}`);
      for (const [inner, ms] of Object.entries(value)) {
        const transition = TRANSITIONS.find((t) => `${t}Ms` === inner);
        if (!transition) throw invalidArgument(`unknown field "${key}.${inner}": known: ${TRANSITIONS.map((t) => `${t}Ms`).join(", ")}`);
        nested.push([declared, transition, checkMs(`${key}.${inner}`, ms)]);
      }
    }
    // Aliases last, so an alias wins over the same transition given per collection.
    for (const [declared, transition, ms] of [...nested, ...aliased]) declared.timings[`${transition}Ms`] = ms;
  }

  private alias(key: string): [Declared, Transition] | undefined {
    for (const declared of this.table.values()) {
      for (const t of TRANSITIONS) if (key === `${declared.singular}${capitalize(t)}Ms`) return [declared, t];
    }
    return undefined;
  }

  private knownKeys(): string[] {
    return [...this.table.keys(), ...Object.keys(this.flat())];
  }
}

function checkMs(key: string, value: Json | undefined): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_MS) {
    throw invalidArgument(`${key} must be a non-negative integer number of milliseconds (at most ${MAX_MS})`);
  }
  return value;
}
