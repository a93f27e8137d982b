/**
 * The runtime entry the shim calls, as the dynamic-provider host drives it: one process per provider, configured
 * once per kind's shim text, with several kinds' operations in flight at once.
 */
import { describe, expect, it } from "vitest";
import * as runtime from "../../provider/src/runtime";
import type { Props } from "../../provider/src/values";
import { LLAMA, useLifecycle } from "./setup";

describe("provider runtime with several kinds in one process", () => {
  const env = useLifecycle();

  it("keeps in-flight calls working when another kind's shim configures the process again", async () => {
    const values: Record<string, string> = {
      "fireworks:apiKey": env.emulator.apiKey,
      "fireworks:accountId": env.emulator.accountId,
      "fireworks:baseUrl": env.emulator.url,
    };
    const config = { get: (k: string) => values[k] };
    await runtime.configure({ config });
    await env.admin.setTimings({ deploymentCreateMs: 300 });
    const deployments = runtime.provider("Deployment");
    const checked = await deployments.check({}, { baseModel: LLAMA, __owner: "proj/dev/multi", __instance: "i-1" });
    const creating = deployments.create(checked.inputs);
    // The Secret shim arrives while the deployment is still being waited for (the host configures per shim text).
    await runtime.configure({ config });
    const secrets = runtime.provider("Secret");
    const secret = await secrets.create((await secrets.check({}, { keyName: "MULTI_KIND", value: "s3cret-value-1", __owner: "proj/dev/s", __instance: "i-1" })).inputs);
    const created = await creating;
    expect((created.outs as Props).state).toBe("READY");
    expect(secret.id).toMatch(/^s-[0-9a-f]{7}$/);
  });
});
