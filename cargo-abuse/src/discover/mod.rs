//! syn: walks each crate's module tree like rustc, finds `#[ai_generated]` functions and fills the model.
//! Every read of the crates' source goes through this folder; no syn type leaves it.
//!
//! Entry: [`discover`]. Per lib/bin target (`discover_crate`): load the module tree (`tree`), read
//! every module's items (`items`: tagged functions, types, constructors, constants, trait impls), then
//! resolve names (`reach`): the public path of every function and type, breadth-first so that the
//! shortest wins, and the type each constructor and constant belongs to (`types`). Files that do not
//! parse, missing module files and malformed attributes become diagnostics; the other files are still
//! processed. Crates are processed in parallel (one lib/bin target per job), and each crate's result is
//! cached (`cache`) until a path it depends on changes.
//!
//! Parts: `tree` (module files), `items` (the `Visit` over each module's items), `tags` (which
//! attributes are tags, their records), `span` (byte ranges `sign` edits), `signature` and `types`
//! (model data from syn types), `literals` (strategy hints), `usage` (the literals the package's own
//! tests, examples and doc tests pass to constructors), `reach` (names and public paths),
//! `tokens` (printing tokens as Rust), `cache`.

mod blankets;
mod cache;
mod callees;
mod factories;
mod fn_bounds;
mod in_macros;
mod items;
mod lengths;
mod literals;
mod macros;
mod orphans;
mod reach;
mod signature;
mod span;
mod tags;
mod tokens;
mod traits;
mod tree;
mod types;
mod usage;
mod uses;

#[cfg(test)]
pub(crate) mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{
    Diagnostic, Inventory, Package, Reach, Severity, TaggedFn, TraitDef, TraitImpl, TypeDef,
};
use crate::options::Options;
use crate::workspace::{PackageSources, TargetSource};
use reach::{public_paths, Scope, Target, TypeLookup};

pub use fn_bounds::{fn_bound, FnBound, FnKind};
#[cfg(test)]
pub(crate) use span::tag_sites;
pub use tokens::{tokens_text, type_text};
pub(crate) use tree::{cfg_features_needed, cfg_text_holds};

/// The model's view of a type written as text (an impl block's self type), or `None` if it does not parse.
pub fn parse_ty(text: &str) -> Option<crate::model::Ty> {
    syn::parse_str::<syn::Type>(text)
        .ok()
        .map(|t| signature::ty_of(&t))
}

/// Cache entries read on a background thread while `cargo metadata` runs (see [`prefetch`]).
pub struct Prefetch(Option<(PathBuf, std::thread::JoinHandle<Vec<cache::Entry>>)>);

/// Starts reading and checking the cache entries in `cache_dir` (a guess made before `cargo metadata`
/// answers); [`discover`] uses them only if the guess was the real cache folder.
pub fn prefetch(cache_dir: Option<PathBuf>) -> Prefetch {
    Prefetch(cache_dir.map(|dir| {
        let d = dir.clone();
        (dir, std::thread::spawn(move || cache::load_all(&d)))
    }))
}

/// How many threads discovery uses: the cores this process may run on (asked once: the answer reads
/// cgroup files).
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// The cache folder under a target directory.
pub fn cache_dir(target_dir: &Path) -> PathBuf {
    target_dir.join("abuse").join("discover")
}

