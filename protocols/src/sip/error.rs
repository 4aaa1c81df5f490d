//! Errors of the SIP codec.
//!
//! Every failure carries the byte offset where the decoder stopped and what it expected
//! there, so a peer (or `callbackd decode sip`) can be told "at byte 57: expected
//! SIP-Version". The kinds fall into the classes of [`ErrorClass`]: input that could
//! not be decoded (answer 400), input over a configured limit (513), input that is
//! well-formed but breaks a rule of RFC 3261 (400), and input we do not support (505).

use std::fmt;

/// A SIP message, or one of its header values, could not be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at byte {offset}: {kind}")]
pub struct ParseError {
    /// Zero-based offset into the message (or the header value, for
    /// [`crate::sip::header::TypedHeader::parse`]) where decoding stopped.
    pub offset: usize,
    /// What went wrong there.
    pub kind: ErrorKind,
}

impl ParseError {
    pub(crate) fn new(offset: usize, kind: ErrorKind) -> Self {
        ParseError { offset, kind }
    }

    pub(crate) fn expected(offset: usize, what: Expected) -> Self {
        ParseError::new(offset, ErrorKind::Expected(what))
    }

    /// Shifts the offset by `base`: turns a value-relative error into a message one.
    pub(crate) fn at(mut self, base: usize) -> Self {
        self.offset += base;
        self
    }

    /// The class of the failure, which decides the answer to the peer.
    pub fn class(&self) -> ErrorClass {
        self.kind.class()
    }
}

/// How a failure is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The bytes do not follow the grammar of RFC 3261 §25 (SIP 400).
    Malformed,
    /// Over a configured [`crate::sip::Limits`] (SIP 513 Message Too Large).
    TooLarge,
    /// Well-formed, but breaks a rule of RFC 3261 (SIP 400); found by
    /// [`crate::sip::Message::validate`].
    Invalid,
    /// Valid SIP we do not implement (SIP 505 for a version).
    Unsupported,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// The grammar wanted something else here.
    #[error("expected {0}")]
    Expected(Expected),
    /// A number does not fit the field it is in.
    #[error("{0} out of range")]
    OutOfRange(Expected),
    /// The message is larger than allowed.
    #[error("message larger than {limit} bytes")]
    MessageTooLarge { limit: usize },
    /// More header fields than allowed.
    #[error("more than {limit} header fields")]
    TooManyHeaders { limit: usize },
    /// One header field (with its continuation lines) is longer than allowed.
    #[error("header field longer than {limit} bytes")]
    HeaderTooLong { limit: usize },
    /// Content-Length promises more bytes than the datagram holds (RFC 3261 §18.3).
    #[error("Content-Length {declared} larger than the {available} bytes of body present")]
    BodyTruncated { declared: usize, available: usize },
    /// A stream message without Content-Length (RFC 3261 §18.3 requires it).
    #[error("Content-Length, required on a stream transport")]
    MissingContentLength,
    /// Several Content-Length header fields disagree (RFC 4475 §3.3.9).
    #[error("one Content-Length, found conflicting values")]
    ConflictingContentLength,
    /// Bytes after the end of a framed message.
    #[error("end of message, found {0} more bytes")]
    TrailingBytes(usize),
    /// A header field every request or response must carry is absent.
    #[error("missing {0} header field")]
    MissingHeader(&'static str),
    /// A header field that may appear once appears again (RFC 3261 §7.3).
    #[error("{0} header field appears more than once")]
    DuplicateHeader(&'static str),
    /// The CSeq method differs from the request method (RFC 3261 §8.1.1.5).
    #[error("CSeq method differs from the request method")]
    CSeqMethodMismatch,
    /// A Request-URI with URI headers (RFC 3261 §19.1.5 forbids them there).
    #[error("no headers in the Request-URI")]
    HeadersInRequestUri,
    /// Valid SIP that we do not implement.
    #[error("unsupported {0}")]
    Unsupported(Unsupported),
}

impl ErrorKind {
    fn class(&self) -> ErrorClass {
        match self {
            ErrorKind::Expected(_)
            | ErrorKind::OutOfRange(_)
            | ErrorKind::BodyTruncated { .. }
            | ErrorKind::MissingContentLength
            | ErrorKind::ConflictingContentLength
            | ErrorKind::TrailingBytes(_) => ErrorClass::Malformed,
            ErrorKind::MessageTooLarge { .. }
            | ErrorKind::TooManyHeaders { .. }
            | ErrorKind::HeaderTooLong { .. } => ErrorClass::TooLarge,
            ErrorKind::MissingHeader(_)
            | ErrorKind::DuplicateHeader(_)
            | ErrorKind::CSeqMethodMismatch
            | ErrorKind::HeadersInRequestUri => ErrorClass::Invalid,
            ErrorKind::Unsupported(_) => ErrorClass::Unsupported,
        }
    }
}

/// Something we recognise but do not implement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    /// A SIP-Version other than `SIP/2.0`.
    SipVersion,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsupported::SipVersion => f.write_str("SIP-Version (only SIP/2.0)"),
        }
    }
}

