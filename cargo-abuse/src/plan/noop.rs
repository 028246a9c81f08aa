//! Do-nothing implementors of crate traits (through `generics` and `values`): a type parameter bounded by a
//! trait the crate defines and implements for no type the harness can build (utf8parse's `R: Receiver`,
//! lazy_static's `T: LazyStatic`) gets a unit struct the harness defines, `AbuseNoopReceiver`, whose methods
//! do nothing. Discovery offers one only for traits whose required methods return nothing, so the
//! implementor cannot steer the function (see `discover::traits`).

use crate::model::{
    CtorReturn, TraitDef, Ty, AUTO_MARKERS as AUTO, DERIVABLE_STD_TRAITS as DERIVED,
};

use super::generics::path_ty;
use super::values::{Build, Pass, ValuePlan};
use super::{Ctx, PlanReach};

/// What a do-nothing implementor's name starts with; the trait's name follows.
const PREFIX: &str = "AbuseNoop";

/// The implementor for bounds (normalized: no spaces) naming exactly one crate trait that has a do-nothing
/// implementor the harness can name, besides std traits the implementor derives.
pub(super) fn for_bounds(bounds: &[String], ctx: &Ctx) -> Option<Ty> {
    let mut chosen: Option<&TraitDef> = None;
    for bound in bounds {
        let name = bound.rsplit("::").next().unwrap_or(bound);
        if DERIVED.contains(&name) || AUTO.contains(&name) {
            continue;
        }
        let def = noop_trait(bound, ctx)?;
        if chosen.is_some_and(|c| c.path != def.path) {
            return None;
        }
        chosen = Some(def);
    }
    chosen.map(|def| path_ty(&format!("{PREFIX}{}", def.name), vec![]))
}

/// The crate trait a bound names (bare, `crate::`-relative or by its public path); none when two traits of the
/// crate have that name (which one the bound means is not known here).
fn crate_trait<'a>(bound: &str, ctx: &Ctx<'a>) -> Option<&'a TraitDef> {
    let bound = bound.trim();
    let bare = bound.trim_start_matches("crate::");
    let mut same_name =
        ctx.package.traits.iter().filter(|t| {
            bare == t.name || bare == t.path || t.public_path.as_deref() == Some(bound)
        });
    let def = same_name.next()?;
    same_name.next().is_none().then_some(def)
}

/// The crate trait a bound names, if it has a do-nothing implementor the harness can name.
fn noop_trait<'a>(bound: &str, ctx: &Ctx<'a>) -> Option<&'a TraitDef> {
    crate_trait(bound, ctx).filter(|def| def.noop.is_ok() && trait_path(def, ctx).is_some())
}

/// Why bounds naming a crate trait that nothing in the crate implements get no do-nothing implementor either
/// (`` nothing in the crate implements `Source`, and no do-nothing one is written: `next` returns a value, … ``).
pub(super) fn why_none(bounds: &[String], ctx: &Ctx) -> Option<String> {
    bounds.iter().find_map(|bound| {
        let def = crate_trait(bound, ctx)?;
        let why = def.noop.as_ref().err()?;
        let implemented = ctx
            .package
            .trait_impls
            .iter()
            .any(|i| i.trait_name == def.name);
        (!implemented).then(|| {
            format!(
                "nothing in the crate implements `{}`, and no do-nothing one is written: {why}",
                def.name
            )
        })
    })
}

/// The path the harness names the trait by.
fn trait_path<'a>(def: &'a TraitDef, ctx: &Ctx) -> Option<&'a str> {
    match ctx.reach {
        PlanReach::Public => def.public_path.as_deref(),
        PlanReach::InCrate => def.crate_path.as_deref(),
    }
}

/// The value of an implementor: nothing to draw, its `Default`.
pub(super) fn value_plan(ty: &Ty) -> Option<ValuePlan> {
    let Ty::Path { path, args } = ty else {
        return None;
    };
    (path.starts_with(PREFIX) && args.is_empty()).then(|| ValuePlan {
        raw_ty: "()".into(),
        strategy: "abuse_runtime::prelude::Just(())".into(),
        build: Build::Expr {
            template: format!("<{path} as ::core::default::Default>::default()"),
            returns: CtorReturn::Plain,
            by_ref: false,
        },
        pass: Pass::Value,
    })
}

/// A sequence's printed call, as the regression test `run` keeps names it: the implementors are defined in the
/// harness module, a sibling of the regressions module (`super::parser__sequence::AbuseNoopReceiver`).
pub fn printed_from_sibling(printed: &str, harness_module: &str) -> String {
    printed.replace(
        &format!("<{PREFIX}"),
        &format!("<super::{harness_module}::{PREFIX}"),
    )
}

