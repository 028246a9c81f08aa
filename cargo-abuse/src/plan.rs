//! Decides, from the model alone, how a harness gets a value for every parameter and what each property test
//! runs; the result is Rust snippets that `generate.rs` lays out in templates.
//!
//! A generated case is a tuple of *raw* values, one per parameter (the receiver first): types the runtime can
//! attack directly (`String`, `Vec<u8>`, integers...), tuples of constructor arguments for the crate's own
//! types, or opaque values from the user's `strategy(...)` or `arbitrary`. The body turns raw values into the
//! real arguments (calling constructors inside `abuse_runtime::setup`, so a constructor that rejects or panics
//! on an input rejects the case instead of reporting a false bug) and then calls the function. Raw values are
//! what a failure prints and what a regression test stores, so every one of them prints as Rust.

use crate::generate::{reach_of, PlanReach};
use crate::model::{CtorReturn, Package, Reach, Receiver, TaggedFn, Ty, TypeDef, TypeShape};

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

/// How the built value is handed to the function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
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
    fn apply(self, var: &str) -> String {
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

    fn is_mut(self) -> bool {
        matches!(self, Pass::RefMut | Pass::MutSlice)
    }

    /// A shared borrow of the value, as the `ensures` closure receives it.
    fn shared(self, var: &str) -> String {
        match self {
            Pass::RefMut | Pass::Value => format!("&{var}"),
            Pass::MutSlice => format!("{var}.as_slice()"),
            other => other.apply(var),
        }
    }
}

/// How a raw value becomes the argument's owned value.
#[derive(Debug, Clone, PartialEq)]
enum Build {
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
struct ValuePlan {
    raw_ty: String,
    strategy: String,
    build: Build,
    pass: Pass,
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

/// Plans the harness of one function, or says why there can be none and what the user can do.
pub fn plan_function(function: &TaggedFn, package: &Package) -> Result<FnPlan, String> {
    let sig = &function.signature;
    let cfg = cfg_predicate(function.cfg.as_deref(), reach_of(function))?;
    if sig.is_unsafe {
        return Err("`unsafe fn`: random inputs cannot respect its safety contract; test a safe wrapper instead".into());
    }
    let reach = reach_of(function);
    if reach == PlanReach::InCrate && !function.in_lib {
        return Err("the function is in a binary target, which tests cannot reach; move it into the library".into());
    }
    if reach == PlanReach::InCrate && !matches!(function.reach, Reach::CratePrivate { .. }) {
        return Err("not reachable from outside the crate nor from its root; make it `pub(crate)` or public".into());
    }
    if let (PlanReach::InCrate, Some(why)) = (reach, &function.hidden_in_crate) {
        return Err(format!(
            "the in-crate harness (`crate::abuse_tests`) cannot name it: {why}; make it `pub(crate)`"
        ));
    }
    let mut ctx = Ctx {
        function,
        package,
        reach,
        generics: Vec::new(),
        examples: std::cell::RefCell::new(Vec::new()),
    };
    ctx.generics = concrete_generics(&ctx)?;
    if function.self_type.is_some() && sig.receiver.is_none() {
        // No turbofish on associated functions (see `turbofish`): every type parameter must be inferable.
        for generic in &sig.generics {
            let used = sig.params.iter().any(|p| mentions(&p.ty, &generic.name));
            if !used && generic.kind == crate::model::GenericKind::Type {
                return Err(format!(
                    "type parameter `{}` appears in no parameter, so the harness cannot choose it; add a wrapper \
                     with a concrete type",
                    generic.name
                ));
            }
        }
    }

    let call_path = match &function.reach {
        Reach::Public { path } if reach == PlanReach::Public => path.clone(),
        _ => format!("crate::{}", function.path),
    };

    // Receiver first, then the parameters; each becomes one element of the input tuple.
    let mut names = Vec::new();
    let mut values = Vec::new();
    let receiver = sig.receiver;
    if let Some(receiver) = receiver {
        if receiver == Receiver::Other {
            return Err("receiver type (`self: Box<Self>`, `Rc<Self>`...) is not supported; add an `&self` wrapper".into());
        }
        let self_ty = Ty::Path {
            path: "Self".into(),
            args: Vec::new(),
        };
        let plan = value_plan(&self_ty, &ctx, "self", 0).map_err(|e| format!("receiver: {e}"))?;
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
            Some((_, expr)) => user_strategy_plan(&param.ty, expr, &ctx)?,
            None => param_plan(&param.ty, &ctx, &param.name)
                .map_err(|e| format!("parameter `{}`: {e}", param.name))?,
        };
        names.push(param.name.clone());
        values.push(plan);
    }

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

    let call = |suffix: &str| -> (String, String) {
        call_block(&ctx, &call_path, &values, receiver.is_some(), suffix)
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
        let args_b = args_text(&values, receiver.is_some(), "b");
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
        let f = match &function.reach {
            Reach::Public { path } if reach == PlanReach::Public => path.clone(),
            _ => format!("crate::{}", function.path),
        };
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
        tests.push(TestPlan {
            name: "ensures".into(),
            property: "Ensures".into(),
            body: format!(
                "{destructure}\n{stmts_a}\nlet out = {call_a};\n{stmts_b}\n\
                 abuse_runtime::ensures(({closure})({args}&out), {closure:?})?;\nOk(())"
            ),
        });
    }

