//! `RAck` (RFC 3262 §7.2): which reliable provisional response a PRACK acknowledges.
//!
//! ```text
//! RAck          =  "RAck" HCOLON response-num LWS CSeq-num LWS Method
//! response-num  =  1*DIGIT
//! CSeq-num      =  1*DIGIT
//! ```

use std::fmt::Write as _;

use crate::sip::error::{Expected, ParseError};
use crate::sip::grammar::{expect, fail, is_token, lws, number, run};
use crate::sip::method::Method;

use super::cseq::MAX_SEQ;
use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RAck {
    pub rseq: u32,
    pub cseq: u32,
    pub method: Method,
}

impl TypedHeader for RAck {
    const NAME: HeaderName = HeaderName::RAck;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, |i| {
            let (i, rseq) = number(i, MAX_SEQ, Expected::RAck)?;
            let (i, _) = lws(i).or_else(|_: nom::Err<_>| fail(i, Expected::Sp))?;
            let (i, cseq) = number(i, MAX_SEQ, Expected::CSeq)?;
            let (i, _) = lws(i).or_else(|_: nom::Err<_>| fail(i, Expected::Sp))?;
            let (i, m) = expect(
                Expected::Method,
                nom::bytes::complete::take_while1(is_token),
            )(i)?;
            let (rseq, cseq) = (
                u32::try_from(rseq).unwrap_or(0),
                u32::try_from(cseq).unwrap_or(0),
            );
            Ok((
                i,
                RAck {
                    rseq,
                    cseq,
                    method: Method::from_token(m),
                },
            ))
        })
    }

    fn print(&self, out: &mut String) {
        let _ = write!(out, "{} {} {}", self.rseq, self.cseq, self.method);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_fields() {
        let r = RAck::parse(b"776656 1 INVITE").unwrap();
        assert_eq!(
            r,
            RAck {
                rseq: 776656,
                cseq: 1,
                method: Method::Invite
            }
        );
        assert_eq!(r.to_value(), "776656 1 INVITE");
        assert!(RAck::parse(b"776656 INVITE").is_err());
    }
}
