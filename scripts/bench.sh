#!/usr/bin/env bash
# Benches print figures; they assert nothing. Release builds, on this machine.
source "$(dirname "$0")/env.sh"
cd "$ROOT"
cargo run --release --locked -p bench --bin auth
cargo run --release --locked -p bench --bin import
cargo run --release --locked -p bench --bin dashboard
cargo run --release --locked -p bench --bin pages
