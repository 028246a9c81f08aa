//! End-to-end: `fixtures/sequences` (what `benches/sequences/run.sh` runs). Its committed harnesses are what
//! `cargo abuse gen` writes today, every type gets a sequence property, and a real run catches the planted
//! sequence bugs through each check a sequence makes: an `invariant` after a call, a call's output against its
//! `model`, a panic, while the correct types (module `ok`, one of them with a `&mut self` method's `ensures`
//! checked mid-sequence, against the receiver as it was before the call) pass.

mod util;

use std::path::Path;

use serde_json::Value;
use util::{
    build_lock, cargo_abuse, cargo_abuse_shared, copy_fixture, repo_root, run, run_records, walk,
};

/// Every type of the fixture: the nine with a planted sequence bug, then the five correct ones.
const BUGGY: [&str; 9] = [
    "RingBuffer",
    "IndexedSet",
    "Multiset",
    "LruCache",
    "MinStack",
    "IdAllocator",
    "SortedSet",
    "Stats",
    "Editor",
];
const CORRECT: [&str; 5] = [
    "ok::Fifo",
    "ok::BoundedCounter",
    "ok::BoundedStack",
    "ok::Histogram",
    "ok::Lru",
];

/// `fixtures/sequences` with its committed `tests/abuse/` and `fuzz/`, at the same depth in a temp dir, its
/// dependencies pointed at this checkout (`runtime-path` stays relative, as `gen` wrote it).
fn committed_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("create a temp dir");
    let src = repo_root().join("fixtures/sequences");
    let dir = tmp.path().join("fixtures/sequences");
    for file in walk(&src) {
        let rel = file.strip_prefix(&src).expect("under the fixture");
        if rel.starts_with("target") || rel.starts_with("fuzz/corpus") {
            continue;
        }
        let to = dir.join(rel);
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("create dir");
        std::fs::copy(&file, &to).expect("copy file");
    }
    let manifest = dir.join("Cargo.toml");
    let root = repo_root().to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(&manifest).expect("read manifest");
    let fixed: String = text
        .lines()
        .map(|l| {
            if l.starts_with("abuse-macros = ") || l.starts_with("abuse-runtime = ") {
                l.replace("path = \"../../", &format!("path = \"{root}/"))
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(&manifest, fixed).expect("write manifest");
    (tmp, dir)
}

fn harness_files(dir: &Path) -> Vec<String> {
    walk(dir)
        .into_iter()
        .map(|p| {
            p.strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| p.starts_with("tests/abuse/") || p.starts_with("fuzz/"))
        .collect()
}

#[test]
fn the_sequences_harnesses_are_current() {
    let (_tmp, dir) = committed_copy();
    let before = harness_files(&dir);
    for ty in ["ring_buffer", "id_allocator", "bounded_stack", "stats"] {
        assert!(
            before.contains(&format!("tests/abuse/{ty}__sequence.rs")),
            "fixtures/sequences ships its generated sequence harnesses: {before:#?}"
        );
    }
    let (code, out, err) = run(cargo_abuse(&dir).args(["gen", "--check"]));
    assert_eq!(
        code, 0,
        "fixtures/sequences' committed harnesses are missing or stale: run `cargo abuse gen` in \
         fixtures/sequences and commit the result\n{out}\n{err}"
    );
    assert_eq!(harness_files(&dir), before, "--check writes nothing");
}

#[test]
fn every_type_gets_a_sequence_property() {
    let (_tmp, dir) = committed_copy();
    let (code, out, err) = run(cargo_abuse(&dir).arg("list"));
    assert_eq!(code, 0, "{err}");
    let section = out
        .split("Sequence properties:")
        .nth(1)
        .unwrap_or_else(|| panic!("list names the sequence properties:\n{out}"));
    for ty in BUGGY.iter().chain(&CORRECT) {
        assert!(
            section.contains(&format!("  sequences::{ty}: ")),
            "{ty} has a sequence property:\n{out}"
        );
    }
}

fn sequence_property(records: &std::collections::BTreeMap<String, Value>, ty: &str) -> Value {
    let record = records
        .get(ty)
        .unwrap_or_else(|| panic!("a record for {ty}: {:?}", records.keys()));
    record["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .find(|p| p["property"] == "sequence")
        .unwrap_or_else(|| panic!("{ty} has a sequence property: {record:#}"))
        .clone()
}

#[test]
fn invariants_models_and_panics_catch_sequence_bugs_and_correct_types_pass() {
    let fx = copy_fixture("sequences");
    let (code, _, err) = run(cargo_abuse(&fx.dir).args(["gen", "-q"]));
    assert_eq!(code, 0, "{err}");
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--json", "--seed", "1"],
    ));
    assert_eq!(code, 1, "the planted bugs fail the run\n{out}\n{err}");
    let (records, _) = run_records(&out);

    // Every correct type's sequence passes: no false alarm from a model, an invariant or a mid-sequence
    // `ensures` (BoundedStack::push's sees the stack before the push; after it, `len < capacity` would be false
    // on the push that fills it).
    for ty in CORRECT {
        let p = sequence_property(&records, ty);
        assert_eq!(p["outcome"], "pass", "{ty}: {p:#}");
        assert!(p["cases"].as_u64().is_some_and(|c| c > 0), "{ty}: {p:#}");
    }
    // An invariant broken by the call after which it is checked.
    for (ty, invariant, call) in [
        ("IdAllocator", "IdAllocator::is_consistent", "(`free`)"),
        ("SortedSet", "SortedSet::is_sorted", "(`insert`)"),
    ] {
        let p = sequence_property(&records, ty);
        assert_eq!(p["outcome"], "fail", "{ty}: {p:#}");
        let message = p["message"].as_str().expect("a message");
        assert!(
            message.contains(&format!("invariant `{invariant}` does not hold after call"))
                && message.contains(call),
            "{ty}: {message}"
        );
    }
    // A call whose output differs from the model's, both outputs shown.
    for ty in ["RingBuffer", "LruCache", "MinStack"] {
        let p = sequence_property(&records, ty);
        assert_eq!(p["outcome"], "fail", "{ty}: {p:#}");
        let message = p["message"].as_str().expect("a message");
        assert!(
            message.contains("on the model `") && message.contains("left: Some("),
            "{ty}: {message}"
        );
    }
    // A panic that needs two calls.
    for ty in ["Stats", "Editor"] {
        let p = sequence_property(&records, ty);
        assert_eq!(p["outcome"], "fail", "{ty}: {p:#}");
        assert_eq!(p["rule"], "abuse/panic", "{ty}: {p:#}");
    }
    // The failing sequences print as statements on one value, shrunk to the few calls that matter.
    let ring = sequence_property(&records, "RingBuffer");
    let input = ring["input"].as_str().expect("an input");
    assert!(
        input.starts_with("let raw = ")
            && input.contains("; let mut r = ")
            && input.contains("r.push(")
            && input.contains("r.pop()"),
        "{input}"
    );
    let editor = sequence_property(&records, "Editor");
    let calls = editor["input"]
        .as_str()
        .expect("an input")
        .matches(" r.")
        .count();
    assert_eq!(calls, 2, "right, then insert: {editor:#}");
    // The per-method harnesses of the same types find none of these bugs: each calls one method on a fresh
    // value.
    for ty in BUGGY {
        let prefix = format!("{ty}::");
        let methods: Vec<(&String, &Value)> = records
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .collect();
        assert!(
            methods.len() >= 2,
            "{ty}'s methods have their own harnesses"
        );
        for (name, r) in methods {
            assert_eq!(r["status"], "pass", "{name} ({ty}'s method) alone: {r:#}");
        }
    }
}
