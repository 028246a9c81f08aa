//! serde (of `[*.metadata.abuse]`): `Config` from the manifests, merged with `Args` into `Options`.
//!
//! Precedence, strongest first:
//! 1. command-line flags (`--cases`, `--templates`, ...);
//! 2. their `CARGO_ABUSE_*` environment variables (`CARGO_ABUSE_CASES`, `CARGO_ABUSE_SEED`,
//!    `CARGO_ABUSE_TEMPLATES`), read by clap;
//! 3. `[package.metadata.abuse]` of the package;
//! 4. `[workspace.metadata.abuse]` of the workspace root;
//! 5. the built-in defaults (`None` below means "the runtime's default").
//!
//! Tables merge key by key (`policy` too): a package that sets only `policy.stale` keeps the
//! workspace's `policy.required`. Relative paths are relative to the manifest that sets them.
//!
//! Keys (all optional):
//!
//! | key | type | meaning |
//! | --- | --- | --- |
//! | `templates` | path | folder of `<kind>.<ext>.hbs` files overriding the built-in templates |
//! | `runtime-path` | path | local checkout of the runtime crate, used for the generated dev-dependency instead of the published version |
//! | `cases` | integer | property-test cases per function |
//! | `timeout-ms` | integer | per-call time limit, milliseconds |
//! | `max-alloc` | integer or string | peak bytes per call; a string takes a unit, with the attribute's grammar (`abuse_attr::parse_size`): `"64 MiB"`, `"512KiB"`, `"1GB"` |
//! | `policy.required` | array of strings | attribute keys every tagged function must have: `prompt` (or `prompt_file`), `model`, `author`, `reviewer`, `test_owner`, `signed_off` |
//! | `policy.allowed-owners` | array of strings | when not empty, the only accepted `test_owner`s and sign-off owners |
//! | `policy.stale` | `"error"` or `"warn"` | what `run` does with a stale sign-off (default `"error"`) |
//! | `policy.behaviour-change` | `"error"` or `"report"` | what `run --since` does when a changed function behaves differently from its base revision (default `"report"`: shown, exit code unaffected) |
//!
//! Unknown keys are an error, so a typo does not silently fall back to a default.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::cli::{Args, Color, Command};
use crate::workspace::Workspace;

/// `[workspace.metadata.abuse]` or `[package.metadata.abuse]`, as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Templates folder.
    pub templates: Option<PathBuf>,
    /// Local path of the runtime crate.
    pub runtime_path: Option<PathBuf>,
    /// Cases per property test.
    pub cases: Option<u32>,
    /// Per-call time limit in milliseconds.
    pub timeout_ms: Option<u64>,
    /// Peak allocation per call.
    pub max_alloc: Option<ByteSize>,
    /// The policy `run` enforces.
    pub policy: Option<PolicyConfig>,
}

/// `policy` sub-table, as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PolicyConfig {
    /// Keys every tagged function must carry.
    pub required: Option<Vec<RequiredKey>>,
    /// Accepted owners.
    pub allowed_owners: Option<Vec<String>>,
    /// Stale sign-off handling.
    pub stale: Option<StalePolicy>,
    /// What `run --since` does with a behaviour change.
    pub behaviour_change: Option<BehaviourChangePolicy>,
}

/// A byte count written as an integer or as `"64 MiB"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub struct ByteSize(pub u64);

impl TryFrom<serde_json::Value> for ByteSize {
    type Error = String;

    fn try_from(v: serde_json::Value) -> Result<Self, String> {
        match v {
            serde_json::Value::Number(n) => n
                .as_u64()
                .map(ByteSize)
                .ok_or_else(|| format!("`{n}` is not a byte count")),
            serde_json::Value::String(s) => abuse_attr::parse_size(&s).map(ByteSize),
            other => Err(format!(
                "expected a byte count like 67108864 or \"64 MiB\", got `{other}`"
            )),
        }
    }
}

/// An attribute key the policy can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequiredKey {
    /// `prompt` or `prompt_file`.
    Prompt,
    /// `model`.
    Model,
    /// `author`.
    Author,
    /// `reviewer`.
    Reviewer,
    /// `test_owner`.
    TestOwner,
    /// `signed_off` (and current).
    SignedOff,
}

/// What `run` does with a stale sign-off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StalePolicy {
    /// Fail the run (exit 1).
    #[default]
    Error,
    /// Report and go on.
    Warn,
}

