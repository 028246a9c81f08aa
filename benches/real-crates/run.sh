#!/usr/bin/env bash
# Real crates as they come (issue 12): tags every `pub fn` of crates.io crates as published, then runs the
# product as a user does: `cargo abuse gen`, then `cargo abuse run`. Prints one row per crate.
#
# Usage: benches/real-crates/run.sh [SUBJECT ...]
#   SUBJECT     CRATE@VERSION (one package), or NAME=CRATE@VERSION+CRATE@VERSION+... (a workspace NAME whose
#               members are those packages; a member's dependency on another member becomes a path one)
#   KEEP=DIR    work in DIR and keep it (default: a temp dir under the repository's target/, removed at the end)
#   CRATES_TARGET_DIR  target dir shared by every subject's builds, so dependencies compile once
#                      (default: $work/target)
#   ABUSE_BIN   a built cargo-abuse to use instead of building one
#   SEED        seed of `cargo abuse run` (default 1)
#
# Sources come from cargo's registry cache (fetched through a throwaway project with `cargo fetch`) into the
# work dir; none of their code is committed. Per subject the work dir keeps gen.log, list.json (`cargo abuse
# list --json` after gen), run.json (`cargo abuse run --json`) and run.log. See RESULTS.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/benches/real-crates"
subjects=("$@")
if [ ${#subjects[@]} -eq 0 ]; then
  subjects=(
    # edition 2015
    lazy_static@1.5.1 fnv@1.0.7 dtoa@0.4.8 base-x@0.2.11
    # `autotests = false` written by hand
    aho-corasick@1.1.5
    # generics and traits
    either@1.19.0 smallvec@1.16.6 arrayvec@0.5.2
    # a workspace of three members that depend on each other
    num=num-traits@0.2.19+num-integer@0.1.47+num-iter@0.1.46
    # the earlier set, and edition 2024
    semver@1.0.28 itoa@1.0.19 shlex@2.0.1 percent-encoding@2.3.2 glob@0.3.4 data-encoding@2.11.1
    unicode-width@0.2.3 email_address@0.2.10
    # crates first measured blind (2026-12-03), before any change made for them
    strsim@0.11.1 heck@0.5.0 byteorder@1.5.0 slab@0.4.12 linked-hash-map@0.5.6 unsigned-varint@0.3.3
    utf8parse@0.2.2 fallible-iterator@0.2.0 bytecount@0.6.9 unit-prefix@0.5.2 tinyvec@1.13.3
  )
fi

if [ -n "${KEEP:-}" ]; then
  work=$KEEP; mkdir -p "$work"
else
  mkdir -p "$repo/target"; work=$(mktemp -d "$repo/target/real-crates.XXXXXX"); trap 'rm -rf "$work"' EXIT
fi
work=$(cd "$work" && pwd)
unset CARGO_TERM_COLOR
bin=${ABUSE_BIN:-}
if [ -z "$bin" ]; then
  cargo build -q -p cargo-abuse --manifest-path "$repo/Cargo.toml"
  bin=$(cargo metadata --no-deps --format-version 1 --manifest-path "$repo/Cargo.toml" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/cargo-abuse
fi
export CARGO_TARGET_DIR=${CRATES_TARGET_DIR:-$work/target}
seed=${SEED:-1}

# Every package of every subject, fetched into the registry cache through one throwaway project.
packages=()
for s in "${subjects[@]}"; do
  members=${s#*=}
  IFS=+ read -r -a list <<< "$members"
  packages+=("${list[@]}")
done
mkdir -p "$work/fetch/src"
echo 'fn main() {}' > "$work/fetch/src/main.rs"
{
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n[dependencies]\n'
  for c in "${packages[@]}"; do printf '%s = "=%s"\n' "${c%@*}" "${c#*@}"; done
} > "$work/fetch/Cargo.toml"
(cd "$work/fetch" && cargo fetch -q)
registry=${CARGO_HOME:-$HOME/.cargo}/registry/src

# Copies one published package into DIR and tags it (prints the number tagged).
copy_and_tag() {
  local c=$1 dir=$2; shift 2
  local src
  src=$(ls -d "$registry"/*/"${c%@*}-${c#*@}" | head -1)
  rm -rf "$dir"; cp -r "$src" "$dir"; chmod -R u+w "$dir"
  rm -rf "$dir/.cargo_vcs_info.json" "$dir/Cargo.lock"
  python3 "$here/prepare.py" "$dir" "$repo" "$@"
}

# The crate root of the package in DIR (where a user adds `mod abuse_tests;`).
lib_root() {
  python3 - "$1" <<'EOF'
import re, sys, os
m = open(os.path.join(sys.argv[1], "Cargo.toml")).read()
p = re.search(r'(?ms)^\[lib\][^\[]*?^path\s*=\s*"([^"]+)"', m)
print(os.path.join(sys.argv[1], p.group(1) if p else "src/lib.rs"))
EOF
}

rows=()
for s in "${subjects[@]}"; do
  if [[ $s == *=* ]]; then
    name=${s%%=*}; IFS=+ read -r -a members <<< "${s#*=}"; scope=--workspace
  else
    name=${s%@*}; members=("$s"); scope=
  fi
  dir="$work/$name"; rm -rf "$dir"; mkdir -p "$dir"
  tagged=0; dirs=()
  if [ -n "$scope" ]; then
    deps=(); names=()
    for m in "${members[@]}"; do deps+=("--path-dep=${m%@*}:../${m%@*}"); names+=("\"${m%@*}\""); done
    (IFS=,; printf '[workspace]\nmembers = [%s]\nresolver = "2"\n' "${names[*]}") > "$dir/Cargo.toml"
    for m in "${members[@]}"; do
      n=$(copy_and_tag "$m" "$dir/${m%@*}" --member "${deps[@]}"); tagged=$((tagged + n)); dirs+=("$dir/${m%@*}")
    done
  else
    tagged=$(copy_and_tag "$s" "$dir"); dirs=("$dir")
  fi
  echo "== $s: tagged $tagged" >&2
  (
    cd "$dir"
    "$bin" abuse gen $scope > gen.log 2>&1 || echo "gen exited $?" >> gen.log
    # In-crate harnesses need the one line in the crate root; the script writes it, as `gen` tells a user to.
    for d in "${dirs[@]}"; do
      if [ -f "$d/src/abuse_tests.rs" ]; then
        root=$(lib_root "$d")
        grep -q 'mod abuse_tests;' "$root" || printf '\n#[cfg(test)]\nmod abuse_tests;\n' >> "$root"
      fi
    done
    "$bin" abuse list $scope --json > list.json 2> list.log || true
    start=$(date +%s)
    "$bin" abuse run $scope --seed "$seed" --json > run.json 2> run.log || echo "run exited $?" >> run.log
    echo "run took $(( $(date +%s) - start )) s" >> run.log
  )
  rows+=("$(python3 "$here/summarize.py" "$s" "$tagged" "$dir/list.json" "$dir/run.json" "$dir/run.log")")
done

echo
echo "| subject | tagged | harnessed | ran | failed | not run by reason | build |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for row in "${rows[@]}"; do
  IFS=$'\t' read -r n t h r f nr b <<< "$row"
  echo "| $n | $t | $h | $r | $f | $nr | $b |"
done
python3 "$here/summarize.py" --total "${rows[@]}"
