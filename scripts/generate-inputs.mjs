// Regenerates sdk/inputs.ts from the provider's specs (after `npm run build`): every input of every kind, which the
// SDK's resource classes register so that each argument is also an output. test/unit/kinds.test.ts fails on drift.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { SPECS } = createRequire(import.meta.url)(path.join(root, "dist/provider/src/resources/index.js"));
const header = fs.readFileSync(path.join(root, "sdk/inputs.ts"), "utf8").split("export const INPUTS")[0];
let out = `${header}export const INPUTS: Readonly<Record<string, readonly string[]>> = {\n`;
for (const [kind, spec] of Object.entries(SPECS)) out += `  ${kind}: ${JSON.stringify(Object.keys(spec.fields)).replace(/","/g, '", "')},\n`;
fs.writeFileSync(path.join(root, "sdk/inputs.ts"), `${out}};\n`);
