import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

interface Secret {
  name?: string;
  keyName?: string;
  value?: string;
}

const base = () => `/v1/accounts/${emu.accountId}/secrets`;
const nameOf = (id: string) => `accounts/${emu.accountId}/secrets/${id}`;

function create(id: string, extra: Record<string, unknown> = {}) {
  return client.call<Secret & ErrorBody>("POST", base(), { name: nameOf(id), keyName: "OPENAI_API_KEY", value: "sk-123", ...extra });
}

async function expect400(res: { status: number; body: ErrorBody; text: string }, message: string): Promise<void> {
  expect(res.status, res.text).toBe(400);
  expect(res.body.code).toBe(3);
  expect(res.body.message).toContain(message);
}

describe("secrets: create, read, write-only value", () => {
  it("creates from the body's name and never returns the value", async () => {
    const res = await create("openai");
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ name: nameOf("openai"), keyName: "OPENAI_API_KEY" });
    expect((await client.call("GET", `${base()}/openai`)).body).toEqual({ name: nameOf("openai"), keyName: "OPENAI_API_KEY" });
    const listed = await client.call<{ secrets: Secret[] }>("GET", base());
    expect(listed.body).toEqual({ secrets: [{ name: nameOf("openai"), keyName: "OPENAI_API_KEY" }], totalSize: 1 });
    expect(listed.text).not.toContain("sk-123");
    // The control channel shows what was stored.
    expect((await client.admin("GET", "/secrets/openai")).body).toEqual({ name: nameOf("openai"), keyName: "OPENAI_API_KEY", value: "sk-123" });
  });

  it("answers 409 for a taken name", async () => {
    await create("dup");
    const again = await create("dup");
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(6);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["no name", { name: undefined }, "secret.name: value is required"],
    ["a name in another account", { name: "accounts/other/secrets/x" }, "must look like"],
    ["a name in another collection", { name: "accounts/emulator/models/x" }, "must look like"],
    ["a malformed ID", { name: "accounts/emulator/secrets/Bad_Id" }, "invalid id"],
    ["no keyName", { keyName: undefined }, "secret.key_name: value is required"],
    ["a lowercase keyName", { keyName: "openai_key" }, "must start with an uppercase letter"],
    ["a keyName with a hyphen", { keyName: "OPENAI-KEY" }, "only A-Z, 0-9 and _"],
    ["no value", { value: undefined }, "secret.value: value is required"],
    ["an unknown field", { secretId: "x" }, 'unknown field "secretId"'],
  ])("refuses a create with %s", async (_label, extra, message) => {
    const body: Record<string, unknown> = { name: nameOf("s1"), keyName: "K", value: "v", ...extra };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    await expect400(await client.call<ErrorBody>("POST", base(), body), message);
  });

  it("refuses a secretId query parameter (the ID comes from name)", async () => {
    const res = await client.call<ErrorBody>("POST", `${base()}?secretId=x`, { name: nameOf("x"), keyName: "K", value: "v" });
    await expect400(res, 'unknown query parameter "secretId"');
  });
});

describe("secrets: update replaces keyName and value", () => {
  it("replaces both, and requires both", async () => {
    await create("rot");
    const res = await client.call<Secret>("PATCH", `${base()}/rot`, { keyName: "ROTATED", value: "sk-new" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ name: nameOf("rot"), keyName: "ROTATED" });
    expect((await client.admin<Secret>("GET", "/secrets/rot")).body.value).toBe("sk-new");
    await expect400(await client.call<ErrorBody>("PATCH", `${base()}/rot`, { keyName: "ROTATED" }), "secret.value: value is required");
    await expect400(await client.call<ErrorBody>("PATCH", `${base()}/rot`, { value: "x" }), "secret.key_name: value is required");
    await expect400(await client.call<ErrorBody>("PATCH", `${base()}/rot`, { name: nameOf("other"), keyName: "K", value: "v" }), "does not match the path");
    expect((await client.admin<Secret>("GET", "/secrets/rot")).body.value).toBe("sk-new");
    expect((await client.call("PATCH", `${base()}/missing`, { keyName: "K", value: "v" })).status).toBe(404);
  });
});

describe("secrets: delete, list, faults", () => {
  it("deletes, then answers 404", async () => {
    await create("gone");
    const res = await client.call("DELETE", `${base()}/gone`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect((await client.call("GET", `${base()}/gone`)).status).toBe(404);
    expect((await client.call("DELETE", `${base()}/gone`)).status).toBe(404);
    expect((await client.admin("GET", "/secrets/gone")).status).toBe(404);
  });

  it("pages by name and refuses the unused filter and orderBy", async () => {
    for (const id of ["c", "a", "b"]) await create(id);
    const first = await client.call<{ secrets: Secret[]; nextPageToken: string; totalSize: number }>("GET", `${base()}?pageSize=2`);
    expect(first.body.secrets.map((s) => s.name)).toEqual([nameOf("a"), nameOf("b")]);
    expect(first.body.totalSize).toBe(3);
    const second = await client.call<{ secrets: Secret[]; nextPageToken?: string }>("GET", `${base()}?pageSize=2&pageToken=${first.body.nextPageToken}`);
    expect(second.body.secrets.map((s) => s.name)).toEqual([nameOf("c")]);
    expect(second.body.nextPageToken).toBeUndefined();
    await expect400(await client.call<ErrorBody>("GET", `${base()}?filter=name%3Da`), "filter is not supported");
    await expect400(await client.call<ErrorBody>("GET", `${base()}?orderBy=name`), "orderBy is not supported");
  });

  it("goes through the fault channel and the request log", async () => {
    await client.admin("POST", "/faults", { path: "/secrets", action: { type: "status", status: 503 } });
    expect((await create("f")).status).toBe(503);
    expect((await create("f")).status).toBe(200);
    const log = await client.admin<{ method: string; path: string; status: number }[]>("GET", "/requests");
    expect(log.body.map((e) => [e.method, e.path, e.status])).toEqual([
      ["POST", base(), 503],
      ["POST", base(), 200],
    ]);
    expect(log.text).not.toContain("sk-123");
  });
});
