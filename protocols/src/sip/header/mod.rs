//! Header fields: stored raw, parsed into typed values on demand.
//!
//! ```text
//! message-header  =  header-name HCOLON header-value *(COMMA header-value) CRLF
//! HCOLON          =  *( SP / HTAB ) ":" SWS
//! ```
//!
//! A [`Header`] keeps the field exactly as received (name, colon, value and any line
//! folds), so an unchanged message serializes byte for byte; it also keeps where its
//! value starts in the message, so a typed parse failure names a message offset.
//! Typed access goes through [`TypedHeader`]: each typed header lives in its own file
//! beside this one, with its grammar quoted and its parse and print tests.

mod allow;
mod call_id;
mod contact;
mod content_length;
mod content_type;
mod cseq;
mod date;
mod from;
mod max_forwards;
mod name;
mod p_asserted_identity;
mod privacy;
mod rack;
mod reason;
mod record_route;
mod require;
mod route;
mod rseq;
mod supported;
mod to;
mod via;

use std::ops::Range;

use bytes::Bytes;

pub use allow::Allow;
pub use call_id::CallId;
pub use contact::Contact;
pub use content_length::ContentLength;
pub use content_type::ContentType;
pub use cseq::CSeq;
pub use date::Date;
pub use from::From;
pub use max_forwards::MaxForwards;
pub use name::HeaderName;
pub use p_asserted_identity::PAssertedIdentity;
pub use privacy::Privacy;
pub use rack::RAck;
pub use reason::Reason;
pub use record_route::RecordRoute;
pub use require::Require;
pub use route::Route;
pub use rseq::RSeq;
pub use supported::Supported;
pub use to::To;
pub use via::{Transport, Via};

use super::error::{ErrorKind, ParseError};
use super::grammar::{split_list, trim, unfold};

/// A header with a typed form.
pub trait TypedHeader: Sized {
    /// The header this type reads.
    const NAME: HeaderName;
    /// Whether the value is a comma-separated list whose elements are each a `Self`
    /// (Via, Contact, Route, …); several fields of the header then form one list.
    const LIST: bool = false;

    /// Parses one value (one list element, for a list header). The value has no line
    /// folds; error offsets are relative to it.
    fn parse(value: &[u8]) -> Result<Self, ParseError>;

    /// Prints the value as it goes on the wire.
    fn print(&self, out: &mut String);

    /// The printed value.
    fn to_value(&self) -> String {
        let mut out = String::new();
        self.print(&mut out);
        out
    }
}

/// One header field.
#[derive(Debug, Clone)]
pub struct Header {
    name: HeaderName,
    /// The whole field, without its final CRLF.
    raw: Bytes,
    /// Where the value lies in `raw`: after HCOLON and its whitespace, without
    /// trailing whitespace.
    value: Range<usize>,
    /// Where `value` starts in the message it was parsed from (0 when built).
    offset: usize,
}

impl PartialEq for Header {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.raw == other.raw && self.value == other.value
    }
}

impl Eq for Header {}

impl Header {
    /// `Name: value`, with the canonical spelling of a known name. A CR or LF in
    /// `value` becomes SP, so a value can never end the field early.
    pub fn new(name: HeaderName, value: &[u8]) -> Header {
        let mut raw = Vec::with_capacity(name.as_str().len() + 2 + value.len());
        raw.extend_from_slice(name.as_str().as_bytes());
        raw.extend_from_slice(b": ");
        let start = raw.len();
        raw.extend(
            trim(value)
                .iter()
                .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
        );
        let value = start..raw.len();
        Header {
            name,
            raw: Bytes::from(raw),
            value,
            offset: 0,
        }
    }

    /// The header carrying `typed`.
    pub fn typed<T: TypedHeader>(typed: &T) -> Header {
        Header::new(T::NAME, typed.to_value().as_bytes())
    }

    /// A field received in a message: `value` is its range within `raw`, and `offset`
    /// where that range starts in the message.
    pub(crate) fn parsed(
        name: HeaderName,
        raw: Bytes,
        value: Range<usize>,
        offset: usize,
    ) -> Header {
        Header {
            name,
            raw,
            value,
            offset,
        }
    }

    pub fn name(&self) -> &HeaderName {
        &self.name
    }

    /// The name as written in the field (`v`, `VIA`, `Via`, …).
    pub fn name_as_written(&self) -> &[u8] {
        let len = self
            .raw
            .iter()
            .position(|&b| !super::grammar::is_token(b))
            .unwrap_or(self.raw.len());
        &self.raw[..len]
    }

