//! `Content-Length` (RFC 3261 §20.14): the size of the body in octets.
//!
//! ```text
//! Content-Length  =  ( "Content-Length" / "l" ) HCOLON 1*DIGIT
//! ```
//!
//! The framing code reads it itself (it must, to find the end of a message); this type
//! is for typed access and for building messages.

use crate::sip::error::{Expected, ParseError};
use crate::sip::grammar::{number, run};

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentLength(pub usize);

impl TypedHeader for ContentLength {
    const NAME: HeaderName = HeaderName::ContentLength;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        let n = run(value, |i| {
            number(i, u32::MAX.into(), Expected::ContentLength)
        })?;
        Ok(ContentLength(usize::try_from(n).unwrap_or(usize::MAX)))
    }

    fn print(&self, out: &mut String) {
        out.push_str(&self.0.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_only() {
        assert_eq!(ContentLength::parse(b" 150 ").unwrap(), ContentLength(150));
        assert_eq!(ContentLength(0).to_value(), "0");
        assert!(ContentLength::parse(b"-999").is_err());
        assert!(ContentLength::parse(b"12a").is_err());
    }
}
