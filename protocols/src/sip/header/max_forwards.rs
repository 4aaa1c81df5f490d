//! `Max-Forwards` (RFC 3261 §20.22): hops left before the request is dropped.
//!
//! ```text
//! Max-Forwards  =  "Max-Forwards" HCOLON 1*DIGIT
//! ```
//!
//! The value is at most 255 (§8.1.1.6 recommends 70).

use crate::sip::error::{Expected, ParseError};
use crate::sip::grammar::{number, run};

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxForwards(pub u8);

impl TypedHeader for MaxForwards {
    const NAME: HeaderName = HeaderName::MaxForwards;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        let n = run(value, |i| number(i, 255, Expected::MaxForwards))?;
        Ok(MaxForwards(u8::try_from(n).unwrap_or(u8::MAX)))
    }

    fn print(&self, out: &mut String) {
        out.push_str(&self.0.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_and_print() {
        assert_eq!(MaxForwards::parse(b"0068").unwrap(), MaxForwards(68));
        assert_eq!(MaxForwards(70).to_value(), "70");
        assert!(MaxForwards::parse(b"300").is_err());
        assert!(MaxForwards::parse(b"-1").is_err());
    }
}
