//! Literals (syn's `Visit`, through `discover`): the strings, integers, floats and byte literals a function
//! body compares against or contains (nested fns and closures included), compared ones first; its strings in
//! body order (format template pieces included); and the strings of an item's doc examples: hints for
//! strategies.

use syn::visit::Visit;

use crate::model::Literals;

/// At most this many string and this many integer literals per function (and words in body order).
const MAX_LITERALS: usize = 32;

/// At most this many byte literals and this many float literals per function.
const MAX_BYTES: usize = 16;

/// Byte arrays of integer literals longer than this are tables, not magics.
const MAX_ARRAY: usize = 64;

/// Collects literals; compared ones (`==`, `match` arms, `starts_with`, ...) first, so they survive the cap.
#[derive(Default)]
struct LitCollector {
    compared: Vec<Lit>,
    other: Vec<Lit>,
    /// String literals and template pieces in the order the body uses them (pieces only here).
    words: Vec<String>,
    in_compare: usize,
    /// Paths of the functions the body calls (`bcrypt::verify`, `verify`), in order, at most
    /// [`MAX_CALLEES`].
    callees: Vec<String>,
}

/// At most this many called paths per function.
const MAX_CALLEES: usize = 16;

#[derive(Clone)]
enum Lit {
    Str(String),
    Int(i128),
    Bytes(Vec<u8>),
    Float(f64),
}

/// Macros whose template builds text the function returns or writes (its pieces are words of the format it
/// speaks); messages of `panic!`, printing and logging are not.
const OUTPUT_MACROS: &[&str] = &["format", "write", "writeln", "format_args"];

/// The text between the placeholders of a format template (`{{`/`}}` read as braces), non-blank pieces only.
fn template_pieces(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut piece = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                piece.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                piece.push('}');
            }
            '{' => {
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                }
                out.push(std::mem::take(&mut piece));
            }
            _ => piece.push(c),
        }
    }
    out.push(piece);
    out.retain(|p| !p.trim().is_empty());
    out
}

/// The bytes of an array of integer (or byte) literals that all fit a byte: `[0x89, b'P', b'N', b'G']`.
fn byte_array(a: &syn::ExprArray) -> Option<Vec<u8>> {
    if a.elems.len() < 2 || a.elems.len() > MAX_ARRAY {
        return None;
    }
    a.elems
        .iter()
        .map(|e| match e {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Byte(b),
                ..
            }) => Some(b.value()),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(i),
                ..
            }) => i.base10_parse::<u8>().ok(),
            _ => None,
        })
        .collect()
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

    fn word(&mut self, w: String) {
        if self.words.len() < MAX_LITERALS && !w.is_empty() && !self.words.contains(&w) {
            self.words.push(w);
        }
    }

    fn lit(&mut self, lit: &syn::Lit, negative: bool) {
        match lit {
            syn::Lit::Str(s) => {
                self.word(s.value());
                self.push(Lit::Str(s.value()));
            }
            syn::Lit::ByteStr(b) => {
                let text = String::from_utf8_lossy(&b.value()).into_owned();
                self.word(text.clone());
                self.push(Lit::Bytes(b.value()));
                self.push(Lit::Str(text));
            }
            syn::Lit::Char(c) => {
                self.word(c.value().to_string());
                self.push(Lit::Str(c.value().to_string()));
            }
            syn::Lit::Byte(b) => {
                self.push(Lit::Int(i128::from(b.value())));
                self.push(Lit::Bytes(vec![b.value()]));
            }
            syn::Lit::Float(f) => {
                if let Ok(v) = f.base10_parse::<f64>() {
                    self.push(Lit::Float(if negative { -v } else { v }));
                }
            }
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
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            let path = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect::<Vec<_>>()
                .join("::");
            if self.callees.len() < MAX_CALLEES && !self.callees.contains(&path) {
                self.callees.push(path);
            }
        }
        syn::visit::visit_expr_call(self, c);
    }

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

    fn visit_expr_array(&mut self, a: &'ast syn::ExprArray) {
        if let Some(bytes) = byte_array(a) {
            self.push(Lit::Bytes(bytes));
        }
        syn::visit::visit_expr_array(self, a);
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
        // `write!(out, "...")`: the template is the second argument.
        let template_at = usize::from(matches!(name.as_str(), "write" | "writeln"));
        if OUTPUT_MACROS.contains(&name.as_str()) {
            if let Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(t),
                ..
            })) = args.iter().nth(template_at)
            {
                // Words only: the pieces say what the text looks like, but the body does not compare
                // against them (an error message's pieces would only dilute the literal mutations).
                for piece in template_pieces(&t.value()) {
                    self.word(piece);
                }
            }
        }
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

    fn visit_item(&mut self, item: &'ast syn::Item) {
        // Nested helper fns, consts and statics are the function's own code; nested types, impls and
        // modules are not.
        match item {
            syn::Item::Fn(_) | syn::Item::Const(_) | syn::Item::Static(_) => {
                syn::visit::visit_item(self, item);
            }
            _ => {}
        }
    }
}

