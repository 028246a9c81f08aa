#!/usr/bin/env bash
# The behaviour benchmark: a crate with 11 behaviour-changing edits of the kind reviews miss (each visible on a
# narrow class of inputs only) and 5 pure refactors, as a two-commit git history made in a temp dir; then
# `cargo abuse run --since HEAD --json --cases N --seed S` on the edited working tree. Prints per function
# the verdict and the first differing call, then found/total (change_*) and false differences (refactor_*).
# Usage: benches/behaviour/run.sh [SEEDS...]   (default seed: 1; CASES=1000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1)
cases="${CASES:-1000}"
target="${CARGO_TARGET_DIR:-$repo/target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bench_target="$target/behaviour-bench-target"

cargo build --quiet --manifest-path "$repo/Cargo.toml" -p cargo-abuse
# A copy: a rebuild of the worktree during a long run does not change the binary measured.
cp "$target/debug/cargo-abuse" "$work/cargo-abuse"
bin="$work/cargo-abuse"
g() { git -C "$work/bench" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false "$@"; }

mkdir -p "$work/bench/src"
cat > "$work/bench/Cargo.toml" <<TOML
[package]
name = "bench"
version = "0.1.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
abuse-macros = { path = "$repo/abuse-macros" }

[package.metadata.abuse]
runtime-path = "$repo/abuse-runtime"
TOML
printf 'target/\n' > "$work/bench/.gitignore"
cp "$here/base.rs" "$work/bench/src/lib.rs"
(cd "$work/bench" && "$bin" abuse gen --quiet --target-dir "$bench_target")
g init -q && g add . && g commit -qm base
cp "$here/edited.rs" "$work/bench/src/lib.rs"
(cd "$work/bench" && "$bin" abuse gen --quiet --target-dir "$bench_target")

for seed in "${seeds[@]}"; do
  start=$(date +%s)
  (cd "$work/bench" && "$bin" abuse run --since HEAD --json --quiet --cases "$cases" --seed "$seed" \
      --target-dir "$bench_target" > "$work/out-$seed.json") || true
  end=$(date +%s)
  echo "== seed $seed, $cases cases, $((end - start)) s"
  python3 - "$work/out-$seed.json" <<'PY'
import json, sys
records = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
b = next(r for r in records if r.get("record") == "behaviour")
found = total = false_diff = refactors = 0
for f in b["functions"]:
    name, verdict = f["function"], f["verdict"]
    first = ""
    if verdict == "changed":
        d = f["differences"][0]
        first = f'{d["call"]}: before {d["before"]}, now {d["now"]}'
    elif verdict != "unchanged":
        first = f.get("reason", "")
    print(f'{name:28} {verdict:13} {f.get("cases", "-")!s:>5}  {first}')
    if name.startswith("change_"):
        total += 1
        found += verdict == "changed"
    else:
        refactors += 1
        false_diff += verdict == "changed"
print(f"behaviour changes found: {found}/{total}; false differences: {false_diff}/{refactors} refactors")
PY
done
