/**
 * What every kind must do against the platform, derived from its spec and run for each registered kind: no diff
 * right after create or refresh, in-place updates that converge, 404 on delete is success, and an ambiguous create
 * (the platform applied it, the connection dropped) never leaves two resources.
 */
import { describe, expect, it } from "vitest";
import * as lifecycle from "../../provider/src/lifecycle";
import { SPECS } from "../../provider/src/resources";
import type { Props } from "../../provider/src/values";
import { useLifecycle } from "../lifecycle/setup";
import { FIXTURES } from "../support/kinds";

describe.each(Object.keys(SPECS))("contract: %s against the emulator", (kind) => {
  const spec = SPECS[kind]!;
  const fixture = FIXTURES[kind]!;
  const env = useLifecycle();
  let n = 0;

  const api = env.api;

  /** Checked inputs for a fresh resource of this kind. */
  const inputs = async (extra: Props = {}): Promise<Props> => {
    n += 1;
    const prepared = fixture.prepare ? await fixture.prepare(api, env.emulator.accountId) : {};
    const news = { ...fixture.valid, ...prepared, ...extra, __owner: `proj/dev/${kind.toLowerCase()}${n}`, __instance: "contract-instance" };
    const checked = lifecycle.check(spec, {}, news);
    expect(checked.failures).toEqual([]);
    return checked.inputs;
  };

  const count = async (checked: Props): Promise<number> => {
    const collection = spec.api.collection(env.ctx.config, checked);
    const body = await api("GET", `/v1/${collection}?pageSize=200`);
    const items = body[spec.api.read.kind === "list" ? spec.api.read.items : collection.slice(collection.lastIndexOf("/") + 1)];
    return Array.isArray(items) ? items.length : 0;
  };

  it("shows no diff right after create, nor after a refresh", async () => {
    const news = await inputs();
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    expect(lifecycle.diff(spec, outs, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const read = await lifecycle.read(spec, env.ctx, id, outs);
    expect(read.id).toBe(id);
    expect(lifecycle.diff(spec, read.props ?? {}, news).changes).toBe(false);
    expect(lifecycle.diff(spec, read.props ?? {}, lifecycle.check(spec, read.inputs ?? {}, { ...news, ...read.inputs }).inputs).changes).toBe(false);
    await lifecycle.remove(spec, env.ctx, id, read.props ?? {});
  });

  it("updates in place and converges", async () => {
    if (!fixture.update) return;
    const news = await inputs();
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    const changed = lifecycle.check(spec, news, { ...news, ...fixture.update }).inputs;
    const planned = lifecycle.diff(spec, outs, changed);
    expect(planned.changes).toBe(true);
    expect(planned.replaces).toEqual([]);
    const updated = await lifecycle.update(spec, env.ctx, id, outs, changed);
    expect(lifecycle.diff(spec, updated.outs, changed).changes).toBe(false);
    await lifecycle.remove(spec, env.ctx, id, updated.outs);
  });

  it("treats delete of what is already gone as success", async () => {
    const news = await inputs();
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    await lifecycle.remove(spec, env.ctx, id, outs);
    await expect(lifecycle.remove(spec, env.ctx, id, outs)).resolves.toBeUndefined();
    const after = await lifecycle.read(spec, env.ctx, id, outs);
    if (fixture.survivesDelete) expect(after.id).toBe(id);
    else expect(after).toEqual({});
  });

  it("never leaves two resources after a create the platform applied but whose answer was lost", async () => {
    if (spec.identity.kind === "existing") return;
    const news = await inputs();
    const before = await count(news);
    await env.admin.fault({ method: "POST", times: 1, action: { type: "applyThenDrop" } });
    const result = await lifecycle.create(spec, env.ctx, news).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    expect(await count(news)).toBe(before + 1);
    if (!(result instanceof Error)) await lifecycle.remove(spec, env.ctx, result.id, result.outs);
  });
});