/// What `run --since` does when a changed function behaves differently than at the base revision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BehaviourChangePolicy {
    /// Show it; the exit code is unaffected.
    #[default]
    Report,
    /// Fail the run (exit 1).
    Error,
}

impl Config {
    /// Reads the `abuse` key of a `metadata` table (`Null` or no `abuse` key: empty config).
    pub fn from_metadata(metadata: &serde_json::Value) -> Result<Config, serde_json::Error> {
        match metadata.get("abuse") {
            None | Some(serde_json::Value::Null) => Ok(Config::default()),
            Some(v) => Config::deserialize(v),
        }
    }

    /// Makes relative paths absolute against `base` (the folder of the manifest that set them).
    fn rebase(mut self, base: &Path) -> Config {
        self.templates = self.templates.map(|p| base.join(p));
        self.runtime_path = self.runtime_path.map(|p| base.join(p));
        self
    }

    /// `self` (the package) over `under` (the workspace), key by key.
    fn over(self, under: Config) -> Config {
        let policy = match (self.policy, under.policy) {
            (Some(p), Some(u)) => Some(PolicyConfig {
                required: p.required.or(u.required),
                allowed_owners: p.allowed_owners.or(u.allowed_owners),
                stale: p.stale.or(u.stale),
                behaviour_change: p.behaviour_change.or(u.behaviour_change),
            }),
            (p, u) => p.or(u),
        };
        Config {
            templates: self.templates.or(under.templates),
            runtime_path: self.runtime_path.or(under.runtime_path),
            cases: self.cases.or(under.cases),
            timeout_ms: self.timeout_ms.or(under.timeout_ms),
            max_alloc: self.max_alloc.or(under.max_alloc),
            policy,
        }
    }
}

/// The resolved options every stage takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Absolute workspace root; model paths are relative to it.
    pub workspace_root: PathBuf,
    /// Target directory for builds the tool runs.
    pub target_dir: PathBuf,
    /// Whether to colour terminal output.
    pub color: bool,
    /// -1 quiet, 0 normal, 1+ verbose.
    pub verbosity: i8,
    /// Per package (by name): config merged with flags.
    pub packages: BTreeMap<String, PackageOptions>,
    /// `list --json`, `run --json`.
    pub json: bool,
    /// `gen --check`.
    pub check: bool,
    /// `gen --fn PATH`, `sign PATH`: the function to work on.
    pub fn_path: Option<String>,
    /// `gen --force`.
    pub force: bool,
    /// `gen --no-edit-manifest`.
    pub edit_manifest: bool,
    /// `gen` checks the targets it wrote and replaces harnesses that do not compile by skips (on by default).
    pub compile_check: bool,
    /// `gen --clusterfuzzlite`.
    pub clusterfuzzlite: bool,
    /// `run --cases N`: overrides the generated harnesses' cases at run time (the files stay as generated).
    pub run_cases: Option<u32>,
    /// `run --fuzz SECS`.
    pub fuzz_secs: Option<u64>,
    /// `run --sanitizer address`: fuzz with AddressSanitizer on nightly.
    pub address_sanitizer: bool,
    /// `run --seed S`.
    pub seed: Option<u64>,
    /// `run --shard K/N` as (K, N), 1-based.
    pub shard: Option<(u32, u32)>,
    /// `run --features`, `--all-features`, `--no-default-features`, `--no-feature-pass`.
    pub cargo_features: crate::run::CargoFeatures,
    /// `run --junit F`.
    pub junit: Option<PathBuf>,
    /// `run --sarif F`.
    pub sarif: Option<PathBuf>,
    /// `run --markdown F`.
    pub markdown: Option<PathBuf>,
    /// `sign --owner NAME`.
    pub owner: Option<String>,
    /// `sign --keep-behaviour`.
    pub keep_behaviour: bool,
    /// `report --format json` (else Markdown).
    pub report_json: bool,
    /// `report --since REV`.
    pub since: Option<String>,
}

/// Settings of one package after merging.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackageOptions {
    /// Absolute templates folder, if overridden.
    pub templates: Option<PathBuf>,
    /// Absolute path of a local runtime checkout; `None`: the published version.
    pub runtime_path: Option<PathBuf>,
    /// Cases per property test; `None`: the runtime's default.
    pub cases: Option<u32>,
    /// Per-call time limit in ms; `None`: the runtime's default.
    pub timeout_ms: Option<u64>,
    /// Peak bytes per call; `None`: the runtime's default.
    pub max_alloc: Option<u64>,
    /// The policy.
    pub policy: Policy,
}

