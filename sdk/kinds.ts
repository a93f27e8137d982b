/**
 * One declaration per resource kind: the SDK's whole knowledge of what is secret and what is an output. The resource
 * classes are built from it (sdk/resource.ts), and a test walks every declaration against the provider's spec, so a
 * secret input, a secret output or an output-only property cannot be forgotten.
 */
export interface KindDeclaration {
  /** The kind, as in `fireworks:index:<kind>` and the provider's specs. */
  kind: string;
  /** Inputs stored as secrets whatever the program passes (credentials, write-only values). */
  secretInputs: readonly string[];
  /** Properties that are outputs only: registered unset, filled by the provider from the platform. */
  outputs: readonly string[];
  /** Outputs that are secret although no input of the same name is (an API key's plaintext). */
  secretOutputs: readonly string[];
}

export const DEPLOYMENT: KindDeclaration = {
  kind: "Deployment",
  secretInputs: ["directRouteApiKeys"],
  outputs: [
    "name", "inferenceModel", "state", "status", "replicaCount", "desiredReplicaCount", "replicaStats", "createTime",
    "updateTime", "region", "cluster", "directRouteHandle", "numPeftDeviceCached", "activeModelVersion", "targetModelVersion",
  ],
  secretOutputs: [],
};

export const IDENTITY_PROVIDER: KindDeclaration = {
  kind: "IdentityProvider",
  // The whole OIDC config is stored as a secret: it carries the write-only client secret.
  secretInputs: ["oidcConfig"],
  outputs: ["name", "state", "status", "createTime", "updateTime", "domainUrl", "issuerUrl", "clientId"],
  secretOutputs: [],
};

// Secret: the value is write-only (never returned), so it is stored as a secret input; the server's secret has no
// other outputs than its name.
export const SECRET: KindDeclaration = { kind: "Secret", secretInputs: ["value"], outputs: ["name"], secretOutputs: [] };

// Quota: `value` is both input and output (the server's int64 string); maxValue and usage come from the platform.
export const QUOTA: KindDeclaration = { kind: "Quota", secretInputs: [], outputs: ["name", "maxValue", "usage", "updateTime"], secretOutputs: [] };

// User: no input is a credential; the platform fills in the name, state and timestamps.
export const USER: KindDeclaration = { kind: "User", secretInputs: [], outputs: ["name", "state", "status", "createTime", "updateTime"], secretOutputs: [] };

// ApiKey: the plaintext `key` is in the create response only, and a credential: a secret output under its own key.
export const API_KEY: KindDeclaration = {
  kind: "ApiKey",
  secretInputs: [],
  outputs: ["keyId", "key", "createTime", "secure", "email", "prefix", "lastUsed"],
  secretOutputs: ["key"],
};

// Dataset: the platform fills in the name, state, statistics and timestamps; nothing is a credential.
export const DATASET: KindDeclaration = {
  kind: "Dataset",
  secretInputs: [],
  outputs: ["name", "state", "status", "createTime", "updateTime", "estimatedTokenCount", "averageTurnCount", "createdBy", "userUploaded"],
  secretOutputs: [],
};

// DeployedModel: a LoRA load; the platform fills in the name, state and timestamps; nothing is a credential.
export const DEPLOYED_MODEL: KindDeclaration = {
  kind: "DeployedModel",
  secretInputs: [],
  outputs: ["name", "state", "status", "createTime", "updateTime", "inferenceModel"],
  secretOutputs: [],
};

// Jobs: the platform fills in the state, progress and timestamps; the W&B config carries a write-only API key, so
// it is stored as a secret. `outputModel` / `outputDataset` is what the job produced (SFT declares it as an input).
const JOB_OUTPUTS = ["name", "state", "status", "createTime", "completedTime", "createdBy", "jobProgress", "trainerLogsSignedUrl"] as const;
export const SUPERVISED_FINE_TUNING_JOB: KindDeclaration = { kind: "SupervisedFineTuningJob", secretInputs: ["wandbConfig"], outputs: [...JOB_OUTPUTS, "updateTime", "estimatedCost"], secretOutputs: [] };
export const DPO_JOB: KindDeclaration = { kind: "DpoJob", secretInputs: ["wandbConfig"], outputs: [...JOB_OUTPUTS, "outputModel"], secretOutputs: [] };
export const REINFORCEMENT_FINE_TUNING_JOB: KindDeclaration = {
  kind: "ReinforcementFineTuningJob",
  secretInputs: ["wandbConfig"],
  outputs: [...JOB_OUTPUTS, "outputModel", "outputStats", "outputMetrics", "acceleratorSeconds"],
  secretOutputs: [],
};
export const BATCH_INFERENCE_JOB: KindDeclaration = { kind: "BatchInferenceJob", secretInputs: [], outputs: ["name", "state", "status", "createTime", "updateTime", "createdBy", "jobProgress", "outputDataset"], secretOutputs: [] };

export const KINDS: readonly KindDeclaration[] = [DEPLOYMENT, SECRET, QUOTA, IDENTITY_PROVIDER, USER, API_KEY, DATASET, DEPLOYED_MODEL, SUPERVISED_FINE_TUNING_JOB, DPO_JOB, REINFORCEMENT_FINE_TUNING_JOB, BATCH_INFERENCE_JOB];