/// The definitions of the implementors a harness's text names.
pub(super) fn definitions(harness_text: &str, ctx: &Ctx) -> Vec<String> {
    ctx.package
        .traits
        .iter()
        .filter_map(|def| {
            let name = format!("{PREFIX}{}", def.name);
            let methods = def.noop.as_ref().ok()?;
            let path = trait_path(def, ctx)?;
            let named = harness_text
                .match_indices(&name)
                .any(|(at, _)| !harness_text[at + name.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'));
            named.then(|| {
                format!(
                    "/// `{path}` doing nothing: the crate implements it for no type a harness can build.\n\
                     #[derive({})]\npub(crate) struct {name};\n\nimpl {path} for {name} {{\n{}}}\n",
                    DERIVED.join(", "),
                    methods.iter().map(|m| format!("    {m}\n")).collect::<String>()
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::tagged;
    use crate::model::*;
    use crate::plan::plan_function;

    fn receiver_trait(noop: Result<Vec<String>, String>) -> TraitDef {
        TraitDef {
            name: "Receiver".into(),
            path: "Receiver".into(),
            public_path: Some("demo::Receiver".into()),
            crate_path: Some("crate::Receiver".into()),
            noop,
        }
    }

    /// `fn feed<R: Receiver>(r: &mut R, byte: u8)` in a package defining `traits`, implementing them for `impls`.
    fn feed(traits: Vec<TraitDef>, impls: Vec<TraitImpl>) -> (TaggedFn, Package) {
        let r = Ty::Ref {
            mutable: true,
            inner: Box::new(Ty::Path {
                path: "R".into(),
                args: vec![],
            }),
        };
        let byte = Ty::Path {
            path: "u8".into(),
            args: vec![],
        };
        let mut f = tagged("feed", vec![("r", r), ("byte", byte)], None);
        f.signature.generics.push(Generic {
            name: "R".into(),
            kind: GenericKind::Type,
            bounds: vec!["Receiver".into(), "Clone".into()],
        });
        let package = Package {
            name: "demo".into(),
            lib_crate: Some("demo".into()),
            traits,
            trait_impls: impls,
            ..Default::default()
        };
        (f, package)
    }

    #[test]
    fn a_trait_nothing_implements_gets_a_do_nothing_implementor_the_harness_defines() {
        let methods = vec!["fn codepoint (& mut self , _ : char) {}".to_string()];
        let (f, package) = feed(vec![receiver_trait(Ok(methods))], vec![]);
        let plan = plan_function(&f, &package).expect("a do-nothing receiver");
        assert_eq!(plan.input_type, "((), u8)");
        assert!(
            plan.tests[0]
                .body
                .contains("<AbuseNoopReceiver as ::core::default::Default>::default()"),
            "{}",
            plan.tests[0].body
        );
        let [definition] = plan.noop_impls.as_slice() else {
            panic!("one implementor: {:?}", plan.noop_impls)
        };
        assert!(
            definition.contains("struct AbuseNoopReceiver;"),
            "{definition}"
        );
        assert!(
            definition.contains("impl demo::Receiver for AbuseNoopReceiver {\n    fn codepoint (& mut self , _ : char) {}\n}"),
            "{definition}"
        );
        assert!(
            definition.contains("Clone"),
            "the `Clone` bound is derived: {definition}"
        );
    }

    #[test]
    fn a_trait_whose_methods_return_values_gets_none_and_the_skip_says_why() {
        let why =
            "`next` returns a value, with which a made-up implementor could steer the function";
        let (f, package) = feed(vec![receiver_trait(Err(why.into()))], vec![]);
        let err = plan_function(&f, &package)
            .expect_err("no implementor")
            .to_string();
        assert!(
            err.contains("nothing in the crate implements `Receiver`"),
            "{err}"
        );
        assert!(err.contains(why), "{err}");
    }

    #[test]
    fn a_trait_the_crate_implements_for_a_buildable_type_uses_that_type() {
        let methods = vec!["fn codepoint (& mut self , _ : char) {}".to_string()];
        let impls = vec![TraitImpl {
            trait_name: "Receiver".into(),
            type_name: "u8".into(),
            trait_args: vec![],
        }];
        let (f, package) = feed(vec![receiver_trait(Ok(methods))], impls);
        let plan = plan_function(&f, &package).expect("the crate's implementor");
        assert!(plan.noop_impls.is_empty(), "{:?}", plan.noop_impls);
        assert_eq!(plan.input_type, "(u8, u8)");
    }
}