    let examples = ctx.examples.take();
    Ok(FnPlan {
        reach,
        examples,
        display_path: format!("{}::{}", function.crate_name, function.path),
        glob_use: glob_use(&ctx),
        // The fuzz crate has features of its own: a feature-gated harness would be compiled out there.
        fuzzable: !input_type.contains("abuse_runtime::Opaque")
            && !cfg.as_deref().is_some_and(|c| c.contains("feature")),
        cfg,
        input_type,
        input_doc,
        strategy,
        tests,
    })
}

/// The function's `#[cfg]` predicates (joined with ` && ` by discovery) as one predicate for its harness.
///
/// The integration-test target is compiled with `cfg(test)` while the library it links is not, so for a
/// public harness `test` is replaced by the always-false `any()`: `any(feature = "std", test)` holds for the
/// harness exactly when the function exists. A function that exists only under `cfg(test)` cannot be
/// reached from there. The in-crate harness shares the crate's own `cfg(test)`, so it keeps the predicate.
fn cfg_predicate(cfg: Option<&str>, reach: PlanReach) -> Result<Option<String>, String> {
    let Some(cfg) = cfg.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let parts: Vec<String> = cfg
        .split(" && ")
        .map(|p| match reach {
            PlanReach::Public => replace_test_predicate(p.trim()),
            PlanReach::InCrate => p.trim().to_string(),
        })
        .collect();
    if parts.iter().any(|p| p == "any()") {
        return Err(format!(
            "compiled only under `cfg({cfg})`, which the integration-test target cannot see; make it `pub(crate)` \
             outside the test-only code, or move it out of it"
        ));
    }
    Ok(Some(if parts.len() == 1 {
        parts[0].clone()
    } else {
        format!("all({})", parts.join(", "))
    }))
}

/// Replaces the `test` predicate (not `"test"` inside a string) with `any()`.
fn replace_test_predicate(predicate: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let mut in_string = false;
    let flush = |word: &mut String, out: &mut String| {
        if word == "test" {
            out.push_str("any()");
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

/// Whether the type names the generic parameter `name` anywhere.
fn mentions(ty: &Ty, name: &str) -> bool {
    match ty {
        Ty::Path { path, args } => {
            path == name
                || path.starts_with(&format!("{name}::"))
                || args.iter().any(|a| mentions(a, name))
        }
        Ty::Ref { inner, .. } => mentions(inner, name),
        Ty::Slice { elem } | Ty::Array { elem, .. } => mentions(elem, name),
        Ty::Tuple { elems } => elems.iter().any(|e| mentions(e, name)),
        Ty::ImplTrait { bounds } => bounds.iter().any(|b| b.contains(name)),
        Ty::Other { text } => text.contains(name),
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
        let raw = format!("r{i}.clone()");
        let expr = match &value.build {
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
                }
            }
        };
        stmts.push_str(&format!(
            "#[allow(unused_mut)] let {mutability}{var} = {expr};\n"
        ));
    }
    let args = args_text(values, has_receiver, suffix);
    let name = &ctx.function.name;
    let call = if has_receiver {
        format!("recv_{suffix}.{name}({args})")
    } else {
        let turbofish = turbofish(ctx);
        format!("{call_path}{turbofish}({args})")
    };
    (stmts, maybe_await(ctx.function.signature.is_async, call))
}

fn args_text(values: &[ValuePlan], has_receiver: bool, suffix: &str) -> String {
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
fn turbofish(ctx: &Ctx) -> String {
    if ctx.function.self_type.is_some() {
        return String::new();
    }
    let named: Vec<String> = ctx
        .function
        .signature
        .generics
        .iter()
        .filter_map(|g| ctx.generics.iter().find(|(n, _)| *n == g.name))
        .map(|(_, ty)| render_ty(ty, ctx))
        .collect();
    if named.is_empty()
        || ctx
            .function
            .signature
            .params
            .iter()
            .any(|p| contains_impl_trait(&p.ty))
    {
        String::new()
    } else {
        format!("::<{}>", named.join(", "))
    }
}

/// The input strategy with every integer parameter drawn next to a length of the first string or
/// collection parameter (`abuse_runtime::near_length`), when the function has both and both use the
/// default attacks: independent draws almost never put `n` next to a long `s`'s length.
fn lengths_tied(values: &[ValuePlan]) -> Option<String> {
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

fn tuple_text(items: Vec<String>) -> String {
    match items.len() {
        0 => "()".to_string(),
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

/// The import that makes the function's neighbours nameable: its module (public harness: through the public
/// path's parent when the module itself is private).
fn glob_use(ctx: &Ctx) -> Option<String> {
    let f = ctx.function;
    match (&f.reach, ctx.reach) {
        (Reach::Public { path }, PlanReach::Public) => {
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

/// Picks a concrete type for every type parameter and `impl Trait`, from its bounds.
fn concrete_generics(ctx: &Ctx) -> Result<Vec<(String, Ty)>, String> {
    let mut out = Vec::new();
    for generic in &ctx.function.signature.generics {
        if generic.kind == crate::model::GenericKind::Const {
            return Err(format!(
                "const generic `{}` is not supported; add a wrapper with a fixed value",
                generic.name
            ));
        }
        let ty = concrete_for_bounds(&generic.bounds, ctx)
            .ok_or_else(|| format!("no concrete type for `{}: {}`; give `strategy(...)` for the parameters that use it or add a concrete wrapper", generic.name, generic.bounds.join(" + ")))?;
        out.push((generic.name.clone(), ty));
    }
    Ok(out)
}

fn path_ty(path: &str, args: Vec<Ty>) -> Ty {
    Ty::Path {
        path: path.into(),
        args,
    }
}

/// The table behind "simple generics instantiated with a fitting concrete type".
fn concrete_for_bounds(bounds: &[String], ctx: &Ctx) -> Option<Ty> {
    let normalized: Vec<String> = bounds
        .iter()
        .map(|b| strip_lifetimes(b).replace(' ', ""))
        .filter(|b| !b.is_empty() && b != "+")
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
        )
    });
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
    // I/O: a reader over attacked bytes, a writer into memory.
    if has(&["Read", "BufRead"]) {
        return Some(path_ty(
            "std::io::Cursor",
            vec![path_ty("Vec", vec![path_ty("u8", vec![])])],
        ));
    }
    if has(&["Write"]) {
        return Some(path_ty("Vec", vec![path_ty("u8", vec![])]));
    }
    // Iterators and ranges: a `Vec` of attacked items (its `IntoIter` for `Iterator` bounds).
    for bound in &normalized {
        let bound = bound.as_str();
        if bound == "IntoIterator" {
            return Some(path_ty("Vec", vec![path_ty("i64", vec![])]));
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
                _ => continue,
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
    // A trait the crate implements for one of its own constructible types (marker bounds aside).
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
                let ty = path_ty(&imp.type_name, vec![]);
                if value_plan(&ty, ctx, "", 1).is_ok() {
                    return Some(ty);
                }
            }
        }
    }
    None
}

/// The bound without its lifetimes (`IntoIterator<Item = &'a str>` → `IntoIterator<Item = &str>`); a bound
/// that is only a lifetime becomes empty.
fn strip_lifetimes(bound: &str) -> String {
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

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

fn is_primitive(name: &str) -> bool {
    matches!(
        name,
        "u8" | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "f32"
            | "f64"
            | "bool"
            | "char"
    )
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

/// Substitutes the chosen concrete types for generic names and `impl Trait`.
fn substitute(ty: &Ty, ctx: &Ctx) -> Result<Ty, String> {
    Ok(match ty {
        Ty::Path { path, args } if args.is_empty() => {
            match ctx.generics.iter().find(|(n, _)| n == path) {
                Some((_, concrete)) => concrete.clone(),
                None => ty.clone(),
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
            len: len.clone(),
        },
        Ty::Tuple { elems } => Ty::Tuple {
            elems: elems
                .iter()
                .map(|e| substitute(e, ctx))
                .collect::<Result<_, _>>()?,
        },
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

/// A parameter: references are built as owned values and lent.
fn param_plan(ty: &Ty, ctx: &Ctx, name: &str) -> Result<ValuePlan, String> {
    param_plan_at(ty, ctx, name, 0)
}

/// [`param_plan`] for a constructor argument `depth` constructors down.
fn param_plan_at(ty: &Ty, ctx: &Ctx, name: &str, depth: u32) -> Result<ValuePlan, String> {
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
fn user_strategy_plan(ty: &Ty, expr: &str, ctx: &Ctx) -> Result<ValuePlan, String> {
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
fn is_direct(ty: &Ty) -> bool {
    match ty {
        Ty::Path { path, args } => {
            let name = last_segment(path);
            (is_primitive(name) && args.is_empty())
                || (std_path(name).is_some() && args.iter().all(is_direct))
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

/// Renders a (substituted) type so that it names the same type from the harness.
fn render_ty(ty: &Ty, ctx: &Ctx) -> String {
    match ty {
        Ty::Path { path, args } => {
            let name = last_segment(path);
            let base = if is_primitive(name) || path == "str" {
                name.to_string()
            } else if is_std_qualified(path) {
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

fn type_base_name(self_type: &str) -> &str {
    let base = self_type.split('<').next().unwrap_or(self_type).trim();
    last_segment(base)
}

fn find_type<'a>(ctx: &'a Ctx, name: &str) -> Option<&'a TypeDef> {
    let mut matches = ctx.package.types.iter().filter(|t| t.name == name);
    let first = matches.next()?;
    if matches.next().is_none() {
        return Some(first);
    }
    // Two types of the same name in different modules: the one in the function's own module (where the
    // name resolves, as for `Self`), else too ambiguous to guess.
    let module = ctx.function.module_path.join("::");
    let here = if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    };
    ctx.package.types.iter().find(|t| t.path == here)
}

/// The path that names a crate type from the harness.
fn type_path(def: &TypeDef, ctx: &Ctx) -> Result<String, String> {
    match ctx.reach {
        PlanReach::Public => def.public_path.clone().ok_or_else(|| {
            format!("type `{}` is not reachable from outside the crate; make it public or give `strategy(...)`", def.name)
        }),
        PlanReach::InCrate => match &def.hidden_in_crate {
            None => Ok(format!("crate::{}", def.path)),
            Some(why) => Err(format!(
                "type `{}` cannot be named from the in-crate harness: {why}; make it `pub(crate)` or give `strategy(...)`",
                def.name
            )),
        },
    }
}

fn hints(param: &str) -> String {
    format!("&hints({param:?})")
}

/// Std values built from attacked raw values: `Vec<&str>`/`Vec<&[u8]>` (borrowing the raw `Vec<String>`,
/// `Vec<Vec<u8>>`), `std::vec::IntoIter<T>` (for `Iterator` bounds) and `Range<T>`/`RangeInclusive<T>`.
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
fn value_plan(ty: &Ty, ctx: &Ctx, name: &str, depth: u32) -> Result<ValuePlan, String> {
    let ty = substitute(ty, ctx)?;
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
                last_segment(path).to_string()
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
            let self_generics_chosen = path == "Self"
                && def.generics.iter().all(|g| {
                    g.kind == crate::model::GenericKind::Type
                        && ctx.generics.iter().any(|(n, _)| *n == g.name)
                });
            if !args.is_empty() || !(def.generics.is_empty() || self_generics_chosen) {
                return Err(format!(
                    "generic type `{}` is not built automatically; derive `arbitrary::Arbitrary` or give `strategy(...)`",
                    def.name
                ));
            }
            crate_type_plan(def, ctx, name, depth)
        }
    }
}

/// A value of the crate's own type: `Arbitrary`, then public fields, then public constructors, then `Default`.
fn crate_type_plan(def: &TypeDef, ctx: &Ctx, name: &str, depth: u32) -> Result<ValuePlan, String> {
    let path = type_path(def, ctx)?;
    let derives = |t: &str| def.derives.iter().any(|d| d == t);
    if derives("Arbitrary") && derives("Debug") && derives("Clone") {
        return Ok(ValuePlan {
            raw_ty: format!("abuse_runtime::FromBytes<{path}>"),
            strategy: format!("abuse_runtime::arbitrary_value::<{path}>()"),
            build: Build::Unwrap,
            pass: Pass::Value,
        });
    }
    if depth >= 2 {
        return Err(format!(
            "`{}` needs values nested too deep to build",
            def.name
        ));
    }
    // Plain public fields.
    if let TypeShape::Struct { fields } = &def.shape {
        let in_root = !def.path.contains("::");
        if fields
            .iter()
            .all(|f| f.public || (ctx.reach == PlanReach::InCrate && in_root))
            && !fields.is_empty()
        {
            if let Ok(parts) = fields
                .iter()
                .map(|f| direct_plan(&f.ty, ctx, name))
                .collect::<Result<Vec<_>, _>>()
            {
                let named = fields.iter().all(|f| f.name.is_some());
                let inits: Vec<String> = fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let value = format!("raw.{i}");
                        match &f.name {
                            Some(n) if named => format!("{n}: {value}"),
                            _ => value,
                        }
                    })
                    .collect();
                let literal = if named {
                    format!("{path} {{ {} }}", inits.join(", "))
                } else {
                    format!("{path}({})", inits.join(", "))
                };
                return Ok(constructed(
                    parts,
                    format!("{{ let raw = {{raw}}; {literal} }}"),
                    CtorReturn::Plain,
                    false,
                ));
            }
        }
    }
    if let Some(plan) = enum_plan(def, ctx, &path, name) {
        return Ok(plan);
    }
    // The crate's own constructors: prefer ones that take input, infallible first.
    let mut ctors: Vec<_> = def
        .constructors
        .iter()
        .filter(|c| c.public || ctx.reach == PlanReach::InCrate)
        .collect();
    ctors.sort_by_key(|c| {
        (
            c.params.is_empty(),
            c.returns != CtorReturn::Plain,
            c.name.clone(),
        )
    });
    let mut why = Vec::new();
    for ctor in ctors {
        let parts: Result<Vec<ValuePlan>, String> = ctor
            .params
            .iter()
            .map(|p| {
                param_plan_at(&p.ty, ctx, &p.name, depth + 1).and_then(|v| match &v.build {
                    Build::Expr { by_ref: true, .. } => {
                        Err("an argument built by a constructor that borrows its own input".into())
                    }
                    _ => Ok(v),
                })
            })
            .collect();
        match parts {
            Ok(parts) => {
                let mut examples = ctx.examples.borrow_mut();
                for e in &ctor.examples {
                    if !examples.contains(e) {
                        examples.push(e.clone());
                    }
                }
                drop(examples);
                // A constructor's string arguments draw its doc examples half the time: it builds the values
                // other functions are tested with, and one that rejects almost every string would otherwise
                // leave them untested.
                let parts: Vec<ValuePlan> = parts
                    .into_iter()
                    .map(|mut p| {
                        if !ctor.examples.is_empty()
                            && p.raw_ty == "String"
                            && p.strategy.starts_with("abuse_runtime::attack::<String>")
                        {
                            p.strategy = format!(
                                "abuse_runtime::or_examples(&{:?}, {})",
                                ctor.examples, p.strategy
                            );
                        }
                        p
                    })
                    .collect();
                // Arguments borrow the raw parts in place, so a value that keeps the borrow
                // (`PercentDecode<'a>`) outlives the set-up; what is lent mutably, or built here, is
                // leaked instead (a few bytes per case), so the value may keep that borrow too.
                let leak = |pass: Pass, value: String| match pass {
                    Pass::Ref | Pass::Leak => format!("&*Box::leak(Box::new({value}))"),
                    Pass::RefMut => format!("Box::leak(Box::new({value}))"),
                    Pass::MutSlice => format!("Box::leak({value}.into_boxed_slice())"),
                    other => other.apply(&value),
                };
                let args: Vec<String> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| match (&p.build, p.pass) {
                        (Build::Same, Pass::Value | Pass::Leak) => {
                            p.pass.apply(&format!("raw.{i}.clone()"))
                        }
                        (Build::Same, Pass::RefMut | Pass::MutSlice) => {
                            leak(p.pass, format!("raw.{i}.clone()"))
                        }
                        (Build::Same, _) => p.pass.apply(&format!("raw.{i}")),
                        (Build::Unwrap, _) => leak(p.pass, format!("raw.{i}.clone().into_inner()")),
                        // A value of another crate type, built by its own constructor inside this set-up:
                        // its rejection is a panic, which `setup` turns into a rejected case.
                        (Build::Expr { template, returns, .. }, _) => {
                            let inner = template.replace("{raw}", &format!("raw.{i}.clone()"));
                            let value = match returns {
                                CtorReturn::Plain => inner,
                                CtorReturn::Option => format!(
                                    "match {inner} {{ Some(v) => v, None => panic!(\"constructor returned None\") }}"
                                ),
                                CtorReturn::Result => format!(
                                    "match {inner} {{ Ok(v) => v, Err(_) => panic!(\"constructor returned Err\") }}"
                                ),
                            };
                            leak(p.pass, value)
                        }
                        // `raw` is a borrow of the input tuple, which outlives the test body.
                        (Build::Borrow { template }, _) => {
                            leak(p.pass, template.replace("{raw}", &format!("raw.{i}")))
                        }
                    })
                    .collect();
                let callee = match &ctor.free_fn {
                    None => format!("{path}::{}", ctor.name),
                    Some(free) => match ctx.reach {
                        PlanReach::Public => match &free.public_path {
                            Some(p) => p.clone(),
                            None => {
                                why.push(format!("`{}` is not public", free.path));
                                continue;
                            }
                        },
                        PlanReach::InCrate => format!("crate::{}", free.path),
                    },
                };
                let call = format!(
                    "{{ #[allow(unused_variables)] let raw = &{{raw}}; {callee}({}) }}",
                    args.join(", ")
                );
                return Ok(constructed(parts, call, ctor.returns, true));
            }
            Err(e) => why.push(format!("`{}::{}`: {e}", def.name, ctor.name)),
        }
    }
    if let Some(plan) = const_plan(def, ctx) {
        return Ok(plan);
    }
    if derives("Default") {
        return Ok(ValuePlan {
            raw_ty: "()".into(),
            strategy: "abuse_runtime::prelude::Just(())".into(),
            build: Build::Expr {
                template: format!("{{ let () = {{raw}}; <{path} as Default>::default() }}"),
                returns: CtorReturn::Plain,
                by_ref: false,
            },
            pass: Pass::Value,
        });
    }
    let mut reason = format!(
        "cannot build a `{}`: derive `arbitrary::Arbitrary` (with Debug and Clone), make its fields public, add a public constructor from supported types, or give `strategy(...)`",
        def.name
    );
    if !why.is_empty() {
        reason.push_str(&format!(" (tried {})", why.join("; ")));
    }
    Err(reason)
}

/// An enum built from its variants: every unit variant, and every variant whose fields the runtime attacks
/// directly. The raw value is `(variant index, (fields of each variant with fields))`, so it prints as Rust
/// and shrinks towards the first variant.
fn enum_plan(def: &TypeDef, ctx: &Ctx, path: &str, name: &str) -> Option<ValuePlan> {
    let TypeShape::Enum { variants } = &def.shape else {
        return None;
    };
    let mut arms = Vec::new();
    let mut parts = Vec::new();
    for variant in variants {
        if variant.fields.is_empty() {
            arms.push(format!("{path}::{}", variant.name));
            continue;
        }
        // A tuple of at most 12 elements keeps the raw value printable and shrinkable.
        if parts.len() == 12 || variant.fields.len() > 12 {
            continue;
        }
        let Ok(fields) = variant
            .fields
            .iter()
            .map(|f| direct_plan(&f.ty, ctx, name))
            .collect::<Result<Vec<_>, _>>()
        else {
            continue;
        };
        let slot = parts.len();
        let values: Vec<String> = (0..fields.len())
            .map(|i| format!("raw.1.{slot}.{i}.clone()"))
            .collect();
        arms.push(if variant.named {
            let inits: Vec<String> = variant
                .fields
                .iter()
                .zip(&values)
                .map(|(f, v)| format!("{}: {v}", f.name.as_deref().unwrap_or("_")))
                .collect();
            format!("{path}::{} {{ {} }}", variant.name, inits.join(", "))
        } else {
            format!("{path}::{}({})", variant.name, values.join(", "))
        });
        parts.push(constructed(fields, String::new(), CtorReturn::Plain, false));
    }
    if arms.is_empty() {
        return None;
    }
    let count = arms.len();
    let last = arms.pop().expect("at least one arm");
    let mut matches: Vec<String> = arms
        .iter()
        .enumerate()
        .map(|(i, arm)| format!("{i} => {arm}"))
        .collect();
    matches.push(format!("_ => {last}"));
    let fields_ty = tuple_text(parts.iter().map(|p| p.raw_ty.clone()).collect());
    let fields_strategy = if parts.is_empty() {
        "abuse_runtime::prelude::Just(())".to_string()
    } else {
        tuple_text(parts.iter().map(|p| p.strategy.clone()).collect())
    };
    Some(ValuePlan {
        raw_ty: format!("(usize, {fields_ty})"),
        strategy: format!("(0usize..{count}, {fields_strategy})"),
        build: Build::Expr {
            template: format!(
                "{{ #[allow(unused_variables)] let raw = {{raw}}; match raw.0 {{ {} }} }}",
                matches.join(", ")
            ),
            returns: CtorReturn::Plain,
            by_ref: false,
        },
        pass: Pass::Value,
    })
}

/// One of the type's public constants, picked by index: known-valid values (an engine, a character set).
fn const_plan(def: &TypeDef, ctx: &Ctx) -> Option<ValuePlan> {
    let clone = def.derives.iter().any(|d| d == "Clone" || d == "Copy");
    let values: Vec<String> = def
        .consts
        .iter()
        .filter(|c| !c.by_ref || clone)
        .filter_map(|c| {
            let path = match ctx.reach {
                PlanReach::Public => c.public_path.clone()?,
                PlanReach::InCrate => format!("crate::{}", c.path),
            };
            Some(if c.by_ref {
                format!("::core::clone::Clone::clone({path})")
            } else {
                path
            })
        })
        .take(16)
        .collect();
    if values.is_empty() {
        return None;
    }
    let count = values.len();
    let mut arms: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{i} => {v}"))
        .collect();
    let last = arms.pop().expect("one constant at least");
    arms.push(format!(
        "_ => {}",
        last.split_once(" => ").map_or(last.as_str(), |(_, v)| v)
    ));
    Some(ValuePlan {
        raw_ty: "usize".into(),
        strategy: format!("0usize..{count}"),
        build: Build::Expr {
            template: format!("match {{raw}} {{ {} }}", arms.join(", ")),
            returns: CtorReturn::Plain,
            by_ref: false,
        },
        pass: Pass::Value,
    })
}

/// A value the runtime attacks directly, for a field or a constructor argument.
fn direct_plan(ty: &Ty, ctx: &Ctx, name: &str) -> Result<ValuePlan, String> {
    let ty = substitute(ty, ctx)?;
    if !is_direct(&ty) {
        return Err(format!(
            "`{}` is not directly supported",
            render_ty(&ty, ctx)
        ));
    }
    value_plan(&ty, ctx, name, 2)
}

/// A value built from a tuple of raw parts by `template` (over `{raw}`).
fn constructed(
    parts: Vec<ValuePlan>,
    template: String,
    returns: CtorReturn,
    by_ref: bool,
) -> ValuePlan {
    // The tuple of parts prints as Rust and shrinks like any tuple.
    let raw_ty = tuple_text(parts.iter().map(|p| p.raw_ty.clone()).collect());
    let strategy = if parts.is_empty() {
        "abuse_runtime::prelude::Just(())".to_string()
    } else {
        tuple_text(parts.iter().map(|p| p.strategy.clone()).collect())
    };
    ValuePlan {
        raw_ty,
        strategy,
        build: Build::Expr {
            template,
            returns,
            by_ref,
        },
        pass: Pass::Value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn prim(name: &str) -> Ty {
        Ty::Path {
            path: name.into(),
            args: vec![],
        }
    }

    fn tagged(name: &str, params: Vec<(&str, Ty)>, output: Option<Ty>) -> TaggedFn {
        TaggedFn {
            package: "demo".into(),
            crate_name: "demo".into(),
            in_lib: true,
            path: name.into(),
            module_path: vec![],
            name: name.into(),
            self_type: None,
            reach: Reach::Public {
                path: format!("demo::{name}"),
            },
            file: "src/lib.rs".into(),
            line: 1,
            column: 1,
            end_line: 1,
            cfg: None,
            signature: Signature {
                params: params
                    .into_iter()
                    .map(|(n, ty)| Param { name: n.into(), ty })
                    .collect(),
                output,
                ..Default::default()
            },
            record: Record::default(),
            fingerprint: "0".repeat(16),
            sign_fingerprint: "0".repeat(16),
            attribute: AttrSite::default(),
            signoff: SignoffState::None,
            harness: HarnessState::Missing,
            literals: Literals::default(),
            hidden_in_crate: None,
            documents_panics: false,
        }
    }

    fn package() -> Package {
        Package {
            name: "demo".into(),
            lib_crate: Some("demo".into()),
            ..Default::default()
        }
    }

    #[test]
    fn str_param_is_generated_as_string_and_lent_as_str() {
        let f = tagged(
            "parse",
            vec![(
                "s",
                Ty::Ref {
                    mutable: false,
                    inner: Box::new(prim("str")),
                },
            )],
            Some(prim("u16")),
        );
        let plan = plan_function(&f, &package()).expect("supported");
        assert_eq!(plan.input_type, "(String,)");
        assert!(
            plan.tests[0].body.contains("demo::parse(v0a.as_str())"),
            "{}",
            plan.tests[0].body
        );
    }

    #[test]
    fn impl_as_ref_str_becomes_string() {
        let f = tagged(
            "greet",
            vec![(
                "name",
                Ty::ImplTrait {
                    bounds: vec!["AsRef<str>".into()],
                },
            )],
            None,
        );
        let plan = plan_function(&f, &package()).expect("supported");
        assert_eq!(plan.input_type, "(String,)");
    }

    #[test]
    fn unknown_type_is_skipped_with_a_reason() {
        let f = tagged(
            "run",
            vec![(
                "cb",
                Ty::Other {
                    text: "fn(u8)".into(),
                },
            )],
            None,
        );
        let err = plan_function(&f, &package()).expect_err("unsupported");
        assert!(err.contains("strategy(...)"), "{err}");
    }

    #[test]
    fn receiver_is_built_with_a_fallible_constructor() {
        let mut f = tagged("len", vec![], Some(prim("usize")));
        f.self_type = Some("Port".into());
        f.signature.receiver = Some(Receiver::Ref);
        f.reach = Reach::Public {
            path: "demo::Port::len".into(),
        };
        let mut pkg = package();
        pkg.types.push(TypeDef {
            name: "Port".into(),
            path: "Port".into(),
            public_path: Some("demo::Port".into()),
            generics: vec![],
            derives: vec!["Debug".into()],
            shape: TypeShape::Struct {
                fields: vec![Field {
                    name: None,
                    ty: prim("u16"),
                    public: false,
                }],
            },
            constructors: vec![Constructor {
                name: "parse".into(),
                public: true,
                params: vec![Param {
                    name: "s".into(),
                    ty: Ty::Ref {
                        mutable: false,
                        inner: Box::new(prim("str")),
                    },
                }],
                returns: CtorReturn::Result,
                free_fn: None,
                examples: vec!["8080".into()],
            }],
            consts: vec![],
            hidden_in_crate: None,
        });
        let plan = plan_function(&f, &pkg).expect("supported");
        assert_eq!(plan.input_type, "((String,),)");
        let body = &plan.tests[0].body;
        assert!(body.contains("demo::Port::parse(raw.0.as_str())"), "{body}");
        assert!(body.contains("recv_a.len()"), "{body}");
        assert_eq!(plan.glob_use.as_deref(), Some("demo::*"));
        // The constructor's doc example joins the harness's hint strings.
        assert_eq!(plan.examples, ["8080"]);
    }

    fn str_ref() -> Ty {
        Ty::Ref {
            mutable: false,
            inner: Box::new(prim("str")),
        }
    }

    fn type_def(name: &str, shape: TypeShape) -> TypeDef {
        TypeDef {
            name: name.into(),
            path: name.into(),
            public_path: Some(format!("demo::{name}")),
            generics: vec![],
            derives: vec!["Debug".into(), "Clone".into()],
            shape,
            constructors: vec![],
            consts: vec![],
            hidden_in_crate: None,
        }
    }

    #[test]
    fn feature_gated_fn_harness_is_compiled_under_the_same_cfg() {
        let mut f = tagged("parse", vec![("s", str_ref())], Some(prim("u8")));
        f.cfg = Some("any(feature = \"std\", test) && unix".into());
        let plan = plan_function(&f, &package()).expect("supported");
        // The test target has `cfg(test)` where the library had not: `test` becomes the false `any()`.
        assert_eq!(
            plan.cfg.as_deref(),
            Some("all(any(feature = \"std\", any()), unix)")
        );
        assert!(!plan.fuzzable, "the fuzz crate has features of its own");
    }

    #[test]
    fn test_only_fn_is_skipped_with_a_reason() {
        let mut f = tagged("helper", vec![], None);
        f.cfg = Some("test".into());
        let err = plan_function(&f, &package()).expect_err("unreachable");
        assert!(err.contains("cfg(test)"), "{err}");
    }

    #[test]
    fn unit_and_field_enum_is_built_from_its_variants() {
        let mut f = tagged(
            "apply",
            vec![(
                "mode",
                Ty::Path {
                    path: "Mode".into(),
                    args: vec![],
                },
            )],
            None,
        );
        f.signature.text = "pub fn apply(mode: Mode)".into();
        let mut pkg = package();
        pkg.types.push(type_def(
            "Mode",
            TypeShape::Enum {
                variants: vec![
                    Variant {
                        name: "Off".into(),
                        fields: vec![],
                        named: false,
                    },
                    Variant {
                        name: "Level".into(),
                        fields: vec![Field {
                            name: None,
                            ty: prim("u8"),
                            public: true,
                        }],
                        named: false,
                    },
                ],
            },
        ));
        let plan = plan_function(&f, &pkg).expect("supported");
        assert_eq!(plan.input_type, "((usize, ((u8,),)),)");
        let body = &plan.tests[0].body;
        assert!(body.contains("0 => demo::Mode::Off"), "{body}");
        assert!(
            body.contains("_ => demo::Mode::Level(raw.1.0.0.clone())"),
            "{body}"
        );
    }

    #[test]
    fn into_iterator_of_str_borrows_a_vec_of_strings() {
        let mut f = tagged(
            "join",
            vec![(
                "words",
                Ty::Path {
                    path: "I".into(),
                    args: vec![],
                },
            )],
            Some(prim("String")),
        );
        f.signature.generics.push(Generic {
            name: "I".into(),
            kind: GenericKind::Type,
            bounds: vec!["IntoIterator<Item = &'a str>".into()],
        });
        let plan = plan_function(&f, &package()).expect("supported");
        assert_eq!(plan.input_type, "(Vec<String>,)");
        let body = &plan.tests[0].body;
        assert!(
            body.contains("r0.iter().map(|x| x.as_str()).collect::<Vec<_>>()"),
            "{body}"
        );
        assert!(body.contains("demo::join::<Vec<&str>>(v0a)"), "{body}");
    }

    #[test]
    fn static_reference_is_leaked() {
        let mut f = tagged("encode", vec![("table", str_ref())], None);
        f.signature.text = "pub fn encode(table: &'static str)".into();
        let plan = plan_function(&f, &package()).expect("supported");
        assert!(
            plan.tests[0]
                .body
                .contains("demo::encode(&*Box::leak(Box::new(v0a)))"),
            "{}",
            plan.tests[0].body
        );
    }

    #[test]
    fn receiver_without_constructor_is_one_of_its_public_constants() {
        let mut f = tagged("add", vec![("byte", prim("u8"))], Some(prim("Self")));
        f.self_type = Some("Set".into());
        f.signature.receiver = Some(Receiver::Ref);
        f.reach = Reach::Public {
            path: "demo::Set::add".into(),
        };
        let mut pkg = package();
        let mut set = type_def("Set", TypeShape::Struct { fields: vec![] });
        set.consts = vec![
            ConstValue {
                path: "Set::EMPTY".into(),
                public_path: Some("demo::Set::EMPTY".into()),
                by_ref: false,
            },
            ConstValue {
                path: "CONTROLS".into(),
                public_path: Some("demo::CONTROLS".into()),
                by_ref: true,
            },
        ];
        pkg.types.push(set);
        let plan = plan_function(&f, &pkg).expect("supported");
        assert_eq!(plan.input_type, "(usize, u8)");
        let body = &plan.tests[0].body;
        assert!(body.contains("0 => demo::Set::EMPTY"), "{body}");
        assert!(
            body.contains("_ => ::core::clone::Clone::clone(demo::CONTROLS)"),
            "{body}"
        );
    }

    #[test]
    fn free_function_constructor_borrows_its_raw_input() {
        let mut f = tagged("decode_utf8", vec![], Some(prim("String")));
        f.self_type = Some("Decode".into());
        f.signature.receiver = Some(Receiver::Value);
        f.reach = Reach::Public {
            path: "demo::Decode::decode_utf8".into(),
        };
        let mut pkg = package();
        let mut decode = type_def("Decode", TypeShape::Struct { fields: vec![] });
        decode.constructors.push(Constructor {
            name: "percent_decode".into(),
            public: true,
            params: vec![Param {
                name: "input".into(),
                ty: Ty::Ref {
                    mutable: false,
                    inner: Box::new(Ty::Slice {
                        elem: Box::new(prim("u8")),
                    }),
                },
            }],
            returns: CtorReturn::Plain,
            examples: vec![],
            free_fn: Some(FreeFnPath {
                path: "percent_decode".into(),
                public_path: Some("demo::percent_decode".into()),
            }),
        });
        pkg.types.push(decode);
        let plan = plan_function(&f, &pkg).expect("supported");
        let body = &plan.tests[0].body;
        // In place, not a clone dropped at the end of the set-up: the value keeps the borrow.
        assert!(body.contains("let raw = &r0;"), "{body}");
        assert!(
            body.contains("demo::percent_decode(raw.0.as_slice())"),
            "{body}"
        );
    }

    #[test]
    fn fn_hidden_from_the_crate_root_is_skipped() {
        let mut f = tagged("width", vec![("c", prim("char"))], Some(prim("usize")));
        f.reach = Reach::CratePrivate {
            path: "crate::tables::gen::width".into(),
        };
        f.hidden_in_crate = Some("module `tables::gen` is private".into());
        let err = plan_function(&f, &package()).expect_err("hidden");
        assert!(err.contains("module `tables::gen` is private"), "{err}");
    }

    #[test]
    fn array_with_a_named_length_is_not_generated() {
        let f = tagged(
            "load",
            vec![(
                "table",
                Ty::Array {
                    elem: Box::new(prim("u8")),
                    len: "TABLE_LEN".into(),
                },
            )],
            None,
        );
        assert!(plan_function(&f, &package()).is_err());
        let g = tagged(
            "load",
            vec![(
                "table",
                Ty::Array {
                    elem: Box::new(prim("u8")),
                    len: "64".into(),
                },
            )],
            None,
        );
        assert_eq!(
            plan_function(&g, &package()).expect("literal").input_type,
            "([u8; 64],)"
        );
    }

    #[test]
    fn lifetimes_are_stripped_from_bounds() {
        assert_eq!(
            strip_lifetimes("IntoIterator<Item = &'a str>"),
            "IntoIterator<Item = &str>"
        );
        assert_eq!(strip_lifetimes("'static"), "");
        assert_eq!(
            replace_test_predicate("any(test, feature = \"test\")"),
            "any(any(), feature = \"test\")"
        );
    }
}
