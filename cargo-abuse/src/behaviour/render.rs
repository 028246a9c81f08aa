//! The comparison as text: a differing input as a call in Rust (`parse_port("080")`) and the terminal's
//! section (Markdown and the PR report's are in `report/pr.rs`).

use std::fmt::Write as _;

use super::{BehaviourReport, Verdict};
use crate::model::TaggedFn;

/// The call the input stands for: the harness input is a tuple of the arguments (a method's first element is
/// its receiver's constructor input). `String::from("x")` reads as `"x"`.
pub fn call_text(f: &TaggedFn, input: &str) -> String {
    let args: Vec<String> = split_tuple(input)
        .into_iter()
        .map(|a| {
            a.strip_prefix("String::from(")
                .and_then(|s| s.strip_suffix(')'))
                .filter(|s| s.starts_with('"') || s.starts_with("r#") || s.starts_with("r\""))
                .map_or(a.clone(), str::to_string)
        })
        .collect();
    match &f.self_type {
        Some(ty) if f.signature.receiver.is_some() => {
            let (recv, rest) = args
                .split_first()
                .map_or((String::new(), &[][..]), |(r, s)| (r.clone(), s));
            format!("{ty} (from {recv}).{}({})", f.name, rest.join(", "))
        }
        Some(ty) => format!("{ty}::{}({})", f.name, args.join(", ")),
        None => format!("{}({})", f.name, args.join(", ")),
    }
}

/// The elements of a tuple expression's text, split at its top-level commas (strings and chars respected);
/// anything else is one element.
fn split_tuple(text: &str) -> Vec<String> {
    let t = text.trim();
    let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) else {
        return vec![t.to_string()];
    };
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let mut chars = inner.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        current.push(c);
        if in_str {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        current.push(n);
                    }
                }
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                current.pop();
                parts.push(current.trim().to_string());
                current.clear();
            }
            _ => {}
        }
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    // `(x)` is not a tuple: one parenthesised value.
    if parts.len() == 1 && !inner.trim_end().ends_with(',') {
        return vec![t.to_string()];
    }
    parts
}

/// The terminal's section: one line per changed function, the differing calls below.
pub fn render_human(report: &BehaviourReport) -> String {
    let mut out = String::new();
    let base = &report.base[..report.base.len().min(12)];
    let _ = writeln!(
        out,
        "\nBehaviour since {} (merge base {base}): {} changed function{}",
        report.since,
        report.functions.len(),
        if report.functions.len() == 1 { "" } else { "s" }
    );
    for f in &report.functions {
        let name = format!("{}::{}", f.package, f.function);
        match &f.verdict {
            Verdict::Unchanged { cases } => {
                let _ = writeln!(out, "  = {name}: no behaviour change in {cases} cases");
            }
            Verdict::Changed { cases, differences } => {
                let _ = writeln!(
                    out,
                    "  ~ {name}: behaviour changed ({} differing input{} in {cases} cases)",
                    differences.len(),
                    if differences.len() == 1 { "" } else { "s" }
                );
                for d in differences {
                    let _ = writeln!(out, "      {}: before {}, now {}", d.call, d.before, d.now);
                }
            }
            Verdict::Inconclusive { cases, reason } => {
                let _ = writeln!(
                    out,
                    "  ? {name}: inconclusive after {cases} cases: {reason}"
                );
            }
            Verdict::NotCompared { reason } => {
                let _ = writeln!(out, "  - {name}: not compared: {reason}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_split_at_top_level_commas_only() {
        assert_eq!(
            split_tuple("(String::from(\"a,)\"),)"),
            ["String::from(\"a,)\")"]
        );
        assert_eq!(
            split_tuple("(vec![1i32, 2i32], (1usize, 2usize), \"\\\",\")"),
            ["vec![1i32, 2i32]", "(1usize, 2usize)", "\"\\\",\""]
        );
        assert_eq!(split_tuple("(1)"), ["(1)"]);
    }
}
