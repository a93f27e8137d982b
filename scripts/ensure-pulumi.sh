#!/usr/bin/env bash
# Makes a Pulumi CLI + Node.js language host matching the pinned @pulumi/pulumi available offline, and prints
# the root directory that holds bin/pulumi (the value the Automation API's PulumiCommand.get({root}) wants).
#
# Order: reuse the cache when its `pulumi version` matches; else reuse a matching `pulumi` on PATH (with its
# language host beside it); else build both from Pulumi's Go modules through the Go module proxy (no binary
# downloads, which these machines cannot make). The cache lives outside the repository and is never committed.
# Progress goes to stderr; stdout carries only the root path, so callers can do ROOT=$(scripts/ensure-pulumi.sh).
set -euo pipefail

V="${PULUMI_VERSION:-3.248.0}"
# Commit of git tag pkg/v3.248.0: the language-host module has no tags of its own (pulumi-engine.md §1.4).
LH_COMMIT="${PULUMI_LANGUAGE_HOST_COMMIT:-dc7edd58bc13179f81b80983aab4eb7f74a01b41}"
CACHE_ROOT="${PULUMI_FIREWORKS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-fireworks}"
OUT="$CACHE_ROOT/pulumi-cli/v$V"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[ensure-pulumi] %s\n' "$*" >&2; }
die() { printf '[ensure-pulumi] error: %s\n' "$*" >&2; exit 1; }

version_of() { PULUMI_SKIP_UPDATE_CHECK=1 "$1" version 2>/dev/null | tr -d '[:space:]' || true; }

# The dynamic-provider plugin is a small sh script shipped inside the npm package; it must sit beside `pulumi`.
install_dynamic_plugin() {
  local src="$REPO/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [ -f "$src" ] || die "missing $src: run 'npm ci' in $REPO first"
  install -m 0755 "$src" "$OUT/bin/pulumi-resource-pulumi-nodejs"
}

finish() {
  install_dynamic_plugin
  [ "$(version_of "$OUT/bin/pulumi")" = "v$V" ] || die "$OUT/bin/pulumi does not report v$V"
  echo "$OUT"
  exit 0
}

mkdir -p "$OUT/bin"

if [ -x "$OUT/bin/pulumi" ] && [ "$(version_of "$OUT/bin/pulumi")" = "v$V" ]; then
  log "using cached Pulumi CLI v$V in $OUT/bin"
  finish
fi

if command -v pulumi >/dev/null 2>&1; then
  onpath="$(command -v pulumi)"
  if [ "$(version_of "$onpath")" = "v$V" ]; then
    log "reusing Pulumi CLI v$V from PATH ($onpath)"
    ln -sf "$onpath" "$OUT/bin/pulumi"
    lh="$(dirname "$onpath")/pulumi-language-nodejs"
    [ -x "$lh" ] && ln -sf "$lh" "$OUT/bin/pulumi-language-nodejs"
    finish
  fi
fi

command -v go >/dev/null 2>&1 || die "no Pulumi CLI v$V in $OUT or on PATH, and no 'go' to build one (install Go >= 1.25.11)"
log "building Pulumi CLI v$V from Go modules into $OUT (cold: tens of minutes on 2 cores; cached afterwards)"
log "go: $(go version); GOPROXY=$(go env GOPROXY)"

export GOTOOLCHAIN=local      # fail fast instead of fetching another toolchain
export GOFLAGS="-mod=mod -buildvcs=false"
export CGO_ENABLED=0          # as Pulumi's release builds
SRC="$OUT/src"
mkdir -p "$SRC"
cd "$SRC"
cat > go.mod <<GOMOD
module local.invalid/pulumi-cli-build

go 1.25.11

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
rm -f go.sum

t0=$(date +%s)
log "step 1/4: resolving modules (pkg/v3 v$V, sdk/v3 v$V, language host @ ${LH_COMMIT:0:12})"
go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$V" "github.com/pulumi/pulumi/sdk/v3@v$V" >&2 \
  || die "go get of pulumi v$V failed: check that the Go module proxy is reachable (go env GOPROXY)"
# The language host is only needed to run a project directory with `runtime: nodejs` directly; every stack this
# project runs goes through the Automation API's in-process language runtime (--client), which does not need it.
# Some module proxies refuse this untagged module (403 "not available"), so it is optional.
WITH_LH=1
if ! go get "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$LH_COMMIT" >&2; then
  WITH_LH=0
  log "note: the module proxy does not serve pulumi-language-nodejs@${LH_COMMIT:0:12}; building the CLI without it"
fi
got="$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3 github.com/pulumi/pulumi/sdk/v3 | tr '\n' ' ')"
[ "$got" = "v$V v$V " ] || die "module versions drifted: pkg/sdk resolved to '$got', want v$V"
log "step 1/4 done in $(( $(date +%s) - t0 ))s"

LDF="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$V"
t1=$(date +%s)
log "step 2/4: compiling pulumi (the long part)"
go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LDF" -o "$OUT/bin/pulumi.tmp" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2 || die "go build of pulumi failed"
log "step 2/4 done in $(( $(date +%s) - t1 ))s"
if [ "$WITH_LH" = 1 ]; then
  t2=$(date +%s)
  log "step 3/4: compiling pulumi-language-nodejs"
  go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LDF" -o "$OUT/bin/pulumi-language-nodejs.tmp" \
    github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 >&2 || die "go build of pulumi-language-nodejs failed"
  mv -f "$OUT/bin/pulumi-language-nodejs.tmp" "$OUT/bin/pulumi-language-nodejs"
  log "step 3/4 done in $(( $(date +%s) - t2 ))s"
else
  log "step 3/4: skipped (no language host source)"
fi
# Rename last, so an interrupted build never leaves a half-written binary that the cache check would accept.
mv -f "$OUT/bin/pulumi.tmp" "$OUT/bin/pulumi"
log "step 4/4: cold build took $(( $(date +%s) - t0 ))s in total"
finish
