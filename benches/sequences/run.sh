#!/usr/bin/env bash
# The sequence benchmark: runs the committed, `cargo abuse gen`-written harnesses of fixtures/sequences through
# this checkout's `cargo abuse run --seed S --json` (default budget: 256 cases, no fuzzing) for every seed, and
# compares, in the same runs, what each type's `sequence` property finds with what its per-method properties
# (one call on a fresh value each) find. Then sweeps the sequence length (ABUSE_SEQUENCE_LEN overrides every
# type's `sequence_len`) over LENS: found and the time the sequence properties take.
# Prints found/total, false alarms (types under sequences::ok must never fail), the median shrunk sequence
# length (calls in the printed failing sequence) and wall-clock.
# Usage: [LENS="4 8 16 32"] benches/sequences/run.sh [SEEDS...]   (default seeds: 1 2 3 4 5)
#
# The fixture is never edited: it is copied to target/sequences-bench (two levels below the repository, so its
# relative paths to abuse-macros and abuse-runtime still hold), and the committed tests/abuse/regressions.rs is
# put back before every run, so the inputs one run keeps are not replayed by the next.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3 4 5)
read -r -a lens <<<"${LENS-4 8 16 32}"
target="${CARGO_TARGET_DIR:-$repo/target}"
out="$(mktemp -d)"
copy="$repo/target/sequences-bench"
trap 'rm -rf "$out" "$copy"' EXIT

cargo build --quiet --manifest-path "$repo/Cargo.toml" -p cargo-abuse
bin="$target/debug/cargo-abuse"
rm -rf "$copy"
mkdir -p "$repo/target"
cp -a "$repo/fixtures/sequences" "$copy"
rm -rf "$copy/target"
fixture_target="$target/sequences-bench-target"
restore() { cp -p "$repo/fixtures/sequences/tests/abuse/regressions.rs" "$copy/tests/abuse/regressions.rs"; }

# Build (and run one case of each property once) outside the measured runs.
(cd "$copy" && "$bin" abuse run --seed 0 --cases 1 --quiet --target-dir "$fixture_target" >/dev/null 2>"$out/warmup.err") || {
  code=$?
  if [ "$code" -ne 1 ]; then echo "warm-up run failed (exit $code):" >&2; cat "$out/warmup.err" >&2; exit 2; fi
}

one() { # one LABEL SEED [LEN]: a run, its JSON lines in $out/LABEL-SEED.jsonl, its wall-clock in ms in .ms
  local label=$1 seed=$2 len=${3-}
  restore
  local start code=0
  start=$(date +%s%N)
  (cd "$copy" && if [ -n "$len" ]; then export ABUSE_SEQUENCE_LEN="$len"; fi; "$bin" abuse run --seed "$seed" --json --quiet \
    --target-dir "$fixture_target" >"$out/$label-$seed.jsonl" 2>"$out/$label-$seed.err") || code=$?
  echo $(( ($(date +%s%N) - start) / 1000000 )) >"$out/$label-$seed.ms"
  if [ "$code" -gt 1 ]; then echo "run failed ($label, seed $seed, exit $code):" >&2; cat "$out/$label-$seed.err" >&2; exit 2; fi
  echo "seed $seed, $label: $(cat "$out/$label-$seed.ms") ms" >&2
}

for seed in "${seeds[@]}"; do
  one default "$seed"
  for len in "${lens[@]}"; do one "len$len" "$seed" "$len"; done
done
restore
python3 "$here/summarize.py" "$out" "${lens[*]}" "${seeds[@]}"
