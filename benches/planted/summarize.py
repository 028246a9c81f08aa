#!/usr/bin/env python3
"""Summarises benches/planted/run.sh: reads <out>/<mode>-<seed>.jsonl (`cargo abuse run --json` lines) and
prints the per-function table and the totals, product (attack) beside the naive baseline.

Shrunk size: the `input_size` of each failing property test (elements and bytes of the shrunk input, as the runtime
records it), over the failures whose input holds a string, byte string or collection (inputs of numbers only are
one or two elements whatever shrinking does)."""
import json
import os
import statistics
import sys

out, wall_attack, wall_naive, *seeds = sys.argv[1:]
wall = {"attack": int(wall_attack), "naive": int(wall_naive)}
MODES = ("attack", "naive")
LABEL = {"attack": "product", "naive": "naive"}

# (mode, seed) -> function -> record; the summary line too.
runs, summaries = {}, {}
for mode in MODES:
    for seed in seeds:
        recs = {}
        with open(os.path.join(out, f"{mode}-{seed}.jsonl")) as f:
            for line in f:
                r = json.loads(line)
                if r.get("record") == "function":
                    recs[r["function"]] = r
                elif r.get("record") == "summary":
                    summaries[(mode, seed)] = r
        runs[(mode, seed)] = recs

functions = sorted({f for recs in runs.values() for f in recs}, key=lambda f: (f.startswith("ok::"), f))


def failing(r):
    """The failing property-test results of a function record (not fuzz, not kept regressions)."""
    return [p for p in r.get("properties", []) if p["outcome"] == "fail" and p["source"] == "proptest"]


def has_collection(p):
    """Whether a failure's input (a Rust expression) holds a string, byte string or collection."""
    expr = p.get("input") or ""
    return '"' in expr or "vec!" in expr or "[" in expr


def shrunk_sizes(function, mode):
    """input_size of the function's failing property tests with a string or collection input, over the seeds."""
    out = []
    for seed in seeds:
        r = runs[(mode, seed)].get(function)
        for p in failing(r) if r else []:
            if has_collection(p) and p.get("input_size") is not None:
                out.append((p["input_size"], p.get("kind")))
    return out


def cell(function, mode):
    found, times, kinds, not_run = 0, [], set(), 0
    for seed in seeds:
        r = runs[(mode, seed)].get(function)
        if r is None or r["status"] == "not_run":
            not_run += 1
            continue
        fails = failing(r)
        if fails:
            found += 1
            times.append(min(p["elapsed_ms"] for p in fails))
            kinds.update(p["kind"] or "?" for p in fails)
    return found, times, kinds, not_run


n = len(seeds)
print(f"| function | product: found | product: kind | product: median ms | product: shrunk size | naive: found | naive: kind | naive: median ms |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
totals = {m: [0, 0] for m in MODES}
false_alarms = {m: 0 for m in MODES}
medians = {m: [] for m in MODES}
sizes = {m: [] for m in MODES}
missing = []
for fn in functions:
    row = [f"`{fn}`"]
    for mode in MODES:
        found, times, kinds, not_run = cell(fn, mode)
        med = f"{statistics.median(times):.0f}" if times else "-"
        note = f" ({not_run} not run)" if not_run else ""
        row += [f"{found}/{n}{note}", ",".join(sorted(kinds)) or "-", med]
        fn_sizes = shrunk_sizes(fn, mode)
        if mode == "attack":
            ns = [n for n, _ in fn_sizes]
            row.append(f"{statistics.median(ns):.0f} (max {max(ns)})" if ns else "-")
        if not fn.startswith("ok::"):
            sizes[mode] += fn_sizes
        if fn.startswith("ok::"):
            false_alarms[mode] += found
        else:
            totals[mode][0] += found
            totals[mode][1] += n
            medians[mode] += times
        if not_run and mode == "attack":
            missing.append(fn)
    print("| " + " | ".join(row) + " |")

bugs = sum(1 for f in functions if not f.startswith("ok::"))
ok = len(functions) - bugs
print()
print("| | product (attack) | naive (`ABUSE_STRATEGY=naive`) |")
print("| --- | --- | --- |")
def pct(m):
    k, t = totals[m]
    return f"{k}/{t} ({100 * k / max(t, 1):.1f}%)"
print(f"| (function, seed) pairs found, {bugs} planted bugs x {n} seeds | {pct('attack')} | {pct('naive')} |")
def per_fn(m, pred):
    return sum(1 for f in functions if not f.startswith("ok::") and pred(cell(f, m)[0]))
print(f"| planted bugs found in every seed | {per_fn('attack', lambda k: k == n)}/{bugs} | {per_fn('naive', lambda k: k == n)}/{bugs} |")
print(f"| planted bugs never found | {per_fn('attack', lambda k: k == 0)}/{bugs} | {per_fn('naive', lambda k: k == 0)}/{bugs} |")
print(f"| false alarms ({ok} correct functions x {n} seeds) | {false_alarms['attack']} | {false_alarms['naive']} |")
def med(m):
    return f"{statistics.median(medians[m]):.0f}" if medians[m] else "-"
print(f"| median ms until the failure is reported (over finds) | {med('attack')} | {med('naive')} |")
def size_med(m, crashes=True):
    # A stack overflow (`crash`) needs a nesting deep enough to overflow: its size is that depth.
    v = [n for n, kind in sizes[m] if crashes or kind != "crash"]
    return f"{statistics.median(v):.0f} (of {len(v)}; {sum(1 for x in v if x <= 16)} at most 16)" if v else "-"
print(f"| median shrunk input size, string/collection failures (elements + bytes) | {size_med('attack')} | {size_med('naive')} |")
print(f"| the same without stack overflows (`crash`) | {size_med('attack', False)} | {size_med('naive', False)} |")
print(f"| wall-clock, all {n} runs (s) | {wall['attack'] / 1000:.1f} | {wall['naive'] / 1000:.1f} |")
print(f"| wall-clock per default run (s) | {wall['attack'] / 1000 / n:.1f} | {wall['naive'] / 1000 / n:.1f} |")
if totals["naive"][0]:
    print(f"\nproduct / naive = {totals['attack'][0] / totals['naive'][0]:.2f}x")
if missing:
    print("\nnot run in some seed (counted as not found): " + ", ".join(missing))

# Every failure of a correct function, in full enough to act on.
for fn in functions:
    if not fn.startswith("ok::"):
        continue
    for mode in MODES:
        for seed in seeds:
            r = runs[(mode, seed)].get(fn)
            for p in failing(r) if r else []:
                msg = (p.get("message") or "").replace("\n", " ")[:240]
                size = len(p.get("input") or "")
                print(f"\nfalse alarm: `{fn}` ({LABEL[mode]}, seed {seed}): {p['property']} {p['kind']}: {msg} "
                      f"[input: {size} characters of Rust, input_size {p.get('input_size')}]")
