import type { Faults } from "./faults";
import type { ApiReply, ApiRequest } from "./request";
import type { Router } from "./router";
import type { Scheduler } from "./scheduler";

/** Milliseconds each simulated transition takes. */
export interface Timings {
  /** CREATING -> READY (or FAILED). */
  deploymentCreateMs: number;
  /** UPDATING -> READY. */
  deploymentUpdateMs: number;
  /** DELETING -> DELETED, or gone with hard=true. */
  deploymentDeleteMs: number;
}

export type Handler = (req: ApiRequest) => ApiReply | Promise<ApiReply>;

/** Route metadata: the query parameters the route documents (others are rejected). */
export interface RouteEntry {
  handler: Handler;
  query: readonly string[];
}

/** What every resource module shares. */
export interface EmulatorContext {
  readonly accountId: string;
  readonly timings: Timings;
  readonly scheduler: Scheduler;
  readonly faults: Faults;
  now(): number;
}

/**
 * One resource family (deployments now; models, datasets, secrets... later). A module registers its public API
 * routes, its `/_emulator/...` control routes, and forgets everything on reset.
 */
export interface ResourceModule {
  registerApi(router: Router<RouteEntry>): void;
  registerAdmin(router: Router<RouteEntry>): void;
  reset(): void;
}
