#!/usr/bin/env bash
# Every test: formatting, lints (server and WASM), unit tests, the server suite on SQLite
# and on PostgreSQL, then the browser suite against the release build in Chromium.
# Ends with one line: "N passed, N failed".
source "$(dirname "$0")/env.sh"
cd "$ROOT"

LOG_DIR="$CACHE_DIR/test-logs"
mkdir -p "$LOG_DIR"
passed=0
failed=0
failures=()

# Runs a step, keeps its output, and adds its test counts (or 1 pass/fail for a check).
step() {
  local name="$1"; shift
  local log="$LOG_DIR/$name.log"
  say "$name"
  local start=$SECONDS
  if "$@" 2>&1 | tee "$log"; then local ok=1; else local ok=0; fi
  local p f
  p=$(sed -n 's/.*test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1/p' "$log" | paste -sd+ - | bc 2>/dev/null || true)
  f=$(sed -n 's/.*test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\2/p' "$log" | paste -sd+ - | bc 2>/dev/null || true)
  if [ -z "$p" ]; then # Playwright's list reporter: "  12 passed (8.1s)", "  1 failed"
    p=$(sed -n 's/^ *\([0-9]*\) passed.*/\1/p' "$log" | tail -n1)
    f=$(sed -n 's/^ *\([0-9]*\) failed.*/\1/p' "$log" | tail -n1)
  fi
  if [ -z "$p" ] && [ -z "$f" ]; then # a check, not a test run
    if [ $ok = 1 ]; then p=1; f=0; else p=0; f=1; fi
  fi
  p=${p:-0}; f=${f:-0}
  if [ $ok = 0 ] && [ "$f" = 0 ]; then f=1; fi # it broke before reporting
  passed=$((passed + p)); failed=$((failed + f))
  [ "$f" != 0 ] && failures+=("$name")
  say "$name: $p passed, $f failed ($((SECONDS - start)) s)"
}

command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq bc >/dev/null; }
"$ROOT/scripts/tools.sh" test

# Each build of the workspace's own crates leaves gigabytes (the server's rlib and test binaries are
# over 2 GB each) that no later build reuses once the code changed: drop those older than 3 hours so
# a reused target dir does not fill the disk.
for dir in "$CARGO_TARGET_DIR"/debug/deps "$CARGO_TARGET_DIR"/release/deps; do
  if [ -d "$dir" ]; then find "$dir" -maxdepth 1 -mmin +180 \( -name 'libapp-*' -o -name 'app-*' \
    -o -name 'libserver-*' -o -name 'server-*' -o -name 'suite-*' -o -name 'libmigration-*' \
    -o -name 'migration-*' -o -name 'bench-*' -o -name 'libbench-*' -o -name 'dashboard-*' \) -delete; fi
done
rm -rf "$CARGO_TARGET_DIR"/debug/incremental

step fmt cargo fmt --all --check
step clippy-server cargo clippy --workspace --exclude frontend --all-targets --locked -- -D warnings
step clippy-wasm cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings
# Unit tests and the SQLite server suite in one cargo run, so their crates compile side by side.
# The bench binaries have no tests (clippy checks them): linking each as a test costs about 2.5 GB.
step unit+server-sqlite cargo test --workspace --exclude frontend --exclude bench --lib --bins --test '*' --locked

if PG_URL="$("$ROOT/scripts/pg.sh" --clean)"; then
  # The same packages as the SQLite run, so the test binary is reused rather than rebuilt.
  step server-postgres env TEST_DATABASE_URL="$PG_URL" cargo test --workspace --exclude frontend --exclude bench --test '*' --locked
else
  echo "PostgreSQL could not be started: the PostgreSQL suite did not run" >&2
  failed=$((failed + 1)); failures+=("server-postgres (not run)")
fi

step build-release cargo leptos build --release --precompress
step browser env TRACKRECORD_SERVER_BIN="$CARGO_TARGET_DIR/release/server" \
  LEPTOS_SITE_ROOT="$ROOT/target/site" \
  bash -c 'cd end2end && npx playwright test'

if [ ${#failures[@]} -gt 0 ]; then echo "failed steps: ${failures[*]}"; fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
