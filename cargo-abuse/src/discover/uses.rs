//! syn (use trees): the names a module's `use` items bring into scope, each with its path made absolute from the
//! crate root (`crate::…`) or naming an external crate (`std::path::Path`), so a harness outside the module can
//! import what a function's `ensures` closure or its bounds name (`Path`, `fmt::Write`).

use crate::model::UseItem;

/// The names the `use` items among `items` bring in (globs and `_` imports aside), for the module at
/// `module_path` (empty at the crate root).
pub(super) fn module_uses(items: &[syn::Item], module_path: &[String]) -> Vec<UseItem> {
    let mut out = Vec::new();
    for item in items {
        if let syn::Item::Use(u) = item {
            let mut prefix = Vec::new();
            if u.leading_colon.is_some() {
                prefix.push("::".to_string());
            }
            flatten(&u.tree, &mut prefix, module_path, &mut out);
        }
    }
    out
}

fn flatten(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    module_path: &[String],
    out: &mut Vec<UseItem>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix, module_path, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    push(out, &last, prefix, module_path);
                }
            } else {
                prefix.push(name.clone());
                push(out, &name, prefix, module_path);
                prefix.pop();
            }
        }
        syn::UseTree::Rename(r) => {
            let alias = r.rename.to_string();
            if alias == "_" {
                return;
            }
            if r.ident != "self" {
                prefix.push(r.ident.to_string());
                push(out, &alias, prefix, module_path);
                prefix.pop();
            } else {
                push(out, &alias, prefix, module_path);
            }
        }
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten(t, prefix, module_path, out);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

fn push(out: &mut Vec<UseItem>, name: &str, segments: &[String], module_path: &[String]) {
    if let Some(path) = absolute(segments, module_path) {
        out.push(UseItem {
            name: name.to_string(),
            path,
        });
    }
}

/// `self::a`, `super::a` and `crate::a` as `crate::…`; `::std::x` and `std::x` as `std::x`.
fn absolute(segments: &[String], module_path: &[String]) -> Option<String> {
    let mut base: Vec<String> = Vec::new();
    let mut rest = segments;
    match rest.first().map(String::as_str) {
        Some("::") => {
            rest = &rest[1..];
        }
        Some("crate") => {
            base.push("crate".into());
            rest = &rest[1..];
        }
        Some("self") => {
            base.push("crate".into());
            base.extend(module_path.iter().cloned());
            rest = &rest[1..];
        }
        Some("super") => {
            let mut module = module_path.to_vec();
            while rest.first().map(String::as_str) == Some("super") {
                module.pop()?;
                rest = &rest[1..];
            }
            base.push("crate".into());
            base.extend(module);
        }
        _ => {}
    }
    if rest.is_empty() {
        return None;
    }
    base.extend(rest.iter().cloned());
    Some(base.join("::"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(src: &str, module: &[&str]) -> Vec<(String, String)> {
        let file: syn::File = syn::parse_str(src).expect("parses");
        let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
        module_uses(&file.items, &module)
            .into_iter()
            .map(|u| (u.name, u.path))
            .collect()
    }

    #[test]
    fn use_items_become_absolute_paths() {
        let got = uses(
            "use std::path::{Path, PathBuf as Buf}; use std::fmt::{self, Write}; use super::Port; \
             use self::inner::X; use crate::a::*; use ::serde::de::Error as _; use super::super::Top;",
            &["net", "tcp"],
        );
        let want = [
            ("Path", "std::path::Path"),
            ("Buf", "std::path::PathBuf"),
            ("fmt", "std::fmt"),
            ("Write", "std::fmt::Write"),
            ("Port", "crate::net::Port"),
            ("X", "crate::net::tcp::inner::X"),
            ("Top", "crate::Top"),
        ];
        assert_eq!(
            got,
            want.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>()
        );
        assert!(
            uses("use super::X;", &[]).is_empty(),
            "no parent at the root"
        );
    }
}
