//! std::process: which cargo builds the harnesses. The one cargo ran us with (`$CARGO`), or rustup's
//! `cargo +nightly` for what only a nightly toolchain builds (features that turn on `#![feature(...)]`,
//! AddressSanitizer), used only when it is installed: the product works on stable alone.

use std::process::{Command, Stdio};

/// The toolchain of one cargo invocation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Toolchain {
    /// The cargo that ran `cargo abuse` (`$CARGO`), or `cargo` from `PATH`.
    #[default]
    Current,
    /// rustup's proxy with `+nightly` (a toolchain's own cargo does not understand `+`).
    Nightly,
}

impl Toolchain {
    /// `cargo`, ready for its subcommand.
    #[must_use]
    pub fn cargo(self) -> Command {
        self.command("cargo")
    }

    /// `program` (`cargo` or `rustc`) of this toolchain: the current one is `$CARGO`/`$RUSTC` when set.
    #[must_use]
    pub fn command(self, program: &str) -> Command {
        match self {
            Toolchain::Current => {
                let var = program.to_ascii_uppercase();
                Command::new(std::env::var_os(var).unwrap_or_else(|| program.into()))
            }
            Toolchain::Nightly => {
                let mut cmd = Command::new(program);
                cmd.arg("+nightly");
                cmd
            }
        }
    }

    /// Whether this toolchain is there to run: `cargo +nightly --version` succeeds.
    #[must_use]
    pub fn installed(self) -> bool {
        self.cargo()
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Whether the `rustc` cargo runs is a nightly (or locally built) one, where `#![feature]` is allowed.
    #[must_use]
    pub fn current_is_nightly() -> bool {
        Toolchain::Current
            .command("rustc")
            .arg("--version")
            .output()
            .ok()
            .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
            .is_some_and(|v| v.contains("-nightly") || v.contains("-dev"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nightly_goes_through_rustups_proxy_and_the_current_toolchain_is_the_cargo_that_ran_us() {
        let nightly = Toolchain::Nightly.cargo();
        assert_eq!(nightly.get_program(), "cargo");
        assert_eq!(nightly.get_args().collect::<Vec<_>>(), ["+nightly"]);
        let current = Toolchain::Current.cargo();
        let expected = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        assert_eq!(current.get_program(), expected);
        assert_eq!(current.get_args().count(), 0);
        assert_eq!(Toolchain::default(), Toolchain::Current);
    }
}
