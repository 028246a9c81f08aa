//! Generics and bounds: a concrete type for every type parameter and `impl Trait` (from its bounds: `AsRef<str>`
//! is a `String`, `Read` a cursor over attacked bytes, `Iterator<Item = u8>` a `Vec`'s iterator, a trait the
//! crate implements for one of its own types that type), and the substitution of those types into signatures.

use crate::model::{Generic, GenericKind, SkipReason, Ty};

use super::values::{is_primitive, value_plan};
use super::Ctx;

/// Whether the type names the generic parameter `name` anywhere.
pub(super) fn mentions(ty: &Ty, name: &str) -> bool {
    match ty {
        Ty::Path { path, args } => {
            path == name
                || path.starts_with(&format!("{name}::"))
                || args.iter().any(|a| mentions(a, name))
        }
        Ty::Ref { inner, .. } => mentions(inner, name),
        Ty::Slice { elem } => mentions(elem, name),
        // `[T; N]` names the const `N` too.
        Ty::Array { elem, len } => len.trim() == name || mentions(elem, name),
        Ty::Tuple { elems } => elems.iter().any(|e| mentions(e, name)),
        Ty::ImplTrait { bounds } => bounds.iter().any(|b| b.contains(name)),
        Ty::Other { text } => text.contains(name),
    }
}

/// Picks a concrete type for every type parameter and `impl Trait`, from its bounds.
pub(super) fn concrete_generics(ctx: &Ctx) -> Result<Vec<(String, Ty)>, SkipReason> {
    let mut out = Vec::new();
    let scope = &ctx.function.signature.generics;
    for generic in scope {
        if generic.kind == crate::model::GenericKind::Const {
            let value = const_value(generic, ctx).ok_or_else(|| SkipReason::ConstGeneric {
                name: generic.name.clone(),
            })?;
            out.push((generic.name.clone(), value));
            continue;
        }
        // A parameter of the receiver's type with a declared default (`struct BitVec<B = u32>`, `impl<B:
        // BitBlock> BitVec<B>`): the type as users name it (`BitVec`), which the constructors of an `impl
        // BitVec<u32>` block build.
        if let Some(ty) = self_type_default(&generic.name, ctx) {
            out.push((generic.name.clone(), ty));
            continue;
        }
        // `L: Into<T>` or `T: From<L>` with `T` bounded by nothing else: `T` is the type chosen for `L`
        // (std's reflexive `impl<T> From<T> for T`); `K: Borrow<Q>` makes `Q` what `K` is (`impl<T> Borrow<T>
        // for T`), the key a map's `get<Q>(&self, k: &Q)` looks up.
        if let Some(ty) = conversion_source(&generic.name, scope)
            .or_else(|| borrow_source(generic, scope))
            .and_then(|source| concrete_for_bounds_in(&source.bounds, scope, ctx))
        {
            out.push((generic.name.clone(), ty));
            continue;
        }
        let no_type = || SkipReason::NoConcreteType {
            name: generic.name.clone(),
            bounds: generic.bounds.clone(),
            why: super::noop::why_none(&generic.bounds, ctx),
        };
        // `&Iter1: IntoIterator<Item = Elem1>`: a reference to the element of the collection `Iter1` got.
        if let Some(ty) = generic.bounds.iter().find_map(|b| ref_item(b, &out)) {
            out.push((generic.name.clone(), ty));
            continue;
        }
        // `where Self: Holds<T>`: the type argument of an `impl Holds<…> for` the receiver's type.
        let (on_self, own): (Vec<String>, Vec<String>) = generic
            .bounds
            .iter()
            .filter(|b| !b.starts_with('&'))
            .cloned()
            .partition(|b| b.starts_with("Self:"));
        let ty = if on_self.is_empty() && super::closures::closure_bound(&own).is_some() {
            // A generated closure, planned with the parameter (its argument types may name the others).
            Some(Ty::ImplTrait { bounds: own })
        } else if on_self.is_empty() {
            concrete_for_bounds(&own, ctx)
        } else {
            type_for_self_bounds(&generic.name, &on_self, &own, ctx)
        }
        .ok_or_else(no_type)?;
        out.push((generic.name.clone(), ty));
    }
    name_type_closures(&mut out, ctx);
    Ok(out)
}

/// The declared default of the receiver type's parameter that `name` stands for in the impl's self type
/// (`B` in `BitVec<B>` of `struct BitVec<B = u32>` → `u32`).
fn self_type_default(name: &str, ctx: &Ctx) -> Option<Ty> {
    let (base, args) = ctx.function.self_type.as_deref()?.split_once('<')?;
    let args = args.trim_end().strip_suffix('>')?;
    // Lifetimes are not among `param_defaults`; const arguments (`Foo<4, B>`) are.
    let position = split_top_level(args)
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.starts_with('\''))
        .position(|a| a == name)?;
    let def = super::crate_types::find_type(ctx, base.trim())?;
    crate::discover::parse_ty(def.param_defaults.get(position)?.as_deref()?)
}

