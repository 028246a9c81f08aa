//! clap: the command line, as typed by the user (`Args`); `options.rs` resolves it into `Options`.
//!
//! Cargo runs an external subcommand as `cargo-abuse abuse <cmd> ...`; running `cargo-abuse <cmd> ...`
//! directly works too (the extra `abuse` is dropped before parsing).

use std::ffi::OsString;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Parser, Subcommand, ValueEnum};

/// Generate and run abuse tests for `#[ai_generated]` functions.
#[derive(Debug, Parser)]
#[command(name = "cargo-abuse", bin_name = "cargo abuse", version, about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Options shared by every command.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options every command accepts, the way cargo spells them.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CommonArgs {
    /// Path to Cargo.toml
    #[arg(long, global = true, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,
    /// Package(s) to work on (repeatable)
    #[arg(short = 'p', long = "package", global = true, value_name = "SPEC")]
    pub packages: Vec<String>,
    /// Work on all packages of the workspace
    #[arg(long, global = true)]
    pub workspace: bool,
    /// Exclude packages from --workspace (repeatable)
    #[arg(long, global = true, value_name = "SPEC", requires = "workspace")]
    pub exclude: Vec<String>,
    /// Directory for all generated artifacts [env: CARGO_TARGET_DIR]
    #[arg(long, global = true, value_name = "DIRECTORY")]
    pub target_dir: Option<PathBuf>,
    /// Coloring
    #[arg(long, global = true, value_enum, env = "CARGO_TERM_COLOR", default_value_t = Color::Auto)]
    pub color: Color,
    /// Do not print progress messages
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Use verbose output (-vv very verbose)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// When to use colours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// Colour when writing to a terminal.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every tagged function with its record, sign-off and harness state
    List {
        /// Print the inventory as JSON (schema: cargo-abuse/LIST_SCHEMA.md)
        #[arg(long)]
        json: bool,
    },
    /// Write the harnesses (property tests, fuzz targets) for the tagged functions
    Gen {
        /// Write nothing; exit 1 naming every missing or stale file
        #[arg(long)]
        check: bool,
        /// Only this function (path from the crate root, e.g. `net::parse_port`)
        #[arg(long = "fn", value_name = "PATH")]
        fn_path: Option<String>,
        /// Overwrite generated files that were edited by hand
        #[arg(long)]
        force: bool,
        /// Do not add the runtime dev-dependency to Cargo.toml
        #[arg(long)]
        no_edit_manifest: bool,
        /// Do not `cargo check` the written harnesses (a harness that does not compile is then not replaced by
        /// a skip) [env: CARGO_ABUSE_NO_COMPILE_CHECK]
        #[arg(
            long,
            env = "CARGO_ABUSE_NO_COMPILE_CHECK",
            hide_env = true,
            value_parser = clap::builder::BoolishValueParser::new()
        )]
        no_compile_check: bool,
        /// Also write `.clusterfuzzlite/` (Dockerfile, build.sh, project.yaml) for the fuzz targets
        #[arg(long)]
        clusterfuzzlite: bool,
        /// Folder of templates overriding the built-in ones [env: CARGO_ABUSE_TEMPLATES]
        #[arg(
            long,
            value_name = "DIR",
            env = "CARGO_ABUSE_TEMPLATES",
            hide_env = true
        )]
        templates: Option<PathBuf>,
    },
    /// Check harnesses and policy, run the property tests (and fuzzing), report
    Run {
        /// Cases per property test [env: CARGO_ABUSE_CASES]
        #[arg(long, value_name = "N", env = "CARGO_ABUSE_CASES", hide_env = true)]
        cases: Option<u32>,
        /// Also fuzz each target for SECS seconds
        #[arg(long, value_name = "SECS")]
        fuzz: Option<u64>,
        /// Seed for the property tests [env: CARGO_ABUSE_SEED]
        #[arg(long, value_name = "S", env = "CARGO_ABUSE_SEED", hide_env = true)]
        seed: Option<u64>,
        /// Run only shard K of N (1-based, e.g. 2/4)
        #[arg(long, value_name = "K/N")]
        shard: Option<Shard>,
        /// Write a JUnit XML report to F
        #[arg(long, value_name = "F")]
        junit: Option<PathBuf>,
        /// Write a SARIF report to F
        #[arg(long, value_name = "F")]
        sarif: Option<PathBuf>,
        /// Print the results as JSON
        #[arg(long)]
        json: bool,
        /// Write a Markdown summary to F
        #[arg(long, value_name = "F")]
        markdown: Option<PathBuf>,
        /// Also compare every tagged function changed since REV with its version at the merge base
        #[arg(long, value_name = "REV")]
        since: Option<String>,
        /// Fuzz with AddressSanitizer (`address`; needs a nightly toolchain) instead of coverage only on stable
        #[arg(long, value_enum, value_name = "KIND")]
        sanitizer: Option<SanitizerArg>,
        /// Features to build the harness targets with (comma or space separated), as cargo's `--features`
        #[arg(short = 'F', long, value_name = "FEATURES")]
        features: Vec<String>,
        /// Build the harness targets with every feature of the package
        #[arg(long)]
        all_features: bool,
        /// Build the harness targets without the package's default features
        #[arg(long)]
        no_default_features: bool,
        /// Do not build again with the features that compile the functions left out by a `feature` cfg
        #[arg(long)]
        no_feature_pass: bool,
    },
    /// Run one function's harness and, if it passes, record the sign-off in its attribute
    Sign {
        /// The function (path from the crate root, e.g. `net::parse_port`)
        path: String,
        /// Who signs (default: git's user.name)
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        /// Also keep the differing inputs the last `run --since` found for it as regression tests that pin the
        /// new outputs
        #[arg(long)]
        keep_behaviour: bool,
    },
    /// The accountability report: tagged functions changed since a revision
    Report {
        /// Output format
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
        /// Git revision to compare against
        #[arg(long, value_name = "REV")]
        since: Option<String>,
    },
}

