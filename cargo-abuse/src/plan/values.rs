//! Values: how each parameter and receiver gets a value. A type the runtime attacks directly is its own raw
//! value; a reference is built as an owned value and lent (`&str` from a `String`); std values that borrow
//! (`Vec<&str>`, ranges, cursors) are built from attacked parts; the user's `strategy(...)` yields an opaque
//! value; the crate's own types are left to `crate_types.rs`.

use crate::model::{CtorReturn, Ty};

use super::crate_types::{crate_type_plan, find_type, type_base_name, type_path};
use super::function::tuple_text;
use super::generics::{path_ty, substitute};
use super::Ctx;

/// How the built value is handed to the function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    Value,
    Ref,
    RefMut,
    Str,
    Slice,
    MutSlice,
    Path,
    OsStr,
    /// `&'static T`: the built value is leaked (a few bytes per case), since a local cannot be borrowed
    /// for `'static`; `&String`/`&Vec<T>`/`&PathBuf` coerce to `&str`/`&[T]`/`&Path` at the call.
    Leak,
}

impl Pass {
    pub(super) fn apply(self, var: &str) -> String {
        match self {
            Pass::Value => var.to_string(),
            Pass::Ref => format!("&{var}"),
            Pass::RefMut => format!("&mut {var}"),
            Pass::Str => format!("{var}.as_str()"),
            Pass::Slice => format!("{var}.as_slice()"),
            Pass::MutSlice => format!("{var}.as_mut_slice()"),
            Pass::Path => format!("{var}.as_path()"),
            Pass::OsStr => format!("{var}.as_os_str()"),
            Pass::Leak => format!("&*Box::leak(Box::new({var}))"),
        }
    }

    pub(super) fn is_mut(self) -> bool {
        matches!(self, Pass::RefMut | Pass::MutSlice)
    }

    /// A shared borrow of the value, as the `ensures` closure receives it.
    pub(super) fn shared(self, var: &str) -> String {
        match self {
            Pass::RefMut | Pass::Value => format!("&{var}"),
            Pass::MutSlice => format!("{var}.as_slice()"),
            other => other.apply(var),
        }
    }
}

/// How a raw value becomes the argument's owned value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Build {
    /// The raw value is the value.
    Same,
    /// The value inside a `FromBytes`/`Opaque` wrapper.
    Unwrap,
    /// An expression over `{raw}` (a clone of the raw value), and whether it returns Option/Result.
    Expr {
        template: String,
        returns: CtorReturn,
        /// `{raw}` is the raw value itself rather than a clone: the value may borrow from it
        /// (`percent_decode(&[u8]) -> PercentDecode<'_>`).
        by_ref: bool,
    },
    /// An infallible expression over `{raw}`, the raw value itself (not a clone): for values that borrow
    /// from it (`Vec<&str>` from `Vec<String>`); the raw tuple lives for the whole test body.
    Borrow { template: String },
}

/// One parameter's plan.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ValuePlan {
    pub(super) raw_ty: String,
    pub(super) strategy: String,
    pub(super) build: Build,
    pub(super) pass: Pass,
}

/// A parameter: references are built as owned values and lent.
pub(super) fn param_plan(ty: &Ty, ctx: &Ctx, name: &str) -> Result<ValuePlan, String> {
    param_plan_at(ty, ctx, name, 0)
}