/// The item of `&Iter1: IntoIterator<Item = Elem1>` (as discovery records it on `Elem1`), once `Iter1` has its
/// type: `&T` for a `Vec<T>` or an array of `T` (`&mut T` for `&mut Iter1`).
fn ref_item(predicate: &str, chosen: &[(String, Ty)]) -> Option<Ty> {
    let (reference, _) = predicate.split_once(':')?;
    let (mutable, collection) = match reference.trim().strip_prefix("&mut ") {
        Some(name) => (true, name),
        None => (false, reference.trim().strip_prefix('&')?),
    };
    let elem = match &chosen.iter().find(|(n, _)| n == collection.trim())?.1 {
        Ty::Path { path, args } if path == "Vec" && args.len() == 1 => args[0].clone(),
        Ty::Array { elem, .. } => (**elem).clone(),
        _ => return None,
    };
    Some(Ty::Ref {
        mutable,
        inner: Box::new(elem),
    })
}

/// The type parameters of the receiver's type (those its self type names: `F` of `impl<T, F> DrainFilter<'_,
/// T, F>`) that are bounded by a closure trait get a type with a name (`closures::boxed_closure_type`), once
/// every other parameter has its type: the receiver is built with it and annotated with it. A closure's own
/// type has no name, and the function's own parameters (`retain<F>(&mut self, f: F)`) keep it: the call infers
/// them from the closure passed.
fn name_type_closures(chosen: &mut [(String, Ty)], ctx: &Ctx) {
    let Some(self_type) = ctx.function.self_type.as_deref() else {
        return;
    };
    let in_self: Vec<&str> = self_type
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .collect();
    let with_chosen = ctx.with_generics(chosen.to_vec());
    let scope = &ctx.function.signature.generics;
    for (name, ty) in chosen.iter_mut() {
        let Ty::ImplTrait { bounds } = &*ty else {
            continue;
        };
        if !in_self.contains(&name.as_str()) {
            continue;
        }
        if let Some(named) = super::closures::boxed_closure_type(bounds, scope, &with_chosen) {
            *ty = named;
        }
    }
}

/// The array length the harness prefers for a parameter any array meets (`implementors`: the smallest of 8 to
/// 64 the crate implements its trait for; `[i64; 8]` for smallvec's `A: Array`).
const ARRAY_LEN: &str = "8";

/// The value of a const parameter: the array length the harness gives array-bounded parameters (8, as
/// `[i64; 8]` for smallvec's `A: Array`) when the parameter is an array length in the receiver's type (`impl<T,
/// const N: usize> SmallVec<[T; N]>`), else 4 for an integer; `true` for a `bool`, `'a'` for a `char`. The
/// value shows in the harness's call and so in every reproduction.
fn const_value(generic: &Generic, ctx: &Ctx) -> Option<Ty> {
    let ty = generic.bounds.first().map(|b| b.replace(' ', ""))?;
    // Distinct values for the parameters of one type, in ascending order: a type may require them to differ
    // (wildmatch asserts `MULTI_WILDCARD != SINGLE_WILDCARD` at compile time) or to be ordered (`MIN < MAX`).
    let nth = ctx
        .function
        .signature
        .generics
        .iter()
        .filter(|g| {
            g.kind == GenericKind::Const
                && g.bounds.first().is_some_and(|b| b.replace(' ', "") == ty)
        })
        .position(|g| g.name == generic.name)
        .unwrap_or(0);
    let value = match ty.as_str() {
        "bool" => "true".to_string(),
        "char" => format!("'{}'", char::from(b'a' + (nth % 26) as u8)),
        t if super::values::is_integer(t) => {
            let array_len = ctx
                .function
                .self_type
                .as_deref()
                .is_some_and(|s| s.replace(' ', "").contains(&format!(";{}]", generic.name)));
            if array_len {
                ARRAY_LEN.to_string()
            } else {
                (4 + nth).to_string()
            }
        }
        _ => return None,
    };
    Some(path_ty(&value, vec![]))
}

/// For a type parameter `name` with no bound of its own but `From<X>` (or none at all), the parameter `X` of
/// `scope` bounded by `Into<name>` (or named by that `From<X>`): `either_into<T>(self) -> T where L: Into<T>,
/// R: Into<T>` makes `T` what `L` is.
fn conversion_source<'a>(name: &str, scope: &'a [Generic]) -> Option<&'a Generic> {
    let own = scope.iter().find(|g| g.name == name)?;
    let mut from = None;
    for bound in &own.bounds {
        let bound = strip_lifetimes(bound).replace(' ', "");
        match from_param(&bound, scope) {
            Some(source) if from.is_none() => from = Some(source),
            _ if bound.is_empty() || matches!(bound.as_str(), "Sized" | "?Sized") => {}
            _ => return None,
        }
    }
    from.or_else(|| {
        scope.iter().find(|g| {
            g.name != name
                && g.kind == GenericKind::Type
                && g.bounds
                    .iter()
                    .any(|b| into_param(&b.replace(' ', ""), scope) == Some(name))
        })
    })
    .filter(|source| source.name != name)
}

