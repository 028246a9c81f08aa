//! The `#[ai_generated]` tag (syn, through `discover`; its grammar is `abuse_attr`'s): which attributes are
//! tags (renames, a tag alone in a `cfg_attr`), the record read from one, and its sign-off state.

use std::collections::HashSet;
use std::path::Path;

use quote::ToTokens;
use syn::visit_mut::VisitMut;

use super::tokens::tokens_text;
use super::Ctx;
use crate::model::{Properties, Record, SignOff, SignoffState};

/// The attribute's local names in a module: `use x::ai_generated as ai;` adds `ai`.
pub(super) fn attr_renames(items: &[syn::Item]) -> HashSet<String> {
    fn walk(tree: &syn::UseTree, out: &mut HashSet<String>) {
        match tree {
            syn::UseTree::Path(p) => walk(&p.tree, out),
            syn::UseTree::Rename(r) if r.ident == "ai_generated" => {
                out.insert(r.rename.to_string());
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, out)),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    for item in items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, &mut out);
        }
    }
    out
}

/// Whether `attr` is the tag, by its own name or a local rename.
pub(super) fn is_tag(attr: &syn::Attribute, renames: &HashSet<String>) -> bool {
    is_tag_path(attr.path(), renames)
}

/// Whether an attribute's path names the tag, by its own name or a local rename.
pub(super) fn is_tag_path(path: &syn::Path, renames: &HashSet<String>) -> bool {
    abuse_attr::fingerprint::is_ai_generated_path(path)
        || (path.segments.len() == 1 && renames.contains(&path.segments[0].ident.to_string()))
}

/// Turns `#[cfg_attr(PREDICATE, abuse_macros::ai_generated(...))]` into `#[abuse_macros::ai_generated(...)]`
/// in place (same `#` and `]`, so the range recorded for `sign` is the whole `cfg_attr`; the tag's own
/// tokens keep their spans): discovery reads the tag whatever the predicate, and the
/// fingerprint sees the item as the macro does when the predicate holds. This lets a crate keep
/// abuse-macros a dev-dependency (`cfg_attr(test, ...)`), as abuse-attr does: abuse-macros depends on it.
/// Only a `cfg_attr` holding the tag alone is unwrapped.
pub(super) struct UnwrapCfgAttrTags;

impl VisitMut for UnwrapCfgAttrTags {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if !attr.path().is_ident("cfg_attr") {
            return;
        }
        let Ok(nested) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        ) else {
            return;
        };
        if let [_predicate, tag] = nested.iter().collect::<Vec<_>>()[..] {
            if abuse_attr::fingerprint::is_ai_generated_path(tag.path()) {
                attr.meta = tag.clone();
            }
        }
    }
}

/// Removes renamed tags (`#[ai]`) so the fingerprint sees what the macro sees; `ai_generated` itself is
/// dropped by the fingerprint.
pub(super) struct StripRenamed<'a>(&'a HashSet<String>);

impl VisitMut for StripRenamed<'_> {
    fn visit_attributes_mut(&mut self, attrs: &mut Vec<syn::Attribute>) {
        attrs.retain(|a| {
            !(a.path().segments.len() == 1
                && self.0.contains(&a.path().segments[0].ident.to_string()))
        });
        for a in attrs {
            self.visit_attribute_mut(a);
        }
    }
}

/// `item` without its renamed tags, for the fingerprint (which drops `ai_generated` tags itself, at any depth).
pub(super) fn strip_renamed<'a, T: Clone>(
    item: &'a T,
    renames: &HashSet<String>,
    visit: impl FnOnce(&mut StripRenamed<'_>, &mut T),
) -> std::borrow::Cow<'a, T> {
    if renames.is_empty() {
        return std::borrow::Cow::Borrowed(item);
    }
    let mut item = item.clone();
    visit(&mut StripRenamed(renames), &mut item);
    std::borrow::Cow::Owned(item)
}

/// Parses and validates one attribute; errors become diagnostics and an empty record.
pub(super) fn read_attribute(
    ctx: &mut Ctx,
    file: &Path,
    attr: &syn::Attribute,
    sig: &syn::Signature,
    pkg_dir: &Path,
) -> Record {
    let args = match abuse_attr::parse_attribute(attr) {
        Ok(a) => a,
        Err(e) => {
            ctx.syn_error(file, e);
            abuse_attr::AttrArgs::default()
        }
    };
    if let Err(e) = abuse_attr::validate_for_fn(&args, sig) {
        ctx.syn_error(file, e);
    }
    make_record(ctx, file, &args, pkg_dir)
}

/// The record of parsed arguments (the prompt file read, probed for the cache).
pub(super) fn make_record(
    ctx: &mut Ctx,
    file: &Path,
    args: &abuse_attr::AttrArgs,
    pkg_dir: &Path,
) -> Record {
    if let Some(file) = &args.prompt_file {
        ctx.probe(&pkg_dir.join(file.value()));
    }
    let prompt = match abuse_attr::prompt_text(args, pkg_dir) {
        Ok(p) => p,
        Err(e) => {
            ctx.syn_error(file, e);
            None
        }
    };
    let lit = |l: &Option<syn::LitStr>| l.as_ref().map(syn::LitStr::value);
    Record {
        prompt,
        prompt_file: lit(&args.prompt_file),
        model: lit(&args.model),
        author: lit(&args.author),
        reviewer: lit(&args.reviewer),
        test_owner: lit(&args.test_owner),
        signed_off: args.signed_off.as_ref().map(|(_, s)| SignOff {
            owner: s.owner.clone(),
            date: s.date.clone(),
            fingerprint: s.fingerprint.clone(),
        }),
        properties: Properties {
            roundtrip: args
                .roundtrip
                .as_ref()
                .map(|p| tokens_text(p.to_token_stream())),
            idempotent: args.idempotent,
            oracle: args
                .oracle
                .as_ref()
                .map(|p| tokens_text(p.to_token_stream())),
            ensures: args
                .ensures
                .as_ref()
                .map(|c| tokens_text(c.to_token_stream())),
            deterministic: args.deterministic,
            may_panic: args.may_panic,
            timeout_ms: args.timeout_ms,
            max_alloc: args.max_alloc,
            cases: args.cases,
            strategies: args
                .strategies
                .iter()
                .map(|(name, e)| (name.to_string(), tokens_text(e.to_token_stream())))
                .collect(),
            invariant: args
                .invariant
                .as_ref()
                .map(|p| tokens_text(p.to_token_stream())),
            model_type: args
                .model_type
                .as_ref()
                .map(|p| tokens_text(p.to_token_stream())),
            sequence_len: args.sequence_len,
        },
    }
}

/// The sign-off recorded in the attribute, checked against the fingerprint it must match.
pub(super) fn signoff_state(record: &Record, fingerprint: &str) -> SignoffState {
    match &record.signed_off {
        None => SignoffState::None,
        Some(s) if s.fingerprint == fingerprint => SignoffState::Current {
            owner: s.owner.clone(),
            date: s.date.clone(),
        },
        Some(s) => SignoffState::Stale {
            owner: s.owner.clone(),
            date: s.date.clone(),
            signed: s.fingerprint.clone(),
        },
    }
}
