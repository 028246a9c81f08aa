#!/usr/bin/env bash
# Cost of the CI step: wall time of `cargo abuse run` on the demo fixture against plain `cargo test` of the
# same crate (which runs the same generated tests), cold (empty target dir) and warm, in the same run.
# Usage: benches/run/run.sh [REPEATS]   (default 3; prints medians and the ratio)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
repeats=${1:-3}
cargo build -q --release -p cargo-abuse --manifest-path "$root/Cargo.toml"
tool="$root/target/release/cargo-abuse"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/fixtures/demo" "$work/demo"
sed -i "s|\.\./\.\./|$root/|g" "$work/demo/Cargo.toml"
cd "$work/demo"
"$tool" abuse gen -q >/dev/null 2>&1 || true

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # label, command...
  local label=$1; shift
  local cold=() warm=()
  for _ in $(seq "$repeats"); do
    rm -rf target
    local t0; t0=$(now); "$@" >/dev/null 2>&1 || true; cold+=($(( ($(now) - t0) / 1000000 )))
    t0=$(now); "$@" >/dev/null 2>&1 || true; warm+=($(( ($(now) - t0) / 1000000 )))
  done
  printf '%s\n' "${cold[@]}" | median > "$work/$label.cold"
  printf '%s\n' "${warm[@]}" | median > "$work/$label.warm"
}
measure test cargo test --test abuse
measure abuse "$tool" abuse run --seed 1
for kind in cold warm; do
  t=$(cat "$work/test.$kind"); a=$(cat "$work/abuse.$kind")
  awk -v k="$kind" -v t="$t" -v a="$a" 'BEGIN { printf "%-5s cargo test %6d ms   cargo abuse run %6d ms   ratio %.2fx\n", k, t, a, a / t }'
done
