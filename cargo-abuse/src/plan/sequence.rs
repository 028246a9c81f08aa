//! The sequence plan, on the model only: for every type with two or more tagged methods, how a value is built
//! (the receiver, as per-method harnesses build it) and which calls a generated sequence may apply to it, or
//! why the type gets no sequence property.

use crate::model::{CtorReturn, GenericKind, Package, Receiver, TaggedFn, Ty};

use super::crate_types::{find_type, type_base_name, type_path};
use super::function::{args_text, build_expr, glob_use, tuple_text};
use super::values::{Build, Pass, ValuePlan};
use super::{reach_of, values_of, Ctx, PlanReach};

/// Calls per sequence when the `impl` block gives no `sequence_len`: on fixtures/sequences (benches/sequences,
/// seeds 1-6) 16 calls found 49/54 planted bugs, 24 found 26/27, 32 all 54/54 for at most twice the time.
pub const DEFAULT_SEQUENCE_LEN: u32 = 32;

/// The sequence property of one type.
#[derive(Debug, Clone, PartialEq)]
pub struct SequencePlan {
    /// The type as the methods' `self_type` names it (`Ring`).
    pub type_name: String,
    /// The type's path in its crate, as its methods' paths start (`shapes::Ring`): the methods of every
    /// `impl` block of the type, whatever parameters each block writes (`LinkedHashMap<K, V>` and
    /// `LinkedHashMap<K, V, S>`).
    pub type_path: String,
    /// The path the report shows (`demo::Ring`).
    pub display_path: String,
    /// Where the harness goes (the most restrictive reach of its methods).
    pub reach: PlanReach,
    /// Glob import that makes names resolve like in the type's own module.
    pub glob_use: Option<String>,
    /// The raw receiver's type and strategy.
    pub receiver_raw_ty: String,
    /// Strategy of the raw receiver.
    pub receiver_strategy: String,
    /// The expression that builds the receiver from `r0` (rejects the case when construction fails).
    pub receiver_build: String,
    /// The receiver's construction as a user writes it, `{raw}` standing for its raw value as Rust.
    pub receiver_print: String,
    /// The calls a sequence draws from, in source order.
    pub calls: Vec<CallPlan>,
    /// `invariant = path`, checked after construction and after every call.
    pub invariant: Option<String>,
    /// `model = Type`, built by the same constructor and called with the same arguments.
    pub model: Option<String>,
    /// The expression that builds the model from `r0` (the receiver's construction with the model's path),
    /// or `None` when the type is not built by a constructor the model can share.
    pub model_build: Option<String>,
    /// Whether a second receiver is kept one call behind (`recv_b`): a `&mut self` method's `ensures` sees
    /// the receiver as it was before the call, as in its own harness.
    pub shadow: bool,
    /// At most this many calls per sequence.
    pub len: u32,
    /// Whether every raw value implements `arbitrary::Arbitrary`, so a fuzz target can exist.
    pub fuzzable: bool,
    /// Do-nothing implementors of crate traits the calls pass (as in the methods' own harnesses).
    pub noop_impls: Vec<String>,
}

/// One method a sequence may call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallPlan {
    /// The method's name (`push`).
    pub method: String,
    /// The `Call` enum's variant (`Push`).
    pub variant: String,
    /// Raw type of each argument (the variant's fields), in parameter order.
    pub field_types: Vec<String>,
    /// Strategy of each argument.
    pub field_strategies: Vec<String>,
    /// The names of the fields as the arm binds them (`r1`, `r2`, ...).
    pub field_names: Vec<String>,
    /// Statements building `v1a`, `v2a`, ... from the fields.
    pub build: String,
    /// The argument list of the call (`v1a, v2a.as_str()`).
    pub args: String,
    /// `self` by value: the call ends the sequence.
    pub consumes: bool,
    /// The method's own `ensures` closure, checked on every call.
    pub ensures: Option<String>,
    /// The shared borrows the `ensures` closure receives before `&out` (`&recv_a, &v1b`): the receiver as
    /// the call saw it (`recv_b`, one call behind, for a `&mut self` method), then the `b` arguments.
    pub ensures_args: String,
    /// Statements building `v1b`, `v2b`, ... (for `ensures` and the receiver kept one call behind).
    pub build_b: String,
    /// The argument list of the call on `recv_b`.
    pub args_b: String,
    /// Statements building `v1m`, `v2m`, ... for the model's call.
    pub build_m: String,
    /// The argument list of the model's call.
    pub args_m: String,
    /// The expression printing the call's arguments as Rust, over the fields `r1`, `r2`, ...
    pub printed: String,
    /// The strategy of one such call.
    pub strategy: String,
}

