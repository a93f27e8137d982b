/**
 * The package as users get it: `npm pack`, installed into a separate project outside this repository (its own
 * node_modules, its own @pulumi/pulumi), then the quickstart program run from there with the real engine. The
 * provider process resolves `pulumi-fireworks/runtime` from that project, so anything missing from the published
 * files, or anything that works only through the repository's self-link, fails here.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../support/admin";
import { ROOT, StackHarness } from "./harness";

describe("the packed package in a user's project (real engine, emulator)", () => {
  let emulator: Emulator;
  let project: string;
  let stack: StackHarness;

  beforeAll(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "fireworks-user-project-"));
    const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", project], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop() ?? "";
    const pulumiVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies["@pulumi/pulumi"];
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "fireworks-user-project", private: true, dependencies: { "pulumi-fireworks": `file:./${tarball}`, "@pulumi/pulumi": pulumiVersion } }, null, 2),
    );
    // The npm cache already holds these (npm ci ran first); --prefer-offline keeps the install local when it can.
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project, stdio: "pipe" });
    emulator = await startEmulator({ timings: { deploymentCreateMs: 200, deploymentUpdateMs: 100, deploymentDeleteMs: 100 } });
    stack = new StackHarness(
      "quickstart",
      { FIREWORKS_BASE_URL: emulator.url, FIREWORKS_ACCOUNT_ID: emulator.accountId, FIREWORKS_API_KEY: emulator.apiKey },
      "packed",
      project,
    );
  });

  afterAll(async () => {
    stack?.cleanup();
    await emulator?.close();
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it("installs as a real copy, not a link into this repository", () => {
    const installed = path.join(project, "node_modules", "pulumi-fireworks");
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(fs.realpathSync(installed).startsWith(ROOT)).toBe(false);
    expect(fs.existsSync(path.join(installed, "dist", "provider", "src", "runtime.js"))).toBe(true);
  });

  it("runs up, a no-change preview and destroy from the user's project", async () => {
    const admin = new EmulatorAdmin(emulator);
    const runs = await stack.runAll([{ op: "up" }, { op: "preview", expectNoChanges: true }]);
    for (const run of runs) expect(run.ok, run.error).toBe(true);
    const name = String(runs[0]?.outputs?.deploymentName?.value);
    expect((await admin.get(`/v1/${name}`))?.state).toBe("READY");
    expect((await stack.run({ op: "destroy" })).ok).toBe(true);
    expect(await admin.get(`/v1/${name}`)).toBeUndefined();
  });
});
