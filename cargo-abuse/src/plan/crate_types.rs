//! The crate's own types: a value is built, in this order, from `arbitrary::Arbitrary`, from public fields,
//! from an enum's variants, from a public constructor (its arguments planned in turn, its doc examples drawn
//! half the time), from one of the type's public constants, from `Default`; else the reason lists what was tried.

use crate::model::{
    Constructor, CtorReturn, Factory, Generic, GenericKind, Receiver, Ty, TypeDef, TypeShape,
};

use super::function::tuple_text;
use super::generics::{constructor_generics, replace_generics};
use super::values::{
    field_plan, last_segment, param_plan_at, render_ty, unwrap_built, value_plan, Build, Pass,
    ValuePlan,
};
use super::{Ctx, PlanReach};

pub(super) fn type_base_name(self_type: &str) -> &str {
    let base = self_type.split('<').next().unwrap_or(self_type).trim();
    last_segment(base)
}

/// The crate type a name (`MatchKind`) or a path (`noncontiguous::NFA`, `crate::util::Span`) written in the
/// function's module denotes.
pub(super) fn find_type<'a>(ctx: &'a Ctx, name: &str) -> Option<&'a TypeDef> {
    // `super::Either` names the type at that path exactly (either's `serde_untagged` has a private `Either` of
    // its own).
    if let Some(path) = crate_relative(name, &ctx.function.module_path) {
        return ctx.package.types.iter().find(|t| t.path == path);
    }
    let written = name.strip_prefix("crate::").unwrap_or(name);
    let name = last_segment(written);
    let mut matches = ctx.package.types.iter().filter(|t| {
        t.name == name
            && (written == name || t.path == written || t.path.ends_with(&format!("::{written}")))
    });
    let first = matches.next()?;
    if matches.next().is_none() {
        return Some(first);
    }
    // Two types of the same name in different modules (aho-corasick's two `MatchKind`s): the one the
    // function's module imports by that name, else the one in its own module (where the name resolves, as
    // for `Self`), else too ambiguous to guess.
    if written == name {
        if let Some(imported) = ctx
            .function
            .uses
            .iter()
            .find(|u| u.name == name)
            .and_then(|u| u.path.strip_prefix("crate::"))
        {
            let public = format!("{}::{imported}", ctx.function.crate_name);
            if let Some(def) = ctx.package.types.iter().find(|t| {
                t.name == name && (t.path == imported || t.public_path.as_deref() == Some(&public))
            }) {
                return Some(def);
            }
        }
    }
    let module = ctx.function.module_path.join("::");
    let here = if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    };
    ctx.package.types.iter().find(|t| t.path == here)
}

