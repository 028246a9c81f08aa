//! Bench driver: `gen` and `fuzz` through cargo-abuse's own modules, for `benches/fuzz/run.sh` until
//! `cargo abuse run --fuzz` is wired in the binary.
//!
//! - `abuse-fuzz-bench abuse gen --manifest-path P` writes the harnesses like `cargo abuse gen`;
//! - `abuse-fuzz-bench fuzz PKG_DIR SECS TARGET...` fuzzes with `fuzz.rs` and prints one JSON line per target.
#![allow(dead_code, unused_imports)]

#[path = "../../../../cargo-abuse/src/cli.rs"]
mod cli;
#[path = "../../../../cargo-abuse/src/dictionary.rs"]
mod dictionary;
#[path = "../../../../cargo-abuse/src/discover.rs"]
mod discover;
#[path = "../../../../cargo-abuse/src/format.rs"]
mod format;
#[path = "../../../../cargo-abuse/src/fuzz.rs"]
mod fuzz;
#[path = "../../../../cargo-abuse/src/generate.rs"]
mod generate;
#[path = "../../../../cargo-abuse/src/manifest.rs"]
mod manifest;
#[path = "../../../../cargo-abuse/src/model.rs"]
mod model;
#[path = "../../../../cargo-abuse/src/options.rs"]
mod options;
#[path = "../../../../cargo-abuse/src/plan.rs"]
mod plan;
#[path = "../../../../cargo-abuse/src/workspace.rs"]
mod workspace;
#[path = "../../../../cargo-abuse/src/write.rs"]
mod write;

use std::path::PathBuf;

use anyhow::{Context, Result};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("fuzz") {
        fuzz_cmd(&args[2..])
    } else {
        gen_cmd()
    }
}

fn gen_cmd() -> Result<()> {
    let args = cli::Args::parse_env();
    let ws = workspace::load_packages(&args.common)?;
    let opts = options::Options::resolve(&args, &ws)?;
    let inventory = discover::discover(&ws.packages, &ws.root, &opts);
    for d in &inventory.diagnostics {
        eprintln!("{}:{}:{}: {}", d.file, d.line, d.column, d.message);
    }
    let pkg = opts.packages.values().next().cloned().unwrap_or_default();
    let settings = generate::GenSettings {
        templates: None,
        cases: pkg.cases.unwrap_or(256),
        timeout_ms: pkg.timeout_ms.unwrap_or(1000),
        max_alloc: pkg.max_alloc.unwrap_or(64 << 20),
        runtime_path: pkg.runtime_path.clone(),
        workspace_root: ws.root.clone(),
    };
    let generated = generate::generate(&inventory, &settings)?;
    for s in &generated.skipped {
        eprintln!("skipped {}: {}", s.function, s.reason);
    }
    let existing = write::read_existing(&ws.root, &generated)?;
    let changes = write::apply(
        &ws.root,
        &generated,
        &existing,
        write::WriteMode {
            check: false,
            force: true,
        },
    )?;
    eprintln!("gen: {} file(s)", changes.len());
    Ok(())
}

fn fuzz_cmd(args: &[String]) -> Result<()> {
    let pkg =
        std::fs::canonicalize(&args[0]).with_context(|| format!("package folder {}", args[0]))?;
    let seconds: u64 = args[1].parse().context("SECS")?;
    let targets: Vec<fuzz::FuzzTarget> = args[2..]
        .iter()
        .map(|n| fuzz::FuzzTarget {
            package_dir: pkg.clone(),
            name: n.clone(),
            function: n.clone(),
        })
        .collect();
    let env_u64 = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let settings = fuzz::FuzzSettings {
        seconds,
        workspace_root: pkg.clone(),
        target_dir: std::env::var_os("FUZZ_TARGET_DIR")
            .map_or_else(|| pkg.join("target/abuse/fuzz"), PathBuf::from),
        sanitizer: if std::env::var_os("ASAN").is_some() {
            fuzz::Sanitizer::Address
        } else {
            fuzz::Sanitizer::None
        },
        timeout_secs: env_u64("FUZZ_TIMEOUT", 5),
        rss_limit_mb: env_u64("FUZZ_RSS_MB", 2048),
        quiet: false,
        verbose: std::env::var_os("VERBOSE").is_some(),
    };
    for o in fuzz::fuzz(&targets, &settings)? {
        let line = serde_json::json!({
            "target": o.target, "artifact": o.artifact, "execs": o.execs, "result": o.result,
        });
        println!("{line}");
    }
    Ok(())
}
