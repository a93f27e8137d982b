import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { BASE_MODEL, useEmulator, type Client, type Deployment, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true, timingMs: 30 });

interface LogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  time: string;
}

async function addFault(fault: Record<string, unknown>): Promise<string> {
  const res = await client.admin<{ id: string }>("POST", "/faults", fault);
  expect(res.status, res.text).toBe(200);
  return res.body.id;
}

describe("injected status faults", () => {
  it("answers 429 RESOURCE_EXHAUSTED with Retry-After for the given number of matching requests", async () => {
    const id = await addFault({ method: "GET", path: "/deployments", times: 2, action: { type: "status", status: 429, retryAfterSeconds: 2 } });
    expect(id).toMatch(/\S+/);
    for (let i = 0; i < 2; i++) {
      const res = await client.call<ErrorBody>("GET", client.base);
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(res.body.code).toBe(8);
      expect(res.body.details).toEqual([]);
    }
    expect((await client.call("GET", client.base)).status).toBe(200);
  });

  it.each([
    [500, 13],
    [502, 14],
    [503, 14],
    [504, 4],
  ])("answers an injected %i with gRPC code %i and the given message", async (status, code) => {
    await addFault({ action: { type: "status", status, message: "upstream sad" } });
    const res = await client.call<ErrorBody>("GET", client.base);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ code, message: "upstream sad", details: [] });
    expect(res.headers.get("retry-after")).toBeNull();
  });

  it("matches on method and path substring, consumes faults in order and never touches /_emulator/", async () => {
    await addFault({ method: "POST", action: { type: "status", status: 503 } });
    await addFault({ path: "/deployments/x1", action: { type: "status", status: 500 } });
    await addFault({ action: { type: "status", status: 502 } });
    expect((await client.admin("GET", "/faults")).status).toBe(200);
    expect((await client.get("x1")).status).toBe(500);
    expect((await client.create({ baseModel: BASE_MODEL })).status).toBe(503);
    expect((await client.get("x1")).status).toBe(502);
    expect((await client.get("x1")).status).toBe(404);
  });

  it("applies to /verifyApiKey like any API route", async () => {
    await addFault({ path: "/verifyApiKey", action: { type: "status", status: 503 } });
    expect((await client.call("GET", "/verifyApiKey")).status).toBe(503);
    expect((await client.call("GET", "/verifyApiKey")).status).toBe(200);
  });

  it("lists and clears pending faults", async () => {
    await addFault({ times: 3, action: { type: "status", status: 500 } });
    await client.call("GET", client.base);
    const listed = await client.admin<{ faults: { remaining: number }[] }>("GET", "/faults");
    expect(listed.body.faults.map((f) => f.remaining)).toEqual([2]);
    await client.admin("DELETE", "/faults");
    expect((await client.call("GET", client.base)).status).toBe(200);
  });

  it.each<[string, Record<string, unknown>]>([
    ["no action", {}],
    ["unknown action type", { action: { type: "explode" } }],
    ["status out of range", { action: { type: "status", status: 302 } }],
    ["status missing", { action: { type: "status" } }],
    ["negative delay", { action: { type: "delay", ms: -1 } }],
    ["unknown top-level field", { action: { type: "drop" }, when: "now" }],
    ["unknown action field", { action: { type: "drop", gently: true } }],
    ["times zero", { times: 0, action: { type: "drop" } }],
    ["bad method", { method: "BREW", action: { type: "drop" } }],
    ["notFoundAfterCreate on POST", { method: "POST", action: { type: "notFoundAfterCreate" } }],
  ])("rejects a fault with %s", async (_label, body) => {
    const res = await client.admin<ErrorBody>("POST", "/faults", body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(3);
  });
});

