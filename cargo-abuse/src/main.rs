//! The `cargo-abuse` binary: reads top to bottom as the pipeline, returns one documented exit code
//! ([`Exit`]).
//!
//! workspace (cargo metadata) → options → discover → (`list` stops here) → generate (in memory) → harness
//! states → the command's handler (`cargo_abuse::commands`): `gen` writes | `run`: policy → property tests →
//! fuzz → keep regressions → report | `sign`: run one attribute's functions → rewrite it | `report`: discover
//! the base revision → diff. Diagnostics found on the way are printed to stderr as
//! `error: FILE:LINE:COL: message`.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use cargo_abuse::cli::{Args, Command};
use cargo_abuse::commands::{self, Exit};
use cargo_abuse::harness_state::{harness_states, Basis};
use cargo_abuse::options::Options;
use cargo_abuse::{discover, generate, workspace, write};

// Discovery is allocation-bound (syn's token trees, the cache's strings): mimalloc makes a cold `list`
// ~1.3x and a warm one ~1.2x faster than glibc's malloc (benches/list).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let started = Instant::now();
    // Read discovery caches on another thread while `cargo metadata` runs.
    let guess = workspace::guess_target_dir(&args.common, |t| t.join("abuse").is_dir());
    let prefetch = discover::prefetch(guess.as_ref().map(|t| discover::cache_dir(t)));
    let ws = workspace::load_packages(&args.common, guess.as_deref())?;
    let metadata_done = started.elapsed();
    let opts = Options::resolve(args, &ws)?;
    let inventory = discover::discover(&ws.packages, &ws.root, &opts, prefetch);
    if opts.verbosity >= 2 {
        let total = started.elapsed();
        eprintln!(
            "timing: cargo metadata {metadata_done:.1?}{}, discover {:.1?}",
            match ws.metadata_source {
                workspace::MetadataSource::Cache => " (remembered)",
                workspace::MetadataSource::Cargo => "",
            },
            total - metadata_done
        );
    }
    commands::print_diagnostics(&inventory, &opts);
    // A file that does not parse is an error, but the command still runs on everything else.
    let source_exit = commands::source_exit(&inventory);

    if let Command::List { .. } = &args.command {
        // The inventory only: harness states from file headers, without rendering every harness.
        let exit = commands::list::list(inventory, &opts)?;
        return Ok(commands::worst(exit, source_exit));
    }

    let generated = generate::generate(&inventory, &opts)?;
    let on_disk = write::read_existing(&opts.workspace_root, &generated)?;
    let states = harness_states(
        &inventory,
        Basis::Generated {
            generated: &generated,
            on_disk: &on_disk,
        },
    );

    let exit = match &args.command {
        Command::List { .. } => unreachable!("list returned above"),
        Command::Gen { .. } => commands::gen::gen(&inventory, &generated, &on_disk, &opts)?,
        Command::Run { .. } => {
            commands::run::run_abuse(&ws, &inventory, &states, &generated, &opts)?
        }
        Command::Sign { .. } => commands::sign::sign_fn(&inventory, &states, &generated, &opts)?,
        Command::Report { .. } => commands::report::pr_report(&ws, &inventory, &opts)?,
    };
    Ok(commands::worst(exit, source_exit))
}
