//! proc-macro2 span locations (through `discover`'s syn) turned into the byte ranges `sign` edits: the
//! whole tag, its argument list or where one goes, and the `signed_off` literal.
//!
//! Recorded once, from the same parse discovery makes, so `sign` never reads Rust again: it checks that the
//! file still holds the attribute's text at its range, then splices at the recorded offsets.

use std::ops::Range;

use proc_macro2::Span;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};

use crate::model::{ArgsSpan, AttrSite, AttrSpan};

/// A file's text and where its spans count from.
#[derive(Default)]
pub(super) struct SourceText {
    text: String,
    /// Bytes `syn::parse_file` skips before lexing (a byte-order mark, a `#!` line): spans count from there.
    base: usize,
}

impl SourceText {
    /// `text` as read; `shebang` is what syn kept of a `#!` line (`syn::File::shebang`).
    pub(super) fn new(text: String, shebang: Option<&str>) -> SourceText {
        let bom = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let base = bom + shebang.map_or(0, str::len);
        SourceText { text, base }
    }

    /// The byte range of `span` in the file.
    fn range(&self, span: Span) -> Range<usize> {
        let r = span.byte_range();
        r.start + self.base..r.end + self.base
    }
}

/// Where the tag `attr` is (after `cfg_attr` unwrapping: its `#` and `]` are the `cfg_attr`'s, its meta the
/// tag's own), with the byte ranges `sign` needs.
pub(super) fn attr_site(attr: &syn::Attribute, source: &SourceText) -> AttrSite {
    let start = attr.pound_token.span.start();
    let whole = source.range(attr.pound_token.span).start
        ..source.range(attr.bracket_token.span.close()).end;
    // A text that does not hold the attribute at its range (spans of another parse) records nothing.
    let span = source
        .text
        .get(whole.clone())
        .filter(|t| t.starts_with('#') && t.ends_with(']'))
        .map(|text| AttrSpan {
            attr: whole.clone(),
            text: text.to_string(),
            args: args_span(&attr.meta, source),
        });
    AttrSite {
        line: start.line as u32,
        column: start.column as u32 + 1,
        path: attr.path().to_token_stream().to_string().replace(' ', ""),
        span,
    }
}

/// The reason given for an attribute that is neither `#[tag]` nor `#[tag(...)]`.
const NOT_A_LIST: &str = "expected `(` or `]` after the attribute path";

fn args_span(meta: &syn::Meta, source: &SourceText) -> ArgsSpan {
    let list = match meta {
        syn::Meta::Path(path) => {
            let last = path.segments.last().expect("a path has a segment");
            return ArgsSpan::Bare {
                insert_at: source.range(last.ident.span()).end,
            };
        }
        syn::Meta::List(list) if matches!(list.delimiter, syn::MacroDelimiter::Paren(_)) => list,
        _ => {
            return ArgsSpan::Unsupported {
                reason: NOT_A_LIST.to_string(),
            }
        }
    };
    let tokens: Vec<proc_macro2::TokenTree> = list.tokens.clone().into_iter().collect();
    let last = tokens.last();
    let entries = entries(list.tokens.clone());
    let mut signed_off = None;
    for entry in entries.iter().filter(|e| e.key == "signed_off") {
        let literal = match &entry.value {
            None => return unsupported("`signed_off` has no `= \"...\"` value"),
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            })) => source.range(s.span()),
            Some(_) => return unsupported("`signed_off` is not a string literal"),
        };
        if signed_off.replace(literal).is_some() {
            return unsupported("`signed_off` is given twice");
        }
    }
    ArgsSpan::List {
        open: source.range(list.delimiter.span().open()).end,
        last_entry: entries.last().map(|e| source.range(e.key.span()).start),
        last_token_end: last.map(|t| source.range(t.span()).end),
        trailing_comma: matches!(last, Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == ','),
        signed_off,
    }
}

fn unsupported(reason: &str) -> ArgsSpan {
    ArgsSpan::Unsupported {
        reason: reason.to_string(),
    }
}

/// One `key`, `key = value` or `key(...)` of the list.
struct Entry {
    key: proc_macro2::Ident,
    /// The expression after `=`; `None` for `key` and `key(...)`.
    value: Option<syn::Expr>,
}

/// The entries of an argument list, read with the attribute's grammar (`abuse_attr` checks the keys and
/// values; a malformed list has a diagnostic already): as many as read, up to the first that does not.
fn entries(tokens: proc_macro2::TokenStream) -> Vec<Entry> {
    let mut out = Vec::new();
    let read = |input: ParseStream| -> syn::Result<()> {
        while !input.is_empty() {
            let key = input.call(proc_macro2::Ident::parse_any)?;
            let value = if input.peek(syn::Token![=]) {
                input.parse::<syn::Token![=]>()?;
                match input.parse::<syn::Expr>() {
                    Ok(e) => Some(e),
                    Err(e) => {
                        out.push(Entry { key, value: None });
                        return Err(e);
                    }
                }
            } else {
                if input.peek(syn::token::Paren) {
                    let _content;
                    syn::parenthesized!(_content in input);
                }
                None
            };
            out.push(Entry { key, value });
            if input.is_empty() {
                break;
            }
            input.parse::<syn::Token![,]>()?;
        }
        Ok(())
    };
    // An error only ends the reading early: the entries before it are kept.
    let _ = read.parse2(tokens);
    out
}

