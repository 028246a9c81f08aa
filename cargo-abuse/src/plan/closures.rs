//! Closure parameters: `F: FnMut(&T) -> bool`, `impl Fn(char) -> bool`, `&dyn Fn(u8)` get a generated closure
//! that ignores its arguments and returns values drawn from the attack of its return type, in turn
//! (`abuse_runtime::Returns`), so one case can make a predicate both true and false.

use crate::discover::{fn_bound, FnBound, FnKind};
use crate::model::{CtorReturn, Generic, Ty};

use super::generics::{mentions, path_ty, strip_lifetimes, substitute};
use super::values::{
    built_from_ref, is_direct, last_segment, render_ty, value_plan, Build, Pass, ValuePlan,
};
use super::Ctx;

/// The closure bound among `bounds` when every other bound is one a closure meets (`Send`, `'static`,
/// `Clone`...).
pub(super) fn closure_bound(bounds: &[String]) -> Option<FnBound> {
    let mut found = None;
    // `dyn FnMut(u8) + Send` is one text holding two bounds.
    let split: Vec<String> = bounds
        .iter()
        .flat_map(|b| split_plus(b.trim().strip_prefix("dyn ").unwrap_or(b)))
        .collect();
    for bound in &split {
        let bound = strip_lifetimes(bound);
        if bound.is_empty() {
            continue;
        }
        if let Some(fb) = fn_bound(&bound) {
            if found.is_some() {
                return None;
            }
            found = Some(fb);
            continue;
        }
        let last = bound.rsplit("::").next().unwrap_or(&bound).trim();
        if !matches!(
            last,
            "Send" | "Sync" | "Clone" | "Unpin" | "Sized" | "?Sized"
        ) {
            return None;
        }
    }
    found
}

/// Whether a chosen type stands for a generated closure (a type parameter bounded by a closure trait).
pub(super) fn is_closure(ty: &Ty) -> bool {
    match ty {
        Ty::ImplTrait { bounds } => closure_bound(bounds).is_some(),
        Ty::Other { text } => {
            text.starts_with("dyn ") && closure_bound(std::slice::from_ref(text)).is_some()
        }
        _ => false,
    }
}

/// The type a type parameter of a *type* bounded by a closure trait gets (smallvec's `DrainFilter<'a, T, F>
/// where F: FnMut(&mut T::Item) -> bool`): `Box<dyn FnMut(&mut i64) -> bool>`. A box of the trait object
/// implements the trait it boxes, and unlike a closure's type it has a name, which the receiver's annotation,
/// the factory call that builds it (`drain_filter(filter: F)` infers `F` from the argument) and a printed
/// reproduction all write. A `fn` pointer would name it too, but only a closure that captures nothing coerces
/// to one, and the generated closure captures the values it returns. `None` when the bounds ask for what a
/// box is not (`Clone`, `Copy`), or an argument or the output still names one of `scope`'s parameters (a
/// projection `T::Item` of a `T` given no array).
pub(super) fn boxed_closure_type(bounds: &[String], scope: &[Generic], ctx: &Ctx) -> Option<Ty> {
    let text = dyn_text(bounds, scope, ctx)?;
    Some(path_ty("Box", vec![Ty::Other { text }]))
}

/// The trait object a closure bound stands for, with the chosen types put in: `dyn FnMut(&mut i64) -> bool +
/// Send`. Lifetimes are left out, so an argument `&T` is higher-ranked as in the bound. `None` as for
/// [`boxed_closure_type`].
pub(super) fn dyn_text(bounds: &[String], scope: &[Generic], ctx: &Ctx) -> Option<String> {
    let bound = closure_bound(bounds)?;
    let mut markers = Vec::new();
    let parts = bounds
        .iter()
        .flat_map(|b| split_plus(b.trim().strip_prefix("dyn ").unwrap_or(b)));
    for part in parts {
        let part = strip_lifetimes(&part);
        if part.is_empty() || fn_bound(&part).is_some() {
            continue;
        }
        match part.rsplit("::").next().unwrap_or(&part).trim() {
            // Auto traits a trait object may add.
            m @ ("Send" | "Sync" | "Unpin") => markers.push(format!(" + {m}")),
            "Sized" | "?Sized" => {}
            _ => return None,
        }
    }
    Some(format!(
        "dyn {}{}",
        signature_text(&bound, scope, ctx)?,
        markers.concat()
    ))
}

