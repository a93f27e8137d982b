import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { BASE_MODEL, useEmulator, type Client, type ErrorBody, type ListBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

async function createMany(n: number, prefix = "d"): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${prefix}${String(i).padStart(3, "0")}`;
    const res = await client.create({ baseModel: BASE_MODEL, displayName: i % 2 === 0 ? "even" : "odd" }, `?deploymentId=${id}`);
    expect(res.status).toBe(200);
    ids.push(id);
  }
  return ids;
}

const idsOf = (body: ListBody): string[] => (body.deployments ?? []).map((d) => d.name?.split("/").pop() ?? "");

describe("list paging (reference §1.5)", () => {
  it("returns {} for an empty collection (zero values omitted)", async () => {
    const res = await client.list();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it("pages through in create_time order with opaque tokens and totalSize", async () => {
    const ids = await createMany(5);
    const first = await client.list("?pageSize=2");
    expect(idsOf(first.body)).toEqual(ids.slice(0, 2));
    expect(first.body.totalSize).toBe(5);
    expect(first.body.nextPageToken).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await client.list(`?pageSize=2&pageToken=${first.body.nextPageToken ?? ""}`);
    expect(idsOf(second.body)).toEqual(ids.slice(2, 4));
    const third = await client.list(`?pageSize=2&pageToken=${second.body.nextPageToken ?? ""}`);
    expect(idsOf(third.body)).toEqual(ids.slice(4));
    expect(third.body.nextPageToken).toBeUndefined();
    expect(third.body.totalSize).toBe(5);
  });

  it("defaults pageSize to 50 and coerces values above 200 to 200", async () => {
    await createMany(205);
    const byDefault = await client.list();
    expect(byDefault.body.deployments).toHaveLength(50);
    expect(byDefault.body.totalSize).toBe(205);
    const capped = await client.list("?pageSize=500");
    expect(capped.body.deployments).toHaveLength(200);
    const rest = await client.list(`?pageSize=500&pageToken=${capped.body.nextPageToken ?? ""}`);
    expect(rest.body.deployments).toHaveLength(5);
    expect(rest.body.nextPageToken).toBeUndefined();
  });

  it("rejects a negative pageSize, a garbage token and a token reused with other parameters", async () => {
    await createMany(3);
    const negative = await client.call<ErrorBody>("GET", `${client.base}?pageSize=-1`);
    expect(negative.status).toBe(400);
    const garbage = await client.call<ErrorBody>("GET", `${client.base}?pageToken=not-a-token`);
    expect(garbage.status).toBe(400);
    expect(garbage.body.message).toContain("invalid page token");
    const first = await client.list("?pageSize=1");
    const token = first.body.nextPageToken ?? "";
    for (const changed of [`?pageSize=1&filter=state%3DREADY&pageToken=${token}`, `?pageSize=2&pageToken=${token}`, `?pageSize=1&showDeleted=true&pageToken=${token}`]) {
      const res = await client.call<ErrorBody>("GET", `${client.base}${changed}`);
      expect(res.status, changed).toBe(400);
      expect(res.body.message).toContain("must match");
    }
  });

  it("hides DELETED deployments unless showDeleted=true", async () => {
    await createMany(3);
    await client.delete("d001");
    await client.waitForState("d001", "DELETED");
    expect(idsOf((await client.list()).body)).toEqual(["d000", "d002"]);
    expect((await client.list()).body.totalSize).toBe(2);
    const all = await client.list("?showDeleted=true");
    expect(idsOf(all.body)).toEqual(["d000", "d001", "d002"]);
  });
});

describe("filter and orderBy", () => {
  it("filters by state and displayName equality", async () => {
    await createMany(4);
    await client.waitForState("d003", "READY");
    expect((await client.list("?filter=state%3DREADY")).body.totalSize).toBe(4);
    expect((await client.list("?filter=state%3DCREATING")).body).toEqual({});
    const even = await client.list(`?filter=${encodeURIComponent('displayName="even"')}`);
    expect(idsOf(even.body)).toEqual(["d000", "d002"]);
    const both = await client.list(`?filter=${encodeURIComponent('display_name = "odd" AND state = READY')}`);
    expect(idsOf(both.body)).toEqual(["d001", "d003"]);
  });

  it.each([
    ['displayName!="x"', "unsupported filter"],
    ["state=READY OR state=FAILED", "unsupported filter"],
    ["acceleratorType=NVIDIA_A100_80GB", 'unsupported filter field "acceleratorType"'],
    ["state=SLEEPING", "invalid filter value"],
    ['displayName:"x"', "unsupported filter"],
  ])("rejects the filter %s with 400", async (filter, message) => {
    const res = await client.call<ErrorBody>("GET", `${client.base}?filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });

  it("orders by create_time by default, and by documented fields with desc", async () => {
    const ids = await createMany(3);
    expect(idsOf((await client.list("?orderBy=create_time%20desc")).body)).toEqual([...ids].reverse());
    expect(idsOf((await client.list("?orderBy=name%20desc")).body)).toEqual([...ids].reverse());
    expect(idsOf((await client.list("?orderBy=displayName,name%20desc")).body)).toEqual(["d002", "d000", "d001"]);
    const bad = await client.call<ErrorBody>("GET", `${client.base}?orderBy=acceleratorType`);
    expect(bad.status).toBe(400);
    expect((await client.call<ErrorBody>("GET", `${client.base}?orderBy=name%20sideways`)).status).toBe(400);
  });

  it("applies readMask to listed items", async () => {
    await createMany(1);
    const res = await client.list("?readMask=name");
    expect(res.body.deployments).toEqual([{ name: `accounts/${emu.accountId}/deployments/d000` }]);
  });
});
