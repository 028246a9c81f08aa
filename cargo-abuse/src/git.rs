//! The only `git` subprocess user (std::process): the owner default for `sign` and the history for `report --since`.
//!
//! Paths given and returned are relative to `repo_dir` (the workspace root, which may sit below the
//! repository's top level) with forward slashes, as git prints them.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;

/// Runs `git ARGS` in `dir` and returns its stdout; a non-zero exit is an error carrying git's stderr.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .with_context(|| format!("cannot run `git {}` in {}", args.join(" "), dir.display()))?;
    if !output.status.success() {
        bail!(
            "`git {}` failed in {}: {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// `git config user.name`, the default owner for `cargo abuse sign`; `None` when unset or git is missing.
/// Writes the tree of `dir` (a folder of the repository) at `rev` into `dest`, without touching the index or
/// the working tree (`git archive | tar -x`).
pub fn export_tree(dir: &Path, rev: &str, dest: &Path) -> Result<()> {
    let prefix = String::from_utf8_lossy(&git(dir, &["rev-parse", "--show-prefix"])?)
        .trim()
        .to_string();
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["archive", "--format=tar", &format!("{rev}:{prefix}")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .context("could not run `git archive`")?;
    let stdout = archive.stdout.take().context("git archive has no stdout")?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dest)
        .stdin(stdout)
        .output()
        .context("could not run `tar -x`")?;
    let archived = archive
        .wait_with_output()
        .context("waiting for `git archive`")?;
    if !archived.status.success() {
        anyhow::bail!(
            "`git archive {rev}` failed: {}",
            String::from_utf8_lossy(&archived.stderr).trim()
        );
    }
    if !tar.status.success() {
        anyhow::bail!(
            "`tar -x` failed: {}",
            String::from_utf8_lossy(&tar.stderr).trim()
        );
    }
    Ok(())
}

/// `git config user.name`, the default sign-off owner.
pub fn user_name(repo_dir: &Path) -> Option<String> {
    let out = git(repo_dir, &["config", "user.name"]).ok()?;
    let name = String::from_utf8(out).ok()?.trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// The commit where the current branch left `rev` (`git merge-base rev HEAD`), or `rev` itself
/// (resolved to a commit id) when they share no history. What a pull request's diff is taken against.
pub fn merge_base(repo_dir: &Path, rev: &str) -> Result<String> {
    let commit = resolve(repo_dir, rev)?;
    match git(repo_dir, &["merge-base", &commit, "HEAD"]) {
        Ok(out) => Ok(String::from_utf8_lossy(&out).trim().to_string()),
        Err(_) => Ok(commit),
    }
}

/// `rev` as a full commit id; an error naming `rev` when it is not a commit.
fn resolve(repo_dir: &Path, rev: &str) -> Result<String> {
    let spec = format!("{rev}^{{commit}}");
    let out = git(repo_dir, &["rev-parse", "--verify", "--quiet", &spec])
        .with_context(|| format!("`{rev}` is not a commit in {}", repo_dir.display()))?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// The text of `rel_path` (relative to `repo_dir`) at `rev`; `None` when the file did not exist there.
pub fn file_at_rev(repo_dir: &Path, rev: &str, rel_path: &str) -> Result<Option<String>> {
    let commit = resolve(repo_dir, rev)?;
    // `REV:./path` is relative to the working directory, so a workspace below the top level works.
    let object = format!("{commit}:./{}", rel_path.trim_start_matches("./"));
    if git(repo_dir, &["cat-file", "-e", &object]).is_err() {
        return Ok(None);
    }
    let bytes = git(repo_dir, &["cat-file", "blob", &object])?;
    let text = String::from_utf8(bytes)
        .with_context(|| format!("{rel_path} at {rev} is not UTF-8 text"))?;
    Ok(Some(text))
}

/// Files under `repo_dir` that differ between the merge base with `rev` and the working tree
/// (committed, staged or not), plus untracked files that are not ignored; sorted, relative to
/// `repo_dir`, forward slashes. Deleted files are included (they no longer exist on disk).
pub fn changed_files(repo_dir: &Path, rev: &str) -> Result<Vec<String>> {
    let base = merge_base(repo_dir, rev)?;
    let diff = git(
        repo_dir,
        &[
            "-c",
            "core.quotepath=off",
            "diff",
            "--name-only",
            "--no-renames",
            "--relative",
            "-z",
            &base,
            "--",
        ],
    )?;
    let untracked = git(
        repo_dir,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "-z",
            "--",
            ".",
        ],
    )?;
    let mut files: Vec<String> = diff
        .split(|&b| b == 0)
        .chain(untracked.split(|&b| b == 0))
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).replace('\\', "/"))
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// `git` with a fixed identity and no user or system configuration.
    fn run(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args([
                "-c",
                "user.name=Test Owner",
                "-c",
                "user.email=owner@example.com",
                "-c",
                "init.defaultBranch=main",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    /// A repository with a workspace in `ws/`: commit 1 adds `src/a.rs` and `src/b.rs`, commit 2 changes
    /// `a.rs` and deletes `b.rs`; the working tree then edits `c.rs` and adds an untracked `d.rs`.
    fn repo() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        run(root, &["init", "-q"]);
        let ws = root.join("ws");
        fs::create_dir_all(ws.join("src")).unwrap();
        fs::write(ws.join("src/a.rs"), "fn a() {}\n").unwrap();
        fs::write(ws.join("src/b.rs"), "fn b() {}\n").unwrap();
        fs::write(ws.join("src/c.rs"), "fn c() {}\n").unwrap();
        fs::write(root.join("outside.txt"), "x\n").unwrap();
        fs::write(root.join(".gitignore"), "target/\n").unwrap();
        run(root, &["add", "."]);
        run(root, &["commit", "-q", "-m", "one"]);
        run(root, &["tag", "v1"]);
        fs::write(ws.join("src/a.rs"), "fn a() { todo!() }\n").unwrap();
        fs::remove_file(ws.join("src/b.rs")).unwrap();
        fs::write(root.join("outside.txt"), "y\n").unwrap();
        run(root, &["commit", "-q", "-am", "two"]);
        fs::write(ws.join("src/c.rs"), "fn c() { 1 }\n").unwrap();
        fs::write(ws.join("src/d.rs"), "fn d() {}\n").unwrap();
        fs::create_dir_all(ws.join("target")).unwrap();
        fs::write(ws.join("target/junk.rs"), "").unwrap();
        tmp
    }

    #[test]
    fn changed_files_since_rev_include_committed_uncommitted_and_untracked() {
        let tmp = repo();
        let ws = tmp.path().join("ws");
        let files = changed_files(&ws, "v1").unwrap();
        assert_eq!(files, ["src/a.rs", "src/b.rs", "src/c.rs", "src/d.rs"]);
    }

    #[test]
    fn changed_files_since_head_are_only_the_working_tree_changes() {
        let tmp = repo();
        let ws = tmp.path().join("ws");
        assert_eq!(
            changed_files(&ws, "HEAD").unwrap(),
            ["src/c.rs", "src/d.rs"]
        );
    }

    #[test]
    fn file_at_rev_reads_old_text_and_none_for_missing_files() {
        let tmp = repo();
        let ws = tmp.path().join("ws");
        assert_eq!(
            file_at_rev(&ws, "v1", "src/a.rs").unwrap().as_deref(),
            Some("fn a() {}\n")
        );
        assert_eq!(
            file_at_rev(&ws, "HEAD", "src/a.rs").unwrap().as_deref(),
            Some("fn a() { todo!() }\n")
        );
        assert_eq!(file_at_rev(&ws, "HEAD", "src/b.rs").unwrap(), None);
        assert_eq!(file_at_rev(&ws, "v1", "src/d.rs").unwrap(), None);
    }

    #[test]
    fn unknown_rev_is_an_error_naming_it() {
        let tmp = repo();
        let ws = tmp.path().join("ws");
        let err = file_at_rev(&ws, "no-such-branch", "src/a.rs").unwrap_err();
        assert!(
            format!("{err:#}").contains("`no-such-branch` is not a commit"),
            "{err:#}"
        );
        assert!(changed_files(&ws, "no-such-branch").is_err());
    }

    #[test]
    fn merge_base_of_a_branch_is_where_it_forked() {
        let tmp = repo();
        let root = tmp.path();
        run(root, &["checkout", "-q", "-b", "feature", "v1"]);
        fs::write(root.join("feature.txt"), "f\n").unwrap();
        run(root, &["add", "feature.txt"]);
        run(root, &["commit", "-q", "-m", "feature"]);
        let v1 = String::from_utf8(git(root, &["rev-parse", "v1"]).unwrap()).unwrap();
        assert_eq!(merge_base(root, "main").unwrap(), v1.trim());
    }

    #[test]
    fn user_name_comes_from_the_repository_config() {
        let tmp = repo();
        run(tmp.path(), &["config", "user.name", "Carol Reviewer"]);
        assert_eq!(user_name(tmp.path()).as_deref(), Some("Carol Reviewer"));
    }

    #[test]
    fn user_name_outside_a_repository_does_not_fail() {
        let tmp = tempfile::tempdir().unwrap();
        // Whatever the machine's global config says: git cannot even start in a folder that does not exist, and
        // that is no owner rather than a panic or an error.
        assert_eq!(user_name(&tmp.path().join("missing")), None);
    }
}
