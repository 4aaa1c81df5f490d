//! The machine's timers: a small table of optional deadlines.

/// The machine's timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timer {
    /// The command in flight must get its final result by then.
    Command,
    /// Poll `AT+CLCC` for the progress of an outgoing call.
    Poll,
    /// `RING` came without `+CLIP`: offer the call without a CLI at this point.
    ClipWait,
    /// No `RING` since long enough: check whether the caller gave up.
    RingGap,
}

impl Timer {
    const ALL: [Timer; 4] = [Timer::Command, Timer::Poll, Timer::ClipWait, Timer::RingGap];
}

/// One optional deadline per [`Timer`].
#[derive(Debug, Clone)]
pub(crate) struct TimerTable<I>([Option<I>; 4]);

impl<I: Copy + Ord> TimerTable<I> {
    pub(crate) fn new() -> Self {
        TimerTable([None; 4])
    }

    pub(crate) fn set(&mut self, timer: Timer, deadline: I) {
        self.0[timer as usize] = Some(deadline);
    }

    pub(crate) fn stop(&mut self, timer: Timer) {
        self.0[timer as usize] = None;
    }

    pub(crate) fn stop_all(&mut self) {
        self.0 = [None; 4];
    }

    /// The earliest deadline of all.
    pub(crate) fn earliest(&self) -> Option<I> {
        self.0.iter().flatten().min().copied()
    }

    /// Takes the first timer whose deadline is at or before `now`.
    pub(crate) fn take_expired(&mut self, now: I) -> Option<Timer> {
        let timer = Timer::ALL
            .into_iter()
            .find(|&t| self.0[t as usize].is_some_and(|d| d <= now))?;
        self.stop(timer);
        Some(timer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_and_expiry() {
        let mut t = TimerTable::new();
        assert_eq!(t.earliest(), None);
        t.set(Timer::Poll, 5);
        t.set(Timer::Command, 9);
        assert_eq!(t.earliest(), Some(5));
        assert_eq!(t.take_expired(4), None);
        assert_eq!(t.take_expired(5), Some(Timer::Poll));
        assert_eq!(t.take_expired(5), None);
        assert_eq!(t.earliest(), Some(9));
        t.stop_all();
        assert_eq!(t.earliest(), None);
    }
}
