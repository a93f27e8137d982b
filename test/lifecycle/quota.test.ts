/**
 * Quota against the emulator, in process: take-over of an existing quota, int64 values as strings, a value above
 * the approved maximum, refresh, and a destroy that leaves the value in place and says so.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as lifecycle from "../../provider/src/lifecycle";
import { quotaSpec } from "../../provider/src/resources/quota";
import type { Props } from "../../provider/src/values";
import { useLifecycle } from "./setup";

describe("Quota lifecycle against the emulator", () => {
  const env = useLifecycle();
  let n = 0;

  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** A quota of its own for each test, seeded as Fireworks would (the API cannot create one). */
  const seed = async (value: string, maxValue: string): Promise<string> => {
    n += 1;
    const id = `gpu-quota-${n}`;
    const res = await fetch(`${env.emulator.url}/_emulator/quotas/${id}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ value, maxValue, usage: 1 }),
    });
    expect(res.status).toBe(200);
    return id;
  };
  const inputs = (extra: Props): Props => {
    const checked = lifecycle.check(quotaSpec, {}, { __owner: `proj/dev/quota${n}`, __instance: "instance-a", ...extra });
    expect(checked.failures).toEqual([]);
    return checked.inputs;
  };
  const path = (id: string): string => `/v1/accounts/${env.emulator.accountId}/quotas/${id}`;
  const writes = async (): Promise<string[]> => (await env.admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.status}`);

  it("takes over an existing quota, sets its value and outputs what the server returns", async () => {
    const quotaId = await seed("16", "16");
    const news = inputs({ quotaId, value: 8 });
    const { id, outs } = await lifecycle.create(quotaSpec, env.ctx, news);
    expect(id).toBe(quotaId);
    expect(outs).toMatchObject({ name: `accounts/${env.emulator.accountId}/quotas/${quotaId}`, quotaId, value: "8", maxValue: "16", usage: 1 });
    expect(typeof outs.updateTime).toBe("string");
    expect(await writes()).toEqual(["PATCH 200"]);
    expect((await env.admin.get(path(quotaId)))?.value).toBe("8");
    expect(lifecycle.diff(quotaSpec, outs, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("sends nothing when the quota already holds the declared value (5000 ≡ \"5000\")", async () => {
    const news = inputs({ quotaId: "monthly-spend-usd", value: "5000" });
    const { outs } = await lifecycle.create(quotaSpec, env.ctx, news);
    expect(await writes()).toEqual([]);
    expect(outs.value).toBe("5000");
    expect(lifecycle.diff(quotaSpec, outs, inputs({ quotaId: "monthly-spend-usd", value: 5000 })).changes).toBe(false);
  });

  it("updates the value with one PATCH, and neither spelling shows a diff afterwards", async () => {
    const quotaId = await seed("10", "100");
    const news = inputs({ quotaId, value: 10 });
    const { id, outs } = await lifecycle.create(quotaSpec, env.ctx, news);
    const changed = lifecycle.check(quotaSpec, outs, { ...news, value: "40" }).inputs;
    expect(lifecycle.diff(quotaSpec, outs, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await env.admin.clearRequests();
    const updated = await lifecycle.update(quotaSpec, env.ctx, id, outs, changed);
    expect(await writes()).toEqual(["PATCH 200"]);
    expect(updated.outs.value).toBe("40");
    expect(lifecycle.diff(quotaSpec, updated.outs, changed).changes).toBe(false);
    expect(lifecycle.diff(quotaSpec, updated.outs, { ...changed, value: 40 }).changes).toBe(false);
  });

  it("lowers a quota to 0, which the API omits from responses, without an invented diff", async () => {
    const quotaId = await seed("5", "10");
    const news = inputs({ quotaId, value: 0 });
    const { id, outs } = await lifecycle.create(quotaSpec, env.ctx, news);
    expect(outs.value).toBeUndefined();
    expect(lifecycle.diff(quotaSpec, outs, news).changes).toBe(false);
    const read = await lifecycle.read(quotaSpec, env.ctx, id, outs);
    expect(lifecycle.diff(quotaSpec, read.props ?? {}, news).changes).toBe(false);
  });

  it("fails a value above maxValue with the platform's message naming the limit", async () => {
    const quotaId = await seed("10", "20");
    const news = inputs({ quotaId, value: 25 });
    const err = await lifecycle.create(quotaSpec, env.ctx, news).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(lifecycle.ResourceInitError);
    expect(String((err as Error).message)).toBe(
      `update Quota "accounts/emulator/quotas/${quotaId}" failed: HTTP 400 INVALID_ARGUMENT: validation error: quota.value: 25 exceeds the max_value 20 of quota "accounts/emulator/quotas/${quotaId}"`,
    );
    expect((await env.admin.get(path(quotaId)))?.value).toBe("10");

    // The same on update.
    const { id, outs } = await lifecycle.create(quotaSpec, env.ctx, inputs({ quotaId, value: 15 }));
    const over = lifecycle.check(quotaSpec, outs, { ...news, value: "21" }).inputs;
    const updateErr = await lifecycle.update(quotaSpec, env.ctx, id, outs, over).catch((e: unknown) => e);
    expect(String(updateErr)).toContain("21 exceeds the max_value 20");
    expect((await env.admin.get(path(quotaId)))?.value).toBe("15");
  });

  it("explains a quota that does not exist (quotas cannot be created)", async () => {
    const err = await lifecycle.create(quotaSpec, env.ctx, inputs({ quotaId: "no-such-quota", value: 1 })).catch((e: unknown) => e);
    expect(String(err)).toContain(
      'create Quota "accounts/emulator/quotas/no-such-quota": it does not exist on the platform; check quotaId (a quota cannot be created, only changed)',
    );
    expect(await writes()).toEqual([]);
  });

  it("reports a value changed outside Pulumi as drift on refresh, and nothing when unchanged", async () => {
    const quotaId = await seed("10", "100");
    const news = inputs({ quotaId, value: 30 });
    const { id, outs } = await lifecycle.create(quotaSpec, env.ctx, news);
    const same = await lifecycle.read(quotaSpec, env.ctx, id, outs);
    expect(same.inputs).toMatchObject({ quotaId, value: 30 });
    expect(lifecycle.diff(quotaSpec, same.props ?? {}, news).changes).toBe(false);

    await seed("0", "0"); // moves n on; the quota under test is changed next
    const res = await fetch(`${env.emulator.url}/_emulator/quotas/${quotaId}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ value: "45" }),
    });
    expect(res.status).toBe(200);
    const drifted = await lifecycle.read(quotaSpec, env.ctx, id, outs);
    expect(drifted.inputs?.value).toBe("45");
    expect(lifecycle.diff(quotaSpec, drifted.props ?? {}, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("leaves the quota and its value on destroy, and warns which quota keeps which value", async () => {
    const quotaId = await seed("50", "100");
    const { id, outs } = await lifecycle.create(quotaSpec, env.ctx, inputs({ quotaId, value: 20 }));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await env.admin.clearRequests();
    await lifecycle.remove(quotaSpec, env.ctx, id, outs);
    expect(await writes()).toEqual([]);
    expect((await env.admin.get(path(quotaId)))?.value).toBe("20");
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      `warning: Quota "accounts/emulator/quotas/${quotaId}" keeps its value 20 (maxValue 100) on Fireworks: quotas cannot be deleted or reset through the API, so destroy only removed it from the stack; set it back with firectl or the console if you want the earlier limit`,
    );
    // Still there for a later stack to manage.
    expect((await lifecycle.read(quotaSpec, env.ctx, id, outs)).id).toBe(id);
  });
});