/// Why a type with tagged methods gets no sequence property: the sentence `list` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoSequence {
    /// Only one tagged method takes `self`.
    OneMethod { method: String },
    /// The receiver cannot be built (no constructor the harness can call).
    NoConstructor { why: String },
    /// Methods whose receivers are built differently (generic methods picking different types).
    MixedReceivers,
}

impl std::fmt::Display for NoSequence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoSequence::OneMethod { method } => write!(
                f,
                "only one tagged method (`{method}`) can be called on a built value: a sequence needs two or more"
            ),
            NoSequence::NoConstructor { why } => {
                write!(f, "no value to call methods on: {why}")
            }
            NoSequence::MixedReceivers => f.write_str(
                "its methods build the receiver in different ways (generic methods): tag them on one \
                 non-generic `impl` block",
            ),
        }
    }
}

/// One type's outcome: its plan, or why it has none.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSequence {
    /// The type as the methods name it.
    pub type_name: String,
    /// The plan, or the reason.
    pub plan: Result<SequencePlan, NoSequence>,
}

/// Every type of the package with two or more tagged functions (of which at least one is a method), in the
/// order its first tagged function appears.
pub fn plan_sequences(package: &Package) -> Vec<TypeSequence> {
    // Keyed by the type's path (the method's path without its name), not its name: two types of one name in
    // different modules (`dfa::Builder`, `nfa::Builder`) are two sequences, not one of mixed methods.
    let mut types: Vec<(&str, &str, Vec<&TaggedFn>)> = Vec::new();
    for function in &package.functions {
        let Some(ty) = function.self_type.as_deref() else {
            continue;
        };
        let key = function
            .path
            .rsplit_once("::")
            .map_or(ty, |(parent, _)| parent);
        match types.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, fns)) => fns.push(function),
            None => types.push((key, ty, vec![function])),
        }
    }
    types
        .into_iter()
        .filter(|(_, _, fns)| fns.len() >= 2 && fns.iter().any(|f| f.signature.receiver.is_some()))
        .map(|(key, ty, fns)| TypeSequence {
            type_name: ty.to_string(),
            plan: plan_type(ty, key, &fns, package),
        })
        .collect()
}

