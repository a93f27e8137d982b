import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

interface ApiKey {
  keyId?: string;
  displayName?: string;
  key?: string;
  prefix?: string;
  email?: string;
  createTime?: string;
  expireTime?: string;
  name?: string;
}

const keys = (user: string) => `/v1/accounts/${emu.accountId}/users/${user}/apiKeys`;

async function user(id: string, extra: Record<string, unknown> = { email: `${id}@example.com` }): Promise<void> {
  const res = await client.call("POST", `/v1/accounts/${emu.accountId}/users?userId=${id}`, { role: "user", ...extra });
  expect(res.status, res.text).toBe(200);
}

async function createKey(userId: string, apiKey: Record<string, unknown> = {}) {
  return client.call<ApiKey & ErrorBody>("POST", keys(userId), { apiKey });
}

describe("api keys: create", () => {
  it("returns a server-generated keyId and the plaintext key, once", async () => {
    await user("alice");
    const res = await createKey("alice", { displayName: "ci" });
    expect(res.status, res.text).toBe(200);
    expect(res.body.keyId).toMatch(/^[a-z][a-z0-9]{7}$/);
    expect(res.body.key).toMatch(/^fw_\S{20,}$/);
    expect(res.body.prefix).toBe(res.body.key?.slice(0, 8));
    expect(res.body).toMatchObject({ displayName: "ci", email: "alice@example.com" });
    expect(res.body.createTime).toMatch(/Z$/);
    expect(res.body).not.toHaveProperty("name");
    const listed = await client.call<{ apiKeys: ApiKey[] }>("GET", keys("alice"));
    expect(listed.body.apiKeys).toHaveLength(1);
    expect(listed.body.apiKeys[0]).toEqual({ ...res.body, key: undefined });
    expect(listed.text).not.toContain(res.body.key ?? "unreachable");
  });

  it("defaults displayName to \"default\" and gives a service account its .sa address", async () => {
    await user("bot", { serviceAccount: true });
    const res = await createKey("bot");
    expect(res.body.displayName).toBe("default");
    expect(res.body.email).toBe(`bot@${emu.accountId}.sa.fireworks.ai`);
  });

  it("needs the user to exist", async () => {
    const res = await createKey("ghost");
    expect(res.status).toBe(404);
    expect(res.body.message).toContain(`user "accounts/${emu.accountId}/users/ghost" not found`);
    expect((await client.call("GET", keys("ghost"))).status).toBe(404);
    expect((await client.call("POST", `${keys("ghost")}:delete`, { keyId: "abc" })).status).toBe(404);
  });

  it.each<[string, unknown, string]>([
    ["an unwrapped body", { displayName: "x" }, 'unknown field "displayName"'],
    ["no apiKey", {}, "apiKey: value is required"],
    ["an expireTime in the past", { apiKey: { expireTime: "2001-01-01T00:00:00Z" } }, "expire_time: must be in the future"],
    ["an unknown field inside apiKey", { apiKey: { scopes: ["all"] } }, 'unknown field "scopes"'],
  ])("refuses %s with 400", async (_label, body, message) => {
    await user("carol");
    const res = await client.call<ErrorBody>("POST", keys("carol"), body);
    expect(res.status, res.text).toBe(400);
    expect(res.body.message).toContain(message);
  });

  it("accepts a future expireTime and annotations", async () => {
    await user("dave");
    const expireTime = new Date(Date.now() + 86_400_000).toISOString();
    const res = await createKey("dave", { expireTime, annotations: { owner: "pulumi" } });
    expect(res.status, res.text).toBe(200);
    expect(Date.parse(res.body.expireTime ?? "")).toBe(Date.parse(expireTime));
  });
});

describe("api keys: delete verb, no GET, no update, lists", () => {
  it("deletes with POST apiKeys:delete {keyId}", async () => {
    await user("erin");
    const created = await createKey("erin");
    const res = await client.call("POST", `${keys("erin")}:delete`, { keyId: created.body.keyId });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({});
    expect((await client.call("GET", keys("erin"))).body).toEqual({});
    const again = await client.call<ErrorBody>("POST", `${keys("erin")}:delete`, { keyId: created.body.keyId });
    expect(again.status).toBe(404);
    const missing = await client.call<ErrorBody>("POST", `${keys("erin")}:delete`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain("key_id: value is required");
  });

  it("has no GET, PATCH or DELETE on a key path", async () => {
    await user("fay");
    const created = await createKey("fay");
    for (const method of ["GET", "PATCH", "DELETE"]) {
      expect((await client.call(method, `${keys("fay")}/${created.body.keyId}`)).status).toBe(404);
    }
  });

  it("lists one user's keys by create time, with paging", async () => {
    await user("gus");
    await user("hal");
    const ids: string[] = [];
    for (const name of ["one", "two", "three"]) ids.push((await createKey("gus", { displayName: name })).body.keyId ?? "");
    await createKey("hal");
    const first = await client.call<{ apiKeys: ApiKey[]; nextPageToken: string; totalSize: number }>("GET", `${keys("gus")}?pageSize=2`);
    expect(first.body.apiKeys.map((k) => k.keyId)).toEqual(ids.slice(0, 2));
    expect(first.body.totalSize).toBe(3);
    const next = await client.call<{ apiKeys: ApiKey[] }>("GET", `${keys("gus")}?pageSize=2&pageToken=${first.body.nextPageToken}`);
    expect(next.body.apiKeys.map((k) => k.keyId)).toEqual(ids.slice(2));
  });

  it("goes through the fault channel (a create whose response is lost still creates the key)", async () => {
    await user("ivy");
    await client.admin("POST", "/faults", { method: "POST", path: "/apiKeys", action: { type: "applyThenDrop" } });
    await expect(
      fetch(`${emu.url}${keys("ivy")}`, { method: "POST", headers: { authorization: `Bearer ${emu.apiKey}`, "content-type": "application/json" }, body: JSON.stringify({ apiKey: {} }) }),
    ).rejects.toThrow();
    expect((await client.call<{ totalSize: number }>("GET", keys("ivy"))).body.totalSize).toBe(1);
  });
});
