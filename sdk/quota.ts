import * as pulumi from "@pulumi/pulumi";
import type { QuotaInputs } from "../provider/src/resources/quota";
import { QUOTA } from "./kinds";
import { FireworksResource } from "./resource";

/** Arguments of a {@link Quota}. Names follow the Fireworks API (camelCase). */
export interface QuotaArgs {
  /**
   * The quota to manage, e.g. "monthly-spend-usd" or "serverless-inference-rpm". It must already exist: quotas are
   * set up by Fireworks and can only be changed, never created. Required. A change moves management to that quota
   * (the old one keeps its value).
   */
  quotaId: pulumi.Input<string>;
  /**
   * The limit to enforce: a whole number from 0 up to the quota's `maxValue` (the maximum Fireworks approved for the
   * account), e.g. 5000. A string such as "5000" is the same value (the API sends int64 as strings); use a string
   * for values above 2^53. Required. Destroy does not reset it: the quota keeps this value on Fireworks.
   */
  value: pulumi.Input<number | string>;
}

/**
 * A Fireworks account quota, lowered (or raised up to its approved maximum) in code, e.g. a monthly spend cap per
 * environment. The quota always exists; `pulumi up` sets its value, and `pulumi destroy` leaves the value in place
 * and prints a warning saying so.
 *
 * ```ts
 * const spend = new fireworks.Quota("spend-cap", { quotaId: "monthly-spend-usd", value: 500 });
 * export const maxSpend = spend.maxValue;
 * ```
 */
export class Quota extends FireworksResource {
  static readonly __pulumiType = "fireworks:index:Quota";

  /** Full resource name, `accounts/{account}/quotas/{id}`. */
  declare readonly name: pulumi.Output<string>;
  declare readonly quotaId: pulumi.Output<string>;
  /** The enforced value, as the API returns int64: a decimal string; absent when 0 (the API omits zero values). */
  declare readonly value: pulumi.Output<string | undefined>;
  /** The maximum approved value (int64 as a decimal string), raised only by Fireworks. */
  declare readonly maxValue: pulumi.Output<string | undefined>;
  /** Current usage against the quota. */
  declare readonly usage: pulumi.Output<number | undefined>;
  declare readonly updateTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: QuotaArgs, opts?: pulumi.CustomResourceOptions) {
    super(QUOTA, name, args, opts);
  }
}

// Compile-time guard: the SDK arguments and the provider's schema name exactly the same properties.
type Missing<A, B> = Exclude<keyof A, keyof B>;
type SameKeys<A, B> = [Missing<A, B>, Missing<B, A>] extends [never, never] ? true : { onlyInFirst: Missing<A, B>; onlyInSecond: Missing<B, A> };
const argsMatchSchema: SameKeys<QuotaArgs, QuotaInputs> = true;
void argsMatchSchema;