/// The grammar element the decoder wanted, named as in RFC 3261 §25 where it has a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// Any element: a nom combinator failed without saying more.
    Syntax,
    StartLine,
    Method,
    RequestUri,
    SipVersion,
    StatusCode,
    ReasonPhrase,
    Sp,
    Crlf,
    HeaderName,
    Colon,
    EndOfValue,
    Token,
    Word,
    Digits,
    Scheme,
    Uri,
    Host,
    Port,
    UriParameter,
    UriHeader,
    QuotedString,
    LeftAngle,
    RightAngle,
    /// An addr-spec with `;`, `,` or `?` must be written as name-addr, in `<>`.
    AngleForUri,
    Slash,
    SentProtocol,
    Transport,
    Equals,
    ParamValue,
    MediaType,
    CallId,
    CSeq,
    MaxForwards,
    ContentLength,
    RSeq,
    RAck,
    Date,
    Utf8,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Expected {
    fn name(self) -> &'static str {
        match self {
            Expected::Syntax => "valid syntax",
            Expected::StartLine => "Request-Line or Status-Line",
            Expected::Method => "Method",
            Expected::RequestUri => "Request-URI",
            Expected::SipVersion => "SIP-Version",
            Expected::StatusCode => "Status-Code (3 digits, 100-699)",
            Expected::ReasonPhrase => "Reason-Phrase",
            Expected::Sp => "SP",
            Expected::Crlf => "CRLF",
            Expected::HeaderName => "header field name",
            Expected::Colon => "HCOLON",
            Expected::EndOfValue => "end of header value",
            Expected::Token => "token",
            Expected::Word => "word",
            Expected::Digits => "digits",
            Expected::Scheme => "URI scheme",
            Expected::Uri => "URI",
            Expected::Host => "host",
            Expected::Port => "port",
            Expected::UriParameter => "uri-parameter",
            Expected::UriHeader => "URI header (hname=hvalue)",
            Expected::QuotedString => "closing quote of quoted-string",
            Expected::LeftAngle => "LAQUOT",
            Expected::RightAngle => "RAQUOT",
            Expected::AngleForUri => "name-addr (a URI with ';', ',' or '?' in <>)",
            Expected::Slash => "SLASH",
            Expected::SentProtocol => "sent-protocol",
            Expected::Transport => "transport",
            Expected::Equals => "EQUAL",
            Expected::ParamValue => "gen-value",
            Expected::MediaType => "media-type",
            Expected::CallId => "callid",
            Expected::CSeq => "CSeq number",
            Expected::MaxForwards => "Max-Forwards value",
            Expected::ContentLength => "Content-Length value",
            Expected::RSeq => "response-num",
            Expected::RAck => "RAck value",
            Expected::Date => "rfc1123-date in GMT",
            Expected::Utf8 => "UTF-8 text",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_offset_and_expectation() {
        let err = ParseError::expected(57, Expected::SipVersion);
        assert_eq!(err.to_string(), "at byte 57: expected SIP-Version");
        assert_eq!(err.class(), ErrorClass::Malformed);
    }

    #[test]
    fn unsupported_is_its_own_class() {
        let err = ParseError::new(8, ErrorKind::Unsupported(Unsupported::SipVersion));
        assert_eq!(err.class(), ErrorClass::Unsupported);
        assert!(err.to_string().contains("SIP/2.0"));
    }
}
