import { timestampToMs } from "./encoding";
import { getString, type JsonObject } from "./json";

/** How a collection soft-deletes (Deployments: state DELETED until purgeTime, reference §4.1). */
export interface SoftDelete {
  stateField: string;
  deletedState: string;
  purgeTimeField: string;
}

export interface Entry {
  id: string;
  /** Insertion order, the tie-breaker for ordering by create time. */
  seq: number;
  resource: JsonObject;
}

/**
 * One account-scoped collection (`accounts/{a}/{collectionId}/{id}`). Resources are stored in their proto3 JSON
 * form; the collection knows names, order and soft delete, nothing about any particular resource.
 */
export class Collection {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;

  constructor(
    readonly parent: string,
    readonly collectionId: string,
    private readonly now: () => number,
    readonly softDelete?: SoftDelete,
  ) {}

  name(id: string): string {
    return `${this.parent}/${this.collectionId}/${id}`;
  }

  /** Returns the entry, purging it first if it is soft-deleted and past its purge time. */
  get(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry && this.isPurgeable(entry)) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  /** IDs stay taken while a soft-deleted resource still exists (see README: stricter choice). */
  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  insert(id: string, resource: JsonObject): Entry {
    const entry: Entry = { id, seq: ++this.seq, resource };
    this.entries.set(id, entry);
    return entry;
  }

  remove(id: string): void {
    this.entries.delete(id);
  }

  isDeleted(entry: Entry): boolean {
    return this.softDelete !== undefined && getString(entry.resource, this.softDelete.stateField) === this.softDelete.deletedState;
  }

  /** All live entries (soft-deleted ones only when asked), in insertion order. */
  list(includeDeleted: boolean): Entry[] {
    const out: Entry[] = [];
    for (const entry of [...this.entries.values()]) {
      if (this.isPurgeable(entry)) {
        this.entries.delete(entry.id);
        continue;
      }
      if (!includeDeleted && this.isDeleted(entry)) continue;
      out.push(entry);
    }
    return out;
  }

  clear(): void {
    this.entries.clear();
  }

  private isPurgeable(entry: Entry): boolean {
    if (!this.softDelete || !this.isDeleted(entry)) return false;
    const purge = getString(entry.resource, this.softDelete.purgeTimeField);
    return purge !== "" && timestampToMs(purge) <= this.now();
  }
}
