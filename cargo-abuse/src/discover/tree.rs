//! The module tree (syn, through `discover`): loads a crate's root file and follows `mod x;` like rustc
//! (to `x.rs` or `x/mod.rs`, relative to the right folder, `#[path]` included) and inline `mod x { }`,
//! parsing each file once. Missing and doubly loaded module files become diagnostics.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use quote::ToTokens;
use syn::visit_mut::VisitMut;

use super::span::SourceText;
use super::tags::UnwrapCfgAttrTags;
use super::tokens::tokens_text;
use super::Ctx;
use crate::model::{Diagnostic, Severity};

/// One module of a crate, owning its items (inline child modules' items are moved to their own node).
pub(super) struct Module {
    pub(super) parent: Option<usize>,
    /// Path from the crate root.
    pub(super) path: Vec<String>,
    /// Declared `pub` exactly (visible outside the crate if its parent is).
    pub(super) is_pub: bool,
    /// Declared without any visibility (visible only inside its parent).
    pub(super) is_private: bool,
    /// `#[cfg]` predicates of this module and its ancestors.
    pub(super) cfgs: Vec<String>,
    /// The file holding the items.
    pub(super) file: PathBuf,
    /// That file's text, for the byte ranges `sign` edits.
    pub(super) source: Rc<SourceText>,
    pub(super) items: Vec<syn::Item>,
    pub(super) children: BTreeMap<String, usize>,
}

/// Where `mod x;` looks from inside a module (rustc's `dir_path` and `DirOwnership::Owned { relative }`).
#[derive(Clone)]
struct ModDir {
    dir: PathBuf,
    relative: Option<String>,
}

/// A crate's modules; the root is `modules[0]`.
pub(super) struct Tree {
    pub(super) modules: Vec<Module>,
    /// Features the root turns `#![feature(...)]` on with (`#![cfg_attr(feature = "x", feature(y))]`): only a
    /// nightly toolchain builds the crate with them.
    pub(super) nightly_features: Vec<String>,
}

pub(super) fn load_tree(ctx: &mut Ctx, root_file: &Path) -> Option<Tree> {
    let (file, source) = parse_file(ctx, root_file)?;
    let mut tree = Tree {
        modules: Vec::new(),
        nightly_features: nightly_features(&file.attrs),
    };
    let dir = ModDir {
        dir: root_file.parent().unwrap_or(Path::new("")).to_path_buf(),
        relative: None,
    };
    tree.modules.push(Module {
        parent: None,
        path: Vec::new(),
        is_pub: true,
        is_private: false,
        cfgs: Vec::new(),
        file: root_file.to_path_buf(),
        source,
        items: file.items,
        children: BTreeMap::new(),
    });
    let mut seen = HashSet::new();
    seen.insert(root_file.to_path_buf());
    expand_module(ctx, &mut tree, 0, dir, &mut seen);
    Some(tree)
}

/// The features of `#![cfg_attr(<predicate>, feature(...))]` attributes, from their predicates.
fn nightly_features(attrs: &[syn::Attribute]) -> Vec<String> {
    fn features_in(meta: &syn::Meta, out: &mut Vec<String>) {
        if let Some(name) = feature_of(meta) {
            out.push(name);
        } else if let syn::Meta::List(list) = meta {
            // Under `not(...)` a feature being set turns the attribute off.
            if list.path.is_ident("not") {
                return;
            }
            let inner = list.parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            );
            for m in inner.iter().flatten() {
                features_in(m, out);
            }
        }
    }
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg_attr")) {
        let Ok(args) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let mut args = args.iter();
        let Some(predicate) = args.next() else {
            continue;
        };
        if args.any(|m| m.path().is_ident("feature")) {
            features_in(predicate, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn parse_file(ctx: &mut Ctx, path: &Path) -> Option<(syn::File, Rc<SourceText>)> {
    // Stamp before reading: a change during the read makes the next run miss the cache.
    ctx.probe(path);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            ctx.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: ctx.rel(path),
                line: 1,
                column: 1,
                message: format!(
                    "could not read `{}`: {}",
                    ctx.rel(path),
                    e.to_string().to_lowercase()
                ),
            });
            return None;
        }
    };
    match syn::parse_file(&text) {
        Ok(mut f) => {
            // A walk of the whole tree costs a few percent of the parse: only when it can find something.
            if text.contains("cfg_attr") {
                UnwrapCfgAttrTags.visit_file_mut(&mut f);
            }
            let source = SourceText::new(text, f.shebang.as_deref());
            Some((f, Rc::new(source)))
        }
        Err(e) => {
            // proc-macro2's lexer error says only "cannot parse string into token stream".
            let e = if e.to_string() == "cannot parse string into token stream" {
                syn::Error::new(
                    e.span(),
                    "cannot tokenize the file: a delimiter is not closed, or a string, char or comment is unterminated",
                )
            } else {
                e
            };
            ctx.syn_error(path, e);
            None
        }
    }
}

