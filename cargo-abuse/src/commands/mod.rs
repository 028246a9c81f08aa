//! The command handlers `main` dispatches to, one module per subcommand, and what they share: the exit code,
//! finding a function by the path a user typed, where the last run's report is kept, printing diagnostics.
//!
//! Each handler takes the plain data of the stages before it (the inventory, the generated files, the harness
//! states) and the resolved options, does its command's work and returns an [`Exit`]; `Err` means the tool
//! could not do its job.

pub mod gen;
pub mod list;
pub mod report;
pub mod run;
pub mod sign;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::model::{self, Inventory, Severity, TaggedFn};
use crate::options::Options;

/// The process exit code: the only ones cargo-abuse returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Everything held.
    Ok = 0,
    /// A property failed or the policy was violated (or `gen --check` found missing or stale files).
    Failed = 1,
    /// The tool could not do its job: bad arguments, unreadable metadata, unparseable source, build failure.
    ToolError = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// The more serious of two exit codes.
pub fn worst(a: Exit, b: Exit) -> Exit {
    if (a as u8) >= (b as u8) {
        a
    } else {
        b
    }
}

/// [`Exit::ToolError`] when discovery reported an error (a file that does not parse, a bad attribute), else
/// [`Exit::Ok`]: the command still runs on what was found, and the worse of the two codes is returned.
pub fn source_exit(inventory: &Inventory) -> Exit {
    if inventory
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        Exit::ToolError
    } else {
        Exit::Ok
    }
}

/// Diagnostics to stderr, `error: FILE:LINE:COL: message` (warnings hidden by `-q`).
pub fn print_diagnostics(inv: &Inventory, opts: &Options) {
    for d in &inv.diagnostics {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning if opts.verbosity < 0 => continue,
            Severity::Warning => "warning",
        };
        let label = if opts.color {
            let colour = if d.severity == Severity::Error {
                "31"
            } else {
                "33"
            };
            format!("\x1b[1;{colour}m{label}\x1b[0m")
        } else {
            label.to_string()
        };
        eprintln!("{label}: {}:{}:{}: {}", d.file, d.line, d.column, d.message);
    }
}

/// The last `run`'s report, per workspace (several may share a target directory).
fn last_run_path(opts: &Options) -> PathBuf {
    let key = crate::cache::path_key(&opts.workspace_root);
    opts.target_dir
        .join("abuse")
        .join(format!("last-run-{key}.json"))
}

/// Finds a tagged function by the path a user types: `net::parse_port`, `crate::net::parse_port`,
/// `demo::net::parse_port` or its public path.
pub fn find_function<'a>(inventory: &'a Inventory, path: &str) -> Result<&'a TaggedFn> {
    let path = path.trim().trim_start_matches("crate::");
    let matches: Vec<&TaggedFn> = inventory
        .packages
        .iter()
        .flat_map(|p| &p.functions)
        .filter(|f| {
            f.path == path
                || format!("{}::{}", f.crate_name, f.path) == path
                || matches!(&f.reach, model::Reach::Public { path: p } if p == path)
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => bail!("no `#[ai_generated]` function `{path}` (see `cargo abuse list`)"),
        _ => bail!("`{path}` names several tagged functions; use `crate_name::path`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list::tests::tagged;
    use crate::model::{Package, SignoffState};

    fn inventory(functions: Vec<TaggedFn>) -> Inventory {
        Inventory {
            packages: vec![Package {
                name: "demo".into(),
                functions,
                ..Package::default()
            }],
            ..Inventory::default()
        }
    }

    #[test]
    fn the_worst_exit_code_wins_in_either_order() {
        assert_eq!(worst(Exit::Ok, Exit::Failed), Exit::Failed);
        assert_eq!(worst(Exit::ToolError, Exit::Failed), Exit::ToolError);
        assert_eq!(worst(Exit::Ok, Exit::Ok), Exit::Ok);
    }

    #[test]
    fn a_function_is_found_by_its_path_crate_path_or_public_path() {
        let inv = inventory(vec![tagged(
            "net::parse_port",
            "src/net.rs",
            3,
            None,
            SignoffState::None,
        )]);
        for typed in [
            "net::parse_port",
            "crate::net::parse_port",
            " demo::net::parse_port ",
        ] {
            let f = find_function(&inv, typed).expect(typed);
            assert_eq!(f.path, "net::parse_port");
        }
        let err = find_function(&inv, "parse_port").expect_err("not a path");
        assert!(err.to_string().contains("cargo abuse list"), "{err}");
    }

    #[test]
    fn two_functions_with_one_path_are_ambiguous() {
        let inv = inventory(vec![
            tagged("f", "src/lib.rs", 3, None, SignoffState::None),
            tagged("f", "src/lib.rs", 9, None, SignoffState::None),
        ]);
        let err = find_function(&inv, "f").expect_err("ambiguous");
        assert!(err.to_string().contains("several"), "{err}");
    }
}
