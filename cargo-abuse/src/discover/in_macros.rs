//! Tags written inside a macro call (proc_macro2 tokens): `impl_mirrored! { #[ai_generated] pub fn pop(..); }`
//! (tinyvec writes half its `TinyVec` methods so). Discovery reads the source as written, not what the macro
//! expands it to, so such a function is in no list and runs no case; without this it would not appear at all.

use std::collections::HashSet;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

/// Each tag inside `tokens` (the body of a call of `macro_name!`), with the function it is on when one follows
/// it (`fn name`), and the span of its `#`.
pub(super) fn tags_in(
    tokens: &TokenStream,
    renames: &HashSet<String>,
) -> Vec<(Span, Option<String>)> {
    let mut found = Vec::new();
    scan(tokens.clone(), renames, &mut found);
    found
}

fn scan(tokens: TokenStream, renames: &HashSet<String>, found: &mut Vec<(Span, Option<String>)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (at, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let Some(TokenTree::Group(g)) = trees.get(at + 1) else {
                    continue;
                };
                if g.delimiter() == Delimiter::Bracket && is_tag(g.stream(), renames) {
                    found.push((p.span(), fn_after(&trees[at + 2..])));
                }
            }
            TokenTree::Group(g) => scan(g.stream(), renames, found),
            _ => {}
        }
    }
}

/// Whether the inside of `#[...]` is the tag (`ai_generated`, `abuse_macros::ai_generated(...)`, a rename).
fn is_tag(inside: TokenStream, renames: &HashSet<String>) -> bool {
    syn::parse2::<syn::Meta>(inside)
        .is_ok_and(|meta| super::tags::is_tag_path(meta.path(), renames))
}

/// The name after the next `fn` of the item the attribute is on: other attributes, visibility and qualifiers may
/// come first; a `;`, `{` or `}` at this level ends the item.
fn fn_after(trees: &[TokenTree]) -> Option<String> {
    let mut rest = trees.iter();
    while let Some(tree) = rest.next() {
        match tree {
            TokenTree::Ident(i) if i == "fn" => {
                return match rest.next() {
                    Some(TokenTree::Ident(name)) => Some(name.to_string()),
                    _ => None,
                };
            }
            TokenTree::Punct(p) if p.as_char() == ';' => return None,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_inside_a_macro_call_are_found_with_the_function_they_are_on() {
        let body: TokenStream = syn::parse_str(
            "type Mirror = TinyVec;
             /// Docs.
             #[abuse_macros::ai_generated]
             #[inline]
             pub fn swap_remove(self: &mut Self, index: usize) -> A::Item;
             #[inline] pub fn len(self: &Self) -> usize;
             mod inner { #[tagged(prompt = \"p\")] pub(crate) const unsafe fn raw() {} }
             #[ai_generated] struct NotAFunction;
             #[derive(Debug)] fn untagged() {}",
        )
        .unwrap();
        let renames = HashSet::from(["tagged".to_string()]);
        let names: Vec<Option<String>> = tags_in(&body, &renames)
            .into_iter()
            .map(|(_, name)| name)
            .collect();
        assert_eq!(
            names,
            [Some("swap_remove".into()), Some("raw".into()), None]
        );
    }
}