/// Moves child modules of `m` out into their own nodes, loading `mod x;` files, recursively.
fn expand_module(
    ctx: &mut Ctx,
    tree: &mut Tree,
    m: usize,
    dir: ModDir,
    seen: &mut HashSet<PathBuf>,
) {
    let mut i = 0;
    while i < tree.modules[m].items.len() {
        let parent_cfgs = tree.modules[m].cfgs.clone();
        let file = tree.modules[m].file.clone();
        let source = tree.modules[m].source.clone();
        let syn::Item::Mod(item) = &mut tree.modules[m].items[i] else {
            i += 1;
            continue;
        };
        i += 1;
        let name = item.ident.to_string();
        let is_pub = matches!(item.vis, syn::Visibility::Public(_));
        let is_private = matches!(item.vis, syn::Visibility::Inherited);
        let mut cfgs = parent_cfgs;
        cfgs.extend(cfg_predicates(&item.attrs));
        let path_attr = path_attribute(&item.attrs);
        let alternatives = match item.content {
            Some(_) => Vec::new(),
            None => alternative_paths(&item.attrs),
        };
        let (items, child_file, child_source, child_dir) = match &mut item.content {
            Some((_, content)) => {
                let items = std::mem::take(content);
                let child_dir = match path_attr {
                    Some(p) => ModDir {
                        dir: dir.dir.join(p),
                        relative: None,
                    },
                    None => {
                        let mut d = dir.dir.clone();
                        if let Some(rel) = &dir.relative {
                            d.push(rel);
                        }
                        d.push(&name);
                        ModDir {
                            dir: d,
                            relative: None,
                        }
                    }
                };
                (items, file, source, child_dir)
            }
            None => {
                let span = item.ident.span();
                let found = match path_attr {
                    Some(p) => {
                        let f = dir.dir.join(p);
                        if ctx.probe(&f) {
                            Ok((f, None))
                        } else {
                            Err(vec![f])
                        }
                    }
                    None => {
                        let base = match &dir.relative {
                            Some(rel) => dir.dir.join(rel),
                            None => dir.dir.clone(),
                        };
                        let a = base.join(format!("{name}.rs"));
                        let b = base.join(&name).join("mod.rs");
                        match (ctx.probe(&a), ctx.probe(&b)) {
                            (true, false) => Ok((a, Some(name.clone()))),
                            (false, true) => Ok((b, None)),
                            (false, false) => Err(vec![a, b]),
                            (true, true) => {
                                let msg = format!(
                                    "file for module `{name}` found at both `{}` and `{}`; delete or rename one",
                                    ctx.rel(&a),
                                    ctx.rel(&b)
                                );
                                ctx.diag(Severity::Error, &file, span, msg);
                                continue;
                            }
                        }
                    }
                };
                match found {
                    Ok((f, relative)) => {
                        if !seen.insert(f.clone()) {
                            let msg =
                                format!("module file `{}` is loaded more than once", ctx.rel(&f));
                            ctx.diag(Severity::Warning, &file, span, msg);
                            continue;
                        }
                        let (items, source) = match parse_file(ctx, &f) {
                            Some((parsed, source)) => (parsed.items, source),
                            None => (Vec::new(), Rc::new(SourceText::default())),
                        };
                        let d = ModDir {
                            dir: f.parent().unwrap_or(Path::new("")).to_path_buf(),
                            relative,
                        };
                        (items, f, source, d)
                    }
                    // `gen` writes this file itself: declaring it before it exists is the normal first step.
                    Err(_) if m == 0 && name == "abuse_tests" => continue,
                    Err(candidates) => {
                        let names: Vec<String> = candidates
                            .iter()
                            .map(|c| format!("`{}`", ctx.rel(c)))
                            .collect();
                        let msg = format!(
                            "file not found for module `{name}`: expected {}",
                            names.join(" or ")
                        );
                        ctx.diag(Severity::Warning, &file, span, msg);
                        continue;
                    }
                }
            }
        };
        let mut path = tree.modules[m].path.clone();
        path.push(name.clone());
        let child = tree.modules.len();
        tree.modules.push(Module {
            parent: Some(m),
            path,
            is_pub,
            is_private,
            cfgs,
            file: child_file,
            source: child_source,
            items,
            children: BTreeMap::new(),
        });
        tree.modules[m].children.insert(name.clone(), child);
        expand_module(ctx, tree, child, child_dir, seen);
        // The file a `cfg_attr(<predicate>, path = "...")` names for another build (lazy_static's
        // `core_lazy.rs` under `feature = "spin_no_std"`): its items are the same module's under that
        // predicate, found so that their rows say so; names still resolve to the default build's file.
        for (predicate, p) in alternatives {
            let f = dir.dir.join(p);
            if !ctx.probe(&f) || !seen.insert(f.clone()) {
                continue;
            }
            let Some((parsed, source)) = parse_file(ctx, &f) else {
                continue;
            };
            let mut cfgs = tree.modules[child].cfgs.clone();
            cfgs.push(predicate);
            let alternative = tree.modules.len();
            tree.modules.push(Module {
                parent: Some(m),
                path: tree.modules[child].path.clone(),
                is_pub,
                is_private,
                cfgs,
                file: f.clone(),
                source,
                items: parsed.items,
                children: BTreeMap::new(),
            });
            let d = ModDir {
                dir: f.parent().unwrap_or(Path::new("")).to_path_buf(),
                relative: None,
            };
            expand_module(ctx, tree, alternative, d, seen);
        }
    }
}

