//! End-to-end: the committed harnesses of `fixtures/planted-bugs` (what `benches/planted/run.sh` runs) are
//! what `cargo abuse gen` writes today, every planted function has one, and they compile.

mod util;

use std::path::Path;

use util::{build_lock, cargo, cargo_abuse, repo_root, run, walk};

/// `fixtures/planted-bugs` with its committed `tests/abuse/` and `fuzz/`, in a temp dir at the same depth
/// (`<tmp>/fixtures/planted-bugs`), its dependencies pointed at this checkout. `runtime-path` stays relative:
/// `gen` derives the runtime paths it writes from it, so they match the committed ones.
fn committed_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("create a temp dir");
    let src = repo_root().join("fixtures/planted-bugs");
    let dir = tmp.path().join("fixtures/planted-bugs");
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
fn the_planted_bugs_harnesses_are_current() {
    let (_tmp, dir) = committed_copy();
    let before = harness_files(&dir);
    assert!(
        before.contains(&"tests/abuse/main.rs".to_string()),
        "fixtures/planted-bugs ships its generated harnesses: {before:#?}"
    );
    let (code, out, err) = run(cargo_abuse(&dir).args(["gen", "--check"]));
    assert_eq!(
        code, 0,
        "fixtures/planted-bugs' committed harnesses are missing or stale: run `cargo abuse gen` in \
         fixtures/planted-bugs and commit the result\n{out}\n{err}"
    );
    assert_eq!(harness_files(&dir), before, "--check writes nothing");
}

#[test]
fn every_planted_function_has_a_harness() {
    let (_tmp, dir) = committed_copy();
    let (code, out, err) = run(cargo_abuse(&dir).args(["list", "--json"]));
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("list --json");
    let functions = json["functions"].as_array().expect("functions");
    // 25 planted bugs and 8 correct functions (module `ok`).
    assert_eq!(functions.len(), 33, "{out}");
    assert_eq!(
        functions
            .iter()
            .filter(|f| f["path"].as_str().is_some_and(|p| p.starts_with("ok::")))
            .count(),
        8,
        "{out}"
    );
    let unserved: Vec<String> = functions
        .iter()
        .filter(|f| f["harness"]["state"] != "current")
        .map(|f| format!("{}: {}", f["path"], f["harness"]))
        .collect();
    assert!(unserved.is_empty(), "{unserved:#?}");
}

#[test]
fn the_committed_harnesses_compile() {
    let (_tmp, dir) = committed_copy();
    let _lock = build_lock();
    let (code, _, err) = run(&mut cargo(&dir, &["test", "--test", "abuse", "--no-run"]));
    assert_eq!(
        code, 0,
        "the generated harnesses of fixtures/planted-bugs do not build:\n{err}"
    );
}
