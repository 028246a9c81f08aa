//! End-to-end: `cargo abuse gen` on copies of `fixtures/signatures` and `fixtures/demo`: what it writes
//! (snapshots of the signatures fixture, checked to parse first; the demo's generated files are committed in
//! `fixtures/demo` and compared with `gen`'s output), that it compiles, and how it behaves on reruns, edits
//! and `--check`.

mod util;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use util::{
    cargo, cargo_abuse, copy_fixture, generated_rust_files, read, run, snapshot_tree, Fixture,
};

/// Every generated Rust file parses with syn; returns them concatenated under `==> path <==` headers, with
/// the machine-dependent runtime path redacted, for one snapshot per fixture and area.
fn parsed_and_joined(dir: &Path, files: &[PathBuf]) -> String {
    let mut out = String::new();
    for rel in files {
        let text = read(&dir.join(rel));
        if rel.extension().is_some_and(|e| e == "rs") {
            if let Err(e) = syn::parse_file(&text) {
                panic!(
                    "{} does not parse: {e} at {:?}\n{text}",
                    rel.display(),
                    e.span().start()
                );
            }
        }
        out.push_str(&format!("==> {} <==\n{}\n", rel.display(), redact(&text)));
    }
    out
}

fn redact(text: &str) -> String {
    // The runtime's path depends on where the repository is checked out, and so does the checksum of a manifest
    // that names it.
    let machine_dependent = text.contains("abuse-runtime = { path = \"");
    text.lines()
        .map(|l| match l.find("abuse-runtime = { path = \"") {
            Some(i) => format!("{}abuse-runtime = {{ path = \"[runtime]\" }}", &l[..i]),
            None if machine_dependent && l.starts_with("# checksum: ") => {
                "# checksum: [redacted]".to_string()
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The signatures fixture, generated and compiled once for the tests of this file.
struct Compiled {
    fx: Fixture,
    gen_stderr: String,
    list: serde_json::Value,
    /// `cargo test --test abuse --no-run`: (exit code, stderr).
    integration: (i32, String),
    /// `cargo test --lib --no-run` (the in-crate harnesses): (exit code, stderr).
    in_crate: (i32, String),
}

fn signatures() -> &'static Compiled {
    static ONCE: OnceLock<Compiled> = OnceLock::new();
    ONCE.get_or_init(|| {
        let fx = copy_fixture("signatures");
        let (code, _, gen_stderr) = run(cargo_abuse(&fx.dir).arg("gen"));
        assert_eq!(code, 0, "{gen_stderr}");
        let (code, out, err) = run(cargo_abuse(&fx.dir).args(["list", "--json"]));
        assert_eq!(code, 0, "{err}");
        let list = serde_json::from_str(&out).expect("list --json");
        let _lock = util::build_lock();
        util::touch_all(&fx.dir);
        let (c1, _, e1) = run(&mut cargo(
            &fx.dir,
            &["test", "--test", "abuse", "--no-run"],
        ));
        let (c2, _, e2) = run(&mut cargo(&fx.dir, &["test", "--lib", "--no-run"]));
        Compiled {
            fx,
            gen_stderr,
            list,
            integration: (c1, e1),
            in_crate: (c2, e2),
        }
    })
}

#[test]
fn signatures_harnesses_parse_and_match_the_snapshot() {
    let c = signatures();
    let files: Vec<PathBuf> = generated_rust_files(&c.fx.dir)
        .into_iter()
        .filter(|p| !p.starts_with("fuzz"))
        .collect();
    assert!(files.len() > 30, "{files:?}");
    insta::assert_snapshot!("signatures_harnesses", parsed_and_joined(&c.fx.dir, &files));
}

#[test]
fn signatures_fuzz_targets_parse_and_match_the_snapshot() {
    let c = signatures();
    let mut files: Vec<PathBuf> = generated_rust_files(&c.fx.dir)
        .into_iter()
        .filter(|p| p.starts_with("fuzz"))
        .collect();
    assert!(files.len() > 30, "{files:?}");
    files.insert(0, PathBuf::from("fuzz/Cargo.toml"));
    insta::assert_snapshot!("signatures_fuzz", parsed_and_joined(&c.fx.dir, &files));
}

/// The demo fixture ships its generated files (the README runs them), and they are the only copy: they are
/// what `gen` writes from the sources alone, byte for byte, and `gen --check` on the fixture in place passes
/// (writing nothing in it).
#[test]
fn the_demo_ships_exactly_what_gen_writes_and_gen_check_passes_in_place() {
    let shipped = util::repo_root().join("fixtures/demo");

    let fx = copy_fixture("demo");
    let sources = util::walk(&fx.dir);
    let (code, _, err) = run(cargo_abuse(&fx.dir).arg("gen"));
    assert_eq!(code, 0, "{err}");
    let written: Vec<PathBuf> = util::walk(&fx.dir)
        .into_iter()
        .filter(|p| !sources.contains(p))
        .map(|p| p.strip_prefix(&fx.dir).expect("in the copy").to_path_buf())
        .filter(|p| !p.starts_with("target"))
        .collect();
    assert!(written.len() > 20, "{written:?}");
    for rel in &written {
        let fresh = read(&fx.dir.join(rel));
        let path = shipped.join(rel);
        assert!(path.is_file(), "the demo does not ship {}", rel.display());
        let committed = read(&path);
        // Each generated Rust file parses.
        parsed_and_joined(&fx.dir, std::slice::from_ref(rel));
        if rel == Path::new("tests/abuse/regressions.rs") {
            // Created once, then `run` appends the failing inputs it finds.
            assert!(committed.starts_with(&fresh), "{committed}");
        } else if rel == Path::new("fuzz/Cargo.toml") {
            // The copy names the runtime by another relative path.
            assert_eq!(redact(&committed), redact(&fresh));
        } else {
            assert!(
                committed == fresh,
                "{} differs from what `gen` writes now: rerun `cargo abuse gen` in fixtures/demo",
                rel.display()
            );
        }
    }
    // And the demo ships no generated file `gen` would not write.
    for rel in demo_files(&shipped) {
        let generated = rel.starts_with("tests") || rel.starts_with("fuzz");
        assert!(
            !generated || written.contains(&rel),
            "{} is not generated any more",
            rel.display()
        );
    }

    let target = tempfile::tempdir().expect("a temp dir");
    let stamps = || -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
        demo_files(&shipped)
            .into_iter()
            .map(|rel| {
                let path = shipped.join(&rel);
                let modified = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .expect("mtime");
                (rel, std::fs::read(&path).expect("read"), modified)
            })
            .collect()
    };
    let before = stamps();
    let (code, out, err) = run(cargo_abuse(&shipped)
        .args(["gen", "--check", "--target-dir"])
        .arg(target.path()));
    assert_eq!(code, 0, "gen --check on fixtures/demo:\n{out}{err}");
    assert!(stamps() == before, "gen --check wrote into fixtures/demo");
}

/// The demo's own files, relative: the manifest and lock file, the sources and the generated files, not
/// `target/` (nor what `cargo fuzz` leaves in `fuzz/`), which builds of the README's demo fill.
fn demo_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![
        PathBuf::from("Cargo.toml"),
        PathBuf::from("Cargo.lock"),
        PathBuf::from("fuzz/Cargo.toml"),
    ];
    for sub in [
        "src",
        "tests",
        "fuzz/fuzz_targets",
        "fuzz/dict",
        "fuzz/seeds",
    ] {
        if dir.join(sub).is_dir() {
            files.extend(
                util::walk(&dir.join(sub))
                    .into_iter()
                    .map(|p| p.strip_prefix(dir).expect("in the fixture").to_path_buf()),
            );
        }
    }
    files.sort();
    files
}

#[test]
fn the_generated_test_targets_compile() {
    let c = signatures();
    assert_eq!(
        c.integration.0, 0,
        "cargo test --test abuse --no-run failed:\n{}",
        c.integration.1
    );
    assert_eq!(
        c.in_crate.0, 0,
        "cargo test --lib --no-run failed:\n{}",
        c.in_crate.1
    );
    // And the builds produced the harnesses' test binaries, not nothing.
    assert!(
        c.integration.1.contains("Executable tests/abuse/main.rs"),
        "{}",
        c.integration.1
    );
    assert!(
        c.in_crate.1.contains("Executable unittests src/lib.rs"),
        "{}",
        c.in_crate.1
    );
}

#[test]
fn the_generated_test_targets_compile_without_warnings() {
    let c = signatures();
    for (what, (_, stderr)) in [
        ("test \"abuse\"", &c.integration),
        ("lib test", &c.in_crate),
    ] {
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .collect();
        assert!(
            !stderr.contains(&format!("`signatures` ({what}) generated")),
            "generated code of `{what}` has warnings: {warnings:#?}"
        );
    }
}

#[test]
fn every_supported_kind_has_a_harness_and_the_unsupported_one_a_reason() {
    let c = signatures();
    let functions = c.list["functions"].as_array().expect("functions");
    let expected = [
        "add_u8",
        "abs_diff_i64",
        "is_finite_f64",
        "half_f32",
        "xor",
        "char_width",
        "count_chars",
        "shout",
        "checksum",
        "sorted",
        "max_of",
        "sum4",
        "or_zero",
        "swap",
        "unbox",
        "map_total",
        "first_key",
        "distinct",
        "set_max",
        "extension_of",
        "depth",
        "is_internal",
        "millis",
        "byte_len",
        "larger",
        "manhattan",
        "is_known",
        "double_later",
        "answer",
        "apply",
        "private::to_ascii",
        "shapes::Celsius::new",
        "shapes::Celsius::fahrenheit",
        "shapes::Celsius::warm",
        "shapes::Celsius::into_inner",
        "shapes::Version::bump",
        "shapes::Version::compatible",
        "shapes::Point::diagonal",
    ];
    let paths: Vec<&str> = functions
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    let mut sorted_paths = paths.clone();
    sorted_paths.sort();
    let mut sorted_expected = expected.to_vec();
    sorted_expected.sort();
    assert_eq!(sorted_paths, sorted_expected);
    for f in functions {
        let path = f["path"].as_str().expect("path");
        let state = f["harness"]["state"].as_str().expect("harness state");
        if path == "apply" {
            assert_eq!(state, "unsupported", "{f:#}");
            let reason = f["harness"]["reason"]
                .as_str()
                .unwrap_or_else(|| panic!("a reason: {f:#}"));
            assert!(
                reason.contains("strategy(") && reason.contains("`f`"),
                "{reason}"
            );
        } else {
            assert_eq!(state, "current", "{path}: {f:#}");
        }
    }
    assert!(
        c.gen_stderr.contains("`apply` has no harness") && c.gen_stderr.contains("strategy(...)"),
        "{}",
        c.gen_stderr
    );
    // Each harnessed function has its module: integration tests for public ones, the crate's own for the private one.
    let dir = &c.fx.dir;
    for name in [
        "add_u8",
        "larger",
        "double_later",
        "answer",
        "shapes__celsius__warm",
        "shapes__version__compatible",
    ] {
        assert!(
            dir.join(format!("tests/abuse/{name}.rs")).is_file(),
            "{name}"
        );
    }
    assert!(!dir.join("tests/abuse/apply.rs").exists());
    assert!(dir.join("src/abuse_tests/private__to_ascii.rs").is_file());
}

#[test]
fn no_note_to_add_the_abuse_tests_module_when_the_crate_root_has_it() {
    // lib.rs of the fixture already has `#[cfg(test)] mod abuse_tests;` (its file does not exist yet).
    let c = signatures();
    assert!(
        !c.gen_stderr.contains("add `#[cfg(test)] mod abuse_tests;`"),
        "gen asks for a line the crate root already has:\n{}",
        c.gen_stderr
    );
}

#[test]
fn second_gen_rewrites_nothing() {
    let fx = copy_fixture("demo");
    let (code, _, err) = run(cargo_abuse(&fx.dir).arg("gen"));
    assert_eq!(code, 0, "{err}");
    let before = snapshot_tree(&fx.dir);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (code, out, err) = run(cargo_abuse(&fx.dir).arg("gen"));
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("created") && !err.contains("updated"),
        "{out}{err}"
    );
    let after = snapshot_tree(&fx.dir);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.0, a.0);
        assert!(b.1 == a.1, "{} changed", b.0.display());
        assert_eq!(b.2, a.2, "{} was rewritten (mtime changed)", b.0.display());
    }
}

