//! The flags Helm v3.21.4's `install`, `upgrade`, `rollback` and
//! `uninstall` share for hooks and waiting (`cmd/helm/install.go`,
//! `upgrade.go`, `rollback.go`, `uninstall.go`): `--no-hooks`, `--wait`,
//! `--wait-for-jobs`, `--timeout` (a Go duration, default `5m0s`) and
//! `--atomic` (which implies `--wait`).

use std::time::Duration;

use crate::funcs::gotime::duration::parse_duration;

/// Helm's default `--timeout` (`5m0s`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// How an operation runs hooks and waits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOptions {
    /// `--no-hooks`.
    pub no_hooks: bool,
    /// `--wait` (set by `--atomic` too: see [`RunOptions::waits`]).
    pub wait: bool,
    /// `--wait-for-jobs`: with `--wait`, Jobs must complete.
    pub wait_for_jobs: bool,
    /// `--atomic`: undo a failed install or upgrade.
    pub atomic: bool,
    /// `--timeout`: for each hook and for the whole wait.
    pub timeout: Duration,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            no_hooks: false,
            wait: false,
            wait_for_jobs: false,
            atomic: false,
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl RunOptions {
    /// Whether the operation waits for readiness (`--wait` or `--atomic`).
    pub fn waits(&self) -> bool {
        self.wait || self.atomic
    }
}

/// `--timeout`'s value as cobra's `DurationVar` parses it; a negative
/// duration counts as zero (the deadline has already passed).
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    let d = parse_duration(text).map_err(|e| {
        format!(
            "invalid argument {} for \"--timeout\" flag: {e}",
            crate::template::strconv::quote(text)
        )
    })?;
    Ok(Duration::from_nanos(u64::try_from(d.0).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_go_durations() {
        assert_eq!(parse_timeout("5m0s"), Ok(DEFAULT_TIMEOUT));
        assert_eq!(parse_timeout("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_timeout("-3s"), Ok(Duration::ZERO));
        assert_eq!(
            parse_timeout("10").unwrap_err(),
            "invalid argument \"10\" for \"--timeout\" flag: time: missing unit in duration \"10\""
        );
    }

    #[test]
    fn atomic_implies_wait() {
        let mut o = RunOptions::default();
        assert!(!o.waits());
        o.atomic = true;
        assert!(o.waits());
    }
}
