//! proc-macro2 tokens printed as readable, valid Rust: attribute contents, cfg predicates, types and
//! signatures as a person would write them (discovery's text for the model; syn stays in `discover`).

/// Tokens joined with the spacing a person would write, for expressions and attribute contents:
/// `|s: &str, out: &Result<u16, E>| out.is_err() || !s.is_empty()`. The text always re-parses to the
/// same tokens; `<` and `>` are spaced as comparisons except after `::` (turbofish).
pub fn tokens_text(ts: proc_macro2::TokenStream) -> String {
    print_tokens(ts, false)
}

/// As [`tokens_text`], for types and signatures, where `<` always opens generic arguments.
pub fn type_text(ts: proc_macro2::TokenStream) -> String {
    print_tokens(ts, true)
}

fn print_tokens(ts: proc_macro2::TokenStream, types: bool) -> String {
    let mut p = Printer {
        out: String::new(),
        types,
    };
    p.stream(ts);
    p.out
}

struct Printer {
    out: String,
    /// `<` opens generics (type context) rather than comparing.
    types: bool,
}

impl Printer {
    fn stream(&mut self, ts: proc_macro2::TokenStream) {
        use proc_macro2::{Delimiter, Spacing, TokenTree};
        let mut trees: Vec<TokenTree> = Vec::new();
        flatten_none(ts, &mut trees);
        // Per token: whether no space may follow it (unary operators, openers).
        let mut glue_after = false;
        // Whether the previous punct was a unary operator (inherited by the rest of a compound like `&&`).
        let mut prev_unary = false;
        let mut angle = 0usize;
        let mut closure_params = false;
        for (i, tt) in trees.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| &trees[j]);
            let prev_joint =
                matches!(prev, Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint);
            let second_colon = |k: usize| {
                k >= 1
                    && matches!(&trees[k], TokenTree::Punct(p) if p.as_char() == ':')
                    && matches!(&trees[k - 1], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
            };
            let unary_position = match prev {
                None => true,
                Some(TokenTree::Punct(p)) => {
                    !(p.as_char() == '>' && angle_closed(&trees, i - 1)) && p.as_char() != '?'
                }
                Some(TokenTree::Ident(id)) => is_keyword(&id.to_string()),
                _ => false,
            };
            let mut space = !glue_after && prev.is_some();
            let mut next_glue = false;
            let mut is_unary = false;
            match tt {
                TokenTree::Punct(p) => {
                    let c = p.as_char();
                    if prev_joint {
                        // Second character of a compound operator: `::`, `->`, `&&`, `..=`.
                        space = false;
                        is_unary = prev_unary;
                    }
                    match c {
                        ',' | ';' | '?' => space = false,
                        '.' => {
                            space = false;
                            next_glue = true;
                        }
                        ':' => {
                            space = false;
                            next_glue = p.spacing() == Spacing::Joint || second_colon(i);
                        }
                        '\'' | '#' | '$' => next_glue = true,
                        '<' => {
                            let after_colons = i >= 1 && second_colon(i - 1);
                            let is_arrow_part = prev_joint;
                            if !is_arrow_part
                                && (self.types || after_colons || angle > 0 || closure_params)
                            {
                                angle += 1;
                                space = false;
                                next_glue = true;
                            }
                        }
                        '>' => {
                            let arrow = prev_joint
                                && matches!(prev, Some(TokenTree::Punct(q)) if matches!(q.as_char(), '-' | '='));
                            if !arrow && angle > 0 {
                                angle -= 1;
                                space = false;
                            }
                        }
                        '|' if !self.types => {
                            if closure_params && !prev_joint {
                                closure_params = false;
                                space = false;
                            } else if unary_position && !prev_joint && p.spacing() == Spacing::Alone
                            {
                                closure_params = true;
                                next_glue = true;
                            }
                        }
                        '!' => {
                            let macro_bang = matches!(prev, Some(TokenTree::Ident(_)))
                                && p.spacing() == Spacing::Alone;
                            if macro_bang {
                                space = false;
                                next_glue = true;
                            } else if p.spacing() == Spacing::Alone && !prev_joint {
                                next_glue = true;
                                is_unary = true;
                            }
                        }
                        '&' | '*' | '-' => {
                            if !prev_joint {
                                is_unary = unary_position;
                            }
                            if is_unary && p.spacing() == Spacing::Alone {
                                next_glue = true;
                            }
                        }
                        _ => {}
                    }
                    if prev_joint && is_unary && p.spacing() == Spacing::Alone {
                        next_glue = true;
                    }
                    if space {
                        self.out.push(' ');
                    }
                    self.out.push(c);
                    prev_unary = is_unary;
                }
                TokenTree::Group(g) => {
                    if matches!(g.delimiter(), Delimiter::Parenthesis | Delimiter::Bracket) {
                        match prev {
                            Some(TokenTree::Ident(id))
                                if id == "pub" || !is_keyword(&id.to_string()) =>
                            {
                                space = false
                            }
                            Some(TokenTree::Group(_)) => space = false,
                            Some(TokenTree::Punct(q))
                                if q.as_char() == '>' && angle_closed(&trees, i - 1) =>
                            {
                                space = false
                            }
                            _ => {}
                        }
                    }
                    if space {
                        self.out.push(' ');
                    }
                    let (open, close) = match g.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::Brace => ("{ ", " }"),
                        Delimiter::None => ("", ""),
                    };
                    if g.stream().is_empty() && g.delimiter() == Delimiter::Brace {
                        self.out.push_str("{}");
                    } else {
                        self.out.push_str(open);
                        let types = self.types;
                        // Inside brackets of a type (`[u8; N]`) the length is an expression.
                        self.types = types && g.delimiter() != Delimiter::Brace;
                        self.stream(g.stream());
                        self.types = types;
                        self.out.push_str(close);
                    }
                    prev_unary = false;
                }
                other => {
                    if space {
                        self.out.push(' ');
                    }
                    self.out.push_str(&other.to_string());
                    prev_unary = false;
                }
            }
            glue_after = next_glue;
        }
    }
}