/// [`param_plan`] for a constructor argument `depth` constructors down.
pub(super) fn param_plan_at(
    ty: &Ty,
    ctx: &Ctx,
    name: &str,
    depth: u32,
) -> Result<ValuePlan, String> {
    let ty = substitute(ty, ctx)?;
    let Ty::Ref { mutable, inner } = &ty else {
        return value_plan(&ty, ctx, name, depth);
    };
    let (owned, pass) = match (&**inner, mutable) {
        (Ty::Path { path, args }, false) if path == "str" && args.is_empty() => {
            (path_ty("String", vec![]), Pass::Str)
        }
        (Ty::Path { path, .. }, false) if last_segment(path) == "Path" => {
            (path_ty("PathBuf", vec![]), Pass::Path)
        }
        (Ty::Path { path, .. }, false) if last_segment(path) == "OsStr" => {
            (path_ty("OsString", vec![]), Pass::OsStr)
        }
        (Ty::Slice { elem }, false) => (path_ty("Vec", vec![(**elem).clone()]), Pass::Slice),
        (Ty::Slice { elem }, true) => (path_ty("Vec", vec![(**elem).clone()]), Pass::MutSlice),
        (Ty::Path { path, .. }, true) if path == "str" => {
            return Err(
                "`&mut str` cannot be built from generated input; take `&mut String` or `&str`"
                    .into(),
            )
        }
        (inner, false) => (inner.clone(), Pass::Ref),
        (inner, true) => (inner.clone(), Pass::RefMut),
    };
    let plan = value_plan(&owned, ctx, name, depth)?;
    let pass = if !mutable && borrows_static(ctx, name) {
        Pass::Leak
    } else {
        pass
    };
    Ok(ValuePlan { pass, ..plan })
}

/// Whether the parameter is declared `name: &'static T` (the model drops lifetimes; the text keeps them).
fn borrows_static(ctx: &Ctx, name: &str) -> bool {
    !name.is_empty()
        && ctx
            .function
            .signature
            .text
            .contains(&format!("{name}: &'static "))
}

/// `strategy(param = expr)`: the user's strategy yields the parameter's owned type.
pub(super) fn user_strategy_plan(ty: &Ty, expr: &str, ctx: &Ctx) -> Result<ValuePlan, String> {
    let ty = substitute(ty, ctx)?;
    let (owned, pass) = match &ty {
        Ty::Ref { mutable, inner } => match (&**inner, mutable) {
            (Ty::Path { path, .. }, false) if path == "str" => {
                (path_ty("String", vec![]), Pass::Str)
            }
            (Ty::Slice { elem }, m) => (
                path_ty("Vec", vec![(**elem).clone()]),
                if *m { Pass::MutSlice } else { Pass::Slice },
            ),
            (inner, m) => (inner.clone(), if *m { Pass::RefMut } else { Pass::Ref }),
        },
        other => (other.clone(), Pass::Value),
    };
    let owned_text = render_ty(&owned, ctx);
    if is_direct(&owned) {
        Ok(ValuePlan {
            raw_ty: owned_text,
            strategy: format!("({expr})"),
            build: Build::Same,
            pass,
        })
    } else {
        Ok(ValuePlan {
            raw_ty: format!("abuse_runtime::Opaque<{owned_text}>"),
            strategy: format!("abuse_runtime::opaque({expr})"),
            build: Build::Unwrap,
            pass,
        })
    }
}

/// Whether the runtime implements `Attack` for the type (so raw value = value).
pub(super) fn is_direct(ty: &Ty) -> bool {
    match ty {
        Ty::Path { path, args } => {
            let name = last_segment(path);
            (is_primitive(name) && args.is_empty())
                || (is_runtime_path(path) && args.is_empty())
                || (std_path(name).is_some()
                    && args.iter().all(is_direct)
                    // `Result<T, E>`, not an alias like `io::Result<T>`.
                    && (name != "Result" || args.len() == 2))
        }
        // A length written as a constant may not be nameable from the harness: literals only.
        Ty::Array { elem, len } => is_direct(elem) && literal_len(len),
        Ty::Tuple { elems } => elems.len() <= 8 && elems.iter().all(is_direct),
        _ => false,
    }
}

