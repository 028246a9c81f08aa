//! Signatures and types (syn, through `discover`) as model data: parameters, receiver, generics with their
//! bounds, and `Ty` trees, with standard-library types imported under another name resolved.

use std::collections::HashMap;

use quote::ToTokens;

use super::tokens::{tokens_text, type_text};
use crate::model::{Generic, GenericKind, Param, Receiver, Signature, Ty};

/// How a method takes `self`.
pub(super) fn receiver_of(r: &syn::Receiver) -> Receiver {
    if r.colon_token.is_some() {
        match &*r.ty {
            syn::Type::Reference(rf) if is_self(&rf.elem) => {
                if rf.mutability.is_some() {
                    Receiver::RefMut
                } else if rf.lifetime.as_ref().is_some_and(|l| l.ident == "static") {
                    Receiver::RefStatic
                } else {
                    Receiver::Ref
                }
            }
            ty if is_self(ty) => Receiver::Value,
            ty => pinned_self(ty).unwrap_or(Receiver::Other),
        }
    } else {
        match (&r.reference, &r.mutability) {
            (Some(_), Some(_)) => Receiver::RefMut,
            (Some((_, Some(l))), None) if l.ident == "static" => Receiver::RefStatic,
            (Some(_), None) => Receiver::Ref,
            (None, _) => Receiver::Value,
        }
    }
}

/// `Pin<&Self>` / `Pin<&mut Self>` (any path ending in `Pin`) as a receiver type.
fn pinned_self(ty: &syn::Type) -> Option<Receiver> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let seg = p.path.segments.last().filter(|s| s.ident == "Pin")?;
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    let Some(syn::GenericArgument::Type(syn::Type::Reference(r))) = args.args.first() else {
        return None;
    };
    if args.args.len() != 1 || !is_self(&r.elem) {
        return None;
    }
    Some(if r.mutability.is_some() {
        Receiver::PinMut
    } else {
        Receiver::PinRef
    })
}

/// The model's signature of a function: the text as written (parameter attributes dropped) and its parts.
pub(super) fn signature_of(vis: &syn::Visibility, sig: &syn::Signature) -> Signature {
    let mut text_sig = sig.clone();
    // Attributes on parameters are noise in the printed signature.
    for input in &mut text_sig.inputs {
        match input {
            syn::FnArg::Receiver(r) => r.attrs.clear(),
            syn::FnArg::Typed(t) => t.attrs.clear(),
        }
    }
    let receiver = sig.receiver().map(receiver_of);
    let output = match &sig.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, ty) => match ty_of(ty) {
            Ty::Tuple { elems } if elems.is_empty() => None,
            t => Some(t),
        },
    };
    Signature {
        text: type_text(quote::quote!(#vis #text_sig)),
        is_async: sig.asyncness.is_some(),
        is_const: sig.constness.is_some(),
        is_unsafe: sig.unsafety.is_some(),
        receiver,
        params: params_of(sig),
        output,
        generics: generics_of(&sig.generics),
    }
}

fn is_self(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("Self"))
}

/// The typed parameters (the receiver excluded); a pattern parameter is named `argN`.
pub(super) fn params_of(sig: &syn::Signature) -> Vec<Param> {
    sig.inputs
        .iter()
        .filter_map(|a| match a {
            syn::FnArg::Typed(t) => Some(t),
            syn::FnArg::Receiver(_) => None,
        })
        .enumerate()
        .map(|(i, t)| Param {
            name: match &*t.pat {
                syn::Pat::Ident(id) => id.ident.to_string(),
                _ => format!("arg{i}"),
            },
            ty: ty_of(&t.ty),
        })
        .collect()
}

/// The typed parameters declared `&'static T` (`&'static [u8]`), by name as [`params_of`] names them.
pub(super) fn static_params_of(sig: &syn::Signature) -> Vec<String> {
    let params = params_of(sig);
    sig.inputs
        .iter()
        .filter_map(|a| match a {
            syn::FnArg::Typed(t) => Some(t),
            syn::FnArg::Receiver(_) => None,
        })
        .zip(params)
        .filter(|(t, _)| {
            matches!(&*t.ty, syn::Type::Reference(r)
                if r.mutability.is_none() && r.lifetime.as_ref().is_some_and(|l| l.ident == "static"))
        })
        .map(|(_, p)| p.name)
        .collect()
}