#[test]
fn check_passes_when_current_and_names_stale_and_missing_files() {
    let fx = copy_fixture("demo");
    let (code, _, err) = run(cargo_abuse(&fx.dir).args(["gen", "--check"]));
    assert_eq!(code, 1, "nothing generated yet: {err}");
    assert!(err.contains("tests/abuse/parse_port.rs"), "{err}");
    assert!(!fx.dir.join("tests").exists(), "--check writes nothing");
    assert!(
        !read(&fx.dir.join("Cargo.toml")).contains("[dev-dependencies]"),
        "--check leaves the manifest"
    );

    let (code, _, err) = run(cargo_abuse(&fx.dir).arg("gen"));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(cargo_abuse(&fx.dir).args(["gen", "--check"]));
    assert_eq!(code, 0, "{out}{err}");

    let lib = fx.dir.join("src/lib.rs");
    util::edit(&lib, "p.clamp(0, 100) as u8", "p.clamp(0, 99) as u8");
    let (code, out, err) = run(cargo_abuse(&fx.dir).args(["gen", "--check"]));
    assert_eq!(code, 1, "{out}{err}");
    let all = format!("{out}{err}");
    assert!(
        all.contains("tests/abuse/clamp_percent.rs"),
        "names the stale harness: {all}"
    );
    assert!(
        !all.contains("tests/abuse/parse_port.rs"),
        "only the stale one: {all}"
    );

    let (code, _, err) = run(cargo_abuse(&fx.dir).arg("gen"));
    assert_eq!(code, 0, "{err}");
    std::fs::remove_file(fx.dir.join("tests/abuse/mean.rs")).expect("delete");
    let (code, out, err) = run(cargo_abuse(&fx.dir).args(["gen", "--check"]));
    assert_eq!(code, 1, "{out}{err}");
    let all = format!("{out}{err}");
    assert!(
        all.contains("tests/abuse/mean.rs"),
        "names the missing harness: {all}"
    );
    assert!(
        !fx.dir.join("tests/abuse/mean.rs").exists(),
        "--check writes nothing"
    );
}

