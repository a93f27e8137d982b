/**
 * Every resource kind the provider knows, by the name the SDK registers it under (`fireworks:index:<Kind>`). Adding a
 * kind is a spec file and one line here; nothing in the engine changes.
 */
import type { ResourceSpec } from "../spec";
import { deploymentSpec } from "./deployment";
import { quotaSpec } from "./quota";
import { secretSpec } from "./secret";
import { identityProviderSpec } from "./identity-provider";
import { userSpec } from "./user";
import { apiKeySpec } from "./api-key";
import { datasetSpec } from "./dataset";
import { sftJobSpec } from "./sft-job";
import { dpoJobSpec } from "./dpo-job";
import { rftJobSpec } from "./rft-job";
import { batchInferenceJobSpec } from "./batch-inference-job";
import { deployedModelSpec } from "./deployed-model";

export const SPECS: Readonly<Record<string, ResourceSpec>> = {
  Deployment: deploymentSpec,
  Secret: secretSpec,
  Quota: quotaSpec,
  IdentityProvider: identityProviderSpec,
  User: userSpec,
  ApiKey: apiKeySpec,
  Dataset: datasetSpec,
  SupervisedFineTuningJob: sftJobSpec,
  DpoJob: dpoJobSpec,
  ReinforcementFineTuningJob: rftJobSpec,
  BatchInferenceJob: batchInferenceJobSpec,
  DeployedModel: deployedModelSpec,
};