/// The closure bound with the chosen types put in (`FnMut(&mut i64) -> bool`); `None` when an argument or the
/// output still names one of `scope`'s parameters or a projection no choice resolved.
fn signature_text(bound: &FnBound, scope: &[Generic], ctx: &Ctx) -> Option<String> {
    let render = |ty: &Ty| -> Option<String> {
        let ty = substitute(ty, ctx).ok()?;
        let unresolved =
            scope.iter().any(|g| mentions(&ty, &g.name)) || projects(&ty) || is_closure(&ty);
        (!unresolved).then(|| render_ty(&ty, ctx))
    };
    let args = bound.args.iter().map(render).collect::<Option<Vec<_>>>()?;
    let output = match &bound.output {
        Some(ty) => format!(" -> {}", render(ty)?),
        None => String::new(),
    };
    let kind = match bound.kind {
        FnKind::Once => "FnOnce",
        FnKind::Mut => "FnMut",
        FnKind::Fn => "Fn",
    };
    Some(format!("{kind}({}){output}", args.join(", ")))
}

/// Whether a generated closure for these bounds can write its argument and return types: none names one of
/// `scope`'s parameters (a constructor's `FnMut(&mut A::Item)` with `A` its `impl` block's, which the function
/// has not chosen).
pub(super) fn closure_types_known(bounds: &[String], scope: &[Generic], ctx: &Ctx) -> bool {
    closure_bound(bounds).is_some_and(|bound| signature_text(&bound, scope, ctx).is_some())
}