/// A path written relative to the function's module (`super::Either` in `serde_untagged`, `self::Kind`) as a
/// path from the crate root (`Either`); `None` for any other path.
fn crate_relative(name: &str, module_path: &[String]) -> Option<String> {
    let mut module = module_path.to_vec();
    let mut rest = name;
    let mut relative = false;
    loop {
        if let Some(r) = rest.strip_prefix("super::") {
            module.pop()?;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("self::") {
            rest = r;
        } else {
            break;
        }
        relative = true;
    }
    relative.then(|| {
        module.push(rest.to_string());
        module.join("::")
    })
}

/// The path that names a crate type from the harness.
pub(super) fn type_path(def: &TypeDef, ctx: &Ctx) -> Result<String, String> {
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

/// A value of the crate's own type: `Arbitrary`, then public fields, then public constructors, then `Default`.
pub(super) fn crate_type_plan(
    def: &TypeDef,
    ctx: &Ctx,
    name: &str,
    depth: u32,
) -> Result<ValuePlan, String> {
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
            if let Ok((parts, lends)) = fields
                .iter()
                .map(|f| field_plan(&f.ty, ctx, name))
                .collect::<Result<(Vec<_>, Vec<_>), _>>()
            {
                let named = fields.iter().all(|f| f.name.is_some());
                let inits: Vec<String> = fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let value = lends[i].replace("{v}", &format!("raw.{i}"));
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
        // `new_unchecked` and the like skip the validation the type's invariants rely on: a value built
        // from attacked input through one is an absurd value, and a failure it causes is the harness's.
        .filter(|c| !c.name.ends_with("_unchecked"))
        .collect();
    // Fewer parameters first: every attacked argument more is another way to reject the input. Then a trait's
    // constructor (`FromStr::from_str`) after the type's own (`Version::parse`), which carries the doc examples.
    ctors.sort_by_key(|c| {
        (
            c.params.is_empty(),
            c.returns != CtorReturn::Plain,
            c.params.len(),
            c.via_trait.is_some(),
            c.name.clone(),
        )
    });
    let mut why = Vec::new();
    // Its own: neither a method of another type nor a function that builds it only by failing.
    let own = |c: &&&Constructor| c.factory.is_none() && c.returns != CtorReturn::Err;
    for ctor in ctors.iter().filter(own) {
        match ctor_plan(def, ctx, &path, ctor, depth) {
            Ok(plan) => return Ok(plan),
            Err(e) => why.push(e),
        }
    }
    if let Some(plan) = const_plan(def, ctx) {
        return Ok(plan);
    }
    // Derived, or implemented by hand (quoted_printable's `Options`, built only by `default()` and its
    // `self -> Self` setters).
    let implements_default = derives("Default")
        || (def.generics.is_empty()
            && ctx
                .package
                .trait_impls
                .iter()
                .any(|i| i.trait_name == "Default" && i.type_name == def.name));
    if implements_default {
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
    // A method of another buildable type that returns this one, when nothing of the type's own builds it; then
    // a function that fails with it (an error type with accessors and no constructor: `SmallIndex::new`'s `Err`
    // is a `SmallIndexError`).
    let (failing, factories): (Vec<_>, Vec<_>) = ctors
        .iter()
        .filter(|c| !own(c))
        .partition(|c| c.returns == CtorReturn::Err);
    for ctor in factories.into_iter().chain(failing) {
        match ctor_plan(def, ctx, &path, ctor, depth) {
            Ok(plan) => return Ok(plan),
            Err(e) => why.push(e),
        }
    }
    // The payload of a variant of another buildable enum (linked-hash-map's `OccupiedEntry`, held by
    // `Entry::Occupied`, which `LinkedHashMap::entry` returns): built, matched, the other variants rejected.
    match variant_payload_plan(def, ctx, depth) {
        Some(Ok(plan)) => return Ok(plan),
        Some(Err(e)) => why.push(e),
        None => {}
    }
    // Constructors the crate keeps to itself (`pub(crate) fn build(&self) -> Option<Prefilter>` of a public
    // `Prefilter`): the harness outside the crate cannot call them, whatever it derives.
    let hidden: Vec<String> = def
        .constructors
        .iter()
        .filter(|c| !c.public && ctx.reach == PlanReach::Public)
        .map(|c| ctor_name(def, c))
        .collect();
    if why.is_empty() && !hidden.is_empty() {
        return Err(format!(
            "cannot build a `{}` from outside the crate: its only constructors ({}) are not public API (`pub(crate)`, private or `#[doc(hidden)]`); make one `pub` \
             or give `strategy(...)`",
            def.name,
            hidden.join(", ")
        ));
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

/// A value of `def` built by one of its constructors (or a factory method of another type): its arguments
/// planned in turn, borrowed ones leaked when the value may keep them. The error names the constructor.
fn ctor_plan(
    def: &TypeDef,
    ctx: &Ctx,
    path: &str,
    ctor: &Constructor,
    depth: u32,
) -> Result<ValuePlan, String> {
    let named = |e: String| format!("{}: {e}", ctor_name(def, ctor));
    // Its own type parameters get a type each, as the function's do (those the built type keeps: the type
    // chosen for it); a `&'static` argument is leaked.
    let pinned = kept_by_built_type(def, ctx, ctor);
    let rest: Vec<Generic> = ctor
        .generics
        .iter()
        .filter(|g| !pinned.iter().any(|(n, _)| *n == g.name))
        .cloned()
        .collect();
    let outer = ctor
        .factory
        .as_ref()
        .map_or(&[][..], |f| f.owner_generics.as_slice());
    let mut chosen = pinned;
    chosen.extend(constructor_generics(&rest, outer, ctx).map_err(named)?);
    // A factory's first part is the value it is called on.
    let owner = match &ctor.factory {
        Some(factory) => Some(factory_owner(def, ctx, ctor, factory, depth).map_err(named)?),
        None => None,
    };
    let params = ctor
        .params
        .iter()
        .map(|p| {
            let ty = replace_generics(&p.ty, &chosen);
            let leaked = |v: ValuePlan| match v.pass {
                Pass::Ref | Pass::Str | Pass::Slice | Pass::Path | Pass::OsStr
                    if ctor.static_params.contains(&p.name) =>
                {
                    ValuePlan {
                        pass: Pass::Leak,
                        ..v
                    }
                }
                _ => v,
            };
            param_plan_at(&ty, ctx, &p.name, depth + 1)
                .map(leaked)
                .and_then(|v| match &v.build {
                    Build::Expr { by_ref: true, .. } => {
                        Err("an argument built by a constructor that borrows its own input".into())
                    }
                    _ => Ok(v),
                })
        })
        .collect::<Result<Vec<ValuePlan>, String>>()
        .map_err(named)?;
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
    // Its integer arguments that name a size (`with_capacity(capacity)`) are drawn up to a bound:
    // the value is set-up, and an attacked capacity would allocate gigabytes before the call under
    // test (abuse_runtime::setup_size; the constructor's own harness keeps the full range). Its
    // strings, bytes and collections are cut to a few KiB likewise (abuse_runtime::setup_input):
    // `AhoCorasick::new` on 800 KB of patterns is seconds and a gigabyte of set-up per case.
    let params: Vec<ValuePlan> = params
        .into_iter()
        .zip(&ctor.params)
        .map(|(mut p, param)| {
            if is_setup_size(&p, &param.name) {
                p.strategy = format!("abuse_runtime::setup_size({})", p.strategy);
            }
            if !ctor.examples.is_empty()
                && p.raw_ty == "String"
                && p.strategy.starts_with("abuse_runtime::attack::<String>")
            {
                p.strategy = format!(
                    "abuse_runtime::or_examples(&{:?}, {})",
                    ctor.examples, p.strategy
                );
            }
            if is_setup_input(&p) {
                p.strategy = format!("abuse_runtime::setup_input({})", p.strategy);
            }
            p
        })
        .collect();
    let (callee, parts) = match owner {
        Some((callee, owner)) => (
            callee,
            std::iter::once(owner).chain(params).collect::<Vec<_>>(),
        ),
        None => (ctor_callee(ctor, ctx, path).map_err(named)?, params),
    };
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
            (Build::Same, Pass::Value | Pass::Leak) => p.pass.apply(&format!("raw.{i}.clone()")),
            (Build::Same, Pass::RefMut | Pass::MutSlice) => {
                leak(p.pass, format!("raw.{i}.clone()"))
            }
            (Build::Same, _) => p.pass.apply(&format!("raw.{i}")),
            (Build::Unwrap, _) => leak(p.pass, format!("raw.{i}.clone().into_inner()")),
            // A value of another crate type, built by its own constructor inside this set-up:
            // its rejection is a panic, which `setup` turns into a rejected case.
            (
                Build::Expr {
                    template, returns, ..
                },
                _,
            ) => {
                let inner = template.replace("{raw}", &format!("raw.{i}.clone()"));
                leak(p.pass, unwrap_built(inner, *returns))
            }
            // `raw` is a borrow of the input tuple, which outlives the test body.
            (Build::Borrow { template }, _) => {
                leak(p.pass, template.replace("{raw}", &format!("raw.{i}")))
            }
        })
        .collect();
    let call = format!(
        "{{ #[allow(unused_variables)] let raw = &{{raw}}; {callee}({}) }}",
        args.join(", ")
    );
    Ok(constructed(parts, call, ctor.returns, true))
}

/// The path a constructor is called by: `Type::name`, `<Type as Trait>::name`, or a free function's path.
fn ctor_callee(ctor: &Constructor, ctx: &Ctx, path: &str) -> Result<String, String> {
    Ok(match (&ctor.free_fn, &ctor.via_trait) {
        (None, Some(tr)) => format!("<{path} as {tr}>::{}", ctor.name),
        (None, None) => format!("{path}::{}", ctor.name),
        (Some(free), _) => match ctx.reach {
            PlanReach::Public => free
                .public_path
                .clone()
                .ok_or_else(|| format!("`{}` is not public", free.path))?,
            PlanReach::InCrate => format!("crate::{}", free.path),
        },
    })
}

/// A factory's own type parameters that the type it builds keeps as arguments (smallvec's `drain_filter<F>(&mut
/// self, filter: F) -> DrainFilter<'_, A, F>`), each with the type chosen for the built type's parameter at that
/// position (`DrainFilter`'s `F`): the value built then has the type the plan names for it (the receiver's
/// annotation), where a type chosen from the factory's bounds alone could differ.
fn kept_by_built_type(def: &TypeDef, ctx: &Ctx, ctor: &Constructor) -> Vec<(String, Ty)> {
    let Some(factory) = &ctor.factory else {
        return Vec::new();
    };
    let own = def.generics.iter().filter(|g| g.kind == GenericKind::Type);
    factory
        .returns_args
        .iter()
        .zip(own)
        .filter_map(|(arg, param)| {
            let Ty::Path { path, args } = arg else {
                return None;
            };
            let mine = ctor
                .generics
                .iter()
                .any(|g| g.kind == GenericKind::Type && g.name == *path);
            if !args.is_empty() || !mine {
                return None;
            }
            let (_, ty) = ctx.generics.iter().find(|(n, _)| *n == param.name)?;
            // A closure's own type cannot be repeated: the factory's argument would be another closure.
            (!super::closures::is_closure(ty)).then(|| (path.clone(), ty.clone()))
        })
        .collect()
}

/// A factory method's callee (`<smallvec::SmallVec<[i64; 8]> as IntoIterator>::into_iter`) and the plan of
/// the value it is called on: the impl's self type with the type arguments `def`'s own parameters were given
/// (`IntoIter<A>` from `SmallVec<A>`: the same `A`), the impl's other parameters chosen from their bounds.
/// A receiver taken by reference is leaked, so the value built may keep the borrow (`Encoder<'a>`).
fn factory_owner(
    def: &TypeDef,
    ctx: &Ctx,
    ctor: &Constructor,
    factory: &Factory,
    depth: u32,
) -> Result<(String, ValuePlan), String> {
    let own = type_param_names(def);
    let mut chosen: Vec<(String, Ty)> = Vec::new();
    for (arg, param) in factory.returns_args.iter().zip(&own) {
        let Ty::Path { path, args } = arg else {
            continue;
        };
        let impl_param = factory
            .owner_generics
            .iter()
            .any(|g| g.kind == GenericKind::Type && g.name == *path);
        if !args.is_empty() || !impl_param {
            continue;
        }
        let Some((_, ty)) = ctx.generics.iter().find(|(n, _)| n == param) else {
            return Err(format!("no type chosen for `{param}`"));
        };
        chosen.push((path.clone(), ty.clone()));
    }
    let rest: Vec<Generic> = factory
        .owner_generics
        .iter()
        .filter(|g| !chosen.iter().any(|(n, _)| *n == g.name))
        .cloned()
        .collect();
    chosen.extend(constructor_generics(&rest, &ctor.generics, ctx)?);
    let owner_ty = replace_generics(&factory.owner, &chosen);
    let Ty::Path {
        path: owner_path,
        args: owner_args,
    } = &owner_ty
    else {
        return Err("the impl's self type is not a path".into());
    };
    let owner_def = find_type(ctx, last_segment(owner_path)).ok_or_else(|| {
        format!(
            "`{}` is not a type of this crate",
            render_owner(&factory.owner)
        )
    })?;
    // The owner's parameters, as its own declaration names them, bound to the arguments chosen for it.
    let owner_params = type_param_names(owner_def);
    let owner_ctx = ctx.with_generics(
        owner_params
            .iter()
            .zip(owner_args)
            .map(|(n, t)| ((*n).to_string(), t.clone()))
            .collect(),
    );
    let plan = value_plan(&owner_ty, &owner_ctx, "self", depth + 1)?;
    ctx.examples.borrow_mut().extend(owner_ctx.examples.take());
    let pass = match factory.receiver {
        Receiver::RefMut => Pass::RefMut,
        Receiver::Value => Pass::Value,
        _ => Pass::Leak,
    };
    let owner_text = render_ty(&owner_ty, &owner_ctx);
    let callee = match &ctor.via_trait {
        Some(tr) => format!("<{owner_text} as {tr}>::{}", ctor.name),
        None => format!("<{owner_text}>::{}", ctor.name),
    };
    Ok((callee, ValuePlan { pass, ..plan }))
}
/// A value of `def` as the one field of a variant of another enum of the crate (`Entry::Occupied(OccupiedEntry<'a,
/// K, V, S>)`): the enum built as any value, its type arguments those chosen for `def`'s parameters at the
/// field's positions, then matched; a case that draws another variant is rejected. `None` when no enum holds it.
fn variant_payload_plan(def: &TypeDef, ctx: &Ctx, depth: u32) -> Option<Result<ValuePlan, String>> {
    let holds = |ty: &Ty| matches!(ty, Ty::Path { path, .. } if last_segment(path) == def.name);
    let (holder, variant, field_ty) = ctx.package.types.iter().find_map(|t| {
        let TypeShape::Enum { variants } = &t.shape else {
            return None;
        };
        variants.iter().find_map(|v| match v.fields.as_slice() {
            [field] if !v.named && holds(&field.ty) && t.name != def.name => {
                Some((t, v, &field.ty))
            }
            _ => None,
        })
    })?;
    Some((|| {
        let holder_path = type_path(holder, ctx)?;
        // `Entry<K, V, S>`'s parameters from `OccupiedEntry<K, V, S>`'s: by position in the field's type.
        let own = type_param_names(def);
        let Ty::Path { args, .. } = field_ty else {
            return Err("the variant's field is not a path".to_string());
        };
        let mut holder_args = Vec::new();
        for g in holder
            .generics
            .iter()
            .filter(|g| g.kind == GenericKind::Type)
        {
            let at = args
                .iter()
                .position(
                    |a| matches!(a, Ty::Path { path, args } if args.is_empty() && *path == g.name),
                )
                .ok_or_else(|| {
                    format!(
                        "`{}`'s `{}` is not a parameter of `{}`",
                        holder.name, g.name, def.name
                    )
                })?;
            let param = own
                .get(at)
                .ok_or_else(|| format!("no parameter of `{}` at {at}", def.name))?;
            let (_, ty) = ctx
                .generics
                .iter()
                .find(|(n, _)| n == param)
                .ok_or_else(|| format!("no type chosen for `{param}`"))?;
            holder_args.push((g.name.clone(), ty.clone()));
        }
        let holder_ty = Ty::Path {
            path: holder.name.clone(),
            args: holder_args.iter().map(|(_, t)| t.clone()).collect(),
        };
        let holder_ctx = ctx.with_generics(holder_args);
        // At the payload's own depth: the match unwraps the value, it is not another argument to build.
        let plan = value_plan(&holder_ty, &holder_ctx, "self", depth)
            .map_err(|e| format!("`{}::{}`: {e}", holder.name, variant.name))?;
        ctx.examples.borrow_mut().extend(holder_ctx.examples.take());
        // The match keeps how the enum's expression uses `{raw}` (a clone, or the raw value it may borrow).
        let (value, by_ref) = match &plan.build {
            Build::Same => ("{raw}".to_string(), false),
            Build::Expr {
                template,
                returns,
                by_ref,
            } => (unwrap_built(template.clone(), *returns), *by_ref),
            _ => return Err(format!("`{}` is built by borrowing its input", holder.name)),
        };
        Ok(ValuePlan {
            build: Build::Expr {
                template: format!(
                    "match {value} {{ {holder_path}::{}(v) => Some(v), _ => None }}",
                    variant.name
                ),
                returns: CtorReturn::Option,
                by_ref,
            },
            pass: Pass::Value,
            ..plan
        })
    })())
}

/// The names of a type's type parameters, in order (`["K", "V", "S"]` of `Entry<'a, K, V, S>`).
fn type_param_names(def: &TypeDef) -> Vec<&str> {
    def.generics
        .iter()
        .filter(|g| g.kind == GenericKind::Type)
        .map(|g| g.name.as_str())
        .collect()
}

/// A constructor as a message names it: `` `Version::parse` ``, `` `Encoding::new_encoder` `` (a factory), a free
/// function's or another type's associated function's path.
fn ctor_name(def: &TypeDef, ctor: &Constructor) -> String {
    match (&ctor.factory, &ctor.free_fn) {
        (Some(f), _) => format!("`{}::{}`", render_owner(&f.owner), ctor.name),
        (None, Some(free)) => format!("`{}`", free.path),
        (None, None) => format!("`{}::{}`", def.name, ctor.name),
    }
}

/// A factory's owner type as a message names it (`SmallVec<A>`).
fn render_owner(ty: &Ty) -> String {
    match ty {
        Ty::Path { path, args } if args.is_empty() => last_segment(path).to_string(),
        Ty::Path { path, args } => format!(
            "{}<{}>",
            last_segment(path),
            args.iter().map(render_owner).collect::<Vec<_>>().join(", ")
        ),
        _ => "Self".into(),
    }
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
        let Ok((fields, lends)) = variant
            .fields
            .iter()
            .map(|f| field_plan(&f.ty, ctx, name))
            .collect::<Result<(Vec<_>, Vec<String>), _>>()
        else {
            continue;
        };
        let slot = parts.len();
        let values: Vec<String> = lends
            .iter()
            .enumerate()
            .map(|(i, lend)| lend.replace("{v}", &format!("raw.1.{slot}.{i}.clone()")))
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

/// Whether a constructor argument is a size of the value it builds: an integer attacked directly whose name is
/// a capacity, length or count (`capacity`, `len`, `n`, `rows`...), split at `_` like the runtime's hints.
pub(super) fn is_setup_size(part: &ValuePlan, name: &str) -> bool {
    const WORDS: &[&str] = &[
        "cap",
        "capacity",
        "len",
        "length",
        "size",
        "count",
        "n",
        "num",
        "rows",
        "cols",
        "columns",
        "slots",
        "buckets",
        "entries",
        "items",
        "elements",
        "additional",
        // A count of bits or bytes (`FixedBitSet::with_capacity(bits)`, `BitVec::from_elem(nbits, _)`).
        "bits",
        "nbits",
        "bytes",
        "nbytes",
    ];
    let integer = super::values::is_integer(&part.raw_ty);
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    integer
        && matches!(part.build, Build::Same)
        && part.strategy.starts_with("abuse_runtime::attack::<")
        && (WORDS.contains(&lower.as_str()) || lower.split('_').any(|w| WORDS.contains(&w)))
}

/// Whether a constructor argument is an input that can be big (a string, bytes, a collection) attacked directly:
/// drawn through `abuse_runtime::setup_input` when the value is set-up. Integers, floats, chars and bools are
/// small; a `Just` has nothing to cut.
pub(super) fn is_setup_input(part: &ValuePlan) -> bool {
    const SMALL: &[&str] = &["bool", "char", "f32", "f64", "()"];
    matches!(part.build, Build::Same)
        && !super::values::is_integer(&part.raw_ty)
        && !SMALL.contains(&part.raw_ty.as_str())
        && (part.strategy.starts_with("abuse_runtime::attack::<")
            || part.strategy.starts_with("abuse_runtime::or_examples("))
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