/// For a type parameter `generic` bounded only by marker traits (`Q: ?Sized + Hash + Eq`), the parameter of
/// `scope` bounded by `Borrow<Q>`: that one's type is a `Q` (the reflexive `Borrow`), and it has the markers a
/// key type needs whenever its own bounds ask for them.
fn borrow_source<'a>(generic: &Generic, scope: &'a [Generic]) -> Option<&'a Generic> {
    if !key_markers_only(generic) {
        return None;
    }
    scope.iter().find(|g| {
        g.name != generic.name
            && g.kind == GenericKind::Type
            && g.bounds.iter().any(|b| {
                borrow_param(&strip_lifetimes(b).replace(' ', ""), scope)
                    == Some(generic.name.as_str())
            })
    })
}

/// Whether a parameter asks only what any key type has (`?Sized + Hash + Eq`).
fn key_markers_only(generic: &Generic) -> bool {
    generic.bounds.iter().all(|b| {
        let b = strip_lifetimes(b).replace(' ', "");
        let last = b.rsplit("::").next().unwrap_or(&b).to_string();
        b.is_empty()
            || matches!(
                last.as_str(),
                "?Sized" | "Sized" | "Hash" | "Eq" | "PartialEq" | "Ord" | "PartialOrd"
            )
    })
}

/// `Q` of a bound `Borrow<Q>` when `Q` is a type parameter of `scope` that [`borrow_source`] gives this
/// parameter's type.
fn borrow_param<'a>(bound: &str, scope: &'a [Generic]) -> Option<&'a str> {
    conversion_param("Borrow", bound, scope)
        .filter(|q| key_markers_only(q))
        .map(|g| g.name.as_str())
}

/// `X` of a bound `From<X>` when `X` is a type parameter of `scope`.
fn from_param<'a>(bound: &str, scope: &'a [Generic]) -> Option<&'a Generic> {
    conversion_param("From", bound, scope)
}

/// `T` of a bound `Into<T>` when `T` is a type parameter of `scope`.
fn into_param<'a>(bound: &str, scope: &'a [Generic]) -> Option<&'a str> {
    conversion_param("Into", bound, scope).map(|g| g.name.as_str())
}

/// The type parameter of `scope` that a bound `<conversion><P>` (`From<P>`, `core::convert::Into<P>`) names.
fn conversion_param<'a>(
    conversion: &str,
    bound: &str,
    scope: &'a [Generic],
) -> Option<&'a Generic> {
    let open = format!("{conversion}<");
    let inner = bound
        .strip_prefix(open.as_str())
        .or_else(|| bound.split_once(&format!("::{open}")).map(|(_, r)| r))?
        .strip_suffix('>')?;
    scope
        .iter()
        .find(|g| g.name == inner && g.kind == GenericKind::Type)
}

/// A type for `name` meeting every `Self: Trait<…name…>` bound: a trait argument of the crate's
/// `impl Trait<…> for SelfType` at `name`'s position, simple enough to name and build (and, when `name` has
/// bounds of its own, the type those give must be that one).
fn type_for_self_bounds(name: &str, on_self: &[String], own: &[String], ctx: &Ctx) -> Option<Ty> {
    let self_name = ctx
        .function
        .self_type
        .as_deref()?
        .split('<')
        .next()?
        .rsplit("::")
        .next()?
        .trim()
        .to_string();
    let mut chosen: Option<String> = None;
    for bound in on_self {
        let bound = bound.trim_start_matches("Self:").replace(' ', "");
        let (trait_path, args) = bound.strip_suffix('>')?.split_once('<')?;
        let trait_name = trait_path.rsplit("::").next()?;
        let args = split_top_level(args);
        let at = args.iter().position(|a| a == name)?;
        let fits: Vec<String> = ctx
            .package
            .trait_impls
            .iter()
            .filter(|imp| {
                imp.trait_name == trait_name
                    && imp.type_name == self_name
                    && imp.trait_args.len() == args.len()
            })
            .map(|imp| imp.trait_args[at].replace(' ', ""))
            .filter(|t| chosen.as_ref().is_none_or(|c| c == t))
            .collect();
        chosen = Some(fits.into_iter().find(|t| {
            let ty = simple_ty(t);
            ty.as_ref()
                .is_some_and(|ty| value_plan(ty, ctx, "", 1).is_ok())
        })?);
    }
    let ty = simple_ty(&chosen?)?;
    if !own.is_empty() && concrete_for_bounds(own, ctx).as_ref() != Some(&ty) {
        let markers_only = concrete_for_bounds(own, ctx) == Some(path_ty("i64", vec![]));
        if !markers_only {
            return None;
        }
    }
    Some(ty)
}

