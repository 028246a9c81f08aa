//! The per-function plan: one property test per property the attribute asks for (`no_panic` always), each a
//! body that builds the arguments from the raw input and calls the function; the input strategy's tie between
//! lengths and integers; the glob import that makes the function's neighbours nameable.

use crate::model::{CtorReturn, Reach, Receiver, Ty};

use super::values::{last_segment, render_ty, Build, ValuePlan};
use super::{Ctx, PlanReach, TestPlan};

/// The tests of one function, over its values (receiver first) and the path it is called by.
pub(super) fn property_tests(ctx: &Ctx, call_path: &str, values: &[ValuePlan]) -> Vec<TestPlan> {
    let function = ctx.function;
    let sig = &function.signature;
    let reach = ctx.reach;
    let receiver = sig.receiver;
    let call = |suffix: &str| -> (String, String) {
        call_block(ctx, call_path, values, receiver.is_some(), suffix)
    };
    let destructure = if values.is_empty() {
        "let () = input;".to_string()
    } else {
        format!(
            "let {} = input;",
            tuple_text((0..values.len()).map(|i| format!("r{i}")).collect())
        )
    };
    let props = &function.record.properties;
    let output = sig.output.as_ref();
    let fallible = output.and_then(fallibility);
    let mut tests = Vec::new();

    let (stmts_a, call_a) = call("a");
    tests.push(TestPlan {
        name: "no_panic".into(),
        property: "NoPanic".into(),
        body: format!("{destructure}\n{stmts_a}\nlet _out = {call_a};\nOk(())"),
    });

    let comparable = output.is_some_and(|o| !contains_impl_trait(o));
    let single = values.len() == 1 && receiver.is_none();
    if props.deterministic && comparable {
        let (stmts_b, call_b) = call("b");
        tests.push(TestPlan {
            name: "deterministic".into(),
            property: "Deterministic".into(),
            body: format!(
                "{destructure}\n{stmts_a}\nlet out_a = {call_a};\n{stmts_b}\nlet out_b = {call_b};\n\
                 abuse_runtime::same!(\"deterministic\", out_a, out_b)?;\nOk(())"
            ),
        });
    }
    if let (Some(oracle), true, false) = (&props.oracle, comparable, receiver.is_some()) {
        let (stmts_b, _) = call("b");
        let args_b = args_text(values, receiver.is_some(), "b");
        let oracle_call = maybe_await(sig.is_async, format!("{oracle}({args_b})"));
        tests.push(TestPlan {
            name: "oracle".into(),
            property: "Oracle".into(),
            body: format!(
                "{destructure}\n{stmts_a}\nlet out = {call_a};\n{stmts_b}\nlet expected = {oracle_call};\n\
                 abuse_runtime::same!(\"oracle\", out, expected)?;\nOk(())"
            ),
        });
    }
    if let (Some(inverse), true) = (&props.roundtrip, single) {
        let back = format!("abuse_runtime::call_with({inverse}, value)");
        let check = format!("abuse_runtime::roundtrip!(r0.clone(), {back})?;");
        let body = match fallible {
            Some(pattern) => format!("if let {pattern}(value) = {call_a} {{ {check} }}"),
            None => format!("let value = {call_a};\n{check}"),
        };
        tests.push(TestPlan {
            name: "roundtrip".into(),
            property: "Roundtrip".into(),
            body: format!("{destructure}\n{stmts_a}\n{body}\nOk(())"),
        });
    }
    if props.idempotent && single && comparable {
        let param_ty = sig.params.first().map(|p| &p.ty);
        let again = match (param_ty, output) {
            (Some(Ty::Ref { .. }), Some(Ty::Ref { .. })) => "once",
            (Some(Ty::Ref { .. }), _) => "&once",
            _ => "once.clone()",
        };
        let f = super::in_crate_or_public_path(function, reach);
        let twice = maybe_await(sig.is_async, format!("{f}({again})"));
        let body = match fallible {
            Some(pattern) => format!(
                "if let {pattern}(once) = {call_a} {{\n match {twice} {{\n {pattern}(twice) => abuse_runtime::same!(\"idempotent\", twice, once)?,\n \
                 _ => return Err(abuse_runtime::prelude::TestCaseError::fail(\"applied to its own output, the function failed\")),\n }}\n }}"
            ),
            None => format!("let once = {call_a};\nlet twice = {twice};\nabuse_runtime::same!(\"idempotent\", twice, once)?;"),
        };
        tests.push(TestPlan {
            name: "idempotent".into(),
            property: "Idempotent".into(),
            body: format!("{destructure}\n{stmts_a}\n{body}\nOk(())"),
        });
    }
    if let Some(closure) = &props.ensures {
        let (stmts_b, _) = call("b");
        let borrowed: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let var = if receiver.is_some() && i == 0 {
                    "recv_b".to_string()
                } else {
                    format!("v{i}b")
                };
                v.pass.shared(&var)
            })
            .collect();
        let mut args = borrowed.join(", ");
        if !args.is_empty() {
            args.push_str(", ");
        }
        let imports = closure_imports(ctx, closure);
        tests.push(TestPlan {
            name: "ensures".into(),
            property: "Ensures".into(),
            body: format!(
                "{imports}{destructure}\n{stmts_a}\nlet out = {call_a};\n{stmts_b}\n\
                 abuse_runtime::ensures(({closure})({args}&out), {closure:?})?;\nOk(())"
            ),
        });
    }
    tests
}

