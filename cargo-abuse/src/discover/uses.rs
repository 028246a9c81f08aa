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

    /// Source → discovery → plan: the causes of harnesses that did not compile on real crates.
    mod planned {
        use crate::discover::tests::{find, lib};
        use crate::plan::plan_function;

        fn plan(src: &str, path: &str) -> crate::plan::FnPlan {
            let inv = lib(src);
            let f = find(&inv, path);
            plan_function(f, &inv.packages[0]).unwrap_or_else(|e| panic!("{path}: {e}"))
        }

        fn bodies(plan: &crate::plan::FnPlan) -> String {
            plan.tests
                .iter()
                .map(|t| t.body.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        }

        #[test]
        fn self_trait_bound_takes_the_type_the_crate_implements_it_with() {
            let src = r#"
                pub trait Holds<T> { fn hold(&self, t: T) -> bool; }
                #[derive(Debug, Clone)]
                pub struct Bag(pub u8);
                impl Holds<String> for Bag { fn hold(&self, t: String) -> bool { true } }
                impl Bag {
                    #[ai_generated(author = "a")]
                    pub fn put<T>(&self, t: T) -> bool where Self: Holds<T> { self.hold(t) }
                }
            "#;
            let p = plan(src, "Bag::put");
            assert!(p.input_type.contains("String"), "{}", p.input_type);
            assert!(!p.input_type.contains("i64"), "{}", p.input_type);
            // No impl for the receiver's type: skipped with the bound in the reason, never `i64`.
            let inv = lib(&src.replace("impl Holds<String> for Bag", "impl Holds<String> for u8"));
            let err = plan_function(find(&inv, "Bag::put"), &inv.packages[0])
                .expect_err("no type meets the bound")
                .to_string();
            assert!(err.contains("Self: Holds<T>"), "{err}");
        }

        #[test]
        fn a_methods_where_clause_bounds_its_impl_blocks_parameters() {
            let src = r#"
                #[derive(Debug, Clone)]
                pub enum Either<L, R> { Left(L), Right(R) }
                impl<L, R> Either<L, R> {
                    #[ai_generated(author = "a")]
                    pub fn count_left(self) -> usize where L: Iterator {
                        match self { Either::Left(l) => l.count(), _ => 0 }
                    }
                }
            "#;
            let inv = lib(src);
            let f = find(&inv, "Either::count_left");
            let l = f
                .signature
                .generics
                .iter()
                .find(|g| g.name == "L")
                .expect("L");
            assert_eq!(l.bounds, ["Iterator"]);
            let p = plan(src, "Either::count_left");
            let body = bodies(&p);
            assert!(
                body.contains("recv_a: demo::Either<std::vec::IntoIter<i64>, i64> ="),
                "{body}"
            );
        }

        #[test]
        fn fmt_write_gets_a_string_and_io_write_bytes() {
            let src = r#"
                use std::fmt::Write;
                #[ai_generated(author = "a")]
                pub fn text(w: &mut impl Write, s: &str) -> bool { w.write_str(s).is_ok() }
                #[ai_generated(author = "a")]
                pub fn qualified(w: &mut impl std::fmt::Write, s: &str) -> bool { w.write_str(s).is_ok() }
                #[ai_generated(author = "a")]
                pub fn bytes(w: &mut impl std::io::Write, s: &[u8]) -> bool { w.write_all(s).is_ok() }
            "#;
            assert!(plan(src, "text").input_type.starts_with("(String,"));
            assert!(plan(src, "qualified").input_type.starts_with("(String,"));
            assert!(plan(src, "bytes").input_type.starts_with("(Vec<u8>,"));
        }

        #[test]
        fn ensures_closure_gets_the_module_imports_it_names() {
            let src = r#"
                use std::path::{Path, PathBuf};
                use std::collections::HashMap as Map;
                #[ai_generated(author = "a", ensures = |p: &str, out: &bool| *out == Path::new(p).is_absolute() || std::path::PathBuf::from(p).has_root())]
                pub fn is_abs(p: &str) -> bool { p.starts_with('/') }
            "#;
            let p = plan(src, "is_abs");
            let ensures = &p
                .tests
                .iter()
                .find(|t| t.name == "ensures")
                .expect("ensures")
                .body;
            assert!(ensures.contains("use std::path::Path;"), "{ensures}");
            assert!(
                !ensures.contains("PathBuf;"),
                "a qualified name needs no import: {ensures}"
            );
            assert!(!ensures.contains("HashMap"), "{ensures}");
        }
    }
}
