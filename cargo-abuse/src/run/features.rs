//! The feature pass of `run`: cargo's feature flags for every build of the abuse targets, and the functions a
//! build did not compile because a `feature = "x"` cfg was unset, grouped by the feature set that compiles them.

use std::collections::{BTreeMap, BTreeSet};

use crate::discover::cfg_features_needed;
use crate::model::TaggedFn;

/// At most this many extra builds per package: each one compiles the crate and its harnesses again.
pub const MAX_FEATURE_SETS: usize = 4;

/// `run --features`, `--all-features`, `--no-default-features`, `--no-feature-pass`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CargoFeatures {
    /// `--features a,b` (each entry may itself be a comma or space separated list, as cargo takes it).
    pub features: Vec<String>,
    /// `--all-features`.
    pub all_features: bool,
    /// `--no-default-features`.
    pub no_default_features: bool,
    /// `--no-feature-pass`: no extra builds for the functions the features above leave out.
    pub no_feature_pass: bool,
}

impl CargoFeatures {
    /// Cargo's arguments for these flags with `extra` features added.
    pub fn cargo_args(&self, extra: &BTreeSet<String>) -> Vec<String> {
        let mut args = Vec::new();
        if self.all_features {
            args.push("--all-features".to_string());
        }
        if self.no_default_features {
            args.push("--no-default-features".to_string());
        }
        let mut list: Vec<String> = self
            .features
            .iter()
            .flat_map(|f| f.split([',', ' ']))
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect();
        list.extend(extra.iter().cloned());
        if !list.is_empty() {
            args.push("--features".to_string());
            args.push(list.join(","));
        }
        args
    }

    /// Whether `run` tries the functions left out by a feature cfg again with that feature added.
    pub fn pass_enabled(&self) -> bool {
        !self.no_feature_pass && !self.all_features
    }
}

/// `--features a,b` as the report words it.
pub fn features_flag(set: &BTreeSet<String>) -> String {
    format!(
        "--features {}",
        set.iter().cloned().collect::<Vec<_>>().join(",")
    )
}

/// The functions (by index into `candidates`' order) grouped by the feature set that compiles them, smallest
/// sets first; functions no feature set compiles are left out.
pub fn group_by_features<'a>(
    candidates: &[&'a TaggedFn],
    declared: &[String],
) -> Vec<(BTreeSet<String>, Vec<&'a TaggedFn>)> {
    let mut groups: BTreeMap<(usize, BTreeSet<String>), Vec<&'a TaggedFn>> = BTreeMap::new();
    for f in candidates {
        let Some(set) = f
            .cfg
            .as_deref()
            .and_then(|cfg| cfg_features_needed(cfg, declared))
        else {
            continue;
        };
        groups.entry((set.len(), set)).or_default().push(f);
    }
    groups
        .into_iter()
        .map(|((_, set), fns)| (set, fns))
        .collect()
}

/// A group of functions and the features one build turns on for them.
pub type Build<'a> = (BTreeSet<String>, Vec<&'a TaggedFn>);

/// The builds of the feature pass for `groups` (smallest sets first, as [`group_by_features`] gives them): a
/// group whose features are all turned on by a larger group's build joins that build, since cargo features
/// add code (tinyvec's `alloc` functions are built with `alloc,rustc_1_57`). Largest sets first.
pub fn merge_into_supersets(groups: Vec<Build<'_>>) -> Vec<Build<'_>> {
    let mut builds: Vec<Build<'_>> = Vec::new();
    for (set, fns) in groups.into_iter().rev() {
        match builds.iter_mut().find(|(larger, _)| set.is_subset(larger)) {
            Some((_, joined)) => joined.extend(fns),
            None => builds.push((set, fns)),
        }
    }
    builds
}

/// The builds in the order the pass makes them: the ones that serve the most functions first, since only
/// [`MAX_FEATURE_SETS`] are made (tinyvec's 6 `dedup*` behind a nightly set were the fifth build, after one
/// serving 3); equal counts keep their order. `T` is what travels with each build (its toolchain).
pub fn most_functions_first<'a, T>(mut builds: Vec<(Build<'a>, T)>) -> Vec<(Build<'a>, T)> {
    builds.sort_by_key(|((_, fns), _)| std::cmp::Reverse(fns.len()));
    builds
}