/// The resolved policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    /// Keys every tagged function must carry, sorted.
    pub required: Vec<RequiredKey>,
    /// Accepted owners; empty: anyone.
    pub allowed_owners: Vec<String>,
    /// Stale sign-off handling.
    pub stale: StalePolicy,
    /// Behaviour change handling (`run --since`).
    pub behaviour_change: BehaviourChangePolicy,
}

impl Options {
    /// Merges the manifests' configs and the command line. Errors name the manifest with the bad key.
    pub fn resolve(args: &Args, ws: &Workspace) -> Result<Options> {
        let ws_config = Config::from_metadata(&ws.metadata)
            .with_context(|| {
                format!(
                    "invalid `[workspace.metadata.abuse]` in `{}`",
                    ws.root.join("Cargo.toml").display()
                )
            })?
            .rebase(&ws.root);
        let cwd = std::env::current_dir().context("could not read the current folder")?;
        let (cases, mut templates) = (None, None);
        let mut o = Options {
            workspace_root: ws.root.clone(),
            target_dir: ws.target_dir.clone(),
            color: resolve_color(args.common.color),
            verbosity: if args.common.quiet {
                -1
            } else {
                args.common.verbose.min(3) as i8
            },
            packages: BTreeMap::new(),
            json: false,
            check: false,
            fn_path: None,
            force: false,
            edit_manifest: true,
            compile_check: true,
            clusterfuzzlite: false,
            run_cases: None,
            fuzz_secs: None,
            address_sanitizer: false,
            seed: None,
            shard: None,
            cargo_features: crate::run::CargoFeatures::default(),
            junit: None,
            sarif: None,
            markdown: None,
            owner: None,
            keep_behaviour: false,
            report_json: false,
            since: None,
        };
        match &args.command {
            Command::List { json } => o.json = *json,
            Command::Gen {
                check,
                fn_path,
                force,
                no_edit_manifest,
                no_compile_check,
                clusterfuzzlite,
                templates: t,
            } => {
                o.compile_check = !no_compile_check;
                o.clusterfuzzlite = *clusterfuzzlite;
                o.check = *check;
                o.fn_path.clone_from(fn_path);
                o.force = *force;
                o.edit_manifest = !no_edit_manifest;
                templates = t.as_ref().map(|t| cwd.join(t));
            }
            Command::Run {
                cases: c,
                fuzz,
                seed,
                shard,
                junit,
                sarif,
                json,
                markdown,
                sanitizer,
                since,
                features,
                all_features,
                no_default_features,
                no_feature_pass,
            } => {
                o.cargo_features = crate::run::CargoFeatures {
                    features: features.clone(),
                    all_features: *all_features,
                    no_default_features: *no_default_features,
                    no_feature_pass: *no_feature_pass,
                };
                o.since.clone_from(since);
                o.address_sanitizer = sanitizer.is_some();
                o.run_cases = *c;
                o.fuzz_secs = *fuzz;
                o.seed = *seed;
                o.shard = shard.map(|s| (s.index, s.count));
                o.junit = junit.as_ref().map(|f| cwd.join(f));
                o.sarif = sarif.as_ref().map(|f| cwd.join(f));
                o.markdown = markdown.as_ref().map(|f| cwd.join(f));
                o.json = *json;
            }
            Command::Sign {
                path,
                owner,
                keep_behaviour,
            } => {
                o.fn_path = Some(path.clone());
                o.owner.clone_from(owner);
                o.keep_behaviour = *keep_behaviour;
            }
            Command::Report { format, since } => {
                o.report_json = *format == crate::cli::ReportFormat::Json;
                o.since.clone_from(since);
            }
        }
        for p in &ws.packages {
            let config = Config::from_metadata(&p.metadata)
                .with_context(|| {
                    format!(
                        "invalid `[package.metadata.abuse]` in `{}`",
                        p.manifest_path.display()
                    )
                })?
                .rebase(&p.dir)
                .over(ws_config.clone());
            // No `runtime-path`, `abuse-macros` from a checkout: the runtime of that checkout (the published
            // one may not exist yet, or differ).
            let config = Config {
                runtime_path: config.runtime_path.or(p.checkout_runtime.clone()),
                ..config
            };
            o.packages.insert(
                p.name.clone(),
                PackageOptions::from_config(config, cases, templates.clone())?,
            );
        }
        Ok(o)
    }
}

