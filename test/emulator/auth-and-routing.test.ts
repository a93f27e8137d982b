import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { BASE_MODEL, start, useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
});

describe("authentication and account scoping", () => {
  it("rejects a request without a bearer token with 401 UNAUTHENTICATED", async () => {
    const res = await client.call<ErrorBody>("GET", client.base, undefined, { key: null });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(16);
    expect(res.body.details).toEqual([]);
    expect(res.body.message).toMatch(/bearer/i);
  });

  it("rejects a wrong key with 401", async () => {
    const res = await client.call<ErrorBody>("GET", client.base, undefined, { key: "not-the-key" });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 16, message: "invalid API key", details: [] });
  });

  it("rejects a non-Bearer scheme with 401", async () => {
    const res = await fetch(emu.url + client.base, { headers: { authorization: `Basic ${emu.apiKey}` } });
    expect(res.status).toBe(401);
  });

  it("answers another account in the path with 403 PERMISSION_DENIED", async () => {
    const res = await client.call<ErrorBody>("GET", "/v1/accounts/someone-else/deployments");
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(7);
    expect(res.body.message).toContain("someone-else");
  });

  it("serves GET /verifyApiKey with the account header", async () => {
    const res = await client.call("GET", "/verifyApiKey");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-fireworks-account-id")).toBe(emu.accountId);
    const bad = await client.call("GET", "/verifyApiKey", undefined, { key: "nope" });
    expect(bad.status).toBe(401);
  });

  it("uses the configured key and account", async () => {
    const other = await start({ apiKey: "k-123", accountId: "acme" });
    try {
      expect(other.emu.apiKey).toBe("k-123");
      expect(other.emu.accountId).toBe("acme");
      expect(other.emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ok = await other.client.call("GET", "/v1/accounts/acme/deployments");
      expect(ok.status).toBe(200);
      const wrong = await other.client.call("GET", "/v1/accounts/acme/deployments", undefined, { key: "emulator-api-key" });
      expect(wrong.status).toBe(401);
    } finally {
      await other.emu.close();
    }
  });
});

describe("routing and request errors", () => {
  it("answers an unknown route with 404 NOT_FOUND", async () => {
    const res = await client.call<ErrorBody>("GET", `/v1/accounts/${emu.accountId}/nothingHere`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(5);
    const outside = await client.call<ErrorBody>("GET", "/not-an-api-path");
    expect(outside.status).toBe(404);
    const unknownVerb = await client.call<ErrorBody>("POST", `${client.base}/abc:explode`, {});
    expect(unknownVerb.status).toBe(404);
  });

  it("answers a wrong method on a known path with 501 UNIMPLEMENTED, like grpc-gateway", async () => {
    const res = await client.call<ErrorBody>("PUT", `${client.base}/abc`, {});
    expect(res.status).toBe(501);
    expect(res.body).toEqual({ code: 12, message: "Method Not Allowed", details: [] });
    expect(res.headers.get("allow")).toBe("GET, PATCH, DELETE");
  });

  it("rejects malformed JSON with 400", async () => {
    const res = await client.call<ErrorBody>("POST", client.base, undefined, { raw: "{not json" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(3);
    expect(res.body.message).toContain("invalid JSON body");
    const array = await client.call<ErrorBody>("POST", client.base, undefined, { raw: "[]" });
    expect(array.status).toBe(400);
    expect(array.body.message).toContain("expected a JSON object");
  });

  it("rejects unknown, repeated and malformed query parameters with 400", async () => {
    const unknown = await client.call<ErrorBody>("GET", `${client.base}?colour=blue`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('unknown query parameter "colour"');
    const snake = await client.call<ErrorBody>("GET", `${client.base}?page_size=2`);
    expect(snake.status).toBe(400);
    const twice = await client.call<ErrorBody>("GET", `${client.base}?pageSize=1&pageSize=2`);
    expect(twice.status).toBe(400);
    const badBool = await client.call<ErrorBody>("GET", `${client.base}?showDeleted=yes`);
    expect(badBool.status).toBe(400);
    expect(badBool.body.message).toContain("invalid boolean");
    const badInt = await client.call<ErrorBody>("GET", `${client.base}?pageSize=ten`);
    expect(badInt.status).toBe(400);
  });

  it("accepts Go-style booleans in query parameters", async () => {
    for (const v of ["1", "t", "TRUE", "False", "0"]) {
      const res = await client.call("GET", `${client.base}?showDeleted=${v}`);
      expect(res.status).toBe(200);
    }
  });

  it("rejects a syntactically invalid ID in the path with 400", async () => {
    const res = await client.call<ErrorBody>("GET", `${client.base}/Not_Valid`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("invalid id");
  });

  it("treats an empty body on create as an empty Deployment (so baseModel is missing)", async () => {
    const res = await client.call<ErrorBody>("POST", client.base, undefined, { raw: "" });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("deployment.base_model: value is required");
  });

  it("returns JSON with a content type", async () => {
    const res = await fetch(`${emu.url}${client.base}`, { method: "POST", headers: { authorization: `Bearer ${emu.apiKey}` }, body: JSON.stringify({ baseModel: BASE_MODEL }) });
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.status).toBe(200);
  });
});
