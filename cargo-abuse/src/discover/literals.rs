//! Literals (syn's `Visit`, through `discover`): the strings and integers a function body compares against
//! or contains, compared ones first, and the strings of a constructor's doc examples: hints for strategies.

use syn::visit::Visit;

use crate::model::Literals;

/// At most this many string and this many integer literals per function.
const MAX_LITERALS: usize = 32;

/// Collects literals; compared ones (`==`, `match` arms, `starts_with`, ...) first, so they survive the cap.
#[derive(Default)]
struct LitCollector {
    compared: Vec<Lit>,
    other: Vec<Lit>,
    in_compare: usize,
}

#[derive(Clone)]
enum Lit {
    Str(String),
    Int(i128),
}

const COMPARING_METHODS: &[&str] = &[
    "starts_with",
    "ends_with",
    "contains",
    "strip_prefix",
    "strip_suffix",
    "eq",
    "ne",
    "eq_ignore_ascii_case",
    "find",
    "split",
    "split_once",
    "trim_start_matches",
    "trim_end_matches",
    "matches",
    "replace",
    "cmp",
    "partial_cmp",
    "min",
    "max",
    "clamp",
    "checked_add",
    "checked_sub",
    "checked_mul",
];

const FORMAT_MACROS: &[&str] = &[
    "format",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "format_args",
    "trace",
    "debug",
    "info",
    "warn",
    "error",
];

impl LitCollector {
    fn push(&mut self, lit: Lit) {
        if self.in_compare > 0 {
            self.compared.push(lit);
        } else {
            self.other.push(lit);
        }
    }

    fn lit(&mut self, lit: &syn::Lit, negative: bool) {
        match lit {
            syn::Lit::Str(s) => self.push(Lit::Str(s.value())),
            syn::Lit::ByteStr(b) => {
                self.push(Lit::Str(String::from_utf8_lossy(&b.value()).into_owned()))
            }
            syn::Lit::Char(c) => self.push(Lit::Str(c.value().to_string())),
            syn::Lit::Byte(b) => self.push(Lit::Int(i128::from(b.value()))),
            syn::Lit::Int(i) => {
                // syn reads `-1` in a pattern as one literal with its sign.
                if let Ok(v) = i.base10_parse::<i128>() {
                    self.push(Lit::Int(if negative { v.saturating_neg() } else { v }));
                }
            }
            _ => {}
        }
    }

    fn compared<F: FnOnce(&mut Self)>(&mut self, f: F) {
        self.in_compare += 1;
        f(self);
        self.in_compare -= 1;
    }
}

impl<'ast> Visit<'ast> for LitCollector {
    fn visit_lit(&mut self, lit: &'ast syn::Lit) {
        self.lit(lit, false);
    }

    fn visit_expr_unary(&mut self, e: &'ast syn::ExprUnary) {
        if let (syn::UnOp::Neg(_), syn::Expr::Lit(l)) = (&e.op, &*e.expr) {
            self.lit(&l.lit, true);
            return;
        }
        syn::visit::visit_expr_unary(self, e);
    }

    fn visit_expr_binary(&mut self, e: &'ast syn::ExprBinary) {
        use syn::BinOp::*;
        if matches!(e.op, Eq(_) | Ne(_) | Lt(_) | Le(_) | Gt(_) | Ge(_)) {
            self.compared(|s| syn::visit::visit_expr_binary(s, e));
        } else {
            syn::visit::visit_expr_binary(self, e);
        }
    }

    fn visit_expr_method_call(&mut self, e: &'ast syn::ExprMethodCall) {
        if COMPARING_METHODS.contains(&e.method.to_string().as_str()) {
            self.visit_expr(&e.receiver);
            self.compared(|s| e.args.iter().for_each(|a| s.visit_expr(a)));
        } else {
            syn::visit::visit_expr_method_call(self, e);
        }
    }

    fn visit_pat(&mut self, p: &'ast syn::Pat) {
        self.compared(|s| syn::visit::visit_pat(s, p));
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let name = m
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if name == "matches" {
            let parsed = m.parse_body_with(|input: syn::parse::ParseStream| {
                let e: syn::Expr = input.parse()?;
                input.parse::<syn::Token![,]>()?;
                let p = syn::Pat::parse_multi_with_leading_vert(input)?;
                let _rest: proc_macro2::TokenStream = input.parse()?;
                Ok((e, p))
            });
            if let Ok((e, p)) = parsed {
                self.visit_expr(&e);
                self.visit_pat(&p);
            }
            return;
        }
        let Ok(args) = m.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        ) else {
            return;
        };
        let skip_format = FORMAT_MACROS.contains(&name.as_str());
        for (i, a) in args.iter().enumerate() {
            // The format string of a `format!`-like macro is a message, not an input hint.
            if skip_format
                && (i == 0
                    || matches!(
                        a,
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(_),
                            ..
                        })
                    ))
            {
                continue;
            }
            if name.starts_with("assert") {
                self.compared(|s| s.visit_expr(a));
            } else {
                self.visit_expr(a);
            }
        }
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {
        // Nested items (helper fns, consts) are not the function's own comparisons.
    }
}

