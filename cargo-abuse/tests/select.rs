//! End-to-end: packages are selected the way cargo selects them.

mod util;

use util::{cargo_abuse, copy_fixture, listed_paths, run};

fn list(dir: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let (code, out, err) = run(cargo_abuse(dir).args(["list", "--json"]).args(extra));
    assert_eq!(code, 0, "{err}");
    listed_paths(&out)
}

#[test]
fn virtual_root_lists_the_default_members() {
    let fx = copy_fixture("layouts-workspace");
    assert_eq!(list(&fx.dir, &[]), ["alpha_id", "beta_id"]);
}

#[test]
fn member_folder_lists_only_that_member() {
    let fx = copy_fixture("layouts-workspace");
    assert_eq!(list(&fx.dir.join("gamma/src"), &[]), ["gamma_id"]);
}

#[test]
fn package_workspace_and_exclude_flags_select_like_cargo() {
    let fx = copy_fixture("layouts-workspace");
    assert_eq!(list(&fx.dir, &["-p", "gamma"]), ["gamma_id"]);
    assert_eq!(
        list(&fx.dir, &["-p", "gamma", "-p", "alpha"]),
        ["alpha_id", "gamma_id"]
    );
    assert_eq!(
        list(&fx.dir, &["--workspace"]),
        ["alpha_id", "beta_id", "gamma_id"]
    );
    assert_eq!(
        list(&fx.dir, &["--workspace", "--exclude", "beta"]),
        ["alpha_id", "gamma_id"]
    );
    let manifest = fx.dir.join("beta/Cargo.toml");
    assert_eq!(
        list(
            &std::env::temp_dir(),
            &["--manifest-path", manifest.to_str().expect("utf-8")]
        ),
        ["beta_id"]
    );
}

#[test]
fn exclude_without_workspace_is_a_usage_error() {
    let fx = copy_fixture("layouts-workspace");
    let (code, _, err) = run(cargo_abuse(&fx.dir).args(["list", "--exclude", "beta"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--workspace"), "{err}");
}
