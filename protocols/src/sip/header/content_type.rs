//! `Content-Type` (RFC 3261 §20.15): the media type of the body.
//!
//! ```text
//! Content-Type  =  ( "Content-Type" / "c" ) HCOLON media-type
//! media-type    =  m-type SLASH m-subtype *(SEMI m-parameter)
//! m-parameter   =  m-attribute EQUAL m-value
//! m-value       =  token / quoted-string
//! ```

use std::fmt::Write as _;

use crate::sip::error::{Expected, ParseError};
use crate::sip::grammar::{run, sep, text, token};
use crate::sip::params::{Params, header_params};

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    pub mtype: String,
    pub subtype: String,
    pub params: Params,
}

impl ContentType {
    /// `type/subtype` without parameters.
    pub fn new(mtype: &str, subtype: &str) -> ContentType {
        ContentType {
            mtype: mtype.into(),
            subtype: subtype.into(),
            params: Params::default(),
        }
    }

    /// `application/sdp`.
    pub fn sdp() -> ContentType {
        ContentType::new("application", "sdp")
    }

    /// Whether this is `mtype/subtype`, ignoring case.
    pub fn is(&self, mtype: &str, subtype: &str) -> bool {
        self.mtype.eq_ignore_ascii_case(mtype) && self.subtype.eq_ignore_ascii_case(subtype)
    }
}

impl TypedHeader for ContentType {
    const NAME: HeaderName = HeaderName::ContentType;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, |i| {
            let (i, m) = token(i)?;
            let (i, _) = sep(b'/', Expected::MediaType)(i)?;
            let (i, s) = token(i)?;
            let (i, params) = header_params(i)?;
            Ok((
                i,
                ContentType {
                    mtype: text(m),
                    subtype: text(s),
                    params,
                },
            ))
        })
    }

    fn print(&self, out: &mut String) {
        let _ = write!(out, "{}/{}", self.mtype, self.subtype);
        self.params.print(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_subtype_and_params() {
        let c = ContentType::parse(b"multipart/mixed;boundary=7a9cbec02ceef655").unwrap();
        assert!(c.is("Multipart", "MIXED"));
        assert_eq!(c.params.get("boundary"), Some(Some("7a9cbec02ceef655")));
        assert_eq!(c.to_value(), "multipart/mixed;boundary=7a9cbec02ceef655");
        assert_eq!(ContentType::sdp().to_value(), "application/sdp");
        assert!(ContentType::parse(b"application").is_err());
    }
}
