//! Why a session description could not be read.
//!
//! Every error names where the reader stopped — a zero-based byte offset into the whole
//! input and the one-based line it lies on — and what it expected there. "The input is
//! not SDP" ([`SdpError::Malformed`]) is kept apart from "the input is SDP we do not
//! handle" ([`SdpError::Unsupported`]): a SIP user agent answers the first with `400 Bad
//! Request` and may answer the second with `488 Not Acceptable Here`.

use thiserror::Error;

/// A session description that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SdpError {
    /// The input is longer than [`MAX_LEN`](super::MAX_LEN); nothing of it was read.
    #[error("session description of {len} bytes exceeds the limit of {max} bytes")]
    TooLarge { len: usize, max: usize },
    /// The input breaks the RFC 8866 grammar.
    #[error("line {line}, byte {offset}: expected {expected}")]
    Malformed {
        offset: usize,
        line: usize,
        expected: &'static str,
    },
    /// The input is well formed but uses something callbackd does not implement (a network
    /// type other than `IN`, an address type other than `IP4`/`IP6`, an unknown line type).
    #[error("line {line}, byte {offset}: unsupported {what}")]
    Unsupported {
        offset: usize,
        line: usize,
        what: &'static str,
    },
}

impl SdpError {
    /// The zero-based byte offset the error points at (the limit, for [`SdpError::TooLarge`]).
    pub fn offset(&self) -> usize {
        match *self {
            SdpError::TooLarge { max, .. } => max,
            SdpError::Malformed { offset, .. } | SdpError::Unsupported { offset, .. } => offset,
        }
    }

    /// The one-based line the error lies on, if the input was read at all.
    pub fn line(&self) -> Option<usize> {
        match *self {
            SdpError::TooLarge { .. } => None,
            SdpError::Malformed { line, .. } | SdpError::Unsupported { line, .. } => Some(line),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_line_offset_and_expectation() {
        let err = SdpError::Malformed {
            offset: 42,
            line: 3,
            expected: "a session name",
        };
        assert_eq!(err.to_string(), "line 3, byte 42: expected a session name");
        assert_eq!((err.offset(), err.line()), (42, Some(3)));
    }

    #[test]
    fn too_large_points_at_the_limit() {
        let err = SdpError::TooLarge {
            len: 20_000,
            max: 16_384,
        };
        assert_eq!((err.offset(), err.line()), (16_384, None));
        assert!(err.to_string().contains("20000"));
    }
}