/// A type written as a plain path (`String`, `u8`, `Port`) or a shared `&str` / `&[u8]`.
fn simple_ty(text: &str) -> Option<Ty> {
    match text {
        "&str" => Some(Ty::Ref {
            mutable: false,
            inner: Box::new(path_ty("str", vec![])),
        }),
        "&[u8]" => Some(Ty::Ref {
            mutable: false,
            inner: Box::new(Ty::Slice {
                elem: Box::new(path_ty("u8", vec![])),
            }),
        }),
        t if !t.is_empty()
            && t.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == ':') =>
        {
            Some(path_ty(t, vec![]))
        }
        _ => None,
    }
}

/// `A,B<C,D>,E` → `["A", "B<C,D>", "E"]`.
fn split_top_level(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

pub(super) fn path_ty(path: &str, args: Vec<Ty>) -> Ty {
    Ty::Path {
        path: path.into(),
        args,
    }
}

/// A concrete type for each of a constructor's own type parameters (`new<I: IntoIterator<Item = P>, P:
/// AsRef<[u8]>>` → `I = Vec<Vec<u8>>`, `P = Vec<u8>`), chosen from their bounds as for the function's. `outer`:
/// the parameters of the constructor's `impl` block, which no type chosen here may name.
pub(super) fn constructor_generics(
    scope: &[Generic],
    outer: &[Generic],
    ctx: &Ctx,
) -> Result<Vec<(String, Ty)>, String> {
    let unresolved: Vec<Generic> = scope.iter().chain(outer).cloned().collect();
    scope
        .iter()
        .map(|g| {
            let ty = (g.kind == GenericKind::Type
                && !g.bounds.iter().any(|b| b.starts_with("Self:")))
            .then(|| {
                // A closure bound: a boxed closure, else (`Clone`) a closure the call infers; none when its
                // types cannot be written (an argument `&mut A::Item` of the `impl` block's `A`).
                if super::closures::closure_bound(&g.bounds).is_some() {
                    return super::closures::boxed_closure_type(&g.bounds, &unresolved, ctx)
                        .or_else(|| {
                            super::closures::closure_types_known(&g.bounds, &unresolved, ctx).then(
                                || Ty::ImplTrait {
                                    bounds: g.bounds.clone(),
                                },
                            )
                        });
                }
                concrete_for_bounds_in(&g.bounds, scope, ctx)
            })
            .flatten()
            .ok_or_else(|| {
                format!(
                    "no concrete type for `{}: {}`",
                    g.name,
                    g.bounds.join(" + ")
                )
            })?;
            Ok((g.name.clone(), ty))
        })
        .collect()
}

/// `ty` with the chosen types put for the generic names of `chosen` (a constructor's own parameters).
pub(super) fn replace_generics(ty: &Ty, chosen: &[(String, Ty)]) -> Ty {
    let again = |t: &Ty| replace_generics(t, chosen);
    match ty {
        Ty::Path { path, args } if args.is_empty() => chosen
            .iter()
            .find(|(n, _)| n == path)
            .map_or_else(|| ty.clone(), |(_, t)| t.clone()),
        Ty::Path { path, args } => path_ty(path, args.iter().map(again).collect()),
        Ty::Ref { mutable, inner } => Ty::Ref {
            mutable: *mutable,
            inner: Box::new(again(inner)),
        },
        Ty::Slice { elem } => Ty::Slice {
            elem: Box::new(again(elem)),
        },
        Ty::Array { elem, len } => Ty::Array {
            elem: Box::new(again(elem)),
            len: const_len(len, chosen),
        },
        Ty::Tuple { elems } => Ty::Tuple {
            elems: elems.iter().map(again).collect(),
        },
        other => other.clone(),
    }
}

/// An array length with the value chosen for it when it is a const parameter (`[T; N]` → `[T; 8]`).
fn const_len(len: &str, chosen: &[(String, Ty)]) -> String {
    chosen
        .iter()
        .find(|(n, _)| n == len.trim())
        .and_then(|(_, ty)| match ty {
            Ty::Path { path, args } if args.is_empty() => Some(path.clone()),
            _ => None,
        })
        .unwrap_or_else(|| len.to_string())
}

/// `X: Into<T>`: `T` itself meets it (std's reflexive `impl<T> From<T> for T`) when it is a primitive or a
/// type the harness can build; else a `U` of a crate's `impl From<U> for T` that it can build.
fn into_target(bound: &str, ctx: &Ctx) -> Option<Ty> {
    let target = bound
        .strip_prefix("Into<")
        .or_else(|| bound.split_once("::Into<").map(|(_, rest)| rest))?
        .strip_suffix('>')?
        .trim_end_matches("<>");
    let buildable = |ty: &Ty| is_primitive(target) || value_plan(ty, ctx, "", 1).is_ok();
    let ty = simple_ty(target)?;
    if buildable(&ty) {
        return Some(ty);
    }
    ctx.package
        .trait_impls
        .iter()
        .filter(|imp| imp.trait_name == "From" && imp.type_name == target)
        .filter_map(|imp| simple_ty(&imp.trait_args.first()?.replace(' ', "")))
        .find(|ty| matches!(ty, Ty::Ref { .. }) || value_plan(ty, ctx, "", 1).is_ok())
}

/// The table behind "simple generics instantiated with a fitting concrete type".
fn concrete_for_bounds(bounds: &[String], ctx: &Ctx) -> Option<Ty> {
    concrete_for_bounds_in(bounds, &ctx.function.signature.generics, ctx)
}

/// [`concrete_for_bounds`] for a parameter among the type parameters `scope` (which an iterator's `Item = P`
/// may name).
fn concrete_for_bounds_in(bounds: &[String], scope: &[Generic], ctx: &Ctx) -> Option<Ty> {
    // A closure trait is no trait of another package to guess a primitive for (`FnMut(&mut A::Item) -> bool`
    // reads as a path); the closure's callers choose its type.
    if super::closures::closure_bound(bounds).is_some() {
        return None;
    }
    let normalized: Vec<String> = bounds
        .iter()
        .map(|b| strip_lifetimes(b).replace(' ', ""))
        .filter(|b| !b.is_empty() && b != "+")
        .map(|b| element_projections(&b, scope, ctx))
        // `Into<T>` / `Borrow<T>` with `T` a parameter of the scope constrains `T` (see `conversion_source`,
        // `borrow_source`), not this one.
        .filter(|b| into_param(b, scope).is_none() && borrow_param(b, scope).is_none())
        .collect();
    let has = |names: &[&str]| {
        normalized.iter().any(|b| {
            names
                .iter()
                .any(|n| b == n || b.ends_with(&format!("::{n}")))
        })
    };
    let only_markers = normalized.iter().all(|b| {
        let last = b.rsplit("::").next().unwrap_or(b);
        matches!(
            last,
            "Ord"
                | "PartialOrd"
                | "Eq"
                | "PartialEq"
                | "Hash"
                | "Copy"
                | "Clone"
                | "Debug"
                | "Default"
                | "Send"
                | "Sync"
                | "'static"
                | "Sized"
                | "?Sized"
                | "Display"
                | "ToString"
                | "Unpin"
                // serde's data traits: `i64` has them all (the format's trait is `serde_format`'s).
                | "Serialize"
                | "Deserialize<>"
                | "DeserializeOwned"
        )
    });
    // serde: a format's `Deserializer` / `Serializer` is the runtime's (a generated data tree, a sink).
    if let Some(ty) = serde_format(&normalized) {
        return Some(ty);
    }
    if has(&[
        "AsRef<str>",
        "Into<String>",
        "Borrow<str>",
        "Deref<Target=str>",
    ]) {
        return Some(path_ty("String", vec![]));
    }
    if has(&["AsRef<[u8]>", "Into<Vec<u8>>", "Borrow<[u8]>"]) {
        return Some(path_ty("Vec", vec![path_ty("u8", vec![])]));
    }
    if has(&["AsRef<Path>", "Into<PathBuf>", "AsRef<OsStr>"]) {
        return Some(path_ty("PathBuf", vec![]));
    }
    // A map's hasher: std's (`HashMap`'s default, so `new()` / `with_capacity` build the same type).
    if has(&["BuildHasher"]) {
        return Some(path_ty("std::collections::hash_map::RandomState", vec![]));
    }
    if has(&["Hasher"]) {
        return Some(path_ty("std::collections::hash_map::DefaultHasher", vec![]));
    }
    // I/O: a reader over attacked bytes, a writer into memory.
    if has(&["Read", "BufRead"]) {
        return Some(path_ty(
            "std::io::Cursor",
            vec![path_ty("Vec", vec![path_ty("u8", vec![])])],
        ));
    }
    // `fmt::Write` takes text (a `String`), `io::Write` bytes (a `Vec<u8>`); a bare `Write` is `io::Write`
    // unless the function's module imports `fmt::Write`.
    let fmt_write = normalized
        .iter()
        .any(|b| b == "fmt::Write" || b.ends_with("::fmt::Write"))
        || (normalized.iter().any(|b| b == "Write") && ctx.function.uses_fmt_write());
    if fmt_write {
        return Some(path_ty("String", vec![]));
    }
    if has(&["Write"]) {
        return Some(path_ty("Vec", vec![path_ty("u8", vec![])]));
    }
    // Iterators and ranges: a `Vec` of attacked items (its `IntoIter` for `Iterator` bounds).
    for bound in &normalized {
        let bound = std_iter_trait(bound, ctx);
        if bound == "IntoIterator" {
            return Some(path_ty("Vec", vec![path_ty("i64", vec![])]));
        }
        if matches!(
            bound,
            "Iterator" | "DoubleEndedIterator" | "ExactSizeIterator"
        ) {
            return Some(path_ty("std::vec::IntoIter", vec![path_ty("i64", vec![])]));
        }
        let item = [
            "IntoIterator<Item=",
            "Iterator<Item=",
            "DoubleEndedIterator<Item=",
            "ExactSizeIterator<Item=",
        ]
        .iter()
        .find_map(|p| {
            bound
                .strip_prefix(p)
                .and_then(|s| s.strip_suffix('>'))
                .map(|i| (*p, i))
        });
        if let Some((prefix, item)) = item {
            let item_ty = match item {
                "&str" => Ty::Ref {
                    mutable: false,
                    inner: Box::new(path_ty("str", vec![])),
                },
                "&[u8]" => Ty::Ref {
                    mutable: false,
                    inner: Box::new(Ty::Slice {
                        elem: Box::new(path_ty("u8", vec![])),
                    }),
                },
                i if is_primitive(i) || i == "String" => path_ty(i, vec![]),
                // `I: IntoIterator<Item = P>, P: AsRef<[u8]>` (aho-corasick's `new`): the item is another
                // type parameter of the function, given the type its own bounds choose (the same choice
                // `concrete_generics` makes for it); not one bounded by an iterator in turn.
                // `R: IntoIterator<Item = L::Item>` (either's `into_iter`), `L: IntoIterator`: `R` is the
                // collection `L` got, so the items agree.
                i if i.ends_with("::Item") => match same_collection(i, prefix, scope, ctx) {
                    Some(ty) => return Some(ty),
                    None => continue,
                },
                i => match item_parameter(i, scope, ctx)
                    .or_else(|| composite_item(i, scope, ctx))
                    .or_else(|| crate_item(i, ctx))
                {
                    Some(ty) => ty,
                    None => continue,
                },
            };
            let vec = path_ty("Vec", vec![item_ty.clone()]);
            return Some(if prefix == "IntoIterator<Item=" {
                vec
            } else {
                path_ty("std::vec::IntoIter", vec![item_ty])
            });
        }
        if let Some(item) = bound
            .strip_prefix("RangeBounds<")
            .and_then(|s| s.strip_suffix('>'))
        {
            if is_primitive(item) {
                return Some(path_ty("std::ops::Range", vec![path_ty(item, vec![])]));
            }
        }
    }
    if normalized.is_empty() || only_markers {
        return Some(path_ty("i64", vec![]));
    }
    if let Some(ty) = normalized.iter().find_map(|b| into_target(b, ctx)) {
        return Some(ty);
    }
    // Crate traits implemented by macros for primitives and arrays (`T: Integer`, `A: Array<Item = u8>`).
    if let Some(ty) = super::implementors::for_crate_traits(&normalized, ctx) {
        return Some(ty);
    }
    // A trait the crate implements for one of its own constructible types, or for `&str` / `&[u8]` (marker
    // bounds aside).
    let traits: Vec<&String> = normalized
        .iter()
        .filter(|b| {
            !matches!(
                b.rsplit("::").next().unwrap_or(b),
                "?Sized" | "Sized" | "Send" | "Sync" | "Unpin" | "Copy" | "Clone" | "Debug"
            )
        })
        .collect();
    if traits.len() == 1 {
        let trait_name = traits[0]
            .rsplit("::")
            .next()
            .unwrap_or(traits[0])
            .split('<')
            .next()
            .unwrap_or_default()
            .to_string();
        for imp in &ctx.package.trait_impls {
            if imp.trait_name == trait_name {
                // std's `Range` (fixedbitset's `IndexRange`, implemented for the range types): of the bound's
                // element when it names a primitive (`IndexRange<u32>`), else of `usize`, as ranges index.
                if imp.type_name == "Range" {
                    let elem = traits[0]
                        .split_once('<')
                        .and_then(|(_, a)| a.strip_suffix('>'))
                        .filter(|a| is_primitive(a))
                        .unwrap_or("usize");
                    return Some(path_ty("std::ops::Range", vec![path_ty(elem, vec![])]));
                }
                let Some(ty) = simple_ty(&imp.type_name) else {
                    continue;
                };
                // `&str` / `&[u8]` are attacked like any such parameter; a crate type must be buildable.
                if matches!(ty, Ty::Ref { .. }) || value_plan(&ty, ctx, "", 1).is_ok() {
                    return Some(ty);
                }
            }
        }
    }
    // A crate trait implemented for nothing a harness can build, whose methods return nothing.
    super::noop::for_bounds(&normalized, ctx)
}

/// A bound naming std's iterator traits by their module (`iter::Iterator<Item = u8>` under `use core::iter;`,
/// `std::iter::IntoIterator`) as the bare trait.
fn std_iter_trait<'b>(bound: &'b str, ctx: &Ctx) -> &'b str {
    for std in [
        "::std::iter::",
        "::core::iter::",
        "std::iter::",
        "core::iter::",
    ] {
        if let Some(rest) = bound.strip_prefix(std) {
            return rest;
        }
    }
    let iter_is_std = ctx
        .function
        .uses
        .iter()
        .any(|u| u.name == "iter" && matches!(u.path.as_str(), "std::iter" | "core::iter"));
    match bound.strip_prefix("iter::") {
        Some(rest) if iter_is_std => rest,
        _ => bound,
    }
}