/// At most this many strings from a constructor's doc examples.
const MAX_EXAMPLES: usize = 8;

/// String literals in the code blocks of an item's doc comment (hidden `# ` lines included): a doc
/// example is a valid input by construction (`Version::parse("1.2.3")`), which is what a constructor
/// that rejects almost everything needs to build the values other functions are tested with.
pub(super) fn doc_example_strings(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(tokens) = doc_code(attrs).parse::<proc_macro2::TokenStream>() {
        collect_strings(tokens, &mut out);
    }
    out
}

/// The string literals of `tokens`, at most [`MAX_EXAMPLES`], deduplicated, in order.
fn collect_strings(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Group(g) => collect_strings(g.stream(), out),
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

/// The Rust code of an item's doc examples (hidden `# ` lines included), one line per line.
pub(super) fn doc_code(attrs: &[syn::Attribute]) -> String {
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
    code
}

/// The literals of a function: its body's (`block`) and its doc examples' (`attrs`).
pub(super) fn literals_of(block: &syn::Block, attrs: &[syn::Attribute]) -> Literals {
    let mut c = LitCollector::default();
    c.visit_block(block);
    let mut strings: Vec<String> = Vec::new();
    let mut ints: Vec<i128> = Vec::new();
    let mut bytes: Vec<Vec<u8>> = Vec::new();
    let mut floats: Vec<f64> = Vec::new();
    for lit in c.compared.into_iter().chain(c.other) {
        match lit {
            Lit::Str(s) if strings.len() < MAX_LITERALS && !strings.contains(&s) => strings.push(s),
            Lit::Int(i) if ints.len() < MAX_LITERALS && !ints.contains(&i) => ints.push(i),
            Lit::Bytes(b) if bytes.len() < MAX_BYTES && !b.is_empty() && !bytes.contains(&b) => {
                bytes.push(b);
            }
            Lit::Float(f) if floats.len() < MAX_BYTES && f.is_finite() && !floats.contains(&f) => {
                floats.push(f);
            }
            _ => {}
        }
    }
    strings.sort();
    ints.sort_unstable();
    // Several bytes first: a magic says more than a lone tag byte.
    bytes.sort_by_key(|b| b.len() < 2);
    Literals {
        strings,
        ints,
        bytes,
        words: c.words,
        floats,
        examples: doc_example_strings(attrs),
        callees: c.callees,
    }
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
        assert_eq!(lits.bytes, [b"\x7fELF".to_vec()]);
    }

    #[test]
    fn bytes_arrays_floats_templates_nested_fns_and_body_order_are_mined() {
        let inv = lib(r#"
            /// ```
            /// assert!(demo::g(b"", "v=1.2").is_some());
            /// ```
            #[ai_generated]
            pub fn g(b: &[u8], s: &str) -> Option<String> {
                fn helper(x: &str) -> bool { x == "nested" }
                let check = |x: &[u8]| x.starts_with(&[0x89, b'P', b'N', b'G']);
                if s.starts_with("GET ") && s.contains("timeout") && s.ends_with(':') && b == &[0x1f, 0x8b] {
                    return None;
                }
                if b.first() == Some(&b'#') && (s.len() as f64) < -2.5 { return None; }
                let _ = (helper(s), check(b));
                Some(format!("{}={{x}}; max={}", s, 1.5))
            }
        "#);
        let lits = &find(&inv, "g").literals;
        assert_eq!(lits.examples, ["v=1.2"]);
        assert!(
            lits.strings.contains(&"nested".to_string()),
            "{:?}",
            lits.strings
        );
        assert!(
            lits.bytes.contains(&b"\x89PNG".to_vec()),
            "{:?}",
            lits.bytes
        );
        assert!(lits.bytes.contains(&vec![0x1f, 0x8b]));
        assert_eq!(
            lits.bytes.last(),
            Some(&b"#".to_vec()),
            "single bytes after magics"
        );
        assert_eq!(lits.floats, [-2.5, 1.5]);
        let order: Vec<&str> = lits
            .words
            .iter()
            .map(String::as_str)
            .filter(|w| ["GET ", "timeout", ":"].contains(w))
            .collect();
        assert_eq!(order, ["GET ", "timeout", ":"], "body order");
        assert!(
            lits.words.contains(&"={x}; max=".to_string()),
            "{:?}",
            lits.words
        );
    }
}
