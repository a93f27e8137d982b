import type { JsonObject } from "./json";
import type { Entry } from "./store";

/** What one collection lets the others see: its resources by full name (soft-deleted ones read as absent). */
export interface Lookup {
  find(name: string): Entry | undefined;
}

/**
 * An internal operation one collection offers the others, JSON in and out (a job creating the model it produced, a
 * LoRA load recording itself on its model). It may throw an ApiError, which the caller reports as its own.
 */
export type Action = (input: JsonObject) => JsonObject;

/**
 * Cross-collection lookups go through here, by collection ID ("users", "models"), so a collection never imports
 * another one: an API key asks for its user, a job for its model and dataset.
 */
export class Registry {
  private readonly lookups = new Map<string, Lookup>();
  private readonly actions = new Map<string, Action>();

  register(collectionId: string, lookup: Lookup): void {
    if (this.lookups.has(collectionId)) throw new Error(`collection "${collectionId}" registered twice`);
    this.lookups.set(collectionId, lookup);
  }

  /** The live resource with this full name, or undefined (also when its collection does not exist here). */
  find(collectionId: string, name: string): Entry | undefined {
    return this.lookups.get(collectionId)?.find(name);
  }

  /** A collection offers `action` to the others. */
  provide(collectionId: string, action: string, fn: Action): void {
    const key = `${collectionId}:${action}`;
    if (this.actions.has(key)) throw new Error(`action "${key}" provided twice`);
    this.actions.set(key, fn);
  }

  offers(collectionId: string, action: string): boolean {
    return this.actions.has(`${collectionId}:${action}`);
  }

  /** Runs another collection's action; a missing one is a programming error, not an API error. */
  perform(collectionId: string, action: string, input: JsonObject): JsonObject {
    const fn = this.actions.get(`${collectionId}:${action}`);
    if (!fn) throw new Error(`collection "${collectionId}" offers no action "${action}"`);
    return fn(input);
  }
}
