/**
 * Child-process entry for tests: `node dist/scripts/run-stack.js <options.json> <result.json>`, where the options
 * file holds one StackRunOptions or an array of them, run in order in this one process (as an Automation API user
 * would) until one fails; the result file gets the array of results. Running each stack
 * operation in its own Node process keeps the Pulumi runtime's global state and module loading out of the test
 * runner (DESIGN.md §1.9) and lets a test kill a run half-way.
 */
import fs from "node:fs";
import { runStack, type StackRunOptions, type StackRunResult } from "./stack";

async function main(): Promise<void> {
  const [optionsPath, resultPath] = process.argv.slice(2);
  if (!optionsPath || !resultPath) {
    console.error("usage: run-stack <options.json> <result.json>");
    process.exit(2);
  }
  const parsed = JSON.parse(fs.readFileSync(optionsPath, "utf8")) as StackRunOptions | StackRunOptions[];
  const results: StackRunResult[] = [];
  for (const options of Array.isArray(parsed) ? parsed : [parsed]) {
    const result = await runStack(options);
    results.push(result);
    fs.writeFileSync(resultPath, JSON.stringify(results, null, 2));
    if (!result.ok) break;
  }
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}

void main();
