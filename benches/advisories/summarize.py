#!/usr/bin/env python3
"""Summarises the advisory corpus runs for run.sh.

Usage: summarize.py LIB_RS LIST_JSON LABEL:SEED:PREFIX...

PREFIX.json is `cargo abuse run --json` output, PREFIX.secs its wall-clock. Each wrapper's doc comment names its
advisory (`/// RUSTSEC-YYYY-NNNN, crate x.y.z (...)`) or says `/// Correct: ...`. An advisory counts as found when
the wrapper's first failing property has the advisory's kind (EXPECTED below; for panics the message must also
point into the vulnerable crate); a failure of another kind is listed as `other`. Any failure of a correct
function is a false alarm.

Since the runtime reports every distinct root cause of a property (up to three: after the first failure it keeps
looking in the cases left, `root_cause` 2 and 3 in the records), a second count, **found (any root cause)**,
counts an advisory as found when any failure this run's property tests (or fuzzing) reported for the wrapper has
the advisory's kind (not a kept regression: the seeds share run.sh's work dir, so a later seed replays the inputs an
earlier one kept); the first count
(**found (first failure)**) is kept, so runs of older binaries compare. The table's cells show the any-root-cause
verdict, with the first failure's when it differs.

Shrunk size: the `input_size` (elements and bytes of the shrunk input, as the runtime records it) of each advisory
wrapper's first failure whose input holds a string, byte string or collection; its median per run.
"""

import json
import re
import sys

# function -> (class, accepted kinds, panic-site pattern or None). For timeouts, INPUT_SHAPE below must match too:
# a timeout on a huge input that merely takes long in the unoptimised test build (the fixed release times out on
# it as well) is not the advisory's bug.
EXPECTED = {
    "yaml_document_count": ("recursion", {"crash"}, None),
    "yaml_is_valid": ("recursion", {"crash"}, None),
    "json_is_valid": ("recursion", {"crash"}, None),
    "cbor_is_valid": ("recursion", {"crash"}, None),
    "json_wasm_is_well_formed": ("recursion", {"crash"}, None),
    "rulex_is_valid": ("recursion", {"crash"}, None),
    "protobuf_empty_decodes": ("recursion", {"crash"}, None),
    "rfc2822_timestamp": ("recursion", {"crash"}, None),
    "rulex_to_regex": ("multi-byte slicing panic", {"panic"}, r"rulex-0\.4\.2"),
    "der_block_count": ("multi-byte slicing panic", {"panic"}, r"simple_asn1-0\.6\.0"),
    "blurhash_pixels": ("multi-byte/index panic", {"panic"}, r"blurhash-0\.1\.1"),
    "bcrypt_check": ("multi-byte slicing panic", {"panic"}, r"bcrypt-0\.19\.0"),
    "hpack_header_count": ("index/arith panic", {"panic"}, r"hpack-0\.3\.0"),
    "multihash_algorithm": ("unchecked code panic", {"panic"}, r"multihash-0\.11\.2"),
    "mp3_duration_secs": ("index panic", {"panic"}, r"mp3-metadata-0\.3\.4"),
    "branca_payload": ("malformed-input panic", {"panic"}, r"branca-0\.9\.2"),
    "hstore_entry_count": ("length-field panic", {"panic"}, r"postgres-protocol-0\.6\.11"),
    "ber_is_well_formed": ("length-field panic", {"panic"}, r"bcder-0\.7\.2"),
    "cookie_max_age_secs": ("number out of range (panic)", {"panic"}, r"time-0\.1|cookie-0\.7"),
    "header_map_capacity": ("integer overflow (panic/hang)", {"panic", "timeout"}, r"http-0\.1\.19|overflow"),
    "der_value_len": ("huge allocation", {"alloc", "crash"}, None),
    "msgpack_is_valid": ("huge allocation", {"alloc", "crash"}, None),
    "exif_field_count": ("infinite loop", {"timeout"}, None),
    "duration_millis": ("exponential time", {"timeout", "alloc"}, None),
    "regex_compiles": ("exponential time", {"timeout"}, None),
    "xml_attribute_count": ("quadratic time", {"timeout"}, None),
}


