/**
 * Runs a Pulumi operation on a program directory (Pulumi.yaml + index.ts) with the real engine, offline: a local
 * file:// backend, a passphrase secrets provider, no update checks, no plugin downloads.
 *
 * The program runs through the Automation API's in-process language runtime (`pulumi --client`), which needs no
 * pulumi-language-nodejs binary (the Go module proxy here does not serve it). The program file is TypeScript,
 * loaded with TypeScript's own transpiler, just as Pulumi's ts-node would run it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import Module from "node:module";
import path from "node:path";
import type { ConfigMap, EngineEvent, OpMap, Stack } from "@pulumi/pulumi/automation";
import type * as Automation from "@pulumi/pulumi/automation";

export type StackOp = "preview" | "up" | "refresh" | "destroy" | "outputs" | "export" | "cancel";

export interface StackRunOptions {
  programDir: string;
  stackName: string;
  /** Directory of the file:// backend (created if missing). */
  stateDir: string;
  op: StackOp;
  /** Show the per-property diff (preview and up). */
  diff?: boolean;
  /** Resource names to replace even if unchanged (`--replace`), for preview and up. */
  replace?: string[];
  /** Fail when the operation would change anything (preview/up/refresh). */
  expectNoChanges?: boolean;
  config?: Record<string, { value: string; secret?: boolean }>;
  /** Extra environment for the engine and the provider process. */
  env?: Record<string, string>;
  /** Write the engine's output as it comes. */
  stream?: boolean;
}

export interface StackRunResult {
  ok: boolean;
  op: StackOp;
  stdout: string;
  error?: string;
  changeSummary?: OpMap | Record<string, number>;
  outputs?: Record<string, { value: unknown; secret: boolean }>;
  /** The stack's state (op "export"), as `pulumi stack export` prints it: secrets stay encrypted. */
  deployment?: unknown;
  /** Resource operations the engine reported (create, update, replace, delete, same, ...), by URN type and name. */
  steps: { op: string; type: string; name: string; diffs?: string[] }[];
  diagnostics: string[];
}

export const PULUMI_VERSION = "3.248.0";
const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The directory holding bin/pulumi: PULUMI_CLI_ROOT, or whatever scripts/ensure-pulumi.sh provides. */
export function pulumiCliRoot(): string {
  const fromEnv = process.env.PULUMI_CLI_ROOT;
  if (fromEnv) return fromEnv;
  const out = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-pulumi.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return out.trim().split("\n").pop() ?? "";
}

export function offlineEnv(stateDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "pulumi-fireworks-local",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...extra,
  };
}

let tsHookInstalled = false;

/** Lets require() load the program's .ts files (transpile only, like PULUMI_NODEJS_TRANSPILE_ONLY). */
function installTypeScriptHook(): void {
  if (tsHookInstalled) return;
  tsHookInstalled = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const extensions = (Module as unknown as { _extensions: Record<string, (m: { _compile(code: string, file: string): void }, file: string) => void> })._extensions;
  extensions[".ts"] = (mod, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    });
    mod._compile(outputText, filename);
  };
}

function loadProgram(programDir: string): () => Promise<Record<string, unknown>> {
  return async () => {
    installTypeScriptHook();
    const entry = require.resolve(path.join(programDir, "index"));
    delete require.cache[entry];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(entry) as Record<string, unknown>;
    const exported = typeof mod.default === "function" ? await (mod.default as () => Promise<Record<string, unknown>>)() : mod;
    return Object.fromEntries(Object.entries(exported ?? {}).filter(([k]) => k !== "__esModule" && k !== "default"));
  };
}

function projectName(programDir: string): string {
  const yaml = fs.readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8");
  const match = /^name:\s*(\S+)/m.exec(yaml);
  if (!match?.[1]) throw new Error(`${programDir}/Pulumi.yaml has no name`);
  return match[1];
}

/**
 * The Automation API of the @pulumi/pulumi the program itself resolves, as the Node.js language host would use the
 * project's own copy: a program in a user's project (e.g. one that installed the packed package) must not run
 * against this repository's copy, or two copies of the Pulumi runtime would share one process.
 */
