#!/usr/bin/env bash
# Advisory corpus (issue 10): runs the product, as a user does, on thin wrappers over old crates.io releases with
# public RustSec advisories (src/lib.rs), and summarises found / missed per advisory and false alarms on the
# correct functions. See RESULTS.md.
#
# usage: benches/advisories/run.sh [--seeds "1 2 3"] [--cases N] [--fuzz SECS] [--naive] [--keep]
#   --seeds    seeds of `cargo abuse run --seed S` (default: 1 2 3), one run each
#   --cases    cases per property (default: the product's default, 256)
#   --fuzz     also one `run --fuzz SECS` with the first seed
#   --naive    also the baseline, in the same invocation: each seed once more with the runtime's plain
#              `any::<T>()` strategies (ABUSE_STRATEGY=naive; see abuse-runtime/src/attack.rs)
#   --keep     keep the work dir (printed)
# Environment: ADV_TARGET_DIR (default: <repo>/target/advisories-bench, shared between runs so the old crates
# compile once); ABUSE_BIN (a built cargo-abuse to run instead of `cargo run -p cargo-abuse`). The script copies the corpus and never edits it: `gen` writes its harnesses into the copy.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/benches/advisories"
seeds="1 2 3"; cases=""; fuzz=""; naive=0; keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds=$2; shift 2;;
    --cases) cases=$2; shift 2;;
    --fuzz) fuzz=$2; shift 2;;
    --naive) naive=1; shift;;
    --keep) keep=1; shift;;
    *) echo "unknown argument $1" >&2; exit 2;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/abuse-advisories.XXXXXX")
if [ $keep = 0 ]; then trap 'rm -rf "$work"' EXIT; else echo "work dir: $work"; fi
# Same relative layout as the repository, so the manifest's `../../abuse-macros` and `runtime-path` resolve.
mkdir -p "$work/benches"
ln -s "$repo/abuse-macros" "$work/abuse-macros"
ln -s "$repo/abuse-runtime" "$work/abuse-runtime"
ln -s "$repo/abuse-attr" "$work/abuse-attr"
ln -s "$repo/abuse-record" "$work/abuse-record"
# Their manifests inherit from the workspace root.
ln -s "$repo/Cargo.toml" "$work/Cargo.toml"
cp -r "$here" "$work/benches/advisories"
rm -rf "$work/benches/advisories/tests" "$work/benches/advisories/fuzz" "$work/benches/advisories/target"
subject="$work/benches/advisories"
manifest="$subject/Cargo.toml"

unset CARGO_TERM_COLOR RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
export CARGO_TARGET_DIR=${ADV_TARGET_DIR:-$repo/target/advisories-bench}
# ABUSE_BIN: a built cargo-abuse binary to use instead of `cargo run` (so editing this checkout during a long run
# does not rebuild the tool between seeds).
if [ -n "${ABUSE_BIN:-}" ]; then
  abuse() { "$ABUSE_BIN" abuse "$@"; }
else
  abuse() { cargo run -q --manifest-path "$repo/Cargo.toml" -p cargo-abuse --target-dir "$repo/target" -- abuse "$@"; }
fi

abuse gen --manifest-path "$manifest" > "$work/gen.log" 2>&1 || { cat "$work/gen.log"; exit 2; }
abuse list --json --manifest-path "$manifest" > "$work/list.json"
# Build once before timing, so the first seed's wall-clock is not the build.
(cd "$subject" && cargo test -q --test abuse --no-run > "$work/build.log" 2>&1) || { tail -40 "$work/build.log"; exit 2; }

# Each seed starts from what `gen` wrote: `run` keeps every failure it finds as a regression test (and fuzz
# inputs in the corpus), and a later seed replaying an earlier seed's finds would not be an independent sample.
snapshot="$work/after-gen"
mkdir -p "$snapshot"
cp -a "$subject/tests" "$snapshot/tests"
[ -d "$subject/fuzz" ] && cp -a "$subject/fuzz" "$snapshot/fuzz"
fresh() {
  diff -rq "$snapshot/tests" "$subject/tests" > /dev/null 2>&1 \
    && { [ ! -d "$snapshot/fuzz" ] || diff -rq "$snapshot/fuzz" "$subject/fuzz" > /dev/null 2>&1; } \
    && return 0
  rm -rf "$subject/tests" "$subject/fuzz"
  # Plain copies (new mtimes): restored with their old mtimes, cargo would keep the test binary of the last seed.
  cp -r "$snapshot/tests" "$subject/tests"
  [ -d "$snapshot/fuzz" ] && cp -r "$snapshot/fuzz" "$subject/fuzz"
  return 0
}

modes="attack"
[ $naive = 1 ] && modes="attack naive"
runs=()
for s in $seeds; do
  for mode in $modes; do
    fresh
    args=(run --seed "$s" --json --manifest-path "$manifest")
    [ -n "$cases" ] && args+=(--cases "$cases")
    prefix="$work/run-$s"; label=default
    [ $mode = naive ] && { prefix="$work/naive-$s"; label=naive; }
    start=$(date +%s.%N)
    ABUSE_STRATEGY=$mode abuse "${args[@]}" > "$prefix.json" 2> "$prefix.log" || true
    end=$(date +%s.%N)
    echo "$end - $start" | bc > "$prefix.secs"
    runs+=("$label:$s:$prefix")
  done
done
if [ -n "$fuzz" ]; then
  s=${seeds%% *}
  fresh
  start=$(date +%s.%N)
  abuse run --seed "$s" --fuzz "$fuzz" --json --manifest-path "$manifest" > "$work/fuzz-$s.json" 2> "$work/fuzz-$s.log" || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc > "$work/fuzz-$s.secs"
  runs+=("fuzz$fuzz:$s:$work/fuzz-$s")
fi
python3 "$here/summarize.py" "$here/src/lib.rs" "$work/list.json" "${runs[@]}"
