import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { BASE_MODEL, useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true, timingMs: 50 });

describe("create and get", () => {
  it("creates in CREATING with name and timestamps, then becomes READY with replicas", async () => {
    const created = await client.create(
      { baseModel: BASE_MODEL, displayName: "My Deployment", minReplicaCount: 0, maxReplicaCount: 2, placement: { multiRegion: "US" } },
      "?deploymentId=my-dep",
    );
    expect(created.status).toBe(200);
    expect(created.body.name).toBe(`accounts/${emu.accountId}/deployments/my-dep`);
    expect(created.body.state).toBe("CREATING");
    expect(created.body.createTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(created.body.updateTime).toBe(created.body.createTime);
    expect(created.body.replicaCount).toBe(0);
    expect(created.body.desiredReplicaCount).toBe(1);

    const ready = await client.waitForState("my-dep", "READY");
    expect(ready.replicaCount).toBe(1);
    expect(ready.desiredReplicaCount).toBe(1);
    expect(ready.replicaStats).toEqual({ readyReplicaCount: 1 });
    expect(ready.region).toBe("US_IOWA_1");
    expect(ready.createTime).toBe(created.body.createTime);
  });

  it("starts minReplicaCount replicas when the minimum is above 1", async () => {
    const ready = await client.createReady("three", { minReplicaCount: 3, maxReplicaCount: 5 });
    expect(ready.replicaCount).toBe(3);
  });

  it("reports the region of a single-region placement", async () => {
    const ready = await client.createReady("tokyo", { placement: { region: "AP_TOKYO_1" } });
    expect(ready.region).toBe("AP_TOKYO_1");
    const eu = await client.createReady("eu", { placement: { multiRegion: "EUROPE" } });
    expect(eu.region).toBe("EU_FRANKFURT_1");
  });

  it("generates an 8-character ID starting with a letter when deploymentId is absent or empty", async () => {
    for (const query of ["", "?deploymentId="]) {
      const res = await client.create({ baseModel: BASE_MODEL }, query);
      expect(res.status).toBe(200);
      const id = res.body.name?.split("/").pop() ?? "";
      expect(id).toMatch(/^[a-z][a-z0-9]{7}$/);
    }
  });

  it("returns 409 ALREADY_EXISTS for a used ID", async () => {
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=dup");
    const again = await client.call<ErrorBody>("POST", `${client.base}?deploymentId=dup`, { baseModel: BASE_MODEL });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(6);
    expect(again.body.message).toBe(`deployment "accounts/${emu.accountId}/deployments/dup" already exists`);
  });

  it("returns 404 naming the resource for an unknown deployment", async () => {
    const res = await client.call<ErrorBody>("GET", `${client.base}/missing`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 5, message: `deployment "accounts/${emu.accountId}/deployments/missing" not found`, details: [] });
  });

  it("validateOnly returns the would-be deployment and stores nothing", async () => {
    const res = await client.create({ baseModel: BASE_MODEL, displayName: "dry" }, "?deploymentId=dry&validateOnly=true");
    expect(res.status).toBe(200);
    expect(res.body.name).toBe(`accounts/${emu.accountId}/deployments/dry`);
    expect(res.body.displayName).toBe("dry");
    expect(res.body.createTime).toBeUndefined();
    expect((await client.get("dry")).status).toBe(404);
    expect((await client.list()).body).toEqual({});
    const invalid = await client.create({ baseModel: BASE_MODEL, minReplicaCount: 3, maxReplicaCount: 1 }, "?validateOnly=true");
    expect(invalid.status).toBe(400);
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=taken");
    const conflict = await client.create({ baseModel: BASE_MODEL }, "?deploymentId=taken&validateOnly=true");
    expect(conflict.status).toBe(409);
  });

  it("accepts the documented create flags", async () => {
    const res = await client.create(
      { baseModel: BASE_MODEL },
      "?deploymentId=flags&disableAutoDeploy=true&disableSpeculativeDecoding=true&skipShapeValidation=true&skipImageTagValidation=false",
    );
    expect(res.status).toBe(200);
  });

  it("supports readMask on get", async () => {
    await client.createReady("masked", { displayName: "m" });
    const res = await client.get("masked", "?readMask=name,state");
    expect(res.body).toEqual({ name: `accounts/${emu.accountId}/deployments/masked`, state: "READY" });
    expect((await client.get("masked", "?readMask=nope")).status).toBe(400);
  });
});