#[test]
fn an_edited_generated_file_is_kept_unless_forced() {
    let fx = copy_fixture("demo");
    let (code, _, err) = run(cargo_abuse(&fx.dir).arg("gen"));
    assert_eq!(code, 0, "{err}");
    let harness = fx.dir.join("tests/abuse/to_hex.rs");
    let edited = format!("{}\n// my own note\n", read(&harness));
    std::fs::write(&harness, &edited).expect("edit");
    // A source change makes the harness stale, so gen would want to rewrite it.
    util::edit(
        &fx.dir.join("src/lib.rs"),
        "format!(\"{b:02x}\")",
        "format!(\"{:02x}\", b)",
    );

    let (code, out, err) = run(cargo_abuse(&fx.dir).arg("gen"));
    assert_ne!(
        code, 0,
        "gen reports that it kept an edited file: {out}{err}"
    );
    assert!(
        format!("{out}{err}").contains("tests/abuse/to_hex.rs"),
        "{out}{err}"
    );
    assert!(format!("{out}{err}").contains("--force"), "{out}{err}");
    assert_eq!(read(&harness), edited, "the edited file is not overwritten");

    let (code, out, err) = run(cargo_abuse(&fx.dir).args(["gen", "--force"]));
    assert_eq!(code, 0, "{out}{err}");
    let now = read(&harness);
    assert!(!now.contains("my own note"), "--force overwrites it");
    assert!(now.starts_with("// @generated"), "{now}");
}

