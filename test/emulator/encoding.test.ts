import { describe, expect, it } from "vitest";
import { formatDuration, formatTimestamp, parseDuration, parseInt64, parseTimestamp } from "../../emulator/core/encoding";
import { Router } from "../../emulator/core/router";
import { BASE_MODEL, useEmulator, type Client } from "./helpers";

let client: Client;

useEmulator((_emu, c) => {
  client = c;
});

describe("wire encoding of a deployment (reference §1.3)", () => {
  it("fills the documented defaults and omits zero values except show_if_zero fields", async () => {
    const res = await client.create({ baseModel: BASE_MODEL }, "?deploymentId=defaults");
    const dep = res.body;
    expect(dep.minReplicaCount).toBe(0);
    expect(dep.maxReplicaCount).toBe(1);
    expect(dep.replicaCount).toBe(0);
    expect(dep.enableAddons).toBe(false);
    expect(dep.autoscalingPolicy).toEqual({ scaleUpWindow: "30s", scaleDownWindow: "600s", scaleToZeroWindow: "3600s" });
    expect(dep.placement).toEqual({ multiRegion: "GLOBAL" });
    expect(dep.acceleratorType).toBe("NVIDIA_A100_80GB");
    expect(dep.acceleratorCount).toBe(1);
    for (const absent of ["displayName", "description", "precision", "draftModel", "draftTokenCount", "directRouteType", "annotations", "directRouteApiKeys", "deleteTime", "purgeTime", "status", "region", "enableHotLoad", "maxContextLength"]) {
      expect(dep, absent).not.toHaveProperty(absent);
    }
  });

  it("omits zero-valued fields sent explicitly, and reads enum *_UNSPECIFIED and count 0 as absent", async () => {
    const res = await client.create(
      { baseModel: BASE_MODEL, displayName: "", precision: "PRECISION_UNSPECIFIED", acceleratorType: "ACCELERATOR_TYPE_UNSPECIFIED", acceleratorCount: 0, enableSessionAffinity: false, directRouteApiKeys: [], annotations: {} },
      "?deploymentId=zeros",
    );
    const dep = res.body;
    expect(dep).not.toHaveProperty("displayName");
    expect(dep).not.toHaveProperty("precision");
    expect(dep).not.toHaveProperty("enableSessionAffinity");
    expect(dep).not.toHaveProperty("directRouteApiKeys");
    expect(dep).not.toHaveProperty("annotations");
    expect(dep.acceleratorType).toBe("NVIDIA_A100_80GB");
    expect(dep.acceleratorCount).toBe(1);
  });

  it("defaults maxReplicaCount to max(minReplicaCount, 1), also for an explicit 0 on create (proto3 cannot tell them apart)", async () => {
    expect((await client.create({ baseModel: BASE_MODEL, minReplicaCount: 3 })).body.maxReplicaCount).toBe(3);
    expect((await client.create({ baseModel: BASE_MODEL, minReplicaCount: 0, maxReplicaCount: 0 })).body.maxReplicaCount).toBe(1);
  });

  it("keeps precision as given", async () => {
    expect((await client.create({ baseModel: BASE_MODEL, precision: "FP8" })).body.precision).toBe("FP8");
  });

  it("normalizes durations to protojson's form", async () => {
    const res = await client.create({ baseModel: BASE_MODEL, autoscalingPolicy: { scaleUpWindow: "1.5s", scaleDownWindow: "0600s", scaleToZeroWindow: "0s" } });
    expect(res.body.autoscalingPolicy).toEqual({ scaleUpWindow: "1.500s", scaleDownWindow: "600s", scaleToZeroWindow: "0s" });
  });

  it("rewrites a deployment shape family to a version name, stably", async () => {
    const shape = "accounts/fireworks/deploymentShapes/fast";
    const a = await client.create({ baseModel: BASE_MODEL, deploymentShape: shape });
    const b = await client.create({ baseModel: BASE_MODEL, deploymentShape: shape });
    expect(a.body.deploymentShape).toMatch(/^accounts\/fireworks\/deploymentShapes\/fast\/versions\/[a-z0-9-]+$/);
    expect(b.body.deploymentShape).toBe(a.body.deploymentShape);
    const pinned = `${shape}/versions/abc`;
    expect((await client.create({ baseModel: BASE_MODEL, deploymentShape: pinned })).body.deploymentShape).toBe(pinned);
  });

  it("emits timestamps in RFC 3339 UTC with Z", async () => {
    const res = await client.create({ baseModel: BASE_MODEL });
    for (const ts of [res.body.createTime, res.body.updateTime]) {
      expect(ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    }
  });
});

describe("scalar encodings", () => {
  it.each([
    ["30s", 30_000_000_000n],
    ["1.5s", 1_500_000_000n],
    [".5s", 500_000_000n],
    ["1.s", 1_000_000_000n],
    ["-2s", -2_000_000_000n],
    ["0.000000001s", 1n],
  ])("parses the Duration %s", (text, nanos) => {
    expect(parseDuration(text)).toBe(nanos);
  });

  it.each(["10m", "1h", "30", "s", "1.0000000001s", "1e3s", " 30s", "PT30S"])("rejects %s as a Duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it("formats Durations with 0, 3, 6 or 9 fractional digits", () => {
    expect(formatDuration(600_000_000_000n)).toBe("600s");
    expect(formatDuration(1_500_000_000n)).toBe("1.500s");
    expect(formatDuration(1_000_001_000n)).toBe("1.000001s");
    expect(formatDuration(1n)).toBe("0.000000001s");
    expect(formatDuration(-1_500_000_000n)).toBe("-1.500s");
  });

  it("parses and formats Timestamps", () => {
    expect(parseTimestamp("2024-02-29T12:00:00Z")).toBe("2024-02-29T12:00:00Z");
    expect(parseTimestamp("2024-02-29T12:00:00.5Z")).toBe("2024-02-29T12:00:00.500Z");
    expect(parseTimestamp("2024-01-01T00:30:00-01:00")).toBe("2024-01-01T01:30:00Z");
    expect(parseTimestamp("2023-02-29T12:00:00Z")).toBeUndefined();
    expect(parseTimestamp("2024-01-01 00:00:00Z")).toBeUndefined();
    expect(parseTimestamp("2024-01-01T00:00:00")).toBeUndefined();
    expect(formatTimestamp(Date.UTC(2024, 0, 1))).toBe("2024-01-01T00:00:00Z");
    expect(formatTimestamp(Date.UTC(2024, 0, 1) + 120)).toBe("2024-01-01T00:00:00.120Z");
  });

  it("reads int64 from strings or exact numbers", () => {
    expect(parseInt64("9223372036854775807")).toBe("9223372036854775807");
    expect(parseInt64(42)).toBe("42");
    expect(parseInt64("9223372036854775808")).toBeUndefined();
    expect(parseInt64(1.5)).toBeUndefined();
  });
});

describe("router path templates", () => {
  const router = new Router<string>()
    .add("GET", "/v1/accounts/{a}/deployments/{d}", "get")
    .add("POST", "/v1/accounts/{a}/deployments/{d}:undelete", "undelete")
    .add("PATCH", "/v1/accounts/{a}/deployments/{d}:scale", "scale");

  it("splits AIP-136 custom verbs off the last segment", () => {
    const m = router.match("POST", "/v1/accounts/x/deployments/dep-1:undelete");
    expect(m.kind === "found" && m.route.handler).toBe("undelete");
    expect(m.kind === "found" && m.params).toEqual({ a: "x", d: "dep-1" });
    const plain = router.match("GET", "/v1/accounts/x/deployments/dep-1");
    expect(plain.kind === "found" && plain.params["d"]).toBe("dep-1");
  });

  it("tells an unknown verb (not found) from a wrong method", () => {
    expect(router.match("POST", "/v1/accounts/x/deployments/d:explode").kind).toBe("not-found");
    expect(router.match("GET", "/v1/accounts/x/deployments/d:scale")).toEqual({ kind: "method-not-allowed", allowed: ["PATCH"] });
  });
});
