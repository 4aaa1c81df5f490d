//! A SIP message: its start line, its header fields in order, and its body.
//!
//! Parsing stores each header field raw and parses typed values only when asked for,
//! which keeps parsing cheap and lets an unchanged message serialize byte for byte
//! (leading CRLFs and bytes after the body excepted). Two entry points follow RFC 3261
//! §18.3: [`parse_datagram`] for UDP (Content-Length optional, a shorter one truncates
//! the body, a longer one is an error) and [`parse_stream`] for one message framed by
//! [`crate::sip::frame`] on TCP (Content-Length required and exact).

use bytes::Bytes;

use super::error::{ErrorKind, Expected, ParseError};
use super::head::{Head, ScanError, scan_head};
use super::header::{
    Allow, CSeq, CallId, Contact, ContentLength, ContentType, From, Header, HeaderName, Headers,
    MaxForwards, PAssertedIdentity, Privacy, RAck, RSeq, Reason, RecordRoute, Require, Route,
    Supported, To, Via,
};
use super::limits::Limits;
use super::method::Method;
use super::start_line::{RequestLine, StartLine, StatusLine};

/// A request or a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub(crate) start: StartLine,
    pub(crate) headers: Headers,
    pub(crate) body: Bytes,
}

/// Parses one UDP datagram.
pub fn parse_datagram(datagram: Bytes, limits: &Limits) -> Result<Message, ParseError> {
    if datagram.len() > limits.max_message_size {
        let kind = ErrorKind::MessageTooLarge {
            limit: limits.max_message_size,
        };
        return Err(ParseError::new(limits.max_message_size, kind));
    }
    let (head, headers) = parse_head(&datagram, limits)?;
    let available = datagram.len() - head.body_start;
    let body_len = match head.content_length {
        Some(declared) if declared > available => {
            let kind = ErrorKind::BodyTruncated {
                declared,
                available,
            };
            return Err(ParseError::new(datagram.len(), kind));
        }
        Some(declared) => declared,
        None => available,
    };
    let body = datagram.slice(head.body_start..head.body_start + body_len);
    Ok(Message {
        start: head.start,
        headers,
        body,
    })
}

/// Parses one message framed from a stream: Content-Length must be present and must
/// account for every byte after the header section.
pub fn parse_stream(frame: Bytes, limits: &Limits) -> Result<Message, ParseError> {
    let (head, headers) = parse_head(&frame, limits)?;
    let Some(declared) = head.content_length else {
        return Err(ParseError::new(
            head.body_start,
            ErrorKind::MissingContentLength,
        ));
    };
    let available = frame.len() - head.body_start;
    if declared > available {
        let kind = ErrorKind::BodyTruncated {
            declared,
            available,
        };
        return Err(ParseError::new(frame.len(), kind));
    }
    if declared < available {
        let end = head.body_start + declared;
        return Err(ParseError::new(
            end,
            ErrorKind::TrailingBytes(available - declared),
        ));
    }
    let body = frame.slice(head.body_start..);
    Ok(Message {
        start: head.start,
        headers,
        body,
    })
}

fn parse_head(buf: &Bytes, limits: &Limits) -> Result<(Head, Headers), ParseError> {
    let mut headers = Headers::with_capacity(16);
    let head = scan_head(buf, limits, |f| {
        let name = HeaderName::known(&buf[f.name.clone()])
            .unwrap_or_else(|| HeaderName::Other(buf.slice(f.name)));
        let value = f.value.start - f.field.start..f.value.end - f.field.start;
        headers.push(Header::parsed(
            name,
            buf.slice(f.field),
            value,
            f.value.start,
        ));
    });
    match head {
        Ok(head) => Ok((head, headers)),
        Err(ScanError::Invalid(e)) => Err(e),
        Err(ScanError::Incomplete) => Err(ParseError::expected(buf.len(), Expected::Crlf)),
    }
}

impl Message {
    /// Parses one datagram with the default [`Limits`].
    pub fn parse(bytes: impl Into<Bytes>) -> Result<Message, ParseError> {
        parse_datagram(bytes.into(), &Limits::default())
    }

    pub fn start_line(&self) -> &StartLine {
        &self.start
    }

    pub fn request_line(&self) -> Option<&RequestLine> {
        match &self.start {
            StartLine::Request(r) => Some(r),
            StartLine::Response(_) => None,
        }
    }

    pub fn status_line(&self) -> Option<&StatusLine> {
        match &self.start {
            StartLine::Response(s) => Some(s),
            StartLine::Request(_) => None,
        }
    }

    pub fn is_request(&self) -> bool {
        self.request_line().is_some()
    }

    /// The request method, for a request.
    pub fn method(&self) -> Option<&Method> {
        self.request_line().map(|r| &r.method)
    }

    /// The status code, for a response.
    pub fn status(&self) -> Option<u16> {
        self.status_line().map(|s| s.code)
    }

    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    pub fn headers_mut(&mut self) -> &mut Headers {
        &mut self.headers
    }

    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Appends the message as it goes on the wire.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        self.start.write_to(out);
        for header in &self.headers {
            out.extend_from_slice(header.raw());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
    }

    /// The message as it goes on the wire.
    pub fn to_bytes(&self) -> Bytes {
        let size = 64
            + self.body.len()
            + self
                .headers
                .iter()
                .map(|h| h.raw().len() + 2)
                .sum::<usize>();
        let mut out = Vec::with_capacity(size);
        self.write_to(&mut out);
        Bytes::from(out)
    }

    /// Every via-parm, topmost first.
    pub fn via(&self) -> Result<Vec<Via>, ParseError> {
        self.headers.all()
    }

