#!/usr/bin/env bash
# Runs the runtime benchmark: every planted-bug harness with plain `any::<T>()` and with `attack::<T>()`,
# 256 cases (the default), over several seeds; prints per function found/not and time to first failure.
# Usage: benches/runtime/run.sh [SEEDS...]   (default seeds: 1 2 3 4 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seeds=("${@:-1 2 3 4 5}")
# shellcheck disable=SC2206
seeds=(${seeds[*]})
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
cargo test --quiet --manifest-path "$here/Cargo.toml" --test bench --no-run
start=$(date +%s)
for seed in "${seeds[@]}"; do
  ABUSE_SEED="$seed" ABUSE_RECORDS="$out/$seed" \
    cargo test --quiet --manifest-path "$here/Cargo.toml" --test bench -- --test-threads 2 >"$out/log-$seed.txt" 2>&1 || true
done
echo "wall time: $(( $(date +%s) - start )) s for ${#seeds[@]} seeds"
python3 - "$out" <<'PY'
import json, os, sys, collections
out = sys.argv[1]
res = collections.defaultdict(dict)  # (function, mode) -> seed -> record
for seed in sorted(os.listdir(out)):
    d = os.path.join(out, seed)
    if not os.path.isdir(d):
        continue
    for f in os.listdir(d):
        r = json.load(open(os.path.join(d, f)))
        mode = "attack" if r["test"].endswith("with_attack") else "any"
        res[(r["function"], mode)][seed] = r
funcs = sorted({f for f, _ in res}, key=lambda f: (f.startswith("ok_"), f))
nseeds = max(len(v) for v in res.values())
def cell(f, mode):
    rs = res.get((f, mode), {})
    found = [r for r in rs.values() if r["outcome"] == "fail"]
    if not found:
        return f"0/{len(rs)}", "-", ""
    t = sorted(r["first_failure_ms"] if r["first_failure_ms"] is not None else r["elapsed_ms"] for r in found)
    kinds = ",".join(sorted({r["kind"] for r in found}))
    return f"{len(found)}/{len(rs)}", f"{t[len(t)//2]}", kinds
print(f"| function | any: found | any: ms to 1st failure (median) | attack: found | attack: ms to 1st failure (median) | attack: kind |")
print("| --- | --- | --- | --- | --- | --- |")
tot = {"any": [0, 0], "attack": [0, 0]}
false_alarms = {"any": 0, "attack": 0}
for f in funcs:
    a = cell(f, "any"); b = cell(f, "attack")
    print(f"| {f} | {a[0]} | {a[1]} | {b[0]} | {b[1]} | {b[2]} |")
    for mode, c in (("any", a), ("attack", b)):
        k, n = map(int, c[0].split("/"))
        if f.startswith("ok_"):
            false_alarms[mode] += k
        else:
            tot[mode][0] += k; tot[mode][1] += n
bugs = sum(1 for f in funcs if not f.startswith("ok_"))
ok = len(funcs) - bugs
for mode in ("any", "attack"):
    k, n = tot[mode]
    print(f"{mode}: found {k}/{n} (function, seed) pairs = {100*k/max(n,1):.1f}% of {bugs} buggy functions x {nseeds} seeds; "
          f"false alarms on {ok} correct functions: {false_alarms[mode]}")
if tot["any"][0]:
    print(f"attack / any = {tot['attack'][0]/tot['any'][0]:.2f}x")
PY