/// The runtime's serde types for a format's bound (lifetimes stripped): `Deserializer<'de>` →
/// `abuse_runtime::serde::Data` (a generated data tree that deserializes itself), `Serializer` →
/// `abuse_runtime::serde::Sink`; `serde::` or `serde::de::` written or not. Never a guessed primitive.
fn serde_format(bounds: &[String]) -> Option<Ty> {
    bounds.iter().find_map(|b| {
        let b = b.strip_prefix("for<>").unwrap_or(b);
        let (path, last) = match b.rsplit_once("::") {
            Some((path, last)) => (path, last),
            None => ("", b),
        };
        if !matches!(path, "" | "serde" | "::serde" | "serde::de" | "serde::ser") {
            return None;
        }
        match last {
            "Deserializer<>" | "Deserializer" => Some(path_ty(SERDE_DATA, vec![])),
            "Serializer" => Some(path_ty(SERDE_SINK, vec![])),
            _ => None,
        }
    })
}

/// The runtime's deserializer of generated data, and its serializer that accepts everything.
pub(super) const SERDE_DATA: &str = "abuse_runtime::serde::Data";
pub(super) const SERDE_SINK: &str = "abuse_runtime::serde::Sink";

/// `Item=A::Item` in a bound, where the type chosen for `A` (from bounds of its own that project nothing) is an
/// array, `Vec` or slice, becomes `Item=<its element>`: smallvec's `insert_many<I: IntoIterator<Item =
/// A::Item>>` and `append<B: Array<Item = A::Item>>` with `A = [i64; 8]` get `Vec<i64>` and `[i64; 8]`. (A
/// crate's trait implemented for arrays is taken to yield the element; the compile check confirms.)
fn element_projections(bound: &str, scope: &[Generic], ctx: &Ctx) -> String {
    let mut out = bound.to_string();
    for generic in scope {
        let projection = format!("={}::Item", generic.name);
        if !out.contains(&projection) || generic.bounds.iter().any(|b| b.contains("::Item")) {
            continue;
        }
        let element = match concrete_for_bounds_in(&generic.bounds, scope, ctx) {
            Some(Ty::Array { elem, .. } | Ty::Slice { elem }) => *elem,
            Some(Ty::Path { path, mut args }) if path == "Vec" && args.len() == 1 => args.remove(0),
            _ => continue,
        };
        if let Ty::Path { path, args } = &element {
            if args.is_empty() && is_primitive(path) {
                out = out.replace(&projection, &format!("={path}"));
            }
        }
    }
    out
}

