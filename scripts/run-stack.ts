/**
 * Child-process entry for tests: `node dist/scripts/run-stack.js <options.json> <result.json>`. Running each stack
 * operation in its own Node process keeps the Pulumi runtime's global state and module loading out of the test
 * runner (DESIGN.md §1.9) and lets a test kill a run half-way.
 */
import fs from "node:fs";
import { runStack, type StackRunOptions } from "./stack";

async function main(): Promise<void> {
  const [optionsPath, resultPath] = process.argv.slice(2);
  if (!optionsPath || !resultPath) {
    console.error("usage: run-stack <options.json> <result.json>");
    process.exit(2);
  }
  const options = JSON.parse(fs.readFileSync(optionsPath, "utf8")) as StackRunOptions;
  const result = await runStack(options);
  fs.writeFileSync(resultPath, JSON.stringify(result, null, 2));
  process.exit(result.ok ? 0 : 1);
}

void main();