/// `use` lines for the names the `ensures` closure takes from its function's module (`Path` from
/// `use std::path::Path;` there), with paths the harness can name: a crate path through the crate's name from the
/// integration-test target, as `crate::…` from the in-crate module.
pub(super) fn closure_imports(ctx: &Ctx, closure: &str) -> String {
    // Names that start a path (`Path` in `Path::new`, not in `std::path::Path`), or stand alone.
    let mut words = std::collections::BTreeSet::new();
    let mut rest = closure;
    while let Some(start) = rest.find(|c: char| c.is_alphanumeric() || c == '_') {
        let before = rest[..start].trim_end();
        let tail = &rest[start..];
        let len = tail
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        let qualified = before.ends_with("::") || before.ends_with('.');
        if !qualified {
            words.insert(&tail[..len]);
        }
        rest = &tail[len..];
    }
    let mut out = String::new();
    for item in &ctx.function.uses {
        if !words.contains(item.name.as_str()) {
            continue;
        }
        let path = match (item.path.strip_prefix("crate::"), ctx.reach) {
            (Some(rest), PlanReach::Public) => format!("{}::{rest}", ctx.function.crate_name),
            _ => item.path.clone(),
        };
        let last = path.rsplit("::").next().unwrap_or(&path);
        let alias = if last == item.name {
            String::new()
        } else {
            format!(" as {}", item.name)
        };
        out.push_str(&format!("#[allow(unused_imports)] use {path}{alias};\n"));
    }
    out
}

/// `Ok`/`Some` when the output is a `Result`/`Option`.
fn fallibility(ty: &Ty) -> Option<&'static str> {
    match ty {
        Ty::Path { path, .. } => match last_segment(path) {
            "Result" => Some("Ok"),
            "Option" => Some("Some"),
            _ => None,
        },
        _ => None,
    }
}

fn contains_impl_trait(ty: &Ty) -> bool {
    match ty {
        Ty::ImplTrait { .. } | Ty::Other { .. } => true,
        Ty::Ref { inner, .. } => contains_impl_trait(inner),
        Ty::Path { args, .. } => args.iter().any(contains_impl_trait),
        Ty::Slice { elem } | Ty::Array { elem, .. } => contains_impl_trait(elem),
        Ty::Tuple { elems } => elems.iter().any(contains_impl_trait),
    }
}

fn maybe_await(is_async: bool, call: String) -> String {
    if is_async {
        format!("abuse_runtime::block_on({call})")
    } else {
        call
    }
}

/// Statements that build every argument (variables suffixed `a`/`b`), and the call expression.
fn call_block(
    ctx: &Ctx,
    call_path: &str,
    values: &[ValuePlan],
    has_receiver: bool,
    suffix: &str,
) -> (String, String) {
    let mut stmts = String::new();
    for (i, value) in values.iter().enumerate() {
        let var = if has_receiver && i == 0 {
            format!("recv_{suffix}")
        } else {
            format!("v{i}{suffix}")
        };
        let mutability = if value.pass.is_mut() || (has_receiver && i == 0) {
            "mut "
        } else {
            ""
        };
        let mut expr = build_expr(value, i);
        // A generic receiver names its chosen type arguments (one variant alone may not fix them all).
        let mut annotation = match has_receiver && i == 0 {
            true => super::values::chosen_self_type(ctx)
                .map(|t| format!(": {t}"))
                .unwrap_or_default(),
            false => String::new(),
        };
        // `&'static self`: the receiver is leaked (one small value per case) so the call may borrow it forever.
        if has_receiver && i == 0 && ctx.function.signature.receiver == Some(Receiver::RefStatic) {
            let ty = annotation.strip_prefix(": ").unwrap_or("_").to_string();
            annotation = format!(": &'static {ty}");
            expr = format!("Box::leak(Box::new({expr}))");
        }
        stmts.push_str(&format!(
            "#[allow(unused_mut)] let {mutability}{var}{annotation} = {expr};\n"
        ));
    }
    stmts.push_str(&requested_stmts(
        values,
        &ctx.function.signature.params,
        has_receiver,
        suffix,
    ));
    let args = args_text(values, has_receiver, suffix);
    let name = &ctx.function.name;
    let call = if has_receiver {
        // `self: Pin<&Self>` / `Pin<&mut Self>`: the value is `Unpin` (plan_function made sure), so it is
        // pinned in place.
        let turbofish = method_turbofish(ctx);
        match ctx.function.signature.receiver {
            Some(Receiver::PinRef) => {
                format!("std::pin::Pin::new(&recv_{suffix}).{name}{turbofish}({args})")
            }
            Some(Receiver::PinMut) => {
                format!("std::pin::Pin::new(&mut recv_{suffix}).{name}{turbofish}({args})")
            }
            _ => format!("recv_{suffix}.{name}{turbofish}({args})"),
        }
    } else {
        let turbofish = turbofish(ctx);
        format!("{call_path}{turbofish}({args})")
    };
    (stmts, maybe_await(ctx.function.signature.is_async, call))
}

