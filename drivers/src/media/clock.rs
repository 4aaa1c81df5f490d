//! The shared 20 ms media clock.
//!
//! One task ticks for every endpoint of the node; endpoints wait on a `watch` channel for
//! the tick count to change. A slow endpoint that misses a tick sees the count jump and
//! advances its RTP timestamp by the ticks it missed, so the far end's jitter buffer sees
//! a gap rather than time running slow.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::{MissedTickBehavior, interval};

/// The packetisation interval of every stream the node generates.
pub const TICK: Duration = Duration::from_millis(20);

/// A subscription to the shared tick.
#[derive(Debug, Clone)]
pub struct MediaClock {
    ticks: watch::Receiver<u64>,
}

impl MediaClock {
    /// Starts the ticking task; it ends by itself when the last `MediaClock` is dropped.
    pub fn start() -> (MediaClock, JoinHandle<()>) {
        let (tx, rx) = watch::channel(0u64);
        let task = tokio::spawn(async move {
            let mut timer = interval(TICK);
            timer.set_missed_tick_behavior(MissedTickBehavior::Skip);
            let mut count = 0u64;
            loop {
                timer.tick().await;
                count += 1;
                if tx.send(count).is_err() {
                    break;
                }
            }
        });
        (MediaClock { ticks: rx }, task)
    }

    /// Waits for the next tick; returns how many ticks passed since the last call (1
    /// unless this task fell behind), or `None` when the clock has stopped.
    pub async fn next(&mut self, last: &mut u64) -> Option<u64> {
        self.ticks.changed().await.ok()?;
        let now = *self.ticks.borrow_and_update();
        let passed = now.saturating_sub(*last).max(1);
        *last = now;
        Some(passed)
    }

    /// The current tick count.
    pub fn now(&self) -> u64 {
        *self.ticks.borrow()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn ticks_every_20ms_and_reports_missed_ticks() {
        let (mut clock, _task) = MediaClock::start();
        let start = tokio::time::Instant::now();
        let mut last = clock.now();
        assert_eq!(clock.next(&mut last).await, Some(1));
        assert_eq!(clock.next(&mut last).await, Some(1));
        let elapsed = start.elapsed();
        assert!(elapsed >= TICK && elapsed <= 2 * TICK, "{elapsed:?}");
        // Fall behind by five ticks.
        tokio::time::sleep(5 * TICK + TICK / 2).await;
        assert_eq!(clock.next(&mut last).await, Some(5));
    }
}