/// Type and const generics with their bounds (inline and from the `where` clause); lifetimes dropped.
pub(super) fn generics_of(g: &syn::Generics) -> Vec<Generic> {
    let mut out: Vec<Generic> = Vec::new();
    for p in &g.params {
        match p {
            syn::GenericParam::Type(t) => out.push(Generic {
                name: t.ident.to_string(),
                kind: GenericKind::Type,
                bounds: bounds_text(t.bounds.iter()),
            }),
            syn::GenericParam::Const(c) => out.push(Generic {
                name: c.ident.to_string(),
                kind: GenericKind::Const,
                bounds: vec![type_text(c.ty.to_token_stream())],
            }),
            syn::GenericParam::Lifetime(_) => {}
        }
    }
    if let Some(w) = &g.where_clause {
        for pred in &w.predicates {
            let syn::WherePredicate::Type(pt) = pred else {
                continue;
            };
            let syn::Type::Path(tp) = &pt.bounded_ty else {
                continue;
            };
            let Some(ident) = tp.path.get_ident() else {
                continue;
            };
            if ident == "Self" {
                // `where Self: Holds<T>`: a bound on `T` too (the receiver's type must implement it for
                // the `T` chosen), written `Self: Holds<T>` in the bounds of each parameter it names.
                for bound in bounds_text(pt.bounds.iter()) {
                    for gen in out.iter_mut() {
                        if bound_names(&bound, &gen.name) {
                            gen.bounds.push(format!("Self: {bound}"));
                        }
                    }
                }
                continue;
            }
            if let Some(gen) = out.iter_mut().find(|g| *ident == g.name) {
                gen.bounds.extend(bounds_text(pt.bounds.iter()));
            }
        }
    }
    for (name, bounds) in iterable_refs(g) {
        if let Some(gen) = out.iter_mut().find(|g| g.name == name) {
            gen.bounds.extend(bounds);
        }
    }
    for (item, predicate) in ref_item_predicates(g) {
        if let Some(gen) = out.iter_mut().find(|g| g.name == item) {
            gen.bounds.push(predicate);
        }
    }
    out
}

/// `&'a Iter1: IntoIterator<Item = Elem1>` (strsim's `generic_levenshtein`): `Elem1` is what a reference to
/// the collection chosen for `Iter1` yields, recorded on `Elem1` as the predicate without its lifetime
/// (`&Iter1: IntoIterator<Item = Elem1>`), as `Self: Holds<T>` is on `T`.
fn ref_item_predicates(g: &syn::Generics) -> Vec<(String, String)> {
    let own: Vec<String> = g.type_params().map(|t| t.ident.to_string()).collect();
    let mut out = Vec::new();
    for (collection, mutable, bounds) in reference_bounds(g) {
        for bound in bounds {
            let compact = bound.replace(' ', "");
            let item = compact
                .strip_prefix("IntoIterator<Item=")
                .and_then(|rest| rest.strip_suffix('>'));
            if let Some(item) = item.filter(|i| own.iter().any(|o| o == i)) {
                let reference = if mutable { "&mut " } else { "&" };
                out.push((
                    item.to_string(),
                    format!("{reference}{collection}: IntoIterator<Item = {item}>"),
                ));
            }
        }
    }
    out
}

/// Whether the bound's text names the identifier `name` (as a whole word).
fn bound_names(bound: &str, name: &str) -> bool {
    bound
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| w == name)
}

/// The where-clause predicates of `g` on simple names that are not `g`'s own parameters nor `Self`: on a
/// method, those bound its `impl` block's parameters (`where L: Iterator`).
pub(super) fn outer_where_bounds(g: &syn::Generics) -> Vec<(String, Vec<String>)> {
    let own: Vec<String> = g.type_params().map(|t| t.ident.to_string()).collect();
    let mut out = Vec::new();
    if let Some(w) = &g.where_clause {
        for pred in &w.predicates {
            let syn::WherePredicate::Type(pt) = pred else {
                continue;
            };
            let syn::Type::Path(tp) = &pt.bounded_ty else {
                continue;
            };
            let Some(ident) = tp.path.get_ident() else {
                continue;
            };
            let name = ident.to_string();
            if name != "Self" && !own.contains(&name) {
                out.push((name, bounds_text(pt.bounds.iter())));
            }
        }
    }
    out.extend(
        iterable_refs(g)
            .into_iter()
            .filter(|(name, _)| !own.contains(name)),
    );
    out
}