    /// The value as received, line folds included.
    pub fn value(&self) -> &[u8] {
        &self.raw[self.value.clone()]
    }

    /// The whole field as received, without its final CRLF.
    pub fn raw(&self) -> &Bytes {
        &self.raw
    }

    /// Where the value starts in the message (0 for a header built locally).
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Every element of this field, as `T`s.
    pub fn parse_all<T: TypedHeader>(&self) -> Result<Vec<T>, ParseError> {
        let mut out = Vec::new();
        self.elements(|t| out.push(t))?;
        Ok(out)
    }

    /// Parses every element of this field as a `T`, calling `each` with it.
    fn elements<T: TypedHeader>(&self, mut each: impl FnMut(T)) -> Result<(), ParseError> {
        let value = unfold(self.value());
        if !T::LIST {
            return T::parse(&value).map(each).map_err(|e| e.at(self.offset));
        }
        if trim(&value).is_empty() {
            return Ok(()); // `Supported:` and `Allow:` may be empty.
        }
        for (at, element) in split_list(&value) {
            let typed = T::parse(element).map_err(|e| e.at(self.offset + at))?;
            each(typed);
        }
        Ok(())
    }
}

/// The header fields of a message, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<Header>);

impl Headers {
    pub fn with_capacity(capacity: usize) -> Headers {
        Headers(Vec::with_capacity(capacity))
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Header> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, header: Header) {
        self.0.push(header);
    }

    /// Puts `header` before every other field (a proxy's Via, a Record-Route).
    pub fn push_front(&mut self, header: Header) {
        self.0.insert(0, header);
    }

    /// Removes every field called `name`.
    pub fn remove(&mut self, name: &HeaderName) {
        self.0.retain(|h| !h.name.matches(name));
    }

    /// The fields called `name`, in order.
    pub fn named<'a>(&'a self, name: &'a HeaderName) -> impl Iterator<Item = &'a Header> + 'a {
        self.0.iter().filter(move |h| h.name.matches(name))
    }

    /// Every element of every `T` field, in order.
    pub fn all<T: TypedHeader>(&self) -> Result<Vec<T>, ParseError> {
        let mut out = Vec::new();
        for header in self.named(&T::NAME) {
            header.elements(|t| out.push(t))?;
        }
        Ok(out)
    }

    /// The first `T`: the first element of the first field called `T::NAME`.
    pub fn first<T: TypedHeader>(&self) -> Result<Option<T>, ParseError> {
        let name = T::NAME;
        let Some(header) = self.named(&name).next() else {
            return Ok(None);
        };
        let mut first = None;
        header.elements(|t| {
            if first.is_none() {
                first = Some(t);
            }
        })?;
        Ok(first)
    }

    /// The `T` a message must carry; its absence is an error at `offset`.
    pub fn required<T: TypedHeader>(&self, offset: usize) -> Result<T, ParseError> {
        self.first()?.ok_or(ParseError::new(
            offset,
            ErrorKind::MissingHeader(name_of::<T>()),
        ))
    }
}

fn name_of<T: TypedHeader>() -> &'static str {
    T::NAME.canonical().unwrap_or("typed")
}

impl<'a> IntoIterator for &'a Headers {
    type Item = &'a Header;
    type IntoIter = std::slice::Iter<'a, Header>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_header_has_canonical_name_and_trimmed_value() {
        let h = Header::new(HeaderName::CallId, b"  abc@host ");
        assert_eq!(&h.raw()[..], b"Call-ID: abc@host");
        assert_eq!(h.value(), b"abc@host");
    }

    #[test]
    fn built_header_cannot_smuggle_a_line() {
        let h = Header::new(HeaderName::Subject, b"hi\r\nVia: evil");
        assert_eq!(&h.raw()[..], b"Subject: hi  Via: evil");
    }

    #[test]
    fn list_headers_collect_every_element_of_every_field() {
        let mut hs = Headers::default();
        hs.push(Header::new(HeaderName::Supported, b"100rel, timer"));
        hs.push(Header::new(HeaderName::from_bytes(b"k"), b"replaces"));
        let tags: Vec<Supported> = hs.all().unwrap();
        assert_eq!(
            tags.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
            ["100rel", "timer", "replaces"]
        );
    }

    #[test]
    fn missing_required_header_names_itself() {
        let err = Headers::default().required::<CSeq>(0).unwrap_err();
        assert_eq!(err.kind, ErrorKind::MissingHeader("CSeq"));
    }
}
