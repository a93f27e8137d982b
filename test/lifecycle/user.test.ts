/**
 * The provider runtime against the emulator, in process: every lifecycle path of a User, including the one the API
 * lacks (delete): destroy leaves the user, says so, and lowers its role when asked.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as lifecycle from "../../provider/src/lifecycle";
import { userSpec } from "../../provider/src/resources/user";
import type { Props } from "../../provider/src/values";
import { useLifecycle } from "./setup";

describe("User lifecycle against the emulator", () => {
  const env = useLifecycle();
  let n = 0;
  const inputs = (extra: Props): Props => {
    n += 1;
    const checked = lifecycle.check(userSpec, {}, { __owner: `proj/dev/user${n}`, __instance: "instance-a", ...extra });
    expect(checked.failures).toEqual([]);
    return checked.inputs;
  };
  const users = async (): Promise<Props[]> => {
    const body = await env.admin.get(`/v1/accounts/${env.emulator.accountId}/users?pageSize=200`);
    return (body?.users as Props[] | undefined) ?? [];
  };
  const silenceWarnings = () => vi.spyOn(console, "warn").mockImplementation(() => undefined);

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("creates a person under the given ID and returns the platform's view", async () => {
    const news = inputs({ userId: "alice", email: "alice@example.com", role: "user", displayName: "Alice" });
    const { id, outs } = await lifecycle.create(userSpec, env.ctx, news);
    expect(id).toBe("alice");
    expect(outs).toMatchObject({ name: `accounts/${env.emulator.accountId}/users/alice`, userId: "alice", state: "READY", role: "user", email: "alice@example.com" });
    expect(lifecycle.diff(userSpec, outs, news).changes).toBe(false);
    const calls = (await env.admin.requests()).filter((r) => r.method === "POST");
    expect(calls.map((r) => r.query)).toEqual([{ userId: "alice" }]);
  });

  it("creates a service account under a derived ID", async () => {
    const news = inputs({ serviceAccount: true, role: "inference-user" });
    const { id, outs } = await lifecycle.create(userSpec, env.ctx, news);
    expect(id).toMatch(/^user\d+-[0-9a-f]{7}$/);
    expect(outs.serviceAccount).toBe(true);
    expect(outs.email).toBeUndefined();
  });

  it("changes the role and the display name in place; a PATCH of the display name alone still carries the role", async () => {
    const news = inputs({ email: "bob@example.com", role: "user" });
    const { id, outs } = await lifecycle.create(userSpec, env.ctx, news);
    await env.admin.clearRequests();
    // The emulator refuses a PATCH without role (UserUpdateParams: role required), so this passing shows it is sent.
    const renamed = { ...news, displayName: "Bob" };
    expect(lifecycle.diff(userSpec, outs, renamed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const first = await lifecycle.update(userSpec, env.ctx, id, outs, renamed);
    expect(first.outs).toMatchObject({ displayName: "Bob", role: "user" });
    const promoted = { ...renamed, role: "custom", permissionPreset: "ops" };
    const second = await lifecycle.update(userSpec, env.ctx, id, first.outs, promoted);
    expect(second.outs).toMatchObject({ role: "custom", permissionPreset: "ops" });
    // Back from custom: the preset is cleared in the same PATCH (it is only valid with role custom).
    const demoted = { ...renamed, role: "admin" };
    const third = await lifecycle.update(userSpec, env.ctx, id, second.outs, demoted);
    expect(third.outs.role).toBe("admin");
    expect(third.outs.permissionPreset).toBeUndefined();
    expect(lifecycle.diff(userSpec, third.outs, demoted).changes).toBe(false);
    expect((await env.admin.requests()).filter((r) => r.method === "PATCH").map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it("plans a replacement for a new email and leaves the old user behind on delete", async () => {
    const warn = silenceWarnings();
    const news = inputs({ email: "carol@example.com", role: "user" });
    const { id, outs } = await lifecycle.create(userSpec, env.ctx, news);
    const changed = lifecycle.check(userSpec, {}, { ...news, __name: undefined, email: "carol@corp.example" }).inputs;
    expect(lifecycle.diff(userSpec, outs, changed)).toEqual({ changes: true, replaces: ["userId", "email"], deleteBeforeReplace: false });
    const replacement = await lifecycle.create(userSpec, env.ctx, changed);
    expect(replacement.id).not.toBe(id);
    await lifecycle.remove(userSpec, env.ctx, id, outs);
    expect(await env.admin.get(`/v1/${String(outs.name)}`)).toBeDefined();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("leaves the user on destroy, sends no DELETE, and warns naming the user and email that keep access", async () => {
    const warn = silenceWarnings();
    const news = inputs({ userId: "dave", email: "dave@example.com", role: "admin" });
    const { id, outs } = await lifecycle.create(userSpec, env.ctx, news);
    await env.admin.clearRequests();
    await lifecycle.remove(userSpec, env.ctx, id, outs);
    expect((await env.admin.requests()).map((r) => r.method)).toEqual(["GET"]);
    expect((await env.admin.get(`/v1/${String(outs.name)}`))?.role).toBe("admin");
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toBe(
      `warning: Fireworks user "accounts/${env.emulator.accountId}/users/dave" (dave@example.com) was removed from the stack but still has access with role "admin": ` +
        "the Fireworks REST API cannot delete users. Remove it with `firectl delete user dave` or in the Fireworks console.",
    );
    expect(message).not.toMatch(/revoked|deleted user/i);
  });

  it("lowers the role on destroy when roleOnDestroy is set, and says so", async () => {
    const warn = silenceWarnings();
    const news = inputs({ email: "erin@example.com", role: "custom", permissionPreset: "ops", roleOnDestroy: "inference-user" });
    const { id, outs } = await lifecycle.create(userSpec, env.ctx, news);
    expect(outs.roleOnDestroy).toBe("inference-user");
    await lifecycle.remove(userSpec, env.ctx, id, outs);
    const after = await env.admin.get(`/v1/${String(outs.name)}`);
    expect(after?.role).toBe("inference-user");
    expect(after?.permissionPreset).toBeUndefined();
    expect(String(warn.mock.calls[0]?.[0])).toContain('still has access, with its role lowered to "inference-user" (roleOnDestroy)');
  });

  it("does not warn about a user that is already gone", async () => {
    const warn = silenceWarnings();
    const { id, outs } = await lifecycle.create(userSpec, env.ctx, inputs({ email: "frank@example.com", role: "user" }));
    await fetch(`${env.emulator.url}/_emulator/users/${id}`, { method: "DELETE" });
    await lifecycle.remove(userSpec, env.ctx, id, outs);
    expect(warn).not.toHaveBeenCalled();
  });

  it("refresh reports drift in the role and drops a user removed out of band", async () => {
    const news = inputs({ email: "gina@example.com", role: "user" });
    const { id, outs } = await lifecycle.create(userSpec, env.ctx, news);
    const patched = await fetch(`${env.emulator.url}/v1/${String(outs.name)}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${env.emulator.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ role: "admin" }),
    });
    expect(patched.status).toBe(200);
    const read = await lifecycle.read(userSpec, env.ctx, id, outs);
    expect(read.inputs?.role).toBe("admin");
    expect(lifecycle.diff(userSpec, read.props ?? {}, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await fetch(`${env.emulator.url}/_emulator/users/${id}`, { method: "DELETE" });
    expect(await lifecycle.read(userSpec, env.ctx, id, outs)).toEqual({});
  });

  it("adopts a create the platform applied before the connection dropped, creating exactly one", async () => {
    const before = (await users()).length;
    await env.admin.clearRequests();
    await env.admin.fault({ method: "POST", times: 1, action: { type: "applyThenDrop" } });
    const { id, outs } = await lifecycle.create(userSpec, env.ctx, inputs({ serviceAccount: true, role: "user" }));
    expect((await env.admin.requests()).map((r) => `${r.method} ${r.status}`).slice(0, 2)).toEqual(["POST 0", "GET 200"]);
    expect(await users()).toHaveLength(before + 1);
    expect(outs.userId).toBe(id);
  });

  it("refuses to take over a user it did not create", async () => {
    const res = await fetch(`${env.emulator.url}/v1/accounts/${env.emulator.accountId}/users?userId=someone`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.emulator.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "someone@example.com", role: "admin" }),
    });
    expect(res.status).toBe(200);
    const err = await lifecycle.create(userSpec, env.ctx, inputs({ userId: "someone", email: "someone@example.com", role: "user" })).catch((e: unknown) => e);
    expect(String(err)).toContain(`create User "accounts/${env.emulator.accountId}/users/someone": it already exists and was not created by this stack resource`);
  });
});