/// `abuse_runtime::requested(&v{i}{suffix});` for each integer argument whose name says it is a size
/// (`capacity`, `additional`, `len`: the words of set-up sizes), just before the call: an allocation that size,
/// or std's refusal of an impossible one, is what the caller asked for (abuse_runtime::requested).
pub(super) fn requested_stmts(
    values: &[ValuePlan],
    params: &[crate::model::Param],
    has_receiver: bool,
    suffix: &str,
) -> String {
    values
        .iter()
        .enumerate()
        .skip(usize::from(has_receiver))
        .zip(params)
        .filter(|((_, value), param)| super::crate_types::is_setup_size(value, &param.name))
        .map(|((i, _), _)| format!("abuse_runtime::requested(&v{i}{suffix});\n"))
        .collect()
}

/// The reason a case is rejected when the function that builds a value through its `Err` (`CtorReturn::Err`)
/// succeeded instead.
pub(super) const NEVER_FAILED: &str =
    "the function that builds the value through its Err did not fail";

/// The expression that builds value `i` from its raw value `r{i}` (constructors run inside
/// `abuse_runtime::setup`; a constructor returning `None`/`Err` rejects the case).
pub(super) fn build_expr(value: &ValuePlan, i: usize) -> String {
    let raw = format!("r{i}.clone()");
    match &value.build {
        Build::Same => raw,
        Build::Unwrap => format!("{raw}.into_inner()"),
        Build::Borrow { template } => template.replace("{raw}", &format!("r{i}")),
        Build::Expr {
            template,
            returns,
            by_ref,
        } => {
            let place = if *by_ref { format!("r{i}") } else { raw };
            let call = template.replace("{raw}", &place);
            let setup = format!("abuse_runtime::setup(|| {call})?");
            match returns {
                CtorReturn::Plain => setup,
                CtorReturn::Option => format!(
                    "match {setup} {{ Some(v) => v, None => return Err(abuse_runtime::prelude::TestCaseError::reject(\"constructor returned None\")) }}"
                ),
                CtorReturn::Result => format!(
                    "match {setup} {{ Ok(v) => v, Err(_) => return Err(abuse_runtime::prelude::TestCaseError::reject(\"constructor returned Err\")) }}"
                ),
                // The value is the function's failure: an input it accepts builds nothing.
                CtorReturn::Err => format!(
                    "match {setup} {{ Err(e) => e, Ok(_) => return Err(abuse_runtime::prelude::TestCaseError::reject(\"{NEVER_FAILED}\")) }}"
                ),
            }
        }
    }
}