/// `32`, `0x20`, `32usize`: an array length the harness can write as it is.
fn literal_len(len: &str) -> bool {
    let len = len.trim().trim_end_matches("usize").replace('_', "");
    !len.is_empty()
        && (len.chars().all(|c| c.is_ascii_digit())
            || len
                .strip_prefix("0x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit())))
}

/// The receiver's type with the type arguments the plan chose (`demo::Either<std::vec::IntoIter<i64>, i64>`),
/// for a generic `Self`: a value built from one variant leaves the others' parameters to inference, which has
/// nothing to go on (E0282). `None` when `Self` has no type parameters.
pub(super) fn chosen_self_type(ctx: &Ctx) -> Option<String> {
    // A specialised impl block's type arguments (`Either<Option<i64>, Option<i64>>`).
    let specialised = super::self_type_ctx(ctx);
    let ctx = specialised.as_ref().unwrap_or(ctx);
    let def = find_type(ctx, type_base_name(ctx.function.self_type.as_deref()?))?;
    // Type and const parameters alike (`WildMatchPattern<'a', 'a'>`).
    let params = &def.generics;
    if params.is_empty() {
        return None;
    }
    let args = params
        .iter()
        .map(|g| {
            ctx.generics
                .iter()
                .find(|(n, _)| *n == g.name)
                .filter(|(_, ty)| !super::closures::is_closure(ty))
                .map(|(_, ty)| render_ty(ty, ctx))
        })
        .collect::<Option<Vec<_>>>()?;
    let base = type_path(def, ctx).ok()?;
    Some(format!("{base}<{}>", args.join(", ")))
}

/// Renders a (substituted) type so that it names the same type from the harness.
pub(super) fn render_ty(ty: &Ty, ctx: &Ctx) -> String {
    match ty {
        Ty::Path { path, args } => {
            let name = last_segment(path);
            let base = if is_primitive(name) || path == "str" {
                name.to_string()
            } else if is_std_qualified(path) || is_runtime_path(path) {
                path.clone()
            } else if let Some(std) = std_path(name) {
                std.to_string()
            } else if name == "Self" {
                ctx.function
                    .self_type
                    .as_deref()
                    .and_then(|s| find_type(ctx, type_base_name(s)))
                    .map(|def| type_path(def, ctx).unwrap_or_else(|_| def.name.clone()))
                    .unwrap_or_else(|| "Self".into())
            } else if let Some(def) = find_type(ctx, name) {
                type_path(def, ctx).unwrap_or_else(|_| path.clone())
            } else {
                path.clone()
            };
            if args.is_empty() {
                base
            } else {
                format!(
                    "{base}<{}>",
                    args.iter()
                        .map(|a| render_ty(a, ctx))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        }
        Ty::Ref { mutable, inner } => format!(
            "&{}{}",
            if *mutable { "mut " } else { "" },
            render_ty(inner, ctx)
        ),
        Ty::Slice { elem } => format!("[{}]", render_ty(elem, ctx)),
        Ty::Array { elem, len } => format!("[{}; {len}]", render_ty(elem, ctx)),
        Ty::Tuple { elems } => tuple_text(elems.iter().map(|e| render_ty(e, ctx)).collect()),
        Ty::ImplTrait { bounds } => format!("impl {}", bounds.join(" + ")),
        Ty::Other { text } => text.clone(),
    }
}

fn hints(param: &str) -> String {
    format!("&hints({param:?})")
}

/// Std values built from attacked raw values: `Vec<&str>`/`Vec<&[u8]>` (borrowing the raw `Vec<String>`,
/// `Vec<Vec<u8>>`), `std::vec::IntoIter<T>` (for `Iterator` bounds) and `Range<T>`/`RangeInclusive<T>`.
/// std's hasher types (`RandomState`, `DefaultHasher`, as a map's `with_hasher(hash_builder: S)` gets them
/// from `generics`): nothing to draw, the value is their `Default`.
fn std_hasher_plan(ty: &Ty) -> Option<ValuePlan> {
    let Ty::Path { path, args } = ty else {
        return None;
    };
    let std_name = match path.as_str() {
        // Full paths only: a crate's own `RandomState` (ahash's) is another type.
        "std::collections::hash_map::RandomState" | "std::collections::hash_map::DefaultHasher" => {
            path.as_str()
        }
        _ => return None,
    };
    args.is_empty().then(|| ValuePlan {
        raw_ty: "()".into(),
        strategy: "abuse_runtime::prelude::Just(())".into(),
        build: Build::Expr {
            template: format!("<{std_name} as ::core::default::Default>::default()"),
            returns: CtorReturn::Plain,
            by_ref: false,
        },
        pass: Pass::Value,
    })
}

fn std_built_plan(ty: &Ty, ctx: &Ctx, name: &str) -> Option<ValuePlan> {
    let Ty::Path { path, args } = ty else {
        return None;
    };
    let segment = last_segment(path);
    let [arg] = args.as_slice() else {
        return None;
    };
    // `&str` → (String, `.as_str()`), `&[u8]` → (Vec<u8>, `.as_slice()`).
    let borrowed_item = |arg: &Ty| -> Option<(Ty, &'static str)> {
        let Ty::Ref {
            mutable: false,
            inner,
        } = arg
        else {
            return None;
        };
        match &**inner {
            Ty::Path { path, args } if path == "str" && args.is_empty() => {
                Some((path_ty("String", vec![]), "as_str"))
            }
            Ty::Slice { elem } if is_direct(elem) => {
                Some((path_ty("Vec", vec![(**elem).clone()]), "as_slice"))
            }
            _ => None,
        }
    };
    let owned_vec = |item: Ty| path_ty("Vec", vec![item]);
    match segment {
        "Vec" | "IntoIter" if path == "Vec" || segment == "IntoIter" => {
            let into_iter = if segment == "IntoIter" {
                ".into_iter()"
            } else {
                ""
            };
            if let Some((owned, method)) = borrowed_item(arg) {
                let raw_ty = owned_vec(owned);
                let text = render_ty(&raw_ty, ctx);
                return Some(ValuePlan {
                    strategy: format!("abuse_runtime::attack::<{text}>({})", hints(name)),
                    raw_ty: text,
                    build: Build::Borrow {
                        template: format!(
                            "{{raw}}.iter().map(|x| x.{method}()).collect::<Vec<_>>(){into_iter}"
                        ),
                    },
                    pass: Pass::Value,
                });
            }
            if segment == "IntoIter" && is_direct(arg) {
                let text = render_ty(&owned_vec(arg.clone()), ctx);
                return Some(ValuePlan {
                    strategy: format!("abuse_runtime::attack::<{text}>({})", hints(name)),
                    raw_ty: text,
                    build: Build::Borrow {
                        template: "{raw}.clone().into_iter()".into(),
                    },
                    pass: Pass::Value,
                });
            }
            None
        }
        "Cursor" if is_direct(arg) && is_std_qualified(path) => {
            let text = render_ty(arg, ctx);
            Some(ValuePlan {
                strategy: format!("abuse_runtime::attack::<{text}>({})", hints(name)),
                raw_ty: text,
                build: Build::Borrow {
                    template: "std::io::Cursor::new({raw}.clone())".into(),
                },
                pass: Pass::Value,
            })
        }
        "Range" | "RangeInclusive" if is_direct(arg) && path_is_std_or_bare(path, ctx) => {
            let item = render_ty(arg, ctx);
            let op = if segment == "Range" { ".." } else { "..=" };
            Some(ValuePlan {
                strategy: format!(
                    "(abuse_runtime::attack::<{item}>({h}), abuse_runtime::attack::<{item}>({h}))",
                    h = hints(name)
                ),
                raw_ty: format!("({item}, {item})"),
                build: Build::Borrow {
                    template: format!("{{raw}}.0.clone(){op}{{raw}}.1.clone()"),
                },
                pass: Pass::Value,
            })
        }
        _ => None,
    }
}

/// A `Range` that is std's: written with a std path, or bare with no crate type of that name.
fn path_is_std_or_bare(path: &str, ctx: &Ctx) -> bool {
    is_std_qualified(path) || (!path.contains("::") && find_type(ctx, path).is_none())
}

/// An owned value of `ty`.
pub(super) fn value_plan(ty: &Ty, ctx: &Ctx, name: &str, depth: u32) -> Result<ValuePlan, String> {
    let ty = substitute(ty, ctx)?;
    match &ty {
        Ty::ImplTrait { bounds } if super::closures::is_closure(&ty) => {
            return super::closures::closure_plan(bounds, ctx, name)
        }
        Ty::Other { text } if super::closures::is_closure(&ty) => {
            return super::closures::closure_plan(std::slice::from_ref(text), ctx, name)
        }
        // `Box<dyn FnMut(..)>`: the boxed closure is cast to the box of the trait object, so a generic
        // parameter it is passed as (a factory's `F` that the built type keeps) is inferred as that type, the
        // one the plan named, not as a box of the closure's own type. When the trait object's types cannot be
        // written (an argument left to inference), it coerces at the call.
        Ty::Path { path, args } if last_segment(path) == "Box" => {
            if let [inner @ Ty::Other { text }] = args.as_slice() {
                if super::closures::is_closure(inner) {
                    let bounds = std::slice::from_ref(text);
                    let plan = super::closures::closure_plan(bounds, ctx, name)?;
                    let Build::Borrow { template } = plan.build else {
                        unreachable!("a closure is built by borrowing its raw value")
                    };
                    let scope = &ctx.function.signature.generics;
                    let template = match super::closures::dyn_text(bounds, scope, ctx) {
                        Some(object) => format!("(Box::new({template}) as Box<{object}>)"),
                        None => format!("Box::new({template})"),
                    };
                    return Ok(ValuePlan {
                        build: Build::Borrow { template },
                        ..plan
                    });
                }
            }
        }
        _ => {}
    }
    if let Some(plan) = std_hasher_plan(&ty).or_else(|| super::noop::value_plan(&ty)) {
        return Ok(plan);
    }
    if is_direct(&ty) {
        let text = render_ty(&ty, ctx);
        return Ok(ValuePlan {
            strategy: format!("abuse_runtime::attack::<{text}>({})", hints(name)),
            raw_ty: text,
            build: Build::Same,
            pass: Pass::Value,
        });
    }
    if let Some(plan) = std_built_plan(&ty, ctx, name) {
        return Ok(plan);
    }
    if let Ty::Path { path, args } = &ty {
        if let ("Option", [inner]) = (last_segment(path), args.as_slice()) {
            if path_is_std_or_bare(path, ctx) {
                return option_plan(inner, ctx, name, depth);
            }
        }
        if let ("Vec", [inner]) = (last_segment(path), args.as_slice()) {
            if path_is_std_or_bare(path, ctx) {
                return vec_plan(inner, ctx, name, depth);
            }
        }
    }
    match &ty {
        Ty::Ref { .. } => Err("nested references are not supported; give `strategy(...)`".into()),
        Ty::ImplTrait { .. } | Ty::Other { .. } | Ty::Slice { .. } => Err(format!(
            "type `{}` is not supported; give `strategy(...)` for it",
            render_ty(&ty, ctx)
        )),
        Ty::Array { .. } | Ty::Tuple { .. } => Err(format!(
            "`{}` holds a type that cannot be generated; give `strategy(...)` for it",
            render_ty(&ty, ctx)
        )),
        Ty::Path { path, args } => {
            let name_segment = if path == "Self" {
                ctx.function
                    .self_type
                    .as_deref()
                    .map(type_base_name)
                    .unwrap_or("Self")
                    .to_string()
            } else {
                path.to_string()
            };
            let Some(def) = find_type(ctx, &name_segment) else {
                return Err(format!(
                    "type `{}` is neither supported nor defined in this crate; implement `arbitrary::Arbitrary` for it \
                     or give `strategy(...)`",
                    render_ty(&ty, ctx)
                ));
            };
            // A generic type is built only as the function's own `Self`, whose type parameters the plan has
            // chosen (constructors infer them from their arguments).
            // Const parameters too (wildmatch's `WildMatchPattern<const MULTI_WILDCARD: char, ..>`).
            let self_generics_chosen = path == "Self"
                && def
                    .generics
                    .iter()
                    .all(|g| ctx.generics.iter().any(|(n, _)| *n == g.name));
            // Or written with the very types the plan chose for the parameters of the same names (an
            // `other: Either<L, R>` of a method of `impl<L, R> Either<L, R>`): its fields substitute the same way.
            let args_chosen = !args.is_empty()
                && args.len() == def.generics.len()
                && def
                    .generics
                    .iter()
                    .zip(args)
                    .all(|(g, arg)| ctx.generics.iter().any(|(n, t)| *n == g.name && t == arg));
            if !args_chosen
                && (!args.is_empty() || !(def.generics.is_empty() || self_generics_chosen))
            {
                return Err(format!(
                    "generic type `{}` is not built automatically; derive `arbitrary::Arbitrary` or give `strategy(...)`",
                    def.name
                ));
            }
            crate_type_plan(def, ctx, name, depth)
        }
    }
}

/// `inner`, a call that builds a value (its constructor's), unwrapped to the value: a refusal (`None`, `Err`, or
/// an `Ok` where the value is the function's failure) panics, which the `abuse_runtime::setup` around the whole
/// set-up turns into a rejected case.
pub(super) fn unwrap_built(inner: String, returns: CtorReturn) -> String {
    match returns {
        CtorReturn::Plain => inner,
        CtorReturn::Option => format!(
            "match {inner} {{ Some(v) => v, None => panic!(\"constructor returned None\") }}"
        ),
        CtorReturn::Result => format!(
            "match {inner} {{ Ok(v) => v, Err(_) => panic!(\"constructor returned Err\") }}"
        ),
        CtorReturn::Err => format!(
            "match {inner} {{ Err(e) => e, Ok(_) => panic!(\"{}\") }}",
            super::function::NEVER_FAILED
        ),
    }
}

/// The expression that builds a value of `plan` from `var`, a `&Raw` (one element of a list of raw values, the
/// content of an `Option`'s raw value): refusals panic (see [`unwrap_built`]). A value that borrows its raw
/// value in place (`Build::Borrow`) is not built this way.
pub(super) fn built_from_ref(plan: &ValuePlan, var: &str) -> Result<String, String> {
    Ok(match &plan.build {
        Build::Same => format!("{var}.clone()"),
        Build::Unwrap => format!("{var}.clone().into_inner()"),
        Build::Expr {
            template,
            returns,
            by_ref,
        } => {
            let place = if *by_ref {
                format!("(*{var})")
            } else {
                format!("{var}.clone()")
            };
            unwrap_built(template.replace("{raw}", &place), *returns)
        }
        Build::Borrow { .. } => return Err("its values borrow their inputs".into()),
    })
}

/// `Option<T>` of a `T` the runtime does not attack but the harness builds (`Option<AhoCorasickKind>`): raw value
/// `Option<Raw>` (`None`, or `Some` of `T`'s raw value, which prints and pastes as Rust), built into `None` or
/// `Some` of the value built from it.
fn option_plan(inner: &Ty, ctx: &Ctx, name: &str, depth: u32) -> Result<ValuePlan, String> {
    let one = value_plan(inner, ctx, name, depth)?;
    let value = built_from_ref(&one, "r")?;
    let by_ref = matches!(one.build, Build::Expr { by_ref: true, .. });
    Ok(ValuePlan {
        raw_ty: format!("Option<{}>", one.raw_ty),
        strategy: format!(
            "abuse_runtime::prelude::Strategy::prop_map((abuse_runtime::prelude::any::<bool>(), {}), \
             |(some, r)| some.then_some(r))",
            one.strategy
        ),
        build: Build::Expr {
            template: format!("match &{{raw}} {{ Some(r) => Some({value}), None => None }}"),
            returns: CtorReturn::Plain,
            by_ref,
        },
        pass: Pass::Value,
    })
}

/// `Vec<T>` (or `&[T]`) of a `T` the runtime does not attack but the harness builds (textwrap's `&[Word]`): raw
/// value a list of `T`'s raw values (the runtime's list lengths, shrinking to any length), each built.
fn vec_plan(inner: &Ty, ctx: &Ctx, name: &str, depth: u32) -> Result<ValuePlan, String> {
    let one = value_plan(inner, ctx, name, depth)?;
    let value = built_from_ref(&one, "r")?;
    let by_ref = matches!(one.build, Build::Expr { by_ref: true, .. });
    Ok(ValuePlan {
        raw_ty: format!("Vec<{}>", one.raw_ty),
        strategy: format!(
            "abuse_runtime::collections::vec_of(abuse_runtime::prelude::Strategy::boxed({}))",
            one.strategy
        ),
        build: Build::Expr {
            template: format!("{{raw}}.iter().map(|r| {value}).collect::<Vec<_>>()"),
            returns: CtorReturn::Plain,
            by_ref,
        },
        pass: Pass::Value,
    })
}

/// A value the runtime attacks directly, for a field or a constructor argument.
pub(super) fn direct_plan(ty: &Ty, ctx: &Ctx, name: &str) -> Result<ValuePlan, String> {
    let ty = substitute(ty, ctx)?;
    if !is_direct(&ty) {
        return Err(format!(
            "`{}` is not directly supported",
            render_ty(&ty, ctx)
        ));
    }
    value_plan(&ty, ctx, name, 2)
}

/// A field's value: attacked directly, or (a field of type `&T`, `&mut T`, `&str`, `&[T]`, as in a specialised
/// impl's `Either<&L, &R>`) an attacked owned value that is leaked so the reference may be `'static`. The
/// template wraps the owned value (`{v}`).
pub(super) fn field_plan(ty: &Ty, ctx: &Ctx, name: &str) -> Result<(ValuePlan, String), String> {
    let ty = substitute(ty, ctx)?;
    let Ty::Ref { mutable, inner } = &ty else {
        return Ok((direct_plan(&ty, ctx, name)?, "{v}".into()));
    };
    let shared = if *mutable { "" } else { "&*" };
    let (owned, template) = match &**inner {
        Ty::Path { path, args } if path == "str" && args.is_empty() && !mutable => (
            path_ty("String", vec![]),
            "&*Box::leak({v}.into_boxed_str())".to_string(),
        ),
        Ty::Slice { elem } => (
            path_ty("Vec", vec![(**elem).clone()]),
            format!("{shared}Box::leak({{v}}.into_boxed_slice())"),
        ),
        inner => (inner.clone(), format!("{shared}Box::leak(Box::new({{v}}))")),
    };
    Ok((direct_plan(&owned, ctx, name)?, template))
}

pub(super) fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

pub(super) use crate::model::is_integer_type as is_integer;

pub(super) fn is_primitive(name: &str) -> bool {
    is_integer(name) || matches!(name, "f32" | "f64" | "bool" | "char")
}

/// A type of the runtime's own (`abuse_runtime::serde::Data`), which attacks it directly.
fn is_runtime_path(path: &str) -> bool {
    path.starts_with(super::RUNTIME_SERDE)
}

/// A path that names a std type from anywhere (`std::vec::IntoIter`), never a crate type of the same name.
fn is_std_qualified(path: &str) -> bool {
    ["std::", "core::", "alloc::", "::std::", "::core::"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// Std types the runtime attacks directly, with the path that names them from anywhere.
fn std_path(name: &str) -> Option<&'static str> {
    Some(match name {
        "String" => "String",
        "Vec" => "Vec",
        "Option" => "Option",
        "Result" => "Result",
        "Box" => "Box",
        "VecDeque" => "std::collections::VecDeque",
        "HashMap" => "std::collections::HashMap",
        "BTreeMap" => "std::collections::BTreeMap",
        "HashSet" => "std::collections::HashSet",
        "BTreeSet" => "std::collections::BTreeSet",
        "PathBuf" => "std::path::PathBuf",
        "OsString" => "std::ffi::OsString",
        "Ipv4Addr" => "std::net::Ipv4Addr",
        "Ipv6Addr" => "std::net::Ipv6Addr",
        "IpAddr" => "std::net::IpAddr",
        "SocketAddr" => "std::net::SocketAddr",
        "SocketAddrV4" => "std::net::SocketAddrV4",
        "SocketAddrV6" => "std::net::SocketAddrV6",
        "Duration" => "std::time::Duration",
        "SystemTime" => "std::time::SystemTime",
        _ => return None,
    })
}
