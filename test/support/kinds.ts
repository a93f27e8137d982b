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

/**
 * What a DeployedModel needs on the emulator: a READY deployment with addons enabled and a READY LoRA addon of its
 * base model (a created model stays UPLOADING until the control route marks it READY). Polls with a short backoff
 * and a deadline instead of sleeping a fixed time.
 */
async function prepareLoraTarget(api: (method: string, path: string, body?: unknown) => Promise<Props>, accountId: string): Promise<Props> {
  const suffix = randomUUID().slice(0, 8);
  const base = "accounts/fireworks/models/llama-v3p1-8b-instruct";
  const deployment = await api("POST", `/v1/accounts/${accountId}/deployments?deploymentId=lora-host-${suffix}`, { baseModel: base, enableAddons: true, maxReplicaCount: 1 });
  const model = await api("POST", `/v1/accounts/${accountId}/models`, { modelId: `lora-${suffix}`, model: { kind: "HF_PEFT_ADDON", peftDetails: { baseModel: base, r: 8, targetModules: ["q_proj"] } } });
  await api("POST", `/_emulator/models/lora-${suffix}/ready`);
  const deadline = Date.now() + 10_000;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const current = await api("GET", `/v1/${String(deployment.name)}`);
    if (current.state === "READY") break;
    if (Date.now() > deadline) throw new Error(`deployment ${String(deployment.name)} not READY within 10s (state ${String(current.state)})`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  return { model: model.name, deployment: deployment.name };
}

/**
 * What a job needs on the emulator: a dataset (seeded through the control channel, READY) and, for RFT, an evaluator
 * (the Evaluator API is out of scope, so evaluators are seeded too). Unique IDs keep fixtures independent.
 */
async function seedJobRefs(api: (method: string, path: string, body?: unknown) => Promise<Props>, accountId: string, evaluator = false): Promise<Props> {
  const suffix = randomUUID().slice(0, 8);
  await api("PUT", `/_emulator/seeded-datasets/jobs-${suffix}`, {});
  const refs: Props = { dataset: `accounts/${accountId}/datasets/jobs-${suffix}` };
  if (evaluator) {
    await api("PUT", `/_emulator/evaluators/judge-${suffix}`, {});
    refs.evaluator = `accounts/${accountId}/evaluators/judge-${suffix}`;
  }
  return refs;
}

const JOB_BASE = "accounts/fireworks/models/llama-v3p1-8b-instruct";

export const FIXTURES: Record<string, KindFixture> = {
  // Jobs cannot be updated (no `update` entry): every change replaces them. `prepare` seeds what they reference.
  SupervisedFineTuningJob: {
    valid: { dataset: "accounts/emulator/datasets/train", baseModel: JOB_BASE, epochs: 1, loraRank: 8, learningRate: 0.0001, wandbConfig: { enabled: true, apiKey: "wandb-fixture-key", project: "p" } },
    invalid: { inputs: { dataset: "train", loraRank: 64, epochs: 500 }, properties: ["dataset", "loraRank", "epochs", "baseModel"] },
    prepare: (api, accountId) => seedJobRefs(api, accountId),
  },
  DpoJob: {
    valid: { dataset: "accounts/emulator/datasets/prefs", trainingConfig: { baseModel: JOB_BASE, loraRank: 8 }, lossConfig: { method: "DPO", dpo: { beta: 0.1 } } },
    invalid: { inputs: { dataset: "accounts/emulator/datasets/prefs", trainingConfig: { learningRate: 1 }, lossConfig: { dpo: { beta: 0.7 } } }, properties: ["trainingConfig.baseModel", "trainingConfig.learningRate", "lossConfig.dpo.beta"] },
    prepare: (api, accountId) => seedJobRefs(api, accountId),
  },
  ReinforcementFineTuningJob: {
    valid: { dataset: "accounts/emulator/datasets/rl", evaluator: "accounts/emulator/evaluators/judge", trainingConfig: { baseModel: JOB_BASE }, inferenceParameters: { temperature: 0.7 } },
    invalid: { inputs: { dataset: "accounts/emulator/datasets/rl", trainingConfig: { baseModel: JOB_BASE, warmStartFrom: "accounts/emulator/models/lora" }, chunkSize: 20000 }, properties: ["evaluator", "trainingConfig.warmStartFrom", "chunkSize"] },
    prepare: (api, accountId) => seedJobRefs(api, accountId, true),
  },
  BatchInferenceJob: {
    valid: { model: JOB_BASE, inputDatasetId: "accounts/emulator/datasets/prompts", inferenceParameters: { temperature: 0, maxTokens: 64 } },
    invalid: { inputs: { outputDatasetId: "results", precision: "FP7" }, properties: ["model", "inputDatasetId", "outputDatasetId", "precision"] },
    async prepare(api, accountId) {
      const { dataset } = await seedJobRefs(api, accountId);
      return { inputDatasetId: dataset };
    },
  },
  DeployedModel: {
    // `model` and `deployment` are replaced by `prepare` with a READY addon and a READY deployment with addons.
    valid: { model: "accounts/emulator/models/contract-lora", deployment: "accounts/emulator/deployments/contract-host", displayName: "fixture" },
    invalid: {
      inputs: { model: "contract-lora", deployment: "accounts/fireworks/models/x#accounts/emulator/deployments/d", displayName: "x".repeat(64) },
      properties: ["model", "deployment", "displayName"],
    },
    update: { displayName: "renamed", description: "changed", public: true },
    prepare: prepareLoraTarget,
  },
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
