//! `cargo abuse sign PATH`: runs the harness of every function the attribute covers and, only if all pass,
//! writes `signed_off = "OWNER DATE FINGERPRINT"` into the attribute (the editing itself is `crate::sign`);
//! with `--keep-behaviour`, then keeps the last `run --since`'s differing inputs as regression tests pinning
//! the new outputs (`behaviour::pins`).

use anyhow::{bail, Context, Result};

use super::run::{random_seed, run_settings};
use super::{find_function, Exit};
use crate::generate::Generated;
use crate::harness_state::HarnessStates;
use crate::model::{self, Inventory, Outcome, RunReport, TaggedFn};
use crate::options::Options;
use crate::{behaviour, git, report, run, sign};

/// `cargo abuse sign PATH`: run the function's harness (every function its attribute covers); only if all
/// pass, write `signed_off` into the attribute.
pub fn sign_fn(
    inventory: &Inventory,
    states: &HarnessStates,
    generated: &Generated,
    opts: &Options,
) -> Result<Exit> {
    let path = opts.fn_path.as_deref().expect("sign always has a PATH");
    let target = find_function(inventory, path)?;
    let covered: Vec<&TaggedFn> = inventory
        .packages
        .iter()
        .flat_map(|p| &p.functions)
        .filter(|f| f.file == target.file && f.attribute == target.attribute)
        .collect();
    for f in &covered {
        match states.of(f) {
            model::HarnessState::Current | model::HarnessState::OwnTest => {}
            model::HarnessState::Unsupported { reason } => {
                bail!(
                    "cannot sign `{}`: it has no harness to run ({reason})",
                    f.path
                )
            }
            _ => bail!(
                "cannot sign `{}`: its harness is missing or stale; run `cargo abuse gen` first",
                f.path
            ),
        }
    }
    let owner = match opts
        .owner
        .clone()
        .or_else(|| git::user_name(&opts.workspace_root))
    {
        Some(owner) => owner,
        None => bail!("no owner: pass --owner NAME or set git's user.name"),
    };
    let policy = opts.packages.get(&target.package).map(|p| &p.policy);
    if let Some(policy) = policy.filter(|p| !p.allowed_owners.is_empty()) {
        if !policy.allowed_owners.contains(&owner) {
            eprintln!(
                "error: `{owner}` may not sign off: the policy allows {}",
                policy.allowed_owners.join(", ")
            );
            return Ok(Exit::Failed);
        }
    }
    // Checked before the harness runs: a refusal costs nothing.
    let date = today();
    let pins = behaviour_pins(
        inventory,
        &covered,
        generated,
        opts,
        &format!("{owner} {date}"),
    )?;
    let mut only = inventory.clone();
    for package in &mut only.packages {
        package.functions.retain(|f| {
            covered
                .iter()
                .any(|c| c.path == f.path && c.package == f.package)
        });
    }
    let seed = opts.seed.unwrap_or_else(random_seed);
    let settings = run_settings(opts, seed);
    let mut results = run::run(&only, generated, &settings)?;
    // A tagged `#[test]` has no harness: it runs as it is.
    results.extend(run::run_own_tests(&only, &settings)?);
    let report = RunReport {
        seed,
        functions: results,
        violations: Vec::new(),
    };
    let passed = !report.functions.is_empty()
        && report
            .functions
            .iter()
            .flat_map(|f| &f.properties)
            .all(|p| p.outcome == Outcome::Pass);
    if !passed {
        print!("{}", report::render_human(&report, opts.color));
        let failing: Vec<&str> = report
            .functions
            .iter()
            .filter(|f| f.properties.iter().any(|p| p.outcome != Outcome::Pass))
            .map(|f| f.function.as_str())
            .collect();
        let which = if failing.is_empty() {
            target.path.as_str().to_string()
        } else {
            failing.join("`, `")
        };
        eprintln!("error: not signed: the harness of `{which}` does not pass (the sign-off covers every function of its attribute)");
        return Ok(Exit::Failed);
    }
    let value = abuse_attr::SignOff {
        owner: owner.clone(),
        date: date.clone(),
        fingerprint: target.sign_fingerprint.clone(),
    }
    .to_string();
    let file = opts.workspace_root.join(&target.file);
    let source =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let updated = match sign::write_signoff(&source, &target.attribute, &value) {
        Ok(text) => text,
        Err(e) => bail!("cannot sign `{}`: {e}", target.path),
    };
    std::fs::write(&file, updated).with_context(|| format!("writing {}", file.display()))?;
    eprintln!(
        "      Signed `{}` as {owner} ({}:{}): signed_off = {value:?}",
        target.path, target.file, target.attribute.line
    );
    let mut kept = Vec::new();
    for pin in &pins {
        if crate::write::append_test(&opts.workspace_root, &pin.file, &pin.name, &pin.test)? {
            kept.push(pin.name.as_str());
        }
    }
    if !pins.is_empty() {
        eprintln!(
            "        Kept {} behaviour change(s) as regression tests pinning the new outputs{}",
            kept.len(),
            if kept.is_empty() {
                " (all were kept already)".to_string()
            } else {
                format!(": {}", kept.join(", "))
            }
        );
    }
    Ok(Exit::Ok)
}