/// The plan of a closure argument with these bounds: raw value `Returns<R, ARITY>`, built into
/// `move |_: A, _: B| ret.next()`.
pub(super) fn closure_plan(bounds: &[String], ctx: &Ctx, name: &str) -> Result<ValuePlan, String> {
    let written = bounds.join(" + ");
    let bound = closure_bound(bounds).ok_or_else(|| {
        format!("no generated closure for `{written}`; give `strategy(...)` for it")
    })?;
    let output = match &bound.output {
        Some(ty) => substitute(ty, ctx)?,
        None => Ty::Tuple { elems: vec![] },
    };
    let params = bound
        .args
        .iter()
        .map(|arg| match substitute(arg, ctx) {
            Ok(ty) => Ok(format!("_: {}", render_ty(&ty, ctx))),
            // Inferred from the call: only where no lifetime must be generalised over.
            Err(_) if !has_ref(arg) => Ok("_".to_string()),
            Err(why) => Err(why),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ret = render_ty(&output, ctx);
    let arity = bound.args.len();
    if is_direct(&output) {
        return Ok(direct_returns_plan(&ret, arity, &params, name, ""));
    }
    // `Result<T, E>` of an `E` the runtime cannot draw (`io::Error`): the closure returns `Ok(v)`, a valid return
    // the caller must handle, never an `Err` the harness cannot build.
    if let Some(ok) = ok_type(&output) {
        let ok_ret = render_ty(&ok, ctx);
        if is_direct(&ok) {
            return Ok(direct_returns_plan(&ok_ret, arity, &params, name, "Ok"));
        }
        return built_returns_plan(&ok, &ok_ret, arity, &params, ctx, name, "Ok").map_err(|why| {
            format!(
                "a generated closure returns only `Ok` of a value the runtime attacks or the harness builds (its \
                 `Err` cannot be built), not `Ok` of `{ok_ret}` (`{written}`: {why}); give `strategy(...)` for it"
            )
        });
    }
    built_returns_plan(&output, &ret, arity, &params, ctx, name, "").map_err(|why| {
        format!(
            "a generated closure returns only values the runtime attacks or the harness builds, not `{ret}` \
             (`{written}`: {why}); give `strategy(...)` for it"
        )
    })
}

/// The `T` of a closure's `Result<T, E>` (`io::Result<T>`, a crate's `Result<T>` alias; `()` for `fmt::Result`).
fn ok_type(output: &Ty) -> Option<Ty> {
    let Ty::Path { path, args } = output else {
        return None;
    };
    if last_segment(path) != "Result" {
        return None;
    }
    match args.as_slice() {
        [ok] | [ok, _] => Some(ok.clone()),
        [] if path.ends_with("fmt::Result") => Some(Ty::Tuple { elems: vec![] }),
        _ => None,
    }
}

/// A closure returning values the runtime attacks (`ret`), each wrapped in `wrap` (`Ok`, or nothing): raw value
/// `Returns<R, ARITY>`, built into `move |_: A, _: B| wrap(ret.next())`.
fn direct_returns_plan(
    ret: &str,
    arity: usize,
    params: &[String],
    name: &str,
    wrap: &str,
) -> ValuePlan {
    ValuePlan {
        strategy: format!("abuse_runtime::returns::<{ret}, {arity}>(&hints({name:?}))"),
        raw_ty: format!("abuse_runtime::Returns<{ret}, {arity}>"),
        build: Build::Borrow {
            template: format!(
                "{{ let ret = {{raw}}.clone(); move |{}| {} }}",
                params.join(", "),
                next_wrapped(wrap)
            ),
        },
        pass: Pass::Value,
    }
}

/// The plan of a closure returning a type the harness builds (either's `left_and_then<F, S>(self, f: F) where
/// F: FnOnce(L) -> Either<S, R>`): raw value `Returns<Raw, ARITY>` of that type's raw values (constructor
/// arguments), each built (inside `abuse_runtime::setup`, so a refusing constructor rejects the case) before
/// the call into the values the closure returns in turn. A failure prints those raw values, which paste back.
#[allow(clippy::too_many_arguments)] // the closure's parts, as `closure_plan` found them
fn built_returns_plan(
    output: &Ty,
    ret: &str,
    arity: usize,
    params: &[String],
    ctx: &Ctx,
    name: &str,
    wrap: &str,
) -> Result<ValuePlan, String> {
    let one = value_plan(output, ctx, name, 1)?;
    // Each value built from `r`, a `&Raw` of the returned list; a refusal panics, which the set-up around the
    // whole list turns into a rejected case.
    let value = built_from_ref(&one, "r")?;
    Ok(ValuePlan {
        strategy: format!(
            "abuse_runtime::returns_of::<{}, {arity}>({})",
            one.raw_ty, one.strategy
        ),
        raw_ty: format!("abuse_runtime::Returns<{}, {arity}>", one.raw_ty),
        build: Build::Expr {
            template: format!(
                "{{ let raw = &{{raw}}; let built: Vec<{ret}> = raw.values().iter().map(|r| {value}).collect(); \
                 let ret = abuse_runtime::Returns::<{ret}, {arity}>::new(built); move |{}| {} }}",
                params.join(", "),
                next_wrapped(wrap)
            ),
            returns: CtorReturn::Plain,
            by_ref: true,
        },
        pass: Pass::Value,
    })
}

/// The closure's body: `ret.next()`, or `Ok(ret.next())`.
fn next_wrapped(wrap: &str) -> String {
    if wrap.is_empty() {
        "ret.next()".to_string()
    } else {
        format!("{wrap}(ret.next())")
    }
}

/// Whether the type holds a projection no choice resolved (`A::Item`, `Self::Output`): a path whose first
/// segment is a type's name (capitalised, unlike a module's) followed by more segments.
fn projects(ty: &Ty) -> bool {
    match ty {
        Ty::Path { path, args } => {
            let mut segments = path.trim_start_matches("::").split("::");
            let first = segments.next().unwrap_or_default();
            (first.starts_with(|c: char| c.is_ascii_uppercase()) && segments.next().is_some())
                || args.iter().any(projects)
        }
        Ty::Ref { inner, .. } => projects(inner),
        Ty::Slice { elem } | Ty::Array { elem, .. } => projects(elem),
        Ty::Tuple { elems } => elems.iter().any(projects),
        Ty::ImplTrait { .. } | Ty::Other { .. } => false,
    }
}

fn has_ref(ty: &Ty) -> bool {
    match ty {
        Ty::Ref { .. } => true,
        Ty::Path { args, .. } => args.iter().any(has_ref),
        Ty::Slice { elem } | Ty::Array { elem, .. } => has_ref(elem),
        Ty::Tuple { elems } => elems.iter().any(has_ref),
        Ty::ImplTrait { .. } | Ty::Other { .. } => true,
    }
}

/// `FnMut(&[u8]) -> Option<usize> + Send` → `["FnMut(&[u8]) -> Option<usize>", "Send"]` (`->` is no bracket).
fn split_plus(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0i32;
    let mut prev = ' ';
    for c in text.chars() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' if prev != '-' => depth -= 1,
            ')' | ']' => depth -= 1,
            '+' if depth == 0 => {
                out.push(String::new());
                prev = c;
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("one part").push(c);
        prev = c;
    }
    out.into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}
