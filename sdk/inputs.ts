/**
 * Every input of every kind, as the provider specs declare them (generated from provider/src/resources; a unit test
 * fails when it drifts). The resource classes register each one, declared or not, so every argument is also an
 * output (the platform's view of it): `deployment.acceleratorType` exists even when the program left it to the
 * platform.
 */
export const INPUTS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ["deploymentId", "baseModel", "displayName", "description", "minReplicaCount", "maxReplicaCount", "maxWithRevocableReplicaCount", "autoscalingPolicy", "acceleratorType", "acceleratorCount", "precision", "enableAddons", "draftTokenCount", "draftModel", "ngramSpeculationLength", "enableSessionAffinity", "directRouteApiKeys", "directRouteType", "deploymentTemplate", "autoTune", "placement", "maxContextLength", "disableDeploymentSizeValidation", "enableMtp", "enableHotLoad", "hotLoadBucketType", "hotLoadBucketUrl", "hotLoadTrainerJob", "enableHotReloadLatestAddon", "deploymentShape", "pricingPlanId", "annotations", "expireTime", "disableAutoDeploy", "disableSpeculativeDecoding", "skipShapeValidation", "skipImageTagValidation", "hardDelete", "ignoreChecks", "timeouts"],
  Secret: ["secretId", "keyName", "value"],
  Quota: ["quotaId", "value"],
  IdentityProvider: ["displayName", "samlConfig", "oidcConfig", "tenantDomains", "enableJitUserProvisioning", "jitDefaultRole", "enforceSso", "enableIdpInitiatedSso", "timeouts"],
  User: ["userId", "email", "serviceAccount", "role", "displayName", "permissionPreset", "roleOnDestroy"],
  ApiKey: ["user", "displayName", "expireTime", "annotations", "keepers"],
  Dataset: ["datasetId", "source", "externalUrl", "format", "displayName", "exampleCount", "sourceJobName", "timeouts"],
  SupervisedFineTuningJob: ["supervisedFineTuningJobId", "displayName", "dataset", "evaluationDataset", "evalAutoCarveout", "baseModel", "warmStartFrom", "outputModel", "jinjaTemplate", "epochs", "learningRate", "learningRateWarmupSteps", "gradientAccumulationSteps", "maxContextLength", "loraRank", "batchSize", "batchSizeSamples", "optimizerWeightDecay", "region", "earlyStop", "isTurbo", "wandbConfig", "awsS3Config", "azureBlobStorageConfig", "purpose", "waitForCompletion", "timeouts"],
  DpoJob: ["dpoJobId", "displayName", "dataset", "trainingConfig", "lossConfig", "wandbConfig", "awsS3Config", "azureBlobStorageConfig", "purpose", "waitForCompletion", "timeouts"],
  ReinforcementFineTuningJob: ["reinforcementFineTuningJobId", "displayName", "dataset", "evaluationDataset", "evalAutoCarveout", "evaluator", "trainingConfig", "lossConfig", "inferenceParameters", "chunkSize", "maxInferenceReplicaCount", "nodeCount", "maxConcurrentRollouts", "maxConcurrentEvaluations", "mcpServer", "wandbConfig", "awsS3Config", "azureBlobStorageConfig", "purpose", "waitForCompletion", "timeouts"],
  BatchInferenceJob: ["batchInferenceJobId", "displayName", "model", "inputDatasetId", "outputDatasetId", "inferenceParameters", "precision", "continuedFromJobName", "waitForCompletion", "timeouts"],
  DeployedModel: ["model", "deployment", "displayName", "description", "default", "public", "replaceMergedAddon", "timeouts"],
};
