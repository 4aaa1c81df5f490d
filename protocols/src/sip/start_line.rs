//! The first line of a message: Request-Line or Status-Line (RFC 3261 §7.1, §7.2).
//!
//! ```text
//! Request-Line   =  Method SP Request-URI SP SIP-Version CRLF
//! Status-Line    =  SIP-Version SP Status-Code SP Reason-Phrase CRLF
//! SIP-Version    =  "SIP" "/" 1*DIGIT "." 1*DIGIT
//! Status-Code    =  3DIGIT
//! Reason-Phrase  =  *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB)
//! ```
//!
//! Exactly one SP separates the elements: RFC 4475 §3.1.2.8–3.1.2.10 (`lwsruri`,
//! `lwsstart`, `trws`) are refused here. A version other than 2.0 is reported as
//! [`Unsupported::SipVersion`] (answered with 505), not as malformed.

use bytes::Bytes;
use nom::bytes::complete::take_while1;

use super::error::{ErrorKind, Expected, Unsupported};
use super::grammar::{In, PErr, PResult, expect, fail, is_token, number, out_of_range};
use super::method::Method;
use super::uri::{Uri, uri};

/// The first line of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLine {
    Request(RequestLine),
    Response(StatusLine),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    pub method: Method,
    pub uri: Uri,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// 100–699.
    pub code: u16,
    /// The Reason-Phrase octets as received (UTF-8 in a well-behaved peer).
    pub reason: Bytes,
}