/// `for<'a> &'a L: IntoIterator` (either's `iter`, `factor_iter`; `&'a mut L` for `iter_mut`): `L` must be a
/// collection its references iterate, as `Vec` is, recorded as the bound `IntoIterator` on `L` (an item
/// bound naming another reference's item is dropped: the planner gives both the same collection). Other
/// bounds on references are not recorded, as before.
fn iterable_refs(g: &syn::Generics) -> Vec<(String, Vec<String>)> {
    reference_bounds(g)
        .filter(|(collection, _, bounds)| {
            collection != "Self"
                && bounds.iter().any(|b| {
                    let head = b.split('<').next().unwrap_or(b).trim();
                    head == "IntoIterator" || head.ends_with("::IntoIterator")
                })
        })
        .map(|(collection, _, _)| (collection, vec!["IntoIterator".to_string()]))
        .collect()
}

/// The where-clause predicates on a reference to a simple name (`&'a L: IntoIterator`): the name, whether the
/// reference is `&mut`, and the bounds as text.
fn reference_bounds(g: &syn::Generics) -> impl Iterator<Item = (String, bool, Vec<String>)> + '_ {
    g.where_clause
        .iter()
        .flat_map(|w| &w.predicates)
        .filter_map(|pred| {
            let syn::WherePredicate::Type(pt) = pred else {
                return None;
            };
            let syn::Type::Reference(r) = &pt.bounded_ty else {
                return None;
            };
            let syn::Type::Path(tp) = &*r.elem else {
                return None;
            };
            let ident = tp.path.get_ident()?;
            Some((
                ident.to_string(),
                r.mutability.is_some(),
                bounds_text(pt.bounds.iter()),
            ))
        })
}

fn bounds_text<'a>(bounds: impl Iterator<Item = &'a syn::TypeParamBound>) -> Vec<String> {
    bounds
        .filter(|b| !matches!(b, syn::TypeParamBound::Lifetime(_)))
        .map(|b| type_text(b.to_token_stream()))
        .collect()
}

/// The model's view of a type.
pub(super) fn ty_of(ty: &syn::Type) -> Ty {
    match ty {
        syn::Type::Reference(r) => Ty::Ref {
            mutable: r.mutability.is_some(),
            inner: Box::new(ty_of(&r.elem)),
        },
        syn::Type::Path(p) if p.qself.is_none() => {
            let mut args = Vec::new();
            let mut path = String::new();
            if p.path.leading_colon.is_some() {
                path.push_str("::");
            }
            for (i, seg) in p.path.segments.iter().enumerate() {
                if i > 0 {
                    path.push_str("::");
                }
                path.push_str(&seg.ident.to_string());
                match &seg.arguments {
                    syn::PathArguments::AngleBracketed(a) => {
                        for arg in &a.args {
                            if let syn::GenericArgument::Type(t) = arg {
                                args.push(ty_of(t));
                            }
                        }
                    }
                    syn::PathArguments::Parenthesized(_) => {
                        return Ty::Other {
                            text: type_text(ty.to_token_stream()),
                        };
                    }
                    syn::PathArguments::None => {}
                }
            }
            Ty::Path { path, args }
        }
        syn::Type::Slice(s) => Ty::Slice {
            elem: Box::new(ty_of(&s.elem)),
        },
        syn::Type::Array(a) => Ty::Array {
            elem: Box::new(ty_of(&a.elem)),
            len: tokens_text(a.len.to_token_stream()),
        },
        syn::Type::Tuple(t) => Ty::Tuple {
            elems: t.elems.iter().map(ty_of).collect(),
        },
        syn::Type::Paren(p) => ty_of(&p.elem),
        syn::Type::Group(g) => ty_of(&g.elem),
        syn::Type::ImplTrait(i) => Ty::ImplTrait {
            bounds: bounds_text(i.bounds.iter()),
        },
        other => Ty::Other {
            text: type_text(other.to_token_stream()),
        },
    }
}

/// Standard-library types imported under another name in a module: `use std::time::Duration as
/// StdDuration;` maps `StdDuration` to `std::time::Duration`, so planning knows the type.
pub(super) fn std_type_renames(items: &[syn::Item]) -> HashMap<String, String> {
    fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut HashMap<String, String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            syn::UseTree::Rename(r)
                if prefix
                    .first()
                    .is_some_and(|root| matches!(root.as_str(), "std" | "core" | "alloc")) =>
            {
                out.insert(
                    r.rename.to_string(),
                    format!("{}::{}", prefix.join("::"), r.ident),
                );
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, prefix, out)),
            _ => {}
        }
    }
    let mut out = HashMap::new();
    for item in items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, &mut Vec::new(), &mut out);
        }
    }
    out
}

