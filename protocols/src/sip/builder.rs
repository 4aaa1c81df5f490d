//! Building requests and responses to send.
//!
//! ```
//! use protocols::sip::{Message, Method, Uri, header::{CallId, ContentType}};
//!
//! let uri = Uri::parse(b"sip:+48601111222@gw.example.net;user=phone").unwrap();
//! let invite = Message::request(Method::Invite, uri)
//!     .header(&CallId("a84b4c76e66710@pbx".into()))
//!     .body(&ContentType::sdp(), &b"v=0\r\n"[..])
//!     .build();
//! let busy = Message::response_to(&invite, 486, "Busy Here").build();
//! assert_eq!(busy.status(), Some(486));
//! ```
//!
//! [`MessageBuilder::build`] always writes the Content-Length of the body, last.

use bytes::Bytes;

use super::header::{ContentLength, ContentType, Header, HeaderName, Headers, TypedHeader};
use super::message::Message;
use super::method::Method;
use super::start_line::{RequestLine, StartLine, StatusLine};
use super::uri::Uri;

/// A message under construction.
#[derive(Debug, Clone)]
pub struct MessageBuilder {
    start: StartLine,
    headers: Headers,
    body: Bytes,
}

impl Message {
    /// A request for `uri`.
    pub fn request(method: Method, uri: Uri) -> MessageBuilder {
        MessageBuilder::new(StartLine::Request(RequestLine { method, uri }))
    }

    /// A response; `code` is 100–699. A control character in `reason` (HTAB aside)
    /// becomes SP: the Reason-Phrase grammar has none.
    pub fn response(code: u16, reason: &str) -> MessageBuilder {
        let printable = |b: u8| b == b'\t' || (b >= 0x20 && b != 0x7f);
        let reason: Vec<u8> = reason
            .bytes()
            .map(|b| if printable(b) { b } else { b' ' })
            .collect();
        let reason = Bytes::from(reason);
        MessageBuilder::new(StartLine::Response(StatusLine { code, reason }))
    }

    /// A response to `request` carrying its Via, From, To, Call-ID and CSeq fields
    /// (RFC 3261 §8.2.6.2), and its Record-Route for 101–299 (§12.1.1).
    pub fn response_to(request: &Message, code: u16, reason: &str) -> MessageBuilder {
        let mut builder = Message::response(code, reason);
        let copy_rr = (101..300).contains(&code);
        for header in request.headers() {
            let copied = matches!(
                header.name(),
                HeaderName::Via
                    | HeaderName::From
                    | HeaderName::To
                    | HeaderName::CallId
                    | HeaderName::CSeq
            ) || (copy_rr && header.name() == &HeaderName::RecordRoute);
            if copied {
                builder.headers.push(header.clone());
            }
        }
        builder
    }
}

impl MessageBuilder {
    fn new(start: StartLine) -> Self {
        MessageBuilder {
            start,
            headers: Headers::default(),
            body: Bytes::new(),
        }
    }

    /// Appends a typed header field.
    pub fn header<T: TypedHeader>(mut self, value: &T) -> Self {
        self.headers.push(Header::typed(value));
        self
    }

    /// Appends a header field given as text.
    pub fn raw_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push(Header::new(
            HeaderName::from_bytes(name.as_bytes()),
            value.as_bytes(),
        ));
        self
    }

    /// Replaces every field called `T::NAME` by `value` (e.g. the To with a tag).
    pub fn replace<T: TypedHeader>(mut self, value: &T) -> Self {
        let header = Header::typed(value);
        let position = self.headers.iter().position(|h| h.name().matches(&T::NAME));
        self.headers.remove(&T::NAME);
        let mut rebuilt = Headers::default();
        for (k, h) in self.headers.iter().enumerate() {
            if Some(k) == position {
                rebuilt.push(header.clone());
            }
            rebuilt.push(h.clone());
        }
        if position.is_none_or(|p| p >= self.headers.len()) {
            rebuilt.push(header);
        }
        self.headers = rebuilt;
        self
    }

    /// Sets the body and its Content-Type.
    pub fn body(mut self, content_type: &ContentType, body: impl Into<Bytes>) -> Self {
        self.headers.remove(&HeaderName::ContentType);
        self.headers.push(Header::typed(content_type));
        self.body = body.into();
        self
    }

    /// The message, with Content-Length last.
    pub fn build(mut self) -> Message {
        self.headers.remove(&HeaderName::ContentLength);
        self.headers
            .push(Header::typed(&ContentLength(self.body.len())));
        Message {
            start: self.start,
            headers: self.headers,
            body: self.body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::header::{CSeq, To};

    fn invite() -> Message {
        let uri = Uri::parse(b"sip:+48601111222@gw.example.net").unwrap();
        Message::request(Method::Invite, uri)
            .raw_header("Via", "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1")
            .raw_header("From", "<sip:+48225551000@pbx>;tag=1")
            .raw_header("To", "<sip:+48601111222@gw.example.net>")
            .raw_header("Call-ID", "c1@pbx")
            .header(&CSeq {
                seq: 1,
                method: Method::Invite,
            })
            .raw_header("Record-Route", "<sip:proxy;lr>")
            .body(&ContentType::sdp(), &b"v=0\r\n"[..])
            .build()
    }

    #[test]
    fn request_serializes_and_parses_back() {
        let m = invite();
        let bytes = m.to_bytes();
        assert!(bytes.starts_with(b"INVITE sip:+48601111222@gw.example.net SIP/2.0\r\nVia: "));
        assert!(bytes.ends_with(b"Content-Length: 5\r\n\r\nv=0\r\n"));
        assert_eq!(Message::parse(bytes).unwrap(), m);
    }

    #[test]
    fn response_copies_the_dialog_fields() {
        let req = invite();
        let mut to = req.to().unwrap();
        to.set_tag("as83kd9");
        let ringing = Message::response_to(&req, 180, "Ringing")
            .replace(&to)
            .build();
        assert_eq!(ringing.via().unwrap(), req.via().unwrap());
        assert_eq!(ringing.to().unwrap().tag(), Some("as83kd9"));
        assert_eq!(ringing.record_routes().unwrap().len(), 1);
        let names: Vec<_> = ringing
            .headers()
            .iter()
            .map(|h| h.name().as_str().to_owned())
            .collect();
        assert_eq!(
            names,
            [
                "Via",
                "From",
                "To",
                "Call-ID",
                "CSeq",
                "Record-Route",
                "Content-Length"
            ]
        );
        let busy = Message::response_to(&req, 486, "Busy Here").build();
        assert!(busy.record_routes().unwrap().is_empty());
        assert!(busy.to_bytes().starts_with(b"SIP/2.0 486 Busy Here\r\n"));
    }

    #[test]
    fn replace_appends_when_absent() {
        let to = To::parse(b"<sip:a@b>;tag=x").unwrap();
        let m = Message::response(200, "OK").replace(&to).build();
        assert_eq!(m.to().unwrap(), to);
    }
}
