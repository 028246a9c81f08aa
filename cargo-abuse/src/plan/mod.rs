//! Decides, from the model alone, how a harness gets a value for every parameter and what each property test
//! runs; the result is Rust snippets that `generate` lays out in templates.
//!
//! A generated case is a tuple of *raw* values, one per parameter (the receiver first): types the runtime can
//! attack directly (`String`, `Vec<u8>`, integers...), tuples of constructor arguments for the crate's own
//! types, or opaque values from the user's `strategy(...)` or `arbitrary`. The body turns raw values into the
//! real arguments (calling constructors inside `abuse_runtime::setup`, so a constructor that rejects or panics
//! on an input rejects the case instead of reporting a false bug) and then calls the function. Raw values are
//! what a failure prints and what a regression test stores, so every one of them prints as Rust.

mod closures;
mod crate_types;
mod function;
mod generics;
mod implementors;
mod noop;
pub mod sequence;
mod values;

pub use noop::printed_from_sibling;

use serde::Serialize;

use crate::model::{Package, Reach, Receiver, SkipReason, TaggedFn, Ty};

use function::{glob_use, lengths_tied, tuple_text};
use generics::{concrete_generics, mentions};
use values::{param_plan, user_strategy_plan, value_plan, Pass, ValuePlan};

/// The runtime's serde module, as harnesses name it (behind the runtime's `serde` feature, which `gen` turns on
/// for a package whose harnesses name it).
pub const RUNTIME_SERDE: &str = "abuse_runtime::serde::";

/// Everything the function template needs.
#[derive(Debug, Clone, PartialEq)]
pub struct FnPlan {
    /// Where the harness goes.
    pub reach: PlanReach,
    /// The path the report shows (`demo::parse_port`, `crate::net::helper`).
    pub display_path: String,
    /// Glob import that makes names resolve like in the function's own module (strategies, closures, paths).
    pub glob_use: Option<String>,
    /// The `Input` type: a tuple of raw values.
    pub input_type: String,
    /// Human description of the input tuple (`(s, n)`).
    pub input_doc: String,
    /// Strategy expression producing `Input`.
    pub strategy: String,
    /// Doc-example strings of the constructors used to build inputs: added to the harness's hint literals,
    /// so a constructor that rejects almost every string still gets valid ones.
    pub examples: Vec<String>,
    /// One test per property.
    pub tests: Vec<TestPlan>,
    /// Items the harness defines for its values: do-nothing implementors of crate traits.
    pub noop_impls: Vec<String>,
    /// Whether every input implements `arbitrary::Arbitrary` (no user strategy), so a fuzz target can exist.
    pub fuzzable: bool,
    /// The function's `#[cfg]` conditions as one predicate (`all(feature = "std", unix)`): the harness module
    /// is compiled under the same conditions, so a feature-gated function's harness builds with or without it.
    pub cfg: Option<String>,
}

/// One property test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestPlan {
    /// Test function name (`no_panic`, `roundtrip`, ...).
    pub name: String,
    /// `abuse_runtime::Property` variant.
    pub property: String,
    /// The body of `fn <name>_body(input: Input) -> Result<(), TestCaseError>`.
    pub body: String,
}

/// Whether a plan's harness lives outside the crate (integration test) or inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanReach {
    /// `tests/abuse/`.
    Public,
    /// `src/abuse_tests/`.
    InCrate,
}

/// Where the plan says the harness goes, from the function's reach.
pub fn reach_of(function: &TaggedFn) -> PlanReach {
    match function.reach {
        Reach::Public { .. } if function.in_lib => PlanReach::Public,
        _ => PlanReach::InCrate,
    }
}

/// Context shared by the planning of one function.
struct Ctx<'a> {
    function: &'a TaggedFn,
    package: &'a Package,
    reach: PlanReach,
    /// Generic name → concrete type.
    generics: Vec<(String, Ty)>,
    /// Doc-example strings of the constructors the plan builds values with.
    examples: std::cell::RefCell<Vec<String>>,
}

impl<'a> Ctx<'a> {
    /// The same function and package with other type choices (another type's parameters, or choices still
    /// being made), collecting examples of its own.
    fn with_generics(&self, generics: Vec<(String, Ty)>) -> Ctx<'a> {
        Ctx {
            function: self.function,
            package: self.package,
            reach: self.reach,
            generics,
            examples: std::cell::RefCell::new(Vec::new()),
        }
    }
}

