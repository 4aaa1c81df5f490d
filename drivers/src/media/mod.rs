//! The media engine: RTP endpoints that play tones and collect digits, and the relay that
//! bridges two legs.
//!
//! Media never passes through an actor. A call session owns, per leg, either an
//! [`endpoint`] task (tones out, digits in) or, once bridged, one [`bridge`] task holding
//! both legs' sockets; it steers them with a bounded command channel and hears from them
//! on a bounded event channel (digits, media timeout). Sending is paced by one shared
//! [`clock::MediaClock`] that ticks every 20 ms for all sessions, so thousands of legs
//! playing dial tone cost one timer, not thousands. Packet counters are kept per task and
//! flushed to the shared [`MediaCounters`] about once a second.

pub mod bridge;
pub mod clock;
pub mod endpoint;
pub mod ports;
pub mod session;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use protocols::call::Digit;
use protocols::g711::Law;

pub use clock::MediaClock;
pub use ports::{PortPool, RtpSocket};

/// Samples in one 20 ms packet at 8 kHz.
pub const SAMPLES_PER_PACKET: usize = 160;

/// What was negotiated for one leg (from the SDP offer/answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaParams {
    /// Where to send RTP until the peer's first packet shows where it really is.
    pub remote: SocketAddr,
    pub law: Law,
    /// The payload type the peer uses for the G.711 law (normally the static 8 or 0).
    pub audio_pt: u8,
    /// The peer's `telephone-event/8000` payload type, if negotiated.
    pub event_pt: Option<u8>,
    /// Listen for key presses in the audio too (peers without RFC 4733).
    pub inband_dtmf: bool,
}

impl MediaParams {
    /// G.711 of `law` with its static payload type, RFC 4733 on `event_pt`.
    pub fn g711(remote: SocketAddr, law: Law, event_pt: Option<u8>) -> MediaParams {
        MediaParams {
            remote,
            law,
            audio_pt: law.payload_type(),
            event_pt,
            inband_dtmf: false,
        }
    }
}

/// Which leg of a bridge something came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    A,
    B,
}

/// What the media tasks tell their session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaEvent {
    /// A key press, from RFC 4733 or in-band detection. For an endpoint the side is
    /// always `A`.
    Digit(Side, Digit),
    /// No RTP from the peer (either peer, for a bridge) for the media timeout.
    Timeout,
    /// The first packet of a tone went out at this instant (for the dial-tone latency).
    ToneStarted(tokio::time::Instant),
}

/// Packet counters shared by all media tasks (for the metrics endpoint).
#[derive(Debug, Default)]
pub struct MediaCounters {
    pub packets_in: AtomicU64,
    pub packets_out: AtomicU64,
    pub malformed: AtomicU64,
}

/// A task's own counts, added to the shared counters now and then so the hot path never
/// touches a shared cache line.
#[derive(Debug, Default)]
struct LocalCounts {
    packets_in: u64,
    packets_out: u64,
    malformed: u64,
}

impl LocalCounts {
    fn flush(&mut self, shared: &MediaCounters) {
        shared
            .packets_in
            .fetch_add(std::mem::take(&mut self.packets_in), Ordering::Relaxed);
        shared
            .packets_out
            .fetch_add(std::mem::take(&mut self.packets_out), Ordering::Relaxed);
        shared
            .malformed
            .fetch_add(std::mem::take(&mut self.malformed), Ordering::Relaxed);
    }
}

/// How often a task flushes its counts.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// A fresh random 32-bit value for SSRCs and initial sequence numbers/timestamps
/// (RFC 3550 §5.1 asks for random initial values).
fn random_u32() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0x6361_6c6c_6261_636b);
    hasher.finish() as u32
}
