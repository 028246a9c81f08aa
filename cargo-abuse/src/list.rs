//! serde_json: `cargo abuse list`, as a table for people and as JSON with a stable schema for tools.
//!
//! Entry: [`render`]. The JSON schema is documented in `cargo-abuse/LIST_SCHEMA.md`; it is its own set of
//! types (not the model's), so the model can grow without breaking `list --json` consumers. Adding a key
//! is compatible; renaming or removing one bumps `version`.

use serde::Serialize;

use crate::harness_state::HarnessStates;
use crate::model::{Diagnostic, HarnessState, Inventory, Package, Reach, SignoffState, TaggedFn};
use crate::options::Options;

/// The JSON schema version.
pub const SCHEMA_VERSION: u32 = 1;

/// Prompts longer than this are cut in the table.
const PROMPT_WIDTH: usize = 48;

/// The table, or the JSON document with `--json`; `states` are the functions' harness states.
pub fn render(inv: &Inventory, states: &HarnessStates, opts: &Options) -> String {
    if opts.json {
        render_json(inv, states)
    } else if opts.verbosity >= 1 {
        render_details(inv, states)
    } else {
        render_table(inv, states)
    }
}

/// `list -v`: every function in full (signature, whole prompt, author, reviewer, owner, states and the
/// reason when no harness can be generated), then the counts.
pub fn render_details(inv: &Inventory, states: &HarnessStates) -> String {
    let mut out = String::new();
    let none = || "-".to_string();
    for f in sorted(inv) {
        let function = match &f.reach {
            Reach::Public { path } => path.clone(),
            Reach::CratePrivate { path } => format!("{path} (crate-private)"),
        };
        out.push_str(&format!("{function}  {}:{}\n", f.file, f.line));
        let mut field = |name: &str, value: &str| {
            let mut lines = value.lines();
            out.push_str(&format!("  {name:<11} {}\n", lines.next().unwrap_or("")));
            for l in lines {
                out.push_str(&format!("  {:<11} {l}\n", ""));
            }
        };
        field("signature:", &f.signature.text);
        if let Some(cfg) = &f.cfg {
            field("cfg:", cfg);
        }
        let prompt = match (&f.record.prompt, &f.record.prompt_file) {
            (Some(p), Some(file)) => format!("{} (from {file})", p.trim()),
            (Some(p), None) => p.trim().to_string(),
            (None, Some(file)) => format!("(file {file})"),
            (None, None) => none(),
        };
        field("prompt:", &prompt);
        field("model:", &f.record.model.clone().unwrap_or_else(none));
        field("author:", &f.record.author.clone().unwrap_or_else(none));
        field("reviewer:", &f.record.reviewer.clone().unwrap_or_else(none));
        field(
            "test owner:",
            &f.record.test_owner.clone().unwrap_or_else(none),
        );
        field(
            "sign-off:",
            &match &f.signoff {
                SignoffState::None => "none".to_string(),
                SignoffState::Current { owner, date } => format!("current ({owner} {date})"),
                SignoffState::Stale {
                    owner,
                    date,
                    signed,
                } => format!(
                    "STALE: {owner} signed {signed} on {date}, the function is {} now",
                    f.fingerprint
                ),
            },
        );
        field(
            "harness:",
            &match states.of(f) {
                HarnessState::Missing => "missing (run `cargo abuse gen`)".to_string(),
                HarnessState::Current => "current".to_string(),
                HarnessState::Stale => "stale (run `cargo abuse gen`)".to_string(),
                HarnessState::OwnTest => {
                    "none needed: a `#[test]`, which `run` runs as it is".to_string()
                }
                HarnessState::Unsupported { reason } => format!("none: {reason}"),
            },
        );
        out.push('\n');
    }
    out.push_str(&counts_line(inv));
    out
}

/// Top-level JSON object.
#[derive(Debug, Serialize)]
struct ListJson<'a> {
    version: u32,
    functions: Vec<FnJson<'a>>,
    diagnostics: &'a [Diagnostic],
    counts: Counts,
}

