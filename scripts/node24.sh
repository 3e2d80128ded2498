#!/usr/bin/env bash
# Node 24 from npm's `node` package, for the tests that run the built CLI and server on it
# and for code-server (test-support/src/setup-code-server.sh). Installed once into the
# test cache outside the repository, because CI runs in a fresh clone while the machine's
# home directory usually survives; needs only the npm registry. Prints the node binary's
# path as its last line. Idempotent; tests that start together wait for one install (flock)
# and a killed install never looks finished (it is renamed into place when complete).
set -euo pipefail

NODE_MAJOR=24
CACHE=${CLAUDEMESH_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/claudemesh-test}
NODE_PREFIX="$CACHE/node$NODE_MAJOR"
NODE_BIN="$NODE_PREFIX/node_modules/.bin/node"
mkdir -p "$CACHE"

ready() { [ -x "$NODE_BIN" ] && "$NODE_BIN" -v 2>/dev/null | grep -q "^v$NODE_MAJOR\."; }

if ! ready; then
  exec 9>"$CACHE/node$NODE_MAJOR.lock"
  if command -v flock >/dev/null; then flock 9; fi
  if ! ready; then
    staging=$(mktemp -d "$CACHE/node$NODE_MAJOR.installing.XXXXXX")
    chmod 755 "$staging"
    trap 'rm -rf "$staging"' EXIT
    echo "installing Node $NODE_MAJOR from npm into $NODE_PREFIX (once; later runs reuse it)…" >&2
    npm i --loglevel=error --no-audit --no-fund --prefix "$staging" "node@$NODE_MAJOR" >&2
    rm -rf "$NODE_PREFIX"
    mv "$staging" "$NODE_PREFIX"
    ready || { echo "npm's node@$NODE_MAJOR gave no working Node $NODE_MAJOR in $NODE_PREFIX" >&2; exit 1; }
  fi
fi
echo "$NODE_BIN"
