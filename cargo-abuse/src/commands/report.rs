//! `cargo abuse report [--since REV]`: the pull-request report of the tagged functions whose tokens or prompt
//! changed since REV, with their old and new source and the last run's result (rendering is `crate::report`).

use std::io::Write;

use anyhow::{Context, Result};

use super::{last_run_path, Exit};
use crate::model::{Inventory, Outcome, RunReport};
use crate::options::Options;
use crate::{discover, git, report, workspace};

/// `cargo abuse report [--since REV]`: the tagged functions whose tokens or prompt changed since REV.
pub fn pr_report(ws: &workspace::Workspace, inventory: &Inventory, opts: &Options) -> Result<Exit> {
    let since = opts.since.clone().unwrap_or_else(|| "HEAD".into());
    let base = git::merge_base(&opts.workspace_root, &since)?;
    let old_root = tempfile::tempdir().context("creating a temporary folder")?;
    git::export_tree(&opts.workspace_root, &base, old_root.path())?;
    // The same packages, read from the base revision's tree.
    let old_packages: Vec<workspace::PackageSources> = ws
        .packages
        .iter()
        .map(|p| p.rebased(&ws.root, old_root.path()))
        .collect();
    let old_opts = Options {
        target_dir: old_root.path().join("target"),
        verbosity: -1,
        ..opts.clone()
    };
    let old = discover::discover(
        &old_packages,
        old_root.path(),
        &old_opts,
        discover::prefetch(None),
    );
    let last: Option<RunReport> = std::fs::read_to_string(last_run_path(opts))
        .ok()
        // The last `run`'s report, as `write_outputs` saved it; unreadable means no last result.
        .and_then(|t| serde_json::from_str(&t).ok());
    // The last `run --since`'s comparison, when it was against the same merge base.
    let behaviour = crate::behaviour::load_last(opts).filter(|b| b.base == base);
    let mut entries = Vec::new();
    for package in &inventory.packages {
        for f in &package.functions {
            let before = old.counterpart(f);
            if before.is_some_and(|b| b.fingerprint == f.fingerprint) {
                continue;
            }
            let new_text =
                std::fs::read_to_string(opts.workspace_root.join(&f.file)).unwrap_or_default();
            let old_source = before.and_then(|b| {
                std::fs::read_to_string(old_root.path().join(&b.file))
                    .ok()
                    .map(|t| lines(&t, b.line, b.end_line))
            });
            let old_prompt = before
                .and_then(|b| b.record.prompt.clone())
                .filter(|p| Some(p) != f.record.prompt.as_ref());
            let last_result = last.as_ref().and_then(|r| {
                r.functions
                    .iter()
                    .find(|x| x.package == f.package && x.function == f.path)
                    .map(|x| {
                        if x.properties.iter().any(|p| p.outcome == Outcome::Fail) {
                            Outcome::Fail
                        } else if x.properties.iter().all(|p| p.outcome == Outcome::Pass) {
                            Outcome::Pass
                        } else {
                            Outcome::NotRun
                        }
                    })
            });
            entries.push(report::PrEntry {
                package: f.package.clone(),
                function: f.path.clone(),
                file: f.file.clone(),
                line: f.line,
                prompt: f.record.prompt.clone(),
                old_prompt,
                author: f.record.author.clone(),
                reviewer: f.record.reviewer.clone(),
                test_owner: f.record.test_owner.clone(),
                signoff: f.signoff.clone(),
                last_result,
                old_source,
                old_line: before.map(|b| b.line),
                new_source: lines(&new_text, f.line, f.end_line),
                behaviour: behaviour.as_ref().and_then(|b| {
                    b.functions
                        .iter()
                        .find(|x| x.package == f.package && x.function == f.path)
                        .map(|x| x.verdict.clone())
                }),
            });
        }
    }
    let pr = report::PrReport { since, entries };
    let out = if opts.report_json {
        report::render_pr_report_json(&pr)
    } else {
        report::render_pr_report_md(&pr)
    };
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("could not write to stdout")?;
    Ok(Exit::Ok)
}

/// Lines `first..=last` (1-based) of a text.
fn lines(text: &str, first: u32, last: u32) -> String {
    let mut out: String = text
        .lines()
        .skip(first.saturating_sub(1) as usize)
        .take((last.saturating_sub(first) + 1) as usize)
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based_and_inclusive_with_a_final_newline() {
        let text = "a\nb\nc\nd\n";
        assert_eq!(lines(text, 2, 3), "b\nc\n");
        assert_eq!(lines(text, 1, 1), "a\n");
        assert_eq!(lines(text, 4, 9), "d\n");
    }
}