fn plan_type(
    ty: &str,
    type_path: &str,
    fns: &[&TaggedFn],
    package: &Package,
) -> Result<SequencePlan, NoSequence> {
    let mut receiver: Option<(ValuePlan, String, Option<String>)> = None;
    let mut calls = Vec::new();
    let mut reach = PlanReach::Public;
    let mut first_refusal: Option<String> = None;
    let mut fuzzable = true;
    let mut noop_impls: Vec<String> = Vec::new();
    let mut glob = None;
    let mut model_path: Option<Option<String>> = None;
    for function in fns {
        let Some(kind) = function.signature.receiver else {
            continue;
        };
        // A `&'static self` method cannot borrow the sequence's receiver: its own harness leaks one instead.
        // Nor a pinned one (`self: Pin<&Self>`): the sequence's calls take the receiver as it is.
        if matches!(
            kind,
            Receiver::RefStatic | Receiver::PinRef | Receiver::PinMut
        ) {
            continue;
        }
        // A method behind a `cfg` (smallvec's `drain_filter`, `feature = "drain_filter"`) may not exist in the
        // build; one call variant naming it would sink the whole sequence harness. Its own harness, which
        // carries the `cfg`, still tests it.
        if function
            .cfg
            .as_deref()
            .is_some_and(|c| !c.trim().is_empty())
        {
            continue;
        }
        // A method its own harness cannot serve (unsafe, unreachable, unsupported parameter) is left out.
        match super::plan_function(function, package) {
            Ok(own) => {
                for definition in own.noop_impls {
                    if !noop_impls.contains(&definition) {
                        noop_impls.push(definition);
                    }
                }
            }
            Err(why) => {
                if receiver.is_none() && first_refusal.is_none() {
                    first_refusal = Some(why.to_string());
                }
                continue;
            }
        }
        let mut ctx = Ctx {
            function,
            package,
            reach: reach_of(function),
            generics: Vec::new(),
            examples: std::cell::RefCell::new(Vec::new()),
        };
        let Ok(generics) = super::concrete_generics(&ctx) else {
            continue;
        };
        ctx.generics = generics;
        let Ok((_, values)) = values_of(&ctx) else {
            continue;
        };
        let Some((recv, params)) = values.split_first() else {
            continue;
        };
        match &receiver {
            None => {
                receiver = Some((recv.clone(), build_expr(recv, 0), glob_use(&ctx)));
                glob = glob_use(&ctx);
            }
            Some((first, _, _)) if first.raw_ty != recv.raw_ty => {
                return Err(NoSequence::MixedReceivers)
            }
            Some(_) => {}
        }
        if ctx.reach == PlanReach::InCrate {
            reach = PlanReach::InCrate;
        }
        fuzzable &= !values
            .iter()
            .any(|v| v.raw_ty.contains("abuse_runtime::Opaque"));
        calls.push(call_plan(function, kind, &values, params));
        if model_path.is_none() {
            model_path = Some(receiver_path(&ctx, ty));
        }
    }
    let Some((recv, receiver_build, _)) = receiver else {
        return Err(NoSequence::NoConstructor {
            why: first_refusal.unwrap_or_else(|| "no tagged method takes `self`".into()),
        });
    };
    if calls.len() < 2 {
        return Err(NoSequence::OneMethod {
            method: calls[0].method.clone(),
        });
    }
    let props = fns
        .iter()
        .map(|f| &f.record.properties)
        .find(|p| p.invariant.is_some() || p.model_type.is_some() || p.sequence_len.is_some());
    let model = props.and_then(|p| p.model_type.clone());
    let model_build = match (&model, model_path.flatten()) {
        (Some(m), Some(path)) => model_build_expr(&recv, &path, m),
        _ => None,
    };
    let shadow = calls
        .iter()
        .any(|c| c.ensures.is_some() && c.ensures_args.starts_with("&recv_b"));
    let crate_name = &fns[0].crate_name;
    let module = &fns[0].module_path;
    // `Slab<T>` is reported as `slab::Slab`, the row `run` gives the type (its parameters are concrete here).
    let bare = ty.split('<').next().unwrap_or(ty).trim();
    let display_path = if module.is_empty() {
        format!("{crate_name}::{bare}")
    } else {
        format!("{crate_name}::{}::{bare}", module.join("::"))
    };
    Ok(SequencePlan {
        type_name: ty.to_string(),
        type_path: type_path.to_string(),
        display_path,
        reach,
        glob_use: glob,
        receiver_raw_ty: recv.raw_ty.clone(),
        receiver_strategy: recv.strategy.clone(),
        // The raw receiver is written with its type, so a generic constructor (`AhoCorasick::new(raw.0)`)
        // has what to infer from; the runtime binds it before the block, so a borrowing value outlives it.
        receiver_print: print_template(&ValuePlan {
            pass: Pass::Value,
            ..recv.clone()
        }),
        receiver_build,
        calls,
        invariant: props.and_then(|p| p.invariant.clone()),
        model,
        model_build,
        shadow,
        len: props
            .and_then(|p| p.sequence_len)
            .unwrap_or(DEFAULT_SEQUENCE_LEN),
        fuzzable,
        noop_impls,
    })
}