/// With `--keep-behaviour`, the tests pinning the outputs of the covered functions that the last
/// `run --since` found changed (an error when there are none, or the comparison is of other code). Without it,
/// a note when there are some to keep.
fn behaviour_pins(
    inventory: &Inventory,
    covered: &[&TaggedFn],
    generated: &Generated,
    opts: &Options,
    signed: &str,
) -> Result<Vec<behaviour::Pin>> {
    let last = behaviour::load_last(opts);
    let entries: Vec<(&TaggedFn, &behaviour::FnBehaviour)> = covered
        .iter()
        .filter_map(|f| {
            let entry = last.as_ref()?.functions.iter().find(|b| {
                b.package == f.package
                    && b.function == f.path
                    && matches!(b.verdict, behaviour::Verdict::Changed { .. })
            })?;
            Some((*f, entry))
        })
        .collect();
    if !opts.keep_behaviour {
        if let Some((f, _)) = entries.iter().find(|(f, e)| e.fingerprint == f.fingerprint) {
            eprintln!(
                "note: the last `cargo abuse run --since` found `{}`'s behaviour changed; \
                 `cargo abuse sign {} --keep-behaviour` keeps the differing inputs as regression tests of the new outputs",
                f.path, f.path
            );
        }
        return Ok(Vec::new());
    }
    if entries.is_empty() {
        bail!(
            "nothing to keep: the last `cargo abuse run --since REV` found no behaviour change in `{}`; \
             run it first, or sign without --keep-behaviour",
            covered
                .iter()
                .map(|f| f.path.as_str())
                .collect::<Vec<_>>()
                .join("`, `")
        );
    }
    let mut pins = Vec::new();
    for (f, entry) in entries {
        let lib = inventory
            .packages
            .iter()
            .find(|p| p.name == f.package)
            .and_then(|p| p.lib_crate.clone())
            .unwrap_or_else(|| f.crate_name.clone());
        let Some(harness) = generated
            .harness_of(&f.path)
            .filter(|h| h.package.as_deref() == Some(&f.package))
        else {
            bail!("cannot keep `{}`'s behaviour: it has no harness", f.path);
        };
        match behaviour::pins(entry, &f.fingerprint, harness, &lib, signed) {
            Ok(found) => pins.extend(found),
            Err(why) => bail!("cannot keep `{}`'s behaviour: {why}", f.path),
        }
    }
    Ok(pins)
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_the_epoch_become_calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
    }

    #[test]
    fn today_is_a_yyyy_mm_dd_date() {
        let t = today();
        assert_eq!(t.len(), 10, "{t}");
        assert_eq!((&t[4..5], &t[7..8]), ("-", "-"), "{t}");
        assert!(t[..4].parse::<u32>().expect("year") >= 2024, "{t}");
    }
}
