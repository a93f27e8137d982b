import Module from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { shimSource } from "../../sdk/shim";

const HOOKS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

interface CompilableModule {
  exports: unknown;
  filename: string;
  paths: string[];
  _compile(code: string, filename: string): void;
}

/** Evaluates source as a CommonJS module, as the dynamic-provider host does (require-from-string). */
function loadModule(source: string): { handler?: unknown } {
  // Outside this package, so `require("pulumi-fireworks/runtime")` cannot resolve to the repository itself.
  const filename = join(tmpdir(), "pulumi-fireworks-shim-test", "__provider.js");
  const mod = new Module(filename) as unknown as CompilableModule;
  mod.filename = filename;
  mod.paths = [];
  mod._compile(source, filename);
  return mod.exports as { handler?: unknown };
}

describe("shimSource", () => {
  const source = shimSource("Deployment");

  it("is syntactically valid JavaScript", () => {
    expect(() => new Script(source, { filename: "__provider.js" })).not.toThrow();
  });

  it("exports handler() returning configure/check/diff/create/read/update/delete functions", () => {
    const exported = loadModule(source);
    expect(typeof exported.handler).toBe("function");
    const provider = (exported.handler as () => Record<string, unknown>)();
    expect(Object.keys(provider).sort()).toEqual([...HOOKS].sort());
    for (const hook of HOOKS) expect(typeof provider[hook], hook).toBe("function");
  });

  it("does not load the runtime when the handler is created, only when a hook is called", () => {
    const provider = (loadModule(source).handler as () => Record<string, (...args: unknown[]) => unknown>)();
    expect(() => provider.check?.({}, {})).toThrow(
      `pulumi-fireworks is not installed where this Pulumi program runs (${process.cwd()}): run npm install pulumi-fireworks`,
    );
  });

  it("forwards to the runtime by package name and to the given kind", () => {
    const required = [...source.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual(["pulumi-fireworks/runtime"]);
    expect(source).toContain('var kind = "Deployment";');
  });

  it("contains no absolute path", () => {
    expect(source).not.toContain(process.cwd());
    expect(source).not.toContain(__dirname);
    expect(source).not.toMatch(/["'`]\/[A-Za-z]/);
    expect(source).not.toMatch(/[A-Za-z]:\\/);
    expect(source).not.toMatch(/\/(?:work|home|tmp|Users|usr|var)\//);
  });

  it("is smaller than 2 KB", () => {
    expect(Buffer.byteLength(source, "utf8")).toBeLessThan(2048);
  });

  it("is identical on every call and differs between kinds only in the kind", () => {
    expect(shimSource("Deployment")).toBe(source);
    expect(shimSource("Model").replace('"Model"', '"Deployment"')).toBe(source);
  });

  it.each(['Deploy"ment', "", "Deployment; process.exit(1)", "deployment-2", "../Deployment"])("throws for the invalid kind %j", (kind) => {
    expect(() => shimSource(kind)).toThrow(`invalid resource kind ${JSON.stringify(kind)}`);
  });
});