fn call_plan(
    function: &TaggedFn,
    kind: Receiver,
    values: &[ValuePlan],
    params: &[ValuePlan],
) -> CallPlan {
    let receiver = match kind {
        Receiver::RefMut => "&recv_b",
        _ => "&recv_a",
    };
    let mut shared = vec![receiver.to_string()];
    shared.extend(
        values
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, v)| v.pass.shared(&format!("v{i}b"))),
    );
    // A generic method's arguments print with their types: `r.build(vec![])` alone leaves `I` to infer.
    let generic = function
        .signature
        .generics
        .iter()
        .any(|g| g.kind == GenericKind::Type)
        || function
            .signature
            .params
            .iter()
            .any(|p| matches!(p.ty, Ty::ImplTrait { .. }));
    let printed = if params.is_empty() {
        "String::new()".to_string()
    } else {
        let parts: Vec<String> = (1..values.len())
            .map(|i| {
                format!(
                    "abuse_runtime::sequence::fill({:?}, &r{i})",
                    print_template_typed(&values[i], generic)
                )
            })
            .collect();
        format!("[{}].join(\", \")", parts.join(", "))
    };
    // A `&self` method leaves the value as it was: its `ensures` sees the receiver the call saw; a `&mut self`
    // method's sees the receiver kept one call behind. A `self` method's has no receiver left to show.
    let ensures = match kind {
        Receiver::Ref | Receiver::RefMut => function.record.properties.ensures.clone(),
        _ => None,
    };
    let mut call = CallPlan {
        method: function.name.clone(),
        variant: variant_name(&function.name),
        field_types: params.iter().map(|p| p.raw_ty.clone()).collect(),
        field_strategies: params.iter().map(|p| p.strategy.clone()).collect(),
        field_names: (1..values.len()).map(|i| format!("r{i}")).collect(),
        // The requested sizes of the call under test (abuse_runtime::requested), before it.
        build: build_stmts(values, "a")
            + &super::function::requested_stmts(values, &function.signature.params, true, "a"),
        args: args_text(values, true, "a"),
        build_b: build_stmts(values, "b"),
        args_b: args_text(values, true, "b"),
        build_m: build_stmts(values, "m"),
        args_m: args_text(values, true, "m"),
        consumes: kind == Receiver::Value,
        ensures,
        ensures_args: shared.join(", "),
        printed,
        strategy: String::new(),
    };
    call.strategy = call_strategy(&call);
    call
}

/// Statements building a call's arguments `v1{suffix}`, `v2{suffix}`, ... from its fields `r1`, `r2`, ...
fn build_stmts(values: &[ValuePlan], suffix: &str) -> String {
    let mut build = String::new();
    for (i, value) in values.iter().enumerate().skip(1) {
        let mutability = if value.pass.is_mut() { "mut " } else { "" };
        build.push_str(&format!(
            "#[allow(unused_mut)] let {mutability}v{i}{suffix} = {};\n",
            build_expr(value, i)
        ));
    }
    build
}

/// The path the harness names the receiver's type by (`demo::Ring`, `crate::ring::Ring`), when it is a
/// crate type.
fn receiver_path(ctx: &Ctx, ty: &str) -> Option<String> {
    let def = find_type(ctx, type_base_name(ty))?;
    type_path(def, ctx).ok()
}

/// The model built as the receiver is, its type's path swapped for the model's: only a value built by one of
/// the type's constructors (or `Default`) has a counterpart; a failing model constructor fails the case (the
/// type's succeeded), since the two must agree from the start.
fn model_build_expr(recv: &ValuePlan, path: &str, model: &str) -> Option<String> {
    let Build::Expr {
        template,
        returns,
        by_ref,
    } = &recv.build
    else {
        return None;
    };
    let ctor = format!("{path}::");
    let default = format!("<{path} as Default>");
    let template = if template.contains(&ctor) {
        template.replace(&ctor, &format!("{model}::"))
    } else if template.contains(&default) {
        template.replace(&default, &format!("<{model} as Default>"))
    } else {
        return None;
    };
    let place = if *by_ref { "r0" } else { "r0.clone()" };
    let setup = format!(
        "abuse_runtime::setup(|| {})?",
        template.replace("{raw}", place)
    );
    let fail = |what: &str| {
        format!(
            "return Err(abuse_runtime::prelude::TestCaseError::fail(\"the model's constructor returned {what} where the type's returned a value\"))"
        )
    };
    Some(match returns {
        CtorReturn::Plain => setup,
        CtorReturn::Option => format!("match {setup} {{ Some(v) => v, None => {} }}", fail("None")),
        CtorReturn::Result => format!("match {setup} {{ Ok(v) => v, Err(_) => {} }}", fail("Err")),
        CtorReturn::Err => format!("match {setup} {{ Err(e) => e, Ok(_) => {} }}", fail("Ok")),
    })
}

/// How a value is written in a pasted test: its construction, `{raw}` standing for the raw value as Rust,
/// lent the way the call takes it.
fn print_template(value: &ValuePlan) -> String {
    print_template_typed(value, false)
}

