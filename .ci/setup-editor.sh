#!/usr/bin/env bash
# Installs what the real-editor tests (test/integration/) need, offline-friendly and idempotent:
#   - Debian packages: chromium (driven by playwright-core), ripgrep (VS Code's search) and the
#     headers code-server's native modules rebuild against;
#   - code-server 4.100.3 (VS Code 1.100.3, the newest release that accepts Node 20) in a cache
#     outside the repository, finished by hand because its install script downloads ripgrep;
#   - playwright-core and @vscode/vsce@^3 (vsce 4 needs Node 22) in that same cache, so the
#     project's package.json does not carry editor-test tooling.
# Re-running is cheap: every step is skipped when its result is already there and answers.
#
# Usage: bash .ci/setup-editor.sh        (MASKLAB_EDITOR_CACHE overrides the cache folder)
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_CORE_VERSION=1.65.1
VSCE_RANGE='^3'
CACHE="${MASKLAB_EDITOR_CACHE:-$HOME/.cache/masklab/code-server}"
DEBIAN_PACKAGES=(chromium ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev)

say() { printf '[setup-editor] %s\n' "$*"; }
fail() { printf '[setup-editor] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'fail "step failed at line $LINENO (see the output above); fix it and re-run bash .ci/setup-editor.sh"' ERR

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node 20 or later is required (found $(node --version))"

# --- 1. Debian packages --------------------------------------------------------------------
missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "Debian packages present: ${DEBIAN_PACKAGES[*]}"
else
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || fail "need root or sudo to apt-get install: ${missing[*]}"
    SUDO=(sudo)
  fi
  say "installing Debian packages: ${missing[*]}"
  "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}"
fi
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing after installing the chromium package"
command -v rg >/dev/null || fail "ripgrep (rg) is missing after installing the ripgrep package"

mkdir -p "$CACHE"
cd "$CACHE"
# code-server writes a config file (with a generated password) on every start, --version
# included; keep it in the cache instead of ~/.config/code-server.
export CODE_SERVER_CONFIG="$CACHE/config.yaml"
[ -f package.json ] || printf '{ "name": "masklab-editor-cache", "private": true }\n' > package.json

# --- 2. code-server ------------------------------------------------------------------------
CODE_SERVER="$CACHE/node_modules/.bin/code-server"
code_server_answers() {
  [ -x "$CODE_SERVER" ] && "$CODE_SERVER" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "
}
if code_server_answers; then
  say "code-server present: $("$CODE_SERVER" --version | head -n1)"
else
  say "installing code-server@$CODE_SERVER_VERSION into $CACHE (about two minutes)"
  # --ignore-scripts: its post-install downloads ripgrep from the internet; we finish by hand.
  npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION"
  npm rebuild argon2
  VSCODE_DIR="$CACHE/node_modules/code-server/lib/vscode"
  (
    cd "$VSCODE_DIR"
    npm install --no-audit --no-fund --omit=dev --ignore-scripts
    # node-pty's own post-install step then fails on a missing `npx node-gyp`; its binary is
    # built by then and works, so that one failure is tolerated and checked for below.
    npm rebuild kerberos @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog node-pty \
      || say "npm rebuild reported a failure (expected from node-pty's post-install); checking binaries"
    ls node_modules/node-pty/build/Release/pty.node >/dev/null 2>&1 \
      || fail "node-pty did not build (node_modules/node-pty/build/Release/pty.node missing)"
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sf code-linux.sh code-server)
    (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
    (cd extensions && npm install --no-audit --no-fund --omit=dev --ignore-scripts)
  )
  code_server_answers || fail "code-server --version does not answer '$CODE_SERVER_VERSION …' after installing"
  say "code-server installed: $("$CODE_SERVER" --version | head -n1)"
fi

# --- 3. playwright-core and vsce -----------------------------------------------------------
# Never `npx playwright install`: playwright-core drives Debian's /usr/bin/chromium.
if [ -f node_modules/playwright-core/package.json ]; then
  say "playwright-core present: $(node -p 'require("./node_modules/playwright-core/package.json").version')"
else
  say "installing playwright-core@$PLAYWRIGHT_CORE_VERSION"
  npm install --no-audit --no-fund "playwright-core@$PLAYWRIGHT_CORE_VERSION"
fi
if [ -x node_modules/.bin/vsce ] && node_modules/.bin/vsce --version >/dev/null 2>&1; then
  say "vsce present: $(node_modules/.bin/vsce --version)"
else
  say "installing @vscode/vsce@$VSCE_RANGE"
  npm install --no-audit --no-fund "@vscode/vsce@$VSCE_RANGE"
  node_modules/.bin/vsce --version >/dev/null || fail "vsce does not run after installing"
fi

say "ready: code-server, chromium, playwright-core and vsce in $CACHE"
say "run the real-editor test with: node --import tsx --test test/integration/editor.test.ts"