/// For an item bound `P::Item` (with `prefix`, `IntoIterator<Item=`), the type chosen for the parameter `P`
/// when `P` is bounded by the same iterator trait without an item of its own: the same collection.
fn same_collection(item: &str, prefix: &str, scope: &[Generic], ctx: &Ctx) -> Option<Ty> {
    let name = item.strip_suffix("::Item")?;
    let generic = scope
        .iter()
        .find(|g| g.name == name && g.kind == GenericKind::Type)?;
    let trait_name = prefix.trim_end_matches("<Item=");
    let plain = generic
        .bounds
        .iter()
        .any(|b| strip_lifetimes(b).replace(' ', "") == trait_name);
    if !plain || generic.bounds.iter().any(|b| b.contains("::Item")) {
        return None;
    }
    concrete_for_bounds_in(&generic.bounds, scope, ctx)
}

/// The type chosen for the function's type parameter `name` from its own bounds, when those mention no
/// iterator (so the choice cannot come back to the bound being resolved).
fn item_parameter(name: &str, scope: &[Generic], ctx: &Ctx) -> Option<Ty> {
    let generic = scope
        .iter()
        .find(|g| g.name == name && g.kind != GenericKind::Const)?;
    if generic
        .bounds
        .iter()
        .any(|b| b.contains("Iterator") || b.starts_with("Self:"))
    {
        return None;
    }
    concrete_for_bounds_in(&generic.bounds, scope, ctx)
}

