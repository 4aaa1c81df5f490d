//! Why a Q.931 message could not be used.
//!
//! The three kinds follow the split of Q.931 §5.8 ("Handling of error conditions") and map
//! onto the cause the receiver reports back:
//!
//! * [`Error::Invalid`]: the octets do not form a message — cause 95, 96 or 100.
//! * [`Error::PeerMisbehaved`]: a well-formed message the peer should not have sent in
//!   that form — cause 101 or 98.
//! * [`Error::Unsupported`]: something valid that callbackd does not implement — cause 79,
//!   97 or 99.

use thiserror::Error;

use crate::call::Cause;

/// A failure to decode or accept a Q.931 message, with the byte offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    #[error("invalid message at byte {offset}: {kind}")]
    Invalid { offset: usize, kind: Invalid },
    #[error("protocol violation at byte {offset}: {kind}")]
    PeerMisbehaved { offset: usize, kind: PeerMisbehaved },
    #[error("not supported at byte {offset}: {kind}")]
    Unsupported { offset: usize, kind: Unsupported },
}

/// A message that cannot be put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EncodeError {
    #[error("information element {ie:#04x} has more than 255 octets of contents")]
    IeTooLong { ie: u8 },
}

/// The octets do not form a valid message (Q.931 §5.8.1–5.8.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Invalid {
    #[error("message too short")]
    Truncated,
    #[error("call reference length {0} (at most 2 octets are used)")]
    CallReferenceLength(u8),
    #[error("information element {ie:#04x} runs past the end of the message")]
    IeTruncated { ie: u8 },
    #[error("contents of information element {ie:#04x} are invalid")]
    IeContents { ie: u8 },
    #[error("mandatory information element {ie:#04x} is missing")]
    MandatoryIeMissing { ie: u8 },
}

/// A decodable message that breaks the protocol's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PeerMisbehaved {
    #[error("locking shift to codeset {codeset} (only higher codesets may be locked)")]
    LockingShiftDown { codeset: u8 },
    #[error("message type {0:#04x} is not allowed in the current call state")]
    MessageNotCompatibleWithState(u8),
    #[error("message type {0:#04x} is not allowed with this call reference")]
    MessageNotCompatibleWithCall(u8),
}

/// Valid, but not something callbackd implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Unsupported {
    #[error("protocol discriminator {0:#04x} (Q.931 is 0x08)")]
    ProtocolDiscriminator(u8),
    #[error("message type {0:#04x}")]
    MessageType(u8),
    #[error("information element {0:#04x}")]
    InformationElement(u8),
    #[error("service or option")]
    Service,
}

impl Error {
    /// The byte offset into the message where the problem was found.
    pub fn offset(&self) -> usize {
        match *self {
            Error::Invalid { offset, .. }
            | Error::PeerMisbehaved { offset, .. }
            | Error::Unsupported { offset, .. } => offset,
        }
    }

    /// The Q.850 cause to report to the peer for this error.
    pub fn cause(&self) -> Cause {
        match self {
            Error::Invalid { kind, .. } => match kind {
                Invalid::MandatoryIeMissing { .. } => Cause::MANDATORY_IE_MISSING,
                Invalid::IeContents { .. } | Invalid::IeTruncated { .. } => {
                    Cause::INVALID_IE_CONTENTS
                }
                Invalid::Truncated | Invalid::CallReferenceLength(_) => Cause::INVALID_MESSAGE,
            },
            Error::PeerMisbehaved { kind, .. } => match kind {
                PeerMisbehaved::MessageNotCompatibleWithState(_) => {
                    Cause::MESSAGE_NOT_COMPATIBLE_WITH_CALL_STATE
                }
                PeerMisbehaved::MessageNotCompatibleWithCall(_)
                | PeerMisbehaved::LockingShiftDown { .. } => {
                    Cause::MESSAGE_NOT_COMPATIBLE_WITH_STATE
                }
            },
            Error::Unsupported { kind, .. } => match kind {
                Unsupported::MessageType(_) | Unsupported::ProtocolDiscriminator(_) => {
                    Cause::MESSAGE_TYPE_NOT_IMPLEMENTED
                }
                Unsupported::InformationElement(_) => Cause::IE_NOT_IMPLEMENTED,
                Unsupported::Service => Cause::SERVICE_NOT_IMPLEMENTED,
            },
        }
    }

    pub(crate) fn invalid(offset: usize, kind: Invalid) -> Error {
        Error::Invalid { offset, kind }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_their_causes() {
        let cases = [
            (Error::invalid(3, Invalid::Truncated), 95),
            (Error::invalid(9, Invalid::MandatoryIeMissing { ie: 4 }), 96),
            (Error::invalid(9, Invalid::IeContents { ie: 8 }), 100),
            (
                Error::PeerMisbehaved {
                    offset: 0,
                    kind: PeerMisbehaved::MessageNotCompatibleWithState(0x07),
                },
                101,
            ),
            (
                Error::PeerMisbehaved {
                    offset: 0,
                    kind: PeerMisbehaved::LockingShiftDown { codeset: 0 },
                },
                98,
            ),
            (
                Error::Unsupported {
                    offset: 4,
                    kind: Unsupported::MessageType(0x60),
                },
                97,
            ),
            (
                Error::Unsupported {
                    offset: 4,
                    kind: Unsupported::Service,
                },
                79,
            ),
        ];
        for (error, cause) in cases {
            assert_eq!(error.cause().value(), cause, "{error}");
        }
    }

    #[test]
    fn display_names_the_offset() {
        let e = Error::invalid(7, Invalid::IeTruncated { ie: 0x70 });
        assert_eq!(e.offset(), 7);
        assert!(e.to_string().contains("byte 7"));
    }
}
