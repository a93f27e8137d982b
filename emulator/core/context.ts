import type { Faults } from "./faults";
import type { Registry } from "./registry";
import type { ApiReply, ApiRequest } from "./request";
import type { Router } from "./router";
import type { Scheduler } from "./scheduler";
import type { TimingTable } from "./timings";

/** Switches for behaviour the sources disagree on; `POST /_emulator/reset` restores the defaults. */
export interface Settings {
  /**
   * Owner annotations are superuser-only in the 0.19.20 protos and public in the 4.259.0 spec (reference §21). When
   * true, a create or update that sets `annotations` is refused with PERMISSION_DENIED.
   */
  annotationsRestricted: boolean;
}

export const DEFAULT_SETTINGS: Settings = { annotationsRestricted: false };

export type Handler = (req: ApiRequest) => ApiReply | Promise<ApiReply>;

/** Route metadata: the query parameters the route documents (others are rejected). */
export interface RouteEntry {
  handler: Handler;
  query: readonly string[];
}

/** What every collection module shares. */
export interface EmulatorContext {
  readonly accountId: string;
  readonly timings: TimingTable;
  readonly scheduler: Scheduler;
  readonly faults: Faults;
  readonly settings: Settings;
  /** Cross-collection lookups (an API key's user, a job's model and dataset). */
  readonly registry: Registry;
  now(): number;
}

/**
 * One resource family. A module registers its public API routes and its `/_emulator/...` control routes, and
 * forgets everything on reset. Modules are listed in `collections/index.ts`; the server knows none by name.
 */
export interface CollectionModule {
  registerApi(router: Router<RouteEntry>): void;
  registerAdmin(router: Router<RouteEntry>): void;
  reset(): void;
}

export type CollectionFactory = (ctx: EmulatorContext) => CollectionModule;