/// The `cfg_attr(<predicate>, path = "...")` of a `mod x;` whose predicate does not hold in a default build:
/// each predicate as written, with its path.
fn alternative_paths(attrs: &[syn::Attribute]) -> Vec<(String, String)> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg_attr"))
        .filter_map(cfg_attr_path)
        .filter(|(predicate, _)| !default_cfg_holds(predicate))
        .map(|(predicate, path)| (tokens_text(predicate.to_token_stream()), path))
        .collect()
}

/// `(predicate, "file.rs")` of a `#[cfg_attr(<predicate>, path = "file.rs")]`.
fn cfg_attr_path(attr: &syn::Attribute) -> Option<(syn::Meta, String)> {
    let list = attr
        .parse_args_with(syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
        .ok()?;
    let mut metas = list.iter();
    let predicate = metas.next()?.clone();
    let path = path_value(metas.find(|m| m.path().is_ident("path"))?)?;
    Some((predicate, path))
}

/// The value of `#[path = "..."]`, or of a `#[cfg_attr(<predicate>, path = "...")]` whose predicate holds in
/// a default build (no feature on: lazy_static's `cfg_attr(not(feature = "spin_no_std"), path =
/// "inline_lazy.rs")`), if any.
fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    let plain = attrs
        .iter()
        .find(|a| a.path().is_ident("path"))
        .and_then(|a| path_value(&a.meta));
    plain.or_else(|| {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg_attr"))
            .filter_map(cfg_attr_path)
            .find_map(|(predicate, path)| default_cfg_holds(&predicate).then_some(path))
    })
}

