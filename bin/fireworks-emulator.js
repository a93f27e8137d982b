#!/usr/bin/env node
"use strict";
// Runs the compiled emulator CLI (emulator/cli.ts -> dist/emulator/cli.js).
const path = require("path");
const fs = require("fs");

const cli = path.join(__dirname, "..", "dist", "emulator", "cli.js");
if (!fs.existsSync(cli)) {
  process.stderr.write(
    "fireworks-emulator: " + cli + " is missing.\n" +
      "Build the package first: run `npm run build` in the pulumi-fireworks checkout.\n",
  );
  process.exit(1);
}
require(cli)
  .run(process.argv.slice(2))
  .catch((err) => {
    process.stderr.write("fireworks-emulator: " + (err && err.stack ? err.stack : String(err)) + "\n");
    process.exit(1);
  });