/// At most this many strings from a constructor's doc examples.
const MAX_EXAMPLES: usize = 8;

/// String literals in the code blocks of an item's doc comment (hidden `# ` lines included): a doc
/// example is a valid input by construction (`Version::parse("1.2.3")`), which is what a constructor
/// that rejects almost everything needs to build the values other functions are tested with.
pub(super) fn doc_example_strings(attrs: &[syn::Attribute]) -> Vec<String> {
    fn collect(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Group(g) => collect(g.stream(), out),
                proc_macro2::TokenTree::Literal(lit) => {
                    if let Ok(s) = syn::parse_str::<syn::LitStr>(&lit.to_string()) {
                        let value = s.value();
                        if out.len() < MAX_EXAMPLES && !out.contains(&value) {
                            out.push(value);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut code = String::new();
    let mut in_block = false;
    for attr in attrs {
        let syn::Meta::NameValue(nv) = &attr.meta else {
            continue;
        };
        if !nv.path.is_ident("doc") {
            continue;
        }
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &nv.value
        else {
            continue;
        };
        for line in text.value().lines() {
            let line = line.trim();
            if line.starts_with("```") {
                // Only Rust blocks: a bare fence or one naming rust (`rust`, `no_run`, `should_panic`...).
                let lang = line.trim_start_matches('`');
                in_block = !in_block
                    && (lang.is_empty()
                        || lang.split(',').all(|t| {
                            matches!(
                                t.trim(),
                                "rust"
                                    | "no_run"
                                    | "ignore"
                                    | "should_panic"
                                    | "edition2021"
                                    | "edition2018"
                                    | "edition2024"
                            )
                        }));
                continue;
            }
            if in_block {
                code.push_str(line.strip_prefix('#').map_or(line, str::trim_start));
                code.push('\n');
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(tokens) = code.parse::<proc_macro2::TokenStream>() {
        collect(tokens, &mut out);
    }
    out
}

pub(super) fn literals_of(block: &syn::Block) -> Literals {
    let mut c = LitCollector::default();
    c.visit_block(block);
    let mut strings: Vec<String> = Vec::new();
    let mut ints: Vec<i128> = Vec::new();
    for lit in c.compared.into_iter().chain(c.other) {
        match lit {
            Lit::Str(s) if strings.len() < MAX_LITERALS && !strings.contains(&s) => strings.push(s),
            Lit::Int(i) if ints.len() < MAX_LITERALS && !ints.contains(&i) => ints.push(i),
            _ => {}
        }
    }
    strings.sort();
    ints.sort_unstable();
    Literals { strings, ints }
}

#[cfg(test)]
mod tests {
    use crate::discover::tests::{find, lib};

    #[test]
    fn constructors_keep_the_strings_of_their_doc_examples() {
        let inv = lib(r#"
            pub struct Version(u16, u16);
            impl Version {
                /// Parses `major.minor`.
                ///
                /// ```
                /// # let v = demo::Version::parse("0.1").unwrap();
                /// assert!(Version::parse("1.2").is_ok());
                /// assert!(Version::parse("1.2").is_ok());
                /// ```
                ///
                /// ```text
                /// not rust: "9.9"
                /// ```
                pub fn parse(s: &str) -> Option<Version> { None }
            }
            #[ai_generated]
            pub fn f(v: &Version) {}
        "#);
        let version = &inv.packages[0].types[0];
        assert_eq!(version.constructors[0].examples, ["0.1", "1.2"]);
    }

    #[test]
    fn literals_are_mined_compared_first_deduped_and_sorted() {
        let inv = lib(r#"
            #[ai_generated]
            pub fn f(s: &str, n: i64) -> bool {
                if s == "GET" || s.starts_with(b"\x7fELF") { return true; }
                match n { -1 => false, 0..=9 => true, 65535 => true, _ => { println!("x {}", "msg"); s == "GET" } }
            }
        "#);
        let lits = &find(&inv, "f").literals;
        assert_eq!(lits.strings, ["GET", "\u{7f}ELF"]);
        assert_eq!(lits.ints, [-1, 0, 9, 65535]);
    }
}