describe("connection faults", () => {
  it("drops the connection without a response", async () => {
    await addFault({ method: "GET", action: { type: "drop" } });
    await expect(fetch(emu.url + client.base, { headers: { authorization: `Bearer ${emu.apiKey}` } })).rejects.toThrow();
    expect((await client.call("GET", client.base)).status).toBe(200);
    const log = await client.admin<LogEntry[]>("GET", "/requests");
    expect(log.body.map((e) => e.status)).toEqual([0, 200]);
  });

  it("delays a response and then answers normally", async () => {
    await addFault({ action: { type: "delay", ms: 200 } });
    const started = Date.now();
    const res = await client.create({ baseModel: BASE_MODEL }, "?deploymentId=slow");
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("CREATING");
  });

  it("returns 404 for the next GETs of a resource created after a notFoundAfterCreate fault", async () => {
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=before");
    await addFault({ times: 2, action: { type: "notFoundAfterCreate" } });
    expect((await client.get("before")).status).toBe(200);
    const created = await client.create({ baseModel: BASE_MODEL }, "?deploymentId=lagging");
    expect(created.status).toBe(200);
    const first = await client.get("lagging");
    expect(first.status).toBe(404);
    expect((first.body as unknown as ErrorBody).message).toContain("lagging");
    expect((await client.get("lagging")).status).toBe(404);
    expect((await client.get("lagging")).status).toBe(200);
    expect((await client.get("before")).status).toBe(200);
  });

  it("binds notFoundAfterCreate only to a resource whose path matches", async () => {
    await addFault({ path: "/deployments/target", action: { type: "notFoundAfterCreate" } });
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=bystander");
    expect((await client.get("bystander")).status).toBe(200);
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=target");
    expect((await client.get("target")).status).toBe(404);
    expect((await client.get("target")).status).toBe(200);
  });
});