/// Whether `run` runs the function as the test it is (`run::own_tests`), so `gen` writes it no harness: a
/// tagged `#[test]` of the library whose `cfg` holds in a default test build (num's `int::tests::reverse_bits`,
/// under `#[cfg(test)] mod tests`).
pub fn is_own_test(function: &TaggedFn, package: &Package) -> bool {
    function.test == Some(crate::model::TestAttr::Runs)
        && function.in_lib
        && function.cfg.as_deref().is_none_or(|cfg| {
            let with_test = replace_test_predicate(cfg, "all()");
            crate::discover::cfg_text_holds(&with_test, &package.default_features)
        })
}

/// Plans the harness of one function, or says why there can be none and what the user can do: first, when
/// the function is compiled only under a `cfg` a default build does not set (smallvec's
/// `DrainFilter::keep_rest` with `feature = "drain_keep_rest"`, whose type exists only with
/// `feature = "drain_filter"`), that.
pub fn plan_function(function: &TaggedFn, package: &Package) -> Result<FnPlan, SkipReason> {
    plan_function_in_build(function, package).map_err(|why| match function.cfg.as_deref() {
        Some(cfg)
            if !matches!(why, SkipReason::TestOnly { .. } | SkipReason::IgnoredTest)
                && !crate::discover::cfg_text_holds(cfg, &package.default_features) =>
        {
            SkipReason::LeftOut {
                cfg: cfg.to_string(),
                why: Box::new(why),
            }
        }
        _ => why,
    })
}

fn plan_function_in_build(function: &TaggedFn, package: &Package) -> Result<FnPlan, SkipReason> {
    if function.test == Some(crate::model::TestAttr::Ignored) {
        return Err(SkipReason::IgnoredTest);
    }
    let sig = &function.signature;
    let cfg = cfg_predicate(function.cfg.as_deref(), reach_of(function))?;
    if sig.is_unsafe {
        return Err(SkipReason::UnsafeFn);
    }
    let reach = reach_of(function);
    if reach == PlanReach::InCrate && !function.in_lib {
        return Err(SkipReason::InBinary);
    }
    if reach == PlanReach::InCrate && !matches!(function.reach, Reach::CratePrivate { .. }) {
        return Err(SkipReason::Unreachable);
    }
    if let (PlanReach::InCrate, Some(why)) = (reach, &function.hidden_in_crate) {
        return Err(SkipReason::HiddenInCrate { why: why.clone() });
    }
    let mut ctx = Ctx {
        function,
        package,
        reach,
        generics: Vec::new(),
        examples: std::cell::RefCell::new(Vec::new()),
    };
    ctx.generics = concrete_generics(&ctx)?;
    // No function turbofish on associated functions (see `turbofish`): a type parameter no argument names
    // must be one of the type's own, given on the type (`ArrayVec::<[i64; 8]>::new()`).
    let mut type_args = None;
    if function.self_type.is_some() && sig.receiver.is_none() {
        // A const parameter no argument names too (wildmatch's `WildMatchPattern::<'*', '?'>::new`).
        for generic in &sig.generics {
            if !inferable(&generic.name, sig) {
                type_args = Some(self_type_args(&ctx).ok_or_else(|| {
                    SkipReason::UninferableTypeParameter {
                        name: generic.name.clone(),
                    }
                })?);
            }
        }
    }

    let mut call_path = in_crate_or_public_path(function, reach);
    if let Some(args) = type_args {
        if let Some((type_path, name)) = call_path.rsplit_once("::") {
            call_path = format!("{type_path}::<{args}>::{name}");
        }
    }

    let (names, values) = values_of(&ctx)?;

    let input_type = tuple_text(values.iter().map(|v| v.raw_ty.clone()).collect());
    let strategy = if values.is_empty() {
        "abuse_runtime::prelude::Just(())".to_string()
    } else {
        let independent = tuple_text(values.iter().map(|v| v.strategy.clone()).collect());
        match lengths_tied(&values) {
            Some(tied) => format!("abuse_runtime::lengths_tied({independent}, {tied})"),
            None => independent,
        }
    };
    let input_doc = tuple_text(names.clone());

    let tests = function::property_tests(&ctx, &call_path, &values);

    let examples = ctx.examples.take();
    let noop_impls = noop::definitions(
        &std::iter::once(&strategy)
            .chain(tests.iter().map(|t| &t.body))
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        &ctx,
    );
    Ok(FnPlan {
        reach,
        examples,
        noop_impls,
        display_path: format!("{}::{}", function.crate_name, function.path),
        glob_use: glob_use(&ctx),
        // The fuzz crate has features of its own: a feature-gated harness would be compiled out there.
        // The fuzz crate's runtime has no `serde` feature, and its values come from `arbitrary`.
        fuzzable: !input_type.contains("abuse_runtime::Opaque")
            && !input_type.contains(RUNTIME_SERDE)
            && !cfg.as_deref().is_some_and(|c| c.contains("feature")),
        cfg,
        input_type,
        input_doc,
        strategy,
        tests,
    })
}

