/**
 * What a resource spec declares. The spec is the single authority for a resource: its input schema, a field-policy
 * table that says for every input whether a change replaces, updates in place or only changes provider behaviour,
 * the API binding, the state machine and default timeouts. check, diff, the CRUD lifecycle and refresh are derived
 * from it in lifecycle.ts; anything resource-specific is an explicit hook here, with a comment saying why.
 */
import type { z } from "zod";
import type { ProviderConfig } from "./config";
import type { ApiRequest } from "./http";
import type { Props } from "./values";

/**
 * - `replace`: the API cannot change it after create; a change forces replacement.
 * - `update`: PATCHed in place.
 * - `provider`: changes how the provider behaves (timeouts, delete mode); never sent to the API.
 */
export type FieldKind = "replace" | "update" | "provider";

export interface FieldSpec {
  kind: FieldKind;
  /**
   * What an undeclared field means. "zero": the API's zero value (so removing a declaration resets the field);
   * "server": the server decides (e.g. accelerator count estimated from the model), which is never a diff;
   * a function: the documented default, computed from the other inputs (e.g. maxReplicaCount = max(min, 1)).
   */
  absent?: "zero" | "server" | ((inputs: Props) => unknown);
  /** The API's zero value. The API omits zero-valued fields (reference §1.3), so an absent server value means this. */
  zero?: unknown;
  /** Canonical form of a present value, applied to the declaration and the server's value alike ("10m" -> "600s"). */
  normalize?: (value: unknown) => unknown;
  /** Equality of a declared and a server value (both normalized) when plain deep equality is wrong. */
  equal?: (declared: unknown, server: unknown) => boolean;
  /** Converts a declared value to the API's JSON form; defaults to `normalize`. */
  toApi?: (value: unknown) => unknown;
  /** The value is a credential: the SDK marks it secret and refresh never copies it from the server. */
  secret?: boolean;
  /** Set for required inputs: the fix shown when it is missing. */
  required?: string;
}

export type FieldTable<Inputs> = { [K in keyof Inputs]-?: FieldSpec };

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface StateMachine {
  /** States in which the resource is on its way to ready (after create or undelete). */
  creating: readonly string[];
  ready: readonly string[];
  updating: readonly string[];
  failed: readonly string[];
  deleting: readonly string[];
  /** Soft-deleted: gone for the user, though GET may still return it. */
  deleted: readonly string[];
}

export interface Timeouts {
  create: number;
  update: number;
  delete: number;
}

/**
 * How a kind carries the owner stamp "<project>/<stack>/<resource>@<stack instance>#<claim>" on the platform, so a
 * re-run after a killed `up` can recognise what it created, and so read, update and delete can tell the resource
 * this stack created from another one that later took the same ID.
 */
export interface OwnerStamp {
  /** The stamp on a server resource, if any. */
  read(resource: Props): string | undefined;
  /** The create body with the stamp added. */
  write(body: Props, stamp: string): Props;
  /** `body` (a PATCH body, before updateBody) extended to move the stamp to a new claim, keeping the user's values. */
  rewrite(body: Props, current: Props, stamp: string): Props;
  /** Whether an API error is the platform refusing the stamp itself (e.g. a field reserved for superusers). */
  refused(status: number, message: string): boolean;
}

export interface ResourceSpec<Inputs extends Props = Props> {
  kind: string;
  /** The input property that holds the user-chosen ID; when absent the provider derives one (ids.autoName). */
  idInput: keyof Inputs & string;
  fields: FieldTable<Inputs>;
  /** Built on demand so no schema object lives longer than a call needs. Unknown keys must be rejected. */
  schema(): z.ZodType;
  /**
   * Rules that span fields (min <= max, ...). `inputs` has preview-unknown values removed; `raw` keeps them, for
   * rules about which fields are set rather than their values.
   */
  crossCheck?(inputs: Props, raw: Props): CheckFailure[];
  /** Values whose change forces replacement; they seed the auto-name so a replacement gets a fresh ID. */
  autoNameSeed(inputs: Props): unknown[];
  defaultTimeouts: Timeouts;
  states: StateMachine;
  api: {
    /** Full resource name, e.g. accounts/{a}/deployments/{id}. */
    resourceName(config: ProviderConfig, id: string): string;
    /** `body` already carries the owner stamp when the kind has one (see `owner`). */
    createRequest(config: ProviderConfig, id: string, body: Props, inputs: Props): ApiRequest;
    /** PATCH body for the changed fields; the hook adds what the API requires besides (e.g. baseModel). */
    updateBody(changed: Props, current: Props): Props;
    /** Query parameters for PATCH (e.g. skipShapeValidation). */
    updateQuery?(inputs: Props): Record<string, string | number | boolean | undefined>;
    deleteQuery(inputs: Props): Record<string, string | number | boolean | undefined>;
    /** Where the kind carries the provider's owner stamp (see ownership.ts); kinds without one rely on createTime. */
    owner?: OwnerStamp;
    /** Colon verb that restarts a FAILED resource (POST {name}{verb} with `{}`), e.g. ":undelete". */
    recoverVerb?: string;
  };
  /** The platform's explanation of a failed state (the resource's `status.message`). */
  statusMessage(resource: Props): string | undefined;
  /** Extra readiness beyond the state, e.g. the declared minimum replicas are serving. */
  settled?(resource: Props, inputs: Props): boolean;
  /** Outputs computed from the server resource, e.g. `inferenceModel`. */
  derivedOutputs(resource: Props, config: ProviderConfig): Props;
}
