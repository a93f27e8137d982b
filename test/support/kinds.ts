/**
 * Per-kind fixtures for the contract tests (test/contract): a valid declaration, one with several independent
 * problems, and an in-place change. Every kind the provider registers must have an entry (a test checks it), so each
 * new kind gets the shared corner cases for free.
 */
import type { Props } from "../../provider/src/values";

export interface KindFixture {
  /** A valid declaration, without hidden inputs. `prepare` may add references to parents it creates first. */
  valid: Props;
  /** Independent problems in one declaration; check must report every listed property at once. */
  invalid: { inputs: Props; properties: string[] };
  /** Changes that update in place (kinds the API cannot update: omit). */
  update?: Props;
  /**
   * Creates what the resource needs on the emulator (e.g. the user an API key belongs to), via the emulator's API
   * with its key, and returns inputs to merge into `valid`.
   */
  prepare?(api: (method: string, path: string, body?: unknown) => Promise<Props>, accountId: string): Promise<Props>;
  /** The kind cannot be deleted (users, quotas): delete leaves it on the platform. */
  survivesDelete?: boolean;
}

export const FIXTURES: Record<string, KindFixture> = {
  Deployment: {
    valid: { baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct", maxReplicaCount: 1 },
    invalid: { inputs: { baseModel: "accounts/fireworks/models/x", acceleratorType: "H100", minReplicaCount: -1 }, properties: ["acceleratorType", "minReplicaCount"] },
    update: { maxReplicaCount: 2, displayName: "changed" },
  },
};
