//! Factory methods (syn, through `discover`): a method of one type that returns another of the crate's types
//! (`Encoding::new_encoder(&self, output: &mut String) -> Encoder<'_>`, `impl IntoIterator for SmallVec<A>`'s
//! `into_iter(self) -> Self::IntoIter` with `type IntoIter = IntoIter<A>`). The plan builds a type with no
//! constructor of its own through one: it builds the value the method is called on, then calls it.

use super::signature::{generics_of, params_of, receiver_of, static_params_of, ty_of};
use crate::model::{Constructor, CtorReturn, Factory, Receiver};

/// Std traits a harness names bare (the prelude's) whose methods may hand out another type.
const PRELUDE_TRAITS: &[&str] = &["IntoIterator", "Iterator", "ToOwned", "Clone"];

/// A factory found in an impl block: the name of the type it returns (last segment, resolved in the impl's
/// module) and the constructor that calls it.
pub(super) struct Found {
    pub(super) type_name: String,
    pub(super) ctor: Constructor,
}

/// A public, safe, sync method of the inherent impl `imp` (of `type_name`) that returns another type.
pub(super) fn inherent(
    imp: &syn::ItemImpl,
    type_name: &str,
    method: &syn::ImplItemFn,
    public: bool,
) -> Option<Found> {
    let syn::ReturnType::Type(_, output) = &method.sig.output else {
        return None;
    };
    factory(imp, type_name, &method.sig, output, public, None)
}

/// The methods of the trait impl `imp` (of `type_name`) that return another type, directly or through one
/// of the impl's associated types (`-> Self::IntoIter`), for std traits the harness can name.
pub(super) fn of_trait_impl(
    imp: &syn::ItemImpl,
    trait_path: &syn::Path,
    type_name: &str,
) -> Vec<Found> {
    let Some(last) = trait_path.segments.last() else {
        return Vec::new();
    };
    let first = trait_path.segments.first().map(|s| s.ident.to_string());
    let std_path = matches!(first.as_deref(), Some("std" | "core" | "alloc"));
    let bare = trait_path.segments.len() == 1
        && trait_path.leading_colon.is_none()
        && PRELUDE_TRAITS.contains(&last.ident.to_string().as_str());
    if !matches!(last.arguments, syn::PathArguments::None) || !(bare || std_path) {
        return Vec::new();
    }
    let written = trait_path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    let via_trait = if std_path {
        format!("::{written}")
    } else {
        written
    };
    imp.items
        .iter()
        .filter_map(|item| match item {
            syn::ImplItem::Fn(f) => Some(f),
            _ => None,
        })
        .filter_map(|f| {
            let syn::ReturnType::Type(_, output) = &f.sig.output else {
                return None;
            };
            let output = associated(imp, output).unwrap_or(output);
            factory(
                imp,
                type_name,
                &f.sig,
                output,
                true,
                Some(via_trait.clone()),
            )
        })
        .collect()
}

/// `Self::IntoIter` → the type the impl gives `IntoIter`.
fn associated<'a>(imp: &'a syn::ItemImpl, ty: &syn::Type) -> Option<&'a syn::Type> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    let segments: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
    let [first, assoc] = segments.as_slice() else {
        return None;
    };
    if p.qself.is_some() || first.ident != "Self" {
        return None;
    }
    imp.items.iter().find_map(|item| match item {
        syn::ImplItem::Type(t) if t.ident == assoc.ident => Some(&t.ty),
        _ => None,
    })
}

fn factory(
    imp: &syn::ItemImpl,
    type_name: &str,
    sig: &syn::Signature,
    output: &syn::Type,
    public: bool,
    via_trait: Option<String>,
) -> Option<Found> {
    let receiver = receiver_of(sig.receiver()?);
    if !matches!(
        receiver,
        Receiver::Ref | Receiver::RefStatic | Receiver::RefMut | Receiver::Value
    ) || sig.unsafety.is_some()
        || sig.asyncness.is_some()
    {
        return None;
    }
    let (name, returns, args) = produced(output)?;
    if name == "Self" || name == type_name {
        return None;
    }
    Some(Found {
        type_name: name,
        ctor: Constructor {
            name: sig.ident.to_string(),
            public,
            params: params_of(sig),
            returns,
            free_fn: None,
            examples: Vec::new(),
            via_trait,
            generics: generics_of(&sig.generics),
            static_params: static_params_of(sig),
            factory: Some(Factory {
                owner: ty_of(&imp.self_ty),
                owner_generics: generics_of(&imp.generics),
                receiver,
                returns_args: args,
            }),
        },
    })
}

/// The type a method returns, plain or in an `Option` / `Result`: its last segment, how it is returned, and
/// its type arguments. Only a name the impl's module resolves (one segment, or from `crate`/`self`/`super`):
/// `slice::Iter` is std's, whatever the crate calls `Iter`.
fn produced(ty: &syn::Type) -> Option<(String, CtorReturn, Vec<crate::model::Ty>)> {
    let syn::Type::Path(p) = ty else {
        return None;
    };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    fn type_args(seg: &syn::PathSegment) -> Vec<&syn::Type> {
        match &seg.arguments {
            syn::PathArguments::AngleBracketed(a) => a
                .args
                .iter()
                .filter_map(|arg| match arg {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
    let wrapped = match last.ident.to_string().as_str() {
        "Option" => Some(CtorReturn::Option),
        "Result" => Some(CtorReturn::Result),
        _ => None,
    };
    if let Some(returns) = wrapped {
        let inner = *type_args(last).first()?;
        let (name, plain, args) = produced(inner)?;
        return (plain == CtorReturn::Plain).then_some((name, returns, args));
    }
    let first = p.path.segments.first()?.ident.to_string();
    let local = p.path.segments.len() == 1 || matches!(first.as_str(), "crate" | "self" | "super");
    if !local || p.path.leading_colon.is_some() {
        return None;
    }
    let args = type_args(last).into_iter().map(ty_of).collect();
    Some((last.ident.to_string(), CtorReturn::Plain, args))
}
