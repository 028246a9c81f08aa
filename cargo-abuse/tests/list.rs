//! End-to-end: `cargo abuse list` on copies of the layout fixtures.

mod util;

use util::{cargo_abuse, copy_fixture, run};

fn list_json(fixture: &str) -> (i32, serde_json::Value, String) {
    let fx = copy_fixture(fixture);
    let (code, out, err) = run(cargo_abuse(&fx.dir).args(["list", "--json"]));
    let json = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("not json ({e}): {out}\nstderr: {err}"));
    (code, json, err)
}

#[test]
fn every_module_layout_is_followed() {
    let (code, json, err) = list_json("layouts");
    assert_eq!(code, 0, "{err}");
    insta::assert_json_snapshot!("layouts", json);
}

#[test]
fn reexports_impl_blocks_and_renamed_imports_are_resolved() {
    let (code, json, err) = list_json("layouts-reexports");
    assert_eq!(code, 0, "{err}");
    insta::assert_json_snapshot!("layouts_reexports", json);
}

#[test]
fn broken_files_are_reported_with_location_and_the_rest_is_listed() {
    let (code, json, err) = list_json("layouts-broken");
    assert_eq!(
        code, 2,
        "a file that does not parse is exit 2; stderr: {err}"
    );
    assert!(err.contains("error: src/broken.rs:6:"), "{err}");
    assert!(
        err.contains("warning: src/lib.rs:5:9: file not found for module `missing`"),
        "{err}"
    );
    assert!(
        err.contains("error: src/lib.rs:9:16: unknown key `promt`; did you mean `prompt`?"),
        "{err}"
    );
    let paths: Vec<&str> = json["functions"]
        .as_array()
        .expect("array")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["good::double", "bad_attr"]);
    insta::assert_json_snapshot!("layouts_broken", json);
}

#[test]
fn table_lists_functions_and_counts() {
    let fx = copy_fixture("layouts-reexports");
    let (code, out, err) = run(cargo_abuse(&fx.dir).arg("list"));
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("layouts_reexports_table", out);
}

#[test]
fn direct_invocation_and_manifest_path_work_from_elsewhere() {
    let fx = copy_fixture("layouts");
    let manifest = fx.dir.join("Cargo.toml");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-abuse"));
    cmd.current_dir(std::env::temp_dir())
        .env_remove("CARGO_TARGET_DIR")
        .arg("list")
        .arg("--manifest-path")
        .arg(&manifest);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("layouts::net::parse_port"), "{out}");
}

#[test]
fn unknown_package_is_a_tool_error() {
    let fx = copy_fixture("layouts");
    let (code, _, err) = run(cargo_abuse(&fx.dir).args(["list", "-p", "nope"]));
    assert_eq!(code, 2);
    assert!(err.contains("package `nope` not found"), "{err}");
}

#[test]
fn bad_config_key_is_a_tool_error_naming_the_manifest() {
    let fx = copy_fixture("layouts");
    let manifest = fx.dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    std::fs::write(
        &manifest,
        text.replace(
            "[dependencies]",
            "[package.metadata.abuse]\ncase = 3\n\n[dependencies]",
        ),
    )
    .expect("write manifest");
    let (code, _, err) = run(cargo_abuse(&fx.dir).arg("list"));
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid `[package.metadata.abuse]`") && err.contains("unknown field `case`"),
        "{err}"
    );
}

#[test]
fn second_run_is_served_from_the_cache_until_a_probed_path_changes() {
    let fx = copy_fixture("layouts-broken");
    let first = run(cargo_abuse(&fx.dir).args(["list", "--json"]));
    let cached = run(cargo_abuse(&fx.dir).args(["list", "--json"]));
    assert_eq!(
        first, cached,
        "a cached run prints exactly what a fresh run printed"
    );
    assert!(fx
        .dir
        .join("target/abuse/discover/layouts-broken-layouts_broken-lib.json")
        .is_file());

    // Creating the missing module file (a path that was probed as absent) invalidates the entry.
    std::fs::write(
        fx.dir.join("src/missing.rs"),
        "#[abuse_macros::ai_generated]\npub fn found() {}\n",
    )
    .expect("write");
    let (code, out, err) = run(cargo_abuse(&fx.dir).args(["list", "--json"]));
    assert_eq!(code, 2, "broken.rs still does not parse");
    assert!(
        !err.contains("file not found for module `missing`"),
        "{err}"
    );
    assert!(
        util::listed_paths(&out).contains(&"missing::found".to_string()),
        "{out}"
    );

    // Fixing the broken file is seen too.
    std::fs::write(
        fx.dir.join("src/broken.rs"),
        "pub fn broken(x: u8) -> u8 {\n    x\n}\n",
    )
    .expect("write");
    let (_, _, err) = run(cargo_abuse(&fx.dir).args(["list", "--json"]));
    assert!(!err.contains("src/broken.rs"), "{err}");
}

#[test]
fn table_says_which_types_get_a_sequence_property_and_why_the_others_do_not() {
    let fx = copy_fixture("sequence-list");
    let (code, out, err) = run(cargo_abuse(&fx.dir).arg("list"));
    assert_eq!(code, 0, "{err}");
    let section: Vec<&str> = out
        .lines()
        .skip_while(|l| *l != "Sequence properties:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        section,
        [
            "  sequence_list::Counter: bump, get (up to 32 calls)",
            "  sequence_list::Lone: none: only one tagged method (`double`) can be called on a built value: a sequence needs two or more",
            "  sequence_list::Pair: none: only one tagged method (`sum`) can be called on a built value: a sequence needs two or more",
            "  sequence_list::Sealed: none: no value to call methods on: receiver: cannot build a `Sealed`: derive `arbitrary::Arbitrary` (with Debug and Clone), make its fields public, add a public constructor from supported types, or give `strategy(...)`",
        ],
        "{out}"
    );
}