/// The site of every tag in `source` (a whole file), in file order, as discovery records them: what the
/// tests of `sign` edit. `Err` with syn's message when the file does not parse.
#[cfg(test)]
pub(crate) fn tag_sites(source: &str) -> Result<Vec<AttrSite>, String> {
    use std::collections::HashSet;
    use syn::visit::Visit;
    use syn::visit_mut::VisitMut;

    struct Tags<'s> {
        source: &'s SourceText,
        renames: Vec<HashSet<String>>,
        out: Vec<AttrSite>,
    }
    impl<'ast> Visit<'ast> for Tags<'_> {
        fn visit_file(&mut self, f: &'ast syn::File) {
            self.renames.push(super::tags::attr_renames(&f.items));
            syn::visit::visit_file(self, f);
        }
        fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
            let items = m.content.as_ref().map_or(&[][..], |(_, items)| &items[..]);
            self.renames.push(super::tags::attr_renames(items));
            syn::visit::visit_item_mod(self, m);
            self.renames.pop();
        }
        fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
            let renames = self.renames.last().expect("inside the file");
            if super::tags::is_tag(attr, renames) {
                self.out.push(attr_site(attr, self.source));
            }
        }
    }
    let mut file = syn::parse_file(source).map_err(|e| e.to_string())?;
    super::tags::UnwrapCfgAttrTags.visit_file_mut(&mut file);
    let text = SourceText::new(source.to_string(), file.shebang.as_deref());
    let mut tags = Tags {
        source: &text,
        renames: Vec::new(),
        out: Vec::new(),
    };
    tags.visit_file(&file);
    tags.out
        .sort_by_key(|s| s.span.as_ref().map(|s| s.attr.start));
    Ok(tags.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(src: &str) -> AttrSpan {
        let sites = tag_sites(src).expect("parses");
        assert_eq!(sites.len(), 1, "{sites:?}");
        sites[0].span.clone().expect("recorded")
    }

    #[test]
    fn ranges_are_bytes_of_the_file_as_read_after_a_bom_a_shebang_and_multibyte_chars() {
        for prefix in [
            "",
            "\u{feff}",
            "#!/usr/bin/env run\n",
            "\u{feff}#!x\n/* é ü */ ",
        ] {
            let src = format!(
                "{prefix}#[ai_generated(author = \"zoë\", signed_off = \"a b c\")]\nfn f() {{}}\n"
            );
            let span = site(&src);
            assert_eq!(&src[span.attr.clone()], span.text);
            assert!(span.text.starts_with("#[ai_generated(") && span.text.ends_with(")]"));
            let ArgsSpan::List {
                open,
                last_entry,
                last_token_end,
                trailing_comma,
                signed_off,
            } = span.args
            else {
                panic!("a list: {span:?}")
            };
            assert_eq!(&src[..open], format!("{prefix}#[ai_generated("));
            assert!(src[last_entry.expect("an entry")..].starts_with("signed_off ="));
            assert_eq!(&src[signed_off.expect("a literal")], "\"a b c\"");
            assert!(src[..last_token_end.expect("tokens")].ends_with("\"a b c\""));
            assert!(!trailing_comma);
        }
    }

    #[test]
    fn a_bare_tag_records_the_end_of_its_path_even_inside_cfg_attr() {
        let src = "#[cfg_attr(test, abuse_macros :: ai_generated)]\nfn f() {}";
        let span = site(src);
        assert_eq!(span.attr, 0..src.find('\n').expect("two lines"));
        let ArgsSpan::Bare { insert_at } = span.args else {
            panic!("bare: {span:?}")
        };
        assert_eq!(&src[insert_at..], ")]\nfn f() {}");
    }

    #[test]
    fn signed_off_that_sign_cannot_replace_is_recorded_as_unsupported() {
        for (src, reason) in [
            (
                "#[ai_generated(signed_off = 3)] fn f() {}",
                "`signed_off` is not a string literal",
            ),
            (
                "#[ai_generated(signed_off(x))] fn f() {}",
                "`signed_off` has no `= \"...\"` value",
            ),
            ("#[ai_generated[x]] fn f() {}", NOT_A_LIST),
        ] {
            assert_eq!(
                site(src).args,
                ArgsSpan::Unsupported {
                    reason: reason.into()
                },
                "{src}"
            );
        }
    }
}
