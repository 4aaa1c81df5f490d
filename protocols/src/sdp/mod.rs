//! SDP session descriptions (RFC 8866, which obsoletes RFC 4566) for audio calls, and the
//! RFC 3264 offer/answer rules callbackd negotiates G.711 with.
//!
//! # Model
//!
//! [`parse`] reads a complete buffer — a SIP body, already framed by its
//! `Content-Length` — into a [`SessionDescription`]: the session-level fields, then one
//! [`MediaDescription`] per `m=` line. Everything the RFC defines is kept: the fields
//! callbackd uses are typed (origin, connection addresses, `rtpmap`, `fmtp`, `ptime`,
//! `maxptime`, the direction attributes, `rtcp`, `rtcp-mux`), the rest (`r=`, `z=`, `k=`,
//! unknown `a=` attributes) verbatim and in order. [`SessionDescription::encode`] writes
//! it back with CRLF line ends.
//!
//! # Invariants
//!
//! * The reader never panics and refuses input over [`MAX_LEN`] bytes unread.
//! * Every error is an [`SdpError`] naming the byte offset, the line and what was
//!   expected there.
//! * For every description the reader returns, `parse(encode(d)) == d`.
//!
//! # Offer/answer
//!
//! [`LocalMedia`] describes what a leg can do (address, port, the preferred G.711 law,
//! RFC 4733 events, packet time). [`LocalMedia::offer`] builds an offer,
//! [`LocalMedia::answer`] answers a peer's offer and [`accept_answer`] checks the peer's
//! answer to ours; both yield the [`Negotiated`] parameters the media path needs.

mod attribute;
mod connection;
mod error;
mod field;
mod media;
mod negotiate;
mod payload;
mod reader;
mod session;

pub use attribute::{Attribute, Direction, Fmtp, Rtcp, Rtpmap};
pub use connection::{AddrType, Address, Connection, Host};
pub use error::SdpError;
pub use media::MediaDescription;
pub use negotiate::{Answer, Law, LocalMedia, Negotiated, NegotiationError, accept_answer};

pub use payload::{Codec, EventSet, TELEPHONE_EVENT, static_codec};
pub use reader::{MAX_LEN, parse};
pub use session::{Bandwidth, Origin, SessionDescription, Timing};