# function -> pattern the failing input (as Rust) must contain for a timeout to count as the advisory's bug.
INPUT_SHAPE = {
    "regex_compiles": r"\{\d{3,}",        # a large counted repetition
    "xml_attribute_count": r"=",            # attributes in a start tag
    "duration_millis": r"[eE]",             # an exponent
}


def corpus(lib_rs):
    """function -> (advisory id or 'correct', crate@version)"""
    out, doc = {}, None
    for line in open(lib_rs, encoding="utf-8"):
        m = re.match(r"/// (RUSTSEC-\d{4}-\d{4}), (\S+) (\S+)", line)
        if m:
            doc = (m.group(1), f"{m.group(2)}@{m.group(3)}")
        elif line.startswith("/// Correct:"):
            doc = ("correct", line[len("/// Correct:"):].strip().split(" (")[0])
        m = re.match(r"pub fn (\w+)", line)
        if m and doc:
            out[m.group(1)] = doc
            doc = None
    return out


def load(prefix):
    results = {}
    for line in open(prefix + ".json", encoding="utf-8"):
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        if r.get("record") != "function":
            continue
        failed = [p for p in r["properties"] if p["outcome"] != "pass"]
        results[r["function"]] = failed if failed else None
    try:
        secs = float(open(prefix + ".secs").read())
    except (OSError, ValueError):
        secs = float("nan")
    return results, secs


def has_collection(fail):
    """Whether a failure's input (a Rust expression) holds a string, byte string or collection."""
    expr = fail.get("input") or ""
    return '"' in expr or "vec!" in expr or "[" in expr


def median_of(values):
    v = sorted(values)
    if not v:
        return float("nan")
    mid = len(v) // 2
    return v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2


def verdict(fn, fail):
    if fail is None:
        return "-", None
    _, kinds, site = EXPECTED.get(fn, ("", set(), None))
    kind = fail.get("kind") or fail.get("outcome")
    ok = kind in kinds and (site is None or kind != "panic" or re.search(site, fail.get("message") or ""))
    shape = INPUT_SHAPE.get(fn)
    if ok and kind == "timeout" and shape and not re.search(shape, fail.get("input") or ""):
        ok = False
    return ("**found**" if ok else "other") + f" ({kind}, {fail.get('elapsed_ms')} ms)", ok