/// Discovers every tagged function, type and trait impl of the given packages, reusing cached results
/// (`<target-dir>/abuse/discover/`) for crates whose files did not change.
pub fn discover(
    packages: &[PackageSources],
    workspace_root: &Path,
    opts: &Options,
    prefetch: Prefetch,
) -> Inventory {
    let cache_dir = cache_dir(&opts.target_dir);
    let ready: Vec<cache::Entry> = match prefetch.0 {
        Some((dir, handle)) if dir == cache_dir => handle.join().unwrap_or_default(),
        _ => Vec::new(),
    };
    let ready = std::sync::Mutex::new(ready);
    // One job per (package, target); syn values are not `Send`, so each job parses and analyses its own
    // crate on one thread and hands back plain model data.
    let jobs: Vec<(usize, &TargetSource)> = packages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.targets.iter().map(move |t| (i, t)))
        .collect();
    let threads = cores().min(jobs.len()).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<JobResult> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&(pi, target)) = jobs.get(j) else {
                            break;
                        };
                        let key = cache::Key::new(workspace_root, &packages[pi], target);
                        let early = {
                            let mut r = ready.lock().unwrap_or_else(|e| e.into_inner());
                            r.iter()
                                .position(|e| e.key == key)
                                .map(|i| r.swap_remove(i))
                        };
                        if let Some(hit) = early.or_else(|| cache::load(&cache_dir, &key)) {
                            out.push(JobResult {
                                job: j,
                                package: pi,
                                findings: hit.findings,
                                diagnostics: hit.diagnostics,
                                files: hit.probes.into_keys().collect(),
                            });
                            continue;
                        }
                        let mut ctx = Ctx::new(workspace_root);
                        let mut findings = CrateFindings::default();
                        discover_crate(&mut ctx, &packages[pi], target, &mut findings);
                        let entry = cache::Entry {
                            key,
                            probes: std::mem::take(&mut ctx.probes),
                            findings,
                            diagnostics: ctx.diagnostics,
                        };
                        cache::store(&cache_dir, &entry);
                        out.push(JobResult {
                            job: j,
                            package: pi,
                            findings: entry.findings,
                            diagnostics: entry.diagnostics,
                            files: entry.probes.into_keys().collect(),
                        });
                    }
                    out
                })
            })
            .collect();
        let mut all: Vec<_> = workers
            .into_iter()
            .flat_map(|w| w.join().expect("a discovery thread panicked"))
            .collect();
        all.sort_by_key(|r| r.job);
        all
    });

    let ctx = Ctx::new(workspace_root);
    let mut inv = Inventory {
        workspace_root: slash(workspace_root),
        ..Inventory::default()
    };
    let mut pkgs: Vec<Package> = packages
        .iter()
        .map(|p| Package {
            name: p.name.clone(),
            lib_crate: p
                .targets
                .iter()
                .find(|t| t.is_lib)
                .map(|t| t.crate_name.clone()),
            dir: ctx.rel(&p.dir),
            manifest: ctx.rel(&p.manifest_path),
            edition: p.edition.clone(),
            default_features: p.default_features.clone(),
            ..Package::default()
        })
        .collect();
    let mut in_crates: Vec<HashSet<PathBuf>> = vec![HashSet::new(); packages.len()];
    for JobResult {
        package,
        findings,
        diagnostics,
        files,
        ..
    } in results
    {
        in_crates[package].extend(files);
        let pkg = &mut pkgs[package];
        pkg.functions.extend(findings.functions);
        pkg.types.extend(findings.types);
        pkg.trait_impls.extend(findings.trait_impls);
        pkg.traits.extend(findings.traits);
        pkg.nightly_features.extend(findings.nightly_features);
        pkg.has_abuse_tests_mod |= findings.has_abuse_tests_mod;
        inv.diagnostics.extend(diagnostics);
    }
    for pkg in &mut pkgs {
        add_from_str_constructors(pkg);
    }
    for (p, files) in packages.iter().zip(&in_crates) {
        inv.diagnostics
            .extend(orphans::tagged_outside_the_crates(&ctx, p, files));
    }
    let usage_cache = opts.target_dir.join("abuse").join("usage");
    for (pkg, sources) in pkgs.iter_mut().zip(packages) {
        usage::add_usage_examples(&sources.dir, &mut pkg.types, &usage_cache);
    }
    callees::add_callee_examples(&mut pkgs, packages, &usage_cache);
    for pkg in &mut pkgs {
        pkg.functions.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.path).cmp(&(&b.file, b.line, b.column, &b.path))
        });
        pkg.types.sort_by(|a, b| a.path.cmp(&b.path));
        pkg.trait_impls
            .sort_by(|a, b| (&a.type_name, &a.trait_name).cmp(&(&b.type_name, &b.trait_name)));
        pkg.trait_impls.dedup();
        pkg.traits.sort_by(|a, b| a.path.cmp(&b.path));
    }
    inv.packages = pkgs;
    inv.packages.sort_by(|a, b| a.name.cmp(&b.name));
    inv.diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    inv.diagnostics.dedup();
    inv
}

