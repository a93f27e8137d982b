#!/usr/bin/env bash
# The main job: start the built-in Fireworks emulator and run a real `pulumi up` of examples/stacks/quickstart
# against it, printing the preview and the outputs. No Fireworks account needed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
exec node dist/scripts/quickstart.js "$@"
