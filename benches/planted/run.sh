#!/usr/bin/env bash
# The planted-bugs benchmark: runs the committed, `cargo abuse gen`-written harnesses of fixtures/planted-bugs
# through this checkout's `cargo abuse run --seed S --json` (default budget: 256 cases, no fuzzing), once with
# the runtime's attacking strategies (product) and once with ABUSE_STRATEGY=naive (proptest's plain
# any::<T>(): the baseline), for every seed; prints per function found/seeds, kind and median ms, then totals,
# false alarms (functions under planted_bugs::ok must never fail) and wall-clock.
# Usage: benches/planted/run.sh [SEEDS...]   (default seeds: 1 2 3 4 5)
# PLANTED_KEEP=DIR keeps the raw `run --json` outputs (<mode>-<seed>.jsonl) in DIR.
#
# The fixture is never edited: it is copied to target/planted-bench (two levels below the repository, so its
# relative paths to abuse-macros and abuse-runtime still hold), and the committed tests/abuse/regressions.rs is
# put back before every run, so the inputs one run keeps are not replayed by the next.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3 4 5)
target="${CARGO_TARGET_DIR:-$repo/target}"
out="$(mktemp -d)"
copy="$repo/target/planted-bench"
trap 'rm -rf "$out" "$copy"' EXIT

cargo build --quiet --manifest-path "$repo/Cargo.toml" -p cargo-abuse
bin="$target/debug/cargo-abuse"
rm -rf "$copy"
mkdir -p "$repo/target"
# cp -a keeps modification times: a warm fixture target dir stays warm.
cp -a "$repo/fixtures/planted-bugs" "$copy"
rm -rf "$copy/target"
fixture_target="$target/planted-bench-target"
restore() { cp -p "$repo/fixtures/planted-bugs/tests/abuse/regressions.rs" "$copy/tests/abuse/regressions.rs"; }

# Build (and run one case of each property once) outside the measured runs.
(cd "$copy" && "$bin" abuse run --seed 0 --cases 1 --quiet --target-dir "$fixture_target" >/dev/null 2>"$out/warmup.err") || {
  code=$?
  if [ "$code" -ne 1 ]; then echo "warm-up run failed (exit $code):" >&2; cat "$out/warmup.err" >&2; exit 2; fi
}

declare -A wall=([attack]=0 [naive]=0)
for seed in "${seeds[@]}"; do
  for mode in attack naive; do
    restore
    start=$(date +%s%N)
    code=0
    (cd "$copy" && ABUSE_STRATEGY="$mode" "$bin" abuse run --seed "$seed" --json --quiet \
      --target-dir "$fixture_target" >"$out/$mode-$seed.jsonl" 2>"$out/$mode-$seed.err") || code=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    wall[$mode]=$(( ${wall[$mode]} + ms ))
    if [ "$code" -gt 1 ]; then echo "run failed (mode $mode, seed $seed, exit $code):" >&2; cat "$out/$mode-$seed.err" >&2; exit 2; fi
    echo "seed $seed, $mode: ${ms} ms" >&2
  done
done
restore
if [ -n "${PLANTED_KEEP:-}" ]; then mkdir -p "$PLANTED_KEEP" && cp "$out"/*.jsonl "$PLANTED_KEEP"/; fi
python3 "$here/summarize.py" "$out" "${wall[attack]}" "${wall[naive]}" "${seeds[@]}"
