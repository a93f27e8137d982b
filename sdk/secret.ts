import * as pulumi from "@pulumi/pulumi";
import type { SecretInputs } from "../provider/src/resources/secret";
import { SECRET } from "./kinds";
import { FireworksResource } from "./resource";

/** Arguments of a {@link Secret}. Names follow the Fireworks API (camelCase). */
export interface SecretArgs {
  /**
   * The secret ID (the last segment of `accounts/{account}/secrets/{id}`): 1-63 characters of a-z, 0-9 and "-",
   * starting with a letter. Omit it to have one derived from the resource name. A change replaces the secret.
   */
  secretId?: pulumi.Input<string>;
  /**
   * The name the value is exposed under, like an environment variable: an uppercase letter, then A-Z, 0-9 and "_",
   * at most 63 characters, e.g. "HF_TOKEN". Required. Changed in place.
   */
  keyName: pulumi.Input<string>;
  /**
   * The secret value; must not be empty. Required. Stored as a secret in state, never shown in previews. The API
   * never returns it, so the provider compares a hash of what it last applied: a change in the program is an
   * in-place update, but a change made outside Pulumi (console, firectl) cannot be detected.
   */
  value: pulumi.Input<string>;
}

/**
 * A Fireworks secret: a named value (e.g. a Hugging Face token or a W&B key) that Fireworks workloads can use.
 *
 * ```ts
 * const config = new pulumi.Config();
 * const hf = new fireworks.Secret("hf-token", {
 *   keyName: "HF_TOKEN",
 *   value: config.requireSecret("hfToken"),
 * });
 * ```
 */
export class Secret extends FireworksResource {
  static readonly __pulumiType = "fireworks:index:Secret";

  /** Full resource name, `accounts/{account}/secrets/{id}`. */
  declare readonly name: pulumi.Output<string>;
  /** The secret ID (given or derived). */
  declare readonly secretId: pulumi.Output<string>;
  declare readonly keyName: pulumi.Output<string>;

  constructor(name: string, args: SecretArgs, opts?: pulumi.CustomResourceOptions) {
    super(SECRET, name, args, opts);
  }
}

// Compile-time guard: the SDK arguments and the provider's schema name exactly the same properties.
type Missing<A, B> = Exclude<keyof A, keyof B>;
type SameKeys<A, B> = [Missing<A, B>, Missing<B, A>] extends [never, never] ? true : { onlyInFirst: Missing<A, B>; onlyInSecond: Missing<B, A> };
const argsMatchSchema: SameKeys<SecretArgs, SecretInputs> = true;
void argsMatchSchema;