/// Replaces `None`-delimited groups (from macro fragments) by their contents.
fn flatten_none(ts: proc_macro2::TokenStream, out: &mut Vec<proc_macro2::TokenTree>) {
    for tt in ts {
        match tt {
            proc_macro2::TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::None => {
                flatten_none(g.stream(), out)
            }
            other => out.push(other),
        }
    }
}

/// Whether the `>` at `i` closed a generic list (not `->`, `=>`, or a comparison): approximated by
/// looking back for an unmatched `<` that opened generics.
fn angle_closed(trees: &[proc_macro2::TokenTree], i: usize) -> bool {
    use proc_macro2::{Spacing, TokenTree};
    if i >= 1
        && matches!(&trees[i - 1], TokenTree::Punct(p) if matches!(p.as_char(), '-' | '=') && p.spacing() == Spacing::Joint)
    {
        return false;
    }
    let mut depth = 0i32;
    for t in trees[..=i].iter().rev() {
        if let TokenTree::Punct(p) = t {
            match p.as_char() {
                '>' => depth += 1,
                '<' => {
                    depth -= 1;
                    if depth == 0 {
                        return true;
                    }
                }
                ';' | '{' => return false,
                _ => {}
            }
        }
    }
    false
}

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "fn" | "pub"
            | "in"
            | "impl"
            | "dyn"
            | "mut"
            | "const"
            | "unsafe"
            | "async"
            | "move"
            | "return"
            | "where"
            | "for"
            | "if"
            | "match"
            | "while"
            | "let"
            | "as"
            | "else"
            | "extern"
            | "crate"
            | "ref"
            | "static"
            | "break"
            | "continue"
            | "loop"
            | "type"
            | "use"
            | "mod"
            | "struct"
            | "enum"
            | "trait"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use super::tokens_text;
    use quote::ToTokens;

    #[test]
    fn printed_expressions_reparse_to_the_same_tokens() {
        let cases = [
            (
                "|s: &str, out: &Result<u16, PortError>| out.is_err() || !s.is_empty()",
                None,
            ),
            ("0u32..10", Some("0u32..10")),
            ("a < b && c > d", Some("a < b && c > d")),
            ("x as u8 >> 2", None),
            ("Vec::<u8>::new()", Some("Vec::<u8>::new()")),
            ("-1", Some("-1")),
            ("&&x", None),
            ("a & b", Some("a & b")),
            ("\"[0-9]{1,5}\"", Some("\"[0-9]{1,5}\"")),
            ("|x| x.len() <= 5", Some("|x| x.len() <= 5")),
            (
                "proptest::collection::vec(any::<u8>(), 0..10)",
                Some("proptest::collection::vec(any::<u8>(), 0..10)"),
            ),
            ("|a: &u32, b: &Option<Vec<u8>>| *a > 3 && b.is_some()", None),
            ("x - 1 > -2", None),
            ("f(&mut v, &[1, 2])", Some("f(&mut v, &[1, 2])")),
            ("{ let y = x?; y }", None),
            ("if a { b } else { c }", None),
            ("move |x| x << 1", None),
            ("|| true", None),
            ("a | b", Some("a | b")),
        ];
        for (src, expected) in cases {
            let e: syn::Expr = syn::parse_str(src).expect("test input parses");
            let text = tokens_text(e.to_token_stream());
            let again: syn::Expr =
                syn::parse_str(&text).unwrap_or_else(|err| panic!("`{text}` from `{src}`: {err}"));
            assert_eq!(
                again.to_token_stream().to_string(),
                e.to_token_stream().to_string(),
                "{src} -> {text}"
            );
            if let Some(x) = expected {
                assert_eq!(text, x);
            }
        }
    }

    #[test]
    fn printed_types_and_cfgs_are_readable() {
        for (src, expected) in [
            ("&'a mut [u8; 4]", "&'a mut [u8; 4]"),
            (
                "std::collections::HashMap<String, Vec<(u8, char)>>",
                "std::collections::HashMap<String, Vec<(u8, char)>>",
            ),
            (
                "Box<dyn Fn(u8) -> bool + Send>",
                "Box<dyn Fn(u8) -> bool + Send>",
            ),
            (
                "impl Iterator<Item = &'a str>",
                "impl Iterator<Item = &'a str>",
            ),
            ("*const T", "*const T"),
        ] {
            let t: syn::Type = syn::parse_str(src).expect("type parses");
            assert_eq!(super::type_text(t.to_token_stream()), expected);
        }
        let m: syn::Meta = syn::parse_str("cfg(all(unix, not(feature = \"x\")))").expect("meta");
        let syn::Meta::List(l) = m else {
            panic!("list")
        };
        assert_eq!(tokens_text(l.tokens), "all(unix, not(feature = \"x\"))");
    }
}
