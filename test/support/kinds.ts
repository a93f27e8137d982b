/**
 * Per-kind fixtures for the contract tests (test/contract): a valid declaration, one with several independent
 * problems, and an in-place change. Every kind the provider registers must have an entry (a test checks it), so each
 * new kind gets the shared corner cases for free.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileAsset } from "../../provider/src/assets";
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

/** A small CHAT dataset on disk for the Dataset fixture (the upload path runs in every contract test). */
const CHAT_JSONL = join(mkdtempSync(join(tmpdir(), "fw-dataset-fixture-")), "train.jsonl");
writeFileSync(CHAT_JSONL, '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n'.repeat(3));

export const FIXTURES: Record<string, KindFixture> = {
  Dataset: {
    valid: { source: fileAsset(CHAT_JSONL), format: "CHAT", displayName: "fixture" },
    invalid: { inputs: { datasetId: "Bad_ID", format: "TEXT", externalUrl: "https://example.com/a.jsonl" }, properties: ["datasetId", "format", "externalUrl"] },
    update: { displayName: "renamed", exampleCount: 3 },
  },
  User: {
    valid: { email: "ada@example.com", role: "user", displayName: "Ada" },
    invalid: { inputs: { role: "owner", email: "not-an-address", permissionPreset: "ops" }, properties: ["role", "email", "permissionPreset"] },
    update: { role: "admin", displayName: "Ada L." },
    survivesDelete: true,
  },
  ApiKey: {
    // `user` is replaced by `prepare` with a service account created on the emulator.
    valid: { user: "accounts/emulator/users/contract-sa", displayName: "ci", annotations: { team: "ml" }, keepers: { rotation: "1" } },
    invalid: { inputs: { user: "accounts/emulator/models/m", expireTime: "2001-01-01T00:00:00Z", displayName: "x".repeat(64) }, properties: ["user", "expireTime", "displayName"] },
    async prepare(api, accountId) {
      const user = await api("POST", `/v1/accounts/${accountId}/users?userId=sa-${randomUUID().slice(0, 8)}`, { serviceAccount: true, role: "user" });
      return { user: user.name };
    },
  },
  Secret: {
    valid: { keyName: "HF_TOKEN", value: "fixture-secret-value" },
    invalid: { inputs: { secretId: "Bad_ID", keyName: "hf-token", value: "" }, properties: ["secretId", "keyName", "value"] },
    update: { keyName: "HUGGING_FACE_TOKEN", value: "fixture-secret-rotated" },
  },
  Quota: {
    valid: { quotaId: "serverless-inference-rpm", value: 3000 },
    invalid: { inputs: { quotaId: "Serverless_RPM", value: -1 }, properties: ["quotaId", "value"] },
    update: { value: "1000" },
    survivesDelete: true,
  },
  IdentityProvider: {
    valid: { displayName: "Okta", oidcConfig: { issuerUrl: "https://example.okta.com", clientId: "client-1", clientSecret: "fixture-client-secret" }, tenantDomains: ["example.com"] },
    invalid: { inputs: { displayName: "x".repeat(64), oidcConfig: { issuerUrl: "https://example.okta.com", clientId: "c", clientSecret: "s" }, jitDefaultRole: "owner", enableIdpInitiatedSso: true }, properties: ["displayName", "jitDefaultRole", "enableIdpInitiatedSso"] },
    update: { displayName: "Okta (renamed)", enforceSso: true },
  },
  Deployment: {
    valid: { baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct", maxReplicaCount: 1 },
    invalid: { inputs: { baseModel: "accounts/fireworks/models/x", acceleratorType: "H100", minReplicaCount: -1 }, properties: ["acceleratorType", "minReplicaCount"] },
    update: { maxReplicaCount: 2, displayName: "changed" },
  },
};