/// An iterator's item built of the scope's type parameters and std types (`Result<T, E>`, `(K, V)`,
/// `Option<T>`): each parameter given the type its own bounds choose ([`item_parameter`]). `None` if a
/// parameter has no type, or the item names anything else.
fn composite_item(item: &str, scope: &[Generic], ctx: &Ctx) -> Option<Ty> {
    fn substitute(ty: &Ty, scope: &[Generic], ctx: &Ctx) -> Option<Ty> {
        Some(match ty {
            Ty::Path { path, args } if args.is_empty() && !path.contains("::") => {
                if scope.iter().any(|g| &g.name == path) {
                    item_parameter(path, scope, ctx)?
                } else if is_primitive(path) || path == "String" {
                    ty.clone()
                } else {
                    return None;
                }
            }
            Ty::Path { path, args } if matches!(path.as_str(), "Result" | "Option" | "Vec") => {
                Ty::Path {
                    path: path.clone(),
                    args: args
                        .iter()
                        .map(|a| substitute(a, scope, ctx))
                        .collect::<Option<Vec<_>>>()?,
                }
            }
            Ty::Tuple { elems } if !elems.is_empty() => Ty::Tuple {
                elems: elems
                    .iter()
                    .map(|e| substitute(e, scope, ctx))
                    .collect::<Option<Vec<_>>>()?,
            },
            _ => return None,
        })
    }
    let parsed = crate::discover::parse_ty(item)?;
    matches!(parsed, Ty::Path { ref args, .. } | Ty::Tuple { elems: ref args } if !args.is_empty())
        .then(|| substitute(&parsed, scope, ctx))
        .flatten()
}

