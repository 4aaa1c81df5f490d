//! `CSeq` (RFC 3261 §20.16): orders requests within a dialog.
//!
//! ```text
//! CSeq  =  "CSeq" HCOLON 1*DIGIT LWS Method
//! ```
//!
//! §8.1.1.5: the number is below 2**31. RFC 4475 §3.1.2.4–3.1.2.5 (`scalar02`,
//! `scalarlg`) carry larger ones and are refused.

use std::fmt::Write as _;

use crate::sip::error::{Expected, ParseError};
use crate::sip::grammar::{fail, is_token, lws, number, run};
use crate::sip::method::Method;

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CSeq {
    pub seq: u32,
    pub method: Method,
}

/// The largest CSeq number (2**31 - 1).
pub(crate) const MAX_SEQ: u64 = (1 << 31) - 1;

impl TypedHeader for CSeq {
    const NAME: HeaderName = HeaderName::CSeq;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, |i| {
            let (i, seq) = number(i, MAX_SEQ, Expected::CSeq)?;
            let (i, _) = lws(i).or_else(|_: nom::Err<_>| fail(i, Expected::Sp))?;
            let (i, m) = crate::sip::grammar::expect(
                Expected::Method,
                nom::bytes::complete::take_while1(is_token),
            )(i)?;
            let seq = u32::try_from(seq).unwrap_or(0);
            Ok((
                i,
                CSeq {
                    seq,
                    method: Method::from_token(m),
                },
            ))
        })
    }

    fn print(&self, out: &mut String) {
        let _ = write!(out, "{} {}", self.seq, self.method);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::error::ErrorKind;

    #[test]
    fn leading_zeros_and_extension_method() {
        let c = CSeq::parse(b"0009 INVITE").unwrap();
        assert_eq!((c.seq, &c.method), (9, &Method::Invite));
        assert_eq!(c.to_value(), "9 INVITE");
        let c = CSeq::parse(b"29344 RE%47IST%45R").unwrap();
        assert_eq!(c.method.as_str(), "RE%47IST%45R");
    }

    #[test]
    fn overlarge_numbers_are_out_of_range() {
        let err = CSeq::parse(b"36893488147419103232 REGISTER").unwrap_err();
        assert_eq!(err.kind, ErrorKind::OutOfRange(Expected::CSeq));
        assert!(CSeq::parse(b"2147483648 INVITE").is_err());
        assert!(CSeq::parse(b"2147483647 INVITE").is_ok());
    }
}
