#!/usr/bin/env bash
# The whole test suite, from a clean clone: install, build, type-check, lint, then every vitest suite (unit,
# emulator, lifecycle against the emulator, end to end with the real Pulumi engine). Ends with "N passed, N failed".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

echo "[test] type-check (tsc --noEmit, tests and examples included)"
npx --no-install tsc --noEmit -p tsconfig.json
echo "[test] lint (eslint)"
npx --no-install eslint .

mkdir -p .stacks
report=.stacks/vitest-report.json
rm -f "$report"
status=0
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
if [ -f "$report" ]; then
  node -e 'const r=require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$ROOT/$report"
fi
exit "$status"
