import type { Entry } from "./store";

/** What one collection lets the others see: its resources by full name (soft-deleted ones read as absent). */
export interface Lookup {
  find(name: string): Entry | undefined;
}

/**
 * Cross-collection lookups go through here, by collection ID ("users", "models"), so a collection never imports
 * another one: an API key asks for its user, a job for its model and dataset.
 */
export class Registry {
  private readonly lookups = new Map<string, Lookup>();

  register(collectionId: string, lookup: Lookup): void {
    if (this.lookups.has(collectionId)) throw new Error(`collection "${collectionId}" registered twice`);
    this.lookups.set(collectionId, lookup);
  }

  /** The live resource with this full name, or undefined (also when its collection does not exist here). */
  find(collectionId: string, name: string): Entry | undefined {
    return this.lookups.get(collectionId)?.find(name);
  }
}
