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

/// The public, safe, sync method of the inherent impl `imp` (of `type_name`) as a factory of another type: of
/// the type it returns, and of the crate type it fails with (`Result<_, E>`, a constructor of `E` through its
/// `Err`, [`CtorReturn::Err`]).
pub(super) fn inherent(
    imp: &syn::ItemImpl,
    type_name: &str,
    method: &syn::ImplItemFn,
    public: bool,
) -> Vec<Found> {
    let syn::ReturnType::Type(_, output) = &method.sig.output else {
        return Vec::new();
    };
    let returned =
        produced(output).and_then(|p| factory(imp, type_name, &method.sig, p, public, None));
    let failed = failure(output).and_then(|(name, args)| {
        factory(
            imp,
            type_name,
            &method.sig,
            (name, CtorReturn::Err, args),
            public,
            None,
        )
    });
    returned.into_iter().chain(failed).collect()
}

/// An associated function (no receiver) of the inherent impl `imp` that fails with another crate type
/// (`SmallIndex::new(usize) -> Result<SmallIndex, SmallIndexError>`): a constructor of that type through its
/// `Err`, called as `Owner::name` (`free_fn` is set once the owner's path is known). Not for an impl with type
/// parameters, which the call could not infer.
pub(super) fn failing_static(
    imp: &syn::ItemImpl,
    type_name: &str,
    method: &syn::ImplItemFn,
    public: bool,
) -> Option<Found> {
    let sig = &method.sig;
    if sig.receiver().is_some()
        || sig.unsafety.is_some()
        || sig.asyncness.is_some()
        || imp
            .generics
            .params
            .iter()
            .any(|g| !matches!(g, syn::GenericParam::Lifetime(_)))
    {
        return None;
    }
    let syn::ReturnType::Type(_, output) = &sig.output else {
        return None;
    };
    let (name, _) = failure(output)?;
    (name != type_name && name != "Self").then(|| Found {
        type_name: name,
        ctor: Constructor {
            name: sig.ident.to_string(),
            public,
            params: params_of(sig),
            returns: CtorReturn::Err,
            free_fn: None,
            examples: Vec::new(),
            via_trait: None,
            generics: generics_of(&sig.generics),
            static_params: static_params_of(sig),
            factory: None,
        },
    })
}

/// The crate type a function fails with: `Result<_, E>`'s `E` when the function's module resolves it (as
/// [`produced`]), with its type arguments. A one-argument alias (`io::Result<T>`) names no local error.
pub(super) fn failure(output: &syn::Type) -> Option<(String, Vec<crate::model::Ty>)> {
    let syn::Type::Path(p) = output else {
        return None;
    };
    let last = p.path.segments.last()?;
    if p.qself.is_some() || last.ident != "Result" {
        return None;
    }
    let args = type_args(last);
    let [ok, err] = args.as_slice() else {
        return None;
    };
    let (name, plain, args) = produced(err)?;
    let ok_name = produced(ok).map(|(n, _, _)| n);
    (plain == CtorReturn::Plain && ok_name.as_deref() != Some(name.as_str()) && name != "Self")
        .then_some((name, args))
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
                produced(output)?,
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
    (name, returns, args): (String, CtorReturn, Vec<crate::model::Ty>),
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

/// The type arguments of a path segment (`Result<T, E>` → `[T, E]`).
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
