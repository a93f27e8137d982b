import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_TIMINGS, parseArgs } from "../../emulator/cli";
import { BASE_MODEL, Client, pause } from "./helpers";

// The CLI runs from compiled JavaScript, so this file compiles the emulator (alone, into a private directory laid
// out like the package: <dir>/bin + <dir>/dist/emulator) and runs the real bin script from there.

const exec = promisify(execFile);
const ROOT = resolve(__dirname, "../..");
let pkg: string;
let bin: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  pkg = mkdtempSync(join(tmpdir(), "fireworks-emulator-cli-"));
  await exec(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "emulator/tsconfig.build.json"), "--outDir", join(pkg, "dist")], { cwd: ROOT });
  mkdirSync(join(pkg, "bin"));
  bin = join(pkg, "bin", "fireworks-emulator.js");
  copyFileSync(join(ROOT, "bin/fireworks-emulator.js"), bin);
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(pkg, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  banner: string;
  exited: Promise<number | null>;
}

function launch(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return new Promise((res, rej) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => rej(new Error(`no banner within 10 s; stdout: ${out} stderr: ${err}`)), 10_000);
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.split("\n").length >= 5) {
        clearTimeout(timer);
        res({ child, banner: out, exited });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      rej(new Error(`exited with ${code}; stderr: ${err}`));
    });
  });
}

async function runToEnd(args: string[], cwdBin = bin): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cwdBin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
  return { code, stdout, stderr };
}

describe("fireworks-emulator CLI", () => {
  it("prints the env-var banner with the real port, serves the API, and exits 0 on SIGTERM", async () => {
    const running = await launch(["--port", "0", "--api-key", "k1", "--account-id", "acme", "--create-ms", "100", "--update-ms=50", "--delete-ms", "50"]);
    const m = /^Fireworks emulator listening\n {2}FIREWORKS_BASE_URL=(http:\/\/127\.0\.0\.1:(\d+))\n {2}FIREWORKS_ACCOUNT_ID=acme\n {2}FIREWORKS_API_KEY=k1\n$/.exec(running.banner);
    expect(m, running.banner).not.toBeNull();
    expect(Number(m?.[2])).toBeGreaterThan(0);
    const client = new Client({ url: m?.[1] ?? "", accountId: "acme", apiKey: "k1", close: () => Promise.resolve() });
    const created = await client.create({ baseModel: BASE_MODEL }, "?deploymentId=cli-dep");
    expect(created.status).toBe(200);
    await client.waitForState("cli-dep", "READY");
    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(0);
  });

  it("exits 0 on SIGINT", async () => {
    const running = await launch(["--port", "0"]);
    expect(running.banner).toContain("FIREWORKS_API_KEY=emulator-api-key");
    expect(running.banner).toContain("FIREWORKS_ACCOUNT_ID=emulator");
    running.child.kill("SIGINT");
    expect(await running.exited).toBe(0);
  });

  it("prints usage for --help", async () => {
    const res = await runToEnd(["--help"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Usage: fireworks-emulator");
    expect(res.stdout).toContain("--create-ms N");
  });

  it.each([
    [["--bogus"], 'unknown option "--bogus"'],
    [["--port", "abc"], "--port expects an integer"],
    [["--port", "70000"], "--port expects an integer"],
    [["--port"], "--port needs a value"],
    [["--create-ms", "-1"], "--create-ms expects an integer"],
    [["8080"], 'unknown option "8080"'],
  ])("exits 2 for %j", async (args, message) => {
    const res = await runToEnd(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
    expect(res.stderr).toContain("--help");
  });

  it("tells the user to build when dist/ is missing", async () => {
    const bare = mkdtempSync(join(tmpdir(), "fireworks-emulator-bare-"));
    try {
      mkdirSync(join(bare, "bin"));
      copyFileSync(join(ROOT, "bin/fireworks-emulator.js"), join(bare, "bin", "fireworks-emulator.js"));
      const res = await runToEnd([], join(bare, "bin", "fireworks-emulator.js"));
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("npm run build");
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it("lets a process that used the library exit on its own after close()", async () => {
    const script = `
      const { startEmulator } = require(${JSON.stringify(join(pkg, "dist/emulator/index.js"))});
      (async () => {
        const e = await startEmulator({ timings: { deploymentCreateMs: 600000 } });
        const res = await fetch(e.url + "/v1/accounts/emulator/deployments", {
          method: "POST", headers: { authorization: "Bearer " + e.apiKey }, body: JSON.stringify({ baseModel: ${JSON.stringify(BASE_MODEL)} }),
        });
        await fetch(e.url + "/_emulator/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ action: { type: "delay", ms: 600000 } }) });
        await e.close();
        console.log("closed " + res.status);
      })();
    `;
    const started = Date.now();
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    const code = await Promise.race([new Promise<number | null>((res) => child.on("exit", (c) => res(c))), pause(10_000).then(() => "still running")]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe("closed 200");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("parseArgs", () => {
  it("defaults to port 8080 and demo timings", () => {
    expect(parseArgs([])).toEqual({ help: false, options: { port: 8080, timings: CLI_TIMINGS } });
    expect(CLI_TIMINGS).toEqual({ deploymentCreateMs: 8000, deploymentUpdateMs: 4000, deploymentDeleteMs: 2000 });
  });

  it("reads every flag in both --flag value and --flag=value forms", () => {
    expect(parseArgs(["--port=9000", "--host", "0.0.0.0", "--api-key", "k", "--account-id=a", "--create-ms", "1", "--update-ms=2", "--delete-ms", "3"])).toEqual({
      help: false,
      options: { port: 9000, host: "0.0.0.0", apiKey: "k", accountId: "a", timings: { deploymentCreateMs: 1, deploymentUpdateMs: 2, deploymentDeleteMs: 3 } },
    });
  });
});
