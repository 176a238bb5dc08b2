#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there.
# Usage: scripts/tools.sh [build|test]
source "$(dirname "$0")/env.sh"
what="${1:-build}"

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 18 minutes on 2 cores, once per machine)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly.
wbg_version="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
if ! wasm-bindgen --version 2>/dev/null | grep -q "$wbg_version"; then
  say "installing wasm-bindgen-cli $wbg_version"
  cargo install wasm-bindgen-cli --version "$wbg_version"
fi

if ! [ -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ]; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

if [ "$what" = test ]; then
  apt_install chromium postgresql-15
  if ! [ -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
    say "installing end2end npm packages"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --silent)
  fi
fi