impl PackageOptions {
    fn from_config(
        c: Config,
        cases: Option<u32>,
        templates: Option<PathBuf>,
    ) -> Result<PackageOptions> {
        let policy = c.policy.unwrap_or_default();
        let mut required = policy.required.unwrap_or_default();
        required.sort();
        required.dedup();
        if cases == Some(0) || (cases.is_none() && c.cases == Some(0)) {
            bail!("`cases` must be at least 1");
        }
        Ok(PackageOptions {
            templates: templates.or(c.templates),
            runtime_path: c.runtime_path,
            cases: cases.or(c.cases),
            timeout_ms: c.timeout_ms,
            max_alloc: c.max_alloc.map(|b| b.0),
            policy: Policy {
                required,
                allowed_owners: policy.allowed_owners.unwrap_or_default(),
                stale: policy.stale.unwrap_or_default(),
                behaviour_change: policy.behaviour_change.unwrap_or_default(),
            },
        })
    }
}

/// `--color` / `CARGO_TERM_COLOR`; `auto` colours only a terminal.
fn resolve_color(c: Color) -> bool {
    use std::io::IsTerminal;
    match c {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn package_keys_override_workspace_keys_one_by_one() {
        let ws = Config::from_metadata(&json!({"abuse": {
            "cases": 64, "timeout-ms": 500,
            "policy": {"required": ["prompt", "test_owner"], "stale": "warn"}
        }}))
        .expect("valid");
        let pkg =
            Config::from_metadata(&json!({"abuse": {"cases": 8, "policy": {"stale": "error"}}}))
                .expect("valid");
        let merged = pkg.over(ws);
        assert_eq!(merged.cases, Some(8));
        assert_eq!(merged.timeout_ms, Some(500));
        let policy = merged.policy.expect("policy");
        assert_eq!(policy.stale, Some(StalePolicy::Error));
        assert_eq!(
            policy.required,
            Some(vec![RequiredKey::Prompt, RequiredKey::TestOwner])
        );
    }

    #[test]
    fn flags_override_config() {
        let c = Config {
            cases: Some(8),
            templates: Some("/a".into()),
            ..Config::default()
        };
        let o = PackageOptions::from_config(c, Some(100), Some("/b".into())).expect("valid");
        assert_eq!(o.cases, Some(100));
        assert_eq!(o.templates, Some(PathBuf::from("/b")));
        assert_eq!(o.policy.stale, StalePolicy::Error);
    }

    #[test]
    fn max_alloc_takes_numbers_and_units() {
        let c = Config::from_metadata(&json!({"abuse": {"max-alloc": "64 MiB"}})).expect("valid");
        assert_eq!(c.max_alloc, Some(ByteSize(64 << 20)));
        let c = Config::from_metadata(&json!({"abuse": {"max-alloc": 1000}})).expect("valid");
        assert_eq!(c.max_alloc, Some(ByteSize(1000)));
        assert!(Config::from_metadata(&json!({"abuse": {"max-alloc": "3 parsecs"}})).is_err());
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        let err = Config::from_metadata(&json!({"abuse": {"case": 3}})).expect_err("typo");
        assert!(err.to_string().contains("unknown field `case`"), "{err}");
        assert!(Config::from_metadata(&json!({"abuse": {"policy": {"stale": "maybe"}}})).is_err());
        assert!(Config::from_metadata(
            &json!({"abuse": {"policy": {"behaviour-change": "maybe"}}})
        )
        .is_err());
        let c = Config::from_metadata(&json!({"abuse": {"policy": {"behaviour-change": "error"}}}))
            .unwrap();
        assert_eq!(
            c.policy.unwrap().behaviour_change,
            Some(BehaviourChangePolicy::Error)
        );
        assert!(
            Config::from_metadata(&json!({"abuse": {"policy": {"required": ["colour"]}}})).is_err()
        );
    }

    #[test]
    fn relative_paths_are_relative_to_their_manifest() {
        let c = Config {
            templates: Some("tpl".into()),
            ..Config::default()
        }
        .rebase(Path::new("/ws/pkg"));
        assert_eq!(c.templates, Some(PathBuf::from("/ws/pkg/tpl")));
    }

    #[test]
    fn missing_or_null_metadata_is_an_empty_config() {
        assert_eq!(
            Config::from_metadata(&serde_json::Value::Null).expect("ok"),
            Config::default()
        );
        assert_eq!(
            Config::from_metadata(&json!({"other": 1})).expect("ok"),
            Config::default()
        );
    }
}