/// [`print_template`], with a value the runtime draws as it is written with its type when `typed`
/// (`<Vec<Vec<u8>>>::from(vec![])`).
fn print_template_typed(value: &ValuePlan, typed: bool) -> String {
    let inner = match &value.build {
        Build::Same if typed => format!("<{}>::from({{raw}})", value.raw_ty),
        Build::Same | Build::Unwrap => "{raw}".to_string(),
        Build::Borrow { template } => typed_raw(template, &value.raw_ty),
        Build::Expr {
            template, returns, ..
        } => {
            let template = typed_raw(template, &value.raw_ty);
            match returns {
                CtorReturn::Plain => template,
                CtorReturn::Option | CtorReturn::Result => format!("{template}.unwrap()"),
                // Built from the function's failure: `.err()` needs no `Debug` of the value it did not return.
                CtorReturn::Err => format!("{template}.err().unwrap()"),
            }
        }
    };
    match value.pass {
        Pass::Value => inner,
        p if p.is_mut() => format!("&mut {inner}"),
        _ => format!("&{inner}"),
    }
}

/// A build template whose raw value (`{raw}`, printed as a literal: `(vec![],)`, `None`) is written with its
/// type, so what a generic constructor or a `match` leaves open is inferred: `let raw: &(Vec<Vec<u8>>,) =
/// &{raw};` where the template binds it (no temporary: a value that borrows it may outlive the block), else
/// `<Option<(usize, ())>>::from({raw})`.
fn typed_raw(template: &str, raw_ty: &str) -> String {
    if template.contains("let raw = &{raw};") {
        template.replacen(
            "let raw = &{raw};",
            &format!("let raw: &{raw_ty} = &{{raw}};"),
            1,
        )
    } else {
        template.replace("{raw}", &format!("<{raw_ty}>::from({{raw}})"))
    }
}

/// `push_back` → `PushBack`; a raw identifier loses its `r#`.
fn variant_name(method: &str) -> String {
    method
        .trim_start_matches("r#")
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The strategy of one call: `(s1, s2).prop_map(|(r1, r2)| Call::Push(r1, r2))`.
pub fn call_strategy(call: &CallPlan) -> String {
    if call.field_types.is_empty() {
        return format!("abuse_runtime::prelude::Just(Call::{}())", call.variant);
    }
    let fields = tuple_text(call.field_names.clone());
    format!(
        "abuse_runtime::prelude::Strategy::prop_map({}, |{fields}| Call::{}({}))",
        tuple_text(call.field_strategies.clone()),
        call.variant,
        call.field_names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctor_value(template: &str, returns: CtorReturn) -> ValuePlan {
        ValuePlan {
            raw_ty: "(usize,)".into(),
            strategy: "s".into(),
            build: Build::Expr {
                template: template.into(),
                returns,
                by_ref: true,
            },
            pass: Pass::Value,
        }
    }

    #[test]
    fn the_model_is_built_by_its_own_constructor_of_the_same_name() {
        let recv = ctor_value(
            "{ let raw = &{raw}; demo::Ring::new(raw.0.clone()) }",
            CtorReturn::Option,
        );
        let built = model_build_expr(&recv, "demo::Ring", "RingModel").expect("a model build");
        assert!(built.contains("RingModel::new(raw.0.clone())"), "{built}");
        assert!(!built.contains("demo::Ring::new"), "{built}");
        // The type's constructor succeeded: the model's failing is the model disagreeing, not a rejected case.
        assert!(
            built.contains("TestCaseError::fail(\"the model's constructor returned None"),
            "{built}"
        );
        let default = ctor_value(
            "{ let () = {raw}; <demo::Ring as Default>::default() }",
            CtorReturn::Plain,
        );
        let built = model_build_expr(&default, "demo::Ring", "RingModel").expect("a model build");
        assert!(
            built.contains("<RingModel as Default>::default()"),
            "{built}"
        );
    }

    #[test]
    fn a_model_needs_a_constructor_to_share() {
        let arbitrary = ValuePlan {
            build: Build::Unwrap,
            ..ctor_value("", CtorReturn::Plain)
        };
        assert_eq!(model_build_expr(&arbitrary, "demo::Ring", "M"), None);
        let literal = ctor_value(
            "{ let raw = {raw}; demo::Ring { a: raw.0 } }",
            CtorReturn::Plain,
        );
        assert_eq!(model_build_expr(&literal, "demo::Ring", "M"), None);
    }

    #[test]
    fn variant_names_are_camel_case() {
        assert_eq!(variant_name("push_back"), "PushBack");
        assert_eq!(variant_name("r#type"), "Type");
        assert_eq!(variant_name("len"), "Len");
    }
}