/// One function in the JSON output.
#[derive(Debug, Serialize)]
struct FnJson<'a> {
    package: &'a str,
    #[serde(rename = "crate")]
    crate_name: &'a str,
    in_lib: bool,
    path: &'a str,
    reach: &'a Reach,
    file: &'a str,
    line: u32,
    column: u32,
    cfg: Option<&'a str>,
    signature: &'a str,
    prompt: Option<&'a str>,
    prompt_file: Option<&'a str>,
    model: Option<&'a str>,
    author: Option<&'a str>,
    reviewer: Option<&'a str>,
    test_owner: Option<&'a str>,
    fingerprint: &'a str,
    signoff: &'a SignoffState,
    harness: &'a HarnessState,
}

/// The totals printed at the end of the table and in `counts`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Tagged functions.
    pub tagged: usize,
    /// Signed off, and the sign-off matches the current fingerprint.
    pub signed_current: usize,
    /// Signed off, but the function or prompt changed since.
    pub stale: usize,
    /// Without `test_owner`.
    pub unowned: usize,
    /// Error diagnostics.
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
}

/// All functions, sorted by package, file, line.
fn sorted(inv: &Inventory) -> Vec<&TaggedFn> {
    let mut fns: Vec<&TaggedFn> = inv.packages.iter().flat_map(|p| &p.functions).collect();
    fns.sort_by(|a, b| {
        (&a.package, &a.file, a.line, a.column, &a.path)
            .cmp(&(&b.package, &b.file, b.line, b.column, &b.path))
    });
    fns
}

/// Counts over the inventory.
pub fn counts(inv: &Inventory) -> Counts {
    let mut c = Counts::default();
    for f in inv.packages.iter().flat_map(|p| &p.functions) {
        c.tagged += 1;
        match f.signoff {
            SignoffState::Current { .. } => c.signed_current += 1,
            SignoffState::Stale { .. } => c.stale += 1,
            SignoffState::None => {}
        }
        if f.record.test_owner.is_none() {
            c.unowned += 1;
        }
    }
    for d in &inv.diagnostics {
        match d.severity {
            crate::model::Severity::Error => c.errors += 1,
            crate::model::Severity::Warning => c.warnings += 1,
        }
    }
    c
}

/// The JSON document (pretty-printed, trailing newline).
pub fn render_json(inv: &Inventory, states: &HarnessStates) -> String {
    let functions = sorted(inv)
        .into_iter()
        .map(|f| FnJson {
            package: &f.package,
            crate_name: &f.crate_name,
            in_lib: f.in_lib,
            path: &f.path,
            reach: &f.reach,
            file: &f.file,
            line: f.line,
            column: f.column,
            cfg: f.cfg.as_deref(),
            signature: &f.signature.text,
            prompt: f.record.prompt.as_deref(),
            prompt_file: f.record.prompt_file.as_deref(),
            model: f.record.model.as_deref(),
            author: f.record.author.as_deref(),
            reviewer: f.record.reviewer.as_deref(),
            test_owner: f.record.test_owner.as_deref(),
            fingerprint: &f.fingerprint,
            signoff: &f.signoff,
            harness: states.of(f),
        })
        .collect();
    let doc = ListJson {
        version: SCHEMA_VERSION,
        functions,
        diagnostics: &inv.diagnostics,
        counts: counts(inv),
    };
    let mut s =
        serde_json::to_string_pretty(&doc).expect("the list document serializes: plain data only");
    s.push('\n');
    s
}

