//! Trunk drivers and the media engine: the I/O around the sans-IO `protocols` crate.
//!
//! A trunk driver owns the I/O of one trunk — sockets, the mISDN D and B channels, a
//! modem's serial and audio ports — and wraps the sans-IO machines of `protocols`. To the
//! engine it speaks only normalized call events (`protocols::call`). The [`media`] engine
//! moves RTP: tones and digit collection on one leg, the relay between two.
//!
//! Dependency direction: `protocols` ← `drivers` ← `engine`.

pub mod media;
pub mod sip;
pub mod trunk;
pub mod unavailable;
