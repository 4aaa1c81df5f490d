//! `Require` (RFC 3261 §20.32): extensions the UAS must support to handle the request.
//!
//! ```text
//! Require     =  "Require" HCOLON option-tag *(COMMA option-tag)
//! option-tag  =  token
//! ```

use crate::sip::error::ParseError;
use crate::sip::grammar::{run, text, token};

use super::{HeaderName, TypedHeader};

/// One option-tag of a Require header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Require(pub String);

impl TypedHeader for Require {
    const NAME: HeaderName = HeaderName::Require;
    const LIST: bool = true;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, token).map(|t| Require(text(t)))
    }

    fn print(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_tag_per_element() {
        assert_eq!(
            Require::parse(b" 100rel ").unwrap(),
            Require("100rel".into())
        );
        assert_eq!(Require("timer".into()).to_value(), "timer");
        assert!(Require::parse(b"a b").is_err());
    }
}