fn path_value(meta: &syn::Meta) -> Option<String> {
    match meta {
        syn::Meta::NameValue(nv) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a `cfg` predicate holds in a default build on this host: no feature on, not `test`, the host's
/// `unix` / `windows` / `target_os` / `target_family` / `target_arch` / `target_pointer_width`; anything else
/// is taken as off.
fn default_cfg_holds(predicate: &syn::Meta) -> bool {
    cfg_holds(predicate, &[])
}

/// Whether every one of the `cfg` predicates `text` (joined with ` && `, as [`crate::model::TaggedFn::cfg`]
/// holds them) holds in a build with the features `features` on (a package's default ones) on this host,
/// as [`default_cfg_holds`] decides; `true` for a predicate that does not parse or names a `cfg` this cannot
/// know (one a build script sets): nothing is claimed of it.
pub(crate) fn cfg_text_holds(text: &str, features: &[String]) -> bool {
    text.split(" && ").all(|part| {
        cfg_predicate(part)
            .filter(cfg_is_known)
            .is_none_or(|meta| cfg_holds(&meta, features))
    })
}

/// One predicate of a `cfg` text as discovery writes it (`feature = "x"`, `any(unix, windows)`).
fn cfg_predicate(part: &str) -> Option<syn::Meta> {
    match syn::parse_str::<syn::Meta>(&format!("cfg({})", part.trim())).ok()? {
        syn::Meta::List(list) => list.parse_args::<syn::Meta>().ok(),
        _ => None,
    }
}

/// The features among `declared` whose being set compiles code under the `cfg` text `text` (predicates joined
/// with ` && `, as discovery writes them); `None` when no such set exists or the cfg needs anything else (a
/// target, `test`, a feature the package does not declare). `run`'s feature pass builds with them.
pub(crate) fn cfg_features_needed(text: &str, declared: &[String]) -> Option<BTreeSet<String>> {
    let mut need = FeatureNeed::default();
    for part in text.split(" && ") {
        need.add(&cfg_predicate(part)?, declared)?;
    }
    (!need.on.is_empty() && need.on.is_disjoint(&need.off)).then_some(need.on)
}

/// Features a predicate needs set, and those it needs unset.
#[derive(Default)]
struct FeatureNeed {
    on: BTreeSet<String>,
    off: BTreeSet<String>,
}

impl FeatureNeed {
    /// Adds what `predicate` needs; `None` when features alone cannot satisfy it.
    fn add(&mut self, predicate: &syn::Meta, declared: &[String]) -> Option<()> {
        match predicate {
            syn::Meta::NameValue(_) => {
                let name = feature_of(predicate)?;
                declared.contains(&name).then(|| self.on.insert(name))?;
                Some(())
            }
            syn::Meta::List(list) => {
                let inner = list
                    .parse_args_with(
                        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                    )
                    .ok()?;
                if list.path.is_ident("all") {
                    inner.iter().try_for_each(|p| self.add(p, declared))
                } else if list.path.is_ident("any") {
                    // The first alternative that features alone satisfy.
                    let alone = inner.iter().find_map(|p| {
                        let mut need = FeatureNeed::default();
                        need.add(p, declared).map(|()| need)
                    })?;
                    self.on.extend(alone.on);
                    self.off.extend(alone.off);
                    Some(())
                } else if list.path.is_ident("not") && inner.len() == 1 {
                    // Only `not(feature = "x")`: the pass leaves `x` unset unless something else needs it.
                    self.off.insert(feature_of(&inner[0])?);
                    Some(())
                } else {
                    None
                }
            }
            syn::Meta::Path(_) => None,
        }
    }
}

/// `x` of `feature = "x"`.
fn feature_of(predicate: &syn::Meta) -> Option<String> {
    match predicate {
        syn::Meta::NameValue(nv) if nv.path.is_ident("feature") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(value),
                ..
            }) => Some(value.value()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether every name the predicate tests is one [`cfg_holds`] knows the value of.
fn cfg_is_known(predicate: &syn::Meta) -> bool {
    match predicate {
        syn::Meta::Path(p) => ["unix", "windows", "test"].iter().any(|n| p.is_ident(n)),
        syn::Meta::NameValue(nv) => [
            "feature",
            "target_os",
            "target_family",
            "target_arch",
            "target_pointer_width",
        ]
        .iter()
        .any(|n| nv.path.is_ident(n)),
        syn::Meta::List(list) => list
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            )
            .is_ok_and(|inner| inner.iter().all(cfg_is_known)),
    }
}

/// [`default_cfg_holds`] with the features `features` on.
fn cfg_holds(predicate: &syn::Meta, features: &[String]) -> bool {
    match predicate {
        syn::Meta::Path(p) => {
            (p.is_ident("unix") && cfg!(unix)) || (p.is_ident("windows") && cfg!(windows))
        }
        syn::Meta::NameValue(nv) => {
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(value),
                ..
            }) = &nv.value
            else {
                return false;
            };
            if nv.path.is_ident("feature") {
                return features.contains(&value.value());
            }
            let host = if nv.path.is_ident("target_os") {
                std::env::consts::OS.to_string()
            } else if nv.path.is_ident("target_family") {
                std::env::consts::FAMILY.to_string()
            } else if nv.path.is_ident("target_arch") {
                std::env::consts::ARCH.to_string()
            } else if nv.path.is_ident("target_pointer_width") {
                (usize::BITS).to_string()
            } else {
                return false;
            };
            host == value.value()
        }
        syn::Meta::List(list) => {
            let Ok(inner) = list.parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            ) else {
                return false;
            };
            if list.path.is_ident("not") {
                inner.len() == 1 && !cfg_holds(&inner[0], features)
            } else if list.path.is_ident("all") {
                inner.iter().all(|p| cfg_holds(p, features))
            } else if list.path.is_ident("any") {
                inner.iter().any(|p| cfg_holds(p, features))
            } else {
                false
            }
        }
    }
}

/// The predicates of `#[cfg(...)]` attributes, as written.
pub(super) fn cfg_predicates(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| {
            a.meta
                .require_list()
                .ok()
                .map(|l| tokens_text(l.tokens.clone()))
        })
        .collect()
}
