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
    /// One test per property.
    pub tests: Vec<TestPlan>,
    /// Whether every input implements `arbitrary::Arbitrary` (no user strategy), so a fuzz target can exist.
    pub fuzzable: bool,
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
    },
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
    /// `demo` or `crate`.
    root: String,
    /// Generic name → concrete type.
    generics: Vec<(String, Ty)>,
}

/// Plans the harness of one function, or says why there can be none and what the user can do.
pub fn plan_function(function: &TaggedFn, package: &Package) -> Result<FnPlan, String> {
    let sig = &function.signature;
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
    let root = match reach {
        PlanReach::Public => package
            .lib_crate
            .clone()
            .unwrap_or_else(|| package.name.replace('-', "_")),
        PlanReach::InCrate => "crate".to_string(),
    };
    let mut ctx = Ctx {
        function,
        package,
        reach,
        root,
        generics: Vec::new(),
    };
    ctx.generics = concrete_generics(&ctx)?;

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
        tuple_text(values.iter().map(|v| v.strategy.clone()).collect())
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

    Ok(FnPlan {
        reach,
        display_path: format!("{}::{}", function.crate_name, function.path),
        glob_use: glob_use(&ctx),
        fuzzable: !input_type.contains("abuse_runtime::Opaque"),
        input_type,
        input_doc,
        strategy,
        tests,
    })
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
        let raw = format!("r{i}.clone()");
        let expr = match &value.build {
            Build::Same => raw,
            Build::Unwrap => format!("{raw}.into_inner()"),
            Build::Expr { template, returns } => {
                let call = template.replace("{raw}", &raw);
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
fn turbofish(ctx: &Ctx) -> String {
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
    let normalized: Vec<String> = bounds.iter().map(|b| b.replace(' ', "")).collect();
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
    for bound in &normalized {
        if let Some(item) = bound
            .strip_prefix("IntoIterator<Item=")
            .and_then(|s| s.strip_suffix('>'))
        {
            if is_primitive(item) || item == "String" {
                return Some(path_ty("Vec", vec![path_ty(item, vec![])]));
            }
        }
    }
    if normalized.is_empty() || only_markers {
        return Some(path_ty("i64", vec![]));
    }
    // A trait the crate implements for one of its own constructible types.
    if normalized.len() == 1 {
        let trait_name = normalized[0]
            .rsplit("::")
            .next()
            .unwrap_or(&normalized[0])
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
    let ty = substitute(ty, ctx)?;
    let Ty::Ref { mutable, inner } = &ty else {
        return value_plan(&ty, ctx, name, 0);
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
    let plan = value_plan(&owned, ctx, name, 0)?;
    Ok(ValuePlan { pass, ..plan })
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
        Ty::Array { elem, .. } => is_direct(elem),
        Ty::Tuple { elems } => elems.len() <= 8 && elems.iter().all(is_direct),
        _ => false,
    }
}

/// Renders a (substituted) type so that it names the same type from the harness.
fn render_ty(ty: &Ty, ctx: &Ctx) -> String {
    match ty {
        Ty::Path { path, args } => {
            let name = last_segment(path);
            let base = if is_primitive(name) || path == "str" {
                name.to_string()
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
    // Two types of the same name in different modules: too ambiguous to guess.
    if matches.next().is_some() {
        return None;
    }
    Some(first)
}

/// The path that names a crate type from the harness.
fn type_path(def: &TypeDef, ctx: &Ctx) -> Result<String, String> {
    match ctx.reach {
        PlanReach::Public => def.public_path.clone().ok_or_else(|| {
            format!("type `{}` is not reachable from outside the crate; make it public or give `strategy(...)`", def.name)
        }),
        PlanReach::InCrate => Ok(format!("crate::{}", def.path)),
    }
}

fn hints(param: &str) -> String {
    format!("&hints({param:?})")
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
            if !args.is_empty() || !def.generics.is_empty() {
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
        if fields
            .iter()
            .all(|f| f.public || ctx.reach == PlanReach::InCrate)
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
                ));
            }
        }
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
                param_plan(&p.ty, ctx, &p.name).and_then(|v| {
                    if v.build == Build::Same {
                        Ok(v)
                    } else {
                        Err("nested".into())
                    }
                })
            })
            .collect();
        match parts {
            Ok(parts) => {
                let args: Vec<String> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| p.pass.apply(&format!("raw.{i}")))
                    .collect();
                let call = format!(
                    "{{ let mut raw = {{raw}}; {path}::{}({}) }}",
                    ctor.name,
                    args.join(", ")
                );
                return Ok(constructed(parts, call, ctor.returns));
            }
            Err(e) => why.push(format!("`{}::{}`: {e}", def.name, ctor.name)),
        }
    }
    if derives("Default") {
        return Ok(ValuePlan {
            raw_ty: "()".into(),
            strategy: "abuse_runtime::prelude::Just(())".into(),
            build: Build::Expr {
                template: format!("{{ let () = {{raw}}; <{path} as Default>::default() }}"),
                returns: CtorReturn::Plain,
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
fn constructed(parts: Vec<ValuePlan>, template: String, returns: CtorReturn) -> ValuePlan {
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
        build: Build::Expr { template, returns },
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
            }],
        });
        let plan = plan_function(&f, &pkg).expect("supported");
        assert_eq!(plan.input_type, "((String,),)");
        let body = &plan.tests[0].body;
        assert!(body.contains("demo::Port::parse(raw.0.as_str())"), "{body}");
        assert!(body.contains("recv_a.len()"), "{body}");
        assert_eq!(plan.glob_use.as_deref(), Some("demo::*"));
    }
}
