/**
 * Benchmark: how long `pulumi up` waits beyond the platform's own transition, and how many API calls the wait costs.
 *
 * Baseline, measured in the same run: a client that polls every 10 ms sees the emulator's CREATING -> READY (or
 * UPDATING -> READY) transition almost exactly when it happens. The provider polls with its production pacing
 * (1 s, growing x1.5, capped at 15 s) to stay far below the account's request limits. Reported: the provider's wall
 * time as a ratio of the baseline, and its GETs per wait. Run: `npm run bench` (after `npm run build`).
 */
import { startEmulator } from "../emulator";
import { HttpClient } from "../provider/src/http";
import * as lifecycle from "../provider/src/lifecycle";
import { deploymentSpec } from "../provider/src/resources/deployment";

const LLAMA = "accounts/fireworks/models/llama-v3p1-8b-instruct";
const ROUNDS = 3;

async function main(): Promise<void> {
  const transitions = [2000, 6000];
  console.log("transition  baseline(ms)  provider(ms)  ratio  GETs/wait   (median of %d rounds, create)", ROUNDS);
  for (const transitionMs of transitions) {
    const emulator = await startEmulator({ timings: { deploymentCreateMs: transitionMs, deploymentUpdateMs: transitionMs, deploymentDeleteMs: 50 } });
    const client = new HttpClient({ baseUrl: emulator.url, apiKey: emulator.apiKey });
    const ctx: lifecycle.Context = { config: { baseUrl: emulator.url, accountId: emulator.accountId, apiKey: emulator.apiKey }, client };
    const auth = { authorization: `Bearer ${emulator.apiKey}`, "content-type": "application/json" };
    const baselines: number[] = [];
    const provider: number[] = [];
    const gets: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Baseline: create directly, poll every 10 ms.
      const id = `baseline-${transitionMs}-${round}`;
      const start = performance.now();
      await fetch(`${emulator.url}/v1/accounts/${emulator.accountId}/deployments?deploymentId=${id}`, { method: "POST", headers: auth, body: JSON.stringify({ baseModel: LLAMA }) });
      for (;;) {
        const res = await fetch(`${emulator.url}/v1/accounts/${emulator.accountId}/deployments/${id}`, { headers: auth });
        if (((await res.json()) as { state?: string }).state === "READY") break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      baselines.push(performance.now() - start);

      // The provider's create, with production pacing.
      await fetch(`${emulator.url}/_emulator/requests`, { method: "DELETE" });
      const checked = lifecycle.check(deploymentSpec, {}, { baseModel: LLAMA, __owner: `bench/bench/d${transitionMs}-${round}` });
      const t0 = performance.now();
      await lifecycle.create(deploymentSpec, ctx, checked.inputs);
      provider.push(performance.now() - t0);
      const log = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as { method: string }[];
      gets.push(log.filter((r) => r.method === "GET").length);
    }
    const base = median(baselines);
    const prov = median(provider);
    console.log(
      `${String(transitionMs).padStart(8)}ms  ${base.toFixed(0).padStart(12)}  ${prov.toFixed(0).padStart(12)}  ${(prov / base).toFixed(2).padStart(5)}  ${String(median(gets)).padStart(9)}`,
    );
    await client.close();
    await emulator.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

void main();