#[test]
fn gen_writes_only_inside_the_package_folder() {
    let fx = copy_fixture("demo");
    let outer = fx
        .dir
        .parent()
        .expect("fixtures")
        .parent()
        .expect("tmp root")
        .to_path_buf();
    let before: Vec<PathBuf> = util::walk(&outer)
        .into_iter()
        .filter(|p| !p.starts_with(&fx.dir))
        .collect();
    let (code, _, err) = run(cargo_abuse(&fx.dir).arg("gen"));
    assert_eq!(code, 0, "{err}");
    let after: Vec<PathBuf> = util::walk(&outer)
        .into_iter()
        .filter(|p| !p.starts_with(&fx.dir))
        .collect();
    assert_eq!(
        before,
        after,
        "nothing written outside {}",
        fx.dir.display()
    );
    assert!(fx.dir.join("tests/abuse/main.rs").is_file());
}

/// The demo manifest with formatting a user might have: comments, odd spacing, inline tables.
fn odd_manifest(fx: &Fixture) -> String {
    let manifest = fx.dir.join("Cargo.toml");
    let text = read(&manifest)
        .replace("version = \"0.1.0\"", "version   =   \"0.1.0\"   # keep this comment")
        .replace("[dependencies]\n", "[dependencies]  # deps\n# a comment line\nserde_json = { version = \"1\" , default-features=false }\n");
    std::fs::write(&manifest, &text).expect("write manifest");
    text
}

