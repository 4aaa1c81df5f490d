//! Sans-IO protocol codecs and state machines for callbackd.
//!
//! Nothing in this crate performs I/O, reads a clock, spawns a task or takes a lock: bytes
//! and the current time go in, parsed messages, messages to send, events and the next
//! deadline come out. The trunk drivers own the sockets, serial ports and timers and feed
//! this crate; the tests feed it from tables and a virtual clock.
//!
//! # Codecs
//!
//! * [`sip`]: RFC 3261 messages — framing (datagram and stream), parsing with typed
//!   access to the headers callbackd uses, serialisation.
//! * [`sdp`]: RFC 8866 audio session descriptions and the RFC 3264 offer/answer helper.
//! * [`rtp`]: RFC 3550 packets and RFC 4733 telephone events; [`g711`] A-law and µ-law;
//!   [`tone`] call-progress tones per tone plan; [`dtmf`] in-band key detection.
//! * [`q931`]: ITU-T Q.931 / ETSI EN 300 403 (DSS1) messages and information elements.
//! * [`at`]: 3GPP TS 27.007 / V.250 AT command lines, results and vendor profiles.
//! * [`call`]: the normalized call events and commands every trunk kind maps onto.
//!
//! Every decoder works on a complete, framed buffer and rejects trailing garbage; every
//! encoder is its inverse where the format allows (`decode(encode(x)) == x`).
//!
//! # The drive loop of a state machine
//!
//! The state machines in this crate (SIP transactions, the SIP trunk's user agent, Q.931
//! call control, the modem call machine) share one contract, so a driver is written once
//! per I/O kind:
//!
//! 1. Feed input as it arrives: `handle_*(…, now)` with the received bytes or command.
//! 2. Drain the outputs, in this order, until each returns `None`:
//!    `poll_transmit()` (bytes to put on the wire), then `poll_event()` (what happened, for
//!    the layer above).
//! 3. Ask `poll_timeout()` for the earliest deadline and arm one timer for it. When it
//!    fires, call `handle_timeout(now)` and go back to step 2. Calling `handle_timeout`
//!    early, or twice for the same deadline, is harmless.
//!
//! `now` is an opaque monotonic instant supplied by the caller; the machines never read a
//! clock themselves, which is what lets the tests drive them with a virtual one.

#![forbid(unsafe_code)]

pub mod at;
pub mod call;
pub mod dtmf;
pub mod g711;
pub mod q931;
pub mod rtp;
pub mod sdp;
pub mod sip;
pub mod tone;