    pub fn from(&self) -> Result<From, ParseError> {
        self.headers.required(0)
    }

    pub fn to(&self) -> Result<To, ParseError> {
        self.headers.required(0)
    }

    pub fn call_id(&self) -> Result<CallId, ParseError> {
        self.headers.required(0)
    }

    pub fn cseq(&self) -> Result<CSeq, ParseError> {
        self.headers.required(0)
    }

    pub fn contacts(&self) -> Result<Vec<Contact>, ParseError> {
        self.headers.all()
    }

    pub fn max_forwards(&self) -> Result<Option<MaxForwards>, ParseError> {
        self.headers.first()
    }

    pub fn content_length(&self) -> Result<Option<ContentLength>, ParseError> {
        self.headers.first()
    }

    pub fn content_type(&self) -> Result<Option<ContentType>, ParseError> {
        self.headers.first()
    }

    pub fn routes(&self) -> Result<Vec<Route>, ParseError> {
        self.headers.all()
    }

    pub fn record_routes(&self) -> Result<Vec<RecordRoute>, ParseError> {
        self.headers.all()
    }

    pub fn p_asserted_identities(&self) -> Result<Vec<PAssertedIdentity>, ParseError> {
        self.headers.all()
    }

    pub fn privacy(&self) -> Result<Option<Privacy>, ParseError> {
        self.headers.first()
    }

    pub fn reasons(&self) -> Result<Vec<Reason>, ParseError> {
        self.headers.all()
    }

    pub fn rseq(&self) -> Result<Option<RSeq>, ParseError> {
        self.headers.first()
    }

    pub fn rack(&self) -> Result<Option<RAck>, ParseError> {
        self.headers.first()
    }

    pub fn require(&self) -> Result<Vec<Require>, ParseError> {
        self.headers.all()
    }

    pub fn supported(&self) -> Result<Vec<Supported>, ParseError> {
        self.headers.all()
    }

    pub fn allow(&self) -> Result<Vec<Allow>, ParseError> {
        self.headers.all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::uri::Host;

    const INVITE: &[u8] = b"INVITE sip:+48601111222@pbx.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9;rport\r\n\
Max-Forwards: 70\r\n\
From: \"Jan\" <sip:101@pbx.example.com>;tag=9fxced76sl\r\n\
To: <sip:+48601111222@pbx.example.com>\r\n\
Call-ID: 3848276298220188511@192.0.2.10\r\n\
CSeq: 1 INVITE\r\n\
Contact: <sip:101@192.0.2.10:5060>\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 4\r\n\
\r\n\
v=0\r\n";

    #[test]
    fn typed_access_after_raw_parse() {
        let m = Message::parse(INVITE).unwrap();
        assert_eq!(m.method(), Some(&Method::Invite));
        let via = m.via().unwrap();
        assert_eq!(via[0].branch(), Some("z9hG4bK74bf9"));
        assert_eq!(via[0].host, Host::V4("192.0.2.10".parse().unwrap()));
        assert_eq!(m.from().unwrap().tag(), Some("9fxced76sl"));
        assert_eq!(m.cseq().unwrap().seq, 1);
        assert_eq!(m.max_forwards().unwrap(), Some(MaxForwards(70)));
        assert_eq!(&m.body()[..], b"v=0\r");
        assert!(m.to().unwrap().tag().is_none());
    }

    #[test]
    fn unchanged_message_serializes_byte_for_byte() {
        let m = Message::parse(INVITE).unwrap();
        let body_end = INVITE.len() - 1; // Content-Length 4 truncates the body.
        assert_eq!(&m.to_bytes()[..], &INVITE[..body_end]);
        assert_eq!(Message::parse(m.to_bytes()).unwrap(), m);
    }

    #[test]
    fn datagram_content_length_rules() {
        let head = b"OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\n";
        let err = Message::parse([&head[..], b"short"].concat()).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::BodyTruncated {
                declared: 10,
                available: 5
            }
        );
        let no_length = b"OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\nrest of datagram";
        assert_eq!(
            &Message::parse(&no_length[..]).unwrap().body()[..],
            b"rest of datagram"
        );
    }

    #[test]
    fn stream_messages_need_exact_content_length() {
        let limits = Limits::default();
        let ok = Bytes::from_static(b"BYE sip:a@b SIP/2.0\r\nl: 2\r\n\r\nhi");
        assert_eq!(&parse_stream(ok, &limits).unwrap().body()[..], b"hi");
        let missing = Bytes::from_static(b"BYE sip:a@b SIP/2.0\r\n\r\n");
        assert_eq!(
            parse_stream(missing, &limits).unwrap_err().kind,
            ErrorKind::MissingContentLength
        );
        let extra = Bytes::from_static(b"BYE sip:a@b SIP/2.0\r\nl: 0\r\n\r\nxx");
        assert_eq!(
            parse_stream(extra, &limits).unwrap_err().kind,
            ErrorKind::TrailingBytes(2)
        );
    }

    #[test]
    fn typed_errors_carry_message_offsets() {
        let msg = b"BYE sip:a@b SIP/2.0\r\nCSeq: x BYE\r\n\r\n";
        let err = Message::parse(&msg[..]).unwrap().cseq().unwrap_err();
        assert_eq!(err, ParseError::expected(27, Expected::CSeq));
    }

    #[test]
    fn oversized_datagram_is_refused() {
        let limits = Limits {
            max_message_size: 16,
            ..Limits::default()
        };
        let err = parse_datagram(Bytes::from_static(INVITE), &limits).unwrap_err();
        assert_eq!(err.kind, ErrorKind::MessageTooLarge { limit: 16 });
    }
}
