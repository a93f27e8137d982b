/**
 * Secret against the emulator, in process: create with the ID in the body, a value the API never returns (compared
 * by hash, never in outputs, state bookkeeping or error text), full-replacement PATCH, refresh without invented
 * drift, delete.
 */
import { describe, expect, it } from "vitest";
import * as lifecycle from "../../provider/src/lifecycle";
import { secretSpec } from "../../provider/src/resources/secret";
import type { Props } from "../../provider/src/values";
import { useLifecycle } from "./setup";

const VALUE = "hf_TopSecret-0123456789";
const ROTATED = "hf_Rotated-9876543210";

describe("Secret lifecycle against the emulator", () => {
  const env = useLifecycle();
  let n = 0;

  /** Checked inputs for a fresh stack resource, as the engine would pass them to create. */
  const inputs = (extra: Props = {}): Props => {
    n += 1;
    const checked = lifecycle.check(secretSpec, {}, { keyName: "HF_TOKEN", value: VALUE, __owner: `proj/dev/secret${n}`, __instance: "instance-a", ...extra });
    expect(checked.failures).toEqual([]);
    return checked.inputs;
  };
  const path = (id: string): string => `/v1/accounts/${env.emulator.accountId}/secrets/${id}`;
  /** What the emulator stored, value included (its control route; the API never shows the value). */
  const stored = async (id: string): Promise<Props> => {
    const res = await fetch(`${env.emulator.url}/_emulator/secrets/${id}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Props;
  };
  const writes = async (): Promise<string[]> => (await env.admin.requests()).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.status}`);

  it("creates with the ID as the body's name, and outputs the server's secret without the value", async () => {
    const news = inputs();
    const { id, outs } = await lifecycle.create(secretSpec, env.ctx, news);
    expect(id).toMatch(/^secret\d+-[0-9a-f]{7}$/);
    expect(outs.name).toBe(`accounts/${env.emulator.accountId}/secrets/${id}`);
    expect(outs.secretId).toBe(id);
    expect(outs.keyName).toBe("HF_TOKEN");
    expect(outs.value).toBeUndefined();
    expect(outs.__declared).toEqual({ keyName: "HF_TOKEN", value: true });
    expect(JSON.stringify(outs)).not.toContain(VALUE);
    expect(await stored(id)).toMatchObject({ keyName: "HF_TOKEN", value: VALUE });
    expect(await writes()).toEqual(["POST 200"]);
  });

  it("uses a given secretId", async () => {
    const { id, outs } = await lifecycle.create(secretSpec, env.ctx, inputs({ secretId: "wandb-key" }));
    expect(id).toBe("wandb-key");
    expect(outs.name).toBe(`accounts/${env.emulator.accountId}/secrets/wandb-key`);
  });

  it("shows no diff after create, nor after a refresh, although the server never returns the value", async () => {
    const news = inputs();
    const { id, outs } = await lifecycle.create(secretSpec, env.ctx, news);
    expect(lifecycle.diff(secretSpec, outs, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const read = await lifecycle.read(secretSpec, env.ctx, id, outs);
    expect(read.id).toBe(id);
    expect(JSON.stringify(read)).not.toContain(VALUE);
    expect(lifecycle.diff(secretSpec, read.props ?? {}, news).changes).toBe(false);
    const rechecked = lifecycle.check(secretSpec, read.props ?? {}, { ...news, ...read.inputs }).inputs;
    expect(lifecycle.diff(secretSpec, read.props ?? {}, rechecked).changes).toBe(false);
  });

  it("reports a keyName changed outside Pulumi as drift on refresh", async () => {
    const news = inputs();
    const { id, outs } = await lifecycle.create(secretSpec, env.ctx, news);
    const res = await fetch(`${env.emulator.url}${path(id)}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${env.emulator.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ keyName: "OTHER_NAME", value: "changed-in-console" }),
    });
    expect(res.status).toBe(200);
    const read = await lifecycle.read(secretSpec, env.ctx, id, outs);
    expect(read.inputs?.keyName).toBe("OTHER_NAME");
    expect(lifecycle.diff(secretSpec, read.props ?? {}, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("rotates the value with exactly one PATCH, then shows no diff", async () => {
    const news = inputs();
    const { id, outs } = await lifecycle.create(secretSpec, env.ctx, news);
    const changed = lifecycle.check(secretSpec, outs, { ...news, value: ROTATED }).inputs;
    expect(lifecycle.diff(secretSpec, outs, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await env.admin.clearRequests();
    const updated = await lifecycle.update(secretSpec, env.ctx, id, outs, changed);
    expect(await writes()).toEqual(["PATCH 200"]);
    expect(await stored(id)).toMatchObject({ keyName: "HF_TOKEN", value: ROTATED });
    expect(JSON.stringify(updated.outs)).not.toContain(ROTATED);
    expect(lifecycle.diff(secretSpec, updated.outs, changed).changes).toBe(false);
    // The old value is the change now.
    expect(lifecycle.diff(secretSpec, updated.outs, news).changes).toBe(true);
  });

  it("renames keyName in place, resending the value (the PATCH replaces both)", async () => {
    const news = inputs();
    const { id, outs } = await lifecycle.create(secretSpec, env.ctx, news);
    const changed = lifecycle.check(secretSpec, outs, { ...news, keyName: "HUGGING_FACE_TOKEN" }).inputs;
    await env.admin.clearRequests();
    const updated = await lifecycle.update(secretSpec, env.ctx, id, outs, changed);
    expect(await writes()).toEqual(["PATCH 200"]);
    expect(updated.outs.keyName).toBe("HUGGING_FACE_TOKEN");
    expect(await stored(id)).toMatchObject({ keyName: "HUGGING_FACE_TOKEN", value: VALUE });
  });

  it("sends nothing when nothing changed", async () => {
    const news = inputs();
    const { id, outs } = await lifecycle.create(secretSpec, env.ctx, news);
    await env.admin.clearRequests();
    await lifecycle.update(secretSpec, env.ctx, id, outs, news);
    expect(await writes()).toEqual([]);
  });

  it("never repeats the value or the API key in an error, even when the platform echoes the request", async () => {
    await env.admin.fault({ method: "POST", path: "/secrets", action: { type: "status", status: 400, echo: true } });
    const created = await lifecycle.create(secretSpec, env.ctx, inputs()).catch((e: unknown) => e);
    expect(created).toBeInstanceOf(Error);
    const createText = `${String(created)} ${JSON.stringify(created)}`;
    expect(createText).toContain("HTTP 400");
    expect(createText).toContain("request body");
    expect(createText).not.toContain(VALUE);
    expect(createText).not.toContain(env.emulator.apiKey);

    const news = inputs();
    const { id, outs } = await lifecycle.create(secretSpec, env.ctx, news);
    await env.admin.fault({ method: "PATCH", path: "/secrets", action: { type: "status", status: 400, echo: true } });
    const changed = lifecycle.check(secretSpec, outs, { ...news, value: ROTATED }).inputs;
    const updated = await lifecycle.update(secretSpec, env.ctx, id, outs, changed).catch((e: unknown) => e);
    expect(updated).toBeInstanceOf(lifecycle.ResourceInitError);
    const init = updated as lifecycle.ResourceInitError;
    const updateText = `${init.message} ${init.reasons.join(" ")} ${JSON.stringify(init.properties)}`;
    expect(updateText).toContain("HTTP 400");
    expect(updateText).not.toContain(ROTATED);
    expect(updateText).not.toContain(VALUE);
    expect(updateText).not.toContain(env.emulator.apiKey);
  });

  it("passes the platform's validation message through, for a rule the preview did not know", async () => {
    // A keyName check the platform adds later: preview passes, and the API's 400 reaches the user unchanged.
    await env.admin.fault({ method: "POST", path: "/secrets", action: { type: "status", status: 400, message: "secret.key_name: reserved name" } });
    const err = await lifecycle.create(secretSpec, env.ctx, inputs()).catch((e: unknown) => e);
    expect(String(err)).toMatch(/create Secret "accounts\/emulator\/secrets\/secret\d+-[0-9a-f]{7}" failed: HTTP 400 INVALID_ARGUMENT: secret.key_name: reserved name/);
  });

  it("deletes, treats an already-deleted secret as gone, and drops it from state on refresh", async () => {
    const { id, outs } = await lifecycle.create(secretSpec, env.ctx, inputs());
    await env.admin.clearRequests();
    await lifecycle.remove(secretSpec, env.ctx, id, outs);
    expect(await writes()).toEqual(["DELETE 200"]);
    expect(await env.admin.get(path(id))).toBeUndefined();
    await expect(lifecycle.remove(secretSpec, env.ctx, id, outs)).resolves.toBeUndefined();
    expect(await lifecycle.read(secretSpec, env.ctx, id, outs)).toEqual({});
  });

  it("refuses to take over a secret it did not create under a given secretId", async () => {
    const res = await fetch(`${env.emulator.url}/v1/accounts/${env.emulator.accountId}/secrets`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.emulator.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `accounts/${env.emulator.accountId}/secrets/someone-elses`, keyName: "THEIRS", value: "theirs" }),
    });
    expect(res.status).toBe(200);
    const err = await lifecycle.create(secretSpec, env.ctx, inputs({ secretId: "someone-elses" })).catch((e: unknown) => e);
    expect(String(err)).toContain('create Secret "accounts/emulator/secrets/someone-elses": it already exists and was not created by this stack resource');
    expect(await stored("someone-elses")).toMatchObject({ keyName: "THEIRS", value: "theirs" });
  });

  it("adopts its own secret after a create whose answer was lost, and resends the value", async () => {
    await env.admin.fault({ method: "POST", path: "/secrets", action: { type: "applyThenDrop" } });
    const news = inputs();
    const { id, outs } = await lifecycle.create(secretSpec, env.ctx, news);
    // The value cannot be read back to confirm it: the adopted secret gets it again.
    expect(await writes()).toEqual(["POST 0", "PATCH 200"]);
    expect(await stored(id)).toMatchObject({ value: VALUE });
    expect(lifecycle.diff(secretSpec, outs, news).changes).toBe(false);
  });
});