/// `impl FromStr for T` makes `T::from_str(&str)` a constructor of `T` (how users build parsed types, and
/// what `"…".parse::<T>()` in the package's own tests calls, so the usage scan gives it valid examples).
/// Only for a non-generic type whose name is unique in the package: a trait impl records the last segment.
fn add_from_str_constructors(pkg: &mut Package) {
    for imp in pkg.trait_impls.iter().filter(|i| i.trait_name == "FromStr") {
        let mut same_name = pkg.types.iter_mut().filter(|t| t.name == imp.type_name);
        let (Some(def), None) = (same_name.next(), same_name.next()) else {
            continue;
        };
        if !def.generics.is_empty() || def.constructors.iter().any(|c| c.via_trait.is_some()) {
            continue;
        }
        def.constructors.push(crate::model::Constructor {
            name: "from_str".into(),
            public: true,
            params: vec![crate::model::Param {
                name: "s".into(),
                ty: crate::model::Ty::Ref {
                    mutable: false,
                    inner: Box::new(crate::model::Ty::Path {
                        path: "str".into(),
                        args: Vec::new(),
                    }),
                },
            }],
            returns: crate::model::CtorReturn::Result,
            free_fn: None,
            examples: Vec::new(),
            via_trait: Some("::core::str::FromStr".into()),
            generics: Vec::new(),
            static_params: Vec::new(),
            factory: None,
        });
    }
}

/// What one job hands back.
struct JobResult {
    /// Index in the job list (results are put back in that order).
    job: usize,
    /// Index of the package in `packages`.
    package: usize,
    findings: CrateFindings,
    diagnostics: Vec<Diagnostic>,
    /// Every file the crate's discovery looked at (its module tree, and the paths it tried).
    files: Vec<PathBuf>,
}

/// What one crate (lib or bin target) contributes to its package.
#[derive(Default, Serialize, Deserialize)]
struct CrateFindings {
    functions: Vec<TaggedFn>,
    types: Vec<TypeDef>,
    trait_impls: Vec<TraitImpl>,
    traits: Vec<TraitDef>,
    nightly_features: Vec<String>,
    /// The library root declares `mod abuse_tests;` (the in-crate harness module).
    has_abuse_tests_mod: bool,
}

/// What a crate's discovery carries along: the workspace root, diagnostics, and the probes the cache needs.
struct Ctx {
    root: PathBuf,
    diagnostics: Vec<Diagnostic>,
    /// Every path whose existence or contents the result depends on, with what was seen.
    probes: BTreeMap<PathBuf, cache::Stamp>,
}

impl Ctx {
    fn new(root: &Path) -> Ctx {
        Ctx {
            root: root.to_path_buf(),
            diagnostics: Vec::new(),
            probes: BTreeMap::new(),
        }
    }

    /// Whether `path` is a file, remembered for the cache.
    fn probe(&mut self, path: &Path) -> bool {
        let stamp = cache::Stamp::of(path);
        let is_file = stamp.is_file();
        self.probes.insert(path.to_path_buf(), stamp);
        is_file
    }

    /// Path relative to the workspace root, forward slashes.
    fn rel(&self, path: &Path) -> String {
        slash(path.strip_prefix(&self.root).unwrap_or(path))
    }

