/** What `up` shows while it waits: a line whenever where the resource stands changes, never the same line twice. */
import { describe, expect, it } from "vitest";
import * as lifecycle from "../../provider/src/lifecycle";
import { deploymentSpec } from "../../provider/src/resources/deployment";
import { useLifecycle } from "./setup";

describe("progress while waiting", () => {
  const env = useLifecycle();

  it("reports state and replicas as they change, once each", async () => {
    const lines: string[] = [];
    await env.admin.setTimings({ deploymentCreateMs: 200 });
    const { outs } = await lifecycle.create(deploymentSpec, { ...env.ctx, report: (line) => lines.push(line) }, env.inputs({ minReplicaCount: 1, maxReplicaCount: 1 }));
    const name = String(outs.name);
    expect(lines[0]).toBe(`Deployment "${name}" (create): CREATING, 0/1 replicas ready`);
    expect(lines[lines.length - 1]).toBe(`Deployment "${name}" (create): READY, 1/1 replicas ready`);
    // Polled several times while CREATING, yet reported once: no flooding.
    expect(lines).toEqual([...new Set(lines)]);
    expect(lines).toHaveLength(2);
  });

  it("includes the platform's status message when it has one", async () => {
    const lines: string[] = [];
    await env.admin.failNextCreate("RESOURCE_EXHAUSTED", "No H100 capacity in US_IOWA_1");
    await lifecycle.create(deploymentSpec, { ...env.ctx, report: (line) => lines.push(line) }, env.inputs()).catch(() => undefined);
    expect(lines[lines.length - 1]).toMatch(/FAILED, 0\/\d replicas ready: No H100 capacity in US_IOWA_1$/);
  });
});
