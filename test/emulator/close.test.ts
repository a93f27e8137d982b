import { Agent, request } from "node:http";
import { describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../emulator";
import { BASE_MODEL, pause } from "./helpers";

type Counts = Record<string, number>;

function resources(): Counts {
  const counts: Counts = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

function send(emu: Emulator, agent: Agent, method: string, path: string, body?: unknown, auth = true): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      emu.url + path,
      { method, agent, headers: { "content-type": "application/json", ...(auth && { authorization: `Bearer ${emu.apiKey}` }) } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Polls until no kind of handle outnumbers the baseline, within a deadline. */
async function settlesTo(baseline: Counts, kinds: string[], timeoutMs = 3000): Promise<Counts> {
  const deadline = Date.now() + timeoutMs;
  let now = resources();
  while (Date.now() < deadline) {
    now = resources();
    if (kinds.every((k) => (now[k] ?? 0) <= (baseline[k] ?? 0))) return now;
    await pause(10);
  }
  return now;
}

describe("close()", () => {
  it("cancels pending transitions and delays, closes keep-alive and in-flight sockets, and stops listening", async () => {
    const baseline = resources();
    const emu = await startEmulator({ timings: { deploymentCreateMs: 60_000, deploymentUpdateMs: 60_000, deploymentDeleteMs: 60_000 } });
    const agent = new Agent({ keepAlive: true });

    expect(await send(emu, agent, "POST", `/v1/accounts/${emu.accountId}/deployments?deploymentId=pending`, { baseModel: BASE_MODEL })).toBe(200);
    expect(await send(emu, agent, "POST", "/_emulator/faults", { action: { type: "delay", ms: 60_000 } }, false)).toBe(200);
    const inFlight = send(emu, agent, "GET", `/v1/accounts/${emu.accountId}/deployments`);
    inFlight.catch(() => undefined);
    await pause(20);
    const during = resources();
    expect(during["Timeout"] ?? 0).toBeGreaterThan(baseline["Timeout"] ?? 0);
    expect(during["TCPServerWrap"] ?? 0).toBeGreaterThan(baseline["TCPServerWrap"] ?? 0);

    await emu.close();
    await expect(inFlight).rejects.toThrow();
    const after = await settlesTo(baseline, ["Timeout", "TCPServerWrap", "TCPSocketWrap"]);
    expect(after["Timeout"] ?? 0).toBeLessThanOrEqual(baseline["Timeout"] ?? 0);
    expect(after["TCPServerWrap"] ?? 0).toBeLessThanOrEqual(baseline["TCPServerWrap"] ?? 0);
    expect(after["TCPSocketWrap"] ?? 0).toBeLessThanOrEqual(baseline["TCPSocketWrap"] ?? 0);
    agent.destroy();

    await expect(fetch(`${emu.url}/verifyApiKey`)).rejects.toThrow();
    await expect(emu.close()).resolves.toBeUndefined();
  });

  it("validates its options", async () => {
    await expect(startEmulator({ accountId: "Bad_Account" })).rejects.toThrow(/invalid accountId/);
    await expect(startEmulator({ apiKey: "" })).rejects.toThrow(/apiKey/);
    await expect(startEmulator({ port: 70000 })).rejects.toThrow(/invalid port/);
    await expect(startEmulator({ timings: { deploymentCreateMs: -5 } })).rejects.toThrow(/non-negative/);
  });

  it("reports a busy port", async () => {
    const first = await startEmulator();
    try {
      const port = Number(new URL(first.url).port);
      await expect(startEmulator({ port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