def main():
    lib_rs, _list_json, runs = sys.argv[1], sys.argv[2], sys.argv[3:]
    fns = corpus(lib_rs)
    loaded = []
    for spec in runs:
        label, seed, prefix = spec.split(":", 2)
        loaded.append((f"{label} seed {seed}", *load(prefix)))
    heads = [name for name, _, _ in loaded]
    print("| function | advisory | crate | class | " + " | ".join(heads) + " |")
    print("| --- | --- | --- | --- | " + " | ".join("---" for _ in heads) + " |")
    found = {name: 0 for name in heads}
    found_any = {name: 0 for name in heads}
    per_class = {name: {} for name in heads}
    alarms = {name: [] for name in heads}
    times = {name: [] for name in heads}
    first_times = {name: [] for name in heads}
    sizes = {name: [] for name in heads}
    others = []
    advisories = [f for f, (adv, _) in fns.items() if adv != "correct"]
    correct = [f for f, (adv, _) in fns.items() if adv == "correct"]
    for fn in advisories + correct:
        adv, crate = fns[fn]
        cls = EXPECTED.get(fn, ("correct", None, None))[0] if adv != "correct" else "correct"
        cells = []
        for name, results, _ in loaded:
            fails = results.get(fn, "absent")
            if fails == "absent":
                cells.append("not run")
                continue
            fail = fails[0] if fails else None
            if adv == "correct":
                cell = "pass" if fail is None else f"FALSE ALARM ({fail.get('kind')})"
                if fail is not None:
                    alarms[name].append(fn)
            else:
                cell, ok = verdict(fn, fail)
                # Any reported root cause (the runtime's further root causes, `root_cause` 2 and 3).
                # Not a kept regression: run.sh's seeds share the work dir, so a later seed replays what an
                # earlier one kept; only what this run's property tests (or fuzzing) found counts.
                hit = next((f for f in (fails or []) if f.get("source") != "regression" and verdict(fn, f)[1]),
                           None)
                cls = EXPECTED.get(fn, ("?", None, None))[0]
                c = per_class[name].setdefault(cls, [0, 0, 0])
                c[0] += 1
                if fail is not None and has_collection(fail) and fail.get("input_size") is not None:
                    sizes[name].append((fail["input_size"], fail.get("kind")))
                if ok:
                    found[name] += 1
                    c[1] += 1
                    times[name].append(fail.get("elapsed_ms") or 0)
                elif fail is not None:
                    others.append((name, fn, fail))
                if hit is not None:
                    found_any[name] += 1
                    c[2] += 1
                    first_times[name].append(fail.get("first_failure_ms") or 0)
                    if not ok:
                        cell = verdict(fn, hit)[0] + f" (root cause {hit.get('root_cause') or 1}; first: {cell})"
            cells.append(cell)
        print(f"| `{fn}` | {adv} | {crate} | {cls} | " + " | ".join(cells) + " |")
    print()
    print(f"advisories: {len(advisories)}, correct functions: {len(correct)}")
    for name, _, secs in loaded:
        t = sorted(times[name])
        median = t[len(t) // 2] if t else float("nan")
        all_sizes = [n for n, _ in sizes[name]]
        # A stack overflow (`crash`) needs a nesting deep enough to overflow: its size is that depth.
        no_crash = [n for n, kind in sizes[name] if kind != "crash"]
        shrunk = f"{median_of(all_sizes):.0f}" if all_sizes else "-"
        if no_crash:
            shrunk += f" ({median_of(no_crash):.0f} without stack overflows, {len(no_crash)} of them)"
        ft = sorted(first_times[name])
        first_median = ft[len(ft) // 2] if ft else float("nan")
        print(f"- {name}: found (any root cause) {found_any[name]}/{len(advisories)} "
              f"({100.0 * found_any[name] / len(advisories):.0f}%), median first_failure_ms {first_median} ms "
              f"(time from the property's start to its first failing case, before shrinking)")
        print("  per class (found first failure / any root cause of n): " + "; ".join(
            f"{cls} {c[1]}/{c[2]} of {c[0]}" for cls, c in per_class[name].items()))
        print(f"  found (first failure) {found[name]}/{len(advisories)} ({100.0 * found[name] / len(advisories):.0f}%), "
              f"false alarms {len(alarms[name])}/{len(correct)} {alarms[name]}, "
              f"median time to first failure {median} ms (the property's elapsed time), wall-clock {secs:.0f} s, "
              f"median shrunk input size {shrunk} (elements + bytes, {len(sizes[name])} string/collection failures "
              f"of advisory wrappers, {sum(1 for x in all_sizes if x <= 16)} at most 16)")
    if others:
        print()
        print("failures of another kind than the advisory's (not counted as found):")
        for name, fn, fail in others:
            print(f"- {name} `{fn}`: {fail.get('kind')}: {(fail.get('message') or '')[:160]} "
                  f"input {(fail.get('input') or '')[:100]}")
    for name, results, _ in loaded:
        for fn in alarms[name]:
            fail = results[fn][0]
            print(f"- {name} false alarm `{fn}`: {fail.get('kind')}: {(fail.get('message') or '')[:160]} "
                  f"input {(fail.get('input') or '')[:100]}")


if __name__ == "__main__":
    main()
