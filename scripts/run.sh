#!/usr/bin/env bash
# Builds the release site and runs Trackrecord with demo data on http://127.0.0.1:3000.
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$ROOT/scripts/tools.sh" build
say "building the release site"
cargo leptos build --release --precompress
export TRACKRECORD_DEMO="${TRACKRECORD_DEMO:-true}"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
export LEPTOS_OUTPUT_NAME=trackrecord
say "starting Trackrecord (Ctrl-C stops it)"
exec "$CARGO_TARGET_DIR/release/server" "$@"