    /// A diagnostic at `span` of `file`.
    fn diag(&mut self, severity: Severity, file: &Path, span: proc_macro2::Span, message: String) {
        let start = span.start();
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.rel(file),
            line: start.line.max(1) as u32,
            column: start.column as u32 + 1,
            message,
        });
    }

    /// Every message of a syn error, as error diagnostics.
    fn syn_error(&mut self, file: &Path, err: syn::Error) {
        for e in err {
            self.diag(Severity::Error, file, e.span(), e.to_string());
        }
    }
}

/// A path with forward slashes.
fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Discovers one crate (lib or bin target) into `pkg`.
fn discover_crate(ctx: &mut Ctx, p: &PackageSources, t: &TargetSource, pkg: &mut CrateFindings) {
    let Some(tree) = tree::load_tree(ctx, &t.root) else {
        return;
    };
    if t.is_lib {
        // Declared in the crate root, whether or not `gen` has written its file yet.
        pkg.has_abuse_tests_mod |= tree.modules.first().is_some_and(|root| {
            root.items
                .iter()
                .any(|item| matches!(item, syn::Item::Mod(m) if m.ident == "abuse_tests"))
        });
    }
    if t.is_lib {
        pkg.nightly_features = tree.nightly_features.clone();
    }
    let scopes: Vec<Scope> = (0..tree.modules.len())
        .map(|m| Scope::of(&tree, m))
        .collect();
    let found = items::collect(ctx, p, t, &tree);
    pkg.trait_impls.extend(found.trait_impls);

    // Reach: public paths by breadth-first search from the crate root (lib only).
    let public = if t.is_lib {
        public_paths(&tree, &scopes, &t.crate_name)
    } else {
        HashMap::new()
    };
    let crate_visible = if t.is_lib {
        reach::crate_paths(&tree, &scopes)
    } else {
        HashMap::new()
    };
    let lookup = TypeLookup {
        tree: &tree,
        scopes: &scopes,
        types: found
            .type_parts
            .types
            .iter()
            .map(|f| {
                let target = Target::Type {
                    module: f.module,
                    item: f.item,
                };
                (target, f.def.name.clone())
            })
            .collect(),
    };
    for mut f in found.functions {
        let module_path = &tree.modules[f.module].path;
        let in_crate: Vec<String> = module_path
            .iter()
            .cloned()
            .chain(f.owner_type.clone())
            .chain(std::iter::once(f.tagged.name.clone()))
            .collect();
        let public_path = if !t.is_lib || !f.is_pub {
            None
        } else if let Some(target) = f.target {
            public.get(&target).cloned()
        } else {
            let owner = f
                .owner_type
                .as_deref()
                .and_then(|n| lookup.find(f.module, n));
            owner
                .and_then(|o| public.get(&o))
                .map(|p| format!("{p}::{}", f.tagged.name))
        };
        f.tagged.reach = match public_path {
            Some(path) => Reach::Public { path },
            None => Reach::CratePrivate {
                path: format!("crate::{}", in_crate.join("::")),
            },
        };
        f.tagged.hidden_in_crate = types::hidden_from_root(&tree, f.module, f.is_private);
        // Hidden where it is defined, but re-exported where the in-crate harness can name it.
        if let (Reach::CratePrivate { path }, Some(_), Some(target)) =
            (&mut f.tagged.reach, &f.tagged.hidden_in_crate, f.target)
        {
            if let Some(reexport) = crate_visible.get(&target) {
                *path = reexport.clone();
                f.tagged.hidden_in_crate = None;
            }
        }
        pkg.functions.push(f.tagged);
    }
    pkg.types
        .extend(types::attach(&tree, &public, &lookup, found.type_parts));
    for (target, mut def) in found.traits {
        def.public_path = public.get(&target).cloned();
        def.crate_path = crate_visible.get(&target).cloned();
        pkg.traits.push(def);
    }
    // Freeing a large syn tree takes about a sixth of the parse time, and the process is short-lived:
    // leave it to the exit, as rustc does with its AST.
    std::mem::forget(tree);
}
