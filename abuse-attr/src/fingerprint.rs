//! The fingerprint a sign-off pins: one algorithm for the macro (compiler tokens) and the CLI (parsed files).
//!
//! Definition, so that anyone can recompute it:
//! 1. Re-print the item with syn (`to_token_stream`).
//! 2. Walk the tokens, dropping every attribute `#[doc ...]` / `#![doc ...]` and every attribute whose
//!    path's last segment is `ai_generated`, at any depth (the item, the methods of a tagged `impl`
//!    block, nested items in a body). `None`-delimited groups (from `macro_rules!` fragments) are walked
//!    through as if absent. A comma that is the last token of a delimited group is dropped (rustfmt adds
//!    and removes those), except in a tuple, where `(x,)` differs from `(x)`: a parenthesized group is
//!    a tuple unless it follows a name that is not a keyword, `!`, `)`, `]` or the `>` of a turbofish.
//! 3. Write each remaining token followed by one space: an identifier or a literal as it is written
//!    (`Ident`/`Literal` `to_string`, with CRLF in a literal turned into LF, as rustc does on reading a
//!    file), a punctuation character as itself, a group as its open delimiter, its contents, its close
//!    delimiter. Spacing, comments and spans play no part.
//! 4. Append `"\n\0prompt\0\n"` and the prompt text with CRLF turned into LF and trailing whitespace
//!    trimmed (an empty string when the function has no prompt).
//! 5. FNV-1a 64 over the UTF-8 bytes, printed as `{:016x}`.
//!
//! Compiler tokens and `syn::parse_file` of the same source go through the same syn types and so give the
//! same string: that is what makes a sign-off computed by the CLI match the one checked by the macro.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

/// The fingerprint of a free function (or of a method, as the attribute macro sees it).
pub fn of_item_fn(item: &syn::ItemFn, prompt: &str) -> String {
    of_tokens(item.to_token_stream(), prompt)
}

/// The fingerprint of a method or associated function, as the CLI finds it inside an `impl` block.
/// Equal to [`of_item_fn`] of the same text.
pub fn of_impl_fn(item: &syn::ImplItemFn, prompt: &str) -> String {
    of_tokens(item.to_token_stream(), prompt)
}

/// The fingerprint of a tagged `impl` block: its sign-off covers the whole block.
/// The `ai_generated` attributes of its methods (and their sign-offs) are not part of it.
pub fn of_impl(item: &syn::ItemImpl, prompt: &str) -> String {
    of_tokens(item.to_token_stream(), prompt)
}

/// True when `path` names the attribute: its last segment is `ai_generated`
/// (`ai_generated`, `abuse_macros::ai_generated`, `::abuse_macros::ai_generated`).
pub fn is_ai_generated_path(path: &syn::Path) -> bool {
    path.segments
        .last()
        .is_some_and(|segment| segment.ident == "ai_generated")
}

/// The fingerprint of any token stream (steps 2 to 5 of the module documentation).
pub fn of_tokens(tokens: TokenStream, prompt: &str) -> String {
    let mut text = canonical(tokens);
    text.push_str("\n\0prompt\0\n");
    text.push_str(prompt.replace("\r\n", "\n").trim_end());
    format!("{:016x}", abuse_record::fnv1a_64(text.as_bytes()))
}

/// The canonical text of a token stream (steps 2 and 3 of the module documentation).
pub fn canonical(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_stream(tokens, false, &mut out);
    out
}

/// The trees of a stream with `None`-delimited groups replaced by their contents, recursively.
fn flatten(tokens: TokenStream, out: &mut Vec<TokenTree>) {
    for tree in tokens {
        match tree {
            TokenTree::Group(g) if g.delimiter() == Delimiter::None => flatten(g.stream(), out),
            other => out.push(other),
        }
    }
}

