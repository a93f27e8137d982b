import * as pulumi from "@pulumi/pulumi";
import type { ApiKeyInputs } from "../provider/src/resources/api-key";
import { API_KEY } from "./kinds";
import { FireworksResource } from "./resource";

/** Arguments of an {@link ApiKey}. The API cannot change a key: any change replaces it (the new key comes first). */
export interface ApiKeyArgs {
  /**
   * The user or service account the key belongs to: its resource name `accounts/{account}/users/{user}` (e.g.
   * `serviceAccount.name`) or its bare user ID (in the provider's account). Required. A change replaces the key.
   */
  user: pulumi.Input<string>;
  /** Human-readable name; fewer than 64 characters. Default "default". A change replaces the key. */
  displayName?: pulumi.Input<string>;
  /**
   * When the key stops working, as an RFC 3339 timestamp (e.g. "2030-01-01T00:00:00Z"); must be in the future.
   * Omit it for a key that never expires. A change replaces the key.
   */
  expireTime?: pulumi.Input<string>;
  /** Key/value annotations for external tools. The key "pulumi-fireworks/owner" is reserved. A change replaces the key. */
  annotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Arbitrary values that rotate the key when any of them changes (e.g. `{ rotation: "2025-q3" }`). Kept in state
   * only, never sent to the API. The replacement key is created before the old one is deleted.
   */
  keepers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * A Fireworks API key of a user or service account. The plaintext is returned by the API only when the key is
 * created: it is the secret output `key`, kept in state across refresh. A key cannot be updated: every change
 * (including `keepers`) creates a new key first, then deletes the old one.
 *
 * ```ts
 * const ci = new fireworks.User("ci", { serviceAccount: true, role: "user" });
 * const key = new fireworks.ApiKey("ci-key", { user: ci.name, displayName: "ci", keepers: { rotation: "2025-q3" } });
 * export const ciKey = key.key; // secret
 * ```
 */
export class ApiKey extends FireworksResource {
  static readonly __pulumiType = "fireworks:index:ApiKey";

  /** The key ID the platform generated (the resource's ID; keys have no resource name). */
  declare readonly keyId: pulumi.Output<string>;
  /**
   * The plaintext key, a secret. Only the create response carries it: a key adopted after a create whose response
   * was lost has none (replace it to get one).
   */
  declare readonly key: pulumi.Output<string | undefined>;
  /** The key's visible start, as listings show it. */
  declare readonly prefix: pulumi.Output<string | undefined>;
  /** The owner's email (`<id>@<account>.sa.fireworks.ai` for a service account). */
  declare readonly email: pulumi.Output<string | undefined>;
  /** True when Fireworks does not know the key's plaintext. */
  declare readonly secure: pulumi.Output<boolean | undefined>;
  declare readonly createTime: pulumi.Output<string>;
  declare readonly lastUsed: pulumi.Output<string | undefined>;
  declare readonly user: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly expireTime: pulumi.Output<string | undefined>;
  declare readonly annotations: pulumi.Output<Record<string, string> | undefined>;
  declare readonly keepers: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(API_KEY, name, args, opts);
  }
}

// Compile-time guard: the SDK arguments and the provider's schema name exactly the same properties.
type Missing<A, B> = Exclude<keyof A, keyof B>;
type SameKeys<A, B> = [Missing<A, B>, Missing<B, A>] extends [never, never] ? true : { onlyInFirst: Missing<A, B>; onlyInSecond: Missing<B, A> };
const argsMatchSchema: SameKeys<ApiKeyArgs, ApiKeyInputs> = true;
void argsMatchSchema;
