#!/usr/bin/env bash
# Real code: tags every `pub fn` of real crates.io crates, runs `cargo abuse gen`, builds the generated tests.
#
# Usage: benches/real-crates/run.sh [--run] [CRATE@VERSION ...]
#   --run       also runs `cargo test --test abuse` (the property tests) and prints each crate's failures
#   KEEP=DIR    work in DIR and keep it (default: a temp dir, removed at the end)
#   CRATES_TARGET_DIR  target dir shared by every crate's test build, so dependencies compile once
#                      (default: $work/target)
#   ABUSE_BIN   a built cargo-abuse to use instead of building one
#
# The crates' sources come from cargo's registry cache (fetched through a throwaway project with
# `cargo fetch`) into the work dir; none of their code is committed. See RESULTS.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/benches/real-crates"
run_tests=0
if [ "${1:-}" = "--run" ]; then run_tests=1; shift; fi
crates=("$@")
if [ ${#crates[@]} -eq 0 ]; then
  crates=(semver@1.0.28 hex@0.4.3 base64@0.22.1 itoa@1.0.19 unicode-width@0.2.3 shlex@2.0.1
          percent-encoding@2.3.2 fastrand@2.5.0 humantime@2.4.0)
fi

if [ -n "${KEEP:-}" ]; then work=$KEEP; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
unset CARGO_TERM_COLOR
# The binary, built in the repository's own target dir (ABUSE_BIN skips the build).
bin=${ABUSE_BIN:-}
if [ -z "$bin" ]; then
  cargo build -q -p cargo-abuse --manifest-path "$repo/Cargo.toml"
  bin=$(cargo metadata --no-deps --format-version 1 --manifest-path "$repo/Cargo.toml" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/cargo-abuse
fi
export CARGO_TARGET_DIR=${CRATES_TARGET_DIR:-$work/target}

# Fetch every crate into the registry cache through one throwaway project.
mkdir -p "$work/fetch/src"
echo 'fn main() {}' > "$work/fetch/src/main.rs"
{
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n[dependencies]\n'
  for c in "${crates[@]}"; do printf '%s = "=%s"\n' "${c%@*}" "${c#*@}"; done
} > "$work/fetch/Cargo.toml"
(cd "$work/fetch" && cargo fetch -q)
registry=${CARGO_HOME:-$HOME/.cargo}/registry/src

rows=()
for c in "${crates[@]}"; do
  name=${c%@*}; version=${c#*@}
  src=$(ls -d "$registry"/*/"$name-$version" | head -1)
  dir="$work/$name"
  rm -rf "$dir"; cp -r "$src" "$dir"; chmod -R u+w "$dir"
  rm -rf "$dir/.cargo_vcs_info.json" "$dir/Cargo.lock"
  tagged=$(python3 "$here/prepare.py" "$dir" "$repo")
  (
    cd "$dir"
    "$bin" abuse gen -q > gen.log 2>&1 || true
    "$bin" abuse list --json > list.json 2> list.log || true
    : > build-tests.json; : > build-lib.json
    if [ -f tests/abuse/main.rs ]; then
      cargo test --test abuse --no-run --message-format=json > build-tests.json 2> build-tests.log || true
    fi
    if [ -f src/abuse_tests.rs ]; then
      # In-crate harnesses need the one line in the crate root; the script writes it, as a user would.
      grep -q 'mod abuse_tests;' src/lib.rs || printf '\n#[cfg(test)]\nmod abuse_tests;\n' >> src/lib.rs
      cargo test --lib --no-run --message-format=json > build-lib.json 2> build-lib.log || true
    fi
  )
  rows+=("$(python3 "$here/summarize.py" "$name" "$version" "$tagged" "$dir/list.json" "$dir/build-tests.json" "$dir/build-lib.json")")
  if [ $run_tests = 1 ]; then
    (cd "$dir"
     if [ -f tests/abuse/main.rs ]; then timeout 1200 cargo test -q --test abuse > run-tests.log 2>&1 || true; fi
     if [ -f src/abuse_tests.rs ]; then timeout 1200 cargo test -q --lib abuse_tests > run-lib.log 2>&1 || true; fi
     cat run-tests.log run-lib.log 2>/dev/null \
       | grep -E '^cargo-abuse: .* failed property|^  input:|^  problem:|test result:' || true) | sed "s/^/   [$name] /"
  fi
done

echo
echo "| crate | version | tagged | harnessed | skipped | compile errors | skipped by reason |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for row in "${rows[@]}"; do
  IFS=$'\t' read -r n v t h s e r <<< "$row"
  echo "| $n | $v | $t | $h | $s | $e | $r |"
done