/// The table: function, location, owner, sign-off, harness, prompt; counts at the end.
pub fn render_table(inv: &Inventory, states: &HarnessStates) -> String {
    let header = [
        "FUNCTION", "LOCATION", "OWNER", "SIGN-OFF", "HARNESS", "PROMPT",
    ];
    let rows: Vec<[String; 6]> = sorted(inv)
        .into_iter()
        .map(|f| {
            let function = match &f.reach {
                Reach::Public { path } => path.clone(),
                Reach::CratePrivate { path } => format!("{path} (private)"),
            };
            let function = if f.in_lib {
                function
            } else {
                format!("{function} [bin {}]", f.crate_name)
            };
            let signoff = match &f.signoff {
                SignoffState::None => "none".to_string(),
                SignoffState::Current { owner, date } => format!("current ({owner} {date})"),
                SignoffState::Stale { owner, date, .. } => format!("STALE ({owner} {date})"),
            };
            let harness = match states.of(f) {
                HarnessState::Missing => "missing".to_string(),
                HarnessState::Current => "current".to_string(),
                HarnessState::Stale => "stale".to_string(),
                HarnessState::OwnTest => "own test".to_string(),
                HarnessState::Unsupported { .. } => "unsupported".to_string(),
            };
            let prompt = match (&f.record.prompt, &f.record.prompt_file) {
                (Some(p), _) => shorten(p, PROMPT_WIDTH),
                (None, Some(file)) => format!("(file {file})"),
                (None, None) => "-".to_string(),
            };
            [
                function,
                format!("{}:{}", f.file, f.line),
                f.record.test_owner.clone().unwrap_or_else(|| "-".into()),
                signoff,
                harness,
                prompt,
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else {
                l.push_str(cell);
                l.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    if !rows.is_empty() {
        line(&header.map(String::from));
        for row in &rows {
            line(row);
        }
        out.push('\n');
    }
    let unsupported: Vec<(&String, &String)> = rows
        .iter()
        .zip(sorted(inv))
        .filter_map(|(row, f)| match states.of(f) {
            HarnessState::Unsupported { reason } => Some((&row[0], reason)),
            _ => None,
        })
        .collect();
    if !unsupported.is_empty() {
        out.push_str("No harness can be generated for:\n");
        for (function, reason) in unsupported {
            out.push_str(&format!("  {function}: {reason}\n"));
        }
        out.push('\n');
    }
    out.push_str(&sequences_section(inv));
    out.push_str(&counts_line(inv));
    out
}

/// Which types get a sequence property (their calls, at most how many per sequence) and why the others with
/// tagged methods do not, in the order their first tagged function appears; empty when no type has a tagged
/// method.
fn sequences_section(inv: &Inventory) -> String {
    use crate::plan::sequence::{plan_sequences, NoSequence};
    let mut lines = Vec::new();
    for package in &inv.packages {
        let mut rows: Vec<(usize, String)> = Vec::new();
        let first_of = |ty: &str| {
            package
                .functions
                .iter()
                .position(|f| f.self_type.as_deref() == Some(ty))
        };
        let planned = plan_sequences(package);
        for ty in &planned {
            let Some(first) = first_of(&ty.type_name) else {
                continue;
            };
            rows.push((
                first,
                match &ty.plan {
                    Ok(plan) => {
                        let calls: Vec<&str> =
                            plan.calls.iter().map(|c| c.method.as_str()).collect();
                        let mut checks = vec![format!("up to {} calls", plan.len)];
                        if let Some(invariant) = &plan.invariant {
                            checks.push(format!("invariant = {invariant}"));
                        }
                        match (&plan.model, &plan.model_build) {
                            (Some(model), Some(_)) => checks.push(format!("model = {model}")),
                            (Some(model), None) => checks.push(format!(
                                "model = {model} not used: the type is not built by a constructor the model has"
                            )),
                            _ => {}
                        }
                        format!(
                            "  {}: {} ({})",
                            listed_type_path(package, &package.functions[first], &ty.type_name),
                            calls.join(", "),
                            checks.join("; ")
                        )
                    }
                    Err(why) => format!(
                        "  {}: none: {why}",
                        listed_type_path(package, &package.functions[first], &ty.type_name)
                    ),
                },
            ));
        }
        // A type with a single tagged function, a method: the plan leaves it out, the list says why.
        for (i, f) in package.functions.iter().enumerate() {
            let Some(ty) = f.self_type.as_deref() else {
                continue;
            };
            let alone = package
                .functions
                .iter()
                .filter(|g| g.self_type.as_deref() == Some(ty))
                .count()
                == 1;
            if alone && f.signature.receiver.is_some() && !planned.iter().any(|p| p.type_name == ty)
            {
                let why = NoSequence::OneMethod {
                    method: f.name.clone(),
                };
                rows.push((
                    i,
                    format!("  {}: none: {why}", listed_type_path(package, f, ty)),
                ));
            }
        }
        rows.sort_by_key(|(i, _)| *i);
        lines.extend(rows.into_iter().map(|(_, line)| line));
    }
    if lines.is_empty() {
        return String::new();
    }
    format!("Sequence properties:\n{}\n\n", lines.join("\n"))
}

/// The type of a tagged method as the sequence line names it: its public path when discovery knows one (the
/// re-export `ipnet::Ipv4Net`, as function rows show `ipnet::Ipv4Net::trunc`), else [`type_path`].
fn listed_type_path(package: &Package, f: &TaggedFn, ty: &str) -> String {
    let base = ty.split('<').next().unwrap_or(ty).trim();
    let mut module = f.module_path.clone();
    module.push(base.to_string());
    let path = module.join("::");
    package
        .types
        .iter()
        .find(|t| t.path == path)
        .and_then(|t| t.public_path.clone())
        .unwrap_or_else(|| type_path(f, base))
}

/// `demo::shapes::Ring`: the type of a tagged method by its module path.
fn type_path(f: &TaggedFn, ty: &str) -> String {
    let mut parts = vec![f.crate_name.as_str()];
    parts.extend(f.module_path.iter().map(String::as_str));
    parts.push(ty);
    parts.join("::")
}

/// The last line of `list`: the counts, and the diagnostics when there were any.
fn counts_line(inv: &Inventory) -> String {
    let c = counts(inv);
    let mut out = format!(
        "{} tagged, {} signed and current, {} stale, {} unowned",
        c.tagged, c.signed_current, c.stale, c.unowned
    );
    if c.errors + c.warnings > 0 {
        out.push_str(&format!("; {} errors, {} warnings", c.errors, c.warnings));
    }
    out.push('\n');
    out
}

/// First line of `s`, cut to `width` characters with `…`.
fn shorten(s: &str, width: usize) -> String {
    let first = s
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let more = s.trim().lines().count() > 1;
    if first.chars().count() > width {
        let cut: String = first.chars().take(width - 1).collect();
        format!("{}…", cut.trim_end())
    } else if more {
        format!("{first} …")
    } else {
        first.to_string()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::*;

    /// A tagged function of package `demo` with the given path, place, owner and sign-off (other tests use it).
    pub(crate) fn tagged(
        path: &str,
        file: &str,
        line: u32,
        owner: Option<&str>,
        signoff: SignoffState,
    ) -> TaggedFn {
        TaggedFn {
            package: "demo".into(),
            crate_name: "demo".into(),
            in_lib: true,
            path: path.into(),
            module_path: vec![],
            name: path.rsplit("::").next().expect("non-empty").into(),
            self_type: None,
            reach: Reach::Public {
                path: format!("demo::{path}"),
            },
            file: file.into(),
            line,
            column: 1,
            end_line: line,
            cfg: None,
            signature: Signature {
                text: format!("pub fn {path}()"),
                ..Signature::default()
            },
            record: Record {
                prompt: Some(
                    "Parse a TCP port; reject anything outside 1..=65535 and also everything else"
                        .into(),
                ),
                test_owner: owner.map(String::from),
                ..Record::default()
            },
            fingerprint: "0123456789abcdef".into(),
            sign_fingerprint: "0123456789abcdef".into(),
            attribute: Default::default(),
            signoff,
            literals: Literals::default(),
            hidden_in_crate: None,
            documents_panics: false,
            test: None,
            uses: vec![],
        }
    }

    fn inventory() -> Inventory {
        Inventory {
            workspace_root: "/ws".into(),
            packages: vec![Package {
                name: "demo".into(),
                functions: vec![
                    tagged("b", "src/lib.rs", 9, None, SignoffState::None),
                    tagged(
                        "a",
                        "src/lib.rs",
                        3,
                        Some("bob"),
                        SignoffState::Stale {
                            owner: "bob".into(),
                            date: "2026-01-01".into(),
                            signed: "x".into(),
                        },
                    ),
                ],
                ..Package::default()
            }],
            diagnostics: vec![],
        }
    }

    #[test]
    fn table_is_sorted_by_location_and_ends_with_counts() {
        let t = render_table(&inventory(), &HarnessStates::default());
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("FUNCTION"));
        assert!(lines[1].starts_with("demo::a "), "{t}");
        assert!(
            lines[1].contains("src/lib.rs:3") && lines[1].contains("STALE (bob 2026-01-01)"),
            "{t}"
        );
        assert!(lines[2].starts_with("demo::b "), "{t}");
        assert!(
            lines[1].contains("Parse a TCP port; reject anything outside 1..=6…"),
            "{t}"
        );
        assert_eq!(
            lines.last(),
            Some(&"2 tagged, 0 signed and current, 1 stale, 1 unowned")
        );
    }

    #[test]
    fn json_has_version_functions_diagnostics_and_counts() {
        let v: serde_json::Value =
            serde_json::from_str(&render_json(&inventory(), &HarnessStates::default()))
                .expect("json");
        assert_eq!(v["version"], 1);
        assert_eq!(v["functions"][0]["path"], "a");
        assert_eq!(v["functions"][0]["signoff"]["state"], "stale");
        assert_eq!(v["functions"][0]["reach"]["kind"], "public");
        assert_eq!(v["counts"]["tagged"], 2);
        assert!(v["diagnostics"].as_array().expect("array").is_empty());
    }

    #[test]
    fn details_show_everything_and_the_reason_a_harness_cannot_exist() {
        let mut inv = inventory();
        // `b`, listed second (sorted by line).
        let f = &mut inv.packages[0].functions[0];
        f.signature.text = "pub fn b(s: &str) -> u8".into();
        f.record.reviewer = Some("carol".into());
        let mut states = HarnessStates::default();
        states.insert(
            f,
            HarnessState::Unsupported {
                reason: "parameter `f`: give `strategy(f = ...)`".into(),
            },
        );
        let d = render_details(&inv, &states);
        assert!(d.contains("  signature:  pub fn b(s: &str) -> u8\n"), "{d}");
        assert!(d.contains("  reviewer:   carol\n"), "{d}");
        assert!(d.contains("  test owner: bob\n"), "{d}");
        assert!(d.contains("STALE: bob signed x on 2026-01-01"), "{d}");
        assert!(
            d.contains("  harness:    none: parameter `f`: give `strategy(f = ...)`\n"),
            "{d}"
        );
        let t = render_table(&inv, &states);
        assert!(
            t.contains("No harness can be generated for:\n  demo::b: parameter `f`: give `strategy(f = ...)`\n"),
            "{t}"
        );
    }

    #[test]
    fn empty_inventory_prints_only_the_counts() {
        assert_eq!(
            render_table(&Inventory::default(), &HarnessStates::default()),
            "0 tagged, 0 signed and current, 0 stale, 0 unowned\n"
        );
    }
}

#[cfg(test)]
mod sequence_tests {
    use super::*;
    use crate::model::*;

    /// `shapes::Celsius`, re-exported as `demo::Celsius`, its methods under `invariant` and `model`.
    fn package(invariant: Option<&str>, model: Option<&str>) -> Package {
        let mut package = crate::plan::tests::celsius_package("demo::Celsius");
        for f in &mut package.functions {
            f.record.properties.invariant = invariant.map(String::from);
            f.record.properties.model_type = model.map(String::from);
        }
        package
    }

    fn section(package: Package) -> String {
        sequences_section(&Inventory {
            workspace_root: "/ws".into(),
            packages: vec![package],
            diagnostics: vec![],
        })
    }

    #[test]
    fn a_sequence_row_names_the_public_path_and_the_invariant_and_model() {
        assert_eq!(
            section(package(None, None)),
            "Sequence properties:\n  demo::Celsius: get, set (up to 32 calls)\n\n"
        );
        assert_eq!(
            section(package(Some("Celsius::valid"), Some("CelsiusModel"))),
            "Sequence properties:\n  demo::Celsius: get, set (up to 32 calls; invariant = Celsius::valid; \
             model = CelsiusModel)\n\n"
        );
        // Without a public path, the module path.
        let mut private = package(None, None);
        private.types[0].public_path = None;
        let text = section(private);
        assert!(text.contains("  demo::shapes::Celsius: "), "{text}");
    }
}
