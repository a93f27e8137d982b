import { describe, expect, it } from "vitest";
import { BASE_MODEL, useEmulator, type Client, type ErrorBody } from "./helpers";

let client: Client;

useEmulator((_e, c) => {
  client = c;
}, { resetEach: true });

async function restrict(): Promise<void> {
  const res = await client.admin("PUT", "/settings", { annotationsRestricted: true });
  expect(res.status, res.text).toBe(200);
  expect(res.body).toEqual({ annotationsRestricted: true });
}

describe("settings: annotationsRestricted", () => {
  it("is off by default, so annotations are accepted", async () => {
    expect((await client.admin("GET", "/settings")).body).toEqual({ annotationsRestricted: false });
    const res = await client.create({ baseModel: BASE_MODEL, annotations: { owner: "me" } }, "?deploymentId=open");
    expect(res.status, res.text).toBe(200);
  });

  it("refuses a create that sets annotations with 403 PERMISSION_DENIED naming annotations", async () => {
    await restrict();
    const res = await client.call<ErrorBody>("POST", `${client.base}?deploymentId=owned`, { baseModel: BASE_MODEL, annotations: { owner: "me" } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(7);
    expect(res.body.message).toContain("annotations");
    expect((await client.get("owned")).status).toBe(404);
    expect((await client.create({ baseModel: BASE_MODEL }, "?deploymentId=plain")).status).toBe(200);
  });

  it("refuses an update that sets annotations, by body or by updateMask", async () => {
    await client.createReady("d");
    await restrict();
    const byBody = await client.call<ErrorBody>("PATCH", `${client.base}/d`, { baseModel: BASE_MODEL, annotations: { owner: "me" } });
    expect(byBody.status).toBe(403);
    expect(byBody.body.message).toContain("annotations");
    const byMask = await client.call<ErrorBody>("PATCH", `${client.base}/d?updateMask=annotations`, { baseModel: BASE_MODEL });
    expect(byMask.status).toBe(403);
    expect((await client.patch("d", { baseModel: BASE_MODEL, displayName: "fine" })).status).toBe(200);
  });

  it("applies to every collection with annotations (API keys)", async () => {
    const users = "/v1/accounts/emulator/users";
    expect((await client.call("POST", `${users}?userId=owner`, { role: "user", email: "o@example.com" })).status).toBe(200);
    await restrict();
    const res = await client.call<ErrorBody>("POST", `${users}/owner/apiKeys`, { apiKey: { annotations: { owner: "me" } } });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain("annotations");
    expect((await client.call("POST", `${users}/owner/apiKeys`, { apiKey: {} })).status).toBe(200);
  });

  it("is restored to the default by reset and rejects bad values", async () => {
    await restrict();
    await client.admin("POST", "/reset");
    expect((await client.admin("GET", "/settings")).body).toEqual({ annotationsRestricted: false });
    expect((await client.admin("PUT", "/settings", { annotationsRestricted: "yes" })).status).toBe(400);
    expect((await client.admin("PUT", "/settings", { colour: true })).status).toBe(400);
  });
});