fn write_stream(tokens: TokenStream, comma_optional: bool, out: &mut String) {
    let mut flat = Vec::new();
    flatten(tokens, &mut flat);
    let mut trees = Vec::with_capacity(flat.len());
    let mut i = 0;
    while i < flat.len() {
        match excluded_attribute_len(&flat[i..]) {
            Some(len) => i += len,
            None => {
                trees.push(flat[i].clone());
                i += 1;
            }
        }
    }
    if comma_optional && matches!(trees.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
        trees.pop();
    }
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) => push_word(out, &ident.to_string()),
            TokenTree::Literal(lit) => push_word(out, &lit.to_string().replace("\r\n", "\n")),
            TokenTree::Punct(p) => {
                out.push(p.as_char());
                out.push(' ');
            }
            TokenTree::Group(g) => {
                let (open, close, optional) = match g.delimiter() {
                    Delimiter::Parenthesis => ("(", ")", !is_tuple(&trees[..i])),
                    Delimiter::Brace => ("{", "}", true),
                    Delimiter::Bracket => ("[", "]", true),
                    Delimiter::None => ("", "", false),
                };
                push_word(out, open);
                write_stream(g.stream(), optional, out);
                push_word(out, close);
            }
        }
    }
}

/// Whether a parenthesized group after `before` is a tuple (expression, type or pattern), where a
/// trailing comma is meaningful: `(x,)`. After a name, `>` of a turbofish, `!`, `)` or `]` it is an
/// argument or parameter list (`f(x,)`, `S(x,)`, `m!(x,)`), where it is not.
fn is_tuple(before: &[TokenTree]) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "box", "break", "const", "dyn", "else", "for", "if", "impl", "in", "let",
        "loop", "match", "move", "mut", "ref", "return", "static", "unsafe", "where", "while",
        "yield",
    ];
    match before {
        [.., TokenTree::Ident(ident)] => KEYWORDS.contains(&ident.to_string().as_str()),
        [.., TokenTree::Punct(minus), TokenTree::Punct(gt)] if gt.as_char() == '>' => {
            minus.as_char() == '-'
        }
        [.., TokenTree::Punct(p)] => !matches!(p.as_char(), '>' | '!'),
        [.., TokenTree::Group(g)] => g.delimiter() == Delimiter::Brace,
        _ => true,
    }
}

fn push_word(out: &mut String, word: &str) {
    if !word.is_empty() {
        out.push_str(word);
        out.push(' ');
    }
}

/// If `trees` starts with a doc or `ai_generated` attribute (`#[..]` or `#![..]`), its length in trees.
fn excluded_attribute_len(trees: &[TokenTree]) -> Option<usize> {
    let TokenTree::Punct(hash) = trees.first()? else {
        return None;
    };
    if hash.as_char() != '#' {
        return None;
    }
    let (bracket_at, len) = match trees.get(1)? {
        TokenTree::Punct(bang) if bang.as_char() == '!' => (2, 3),
        _ => (1, 2),
    };
    match trees.get(bracket_at)? {
        TokenTree::Group(g)
            if g.delimiter() == Delimiter::Bracket && is_excluded_meta(g.stream()) =>
        {
            Some(len)
        }
        _ => None,
    }
}

