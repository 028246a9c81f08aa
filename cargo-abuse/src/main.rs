//! The `cargo-abuse` binary: reads top to bottom as the pipeline, returns one documented exit code.
//!
//! workspace (cargo metadata) → options → discover → [list | generate → write | run → report].
//! Diagnostics found on the way are printed to stderr as `error: FILE:LINE:COL: message`.

mod cli;
mod discover;
mod list;
mod model;
mod options;
mod workspace;

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{Args, Command};
use crate::model::{Inventory, Severity};
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

fn main() -> ExitCode {
    let args = Args::parse_env();
    match run(&args) {
        Ok(exit) => exit.into(),
        Err(err) => {
            eprintln!("error: {err:#}");
            Exit::ToolError.into()
        }
    }
}

fn run(args: &Args) -> Result<Exit> {
    let started = std::time::Instant::now();
    // Read discovery caches on another thread while `cargo metadata` runs.
    let guess = workspace::guess_target_dir(&args.common, |t| discover::cache_dir(t).is_dir());
    let prefetch = discover::prefetch(guess.map(|t| discover::cache_dir(&t)));
    let ws = workspace::load_packages(&args.common)?;
    let metadata_done = started.elapsed();
    let opts = Options::resolve(args, &ws)?;
    let inventory = discover::discover(&ws.packages, &ws.root, &opts, prefetch);
    if opts.verbosity >= 2 {
        let total = started.elapsed();
        eprintln!(
            "timing: cargo metadata {metadata_done:.1?}, discover {:.1?}",
            total - metadata_done
        );
    }
    print_diagnostics(&inventory, &opts);
    let source_exit = if inventory
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        Exit::ToolError
    } else {
        Exit::Ok
    };
    match &args.command {
        Command::List { .. } => {
            let out = list::render(&inventory, &opts);
            std::io::stdout()
                .write_all(out.as_bytes())
                .context("could not write to stdout")?;
            Ok(source_exit)
        }
        Command::Gen { .. }
        | Command::Run { .. }
        | Command::Sign { .. }
        | Command::Report { .. } => {
            eprintln!("error: not implemented yet");
            Ok(Exit::ToolError)
        }
    }
}

/// Diagnostics to stderr, `error: FILE:LINE:COL: message` (warnings hidden by `-q`).
fn print_diagnostics(inv: &Inventory, opts: &Options) {
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
