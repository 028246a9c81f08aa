#!/usr/bin/env python3
"""Summarises benches/sequences/run.sh: reads <out>/<label>-<seed>.jsonl (`cargo abuse run --json` lines) and
prints, for the default runs, each type's sequence property beside its per-method properties (the same run),
then the totals, then the sequence-length sweep."""
import json
import os
import re
import statistics
import sys

out, lens, *seeds = sys.argv[1:]
lens = lens.split()
LABELS = ["default"] + [f"len{n}" for n in lens]
CALL = re.compile(r"; r\.[A-Za-z_][A-Za-z0-9_]*\(")


def load(label, seed):
    recs = {}
    with open(os.path.join(out, f"{label}-{seed}.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            if r.get("record") == "function":
                recs[r["function"]] = r
    with open(os.path.join(out, f"{label}-{seed}.ms")) as f:
        wall = int(f.read().strip())
    return recs, wall


runs = {(label, seed): load(label, seed) for label in LABELS for seed in seeds}


def props(r, name=None):
    return [p for p in r.get("properties", []) if p["source"] == "proptest" and (name is None or p["property"] == name)]


def types_of(recs):
    return sorted((f for f, r in recs.items() if props(r, "sequence")), key=lambda t: (t.startswith("ok::"), t))


def seq_fail(recs, ty):
    fails = [p for p in props(recs[ty], "sequence") if p["outcome"] == "fail"]
    return fails[0] if fails else None


def methods_fail(recs, ty):
    return any(
        p["outcome"] == "fail"
        for f, r in recs.items()
        if f.startswith(ty + "::")
        for p in props(r)
    )


def calls(p):
    return len(CALL.findall(p.get("input") or ""))


def seq_ms(recs):
    return sum(p["elapsed_ms"] for r in recs.values() for p in props(r, "sequence"))


def totals(label):
    found = per_method = alarms = total = 0
    lengths, ms, wall = [], [], []
    for seed in seeds:
        recs, w = runs[(label, seed)]
        wall.append(w)
        ms.append(seq_ms(recs))
        for ty in types_of(recs):
            fail = seq_fail(recs, ty)
            if ty.startswith("ok::"):
                alarms += bool(fail) or methods_fail(recs, ty)
                continue
            total += 1
            if fail:
                found += 1
                lengths.append(calls(fail))
            per_method += methods_fail(recs, ty)
    return found, per_method, total, alarms, lengths, ms, wall


n = len(seeds)
first = runs[("default", seeds[0])][0]
print(f"Default runs (no ABUSE_SEQUENCE_LEN), seeds {' '.join(seeds)}:\n")
print("| type | sequence: found | per-method alone: found | shrunk calls (per seed) | sequence: kind |")
print("| --- | --- | --- | --- | --- |")
for ty in types_of(first):
    found = per = 0
    lengths, kinds = [], set()
    for seed in seeds:
        recs = runs[("default", seed)][0]
        fail = seq_fail(recs, ty)
        if fail:
            found += 1
            lengths.append(str(calls(fail)))
            kinds.add(fail.get("kind") or "?")
        per += methods_fail(recs, ty)
    print(f"| `{ty}` | {found}/{n} | {per}/{n} | {' '.join(lengths) or '-'} | {', '.join(sorted(kinds)) or '-'} |")

found, per, total, alarms, lengths, ms, wall = totals("default")
print()
print(f"sequence properties: found {found}/{total} ({100 * found / max(total, 1):.0f}%)")
print(f"per-method properties alone (same runs): found {per}/{total} ({100 * per / max(total, 1):.0f}%)")
print(f"false alarms (sequences::ok, any property): {alarms}/{n * len([t for t in types_of(first) if t.startswith('ok::')])}")
print(f"median shrunk sequence: {statistics.median(lengths) if lengths else '-'} calls (max {max(lengths) if lengths else '-'})")
print(f"wall-clock per run: median {statistics.median(wall)} ms; sequence properties' own time: median {statistics.median(ms)} ms")

if lens:
    print("\nSequence length sweep (ABUSE_SEQUENCE_LEN), same seeds:\n")
    print("| len | found | false alarms | median shrunk calls | sequence properties: median ms per run | wall: median ms per run |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n_ in lens:
        found, _, total, alarms, lengths, ms, wall = totals(f"len{n_}")
        med = statistics.median(lengths) if lengths else "-"
        print(f"| {n_} | {found}/{total} | {alarms} | {med} | {statistics.median(ms)} | {statistics.median(wall)} |")