/// `doc ...` or `path::to::ai_generated` optionally followed by one argument group.
fn is_excluded_meta(meta: TokenStream) -> bool {
    let mut trees = Vec::new();
    flatten(meta, &mut trees);
    let mut segments: Vec<String> = Vec::new();
    let mut rest = trees.as_slice();
    loop {
        match rest {
            [TokenTree::Punct(a), TokenTree::Punct(b), tail @ ..]
                if a.as_char() == ':' && b.as_char() == ':' =>
            {
                rest = tail;
            }
            [TokenTree::Ident(ident), tail @ ..] => {
                segments.push(ident.to_string());
                rest = tail;
                let continues = matches!(
                    rest,
                    [TokenTree::Punct(a), TokenTree::Punct(b), ..]
                        if a.as_char() == ':' && b.as_char() == ':'
                );
                if !continues {
                    break;
                }
            }
            _ => return false,
        }
    }
    if segments.len() == 1 && segments[0] == "doc" {
        return true;
    }
    segments.last().is_some_and(|s| s == "ai_generated")
        && matches!(rest, [] | [TokenTree::Group(_)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn fn_fp(src: &str, prompt: &str) -> String {
        of_item_fn(&syn::parse_str(src).expect("test source parses"), prompt)
    }

    const BASE: &str = r#"
        #[ai_generated(prompt = "p", signed_off = "bob 2026-11-27 0123456789abcdef")]
        #[inline]
        pub fn parse_port(s: &str) -> Result<u16, String> {
            s.parse::<u16>().map_err(|e| e.to_string())
        }
    "#;

    #[test]
    fn fingerprint_is_sixteen_lowercase_hex_digits() {
        let fp = fn_fp(BASE, "p");
        assert_eq!(fp.len(), 16);
        assert!(fp
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }

    #[test]
    fn formatting_comments_docs_and_signoff_do_not_change_the_fingerprint() {
        let other = r#"
            /// Parses a port.
            ///
            /// More docs.
            #[doc = "and more"]
            #[inline]
            #[abuse_macros::ai_generated(prompt = "something else entirely")]
            pub fn parse_port(
                s: &str, // the input
            ) -> Result<u16, String>
            {
                /* a block comment */
                s.parse::<u16>()
                    .map_err(|e| e.to_string())
            }
        "#;
        let canon = |src: &str| {
            canonical(
                syn::parse_str::<syn::ItemFn>(src)
                    .unwrap()
                    .to_token_stream(),
            )
        };
        assert_eq!(canon(BASE), canon(other));
        assert_eq!(fn_fp(BASE, "p"), fn_fp(other, "p"));
    }

    #[test]
    fn quote_tokens_give_the_same_fingerprint_as_parsed_source() {
        let item: syn::ItemFn = syn::parse2(quote! {
            #[inline]
            pub fn parse_port(s: &str) -> Result<u16, String> {
                s.parse::<u16>().map_err(|e| e.to_string())
            }
        })
        .unwrap();
        assert_eq!(of_item_fn(&item, "p"), fn_fp(BASE, "p"));
    }

    #[test]
    fn one_token_changes_change_the_fingerprint() {
        let base = fn_fp(BASE, "p");
        let body = BASE.replace("e.to_string()", "e.to_string().trim().into()");
        let literal = BASE.replace("u16>()", "u8>()");
        let signature = BASE.replace("pub fn", "pub(crate) fn");
        let param = BASE.replace("s: &str", "s: &'static str");
        let name = BASE.replace("parse_port", "parse_port2");
        let attr = BASE.replace("#[inline]", "#[inline(always)]");
        for changed in [body, literal, signature, param, name, attr] {
            assert_ne!(fn_fp(&changed, "p"), base, "{changed}");
        }
        assert_ne!(fn_fp(BASE, "p "), fn_fp(BASE, "p."));
        assert_ne!(fn_fp(BASE, ""), base);
    }

    #[test]
    fn trailing_commas_do_not_matter_except_in_one_element_tuples() {
        let a = canonical(quote!(
            fn f(a: u8, b: u8) {
                g([1, 2], S { x: 1 });
                h((1,))
            }
        ));
        let b = canonical(quote!(
            fn f(a: u8, b: u8) {
                g([1, 2], S { x: 1 });
                h((1,))
            }
        ));
        assert_eq!(a, b);
        assert_ne!(
            canonical(quote!(
                fn f() -> (u8,) {}
            )),
            canonical(quote!(
                fn f() -> (u8) {}
            ))
        );
        assert_ne!(
            canonical(quote!(
                fn f() {
                    let (x,) = (1,);
                }
            )),
            canonical(quote!(
                fn f() {
                    let (x) = (1);
                }
            ))
        );
        assert_eq!(
            canonical(quote!(
                fn f(x: u8) {
                    g::<u8>(x);
                    S(x);
                    m!(x,)
                }
            )),
            canonical(quote!(
                fn f(x: u8) {
                    g::<u8>(x);
                    S(x);
                    m!(x)
                }
            ))
        );
    }

    #[test]
    fn other_attributes_are_part_of_the_fingerprint() {
        let without = BASE.replace("#[inline]", "");
        assert_ne!(fn_fp(&without, "p"), fn_fp(BASE, "p"));
        let cfg = BASE.replace("#[inline]", "#[inline] #[cfg(unix)]");
        assert_ne!(fn_fp(&cfg, "p"), fn_fp(BASE, "p"));
    }

    #[test]
    fn prompt_line_endings_and_trailing_whitespace_do_not_matter() {
        assert_eq!(
            fn_fp(BASE, "line 1\r\nline 2\r\n"),
            fn_fp(BASE, "line 1\nline 2")
        );
    }

    #[test]
    fn method_and_free_function_forms_agree() {
        let method =
            r#"#[ai_generated] pub fn len(&self, x: u32) -> usize { self.0.len() + x as usize }"#;
        let as_item: syn::ItemFn = syn::parse_str(method).unwrap();
        let as_impl_item: syn::ImplItemFn = syn::parse_str(method).unwrap();
        assert_eq!(of_item_fn(&as_item, "q"), of_impl_fn(&as_impl_item, "q"));
    }

    #[test]
    fn impl_fingerprint_ignores_method_bookkeeping_and_docs() {
        let a: syn::ItemImpl = syn::parse_str(
            r#"#[ai_generated] impl Port { /// docs
               #[ai_generated(signed_off = "bob 2026-11-27 0123456789abcdef")]
               pub fn get(&self) -> u16 { self.0 } }"#,
        )
        .unwrap();
        let b: syn::ItemImpl =
            syn::parse_str("impl Port { pub fn get(&self) -> u16 { self.0 } }").unwrap();
        let c: syn::ItemImpl =
            syn::parse_str("impl Port { pub fn get(&self) -> u16 { self.1 } }").unwrap();
        assert_eq!(of_impl(&a, ""), of_impl(&b, ""));
        assert_ne!(of_impl(&b, ""), of_impl(&c, ""));
    }

    #[test]
    fn none_delimited_groups_hash_like_their_contents() {
        use proc_macro2::Group;
        let plain = quote!(
            fn f() -> u32 {
                1 + 2
            }
        );
        let inner = TokenStream::from(TokenTree::Group(Group::new(Delimiter::None, quote!(1 + 2))));
        let grouped = quote!(fn f() -> u32 { #inner });
        assert_eq!(of_tokens(plain, ""), of_tokens(grouped, ""));
    }

    #[test]
    fn canonical_text_is_space_separated_tokens() {
        assert_eq!(
            canonical(quote!(
                #[doc = "x"]
                #[a::ai_generated(k = 1)]
                fn f(x: [u8; 2]) {}
            )),
            "fn f ( x : [ u8 ; 2 ] ) { } "
        );
        // Only whole attributes named `ai_generated` are dropped, not paths that merely contain it.
        assert_eq!(
            canonical(quote!(
                #[ai_generated::other]
                fn f() {}
            )),
            "# [ ai_generated : : other ] fn f ( ) { } "
        );
    }

    #[test]
    fn is_ai_generated_path_looks_at_the_last_segment() {
        for yes in [
            "ai_generated",
            "abuse_macros::ai_generated",
            "::abuse_macros::ai_generated",
        ] {
            assert!(is_ai_generated_path(&syn::parse_str(yes).unwrap()), "{yes}");
        }
        for no in ["ai_generated::x", "doc", "generated"] {
            assert!(!is_ai_generated_path(&syn::parse_str(no).unwrap()), "{no}");
        }
    }
}
