import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

interface Quota {
  name?: string;
  value?: string;
  maxValue?: string;
  usage?: number;
  updateTime?: string;
}

const base = () => `/v1/accounts/${emu.accountId}/quotas`;
const nameOf = (id: string) => `accounts/${emu.accountId}/quotas/${id}`;

describe("quotas: seeded, read-only collection", () => {
  it("starts with the documented quotas, int64 values as strings, ordered by name", async () => {
    const res = await client.call<{ quotas: Quota[]; totalSize: number }>("GET", base());
    expect(res.body.quotas.map((q) => [q.name, q.value, q.maxValue])).toEqual([
      [nameOf("monthly-spend-usd"), "5000", "5000"],
      [nameOf("serverless-inference-rpm"), "6000", "6000"],
    ]);
    expect(res.body.totalSize).toBe(2);
    const one = await client.call<Quota>("GET", `${base()}/serverless-inference-rpm`);
    expect(one.body).toMatchObject({ name: nameOf("serverless-inference-rpm"), value: "6000", maxValue: "6000" });
    expect(one.body.updateTime).toMatch(/Z$/);
    const paged = await client.call<{ quotas: Quota[]; nextPageToken: string }>("GET", `${base()}?pageSize=1`);
    expect(paged.body.quotas).toHaveLength(1);
    expect(paged.body.nextPageToken).toBeTruthy();
    expect((await client.call("GET", `${base()}/gpu-hours`)).status).toBe(404);
  });

  it("has no create or delete", async () => {
    expect((await client.call("POST", base(), { value: "1" })).status).toBe(501);
    expect((await client.call("DELETE", `${base()}/monthly-spend-usd`)).status).toBe(501);
  });
});

describe("quotas: update", () => {
  it("lowers value (number or string), moving updateTime", async () => {
    const before = (await client.call<Quota>("GET", `${base()}/monthly-spend-usd`)).body;
    const res = await client.call<Quota>("PATCH", `${base()}/monthly-spend-usd`, { value: 250 });
    expect(res.status, res.text).toBe(200);
    expect(res.body.value).toBe("250");
    expect(res.body.maxValue).toBe("5000");
    expect(Date.parse(res.body.updateTime ?? "")).toBeGreaterThanOrEqual(Date.parse(before.updateTime ?? ""));
    expect((await client.call<Quota>("PATCH", `${base()}/monthly-spend-usd`, { value: "300" })).body.value).toBe("300");
  });

  it("refuses a value above maxValue with a 400 naming the limit", async () => {
    const res = await client.call<ErrorBody>("PATCH", `${base()}/serverless-inference-rpm`, { value: "7000" });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(3);
    expect(res.body.message).toContain("6000");
    expect(res.body.message).toContain("max_value");
    expect((await client.call<ErrorBody>("PATCH", `${base()}/serverless-inference-rpm`, { value: "-1" })).status).toBe(400);
    expect((await client.call<ErrorBody>("PATCH", `${base()}/serverless-inference-rpm`, { value: "ten" })).status).toBe(400);
  });

  it("refuses a change to maxValue with 403 but accepts it unchanged", async () => {
    const res = await client.call<ErrorBody>("PATCH", `${base()}/serverless-inference-rpm`, { value: "100", maxValue: "9000" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(7);
    expect((await client.call<Quota>("GET", `${base()}/serverless-inference-rpm`)).body.value).toBe("6000");
    expect((await client.call("PATCH", `${base()}/serverless-inference-rpm`, { value: "100", maxValue: "6000" })).status).toBe(200);
  });

  it("honours updateMask and ignores output-only fields", async () => {
    const res = await client.call<Quota>("PATCH", `${base()}/monthly-spend-usd?updateMask=value`, { value: "10", name: "ignored", usage: 3 });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ name: nameOf("monthly-spend-usd"), value: "10" });
    expect((await client.call("PATCH", `${base()}/monthly-spend-usd?updateMask=colour`, { value: "10" })).status).toBe(400);
  });

  it("recreates a missing seeded quota only with allowMissing; unknown quotas stay 404", async () => {
    expect((await client.admin("DELETE", "/quotas/monthly-spend-usd")).status).toBe(200);
    expect((await client.call("PATCH", `${base()}/monthly-spend-usd`, { value: "10" })).status).toBe(404);
    const res = await client.call<Quota>("PATCH", `${base()}/monthly-spend-usd?allowMissing=true`, { value: "10" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ value: "10", maxValue: "5000" });
    expect((await client.call("PATCH", `${base()}/gpu-hours?allowMissing=true`, { value: "1" })).status).toBe(404);
  });
});

describe("quotas: control channel", () => {
  it("raises a maxValue and seeds usage, then the API allows a higher value; reset restores the seeds", async () => {
    const seeded = await client.admin<Quota>("PUT", "/quotas/serverless-inference-rpm", { maxValue: "12000", usage: 42.5 });
    expect(seeded.status, seeded.text).toBe(200);
    expect(seeded.body).toMatchObject({ value: "6000", maxValue: "12000", usage: 42.5 });
    expect((await client.call<Quota>("PATCH", `${base()}/serverless-inference-rpm`, { value: "10000" })).body.value).toBe("10000");
    const extra = await client.admin<Quota>("PUT", "/quotas/gpu-h100", { value: 8, maxValue: 8 });
    expect(extra.body).toMatchObject({ name: nameOf("gpu-h100"), value: "8", maxValue: "8" });
    expect((await client.admin("PUT", "/quotas/gpu-h100", { value: 1, colour: "red" })).status).toBe(400);
    await client.admin("POST", "/reset");
    expect((await client.call<Quota>("GET", `${base()}/serverless-inference-rpm`)).body).toMatchObject({ value: "6000", maxValue: "6000" });
    expect((await client.call("GET", `${base()}/gpu-h100`)).status).toBe(404);
  });

  it("goes through the fault channel", async () => {
    await client.admin("POST", "/faults", { path: "/quotas", action: { type: "status", status: 429, retryAfterSeconds: 1 } });
    const res = await client.call("GET", base());
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
  });
});
