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

export const KINDS: readonly KindDeclaration[] = [DEPLOYMENT];