/// The groups whose features turn on `#![feature(...)]` (`nightly`: the package's own list), which no stable
/// toolchain builds, split from the others.
pub fn split_nightly<'a>(
    groups: Vec<Build<'a>>,
    nightly: &[String],
) -> (Vec<Build<'a>>, Vec<Build<'a>>) {
    groups
        .into_iter()
        .partition(|(set, _)| !set.iter().any(|f| nightly.contains(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_joins_the_build_of_a_larger_set_that_holds_its_features() {
        let f = |name: &str| crate::plan::tests::tagged(name, vec![], None);
        let (a, b, c, d) = (f("a"), f("b"), f("c"), f("d"));
        let groups = vec![
            (set(&["alloc"]), vec![&a]),
            (set(&["grab_spare_slice"]), vec![&b]),
            (set(&["alloc", "rustc_1_57"]), vec![&c]),
            (set(&["alloc", "rustc_1_61"]), vec![&d]),
        ];
        let builds = merge_into_supersets(groups);
        let names = |fns: &[&TaggedFn]| fns.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        assert_eq!(builds.len(), 3);
        assert_eq!(builds[0].0, set(&["alloc", "rustc_1_61"]));
        assert_eq!(names(&builds[0].1), ["d", "a"]);
        assert_eq!(builds[1].0, set(&["alloc", "rustc_1_57"]));
        assert_eq!(names(&builds[2].1), ["b"]);
    }

    #[test]
    fn the_builds_serving_the_most_functions_come_first() {
        let f = |name: &str| crate::plan::tests::tagged(name, vec![], None);
        let (a, b, c) = (f("a"), f("b"), f("c"));
        let builds = vec![
            ((set(&["alloc", "rustc_1_61"]), vec![&a, &b]), "stable"),
            ((set(&["spare"]), vec![&a]), "stable"),
            (
                (set(&["alloc", "nightly_dedup"]), vec![&a, &b, &c]),
                "nightly",
            ),
            ((set(&["latest"]), vec![&b]), "stable"),
        ];
        let order: Vec<(Vec<String>, &str)> = most_functions_first(builds)
            .into_iter()
            .map(|((set, _), toolchain)| (set.into_iter().collect(), toolchain))
            .collect();
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            order,
            [
                (names(&["alloc", "nightly_dedup"]), "nightly"),
                (names(&["alloc", "rustc_1_61"]), "stable"),
                (names(&["spare"]), "stable"),
                (names(&["latest"]), "stable"),
            ]
        );
    }

    #[test]
    fn sets_with_a_nightly_feature_are_split_off() {
        let f = crate::plan::tests::tagged("f", vec![], None);
        let groups = vec![
            (set(&["alloc"]), vec![&f]),
            (set(&["alloc", "nightly_dedup"]), vec![&f]),
        ];
        let (stable, nightly) = split_nightly(groups, &["nightly_dedup".to_string()]);
        assert_eq!(stable.len(), 1);
        assert_eq!(nightly[0].0, set(&["alloc", "nightly_dedup"]));
    }

    fn declared() -> Vec<String> {
        ["extra", "serde", "std", "zeroize"]
            .map(String::from)
            .to_vec()
    }

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_declared_feature_cfg_needs_that_feature() {
        let d = declared();
        assert_eq!(
            cfg_features_needed("feature = \"serde\"", &d),
            Some(set(&["serde"]))
        );
        assert_eq!(
            cfg_features_needed("feature = \"std\" && feature = \"serde\"", &d),
            Some(set(&["serde", "std"]))
        );
        assert_eq!(
            cfg_features_needed(
                "all(feature = \"std\", not(feature = \"zeroize\"), feature = \"extra\")",
                &d
            ),
            Some(set(&["extra", "std"]))
        );
        assert_eq!(
            cfg_features_needed("any(target_arch = \"wasm32\", feature = \"extra\")", &d),
            Some(set(&["extra"]))
        );
    }

    #[test]
    fn a_cfg_on_anything_but_declared_features_is_left_alone() {
        let d = declared();
        // Not declared (a nightly-only or misspelt feature).
        assert_eq!(cfg_features_needed("feature = \"nightly\"", &d), None);
        assert_eq!(cfg_features_needed("target_arch = \"aarch64\"", &d), None);
        assert_eq!(
            cfg_features_needed("feature = \"serde\" && target_arch = \"aarch64\"", &d),
            None
        );
        // Compiled when a feature is unset: no feature to add.
        assert_eq!(cfg_features_needed("not(feature = \"zeroize\")", &d), None);
        // Contradictory.
        assert_eq!(
            cfg_features_needed("feature = \"std\" && not(feature = \"std\")", &d),
            None
        );
        assert_eq!(cfg_features_needed("test", &d), None);
    }

    #[test]
    fn functions_are_grouped_by_the_feature_set_that_compiles_them() {
        let tagged = |name: &str, cfg: Option<&str>| {
            let mut f = crate::list::tests::tagged(
                name,
                "src/lib.rs",
                1,
                None,
                crate::model::SignoffState::None,
            );
            f.cfg = cfg.map(String::from);
            f
        };
        let fns = [
            tagged("a", Some("feature = \"serde\"")),
            tagged("b", Some("feature = \"std\" && feature = \"serde\"")),
            tagged("c", Some("all(feature = \"serde\")")),
            tagged("d", Some("target_arch = \"aarch64\"")),
            tagged("e", None),
            tagged("f", Some("any(feature = \"extra\", feature = \"serde\")")),
        ];
        let refs: Vec<&TaggedFn> = fns.iter().collect();
        let groups = group_by_features(&refs, &declared());
        let names: Vec<(Vec<String>, Vec<&str>)> = groups
            .iter()
            .map(|(s, fs)| {
                (
                    s.iter().cloned().collect(),
                    fs.iter().map(|f| f.name.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                (vec!["extra".to_string()], vec!["f"]),
                (vec!["serde".to_string()], vec!["a", "c"]),
                (vec!["serde".to_string(), "std".to_string()], vec!["b"]),
            ]
        );
    }

    #[test]
    fn cargo_args_add_the_pass_features_to_the_users() {
        let user = CargoFeatures {
            features: vec!["a b".into(), "c".into()],
            no_default_features: true,
            ..CargoFeatures::default()
        };
        assert_eq!(
            user.cargo_args(&set(&["x"])),
            ["--no-default-features", "--features", "a,b,c,x"]
        );
        assert!(CargoFeatures::default()
            .cargo_args(&BTreeSet::new())
            .is_empty());
        assert!(!CargoFeatures {
            all_features: true,
            ..CargoFeatures::default()
        }
        .pass_enabled());
    }
}