function automationFor(programDir: string): typeof Automation {
  const entry = require.resolve("@pulumi/pulumi/automation", { paths: [programDir] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(entry) as typeof Automation;
}

export async function openStack(options: StackRunOptions, project = projectName(options.programDir)): Promise<Stack> {
  fs.mkdirSync(options.stateDir, { recursive: true });
  const { LocalWorkspace, PulumiCommand } = automationFor(options.programDir);
  const root = pulumiCliRoot();
  const pulumiCommand = await PulumiCommand.get({ root });
  const pulumiHome = path.join(options.stateDir, ".pulumi-home");
  fs.mkdirSync(pulumiHome, { recursive: true });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: options.stackName, projectName: project, program: loadProgram(options.programDir) },
    { workDir: options.programDir, pulumiCommand, pulumiHome, envVars: offlineEnv(options.stateDir, options.env) },
  );
  if (options.config) await stack.setAllConfig(options.config as ConfigMap);
  return stack;
}

export async function runStack(options: StackRunOptions): Promise<StackRunResult> {
  const result: StackRunResult = { ok: false, op: options.op, stdout: "", steps: [], diagnostics: [] };
  const onOutput = (text: string): void => {
    result.stdout += text;
    if (options.stream) process.stdout.write(text);
  };
  const onEvent = (event: EngineEvent): void => {
    const pre = event.resourcePreEvent?.metadata;
    if (pre && pre.type !== "pulumi:pulumi:Stack" && !pre.type.startsWith("pulumi:providers:")) {
      result.steps.push({ op: pre.op, type: pre.type, name: pre.urn.split("::").pop() ?? pre.urn, ...(pre.diffs ? { diffs: pre.diffs } : {}) });
    }
    const diag = event.diagnosticEvent;
    if (diag && (diag.severity === "error" || diag.severity === "warning")) result.diagnostics.push(diag.message);
  };
  try {
    const project = projectName(options.programDir);
    const stack = await openStack(options, project);
    const common = { onOutput, onEvent, color: "never" as const };
    const replace = options.replace?.map((name) => `urn:pulumi:${options.stackName}::${project}::fireworks:index:Deployment::${name}`);
    switch (options.op) {
      case "preview": {
        const r = await stack.preview({ ...common, diff: options.diff, expectNoChanges: options.expectNoChanges, replace });
        result.changeSummary = r.changeSummary;
        break;
      }
      case "up": {
        const r = await stack.up({ ...common, diff: options.diff, expectNoChanges: options.expectNoChanges, replace });
        result.changeSummary = r.summary.resourceChanges ?? {};
        result.outputs = r.outputs;
        break;
      }
      case "refresh": {
        const r = await stack.refresh({ ...common, expectNoChanges: options.expectNoChanges });
        result.changeSummary = r.summary.resourceChanges ?? {};
        break;
      }
      case "destroy": {
        const r = await stack.destroy({ ...common });
        result.changeSummary = r.summary.resourceChanges ?? {};
        break;
      }
      case "outputs":
        result.outputs = await stack.outputs();
        break;
      case "cancel":
        // Clears the lock a killed run leaves behind (`pulumi cancel`).
        await stack.cancel();
        break;
      case "export": {
        // `pulumi stack export` as a user runs it. The Automation API's exportStack adds --show-secrets, which
        // would decrypt every secret and hide exactly what a leak test looks for.
        const text = execFileSync(path.join(pulumiCliRoot(), "bin", "pulumi"), ["stack", "export", "--stack", options.stackName], {
          cwd: options.programDir,
          encoding: "utf8",
          env: { ...process.env, ...offlineEnv(options.stateDir, options.env), PULUMI_HOME: path.join(options.stateDir, ".pulumi-home") },
        });
        result.deployment = (JSON.parse(text) as { deployment?: unknown }).deployment;
        break;
      }
    }
    result.ok = true;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
}