/// Replaces renamed standard-library types in `ty` by their full paths.
pub(super) fn unrename(ty: &mut Ty, renames: &HashMap<String, String>) {
    match ty {
        Ty::Path { path, args } => {
            if let Some(full) = renames.get(path.as_str()) {
                *path = full.clone();
            }
            args.iter_mut().for_each(|a| unrename(a, renames));
        }
        Ty::Ref { inner, .. } => unrename(inner, renames),
        Ty::Slice { elem } | Ty::Array { elem, .. } => unrename(elem, renames),
        Ty::Tuple { elems } => elems.iter_mut().for_each(|e| unrename(e, renames)),
        Ty::ImplTrait { .. } | Ty::Other { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::discover::tests::find;
    use crate::discover::tests::lib;
    use crate::model::{GenericKind, Ty};

    #[test]
    fn renamed_std_types_are_known_by_their_full_path() {
        let inv = lib(r#"
            use std::time::{Duration as StdDuration, Instant};
            use crate::Thing as Other;
            pub struct Thing;
            #[ai_generated]
            pub fn f(d: StdDuration, v: &[StdDuration], o: Other) -> Option<StdDuration> { None }
        "#);
        let sig = &find(&inv, "f").signature;
        let duration = Ty::Path {
            path: "std::time::Duration".into(),
            args: vec![],
        };
        assert_eq!(sig.params[0].ty, duration);
        assert_eq!(
            sig.params[1].ty,
            Ty::Ref {
                mutable: false,
                inner: Box::new(Ty::Slice {
                    elem: Box::new(duration.clone())
                })
            }
        );
        // Only std renames are resolved: crate types are found by name later.
        assert_eq!(
            sig.params[2].ty,
            Ty::Path {
                path: "Other".into(),
                args: vec![]
            }
        );
        assert_eq!(
            sig.output,
            Some(Ty::Path {
                path: "Option".into(),
                args: vec![duration]
            })
        );
        // The signature as written is kept for display.
        assert!(sig.text.contains("d: StdDuration"), "{}", sig.text);
    }

    #[test]
    fn signature_is_printed_and_converted() {
        let inv = lib(r#"
            #[ai_generated]
            pub async fn f<'a, T: Ord + Clone, const N: usize>(s: &'a str, v: &mut [T], a: [u8; N], (x, y): (u8, u8), w: impl AsRef<str>) -> Result<Vec<T>, std::io::Error> where T: Default { todo!() }
        "#);
        let f = find(&inv, "f");
        assert_eq!(
            f.signature.text,
            "pub async fn f<'a, T: Ord + Clone, const N: usize>(s: &'a str, v: &mut [T], a: [u8; N], (x, y): (u8, u8), w: impl AsRef<str>) -> Result<Vec<T>, std::io::Error> where T: Default"
        );
        assert!(f.signature.is_async);
        let names: Vec<&str> = f.signature.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["s", "v", "a", "arg3", "w"]);
        assert_eq!(f.signature.generics[0].bounds, ["Ord", "Clone", "Default"]);
        assert_eq!(f.signature.generics[1].kind, GenericKind::Const);
        assert_eq!(
            f.signature.params[0].ty,
            Ty::Ref {
                mutable: false,
                inner: Box::new(Ty::Path {
                    path: "str".into(),
                    args: vec![]
                })
            }
        );
        assert_eq!(
            f.signature.params[4].ty,
            Ty::ImplTrait {
                bounds: vec!["AsRef<str>".into()]
            }
        );
        let Some(Ty::Path { path, args }) = &f.signature.output else {
            panic!("output")
        };
        assert_eq!(path, "Result");
        assert_eq!(
            args[1],
            Ty::Path {
                path: "std::io::Error".into(),
                args: vec![]
            }
        );
    }

    #[test]
    fn an_item_named_by_a_reference_bound_records_that_predicate() {
        let inv = lib(r#"
            #[ai_generated]
            pub fn generic_levenshtein<'a, 'b, Iter1, Iter2, Elem1, Elem2>(a: &'a Iter1, b: &'b Iter2) -> usize
            where
                &'a Iter1: IntoIterator<Item = Elem1>,
                &'b mut Iter2: IntoIterator<Item = Elem2>,
                Elem1: PartialEq<Elem2>,
            { 0 }
        "#);
        let generics = &find(&inv, "generic_levenshtein").signature.generics;
        let bounds = |name: &str| &generics.iter().find(|g| g.name == name).unwrap().bounds;
        assert_eq!(bounds("Iter1"), &["IntoIterator"]);
        assert_eq!(
            bounds("Elem1"),
            &["PartialEq<Elem2>", "&Iter1: IntoIterator<Item = Elem1>"]
        );
        assert_eq!(bounds("Elem2"), &["&mut Iter2: IntoIterator<Item = Elem2>"]);
    }
}
