//! Scanning the start line and header section of a message.
//!
//! ```text
//! SIP-message    =  Request / Response
//! Request        =  Request-Line *( message-header ) CRLF [ message-body ]
//! Response       =  Status-Line *( message-header ) CRLF [ message-body ]
//! ```
//!
//! The scanner works on a byte slice and reports each header field as ranges into it,
//! so the framer (which owns no [`bytes::Bytes`]) and the parser share it. It tells
//! "not enough bytes yet" ([`ScanError::Incomplete`]) from "these bytes can never be a
//! message" ([`ScanError::Invalid`]), applies the [`Limits`] as it goes, and reads
//! Content-Length itself, since framing depends on it. Lines end in CRLF; a bare CR or
//! LF is refused. RFC 3261 §7.5: CRLFs before the start line are skipped.

use std::ops::Range;

use super::error::{ErrorKind, Expected, ParseError};
use super::grammar::{PErr, is_token, is_wsp, number, offset_in, trim};
use super::limits::Limits;
use super::start_line::{StartLine, start_line};

/// Why the scan stopped.
#[derive(Debug)]
pub(crate) enum ScanError {
    /// The header section has not ended yet; more bytes may complete it.
    Incomplete,
    /// No more bytes can make this a message.
    Invalid(ParseError),
}

impl From<ParseError> for ScanError {
    fn from(e: ParseError) -> Self {
        ScanError::Invalid(e)
    }
}

/// One header field found by the scan, as ranges into the buffer.
pub(crate) struct FieldSpan {
    pub name: Range<usize>,
    pub field: Range<usize>,
    pub value: Range<usize>,
}

/// What the scan learnt about the message.
pub(crate) struct Head {
    pub start: StartLine,
    pub body_start: usize,
    pub content_length: Option<usize>,
}

/// Scans `buf` up to the empty line that ends the header section.
pub(crate) fn scan_head(
    buf: &[u8],
    limits: &Limits,
    mut on_field: impl FnMut(FieldSpan),
) -> Result<Head, ScanError> {
    let mut pos = 0;
    while buf[pos..].starts_with(b"\r\n") {
        pos += 2;
    }
    let (start, mut pos) = scan_start_line(buf, pos, limits)?;
    let (mut fields, mut content_length) = (0, None);
    loop {
        if pos > limits.max_message_size {
            return Err(ParseError::new(limits.max_message_size, too_large(limits)).into());
        }
        match buf.get(pos..pos + 2) {
            Some(b"\r\n") => {
                return Ok(Head {
                    start,
                    body_start: pos + 2,
                    content_length,
                });
            }
            None if buf.len() - pos < 2 && buf[pos..].iter().all(|&b| b == b'\r') => {
                return Err(ScanError::Incomplete);
            }
            _ => {}
        }
        let span = scan_field(buf, pos, limits)?;
        fields += 1;
        if fields > limits.max_headers {
            let kind = ErrorKind::TooManyHeaders {
                limit: limits.max_headers,
            };
            return Err(ParseError::new(pos, kind).into());
        }
        if is_content_length(&buf[span.name.clone()]) {
            content_length = Some(read_content_length(buf, &span, content_length)?);
        }
        pos = span.field.end + 2;
        on_field(span);
    }
}

fn too_large(limits: &Limits) -> ErrorKind {
    ErrorKind::MessageTooLarge {
        limit: limits.max_message_size,
    }
}

/// The index of the CR of the CRLF ending the line that starts at `from`.
fn line_end(buf: &[u8], from: usize, limits: &Limits) -> Result<usize, ScanError> {
    let Some(k) = memchr::memchr2(b'\r', b'\n', &buf[from..]) else {
        if buf.len() - from > limits.max_header_size {
            let kind = ErrorKind::HeaderTooLong {
                limit: limits.max_header_size,
            };
            return Err(ParseError::new(from, kind).into());
        }
        return Err(ScanError::Incomplete);
    };
    let at = from + k;
    match (buf[at], buf.get(at + 1)) {
        (b'\r', Some(b'\n')) => Ok(at),
        (b'\r', None) => Err(ScanError::Incomplete),
        _ => Err(ParseError::expected(at, Expected::Crlf).into()),
    }
}

fn scan_start_line(
    buf: &[u8],
    pos: usize,
    limits: &Limits,
) -> Result<(StartLine, usize), ScanError> {
    let end = line_end(buf, pos, limits)?;
    let line = &buf[pos..end];
    let at = |rest: &[u8]| offset_in(buf, rest);
    match start_line(line) {
        Ok(([], start)) => Ok((start, end + 2)),
        Ok((rest, _)) => Err(ParseError::expected(at(rest), Expected::Crlf).into()),
        Err(nom::Err::Error(PErr { rest, kind }) | nom::Err::Failure(PErr { rest, kind })) => {
            Err(ParseError::new(at(rest), kind).into())
        }
        Err(nom::Err::Incomplete(_)) => Err(ParseError::expected(pos, Expected::StartLine).into()),
    }
}

