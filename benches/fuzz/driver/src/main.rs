//! Bench driver for `benches/fuzz/run.sh`: cargo-abuse's fuzz stage alone, on the targets named, so that
//! hand-written variants can be timed beside the generated targets.
//!
//! `abuse-fuzz-bench PKG_DIR SECS TARGET...` prints one JSON line per target. Environment: `FUZZ_TARGET_DIR`
//! (default `PKG_DIR/target/abuse/fuzz`), `FUZZ_TIMEOUT` (s, default 2, as `cargo abuse run`),
//! `FUZZ_RSS_MB` (default 2048), `ASAN=1` (nightly AddressSanitizer), `VERBOSE=1`.

#[allow(dead_code)]
#[path = "../../../../cargo-abuse/src/fuzz.rs"]
mod fuzz;
#[allow(dead_code)]
#[path = "../../../../cargo-abuse/src/model.rs"]
mod model;

use std::path::PathBuf;

use anyhow::{Context, Result};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pkg, seconds, names @ ..] = args.as_slice() else {
        anyhow::bail!("usage: abuse-fuzz-bench PKG_DIR SECS TARGET...");
    };
    let pkg = std::fs::canonicalize(pkg).with_context(|| format!("package folder {pkg}"))?;
    let seconds: u64 = seconds.parse().context("SECS")?;
    let targets: Vec<fuzz::FuzzTarget> = names
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
        timeout_secs: env_u64("FUZZ_TIMEOUT", 2),
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
