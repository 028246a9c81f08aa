//! The crate's own traits (syn, through `items`): for a trait nothing in the crate implements (a callback
//! interface such as utf8parse's `Receiver`, lazy_static's `LazyStatic`), the methods of a do-nothing
//! implementor the harness can write, or why it cannot.
//!
//! Only traits whose required methods all return nothing: such an implementor cannot steer the function it is
//! passed to (a `bool` or `Option` it made up could send the function where no real implementor would, and the
//! failure would be the harness's). Argument and supertrait types must be std's, so the harness can name them.

use quote::ToTokens;

use crate::model::{TraitDef, AUTO_MARKERS, DERIVABLE_STD_TRAITS};

/// Type names a trait method's argument may use: std's, which the harness names as the trait does.
const STD_NAMES: &[&str] = &[
    "Self", "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32",
    "i64", "i128", "isize", "f32", "f64", "String", "Vec", "Option", "Result", "Box",
];

/// The trait as the model keeps it; its paths are filled in once the crate's reach is known.
pub(super) fn trait_def(module_path: &[String], t: &syn::ItemTrait) -> TraitDef {
    let mut path = module_path.to_vec();
    path.push(t.ident.to_string());
    TraitDef {
        name: t.ident.to_string(),
        path: path.join("::"),
        public_path: None,
        crate_path: None,
        noop: noop_methods(t),
    }
}

/// The required methods of a do-nothing implementor (`fn codepoint(&mut self, _: char) {}`), or why there is
/// none.
fn noop_methods(t: &syn::ItemTrait) -> Result<Vec<String>, String> {
    if t.unsafety.is_some() {
        return Err("it is an `unsafe trait`".into());
    }
    if !t.generics.params.is_empty() {
        return Err("the trait has generic parameters".into());
    }
    for bound in &t.supertraits {
        if let syn::TypeParamBound::Trait(b) = bound {
            let name = b
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default();
            let derivable = DERIVABLE_STD_TRAITS.contains(&name.as_str())
                || AUTO_MARKERS.contains(&name.as_str());
            if !derivable || !std_path(&b.path) {
                return Err(format!("it requires `{}` too", b.path.to_token_stream()));
            }
        }
    }
    let mut methods = Vec::new();
    for item in &t.items {
        match item {
            syn::TraitItem::Fn(f) if f.default.is_some() => {}
            syn::TraitItem::Fn(f) => methods.push(noop_method(&f.sig)?),
            syn::TraitItem::Type(ty) if ty.default.is_none() => {
                return Err(format!("it has an associated type `{}`", ty.ident));
            }
            syn::TraitItem::Const(c) if c.default.is_none() => {
                return Err(format!("it has an associated constant `{}`", c.ident));
            }
            syn::TraitItem::Macro(_) => return Err("its items come from a macro".into()),
            _ => {}
        }
    }
    Ok(methods)
}

/// One required method, written with every argument `_` and an empty body.
fn noop_method(sig: &syn::Signature) -> Result<String, String> {
    let name = &sig.ident;
    if sig.asyncness.is_some() || sig.variadic.is_some() {
        return Err(format!("`{name}` is `async` or variadic"));
    }
    if sig
        .generics
        .params
        .iter()
        .any(|g| !matches!(g, syn::GenericParam::Lifetime(_)))
    {
        return Err(format!("`{name}` is generic"));
    }
    let returns_nothing = match &sig.output {
        syn::ReturnType::Default => true,
        syn::ReturnType::Type(_, ty) => matches!(&**ty, syn::Type::Tuple(t) if t.elems.is_empty()),
    };
    if !returns_nothing {
        return Err(format!(
            "`{name}` returns a value, with which a made-up implementor could steer the function"
        ));
    }
    let mut sig = sig.clone();
    for input in sig.inputs.iter_mut() {
        match input {
            syn::FnArg::Receiver(r) => r.attrs.clear(),
            syn::FnArg::Typed(arg) => {
                if !std_type(&arg.ty) {
                    return Err(format!("`{name}` takes a `{}`", arg.ty.to_token_stream()));
                }
                arg.attrs.clear();
                *arg.pat = syn::parse_quote!(_);
            }
        }
    }
    Ok(format!("{} {{}}", sig.to_token_stream()))
}

/// Whether every name in `ty` is one of std's the harness can write as the trait does.
fn std_type(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(r) => std_type(&r.elem),
        syn::Type::Slice(s) => std_type(&s.elem),
        syn::Type::Array(a) => std_type(&a.elem) && matches!(a.len, syn::Expr::Lit(_)),
        syn::Type::Tuple(t) => t.elems.iter().all(std_type),
        syn::Type::Paren(p) => std_type(&p.elem),
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return false;
            };
            let name_ok = STD_NAMES.contains(&last.ident.to_string().as_str())
                && (p.path.segments.len() == 1 || std_path(&p.path))
                // `Self::Item` is the implementor's choice.
                && !(p.path.segments.len() > 1 && p.path.segments[0].ident == "Self");
            let args_ok = match &last.arguments {
                syn::PathArguments::None => true,
                syn::PathArguments::AngleBracketed(a) => a.args.iter().all(|arg| match arg {
                    syn::GenericArgument::Type(t) => std_type(t),
                    syn::GenericArgument::Lifetime(_) => true,
                    _ => false,
                }),
                syn::PathArguments::Parenthesized(_) => false,
            };
            name_ok && args_ok
        }
        _ => false,
    }
}

/// A bare name or one under `std`, `core` or `alloc`.
fn std_path(path: &syn::Path) -> bool {
    path.segments.len() == 1
        || matches!(
            path.segments[0].ident.to_string().as_str(),
            "std" | "core" | "alloc"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noop(src: &str) -> Result<Vec<String>, String> {
        noop_methods(&syn::parse_str(src).unwrap())
    }

    #[test]
    fn a_callback_trait_gets_empty_methods_with_unnamed_arguments() {
        let methods = noop(
            "pub trait Receiver { fn codepoint(&mut self, c: char); fn invalid_sequence(&mut self); \
             fn provided(&self) -> bool { true } }",
        )
        .unwrap();
        assert_eq!(
            methods,
            [
                "fn codepoint (& mut self , _ : char) {}",
                "fn invalid_sequence (& mut self) {}"
            ]
        );
        // An associated function taking `&Self` (lazy_static's `LazyStatic::initialize`).
        let methods =
            noop("pub trait LazyStatic { #[doc(hidden)] fn initialize(lazy: &Self); }").unwrap();
        assert_eq!(methods, ["fn initialize (_ : & Self) {}"]);
    }

    #[test]
    fn a_trait_an_implementor_cannot_meet_by_doing_nothing_says_why() {
        let why = |src: &str| noop(src).unwrap_err();
        assert!(
            why("pub trait T { fn next(&mut self) -> Option<u8>; }").contains("returns a value")
        );
        assert!(why("pub trait T { type Item; }").contains("associated type `Item`"));
        assert!(why("pub trait T: Other { fn f(&self); }").contains("requires `Other`"));
        assert!(why("pub trait T { fn f(&self, w: Writer); }").contains("takes a `Writer`"));
        assert!(why("pub trait T { fn f<W>(&self, w: W); }").contains("is generic"));
        assert!(why("pub unsafe trait T {}").contains("unsafe"));
        assert!(why("pub trait T<X> {}").contains("generic parameters"));
        // Std supertraits a derive meets are fine.
        assert_eq!(
            noop("pub trait T: Clone + std::fmt::Debug + Send { fn f(&self, x: &[u8]) -> (); }")
                .unwrap()
                .len(),
            1
        );
    }
}
