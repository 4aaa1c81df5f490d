//! From the configuration to what one session runs with: the `[callback]` timers, the
//! trigger trunk's reject policy (spec §1 step 2 and "per-trunk reject policy"), and the
//! ring time of `reject_after_rings` in the node's tone plan.

use std::time::Duration;

use config::{Config, RejectMode, RejectWith, Trunk};
use protocols::tone::TonePlan;

use crate::session::{RejectPolicy, SessionSettings};

/// How long busy or congestion tone plays before the node hangs up (spec §1 steps 5–6).
pub const REFUSAL_TONE: Duration = Duration::from_secs(3);

/// The tone plan of `[node] tones`.
pub fn tone_plan(config: &Config) -> TonePlan {
    match config.node.tones {
        config::TonePlan::Pl => TonePlan::Pl,
        config::TonePlan::Eu => TonePlan::Eu,
        config::TonePlan::Us => TonePlan::Us,
    }
}

/// The settings of a session triggered on `trunk`.
pub fn session_settings(config: &Config, trunk: &Trunk) -> SessionSettings {
    let cb = &config.callback;
    let reject = match trunk.reject_mode {
        RejectMode::Ignore { ring_limit } => RejectPolicy::Ignore { ring_limit },
        RejectMode::Reject => {
            let rings = tone_plan(config).rings_heard_after_ms(cb.reject_after_rings);
            let after = cb
                .reject_after
                .unwrap_or(Duration::from_millis(u64::from(rings)));
            let decline = trunk.reject_with(cb.reject_with) == RejectWith::Decline;
            RejectPolicy::Reject { after, decline }
        }
    };
    SessionSettings {
        reject,
        delay: cb.delay,
        answer_timeout: cb.answer_timeout,
        retries: cb.retries,
        first_digit_timeout: cb.first_digit_timeout,
        digit_timeout: cb.digit_timeout,
        max_duration: cb.max_duration,
        redial_window: cb.redial_window,
        refusal_tone: REFUSAL_TONE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::fixture;

    #[test]
    fn defaults_reject_busy_after_two_polish_rings() {
        let cfg = fixture::config();
        let s = session_settings(&cfg, &cfg.trunks[0]);
        let six = Duration::from_secs(6);
        assert_eq!(
            s.reject,
            RejectPolicy::Reject {
                after: six,
                decline: false
            }
        );
        assert_eq!(s.delay, Duration::from_secs(5));
    }

    #[test]
    fn trunk_overrides() {
        let mut cfg = fixture::config();
        cfg.trunks[0].reject_with = Some(RejectWith::Decline);
        let s = session_settings(&cfg, &cfg.trunks[0]);
        assert!(matches!(
            s.reject,
            RejectPolicy::Reject { decline: true, .. }
        ));
        cfg.trunks[0].reject_mode = RejectMode::Ignore {
            ring_limit: Duration::from_secs(60),
        };
        let s = session_settings(&cfg, &cfg.trunks[0]);
        assert_eq!(
            s.reject,
            RejectPolicy::Ignore {
                ring_limit: Duration::from_secs(60)
            }
        );
    }
}
