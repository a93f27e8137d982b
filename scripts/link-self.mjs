// Makes `require("pulumi-fireworks")` resolve inside this repository the way it does in a user's project
// (node_modules/pulumi-fireworks -> the package), so the example stacks and the provider shim, which loads
// "pulumi-fireworks/runtime" by package name, run against this checkout. Also links the emulator's bin so
// `npx fireworks-emulator` works from the project root.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const link = path.join(root, "node_modules", "pulumi-fireworks");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  if (fs.realpathSync(link) === root) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  // Not there yet.
}
fs.symlinkSync("..", link, "dir");
const binDir = path.join(root, "node_modules", ".bin");
fs.mkdirSync(binDir, { recursive: true });
const bin = path.join(binDir, "fireworks-emulator");
fs.rmSync(bin, { force: true });
fs.symlinkSync("../pulumi-fireworks/bin/fireworks-emulator.js", bin);
