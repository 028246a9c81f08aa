//! Closure parameters: `F: FnMut(&T) -> bool`, `impl Fn(char) -> bool`, `&dyn Fn(u8)` get a generated closure
//! that ignores its arguments and returns values drawn from the attack of its return type, in turn
//! (`abuse_runtime::Returns`), so one case can make a predicate both true and false.

use crate::discover::{fn_bound, FnBound};
use crate::model::{CtorReturn, Ty};

use super::generics::{strip_lifetimes, substitute};
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
