/** Small Pulumi programs for the end-to-end tests, written the way a user would write them. */
export interface ProgramOptions {
  name?: string;
  args: Record<string, unknown>;
}

export function deploymentProgram({ name = "llama", args }: ProgramOptions): string {
  return `import * as fireworks from "pulumi-fireworks";

const deployment = new fireworks.Deployment(${JSON.stringify(name)}, ${JSON.stringify(args, null, 2)} as fireworks.DeploymentArgs);

export const deploymentName = deployment.name;
export const deploymentId = deployment.deploymentId;
export const state = deployment.state;
export const inferenceModel = deployment.inferenceModel;
`;
}

export const LLAMA_8B = "accounts/fireworks/models/llama-v3p1-8b-instruct";
export const QWEN_7B = "accounts/fireworks/models/qwen2p5-7b-instruct";