#[test]
fn gen_adds_the_runtime_dev_dependency_keeping_every_other_byte() {
    let fx = copy_fixture("demo");
    let before = odd_manifest(&fx);
    let (code, _, err) = run(cargo_abuse(&fx.dir).arg("gen"));
    assert_eq!(code, 0, "{err}");
    let after = read(&fx.dir.join("Cargo.toml"));
    assert_ne!(before, after);
    // Every change is an insertion of the `[dev-dependencies]` table with the runtime (and blank lines).
    let diff = similar::TextDiff::from_lines(&before, &after);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Equal => {}
            similar::ChangeTag::Delete => {
                panic!("removed a line of the manifest: {change:?}\n{after}")
            }
            similar::ChangeTag::Insert => {
                let line = change.value().trim();
                assert!(
                    line.is_empty()
                        || line == "[dev-dependencies]"
                        || line.starts_with("abuse-runtime = "),
                    "unexpected inserted line {line:?}\n{after}"
                );
            }
        }
    }
    let doc: toml_edit::DocumentMut = after.parse().expect("manifest is TOML");
    let runtime = doc["dev-dependencies"]["abuse-runtime"]["path"]
        .as_str()
        .expect("a path dependency");
    let resolved = fx
        .dir
        .join(runtime)
        .canonicalize()
        .expect("the path exists");
    assert_eq!(
        resolved,
        util::repo_root()
            .join("abuse-runtime")
            .canonicalize()
            .expect("repo runtime")
    );
    // And a second gen leaves it alone.
    let (code, _, err) = run(cargo_abuse(&fx.dir).arg("gen"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&fx.dir.join("Cargo.toml")), after);
}

#[test]
fn no_edit_manifest_prints_the_line_to_add_instead() {
    let fx = copy_fixture("demo");
    let before = odd_manifest(&fx);
    let (code, out, err) = run(cargo_abuse(&fx.dir).args(["gen", "--no-edit-manifest"]));
    // Exit 1: the harnesses are written but cannot build until the user adds the line.
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        read(&fx.dir.join("Cargo.toml")),
        before,
        "manifest untouched"
    );
    let all = format!("{out}{err}");
    assert!(
        all.contains("[dev-dependencies]") || all.contains("dev-dependenc"),
        "{all}"
    );
    assert!(
        all.contains("abuse-runtime = "),
        "says exactly what line to add: {all}"
    );
}

#[test]
fn every_correct_signatures_function_holds_under_run() {
    // All functions of the fixture are correct: a failure here is a false alarm of the harness.
    let c = signatures();
    let _lock = util::build_lock();
    let (code, out, err) = run(&mut util::cargo_abuse_shared(
        &c.fx.dir,
        &["run", "--json", "--cases", "64", "--seed", "7"],
    ));
    let (records, _) = util::run_records(&out);
    let failed: Vec<String> = records
        .values()
        .filter(|r| r["status"] == "fail")
        .map(|r| format!("{}: {}", r["function"], r["properties"]))
        .collect();
    assert!(
        failed.is_empty(),
        "correct functions reported as failing:\n{}",
        failed.join("\n")
    );
    assert_eq!(
        records["apply"]["status"], "not_run",
        "{:#}",
        records["apply"]
    );
    // `Version` is built only by `Version::parse("MAJOR.MINOR")`, which rejects almost every generated string;
    // its doc example ("1.2") joins the hints, so its methods run (without it they were reported as not run).
    for name in ["shapes::Version::bump", "shapes::Version::compatible"] {
        let r = &records[name];
        assert_eq!(r["status"], "pass", "{r:#}");
    }
    assert!(records.values().filter(|r| r["status"] == "pass").count() >= 35);
    assert_eq!(
        code, 0,
        "a harness that rejected its inputs is not a failure of the run\n{err}"
    );
}