/// Whether the compiler infers the type parameter `name` from the arguments: a parameter's type names it, or
/// an associated-type binding of an inferable parameter's bound does (`I: IntoIterator<Item = P>` fixes `P`
/// once `I` is known).
fn inferable(name: &str, sig: &crate::model::Signature) -> bool {
    // `A::Item` does not name `A` for inference.
    if sig
        .params
        .iter()
        .any(|p| mentions(&p.ty, name) && !only_projected(&p.ty, name))
    {
        return true;
    }
    let binds = |bound: &str| {
        let bound = bound.replace(' ', "");
        bound.split(['<', ',']).any(|part| {
            part.split_once('=').is_some_and(|(assoc, value)| {
                !assoc.is_empty() && value.trim_end_matches('>').trim_start_matches('&') == name
            })
        })
    };
    sig.generics.iter().any(|other| {
        other.name != name
            && other.bounds.iter().any(|b| binds(b))
            && sig.params.iter().any(|p| mentions(&p.ty, &other.name))
    })
}

/// The values of one function's input, receiver first, and their names (`self`, then the parameters).
fn values_of(ctx: &Ctx) -> Result<(Vec<String>, Vec<ValuePlan>), SkipReason> {
    let function = ctx.function;
    let sig = &function.signature;
    // Receiver first, then the parameters; each becomes one element of the input tuple.
    let mut names = Vec::new();
    let mut values = Vec::new();
    let receiver = sig.receiver;
    if let Some(receiver) = receiver {
        if receiver == Receiver::Other {
            return Err(SkipReason::UnsupportedReceiver);
        }
        let self_ty = Ty::Path {
            path: "Self".into(),
            args: Vec::new(),
        };
        let specialised = self_type_ctx(ctx);
        if matches!(receiver, Receiver::PinRef | Receiver::PinMut) {
            if let Some(why) = not_unpin(specialised.as_ref().unwrap_or(ctx)) {
                return Err(SkipReason::Receiver { why });
            }
        }
        let plan = value_plan(&self_ty, specialised.as_ref().unwrap_or(ctx), "self", 0)
            .map_err(|why| SkipReason::Receiver { why })?;
        if let Some(inner) = specialised {
            ctx.examples.borrow_mut().extend(inner.examples.take());
        }
        names.push("self".to_string());
        values.push(ValuePlan {
            pass: match receiver {
                Receiver::RefMut => Pass::RefMut,
                _ => Pass::Value,
            },
            ..plan
        });
    }
    for param in &sig.params {
        let user_strategy = function
            .record
            .properties
            .strategies
            .iter()
            .find(|(p, _)| *p == param.name);
        let plan = match user_strategy {
            Some((_, expr)) => user_strategy_plan(&param.ty, expr, ctx).map_err(|why| {
                SkipReason::StrategyParameter {
                    name: param.name.clone(),
                    why,
                }
            })?,
            None => {
                param_plan(&param.ty, ctx, &param.name).map_err(|why| SkipReason::Parameter {
                    name: param.name.clone(),
                    why,
                })?
            }
        };
        names.push(param.name.clone());
        values.push(plan);
    }

    Ok((names, values))
}

