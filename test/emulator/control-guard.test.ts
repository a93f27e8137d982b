import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { BASE_MODEL, useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

/** A control call with chosen headers (node:http, so Host can be set too). */
function control(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: ErrorBody }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/_emulator${path}`, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: (text === "" ? {} : JSON.parse(text)) as ErrorBody }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const JSON_TYPE = { "content-type": "application/json" };

async function deploymentSurvives(): Promise<void> {
  expect((await client.get("keep")).status).toBe(200);
}

describe("control channel: browsers and other sites", () => {
  it.each([
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["Origin null", { origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
  ])("refuses a reset carrying %s with 403", async (_label, headers) => {
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=keep");
    const res = await control(emu.url, "POST", "/reset", { ...JSON_TYPE, ...headers }, "{}");
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(7);
    await deploymentSurvives();
  });

  it("accepts loopback origins and same-origin fetch metadata", async () => {
    const variants: Record<string, string>[] = [{ origin: "http://localhost:3000" }, { origin: "http://127.0.0.1:9" }, { origin: "http://[::1]:80" }, { "sec-fetch-site": "same-origin" }, { "sec-fetch-site": "none" }];
    for (const headers of variants) {
      expect((await control(emu.url, "GET", "/faults", headers)).status).toBe(200);
    }
  });

  it("refuses a body that is not declared as application/json with 415 (a simple cross-site POST)", async () => {
    const plain = await control(emu.url, "POST", "/faults", { "content-type": "text/plain;charset=UTF-8" }, JSON.stringify({ action: { type: "drop" } }));
    expect(plain.status).toBe(415);
    expect(plain.body.code).toBe(3);
    const untyped = await control(emu.url, "POST", "/faults", {}, JSON.stringify({ action: { type: "drop" } }));
    expect(untyped.status).toBe(415);
    expect((await client.admin<{ faults: unknown[] }>("GET", "/faults")).body.faults).toEqual([]);
  });

  it("refuses an empty form POST (a content type other than JSON) with 415", async () => {
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=keep");
    const res = await control(emu.url, "POST", "/reset", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    await deploymentSurvives();
  });

  it("accepts a body-less control request without a content type, and JSON with parameters", async () => {
    expect((await control(emu.url, "DELETE", "/requests", {})).status).toBe(200);
    expect((await control(emu.url, "PUT", "/timings", { "content-type": "Application/JSON; charset=utf-8" }, "{}")).status).toBe(200);
  });

  it("refuses a Host that is not loopback (DNS rebinding) with 403", async () => {
    const res = await control(emu.url, "GET", "/requests", { host: "attacker.example:80" });
    expect(res.status).toBe(403);
    expect((await control(emu.url, "GET", "/requests", { host: `localhost:${new URL(emu.url).port}` })).status).toBe(200);
  });
});

describe("control channel on a non-loopback address", () => {
  it("requires the API key", async () => {
    const exposed = await startEmulator({ host: "0.0.0.0", apiKey: "net-key" });
    try {
      const base = `http://127.0.0.1:${new URL(exposed.url).port}`;
      const anonymous = await control(base, "GET", "/faults", {});
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe(16);
      expect((await control(base, "GET", "/faults", { authorization: "Bearer wrong" })).status).toBe(401);
      expect((await control(base, "POST", "/reset", { ...JSON_TYPE }, "{}")).status).toBe(401);
      expect((await control(base, "GET", "/faults", { authorization: "Bearer net-key" })).status).toBe(200);
      // Any Host is fine there: the key is the check.
      expect((await control(base, "GET", "/faults", { authorization: "Bearer net-key", host: "emulator.lan:1" })).status).toBe(200);
    } finally {
      await exposed.close();
    }
  });
});
