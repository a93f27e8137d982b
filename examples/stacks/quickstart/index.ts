import * as fireworks from "pulumi-fireworks";

// One dedicated deployment. Omitting deploymentId lets the provider derive a stable ID from the resource name,
// so a replacement can come up before the old deployment is removed.
const llama = new fireworks.Deployment("llama-8b", {
  baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct",
  displayName: "Quickstart Llama 3.1 8B",
  acceleratorType: "NVIDIA_H100_80GB",
  acceleratorCount: 1,
  precision: "FP8",
  minReplicaCount: 0,
  maxReplicaCount: 2,
  autoscalingPolicy: {
    scaleUpWindow: "30s",
    scaleDownWindow: "10m",
    scaleToZeroWindow: "15m",
  },
});

export const deploymentName = llama.name;
export const state = llama.state;
export const replicas = llama.replicaCount;
// Send this as `model` to the inference API to reach this deployment.
export const inferenceModel = llama.inferenceModel;
