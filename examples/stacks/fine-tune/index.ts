import * as pulumi from "@pulumi/pulumi";
import * as fireworks from "pulumi-fireworks";

const BASE_MODEL = "accounts/fireworks/models/llama-v3p1-8b-instruct";

// The training data, from the repository. Editing the file replaces the dataset, and with it everything trained on
// it: a pull request that changes data/train.jsonl shows in its preview exactly what will be retrained.
const train = new fireworks.Dataset("support-chats", {
  source: new pulumi.asset.FileAsset("data/train.jsonl"),
  format: "CHAT",
  displayName: "Support chats",
});

// A LoRA fine-tune on it. `up` waits until the job completes and outputs the model it produced.
const sft = new fireworks.SupervisedFineTuningJob("support-sft", {
  baseModel: BASE_MODEL,
  dataset: train.name,
  epochs: 1,
  loraRank: 8,
});

// A deployment of the base model that accepts LoRA addons, and the fine-tuned adapter loaded onto it.
const serving = new fireworks.Deployment("support", {
  baseModel: BASE_MODEL,
  enableAddons: true,
  minReplicaCount: 1,
  maxReplicaCount: 1,
});
const adapter = new fireworks.DeployedModel("support-adapter", {
  model: sft.outputModel,
  deployment: serving.name,
});

// A batch run of the fine-tuned model over held-out prompts (no format: prompts have no assistant turn to learn from).
const prompts = new fireworks.Dataset("eval-prompts", {
  source: new pulumi.asset.FileAsset("data/eval-prompts.jsonl"),
});
const evaluation = new fireworks.BatchInferenceJob("support-eval", {
  model: sft.outputModel,
  inputDatasetId: prompts.name,
  inferenceParameters: { maxTokens: 256, temperature: 0 },
});

export const fineTunedModel = sft.outputModel;
// Send this as `model` to the inference API to reach the adapter on the deployment.
export const adapterInferenceModel = adapter.inferenceModel;
export const evaluationOutput = evaluation.outputDataset;
