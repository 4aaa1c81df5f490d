//! `[callback]`: the timing of one callback session (spec §1).
//!
//! Every key has the spec's default. `reject_after`, when set, replaces
//! `reject_after_rings` × the ring cadence of the tone plan. `redial_window = "0s"`
//! turns chained calls off. Timeouts that end a wait must be greater than zero.

use std::time::Duration;

use serde::Deserialize;

use crate::duration::parse_duration;
use crate::error::{Issues, Problem};

/// What a rejected trigger call hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RejectWith {
    /// SIP 486 Busy Here, Q.931 cause 17 (user busy).
    Busy,
    /// SIP 603 Decline, Q.931 cause 21 (call rejected).
    Decline,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCallback {
    reject_after_rings: Option<u32>,
    reject_after: Option<String>,
    reject_with: Option<RejectWith>,
    delay: Option<String>,
    answer_timeout: Option<String>,
    retries: Option<u32>,
    first_digit_timeout: Option<String>,
    digit_timeout: Option<String>,
    max_duration: Option<String>,
    analog_max_duration: Option<String>,
    redial_window: Option<String>,
    max_triggers_per_minute: Option<u32>,
}

/// `[callback]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Callback {
    pub reject_after_rings: u32,
    /// Overrides `reject_after_rings` when set.
    pub reject_after: Option<Duration>,
    pub reject_with: RejectWith,
    pub delay: Duration,
    pub answer_timeout: Duration,
    pub retries: u32,
    pub first_digit_timeout: Duration,
    pub digit_timeout: Duration,
    pub max_duration: Duration,
    pub analog_max_duration: Duration,
    /// Zero: off.
    pub redial_window: Duration,
    pub max_triggers_per_minute: u32,
}

/// A duration key with its default, `None` after recording an issue.
fn duration(
    issues: &mut Issues,
    key: &str,
    raw: Option<String>,
    default: Duration,
) -> Option<Duration> {
    match raw {
        None => Some(default),
        Some(text) => issues.check(key, text.as_str(), parse_duration),
    }
}

/// Like [`duration`] for a wait that must end: zero is refused.
fn timeout(
    issues: &mut Issues,
    key: &str,
    raw: Option<String>,
    default: Duration,
) -> Option<Duration> {
    let value = duration(issues, key, raw, default)?;
    if value.is_zero() {
        issues.value(key, Problem::Zero);
        return None;
    }
    Some(value)
}

impl TryFrom<RawCallback> for Callback {
    type Error = Issues;

    fn try_from(raw: RawCallback) -> Result<Self, Issues> {
        let mut issues = Issues::default();
        let secs = Duration::from_secs;
        let i = &mut issues;
        let reject_after = i.check_opt("reject_after", raw.reject_after, |s| parse_duration(&s));
        let delay = duration(i, "delay", raw.delay, secs(5));
        let answer_timeout = timeout(i, "answer_timeout", raw.answer_timeout, secs(30));
        let first_digit_timeout =
            timeout(i, "first_digit_timeout", raw.first_digit_timeout, secs(10));
        let digit_timeout = timeout(i, "digit_timeout", raw.digit_timeout, secs(4));
        let max_duration = timeout(i, "max_duration", raw.max_duration, secs(2 * 3600));
        let analog_max_duration =
            timeout(i, "analog_max_duration", raw.analog_max_duration, secs(180));
        let redial_window = duration(i, "redial_window", raw.redial_window, Duration::ZERO);
        let max_triggers_per_minute = raw.max_triggers_per_minute.unwrap_or(3);
        if max_triggers_per_minute == 0 {
            i.value("max_triggers_per_minute", Problem::Zero);
        }
        let callback = (|| {
            Some(Callback {
                reject_after_rings: raw.reject_after_rings.unwrap_or(2),
                reject_after: reject_after?,
                reject_with: raw.reject_with.unwrap_or(RejectWith::Busy),
                delay: delay?,
                answer_timeout: answer_timeout?,
                retries: raw.retries.unwrap_or(0),
                first_digit_timeout: first_digit_timeout?,
                digit_timeout: digit_timeout?,
                max_duration: max_duration?,
                analog_max_duration: analog_max_duration?,
                redial_window: redial_window?,
                max_triggers_per_minute,
            })
        })();
        issues.finish(callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_timeouts_are_refused_but_zero_delay_is_not() {
        let raw = RawCallback {
            delay: Some("0s".into()),
            answer_timeout: Some("0s".into()),
            ..RawCallback::default()
        };
        let issues = Callback::try_from(raw).unwrap_err();
        assert_eq!(issues.0.len(), 1);
        assert_eq!(issues.0[0].key, "answer_timeout");
    }

    #[test]
    fn every_bad_duration_is_reported() {
        let raw = RawCallback {
            delay: Some("5".into()),
            reject_after: Some("6x".into()),
            redial_window: Some("-1s".into()),
            ..RawCallback::default()
        };
        let keys: Vec<_> = Callback::try_from(raw)
            .unwrap_err()
            .0
            .into_iter()
            .map(|i| i.key)
            .collect();
        assert_eq!(keys, ["reject_after", "delay", "redial_window"]);
    }
}
