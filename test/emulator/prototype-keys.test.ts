import { describe, expect, it } from "vitest";
import { BASE_MODEL, useEmulator, type Client, type Deployment, type ErrorBody } from "./helpers";

// Keys that name members of Object.prototype must read as unknown fields (400), never as declared ones (500).

let client: Client;

useEmulator((_e, c) => {
  client = c;
}, { resetEach: true });

const KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty"];

/** [label, method, path (API paths start with /v1, control paths with /_emulator), body builder] */
type Route = [string, string, string, (key: string) => string];

const top = (key: string) => `{"${key}": {"a": 1}}`;

function routes(base: string): Route[] {
  return [
    ["create", "POST", `${base}?deploymentId=fresh`, (k) => `{"baseModel": "${BASE_MODEL}", "${k}": 1}`],
    ["create (nested message)", "POST", `${base}?deploymentId=fresh`, (k) => `{"baseModel": "${BASE_MODEL}", "autoscalingPolicy": {"${k}": "1s"}}`],
    ["update", "PATCH", `${base}/p`, (k) => `{"baseModel": "${BASE_MODEL}", "${k}": 1}`],
    ["update (nested message)", "PATCH", `${base}/p`, (k) => `{"baseModel": "${BASE_MODEL}", "placement": {"${k}": 1}}`],
    [":undelete", "POST", `${base}/p:undelete`, top],
    [":scale", "PATCH", `${base}/p:scale`, top],
    ["control: add fault", "POST", "/_emulator/faults", top],
    ["control: fault action", "POST", "/_emulator/faults", (k) => `{"action": {"type": "drop", "${k}": 1}}`],
    ["control: fail deployment", "POST", "/_emulator/deployments/p/fail", top],
    ["control: fail next create", "POST", "/_emulator/fail-next-create", top],
    ["control: out-of-band patch", "PATCH", "/_emulator/deployments/p", top],
    ["control: timings", "PUT", "/_emulator/timings", (k) => `{"${k}": 1}`],
    ["control: settings", "PUT", "/_emulator/settings", (k) => `{"${k}": true}`],
  ];
}

describe("prototype-named keys in bodies", () => {
  it("are 400 INVALID_ARGUMENT unknown field on every body-accepting route", async () => {
    await client.createReady("p");
    const failures: string[] = [];
    for (const [label, method, path, body] of routes(client.base)) {
      for (const key of KEYS) {
        const control = path.startsWith("/_emulator");
        const res = await client.call<ErrorBody>(method, path, undefined, { raw: body(key), ...(control && { key: null }) });
        if (res.status !== 400 || res.body.code !== 3 || !res.body.message.includes("unknown field")) {
          failures.push(`${label} with "${key}": ${res.status} ${res.text}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Nothing leaked into the stored deployment or the fault list.
    const dep = (await client.get("p")).body;
    expect(dep.state).toBe("READY");
    expect(Object.getPrototypeOf(dep)).toBe(Object.prototype);
    expect((await client.admin<{ faults: unknown[] }>("GET", "/faults")).body.faults).toEqual([]);
    expect((await client.get("fresh")).status).toBe(404);
  });

  it("are 400 unknown field on the account and access collections' body routes too", async () => {
    const a = `/v1/accounts/emulator`;
    expect((await client.call("POST", `${a}/users?userId=pu`, { role: "user", email: "pu@example.com" })).status).toBe(200);
    expect((await client.call("POST", `${a}/secrets`, { name: "accounts/emulator/secrets/ps", keyName: "K", value: "v" })).status).toBe(200);
    const idp = await client.call<{ name: string }>("POST", `${a}/identityProviders`, { displayName: "x", samlConfig: { metadataUrl: "https://x.example.com/m" } });
    const idpPath = `/v1/${idp.body.name}`;
    const more: Route[] = [
      ["secret create", "POST", `${a}/secrets`, (k) => `{"name": "accounts/emulator/secrets/n", "keyName": "K", "value": "v", "${k}": 1}`],
      ["secret update", "PATCH", `${a}/secrets/ps`, (k) => `{"keyName": "K", "value": "v", "${k}": 1}`],
      ["user create", "POST", `${a}/users?userId=nu`, (k) => `{"role": "user", "email": "n@example.com", "${k}": 1}`],
      ["user update", "PATCH", `${a}/users/pu`, (k) => `{"role": "user", "${k}": 1}`],
      ["api key create (wrapper)", "POST", `${a}/users/pu/apiKeys`, top],
      ["api key create (inside)", "POST", `${a}/users/pu/apiKeys`, (k) => `{"apiKey": {"${k}": 1}}`],
      ["api key :delete", "POST", `${a}/users/pu/apiKeys:delete`, top],
      ["identity provider create (nested)", "POST", `${a}/identityProviders`, (k) => `{"displayName": "x", "samlConfig": {"${k}": 1}}`],
      ["identity provider update", "PATCH", idpPath, top],
      ["quota update", "PATCH", `${a}/quotas/monthly-spend-usd`, top],
      ["control: quota seed", "PUT", "/_emulator/quotas/monthly-spend-usd", top],
    ];
    const failures: string[] = [];
    for (const [label, method, path, body] of more) {
      for (const key of KEYS) {
        const control = path.startsWith("/_emulator");
        const res = await client.call<ErrorBody>(method, path, undefined, { raw: body(key), ...(control && { key: null }) });
        if (res.status !== 400 || res.body.code !== 3 || !res.body.message.includes("unknown field")) failures.push(`${label} with "${key}": ${res.status} ${res.text}`);
      }
    }
    expect(failures).toEqual([]);
    expect((await client.call<{ totalSize?: number }>("GET", `${a}/users/pu/apiKeys`)).body).toEqual({});
  });

  it("refuses __proto__ as a map key but keeps other prototype names as ordinary keys", async () => {
    const proto = await client.call<ErrorBody>("POST", client.base, undefined, { raw: `{"baseModel": "${BASE_MODEL}", "annotations": {"__proto__": "x"}}` });
    expect(proto.status).toBe(400);
    expect(proto.body.message).toContain("unknown field");
    const res = await client.create({ baseModel: BASE_MODEL, annotations: { constructor: "c", toString: "t" } }, "?deploymentId=ann");
    expect(res.status, res.text).toBe(200);
    expect((await client.get("ann")).body.annotations).toEqual({ constructor: "c", toString: "t" });
  });

  it.each([
    ["filter", "?filter=constructor%3D1"],
    ["orderBy", "?orderBy=toString"],
    ["readMask", "?readMask=hasOwnProperty"],
  ])("are 400 in list %s parameters", async (_label, query) => {
    const res = await client.call<ErrorBody>("GET", `${client.base}${query}`);
    expect(res.status, res.text).toBe(400);
    expect(res.body.code).toBe(3);
  });

  it("are 400 in an updateMask", async () => {
    await client.createReady("m");
    const res = await client.call<Deployment>("PATCH", `${client.base}/m?updateMask=constructor`, { baseModel: BASE_MODEL });
    expect(res.status, res.text).toBe(400);
  });
});
