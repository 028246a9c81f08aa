#!/usr/bin/env bash
# Time to find the planted bugs of fixtures/fuzz-magic with cargo-abuse's fuzz runner (cargo-abuse/src/fuzz.rs),
# on stable without a sanitizer, plus the cold and warm build times of the fuzz crate.
#
# usage: benches/fuzz/run.sh [RUNS] [SECS]      (defaults: 5 runs, 60 s per target)
#
# Each run starts from an empty corpus (seeds and dictionary as generated), so every figure is a time to find
# from scratch. `cargo abuse gen` writes the harnesses; the driver in benches/fuzz/driver runs the fuzz stage
# alone (the same code as `cargo abuse run --fuzz SECS`, without the property tests) so that two hand-written
# variants of decode_frame's target can be timed beside the generated ones. They take libFuzzer's bytes as they
# are (`|data: &[u8]|`) instead of decoding `(Vec<u8>,)` with `arbitrary`: `decode_frame_bytes` (with the
# generated seeds and dictionary) and `decode_frame_bare` (neither: comparison tracing alone).
#
# Environment: DRIVER_TARGET (where cargo-abuse and the driver are built, default target/abuse-fuzz-bench),
# FUZZ_TIMEOUT (per-input seconds, default 2 as in `cargo abuse run`), FUZZ_RSS_MB (default 2048).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${1:-5}
SECS=${2:-60}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/abuse-fuzz-bench.XXXXXX")
DRIVER_TARGET=${DRIVER_TARGET:-$ROOT/target/abuse-fuzz-bench}
export FUZZ_TARGET_DIR=$WORK/fuzz-target
export FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-2}
unset CARGO_TARGET_DIR RUSTFLAGS CARGO_ENCODED_RUSTFLAGS

echo "work dir: $WORK"
cargo build -q --release --manifest-path "$ROOT/benches/fuzz/driver/Cargo.toml" --target-dir "$DRIVER_TARGET"
cargo build -q --manifest-path "$ROOT/Cargo.toml" -p cargo-abuse --target-dir "$DRIVER_TARGET"
DRIVER=$DRIVER_TARGET/release/abuse-fuzz-bench
CARGO_ABUSE=$DRIVER_TARGET/debug/cargo-abuse

PKG=$WORK/fuzz-magic
cp -r "$ROOT/fixtures/fuzz-magic" "$PKG"
sed -i "s#\.\./\.\./#$ROOT/#" "$PKG/Cargo.toml"
"$CARGO_ABUSE" abuse gen --manifest-path "$PKG/Cargo.toml"

# The two raw-bytes variants of decode_frame's target.
for variant in decode_frame_bytes decode_frame_bare; do
  cat > "$PKG/fuzz/fuzz_targets/$variant.rs" <<'RS'
//! decode_frame's generated checks on libFuzzer's bytes as they are (no `arbitrary` decoding).
#![no_main]
#[path = "../../tests/abuse/decode_frame.rs"]
#[allow(dead_code, unused_imports)]
mod harness;
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let input: harness::Input = (data.to_vec(),);
    let settings = harness::settings();
    abuse_runtime::fuzz::check_one(&harness::TARGET, abuse_runtime::Property::NoPanic, &settings, &input, || {
        harness::no_panic_body(input.clone())
    });
});
RS
  printf '\n[[bin]]\nname = "%s"\npath = "fuzz_targets/%s.rs"\ntest = false\ndoc = false\nbench = false\n' \
    "$variant" "$variant" >> "$PKG/fuzz/Cargo.toml"
done
cp -r "$PKG/fuzz/seeds/decode_frame" "$PKG/fuzz/seeds/decode_frame_bytes"
cp "$PKG/fuzz/dict/decode_frame.dict" "$PKG/fuzz/dict/decode_frame_bytes.dict"

TARGETS="decode_frame decode_frame_bytes decode_frame_bare count_escapes expand_runs frame_checksum"

# Build times: cold (empty target dir, crates already downloaded; libFuzzer's C++ compiled and cached), cold
# again with only the cached libFuzzer kept, then warm (nothing changed).
"$DRIVER" "$PKG" 1 frame_checksum 2> "$WORK/build-cold.txt" > /dev/null
find "$FUZZ_TARGET_DIR" -mindepth 1 -maxdepth 1 ! -name libfuzzer -exec rm -rf {} +
"$DRIVER" "$PKG" 1 frame_checksum 2> "$WORK/build-cached.txt" > /dev/null
"$DRIVER" "$PKG" 1 frame_checksum 2> "$WORK/build-warm.txt" > /dev/null
echo "build cold: $(grep -o 'in [0-9.]* s' "$WORK/build-cold.txt" | head -1)"
echo "build cold, libFuzzer cached: $(grep -o 'in [0-9.]* s' "$WORK/build-cached.txt" | head -1)"
echo "build warm: $(grep -o 'in [0-9.]* s' "$WORK/build-warm.txt" | head -1)"

for run in $(seq 1 "$RUNS"); do
  rm -rf "$PKG/fuzz/corpus"
  # shellcheck disable=SC2086
  "$DRIVER" "$PKG" "$SECS" $TARGETS 2>> "$WORK/progress.txt" > "$WORK/run-$run.jsonl"
  echo "run $run done"
done

python3 - "$WORK" "$RUNS" "$SECS" <<'PY'
import json, sys, statistics
work, runs, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
by_target = {}
for run in range(1, runs + 1):
    for line in open(f"{work}/run-{run}.jsonl"):
        o = json.loads(line)
        by_target.setdefault(o["target"], []).append(o)
print(f"\n| target | found | time to find (s): min / median / max | kind | input (last run) |")
print("| --- | --- | --- | --- | --- |")
for target, outs in by_target.items():
    found = [o for o in outs if o["result"]["outcome"] == "fail"]
    times = sorted(o["result"]["elapsed_ms"] / 1000 for o in found)
    span = f"{times[0]:.2f} / {statistics.median(times):.2f} / {times[-1]:.2f}" if times else f"nothing in {secs} s"
    kinds = ",".join(sorted({o["result"]["kind"] for o in found})) or "-"
    inp = (found[-1]["result"]["input"] if found else None) or "-"
    print(f"| {target} | {len(found)}/{len(outs)} | {span} | {kinds} | `{inp[:60]}` |")
PY
