//! The Q.931 timers of one call (EN 300 403-1 §9.1, tables 9-1 and 9-2), as a small
//! table of optional deadlines.

use std::time::Duration;

/// A call control timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timer {
    /// ALERTING received, waiting for CONNECT (≥ 3 min).
    T301,
    /// Overlap receiving: waiting for more INFORMATION (10–15 s).
    T302,
    /// SETUP sent, waiting for any response (4 s; SETUP is sent again once).
    T303,
    /// DISCONNECT sent, waiting for RELEASE (30 s).
    T305,
    /// RELEASE sent, waiting for RELEASE COMPLETE (4 s; RELEASE is sent again once).
    T308,
    /// CALL PROCEEDING received, waiting for ALERTING, CONNECT or PROGRESS (30–120 s).
    T310,
    /// CONNECT sent by the user, waiting for CONNECT ACKNOWLEDGE (4 s).
    T313,
}

impl Timer {
    const ALL: [Timer; 7] = [
        Timer::T301,
        Timer::T302,
        Timer::T303,
        Timer::T305,
        Timer::T308,
        Timer::T310,
        Timer::T313,
    ];

    const fn index(self) -> usize {
        self as usize
    }
}

/// The durations of the timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timers {
    pub t301: Duration,
    pub t302: Duration,
    pub t303: Duration,
    pub t305: Duration,
    pub t308: Duration,
    pub t310: Duration,
    pub t313: Duration,
    /// RESTART sent, waiting for RESTART ACKNOWLEDGE (2 min).
    pub t316: Duration,
}

impl Default for Timers {
    /// The default values of EN 300 403-1 tables 9-1 and 9-2.
    fn default() -> Timers {
        Timers {
            t301: Duration::from_secs(180),
            t302: Duration::from_secs(15),
            t303: Duration::from_secs(4),
            t305: Duration::from_secs(30),
            t308: Duration::from_secs(4),
            t310: Duration::from_secs(30),
            t313: Duration::from_secs(4),
            t316: Duration::from_secs(120),
        }
    }
}

impl Timers {
    pub(crate) fn duration(&self, timer: Timer) -> Duration {
        match timer {
            Timer::T301 => self.t301,
            Timer::T302 => self.t302,
            Timer::T303 => self.t303,
            Timer::T305 => self.t305,
            Timer::T308 => self.t308,
            Timer::T310 => self.t310,
            Timer::T313 => self.t313,
        }
    }
}

/// The running timers of a call: at most one deadline each.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimerTable {
    deadlines: [Option<Duration>; 7],
}

impl TimerTable {
    pub fn start(&mut self, timer: Timer, now: Duration, timers: &Timers) {
        self.deadlines[timer.index()] = Some(now + timers.duration(timer));
    }

    pub fn stop(&mut self, timer: Timer) {
        self.deadlines[timer.index()] = None;
    }

    pub fn stop_all(&mut self) {
        self.deadlines = Default::default();
    }

    /// The earliest deadline.
    pub fn next(&self) -> Option<Duration> {
        self.deadlines.iter().flatten().min().copied()
    }

    /// Stops and returns a timer whose deadline has passed, if any.
    pub fn expired(&mut self, now: Duration) -> Option<Timer> {
        let timer = Timer::ALL
            .into_iter()
            .filter(|t| self.deadlines[t.index()].is_some_and(|d| d <= now))
            .min_by_key(|t| self.deadlines[t.index()])?;
        self.stop(timer);
        Some(timer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_expires_first_and_only_once() {
        let timers = Timers::default();
        let mut table = TimerTable::default();
        let t0 = Duration::from_secs(100);
        table.start(Timer::T310, t0, &timers);
        table.start(Timer::T303, t0, &timers);
        assert_eq!(table.next(), Some(t0 + Duration::from_secs(4)));
        assert_eq!(table.expired(t0), None);
        let later = t0 + Duration::from_secs(60);
        assert_eq!(table.expired(later), Some(Timer::T303));
        assert_eq!(table.expired(later), Some(Timer::T310));
        assert_eq!(table.expired(later), None);
    }
}
