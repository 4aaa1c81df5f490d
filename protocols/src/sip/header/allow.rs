//! `Allow` (RFC 3261 §20.5): the methods the sender supports.
//!
//! ```text
//! Allow  =  "Allow" HCOLON [Method *(COMMA Method)]
//! ```

use crate::sip::error::ParseError;
use crate::sip::grammar::{run, token};
use crate::sip::method::Method;

use super::{HeaderName, TypedHeader};

/// One method of an Allow header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow(pub Method);

impl TypedHeader for Allow {
    const NAME: HeaderName = HeaderName::Allow;
    const LIST: bool = true;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, token).map(|t| Allow(Method::from_token(t)))
    }

    fn print(&self, out: &mut String) {
        out.push_str(self.0.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        assert_eq!(Allow::parse(b"PRACK").unwrap(), Allow(Method::Prack));
        assert_eq!(Allow(Method::Bye).to_value(), "BYE");
        assert!(Allow::parse(b"IN VITE").is_err());
    }
}