/// Format of `report`.
/// `run --sanitizer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SanitizerArg {
    /// AddressSanitizer, with `cargo +nightly`.
    Address,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown.
    Md,
    /// JSON.
    Json,
}

/// `--shard K/N`: shard K (1-based) of N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, `1..=count`.
    pub index: u32,
    /// How many shards.
    pub count: u32,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("expected K/N (e.g. 1/4), got `{s}`"))?;
        let index: u32 = k
            .trim()
            .parse()
            .map_err(|_| format!("shard index `{k}` is not a number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("shard count `{n}` is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "shard must satisfy 1 <= K <= N, got {index}/{count}"
            ));
        }
        Ok(Shard { index, count })
    }
}

impl Args {
    /// Parses the process arguments, dropping the `abuse` that cargo inserts.
    pub fn parse_env() -> Self {
        Self::parse_from(strip_cargo_subcommand(std::env::args_os()))
    }
}

/// `cargo-abuse abuse list` → `cargo-abuse list`.
fn strip_cargo_subcommand(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    if args.get(1).is_some_and(|a| a == "abuse") {
        args.remove(1);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(line: &str) -> Args {
        let argv = strip_cargo_subcommand(line.split_whitespace().map(OsString::from));
        Args::try_parse_from(argv).expect("valid command line")
    }

    #[test]
    fn clap_definition_is_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn cargo_style_and_direct_invocations_parse_alike() {
        let a = parse("cargo-abuse abuse list --json -p demo");
        let b = parse("cargo-abuse list --json -p demo");
        assert!(matches!(a.command, Command::List { json: true }));
        assert!(matches!(b.command, Command::List { json: true }));
        assert_eq!(a.common.packages, vec!["demo"]);
    }

    #[test]
    fn common_options_go_before_or_after_the_subcommand() {
        let a = parse("cargo-abuse --manifest-path x/Cargo.toml list -p a -p b --color never");
        assert_eq!(a.common.manifest_path, Some(PathBuf::from("x/Cargo.toml")));
        assert_eq!(a.common.packages, vec!["a", "b"]);
        assert_eq!(a.common.color, Color::Never);
    }

    #[test]
    fn exclude_requires_workspace() {
        let argv = ["cargo-abuse", "list", "--exclude", "a"];
        assert!(Args::try_parse_from(argv).is_err());
        parse("cargo-abuse list --workspace --exclude a");
    }

    #[test]
    fn shard_is_one_based_and_checked() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        assert!("0/4".parse::<Shard>().is_err());
        assert!("5/4".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
        let a = parse("cargo-abuse run --shard 1/2 --cases 10");
        assert!(matches!(
            a.command,
            Command::Run {
                shard: Some(Shard { index: 1, count: 2 }),
                cases: Some(10),
                ..
            }
        ));
    }
}
