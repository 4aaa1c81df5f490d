//! What every actor of the engine shares, read-only: the configuration, the trunks, the
//! rendered tones and the media clock.

use std::sync::Arc;
use std::time::Duration;

use config::Config;
use drivers::media::{MediaClock, MediaCounters};
use drivers::trunk::{TrunkHandle, TrunkId};

use crate::tones::ToneBank;

/// How long a leg's media may be silent before the call is considered dead.
pub const MEDIA_TIMEOUT: Duration = Duration::from_secs(60);

/// The shared, read-only environment of the coordinator and its sessions. A reload makes
/// a new one; sessions in progress keep the one they started with (spec §3).
#[derive(Debug, Clone)]
pub struct Env {
    pub config: Arc<Config>,
    pub trunks: Arc<Vec<TrunkHandle>>,
    pub tones: Arc<ToneBank>,
    pub clock: MediaClock,
    pub counters: Arc<MediaCounters>,
    pub media_timeout: Duration,
}

impl Env {
    pub fn trunk(&self, id: TrunkId) -> Option<&TrunkHandle> {
        self.trunks.get(id.0)
    }
}

/// The current time as the sans-IO machines take it: tokio's clock, so that actor tests
/// on a paused clock are deterministic.
pub fn now() -> std::time::Instant {
    tokio::time::Instant::now().into_std()
}
