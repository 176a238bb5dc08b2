# Shared settings for the scripts: where caches and tools live (outside the clone, reused).
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${TRACKRECORD_CACHE:-$HOME/.cache/trackrecord}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE_DIR/target}"
TOOLS_DIR="$CACHE_DIR/tools"
export PATH="$HOME/.cargo/bin:$TOOLS_DIR/node_modules/.bin:$PATH"
# cargo-leptos must find wasm-bindgen and wasm-opt on PATH, or it downloads them (and fails here).
CARGO_LEPTOS_VERSION="0.3.10"
BINARYEN_VERSION="132.0.0"
PLAYWRIGHT_VERSION="1.65.2"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# The target dir is shared by every checkout on this machine (a CI clone, a work tree).
# Cargo decides freshness by file times, so after another checkout built here, this
# checkout's older files could look already built: mark them changed when the checkout
# differs from the last one that built.
mkdir -p "$CARGO_TARGET_DIR"
if [ "$(cat "$CARGO_TARGET_DIR/.last-checkout" 2>/dev/null)" != "$ROOT" ]; then
  find "$ROOT/app" "$ROOT/frontend" "$ROOT/server" "$ROOT/migration" -type f \( -name '*.rs' -o -name '*.toml' -o -name '*.txt' \) -exec touch {} +
  echo "$ROOT" > "$CARGO_TARGET_DIR/.last-checkout"
fi
