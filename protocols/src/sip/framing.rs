//! Finding message boundaries in a stream (SIP over TCP, RFC 3261 §18.3).
//!
//! The driver appends received bytes to a buffer and calls [`frame`] on it:
//! [`Frame::Incomplete`] asks for more bytes, [`Frame::Complete`] gives the length of
//! the first message (leading CRLF keep-alives included) to split off and hand to
//! [`crate::sip::parse_stream`], and [`Frame::Invalid`] means no more bytes can make
//! the buffer a message: the connection should be closed. A complete length is never
//! larger than the buffer.

use super::error::{ErrorKind, ParseError};
use super::head::{ScanError, scan_head};
use super::limits::Limits;

/// What the buffer holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// Not a whole message yet.
    Incomplete,
    /// The first this many bytes are one message.
    Complete(usize),
    /// Never going to be a message.
    Invalid(ParseError),
}

/// Looks for one whole message at the start of `buf`.
pub fn frame(buf: &[u8], limits: &Limits) -> Frame {
    let too_large = || {
        let kind = ErrorKind::MessageTooLarge {
            limit: limits.max_message_size,
        };
        Frame::Invalid(ParseError::new(limits.max_message_size, kind))
    };
    let head = match scan_head(buf, limits, |_| {}) {
        Ok(head) => head,
        Err(ScanError::Invalid(e)) => return Frame::Invalid(e),
        Err(ScanError::Incomplete) if buf.len() > limits.max_message_size => return too_large(),
        Err(ScanError::Incomplete) => return Frame::Incomplete,
    };
    let Some(length) = head.content_length else {
        return Frame::Invalid(ParseError::new(
            head.body_start,
            ErrorKind::MissingContentLength,
        ));
    };
    match head.body_start.checked_add(length) {
        Some(total) if total > limits.max_message_size => too_large(),
        Some(total) if total <= buf.len() => Frame::Complete(total),
        Some(_) => Frame::Incomplete,
        None => too_large(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::error::Expected;

    const MSG: &[u8] = b"\r\n\r\nBYE sip:a@b SIP/2.0\r\nContent-Length: 3\r\n\r\nabcINVITE";

    #[test]
    fn three_outcomes() {
        let limits = Limits::default();
        let end = MSG.len() - b"INVITE".len();
        assert_eq!(frame(MSG, &limits), Frame::Complete(end));
        for cut in 0..end {
            assert_eq!(
                frame(&MSG[..cut], &limits),
                Frame::Incomplete,
                "cut at {cut}"
            );
        }
        let bad = frame(b"BYE sip:a@b SIP/2.0\r\nno colon here\r\n", &limits);
        assert_eq!(
            bad,
            Frame::Invalid(ParseError::expected(24, Expected::Colon))
        );
    }

    #[test]
    fn garbage_is_invalid_as_soon_as_its_first_line_ends() {
        let f = frame(b"GARBAGE\r\n", &Limits::default());
        assert!(matches!(f, Frame::Invalid(_)));
    }

    #[test]
    fn missing_length_and_oversize() {
        let limits = Limits {
            max_message_size: 64,
            ..Limits::default()
        };
        let f = frame(b"BYE sip:a@b SIP/2.0\r\n\r\n", &limits);
        assert!(matches!(
            f,
            Frame::Invalid(ParseError {
                kind: ErrorKind::MissingContentLength,
                ..
            })
        ));
        let f = frame(b"BYE sip:a@b SIP/2.0\r\nl: 4000\r\n\r\n", &limits);
        assert!(matches!(
            f,
            Frame::Invalid(ParseError {
                kind: ErrorKind::MessageTooLarge { .. },
                ..
            })
        ));
        let endless = [&b"BYE sip:a@b SIP/2.0\r\nSubject: "[..], &[b'x'; 100]].concat();
        assert!(matches!(frame(&endless, &limits), Frame::Invalid(_)));
    }
}