/// Why a `self: Pin<&Self>` / `Pin<&mut Self>` receiver cannot be pinned with `Pin::new` (which needs
/// `Unpin`): a field that names `PhantomPinned`, or a type argument chosen for `Self` that is not a std or
/// primitive type (those are all `Unpin`). `None` when the value can be pinned in place.
fn not_unpin(ctx: &Ctx) -> Option<String> {
    let receiver = if ctx.function.signature.receiver == Some(Receiver::PinMut) {
        "Pin<&mut Self>"
    } else {
        "Pin<&Self>"
    };
    let def = crate_types::find_type(
        ctx,
        crate_types::type_base_name(ctx.function.self_type.as_deref()?),
    )?;
    let fields: Vec<&Ty> = match &def.shape {
        crate::model::TypeShape::Struct { fields } => fields.iter().map(|f| &f.ty).collect(),
        crate::model::TypeShape::Enum { variants } => variants
            .iter()
            .flat_map(|v| v.fields.iter().map(|f| &f.ty))
            .collect(),
    };
    fn names_pinned(ty: &Ty) -> bool {
        match ty {
            Ty::Path { path, args } => {
                values::last_segment(path) == "PhantomPinned" || args.iter().any(names_pinned)
            }
            Ty::Ref { inner, .. } => names_pinned(inner),
            Ty::Slice { elem } | Ty::Array { elem, .. } => names_pinned(elem),
            Ty::Tuple { elems } => elems.iter().any(names_pinned),
            Ty::ImplTrait { .. } | Ty::Other { .. } => false,
        }
    }
    let pinned = fields.iter().any(|t| names_pinned(t));
    let unknown = def
        .generics
        .iter()
        .filter(|g| g.kind == crate::model::GenericKind::Type)
        .filter_map(|g| ctx.generics.iter().find(|(n, _)| *n == g.name))
        .find(|(_, ty)| !values::is_direct(ty));
    match (pinned, unknown) {
        (false, None) => None,
        (true, _) => Some(format!(
            "`self: {receiver}` on a type that holds `PhantomPinned`: the harness pins only `Unpin` values \
             (`Pin::new`); add a wrapper that pins one (`Box::pin`) and test that"
        )),
        (false, Some((name, ty))) => Some(format!(
            "`self: {receiver}` with `{name} = {}`, which may not be `Unpin`: the harness pins only `Unpin` \
             values (`Pin::new`); add a wrapper that pins one (`Box::pin`) and test that",
            values::render_ty(ty, ctx)
        )),
    }
}

/// For a method of a specialised impl block (`impl<L, R> Either<Option<L>, Option<R>>`), the context that
/// builds its receiver: the type's own parameters bound to the impl's arguments (`L` of `Either` is
/// `Option<i64>` there, while the method's `L` is `i64`). `None` when the impl names the type's parameters as
/// they are (`impl<T> Slab<T>`), or when its self type is not one the plan knows.
fn self_type_ctx<'a>(ctx: &Ctx<'a>) -> Option<Ctx<'a>> {
    let written = ctx.function.self_type.as_deref()?;
    let Ty::Path { path, args } = crate::discover::parse_ty(written)? else {
        return None;
    };
    let def = crate_types::find_type(ctx, values::last_segment(&path))?;
    let params: Vec<&str> = def
        .generics
        .iter()
        .filter(|g| g.kind == crate::model::GenericKind::Type)
        .map(|g| g.name.as_str())
        .collect();
    let as_declared = args
        .iter()
        .zip(&params)
        .all(|(a, p)| matches!(a, Ty::Path { path, args } if path == p && args.is_empty()));
    if args.len() != params.len() || as_declared {
        return None;
    }
    let mut generics: Vec<(String, Ty)> = params
        .iter()
        .zip(&args)
        .map(|(p, a)| Ok(((*p).to_string(), generics::substitute(a, ctx)?)))
        .collect::<Result<_, String>>()
        .ok()?;
    generics.extend(
        ctx.generics
            .iter()
            .filter(|(n, _)| !params.contains(&n.as_str()))
            .cloned(),
    );
    Some(ctx.with_generics(generics))
}

/// The path a harness calls the function by: its public path, or in the crate its `crate::` path (a
/// re-export's when its own module is hidden: unicode-width's `crate::props::is_emoji_modifier_base`).
pub(super) fn in_crate_or_public_path(function: &TaggedFn, reach: PlanReach) -> String {
    match &function.reach {
        Reach::Public { path } if reach == PlanReach::Public => path.clone(),
        Reach::CratePrivate { path } if path.starts_with("crate::") => path.clone(),
        _ => format!("crate::{}", function.path),
    }
}