describe("update transitions", () => {
  it("keeps a metadata-only change READY", async () => {
    const before = await client.createReady("meta");
    const res = await client.patch("meta", { baseModel: BASE_MODEL, displayName: "Renamed", description: "d", annotations: { team: "x" } });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("READY");
    expect(res.body.displayName).toBe("Renamed");
    expect(res.body.annotations).toEqual({ team: "x" });
    expect(Date.parse(res.body.updateTime ?? "")).toBeGreaterThanOrEqual(Date.parse(before.updateTime ?? ""));
  });

  it("rolls replicas (UPDATING -> READY) when serving config changes", async () => {
    await client.createReady("roll");
    await client.admin("PUT", "/timings", { deploymentUpdateMs: 100 });
    const res = await client.patch("roll", { baseModel: BASE_MODEL, acceleratorType: "NVIDIA_H100_80GB", maxReplicaCount: 4, minReplicaCount: 2 });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("UPDATING");
    expect(res.body.acceleratorType).toBe("NVIDIA_H100_80GB");
    expect(res.body.desiredReplicaCount).toBe(2);
    const ready = await client.waitForState("roll", "READY");
    expect(ready.replicaCount).toBe(2);
  });

  it("scales via :scale (UPDATING -> READY) and returns {}", async () => {
    await client.createReady("scaled", { minReplicaCount: 0, maxReplicaCount: 3 });
    const res = await client.call("PATCH", `${client.base}/scaled:scale`, { replicaCount: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const mid = await client.get("scaled");
    expect(mid.body.desiredReplicaCount).toBe(3);
    const ready = await client.waitForState("scaled", "READY");
    expect(ready.replicaCount).toBe(3);
    const zero = await client.call("PATCH", `${client.base}/scaled:scale`, { replicaCount: 0 });
    expect(zero.status).toBe(200);
    const down = await client.waitForState("scaled", "READY");
    expect(down.replicaCount).toBe(0);
    expect(down.replicaStats).toBeUndefined();
  });

  it("rejects a negative, out-of-bounds or malformed :scale", async () => {
    await client.createReady("bounded", { maxReplicaCount: 2 });
    const neg = await client.call<ErrorBody>("PATCH", `${client.base}/bounded:scale`, { replicaCount: -1 });
    expect(neg.status).toBe(400);
    expect(neg.body.message).toContain("greater than or equal to 0");
    const over = await client.call<ErrorBody>("PATCH", `${client.base}/bounded:scale`, { replicaCount: 3 });
    expect(over.status).toBe(400);
    expect(over.body.message).toContain("outside [min_replica_count, max_replica_count]");
    const extra = await client.call<ErrorBody>("PATCH", `${client.base}/bounded:scale`, { replicas: 1 });
    expect(extra.status).toBe(400);
    const missing = await client.call<ErrorBody>("PATCH", `${client.base}/nope:scale`, { replicaCount: 1 });
    expect(missing.status).toBe(404);
  });
});

describe("delete and undelete", () => {
  it("soft-deletes: DELETING -> DELETED with deleteTime and purgeTime, hidden from list, ID still taken", async () => {
    await client.createReady("soft");
    const res = await client.delete("soft");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect((await client.get("soft")).body.state).toBe("DELETING");
    const deleted = await client.waitForState("soft", "DELETED");
    expect(deleted.deleteTime).toBeDefined();
    expect(Date.parse(deleted.purgeTime ?? "")).toBeGreaterThan(Date.parse(deleted.deleteTime ?? ""));
    expect(deleted.replicaCount).toBe(0);
    expect((await client.list()).body.deployments ?? []).toHaveLength(0);
    const shown = await client.list("?showDeleted=true");
    expect(shown.body.deployments?.map((d) => d.state)).toEqual(["DELETED"]);
    const reuse = await client.create({ baseModel: BASE_MODEL }, "?deploymentId=soft");
    expect(reuse.status).toBe(409);
  });

  it("refuses a second soft delete, purges a DELETED one with hard=true", async () => {
    await client.createReady("purge");
    await client.delete("purge");
    await client.waitForState("purge", "DELETED");
    const again = await client.delete("purge");
    expect(again.status).toBe(400);
    expect((again.body as unknown as ErrorBody).code).toBe(9);
    const hard = await client.delete("purge", "?hard=true");
    expect(hard.status).toBe(200);
    expect((await client.get("purge")).status).toBe(404);
    expect((await client.create({ baseModel: BASE_MODEL }, "?deploymentId=purge")).status).toBe(200);
  });

  it("hard-deletes: DELETING -> gone (404)", async () => {
    await client.createReady("hard");
    const res = await client.delete("hard", "?hard=true&ignoreChecks=true");
    expect(res.status).toBe(200);
    await client.waitForState("hard", "GONE");
    expect((await client.list("?showDeleted=true")).body).toEqual({});
  });

  it("deletes a deployment that is still CREATING (the delete wins)", async () => {
    await client.admin("PUT", "/timings", { deploymentCreateMs: 60_000 });
    await client.create({ baseModel: BASE_MODEL }, "?deploymentId=early");
    expect((await client.delete("early")).status).toBe(200);
    await client.waitForState("early", "DELETED");
  });

  it("turns a pending soft delete into a hard one when DELETE is repeated with hard=true", async () => {
    await client.createReady("upgrade");
    await client.admin("PUT", "/timings", { deploymentDeleteMs: 150 });
    await client.delete("upgrade");
    expect((await client.delete("upgrade", "?hard=true")).status).toBe(200);
    await client.waitForState("upgrade", "GONE");
  });

  it("returns 404 when deleting an unknown deployment", async () => {
    expect((await client.delete("ghost")).status).toBe(404);
  });

  it("undeletes DELETED and FAILED deployments back through CREATING to READY", async () => {
    await client.createReady("back");
    await client.delete("back");
    await client.waitForState("back", "DELETED");
    const res = await client.call<{ state?: string; deleteTime?: string; purgeTime?: string }>("POST", `${client.base}/back:undelete`, {});
    expect(res.status).toBe(200);
    expect(res.body.state).toBe("CREATING");
    expect(res.body.deleteTime).toBeUndefined();
    expect(res.body.purgeTime).toBeUndefined();
    await client.waitForState("back", "READY");

    await client.admin("POST", "/deployments/back/fail", { code: "INTERNAL", message: "boom" });
    const revived = await client.call("POST", `${client.base}/back:undelete`, {});
    expect(revived.status).toBe(200);
    const ready = await client.waitForState("back", "READY");
    expect(ready.status).toBeUndefined();
  });

  it("refuses to undelete a deployment that is not DELETED or FAILED", async () => {
    await client.createReady("alive");
    const res = await client.call<ErrorBody>("POST", `${client.base}/alive:undelete`, {});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(9);
    expect(res.body.message).toContain("only DELETED or FAILED");
    const body = await client.call<ErrorBody>("POST", `${client.base}/alive:undelete`, { force: true });
    expect(body.status).toBe(400);
  });

  it("refuses PATCH and :scale on DELETING, DELETED and FAILED deployments with FAILED_PRECONDITION", async () => {
    await client.createReady("gone");
    await client.admin("PUT", "/timings", { deploymentDeleteMs: 60_000 });
    await client.delete("gone");
    const whileDeleting = await client.patch("gone", { baseModel: BASE_MODEL, displayName: "x" });
    expect(whileDeleting.status).toBe(400);
    expect((whileDeleting.body as unknown as ErrorBody).code).toBe(9);
    expect((await client.delete("gone")).status).toBe(400);
    const scaleDeleting = await client.call<ErrorBody>("PATCH", `${client.base}/gone:scale`, { replicaCount: 1 });
    expect(scaleDeleting.status).toBe(400);
    await client.admin("PUT", "/timings", { deploymentDeleteMs: 50 });

    await client.createReady("broken");
    await client.admin("POST", "/deployments/broken/fail", {});
    const patch = await client.patch("broken", { baseModel: BASE_MODEL, displayName: "x" });
    expect(patch.status).toBe(400);
    const scale = await client.call<ErrorBody>("PATCH", `${client.base}/broken:scale`, { replicaCount: 1 });
    expect(scale.status).toBe(400);
    expect(scale.body.code).toBe(9);
  });
});
