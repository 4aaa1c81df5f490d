//! Rules a well-formed message must also follow (RFC 3261 §7.3, §8.1.1, §8.2, §19.1.5).
//!
//! Parsing accepts any message that follows the grammar far enough to be framed;
//! [`Message::validate`] then applies what a UAS checks before acting on a request:
//! every typed header it carries parses, the mandatory fields are there, the
//! single-valued ones appear once, the CSeq method is the request's, the Request-URI
//! carries no headers. RFC 4475 §3.1.2 lists messages refused here.

use super::error::{ErrorKind, ParseError};
use super::header::{
    Allow, CSeq, CallId, Contact, ContentLength, ContentType, Date, From, Header, HeaderName,
    MaxForwards, PAssertedIdentity, Privacy, RAck, RSeq, Reason, RecordRoute, Require, Route,
    Supported, To, TypedHeader, Via,
};
use super::message::Message;
use super::uri::Uri;

/// Headers that may appear once.
const SINGLE: [(HeaderName, &str); 7] = [
    (HeaderName::From, "From"),
    (HeaderName::To, "To"),
    (HeaderName::CallId, "Call-ID"),
    (HeaderName::CSeq, "CSeq"),
    (HeaderName::MaxForwards, "Max-Forwards"),
    (HeaderName::ContentLength, "Content-Length"),
    (HeaderName::ContentType, "Content-Type"),
];

impl Message {
    /// Checks the rules above; the error names the first offending field's offset.
    pub fn validate(&self) -> Result<(), ParseError> {
        for header in &self.headers {
            check_typed(header)?;
        }
        self.check_single()?;
        if self.via()?.is_empty() {
            return Err(ParseError::new(0, ErrorKind::MissingHeader("Via")));
        }
        let (_, _, cseq) = (self.from()?, self.to()?, self.cseq()?);
        self.call_id()?;
        let Some(line) = self.request_line() else {
            return Ok(());
        };
        if cseq.method != line.method {
            let at = self
                .headers
                .named(&HeaderName::CSeq)
                .next()
                .map_or(0, Header::offset);
            return Err(ParseError::new(at, ErrorKind::CSeqMethodMismatch));
        }
        if matches!(&line.uri, Uri::Sip(u) if !u.headers.is_empty()) {
            let at = line.method.as_str().len() + 1;
            return Err(ParseError::new(at, ErrorKind::HeadersInRequestUri));
        }
        Ok(())
    }

    fn check_single(&self) -> Result<(), ParseError> {
        for (name, label) in &SINGLE {
            if let Some(second) = self.headers.named(name).nth(1) {
                return Err(ParseError::new(
                    second.offset(),
                    ErrorKind::DuplicateHeader(label),
                ));
            }
        }
        Ok(())
    }
}

fn check<T: TypedHeader>(header: &Header) -> Result<(), ParseError> {
    header.parse_all::<T>().map(drop)
}

fn check_typed(header: &Header) -> Result<(), ParseError> {
    match header.name() {
        HeaderName::Via => check::<Via>(header),
        HeaderName::From => check::<From>(header),
        HeaderName::To => check::<To>(header),
        HeaderName::CallId => check::<CallId>(header),
        HeaderName::CSeq => check::<CSeq>(header),
        HeaderName::Contact => check::<Contact>(header),
        HeaderName::MaxForwards => check::<MaxForwards>(header),
        HeaderName::ContentLength => check::<ContentLength>(header),
        HeaderName::ContentType => check::<ContentType>(header),
        HeaderName::Route => check::<Route>(header),
        HeaderName::RecordRoute => check::<RecordRoute>(header),
        HeaderName::PAssertedIdentity => check::<PAssertedIdentity>(header),
        HeaderName::Privacy => check::<Privacy>(header),
        HeaderName::Reason => check::<Reason>(header),
        HeaderName::RSeq => check::<RSeq>(header),
        HeaderName::RAck => check::<RAck>(header),
        HeaderName::Require => check::<Require>(header),
        HeaderName::Supported => check::<Supported>(header),
        HeaderName::Allow => check::<Allow>(header),
        HeaderName::Date => check::<Date>(header),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "OPTIONS sip:a@example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:b@example.com>;tag=1\r\n\
To: <sip:a@example.com>\r\nCall-ID: x@h\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n";

    fn validate(extra: &str) -> Result<(), ParseError> {
        Message::parse(format!("{BASE}{extra}\r\n"))
            .unwrap()
            .validate()
    }

    #[test]
    fn a_plain_request_is_valid() {
        assert_eq!(validate(""), Ok(()));
    }

    #[test]
    fn duplicates_and_mismatches() {
        assert_eq!(
            validate("Max-Forwards: 5\r\n").unwrap_err().kind,
            ErrorKind::DuplicateHeader("Max-Forwards")
        );
        let bad_cseq = Message::parse(BASE.replace("1 OPTIONS", "1 INVITE") + "\r\n").unwrap();
        assert_eq!(
            bad_cseq.validate().unwrap_err().kind,
            ErrorKind::CSeqMethodMismatch
        );
    }

    #[test]
    fn bad_typed_values_and_missing_fields() {
        assert!(validate("Date: Fri, 01 Jan 2010 16:00:00 EST\r\n").is_err());
        let no_from =
            Message::parse(BASE.replace("From: <sip:b@example.com>;tag=1\r\n", "") + "\r\n")
                .unwrap();
        assert_eq!(
            no_from.validate().unwrap_err().kind,
            ErrorKind::MissingHeader("From")
        );
    }

    #[test]
    fn headers_in_request_uri() {
        let m = Message::parse(
            BASE.replace("sip:a@example.com SIP", "sip:a@example.com?Route=x SIP") + "\r\n",
        )
        .unwrap();
        assert_eq!(
            m.validate().unwrap_err(),
            ParseError::new(8, ErrorKind::HeadersInRequestUri)
        );
    }
}
