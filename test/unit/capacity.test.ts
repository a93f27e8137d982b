import { describe, expect, it } from "vitest";
import { capacityChange, capacityOfNew } from "../../provider/src/resources/capacity";
import { deploymentSpec } from "../../provider/src/resources/deployment";
import { UNKNOWN } from "../../provider/src/values";

const H100 = "NVIDIA_H100_80GB";
const server = { acceleratorType: H100, acceleratorCount: 1, minReplicaCount: 0, maxReplicaCount: 2 };

describe("GPU capacity lines for the preview", () => {
  it("says what a replica bound change means in GPUs", () => {
    expect(capacityChange(server, { ...server, maxReplicaCount: 8 })).toBe(`GPUs: max 2×${H100} → 8×${H100}`);
    expect(capacityChange(server, { ...server, minReplicaCount: 1 })).toBe(`GPUs: min 0 → 1×${H100}`);
  });

  it("multiplies GPUs per replica and follows an accelerator change", () => {
    expect(capacityChange(server, { ...server, acceleratorType: "NVIDIA_H200_141GB", acceleratorCount: 2 })).toBe(
      `GPUs: max 2×${H100} → 4×NVIDIA_H200_141GB`,
    );
  });

  it("keeps the platform's value for what the program leaves undeclared, and says nothing when GPUs do not change", () => {
    expect(capacityChange(server, { maxReplicaCount: 2, displayName: "renamed" })).toBeUndefined();
    expect(capacityChange(server, { maxReplicaCount: 4 })).toBe(`GPUs: max 2×${H100} → 4×${H100}`);
  });

  it("applies the documented default max = max(min, 1)", () => {
    expect(capacityChange(server, { minReplicaCount: 3, maxReplicaCount: undefined, acceleratorCount: 1 })).toBe(`GPUs: min 0 → 3×${H100}, max 2×${H100} → 3×${H100}`);
  });

  it("stays quiet while values are unknown (preview of values computed elsewhere)", () => {
    expect(capacityChange(server, { ...server, maxReplicaCount: UNKNOWN })).toBeUndefined();
  });

  it("describes a new deployment, naming the platform's choice when the accelerator is left to it", () => {
    expect(capacityOfNew({ acceleratorType: H100, acceleratorCount: 1, maxReplicaCount: 2 })).toBe(`GPUs: min 0, max 2×${H100}`);
    expect(capacityOfNew({ maxReplicaCount: 2 })).toBe("GPUs: min 0, max 2 replica(s) of GPU");
  });

  it("is the Deployment spec's review line", () => {
    expect(deploymentSpec.reviewLine?.(server, { ...server, maxReplicaCount: 8 })).toBe(`GPUs: max 2×${H100} → 8×${H100}`);
  });
});
