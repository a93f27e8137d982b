import { describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { BASE_MODEL, Client } from "./helpers";

describe("timings per collection", () => {
  it("takes per-collection options, with flat aliases winning for the same transition", async () => {
    const emu = await startEmulator({ timings: { deployments: { createMs: 30, deleteMs: 70 }, deploymentDeleteMs: 9 } });
    try {
      const client = new Client(emu);
      expect((await client.admin("GET", "/timings/deployments")).body).toEqual({ createMs: 30, updateMs: 50, deleteMs: 9 });
      expect((await client.admin("GET", "/timings")).body).toMatchObject({ deploymentCreateMs: 30, deploymentUpdateMs: 50, deploymentDeleteMs: 9 });
    } finally {
      await emu.close();
    }
  });

  it("changes one collection's timings at run time, nested or by alias, and applies them to new transitions", async () => {
    const emu = await startEmulator();
    try {
      const client = new Client(emu);
      const nested = await client.admin("PUT", "/timings", { deployments: { updateMs: 7 } });
      expect(nested.body).toMatchObject({ deploymentCreateMs: 50, deploymentUpdateMs: 7, deploymentDeleteMs: 50 });
      const one = await client.admin("PUT", "/timings/deployments", { createMs: 5 });
      expect(one.body).toEqual({ createMs: 5, updateMs: 7, deleteMs: 50 });
      const started = Date.now();
      await client.create({ baseModel: BASE_MODEL }, "?deploymentId=quick");
      await client.waitForState("quick", "READY");
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await emu.close();
    }
  });

  it("rejects unknown collections, transitions and values, changing nothing", async () => {
    const emu = await startEmulator();
    try {
      const client = new Client(emu);
      expect((await client.admin("PUT", "/timings", { deployments: { createMs: 1 }, gadgets: { createMs: 1 } })).status).toBe(400);
      expect((await client.admin("PUT", "/timings", { deployments: { brewMs: 1 } })).status).toBe(400);
      expect((await client.admin("PUT", "/timings", { deployments: 5 })).status).toBe(400);
      expect((await client.admin("PUT", "/timings/deployments", { createMs: 1.5 })).status).toBe(400);
      expect((await client.admin("GET", "/timings/gadgets")).status).toBe(404);
      expect((await client.admin("GET", "/timings/deployments")).body).toEqual({ createMs: 50, updateMs: 50, deleteMs: 50 });
      await expect(startEmulator({ timings: { gadgets: { createMs: 1 } } })).rejects.toThrow(/invalid timings/);
      await expect(startEmulator({ timings: { deployments: { createMs: -1 } } })).rejects.toThrow(/non-negative/);
    } finally {
      await emu.close();
    }
  });
});
