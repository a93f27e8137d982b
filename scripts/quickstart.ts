/**
 * The main job (see scripts/quickstart.sh): the quickstart stack, previewed and deployed with the real Pulumi
 * engine against the emulator, which takes a few seconds per state change so the waiting is visible. Everything
 * happens in a scratch copy under .stacks/ and a temporary state directory, and is destroyed at the end unless
 * --keep is given.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator } from "../emulator";
import { runStack, type StackRunOptions } from "./stack";

const ROOT = path.resolve(__dirname, "..", "..");

function banner(text: string): void {
  process.stdout.write(`\n=== ${text} ${"=".repeat(Math.max(0, 100 - text.length))}\n`);
}

async function main(): Promise<void> {
  const keep = process.argv.includes("--keep");
  const emulator = await startEmulator({ timings: { deploymentCreateMs: 6000, deploymentUpdateMs: 3000, deploymentDeleteMs: 2000 } });
  const programDir = path.join(ROOT, ".stacks", `quickstart-${process.pid}`);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "fireworks-quickstart-state-"));
  fs.rmSync(programDir, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, "examples", "stacks", "quickstart"), programDir, { recursive: true });
  const base: StackRunOptions = {
    programDir,
    stackName: "quickstart",
    stateDir,
    op: "preview",
    stream: true,
    config: {
      "fireworks:baseUrl": { value: emulator.url },
      "fireworks:accountId": { value: emulator.accountId },
      "fireworks:apiKey": { value: emulator.apiKey, secret: true },
    },
    env: { FIREWORKS_POLL_INTERVAL_MS: "1000" },
  };
  let failed = false;
  try {
    console.log(`Fireworks emulator at ${emulator.url} (account "${emulator.accountId}"); state in ${stateDir}`);
    for (const [title, op, extra] of [
      ["pulumi preview --diff", "preview", { diff: true }],
      ["pulumi up", "up", {}],
      ["pulumi preview (expect no changes)", "preview", { expectNoChanges: true }],
    ] as const) {
      banner(title);
      const result = await runStack({ ...base, op, ...extra });
      if (!result.ok) throw new Error(`${title} failed: ${result.error ?? "unknown error"}`);
      if (result.outputs) {
        banner("stack outputs");
        for (const [key, output] of Object.entries(result.outputs)) console.log(`${key}: ${output.secret ? "[secret]" : JSON.stringify(output.value)}`);
      }
    }
  } catch (err) {
    failed = true;
    console.error(err instanceof Error ? err.message : err);
  } finally {
    if (!keep) {
      banner("pulumi destroy (clean up)");
      const result = await runStack({ ...base, op: "destroy" });
      if (!result.ok) {
        failed = true;
        console.error(result.error);
      }
      fs.rmSync(programDir, { recursive: true, force: true });
    } else {
      console.log(`\nKept: program ${programDir}, state ${stateDir} (the emulator stops now, so the deployments go with it).`);
    }
    await emulator.close();
  }
  process.exit(failed ? 1 : 0);
}

void main();
