import { timestampToMs } from "./encoding";
import { getString, type JsonObject } from "./json";

/** How a collection soft-deletes (Deployments: state DELETED until purgeTime, reference §4.1). */
export interface SoftDelete {
  stateField: string;
  deletedState: string;
  deleteTimeField: string;
  purgeTimeField: string;
  /** How long a deleted resource stays readable (and its ID taken) before it is purged. */
  retentionMs: number;
}

export interface Entry {
  id: string;
  /** The parent's resource name: `accounts/a`, or `accounts/a/users/u` for a child collection. */
  parent: string;
  /** The full resource name (`<parent>/<collection>/<id>`), also for kinds whose message carries no `name`. */
  name: string;
  /** Insertion order, the tie-breaker for ordering by create time. */
  seq: number;
  /** The proto3 JSON form, INPUT_ONLY values included (encoding leaves those out of every response). */
  resource: JsonObject;
}

/**
 * The resources of one collection (`<parent>/{collectionId}/{id}`), under any number of parents. Resources are stored
 * in their proto3 JSON form; the store knows names, order and soft delete, nothing about any particular resource.
 */
export class Store {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;

  constructor(
    readonly collectionId: string,
    private readonly now: () => number,
    readonly softDelete?: SoftDelete,
  ) {}

  name(parent: string, id: string): string {
    return `${parent}/${this.collectionId}/${id}`;
  }

  /** Returns the entry, purging it first if it is soft-deleted and past its purge time. */
  get(parent: string, id: string): Entry | undefined {
    return this.getByName(this.name(parent, id));
  }

  getByName(name: string): Entry | undefined {
    const entry = this.entries.get(name);
    if (entry && this.isPurgeable(entry)) {
      this.entries.delete(name);
      return undefined;
    }
    return entry;
  }

  /** IDs stay taken while a soft-deleted resource still exists (see README: stricter choice). */
  has(parent: string, id: string): boolean {
    return this.get(parent, id) !== undefined;
  }

  insert(parent: string, id: string, resource: JsonObject): Entry {
    const entry: Entry = { id, parent, name: this.name(parent, id), seq: ++this.seq, resource };
    this.entries.set(entry.name, entry);
    return entry;
  }

  remove(entry: Entry): void {
    this.entries.delete(entry.name);
  }

  isDeleted(entry: Entry): boolean {
    return this.softDelete !== undefined && getString(entry.resource, this.softDelete.stateField) === this.softDelete.deletedState;
  }

  /** The live entries under one parent (soft-deleted ones only when asked), in insertion order. */
  list(parent: string, includeDeleted: boolean): Entry[] {
    const out: Entry[] = [];
    for (const entry of [...this.entries.values()]) {
      if (this.isPurgeable(entry)) {
        this.entries.delete(entry.name);
        continue;
      }
      if (entry.parent !== parent) continue;
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
