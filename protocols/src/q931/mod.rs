//! Q.931 / DSS1 (ETSI EN 300 403-1) codec and call control.
//!
//! * [`Message`] decodes and encodes the basic-call messages with their information
//!   elements ([`ie`]); the codec is symmetric: a decoded message encodes to the same
//!   octets, and `decode(encode(m)) == m`.
//! * [`CallControl`] is the sans-IO call control of one data link, on the user side (TE,
//!   states U0–U25) or the network side (NT, states N0–N25), driven as the crate
//!   documentation describes.
//! * [`Error`] separates undecodable input, protocol violations and unsupported features,
//!   each with the byte offset and the Q.850 cause to report.

mod call_control;
mod call_reference;
mod error;
pub mod ie;
mod message;
mod message_type;
pub mod pair;

pub use call_control::{
    CallControl, CallId, CommandError, Config, Event, NetworkState, Side, State, Timer, Timers,
    UserState,
};
pub use call_reference::{CallReference, CallReferenceSize};
pub use error::{EncodeError, Error, Invalid, PeerMisbehaved, Unsupported};
pub use message::{Header, Message, PROTOCOL_DISCRIMINATOR, decode_header};
pub use message_type::MessageType;
