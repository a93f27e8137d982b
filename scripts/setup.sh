#!/usr/bin/env bash
# Installs and builds everything the main job and the tests need, from a clean machine: npm packages, the
# TypeScript build, the package self-link, and a Pulumi CLI of the pinned version (built from Go modules on first
# use, then cached outside the repo). Source it to get PULUMI_CLI_ROOT exported; run it to just prepare.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[setup] %s\n' "$*" >&2; }

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund >&2
fi
say "building (tsc -p tsconfig.build.json)"
npx --no-install tsc -p tsconfig.build.json
node scripts/link-self.mjs
PULUMI_CLI_ROOT="$(bash scripts/ensure-pulumi.sh)"
export PULUMI_CLI_ROOT
say "Pulumi CLI: $PULUMI_CLI_ROOT/bin/pulumi ($("$PULUMI_CLI_ROOT/bin/pulumi" version))"