pub(super) fn args_text(values: &[ValuePlan], has_receiver: bool, suffix: &str) -> String {
    values
        .iter()
        .enumerate()
        .skip(usize::from(has_receiver))
        .map(|(i, v)| v.pass.apply(&format!("v{i}{suffix}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `::<i64, String>` for named type parameters (impl-Trait parameters take no turbofish entry).
/// Associated functions get none: their generics may be the `impl` block's, which go on the type, and
/// `plan_function` made sure every one of them is inferred from an argument.
pub(super) fn turbofish(ctx: &Ctx) -> String {
    if ctx.function.self_type.is_some() {
        return String::new();
    }
    let named: Vec<String> = ctx
        .function
        .signature
        .generics
        .iter()
        .filter_map(|g| ctx.generics.iter().find(|(n, _)| *n == g.name))
        // A generated closure's type has no name.
        .map(|(_, ty)| match super::closures::is_closure(ty) {
            true => "_".to_string(),
            false => render_ty(ty, ctx),
        })
        .collect();
    // With `impl Trait` arguments a turbofish names the other parameters only (Rust 1.63 and later); it is
    // written then only when the call needs it: a parameter no argument names (humansize's `make_format_i<T:
    // ToF64>(options: impl AsRef<FormatSizeOptions>) -> impl Fn(T) -> String`).
    let sig = &ctx.function.signature;
    let impl_trait_args = sig.params.iter().any(|p| contains_impl_trait(&p.ty));
    let needed = sig
        .generics
        .iter()
        .any(|g| g.kind == crate::model::GenericKind::Type && !super::inferable(&g.name, sig));
    if named.is_empty() || (impl_trait_args && !needed) {
        String::new()
    } else {
        format!("::<{}>", named.join(", "))
    }
}

/// `::<i64>` for a method whose own type parameter no argument fixes (either's `either_into<T>(self) -> T`):
/// the method's own parameters (those its receiver's type does not name), `_` for the inferable ones; empty
/// when every one is inferable.
pub(super) fn method_turbofish(ctx: &Ctx) -> String {
    let sig = &ctx.function.signature;
    let self_type = ctx.function.self_type.as_deref().unwrap_or_default();
    let names_in_self: Vec<&str> = self_type
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .collect();
    let own: Vec<&crate::model::Generic> = sig
        .generics
        .iter()
        .filter(|g| !names_in_self.contains(&g.name.as_str()))
        .collect();
    let needed = own
        .iter()
        .any(|g| g.kind == crate::model::GenericKind::Type && !super::inferable(&g.name, sig));
    // `impl Trait` arguments allow a turbofish of the other parameters (Rust 1.63 and later).
    if !needed {
        return String::new();
    }
    let args: Vec<String> = own
        .iter()
        .map(|g| match ctx.generics.iter().find(|(n, _)| *n == g.name) {
            Some((_, ty))
                if !super::closures::is_closure(ty)
                    && (g.kind == crate::model::GenericKind::Const
                        || !super::inferable(&g.name, sig)) =>
            {
                render_ty(ty, ctx)
            }
            _ => "_".to_string(),
        })
        .collect();
    format!("::<{}>", args.join(", "))
}

/// The input strategy with every integer parameter drawn next to a length of the first string or
/// collection parameter (`abuse_runtime::near_length`), when the function has both and both use the
/// default attacks: independent draws almost never put `n` next to a long `s`'s length.
pub(super) fn lengths_tied(values: &[ValuePlan]) -> Option<String> {
    const INTS: &[&str] = &[
        "usize", "isize", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128",
    ];
    let default = |v: &ValuePlan| v.strategy.starts_with("abuse_runtime::attack::<");
    let anchor = values
        .iter()
        .position(|v| default(v) && (v.raw_ty == "String" || v.raw_ty.starts_with("Vec<")))?;
    let ints: Vec<usize> = (0..values.len())
        .filter(|&i| default(&values[i]) && INTS.contains(&values[i].raw_ty.as_str()))
        .collect();
    if ints.is_empty() {
        return None;
    }
    let parts = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if i == anchor {
                "abuse_runtime::prelude::Just(anchor.clone())".to_string()
            } else if ints.contains(&i) {
                format!(
                    "abuse_runtime::near_length::<{}>(lengths.clone())",
                    v.raw_ty
                )
            } else {
                v.strategy.clone()
            }
        })
        .collect();
    Some(format!(
        "abuse_runtime::prelude::Strategy::prop_flat_map({}, |anchor| {{ \
         let lengths = abuse_runtime::Lengths::lengths(&anchor); {} }})",
        values[anchor].strategy,
        tuple_text(parts)
    ))
}

pub(super) fn tuple_text(items: Vec<String>) -> String {
    match items.len() {
        0 => "()".to_string(),
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

/// The import that makes the function's neighbours nameable: its module (public harness: through the public
/// path's parent when the module itself is private; in-crate harness: through the module that re-exports it
/// when its own is hidden).
pub(super) fn glob_use(ctx: &Ctx) -> Option<String> {
    let f = ctx.function;
    match (&f.reach, ctx.reach) {
        (Reach::Public { path }, PlanReach::Public) | (Reach::CratePrivate { path }, _) => {
            let mut segments: Vec<&str> = path.split("::").collect();
            segments.pop();
            if f.self_type.is_some() {
                segments.pop();
            }
            Some(format!("{}::*", segments.join("::")))
        }
        _ => {
            if f.module_path.is_empty() {
                Some("crate::*".into())
            } else {
                Some(format!("crate::{}::*", f.module_path.join("::")))
            }
        }
    }
}