describe("applyThenDrop and echo", () => {
  it("applies a create and then drops the connection, so exactly one deployment exists and the client sees a socket error", async () => {
    await addFault({ method: "POST", path: "/deployments", action: { type: "applyThenDrop" } });
    await expect(
      fetch(`${emu.url}${client.base}?deploymentId=ghost`, {
        method: "POST",
        headers: { authorization: `Bearer ${emu.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ baseModel: BASE_MODEL }),
      }),
    ).rejects.toThrow();
    const listed = await client.list();
    expect(listed.body.deployments?.map((d) => d.name)).toEqual([`accounts/${emu.accountId}/deployments/ghost`]);
    expect(listed.body.totalSize).toBe(1);
    const log = await client.admin<LogEntry[]>("GET", "/requests");
    expect(log.body.map((e) => [e.method, e.status])).toEqual([
      ["POST", 0],
      ["GET", 200],
    ]);
    // The retry meets the deployment the lost response was about.
    expect((await client.create({ baseModel: BASE_MODEL }, "?deploymentId=ghost")).status).toBe(409);
  });

  it("applies a delete and then drops the connection", async () => {
    await client.createReady("doomed");
    await addFault({ method: "DELETE", action: { type: "applyThenDrop" } });
    await expect(fetch(`${emu.url}${client.base}/doomed`, { method: "DELETE", headers: { authorization: `Bearer ${emu.apiKey}` } })).rejects.toThrow();
    expect(["DELETING", "DELETED"]).toContain((await client.get("doomed")).body.state);
  });

  it("echoes the bearer token and the raw body in an injected error only when asked to", async () => {
    await addFault({ method: "POST", action: { type: "status", status: 500, echo: true } });
    const body = JSON.stringify({ baseModel: BASE_MODEL, displayName: "body-marker-123" });
    const res = await client.call<ErrorBody>("POST", client.base, undefined, { raw: body });
    expect(res.status).toBe(500);
    expect(res.body.code).toBe(13);
    expect(res.body.message).toContain(`Bearer ${emu.apiKey}`);
    expect(res.body.message).toContain(body);
    await addFault({ method: "POST", action: { type: "status", status: 500 } });
    const quiet = await client.call<ErrorBody>("POST", client.base, undefined, { raw: body });
    expect(quiet.body.message).not.toContain(emu.apiKey);
    expect(quiet.body.message).not.toContain("body-marker-123");
    expect((await client.admin<ErrorBody>("POST", "/faults", { action: { type: "status", status: 500, echo: "yes" } })).status).toBe(400);
  });
});

describe("resource control", () => {
  it("fails a deployment with a status", async () => {
    await client.createReady("f");
    const res = await client.admin<Deployment>("POST", "/deployments/f/fail", { code: "RESOURCE_EXHAUSTED", message: "No H100 capacity in US_IOWA_1" });
    expect(res.status).toBe(200);
    const dep = (await client.get("f")).body;
    expect(dep.state).toBe("FAILED");
    expect(dep.status).toEqual({ code: "RESOURCE_EXHAUSTED", message: "No H100 capacity in US_IOWA_1" });
    expect(dep.replicaCount).toBe(0);
    expect((await client.admin("POST", "/deployments/nobody/fail", {})).status).toBe(404);
    expect((await client.admin("POST", "/deployments/f/fail", { code: "OOPS" })).status).toBe(400);
  });

  it("fails a deployment immediately even while CREATING (its pending transition is cancelled)", async () => {
    await client.admin("PUT", "/timings", { deploymentCreateMs: 100 });
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=f2");
    await client.admin("POST", "/deployments/f2/fail", {});
    expect((await client.get("f2")).body.status).toEqual({ code: "RESOURCE_EXHAUSTED", message: "No H100 capacity in US_IOWA_1" });
  });

  it("makes the next create go CREATING -> FAILED, then creates normally again", async () => {
    await client.admin("POST", "/fail-next-create", { code: "INTERNAL", message: "image pull failed" });
    const res = await client.create({ baseModel: BASE_MODEL }, "?deploymentId=doomed");
    expect(res.body.state).toBe("CREATING");
    const failed = await client.waitForState("doomed", "FAILED");
    expect(failed.status).toEqual({ code: "INTERNAL", message: "image pull failed" });
    await client.createReady("fine");
  });

  it("does not spend a queued failure on validateOnly", async () => {
    await client.admin("POST", "/fail-next-create", {});
    await client.create({ baseModel: BASE_MODEL }, "?validateOnly=true");
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=victim");
    await client.waitForState("victim", "FAILED");
  });

  it("applies an out-of-band change without validation or a state change", async () => {
    const before = await client.createReady("drift", { displayName: "mine", description: "d" });
    const res = await client.admin<Deployment>("PATCH", "/deployments/drift", { displayName: "changed in console", maxReplicaCount: 7, description: null });
    expect(res.status).toBe(200);
    const after = (await client.get("drift")).body;
    expect(after.displayName).toBe("changed in console");
    expect(after.maxReplicaCount).toBe(7);
    expect(after).not.toHaveProperty("description");
    expect(after.state).toBe("READY");
    expect(Date.parse(after.updateTime ?? "")).toBeGreaterThanOrEqual(Date.parse(before.updateTime ?? ""));
    expect((await client.admin("PATCH", "/deployments/nobody", {})).status).toBe(404);
  });
});

describe("request log, timings and reset", () => {
  it("logs API requests without headers or bodies, and not control requests", async () => {
    await client.create({ baseModel: BASE_MODEL, displayName: "secret-ish" }, "?deploymentId=logged");
    await client.call("GET", client.base, undefined, { key: "wrong-key" });
    const log = await client.admin<LogEntry[]>("GET", "/requests");
    expect(log.body).toHaveLength(2);
    expect(log.body[0]).toMatchObject({ method: "POST", path: client.base, query: { deploymentId: "logged" }, status: 200 });
    expect(log.body[1]).toMatchObject({ method: "GET", status: 401 });
    expect(Object.keys(log.body[0] ?? {}).sort()).toEqual(["method", "path", "query", "status", "time"]);
    expect(log.text).not.toContain(emu.apiKey);
    expect(log.text).not.toContain("wrong-key");
    expect(log.text.toLowerCase()).not.toContain("authorization");
    expect(log.text).not.toContain("secret-ish");
    await client.admin("DELETE", "/requests");
    expect((await client.admin<LogEntry[]>("GET", "/requests")).body).toEqual([]);
  });

  it("changes timings at run time and rejects bad ones", async () => {
    const res = await client.admin("PUT", "/timings", { deploymentCreateMs: 5 });
    expect(res.body).toMatchObject({ deploymentCreateMs: 5, deploymentUpdateMs: 30, deploymentDeleteMs: 30 });
    expect((await client.admin("GET", "/timings")).body).toEqual(res.body);
    expect((await client.admin("PUT", "/timings", { deploymentCreateMs: -1 })).status).toBe(400);
    expect((await client.admin("PUT", "/timings", { coffeeMs: 1 })).status).toBe(400);
  });

  it("resets store, faults and log", async () => {
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=temp");
    await addFault({ path: "/nothing-matches-this", action: { type: "drop" } });
    expect((await client.admin("POST", "/reset")).status).toBe(200);
    expect((await client.admin<{ faults: unknown[] }>("GET", "/faults")).body.faults).toEqual([]);
    expect((await client.admin<LogEntry[]>("GET", "/requests")).body).toEqual([]);
    expect((await client.get("temp")).status).toBe(404);
  });

  it("answers unknown control routes with a JSON 404 and malformed control JSON with 400", async () => {
    expect((await client.admin<ErrorBody>("GET", "/nothing")).body.code).toBe(5);
    const bad = await client.call<ErrorBody>("POST", "/_emulator/faults", undefined, { key: null, raw: "{" });
    expect(bad.status).toBe(400);
  });
});
