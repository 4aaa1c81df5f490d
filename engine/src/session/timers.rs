//! The session's timer table: one optional deadline per timer, the earliest one drives the
//! actor's single sleep. Firing is idempotent: a deadline fires once, when `now` has
//! reached it, however often `expired` is asked.

use std::time::{Duration, Instant};

use serde::Serialize;

/// Every timer a callback session runs (the `timer` label of
/// `callbackd_timer_lateness_seconds`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Timer {
    /// Reject the trigger after the configured rings.
    Reject,
    /// With `reject_mode = "ignore"`: stop ringing at `ring_limit`.
    RingLimit,
    /// Wait `delay` after the trigger ended (or between retries) before calling back.
    Delay,
    /// The callback (or a retry) was not answered within `answer_timeout`.
    Answer,
    /// No first digit within `first_digit_timeout`.
    FirstDigit,
    /// No further digit within `digit_timeout`: dialling is complete.
    InterDigit,
    /// End of the busy/congestion tone played before hanging up.
    Refusal,
    /// `max_duration` (or `analog_max_duration`) of a bridged call.
    MaxDuration,
    /// End of the chained-call window after the far end hung up.
    Redial,
}

impl Timer {
    pub const ALL: [Timer; 9] = [
        Timer::Reject,
        Timer::RingLimit,
        Timer::Delay,
        Timer::Answer,
        Timer::FirstDigit,
        Timer::InterDigit,
        Timer::Refusal,
        Timer::MaxDuration,
        Timer::Redial,
    ];

    /// The metric label.
    pub const fn as_str(self) -> &'static str {
        match self {
            Timer::Reject => "reject",
            Timer::RingLimit => "ring_limit",
            Timer::Delay => "delay",
            Timer::Answer => "answer",
            Timer::FirstDigit => "first_digit",
            Timer::InterDigit => "inter_digit",
            Timer::Refusal => "refusal",
            Timer::MaxDuration => "max_duration",
            Timer::Redial => "redial",
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// The deadlines.
#[derive(Debug, Clone, Default)]
pub struct Timers {
    deadlines: [Option<Instant>; Timer::ALL.len()],
}

impl Timers {
    pub fn set(&mut self, timer: Timer, deadline: Instant) {
        self.deadlines[timer.index()] = Some(deadline);
    }

    pub fn stop(&mut self, timer: Timer) {
        self.deadlines[timer.index()] = None;
    }

    pub fn stop_all(&mut self) {
        self.deadlines = Default::default();
    }

    pub fn is_set(&self, timer: Timer) -> bool {
        self.deadlines[timer.index()].is_some()
    }

    /// The earliest deadline.
    pub fn next(&self) -> Option<Instant> {
        self.deadlines.iter().flatten().min().copied()
    }

    /// Takes the earliest timer whose deadline `now` has reached, with how late it is.
    pub fn take_expired(&mut self, now: Instant) -> Option<(Timer, Duration)> {
        let (timer, deadline) = Timer::ALL
            .iter()
            .filter_map(|&t| self.deadlines[t.index()].map(|d| (t, d)))
            .filter(|&(_, d)| d <= now)
            .min_by_key(|&(_, d)| d)?;
        self.stop(timer);
        Some((timer, now - deadline))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_once_each_with_lateness() {
        let t0 = Instant::now();
        let mut timers = Timers::default();
        timers.set(Timer::Answer, t0 + Duration::from_secs(30));
        timers.set(Timer::Delay, t0 + Duration::from_secs(5));
        assert_eq!(timers.next(), Some(t0 + Duration::from_secs(5)));
        assert_eq!(
            timers.take_expired(t0 + Duration::from_secs(4)),
            None,
            "early is harmless"
        );
        let late = t0 + Duration::from_millis(5003);
        assert_eq!(
            timers.take_expired(late),
            Some((Timer::Delay, Duration::from_millis(3)))
        );
        assert_eq!(timers.take_expired(late), None, "fires once");
        assert_eq!(timers.next(), Some(t0 + Duration::from_secs(30)));
        timers.stop(Timer::Answer);
        assert_eq!(timers.next(), None);
    }
}