/// The function's `#[cfg]` predicates (joined with ` && ` by discovery) as one predicate for its harness.
///
/// The integration-test target is compiled with `cfg(test)` while the library it links is not, so for a
/// public harness `test` is replaced by the always-false `any()`: `any(feature = "std", test)` holds for the
/// harness exactly when the function exists. A function that exists only under `cfg(test)` cannot be
/// reached from there. The in-crate harness shares the crate's own `cfg(test)`, so it keeps the predicate.
fn cfg_predicate(cfg: Option<&str>, reach: PlanReach) -> Result<Option<String>, SkipReason> {
    let Some(cfg) = cfg.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let parts: Vec<String> = cfg
        .split(" && ")
        .map(|p| match reach {
            PlanReach::Public => replace_test_predicate(p.trim(), "any()"),
            PlanReach::InCrate => p.trim().to_string(),
        })
        .collect();
    if parts.iter().any(|p| p == "any()") {
        return Err(SkipReason::TestOnly {
            cfg: cfg.to_string(),
        });
    }
    Ok(Some(if parts.len() == 1 {
        parts[0].clone()
    } else {
        format!("all({})", parts.join(", "))
    }))
}

/// Replaces the `test` predicate (not `"test"` inside a string) with `value`: `any()` (false) or `all()` (true).
fn replace_test_predicate(predicate: &str, value: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let mut in_string = false;
    let flush = |word: &mut String, out: &mut String| {
        if word == "test" {
            out.push_str(value);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in predicate.chars() {
        if !in_string && (c.is_alphanumeric() || c == '_') {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out);
        if c == '"' {
            in_string = !in_string;
        }
        out.push(c);
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
pub(crate) mod tests;

/// `[i64; 8]` for the self type `ArrayVec<A>` when `A` was given `[i64; 8]`: the self type's arguments as
/// chosen, when every one is a type parameter with a choice (no lifetimes, no const arguments).
fn self_type_args(ctx: &Ctx) -> Option<String> {
    let self_type = ctx.function.self_type.as_deref()?;
    let args = self_type.split_once('<')?.1.trim_end().strip_suffix('>')?;
    let mut out = Vec::new();
    for arg in args.split(',') {
        let Some((_, ty)) = ctx.generics.iter().find(|(n, _)| n == arg.trim()) else {
            return specialised_self_type_args(ctx);
        };
        out.push(values::render_ty(ty, ctx));
    }
    Some(out.join(", "))
}

/// [`self_type_args`] for a self type whose arguments are written with the parameters inside
/// (`SmallVec<[T; N]>` → `[i64; 8]`): each argument with the chosen types and lengths put in, when every
/// parameter it names has a choice.
fn specialised_self_type_args(ctx: &Ctx) -> Option<String> {
    let Ty::Path { args, .. } = crate::discover::parse_ty(ctx.function.self_type.as_deref()?)?
    else {
        return None;
    };
    let names: Vec<&str> = ctx
        .function
        .signature
        .generics
        .iter()
        .map(|g| g.name.as_str())
        .collect();
    args.iter()
        .map(|arg| {
            let ty = generics::substitute(arg, ctx).ok()?;
            let text = values::render_ty(&ty, ctx);
            let leftover = text
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|w| names.contains(&w));
            (!leftover).then_some(text)
        })
        .collect::<Option<Vec<_>>>()
        .map(|a| a.join(", "))
}

/// Whether the type names `name` only through projections (`A::Item`, `Vec<A::Item>`), which do not let
/// the compiler infer `name`.
fn only_projected(ty: &Ty, name: &str) -> bool {
    match ty {
        Ty::Path { path, args } => {
            path != name
                && (!mentions(ty, name)
                    || (args.iter().all(|a| only_projected(a, name))
                        && (path.starts_with(&format!("{name}::")) || !path.contains(name))))
        }
        Ty::Ref { inner, .. } => only_projected(inner, name),
        Ty::Slice { elem } => only_projected(elem, name),
        Ty::Array { elem, len } => len.trim() != name && only_projected(elem, name),
        Ty::Tuple { elems } => elems.iter().all(|e| only_projected(e, name)),
        Ty::ImplTrait { .. } | Ty::Other { .. } => false,
    }
}
