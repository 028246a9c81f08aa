//! GitHub Actions workflow commands: `::error`/`::warning` annotations at each failing function.

use super::{
    failure_text, problems, property_label, rule_for, severity_word, sorted_violations, Rule,
};
use crate::model::{RunReport, Severity};
use std::fmt::Write as _;

/// Escapes a workflow command's message (`%`, `\r`, `\n`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (as data, plus `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions `::error`/`::warning` lines at each failing function, failures first, then error and
/// warning violations; at most `limit` (GitHub shows about ten per step; the SARIF carries the rest).
pub fn github_annotations(report: &RunReport, limit: usize) -> Vec<String> {
    let command = |level: &str, file: &str, line: u32, title: &str, message: &str| {
        let mut props = format!("file={}", escape_property(&file.replace('\\', "/")));
        if line > 0 {
            let _ = write!(props, ",line={line}");
        }
        let _ = write!(props, ",title={}", escape_property(title));
        format!("::{level} {props}::{}", escape_data(message))
    };
    let mut lines: Vec<String> = problems(report)
        .into_iter()
        .map(|(f, p)| {
            let title = format!(
                "{}: {}::{} {}",
                rule_for(p).map_or("", Rule::id),
                f.package,
                f.function,
                property_label(p)
            );
            command("error", &f.file, f.line, &title, &failure_text(f, p))
        })
        .collect();
    let mut violations = sorted_violations(report);
    violations.sort_by_key(|v| v.severity == Severity::Warning);
    lines.extend(violations.into_iter().map(|v| {
        let title = format!("{}: {}::{}", v.rule, v.package, v.function);
        command(
            severity_word(v.severity),
            &v.file,
            v.line,
            &title,
            &v.message,
        )
    }));
    lines.truncate(limit);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{representative, sample, snapshot};

    #[test]
    fn annotations_escape_and_respect_the_limit() {
        let lines = github_annotations(&sample(), 10);
        assert_eq!(lines.len(), 6);
        assert!(lines[0].starts_with(
            "::error file=demo/src/net.rs,line=12,title=abuse/panic%3A demo%3A%3Anet%3A%3Aparse_port no_panic::property: no_panic%0Ainput: parse_port(\"65536\")%0Amessage: attempt to add with overflow%0Aat src/net.rs:14:9%0A"
        ), "{}", lines[0]);
        assert!(
            lines[2].contains("stack overflow <&> 100%25 \"deep\", a:b"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with("::error file=other pkg/src/lib.rs,line=3,title=abuse/not-run%3A")
        );
        assert!(
            lines[4].starts_with("::error file=demo/src/net.rs,line=12,title=abuse/stale-signoff")
        );
        assert!(lines[5].starts_with("::warning file=other pkg/src/lib.rs,line=20,"));
        for l in &lines {
            assert!(!l.contains('\n') && !l.contains('\r'));
        }
        assert_eq!(github_annotations(&sample(), 2).len(), 2);
        assert!(github_annotations(&RunReport::default(), 10).is_empty());
    }

    #[test]
    fn annotation_property_escaping_covers_comma_and_colon() {
        assert_eq!(escape_property("a,b:c%d\r\ne"), "a%2Cb%3Ac%25d%0D%0Ae");
        assert_eq!(escape_data("a,b:c%d\r\ne"), "a,b:c%25d%0D%0Ae");
    }

    #[test]
    fn github_annotations_snapshot() {
        let text = github_annotations(&representative(), 10).join("\n");
        snapshot(
            "report__github_annotations",
            "github_annotations(&representative(), 10).join(\"\\n\")",
            &text,
        );
    }
}
