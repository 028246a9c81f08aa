#!/usr/bin/env bash
# Benchmark: `cargo abuse list` against `cargo metadata --no-deps` alone, same synthetic workspace, same run.
# Usage: benches/list/run.sh [RUNS]   (needs python3; builds cargo-abuse in release)
set -euo pipefail
runs=${1:-15}
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -q -p cargo-abuse --manifest-path "$repo/Cargo.toml"
target=$(cargo metadata --no-deps --format-version 1 --manifest-path "$repo/Cargo.toml" | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target/release/cargo-abuse"

ABUSE_MACROS="$repo/abuse-macros" python3 "$repo/benches/list/gen_workspace.py" "$work/ws"
files=$(find "$work/ws" -name '*.rs' | wc -l)
lines=$(cat $(find "$work/ws" -name '*.rs') | wc -l)
cd "$work/ws"
unset CARGO_TARGET_DIR CARGO_TERM_COLOR
tagged=$("$bin" abuse list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["tagged"])')

# median of $runs wall-clock runs, in milliseconds
median() {
  local samples=()
  for _ in $(seq "$runs"); do
    local t0 t1
    if [ -n "${PRE:-}" ]; then eval "$PRE"; fi
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    samples+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'
}

# warm-up (file cache, cargo's own caches, cargo-abuse's caches for both ways of calling it: cargo sets
# `CARGO`, and the remembered `cargo metadata` answer applies only to the same environment)
cargo metadata --no-deps --format-version 1 >/dev/null
"$bin" abuse list >/dev/null
PATH="$(dirname "$bin"):$PATH" cargo abuse list >/dev/null

meta=$(median cargo metadata --no-deps --format-version 1)
list=$(median "$bin" abuse list)
json=$(median "$bin" abuse list --json)
via_cargo=$(PATH="$(dirname "$bin"):$PATH" median cargo abuse list)
# the floor of any `cargo <subcommand>`: cargo's own dispatch to an external subcommand that does nothing
mkdir -p "$work/bin" && printf '#!/bin/sh\nexit 0\n' > "$work/bin/cargo-nothing" && chmod +x "$work/bin/cargo-nothing"
dispatch=$(PATH="$work/bin:$PATH" median cargo nothing)
# no remembered `cargo metadata` answer: cargo runs every time, discovery cache warm
fresh_meta=$(PRE='rm -rf target/abuse/metadata' median "$bin" abuse list)
# cold: no caches at all (target/abuse removed before each run), so cargo runs and every file is parsed
cold=$(PRE='rm -rf target/abuse' median "$bin" abuse list)
ratio() { awk -v a="$1" -v b="$meta" 'BEGIN { printf "%.2f", a / b }'; }
echo "workspace: $files files, $lines lines, $tagged tagged functions; median of $runs runs; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cargo metadata --no-deps --format-version 1 : ${meta} ms"
echo "cargo-abuse abuse list (warm cache)         : ${list} ms ($(ratio "$list")x)"
echo "cargo-abuse abuse list --json (warm cache)  : ${json} ms ($(ratio "$json")x)"
echo "cargo abuse list through cargo (warm cache) : ${via_cargo} ms ($(ratio "$via_cargo")x)"
echo "  of which cargo's dispatch (cargo nothing)  : ${dispatch} ms ($(ratio "$dispatch")x)"
echo "cargo-abuse abuse list (cargo metadata run) : ${fresh_meta} ms ($(ratio "$fresh_meta")x)"
echo "cargo-abuse abuse list (cold, no cache)     : ${cold} ms ($(ratio "$cold")x)"
