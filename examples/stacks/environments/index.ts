import * as pulumi from "@pulumi/pulumi";
import * as fireworks from "pulumi-fireworks";

// Each stack (Pulumi.staging.yaml, Pulumi.production.yaml) sizes the same deployment differently:
//   pulumi stack select staging && pulumi up
// The API key comes from `pulumi config set --secret fireworks:apiKey ...` per stack, or FIREWORKS_API_KEY.
const config = new pulumi.Config();
const env = pulumi.getStack();

const chat = new fireworks.Deployment("chat", {
  baseModel: config.require("baseModel"),
  displayName: `chat (${env})`,
  acceleratorType: config.require("acceleratorType") as fireworks.AcceleratorType,
  precision: "FP8",
  minReplicaCount: config.requireNumber("minReplicas"),
  maxReplicaCount: config.requireNumber("maxReplicas"),
  autoscalingPolicy: { scaleToZeroWindow: config.require("scaleToZeroWindow") },
  annotations: { environment: env },
});

export const inferenceModel = chat.inferenceModel;
export const replicas = chat.replicaCount;