fn sp(i: In<'_>) -> PResult<'_, ()> {
    match i.strip_prefix(b" ") {
        Some(r) => Ok((r, ())),
        None => fail(i, Expected::Sp),
    }
}

/// `"SIP/2.0"`; another well-formed version is unsupported.
fn sip_version(i: In<'_>) -> PResult<'_, ()> {
    if i.len() >= 7
        && i[..7].eq_ignore_ascii_case(b"SIP/2.0")
        && !i.get(7).is_some_and(u8::is_ascii_digit)
    {
        return Ok((&i[7..], ()));
    }
    let well_formed = i.len() > 4
        && i[..4].eq_ignore_ascii_case(b"SIP/")
        && number(&i[4..], u64::MAX, Expected::SipVersion).is_ok_and(|(r, _)| {
            r.first() == Some(&b'.') && r.get(1).is_some_and(u8::is_ascii_digit)
        });
    if well_formed {
        return Err(nom::Err::Error(PErr {
            rest: i,
            kind: ErrorKind::Unsupported(Unsupported::SipVersion),
        }));
    }
    fail(i, Expected::SipVersion)
}

fn request_line(i: In<'_>) -> PResult<'_, StartLine> {
    let (i, method) = expect(Expected::Method, take_while1(is_token))(i)?;
    let (i, _) = sp(i)?;
    let end = i.iter().position(|&b| b == b' ').unwrap_or(i.len());
    if end == 0 {
        return fail(i, Expected::RequestUri);
    }
    let (rest, request_uri) = expect(Expected::RequestUri, uri)(&i[..end])?;
    if !rest.is_empty() {
        return fail(rest, Expected::RequestUri);
    }
    let (i, _) = sp(&i[end..])?;
    let (i, _) = sip_version(i)?;
    let line = RequestLine {
        method: Method::from_token(method),
        uri: request_uri,
    };
    Ok((i, StartLine::Request(line)))
}

fn is_reason(b: u8) -> bool {
    b == b'\t' || b >= 0x20 && b != 0x7f
}

fn status_line(i: In<'_>) -> PResult<'_, StartLine> {
    let (i, _) = sip_version(i)?;
    let (i, _) = sp(i)?;
    if i.len() < 3 || !i[..3].iter().all(u8::is_ascii_digit) {
        return fail(i, Expected::StatusCode);
    }
    let (rest, code) = number(&i[..3], 999, Expected::StatusCode)?;
    debug_assert!(rest.is_empty());
    if !(100..=699).contains(&code) {
        return out_of_range(i, Expected::StatusCode);
    }
    let (i, _) = sp(&i[3..])?;
    let end = i.iter().position(|&b| !is_reason(b)).unwrap_or(i.len());
    let reason = Bytes::copy_from_slice(&i[..end]);
    let code = u16::try_from(code).unwrap_or(0);
    Ok((&i[end..], StartLine::Response(StatusLine { code, reason })))
}

/// A start line without its CRLF; the caller has cut the line out.
pub(crate) fn start_line(i: In<'_>) -> PResult<'_, StartLine> {
    if i.len() >= 4 && i[..4].eq_ignore_ascii_case(b"SIP/") {
        status_line(i)
    } else {
        request_line(i)
    }
}

impl StartLine {
    /// Appends the line and its CRLF.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        match self {
            StartLine::Request(r) => {
                out.extend_from_slice(r.method.as_str().as_bytes());
                out.push(b' ');
                out.extend_from_slice(r.uri.to_string().as_bytes());
                out.extend_from_slice(b" SIP/2.0\r\n");
            }
            StartLine::Response(s) => {
                out.extend_from_slice(format!("SIP/2.0 {:03} ", s.code).as_bytes());
                out.extend_from_slice(&s.reason);
                out.extend_from_slice(b"\r\n");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::grammar::offset_in;

    /// The line as the message parser hands it over: exact, no trimming.
    fn parse(s: &[u8]) -> Result<StartLine, (usize, ErrorKind)> {
        match start_line(s) {
            Ok(([], line)) => Ok(line),
            Ok((rest, _)) => Err((offset_in(s, rest), ErrorKind::Expected(Expected::Crlf))),
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err((offset_in(s, e.rest), e.kind)),
            Err(nom::Err::Incomplete(_)) => unreachable!("complete parsers"),
        }
    }

    #[test]
    fn request_line_round_trips() {
        let line = b"INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0";
        let parsed = parse(line).unwrap();
        let mut out = Vec::new();
        parsed.write_to(&mut out);
        assert_eq!(out, [&line[..], b"\r\n"].concat());
    }

    #[test]
    fn status_line_keeps_reason_octets() {
        let parsed = parse("SIP/2.0 200 = 2**3 * 5**2 но сто".as_bytes()).unwrap();
        let StartLine::Response(s) = parsed else {
            panic!()
        };
        assert_eq!(s.code, 200);
        assert_eq!(&s.reason[..], "= 2**3 * 5**2 но сто".as_bytes());
        let StartLine::Response(s) = parse(b"SIP/2.0 100 ").unwrap() else {
            panic!()
        };
        assert!(s.reason.is_empty());
    }

    #[test]
    fn rfc4475_bad_start_lines() {
        let cases: [(&[u8], usize, ErrorKind); 5] = [
            (
                b"INVITE  sip:user@example.com  SIP/2.0",
                7,
                ErrorKind::Expected(Expected::RequestUri),
            ),
            (
                b"OPTIONS sip:remote-target@example.com SIP/2.0  ",
                45,
                ErrorKind::Expected(Expected::Crlf),
            ),
            (
                b"INVITE <sip:user@example.com> SIP/2.0",
                7,
                ErrorKind::Expected(Expected::Scheme),
            ),
            (
                b"OPTIONS sip:t.watson@example.org SIP/7.0",
                33,
                ErrorKind::Unsupported(Unsupported::SipVersion),
            ),
            (
                b"SIP/2.0 4294967301 better not break the receiver",
                11,
                ErrorKind::Expected(Expected::Sp),
            ),
        ];
        for (line, offset, kind) in cases {
            let err = parse(line).unwrap_err();
            assert_eq!(err, (offset, kind), "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn lws_inside_request_uri_is_refused() {
        // RFC 4475 §3.1.2.8: "sip:user@example.com; lr" — the URI ends at the SP.
        let err = parse(b"INVITE sip:user@example.com; lr SIP/2.0").unwrap_err();
        assert_eq!(err, (28, ErrorKind::Expected(Expected::UriParameter)));
    }
}
