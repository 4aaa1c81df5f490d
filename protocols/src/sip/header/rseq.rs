//! `RSeq` (RFC 3262 §7.1): the sequence number of a reliable provisional response.
//!
//! ```text
//! RSeq          =  "RSeq" HCOLON response-num
//! response-num  =  1*DIGIT
//! ```

use crate::sip::error::{Expected, ParseError};
use crate::sip::grammar::{number, run};

use super::cseq::MAX_SEQ;
use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RSeq(pub u32);

impl TypedHeader for RSeq {
    const NAME: HeaderName = HeaderName::RSeq;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        let n = run(value, |i| number(i, MAX_SEQ, Expected::RSeq))?;
        Ok(RSeq(u32::try_from(n).unwrap_or(0)))
    }

    fn print(&self, out: &mut String) {
        out.push_str(&self.0.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_range() {
        assert_eq!(RSeq::parse(b"988789").unwrap(), RSeq(988789));
        assert_eq!(RSeq(1).to_value(), "1");
        assert!(RSeq::parse(b"4294967296").is_err());
    }
}
