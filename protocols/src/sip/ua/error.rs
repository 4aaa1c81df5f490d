//! Why input was refused.
//!
//! Three kinds, as elsewhere in the crate: bytes that are not SIP ([`InputError::Parse`]),
//! SIP that breaks a rule ([`InputError::Invalid`], [`InputError::Sdp`],
//! [`InputError::MissingContact`]) — both answered with 400 when a response is possible —
//! and a request for an extension we do not implement (answered with 420, not counted).

use thiserror::Error;

use crate::sdp::SdpError;
use crate::sip::ParseError;

/// A datagram or frame the user agent refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    /// Not a SIP message (RFC 3261 §25 grammar, framing, size limits).
    #[error("not a SIP message: {0}")]
    Parse(ParseError),
    /// A SIP message breaking a rule of RFC 3261 §8.1.1 / §20.
    #[error("invalid SIP message: {0}")]
    Invalid(ParseError),
    /// The body claims to be SDP but is not.
    #[error("malformed SDP body: {0}")]
    Sdp(SdpError),
    /// A dialog-creating request or response without a usable Contact (§8.1.1.8).
    #[error("no usable Contact in a dialog-creating message")]
    MissingContact,
}
