#!/usr/bin/env bash
# Sequences on real code: copies published crates from cargo's registry, tags every public method of one
# type (the `#[ai_generated]` attribute on each of its inherent `impl` blocks, which tags every `pub fn` in
# them), runs `cargo abuse gen` and `cargo abuse run`, and prints each sequence row and each failure.
#
# Usage: benches/sequences/real.sh [CRATE@VERSION:TYPE ...]
#   KEEP=DIR     work in DIR and keep it (default: a temp dir, removed at the end)
#   SEED=N       the run's seed (default 1)
#   FUZZ=SECS    also `--fuzz SECS` (default: property tests only)
#   ABUSE_BIN    a built cargo-abuse to use instead of building one
#
# Only the attribute and the manifest lines cargo-abuse needs are added (the `abuse-macros` path dependency,
# `[package.metadata.abuse] runtime-path`, an empty `[workspace]`); nothing else of the crate is edited.
# The sources come from cargo's registry cache (fetched through a throwaway project). See RESULTS-real.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
subjects=("$@")
if [ ${#subjects[@]} -eq 0 ]; then
  subjects=(semver@1.0.28:Prerelease ipnet@2.12.2:Ipv4Net slab@0.4.12:Slab)
fi
seed=${SEED:-1}
if [ -n "${KEEP:-}" ]; then work=$KEEP; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
unset CARGO_TERM_COLOR
bin=${ABUSE_BIN:-}
if [ -z "$bin" ]; then
  cargo build -q -p cargo-abuse --manifest-path "$repo/Cargo.toml"
  bin=$(cargo metadata --no-deps --format-version 1 --manifest-path "$repo/Cargo.toml" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/cargo-abuse
fi
# One target dir for every crate, so proptest and the runtime compile once.
export CARGO_TARGET_DIR=$work/target

mkdir -p "$work/fetch/src"
echo 'fn main() {}' > "$work/fetch/src/main.rs"
{
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[workspace]\n[dependencies]\n'
  for s in "${subjects[@]}"; do c=${s%%:*}; printf '%s = "=%s"\n' "${c%@*}" "${c#*@}"; done
} > "$work/fetch/Cargo.toml"
(cd "$work/fetch" && cargo fetch -q)
registry=${CARGO_HOME:-$HOME/.cargo}/registry/src

for s in "${subjects[@]}"; do
  c=${s%%:*}; ty=${s#*:}; name=${c%@*}; version=${c#*@}
  src=$(ls -d "$registry"/*/"$name-$version" | head -1)
  dir="$work/$name"
  rm -rf "$dir"; cp -r "$src" "$dir"; chmod -R u+w "$dir"
  rm -f "$dir/.cargo_vcs_info.json" "$dir/Cargo.lock"
  python3 - "$dir" "$repo" "$ty" <<'PY'
import os, re, sys
crate, repo, ty = sys.argv[1:]
# Every inherent `impl` block of the type (`impl Ty {`, `impl<T> Ty<T> {`, `impl<T: X> Ty<T> where ... {`).
block = re.compile(r'^impl(?:<[^{;]*?>)?\s+' + re.escape(ty) + r'(?:<[^{;]*?>)?\s*(?:where[^{;]*)?\{', re.M)
tagged = 0
for root, _, files in os.walk(os.path.join(crate, "src")):
    for f in files:
        if not f.endswith(".rs"):
            continue
        path = os.path.join(root, f)
        text = open(path).read()
        new, n = block.subn(
            lambda m: '#[abuse_macros::ai_generated(prompt = "every public method of ' + ty + '")]\n' + m.group(0),
            text)
        if n:
            open(path, "w").write(new)
            tagged += n
manifest = os.path.join(crate, "Cargo.toml")
text = open(manifest).read()
text += '\n[dependencies.abuse-macros]\npath = "%s/abuse-macros"\n' % repo
text += '\n[package.metadata.abuse]\nruntime-path = "%s/abuse-runtime"\n' % repo
if not re.search(r'^\[workspace\]', text, re.M):
    text += '\n[workspace]\n'
open(manifest, "w").write(text)
print(f"{os.path.basename(crate)}: tagged {tagged} impl block(s) of {ty}", file=sys.stderr)
PY
  fuzz_args=()
  if [ -n "${FUZZ:-}" ]; then fuzz_args=(--fuzz "$FUZZ"); fi
  (
    cd "$dir"
    "$bin" abuse gen > gen.log 2>&1 || true
    "$bin" abuse list > list.txt 2> list.log || true
    timeout 1800 "$bin" abuse run --seed "$seed" --json "${fuzz_args[@]}" > run.json 2> run.log || true
  )
  echo "== $name $version: $ty"
  sed -n '/^Sequence properties:/,/^$/p' "$dir/list.txt"
  python3 - "$dir/run.json" "$ty" <<'PY'
import json, sys
path, ty = sys.argv[1:]
rows = []
for line in open(path):
    line = line.strip()
    if not line.startswith("{"):
        continue
    rec = json.loads(line)
    if rec.get("record") == "function" or "properties" in rec:
        rows.append(rec)
seq = [r for r in rows if r["function"].split("::")[-1] == ty]
methods = [r for r in rows if r not in seq]
def fails(r):
    return [p for p in r["properties"] if p["outcome"] == "fail"]
print(f"sequence rows: {len(seq)}, failing: {sum(1 for r in seq if fails(r))}; "
      f"method rows: {len(methods)}, failing: {sum(1 for r in methods if fails(r))}")
for r in seq + methods:
    for p in r["properties"]:
        runs = p.get("cases", 0)
        if p["outcome"] == "fail":
            print(f"  FAIL {r['function']} {p['property']} ({p.get('source')}, {p.get('kind')}): {p.get('message')}")
            print(f"       input: {p.get('input')}")
        elif r in seq:
            print(f"  {p['outcome']} {r['function']} {p['property']} ({p.get('source')}): {runs} cases")
PY
done