/// An item that is one of the crate's own types, without type parameters, which the harness can build
/// (textwrap's `I: IntoIterator<Item = Word<'a>>`: a `Vec<Word>`).
fn crate_item(item: &str, ctx: &Ctx) -> Option<Ty> {
    // `Word<'a>` reads `Word<>` once its lifetimes are stripped.
    let ty = simple_ty(item.strip_suffix("<>").unwrap_or(item))?;
    let Ty::Path { path, .. } = &ty else {
        return None;
    };
    let def = super::crate_types::find_type(ctx, path)?;
    (def.generics.is_empty() && value_plan(&ty, ctx, "", 1).is_ok()).then_some(ty)
}

/// The bound without its lifetimes (`IntoIterator<Item = &'a str>` → `IntoIterator<Item = &str>`); a bound
/// that is only a lifetime becomes empty.
pub(super) fn strip_lifetimes(bound: &str) -> String {
    let mut out = String::new();
    let mut chars = bound.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            while chars
                .peek()
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
            {
                chars.next();
            }
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            // `'a + Trait`: the `+` that joined the lifetime goes too.
            if chars.peek() == Some(&'+') {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// Substitutes the chosen concrete types for generic names and `impl Trait`.
pub(super) fn substitute(ty: &Ty, ctx: &Ctx) -> Result<Ty, String> {
    Ok(match ty {
        Ty::Path { path, args } if args.is_empty() => {
            match ctx.generics.iter().find(|(n, _)| n == path) {
                Some((_, concrete)) => concrete.clone(),
                None => super::implementors::array_item(path, ctx).unwrap_or_else(|| ty.clone()),
            }
        }
        Ty::Path { path, args } => Ty::Path {
            path: path.clone(),
            args: args
                .iter()
                .map(|a| substitute(a, ctx))
                .collect::<Result<_, _>>()?,
        },
        Ty::Ref { mutable, inner } => Ty::Ref {
            mutable: *mutable,
            inner: Box::new(substitute(inner, ctx)?),
        },
        Ty::Slice { elem } => Ty::Slice {
            elem: Box::new(substitute(elem, ctx)?),
        },
        Ty::Array { elem, len } => Ty::Array {
            elem: Box::new(substitute(elem, ctx)?),
            len: const_len(len, &ctx.generics),
        },
        Ty::Tuple { elems } => Ty::Tuple {
            elems: elems
                .iter()
                .map(|e| substitute(e, ctx))
                .collect::<Result<_, _>>()?,
        },
        // A closure stays a closure bound: `closures.rs` plans its value.
        Ty::ImplTrait { .. } | Ty::Other { .. } if super::closures::is_closure(ty) => ty.clone(),
        Ty::ImplTrait { bounds } => concrete_for_bounds(bounds, ctx).ok_or_else(|| {
            format!(
                "no concrete type for `impl {}`; give `strategy(...)` for it",
                bounds.join(" + ")
            )
        })?,
        Ty::Other { text } => {
            return Err(format!(
                "type `{text}` is not supported; give `strategy(...)` for it"
            ))
        }
    })
}
