//! `Supported` (RFC 3261 §20.37): extensions the sender supports.
//!
//! ```text
//! Supported  =  ( "Supported" / "k" ) HCOLON [option-tag *(COMMA option-tag)]
//! ```

use crate::sip::error::ParseError;
use crate::sip::grammar::{run, text, token};

use super::{HeaderName, TypedHeader};

/// One option-tag of a Supported header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supported(pub String);

impl TypedHeader for Supported {
    const NAME: HeaderName = HeaderName::Supported;
    const LIST: bool = true;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, token).map(|t| Supported(text(t)))
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
            Supported::parse(b"replaces").unwrap(),
            Supported("replaces".into())
        );
        assert_eq!(Supported("100rel".into()).to_value(), "100rel");
        assert!(Supported::parse(b"a;b").is_err());
    }
}