/// One header field starting at `pos`, with its continuation lines.
fn scan_field(buf: &[u8], pos: usize, limits: &Limits) -> Result<FieldSpan, ScanError> {
    let mut end = line_end(buf, pos, limits)?;
    let name_len = buf[pos..end]
        .iter()
        .position(|&b| !is_token(b))
        .unwrap_or(end - pos);
    if name_len == 0 {
        return Err(ParseError::expected(pos, Expected::HeaderName).into());
    }
    let mut colon = pos + name_len;
    while colon < end && is_wsp(buf[colon]) {
        colon += 1;
    }
    if colon == end || buf[colon] != b':' {
        return Err(ParseError::expected(colon, Expected::Colon).into());
    }
    loop {
        match buf.get(end + 2) {
            Some(&b) if is_wsp(b) => end = line_end(buf, end + 2, limits)?,
            Some(_) => break,
            None => return Err(ScanError::Incomplete),
        }
        if end - pos > limits.max_header_size {
            break;
        }
    }
    if end - pos > limits.max_header_size {
        let kind = ErrorKind::HeaderTooLong {
            limit: limits.max_header_size,
        };
        return Err(ParseError::new(pos, kind).into());
    }
    let value = value_range(buf, colon + 1, end);
    Ok(FieldSpan {
        name: pos..pos + name_len,
        field: pos..end,
        value,
    })
}

/// The value between `from` and `end`: leading whitespace and folds skipped, trailing
/// whitespace dropped.
fn value_range(buf: &[u8], mut from: usize, end: usize) -> Range<usize> {
    while from < end && (is_wsp(buf[from]) || buf[from] == b'\r' || buf[from] == b'\n') {
        from += 1;
    }
    let trimmed = trim(&buf[from..end]);
    from..from + trimmed.len()
}

fn is_content_length(name: &[u8]) -> bool {
    match name.len() {
        1 => name[0] | 0x20 == b'l',
        14 => name == b"Content-Length" || name.eq_ignore_ascii_case(b"Content-Length"),
        _ => false,
    }
}

fn read_content_length(
    buf: &[u8],
    span: &FieldSpan,
    seen: Option<usize>,
) -> Result<usize, ScanError> {
    let value = &buf[span.value.clone()];
    let at = |rest: &[u8]| offset_in(buf, rest);
    let n = match number(value, u32::MAX.into(), Expected::ContentLength) {
        Ok(([], n)) => n,
        Ok((rest, _)) => return Err(ParseError::expected(at(rest), Expected::ContentLength).into()),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            return Err(ParseError::new(at(e.rest), e.kind).into());
        }
        Err(nom::Err::Incomplete(_)) => return Err(ScanError::Incomplete),
    };
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    match seen {
        Some(prev) if prev != n => {
            Err(ParseError::new(span.field.start, ErrorKind::ConflictingContentLength).into())
        }
        _ => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(buf: &[u8]) -> Result<(Head, Vec<String>), ScanError> {
        let mut names = Vec::new();
        let head = scan_head(buf, &Limits::default(), |f| {
            names.push(String::from_utf8_lossy(&buf[f.name]).into_owned());
        })?;
        Ok((head, names))
    }

    #[test]
    fn folded_fields_and_content_length() {
        let msg = b"\r\nINVITE sip:a@b SIP/2.0\r\nTO :\r\n sip:a@b\r\nl: 4\r\nVia: x\r\n\r\nbody";
        let (head, names) = scan(msg).unwrap();
        assert_eq!(names, ["TO", "l", "Via"]);
        assert_eq!(head.content_length, Some(4));
        assert_eq!(&msg[head.body_start..], b"body");
    }

    #[test]
    fn incomplete_versus_invalid() {
        assert!(matches!(
            scan(b"INVITE sip:a@b SIP/2.0\r\nVia: x\r"),
            Err(ScanError::Incomplete)
        ));
        assert!(matches!(
            scan(b"INVITE sip:a@b SIP/2.0\r\nVia: x\r\n"),
            Err(ScanError::Incomplete)
        ));
        assert!(matches!(
            scan(b"INVITE sip:a@b SIP/2.0\nVia: x\r\n"),
            Err(ScanError::Invalid(_))
        ));
        let Err(ScanError::Invalid(e)) = scan(b"INVITE sip:a@b SIP/2.0\r\nVia x\r\n\r\n") else {
            panic!()
        };
        assert_eq!(e, ParseError::expected(28, Expected::Colon));
    }

    #[test]
    fn negative_and_conflicting_content_length() {
        let Err(ScanError::Invalid(e)) =
            scan(b"OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -999\r\n\r\n")
        else {
            panic!()
        };
        assert_eq!(e, ParseError::expected(41, Expected::ContentLength));
        let Err(ScanError::Invalid(e)) = scan(b"OPTIONS sip:a@b SIP/2.0\r\nl: 13\r\nl: 5\r\n\r\n")
        else {
            panic!()
        };
        assert_eq!(e.kind, ErrorKind::ConflictingContentLength);
    }

    #[test]
    fn limits_are_enforced() {
        let limits = Limits {
            max_headers: 1,
            ..Limits::default()
        };
        let r = scan_head(
            b"BYE sip:a@b SIP/2.0\r\nA: 1\r\nB: 2\r\n\r\n",
            &limits,
            |_| {},
        );
        assert!(matches!(
            r,
            Err(ScanError::Invalid(ParseError {
                kind: ErrorKind::TooManyHeaders { limit: 1 },
                ..
            }))
        ));
        let limits = Limits {
            max_header_size: 10,
            ..Limits::default()
        };
        let r = scan_head(
            b"BYE sip:a@b SIP/2.0\r\nSubject: 0123456789\r\n\r\n",
            &limits,
            |_| {},
        );
        assert!(matches!(
            r,
            Err(ScanError::Invalid(ParseError {
                kind: ErrorKind::HeaderTooLong { .. },
                ..
            }))
        ));
    }
}
