import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

interface User {
  name?: string;
  displayName?: string;
  role?: string;
  email?: string;
  serviceAccount?: boolean;
  state?: string;
  createTime?: string;
  updateTime?: string;
}

const base = () => `/v1/accounts/${emu.accountId}/users`;
const nameOf = (id: string) => `accounts/${emu.accountId}/users/${id}`;

async function expect400(res: { status: number; body: ErrorBody; text: string }, message: string): Promise<void> {
  expect(res.status, res.text).toBe(400);
  expect(res.body.code).toBe(3);
  expect(res.body.message).toContain(message);
}

describe("users: create", () => {
  it("creates a READY user under the given userId", async () => {
    const res = await client.call<User>("POST", `${base()}?userId=alice`, { role: "admin", email: "alice@example.com", displayName: "Alice" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ name: nameOf("alice"), role: "admin", email: "alice@example.com", displayName: "Alice", state: "READY" });
    expect(res.body.createTime).toBe(res.body.updateTime);
    expect((await client.call<User>("GET", `${base()}/alice`)).body).toEqual(res.body);
  });

  it("derives the ID from the email when userId is absent", async () => {
    const res = await client.call<User>("POST", base(), { role: "user", email: "Bob.Smith+ops@example.com" });
    expect(res.status, res.text).toBe(200);
    expect(res.body.name).toBe(nameOf("bob-smith-ops"));
  });

  it("creates a service account, which needs a userId since it has no email", async () => {
    await expect400(await client.call<ErrorBody>("POST", base(), { role: "user", serviceAccount: true }), "userId is required");
    const res = await client.call<User>("POST", `${base()}?userId=ci-bot`, { role: "inference-user", serviceAccount: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body.serviceAccount).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["no role", { email: "a@b.co" }, "user.role: value is required"],
    ["an unknown role", { role: "owner", email: "a@b.co" }, 'user.role: "owner" is not one of'],
    ["no email for a human", { role: "user" }, "user.email: value is required"],
    ["a malformed email", { role: "user", email: "not-an-email" }, "is not an email address"],
    ["a 64-character displayName", { role: "user", email: "a@b.co", displayName: "x".repeat(64) }, "at most 63 characters"],
    ["a permissionPreset without role custom", { role: "user", email: "a@b.co", permissionPreset: "p" }, 'only valid when role is "custom"'],
    ["an output-only state of the wrong type", { role: "user", email: "a@b.co", state: "SLEEPING" }, "invalid value"],
  ])("refuses %s", async (_label, body, message) => {
    await expect400(await client.call<ErrorBody>("POST", `${base()}?userId=u1`, body), message);
  });

  it("answers 409 for a taken ID and 400 for a malformed one", async () => {
    await client.call("POST", `${base()}?userId=dup`, { role: "user", email: "d@x.io" });
    const again = await client.call<ErrorBody>("POST", `${base()}?userId=dup`, { role: "user", email: "d2@x.io" });
    expect(again.status).toBe(409);
    await expect400(await client.call<ErrorBody>("POST", `${base()}?userId=Bad_Id`, { role: "user", email: "d@x.io" }), "invalid id");
  });
});

describe("users: update", () => {
  it("changes the fields in the body, requires role, and refuses changes to email and serviceAccount", async () => {
    await client.call("POST", `${base()}?userId=carol`, { role: "user", email: "carol@example.com" });
    const res = await client.call<User>("PATCH", `${base()}/carol`, { role: "contributor", displayName: "Carol" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ role: "contributor", displayName: "Carol", email: "carol@example.com" });
    await expect400(await client.call<ErrorBody>("PATCH", `${base()}/carol`, { displayName: "C" }), "user.role: value is required");
    await expect400(await client.call<ErrorBody>("PATCH", `${base()}/carol`, { role: "user", email: "new@example.com" }), "user.email: field is immutable");
    await expect400(await client.call<ErrorBody>("PATCH", `${base()}/carol`, { role: "user", serviceAccount: true }), "user.serviceAccount: field is immutable");
    // Sending the unchanged immutable value is fine (a provider sends what it has).
    expect((await client.call("PATCH", `${base()}/carol`, { role: "user", email: "carol@example.com" })).status).toBe(200);
    expect((await client.call("PATCH", `${base()}/nobody`, { role: "user" })).status).toBe(404);
  });

  it("honours an explicit updateMask", async () => {
    await client.call("POST", `${base()}?userId=dan`, { role: "user", email: "dan@example.com", displayName: "Dan" });
    const res = await client.call<User>("PATCH", `${base()}/dan?updateMask=displayName`, { role: "admin" });
    expect(res.status, res.text).toBe(200);
    expect(res.body.role).toBe("user");
    expect(res.body.displayName).toBeUndefined();
  });
});

describe("users: no REST delete, lists", () => {
  it("answers DELETE with 501 Method Not Allowed; the control channel can remove a user", async () => {
    await client.call("POST", `${base()}?userId=erin`, { role: "user", email: "erin@example.com" });
    const res = await client.call<ErrorBody>("DELETE", `${base()}/erin`);
    expect(res.status).toBe(501);
    expect(res.body).toEqual({ code: 12, message: "Method Not Allowed", details: [] });
    expect(res.headers.get("allow")).toBe("GET, PATCH");
    expect((await client.admin("DELETE", "/users/erin")).status).toBe(200);
    expect((await client.call("GET", `${base()}/erin`)).status).toBe(404);
  });

  it("lists by name with paging and a role filter", async () => {
    for (const [id, role] of [["zed", "admin"], ["amy", "user"], ["kim", "admin"]]) {
      await client.call("POST", `${base()}?userId=${id}`, { role, email: `${id}@example.com` });
    }
    const first = await client.call<{ users: User[]; nextPageToken: string; totalSize: number }>("GET", `${base()}?pageSize=2`);
    expect(first.body.users.map((u) => u.name)).toEqual([nameOf("amy"), nameOf("kim")]);
    expect(first.body.totalSize).toBe(3);
    const next = await client.call<{ users: User[] }>("GET", `${base()}?pageSize=2&pageToken=${first.body.nextPageToken}`);
    expect(next.body.users.map((u) => u.name)).toEqual([nameOf("zed")]);
    const admins = await client.call<{ users: User[] }>("GET", `${base()}?filter=${encodeURIComponent('role = "admin"')}`);
    expect(admins.body.users.map((u) => u.name)).toEqual([nameOf("kim"), nameOf("zed")]);
  });
});
