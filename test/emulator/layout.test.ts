import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The emulator is an independent reading of the API reference: it shares no code with the provider or the SDK. Its
// core knows no collection by name; collections are listed once, in collections/index.ts, and reach each other only
// through the registry.

const ROOT = resolve(__dirname, "../../emulator");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function imports(path: string): string[] {
  return [...readFileSync(path, "utf8").matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1] ?? "");
}

/** "deployment-schema" and "deployments" are both kind "deployment". */
function kindOf(file: string): string {
  return basename(file, ".ts").replace(/-(schema|rules)$/, "").replace(/s$/, "");
}

describe("emulator layout", () => {
  it("imports nothing from provider/ or sdk/", () => {
    const offenders = files(ROOT).flatMap((f) => imports(f).filter((i) => /(^|\/)(provider|sdk)(\/|$)|pulumi-fireworks/.test(i)).map((i) => `${relative(ROOT, f)} -> ${i}`));
    expect(offenders).toEqual([]);
  });

  it("keeps the core free of collections", () => {
    const offenders = files(join(ROOT, "core")).flatMap((f) => imports(f).filter((i) => i.includes("collections")).map((i) => `${relative(ROOT, f)} -> ${i}`));
    expect(offenders).toEqual([]);
  });

  it("lets a collection import only its own schema and rules from collections/", () => {
    const offenders = files(join(ROOT, "collections"))
      .filter((f) => basename(f) !== "index.ts")
      .flatMap((f) => imports(f).filter((i) => i.startsWith("./") && kindOf(i) !== kindOf(f)).map((i) => `${relative(ROOT, f)} -> ${i}`));
    expect(offenders).toEqual([]);
  });
});
