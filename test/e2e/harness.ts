/**
 * End-to-end harness: a scratch copy of an example stack under .stacks/ (inside the repo, so the program resolves
 * pulumi-fireworks and @pulumi/pulumi from the repo's node_modules, as in a user's project), a temporary file://
 * state directory, and every engine operation run by dist/scripts/run-stack.js in its own Node process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { StackRunOptions, StackRunResult } from "../../scripts/stack";

export const ROOT = path.resolve(__dirname, "..", "..");
const RUNNER = path.join(ROOT, "dist", "scripts", "run-stack.js");

export type RunSpec = Omit<StackRunOptions, "programDir" | "stackName" | "stateDir">;

export class StackHarness {
  readonly programDir: string;
  readonly stateDir: string;
  private readonly scratch: string;

  /**
   * `projectDir`: where the scratch copy goes; by default `.stacks/` in this repository, where the program resolves
   * pulumi-fireworks through the repository's self-link. A separate project (with its own node_modules) tests the
   * package as users install it.
   */
  constructor(example: string, private readonly env: Record<string, string>, readonly stackName = "e2e", projectDir = path.join(ROOT, ".stacks")) {
    if (!fs.existsSync(RUNNER)) throw new Error(`${RUNNER} is missing: run the tests through \`npm test\`, which builds first`);
    const id = crypto.randomBytes(4).toString("hex");
    this.programDir = path.join(projectDir, `e2e-${example}-${id}`);
    this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fireworks-e2e-"));
    this.stateDir = path.join(this.scratch, "state");
    fs.cpSync(path.join(ROOT, "examples", "stacks", example), this.programDir, { recursive: true });
  }

  /** Replaces the program (index.ts) of the scratch copy. */
  writeProgram(source: string): void {
    fs.writeFileSync(path.join(this.programDir, "index.ts"), source);
  }

  editProgram(edit: (source: string) => string): void {
    const file = path.join(this.programDir, "index.ts");
    fs.writeFileSync(file, edit(fs.readFileSync(file, "utf8")));
  }

  /** Runs one operation (or several, in one process) and returns the last result. */
  async run(spec: RunSpec | RunSpec[]): Promise<StackRunResult> {
    const results = await this.runAll(spec);
    const last = results[results.length - 1];
    if (!last) throw new Error("the stack runner produced no result");
    return last;
  }

  async runAll(spec: RunSpec | RunSpec[]): Promise<StackRunResult[]> {
    const { child, done } = this.start(spec);
    void child;
    return done;
  }

  /**
   * Starts a run without waiting, so a test can kill it half-way. The runner leads its own process group, so
   * `kill()` takes the engine and the provider process down with it, like a lost machine.
   */
  start(spec: RunSpec | RunSpec[]): { child: ChildProcess; done: Promise<StackRunResult[]>; kill: () => void } {
    const specs = Array.isArray(spec) ? spec : [spec];
    const optionsFile = path.join(this.scratch, `options-${crypto.randomBytes(4).toString("hex")}.json`);
    const resultFile = `${optionsFile}.result.json`;
    const options: StackRunOptions[] = specs.map((s) => ({
      ...s,
      programDir: this.programDir,
      stackName: this.stackName,
      stateDir: this.stateDir,
      env: { FIREWORKS_POLL_INTERVAL_MS: "50", ...this.env, ...s.env },
    }));
    fs.writeFileSync(optionsFile, JSON.stringify(options));
    const child = spawn(process.execPath, [RUNNER, optionsFile, resultFile], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout?.resume();
    const done = new Promise<StackRunResult[]>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        if (signal) {
          resolve([{ ok: false, op: specs[0]?.op ?? "up", stdout: "", error: `killed by ${signal}`, steps: [], diagnostics: [] }]);
          return;
        }
        if (!fs.existsSync(resultFile)) {
          reject(new Error(`stack runner exited ${code} without a result: ${stderr.slice(-2000)}`));
          return;
        }
        resolve(JSON.parse(fs.readFileSync(resultFile, "utf8")) as StackRunResult[]);
      });
    });
    const kill = (): void => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    };
    return { child, done, kill };
  }

  /** The raw state file of the file:// backend (what `pulumi stack export` would show, encrypted secrets included). */
  stateFileText(): string {
    const dir = path.join(this.stateDir, ".pulumi", "stacks");
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (entry.name.endsWith(".json")) files.push(p);
      }
    };
    if (fs.existsSync(dir)) walk(dir);
    return files.map((f) => fs.readFileSync(f, "utf8")).join("\n");
  }

  cleanup(): void {
    fs.rmSync(this.programDir, { recursive: true, force: true });
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** Operations the engine reported for resources of `type`, e.g. ["create"] or ["create-replacement", "replace", ...]. */
export function opsFor(result: StackRunResult, type = "fireworks:index:Deployment"): string[] {
  return result.steps.filter((s) => s.type === type).map((s) => s.op);
}
