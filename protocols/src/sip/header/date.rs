//! `Date` (RFC 3261 §20.17): when the message was sent, always in GMT.
//!
//! ```text
//! Date          =  "Date" HCOLON SIP-date
//! SIP-date      =  rfc1123-date
//! rfc1123-date  =  wkday "," SP date1 SP time SP "GMT"
//! date1         =  2DIGIT SP month SP 4DIGIT
//! time          =  2DIGIT ":" 2DIGIT ":" 2DIGIT
//! ```
//!
//! RFC 4475 §3.1.2.12 (`baddate`) uses `EST` and is refused.

use crate::sip::error::{Expected, ParseError};
use crate::sip::grammar::{In, PResult, fail, run, text};

use super::{HeaderName, TypedHeader};

/// A Date value, checked against the grammar and kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date(pub String);

const WKDAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// `Www, DD Mmm YYYY HH:MM:SS GMT` is 29 octets; each position has its class.
fn shape_ok(d: &[u8]) -> bool {
    const SHAPE: &[u8; 29] = b"aaa, 99 aaa 9999 99:99:99 GMT";
    d.len() == SHAPE.len()
        && d.iter().zip(SHAPE).all(|(&c, &s)| match s {
            b'9' => c.is_ascii_digit(),
            b'a' => c.is_ascii_alphabetic(),
            _ => c == s,
        })
        && WKDAYS.contains(&&d[0..3])
        && MONTHS.contains(&&d[8..11])
}

fn date(i: In<'_>) -> PResult<'_, Date> {
    if shape_ok(i) {
        Ok((&i[i.len()..], Date(text(i))))
    } else {
        fail(i, Expected::Date)
    }
}

impl TypedHeader for Date {
    const NAME: HeaderName = HeaderName::Date;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, date)
    }

    fn print(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmt_only() {
        let d = Date::parse(b"Sat, 15 Oct 2005 04:44:56 GMT").unwrap();
        assert_eq!(d.to_value(), "Sat, 15 Oct 2005 04:44:56 GMT");
        assert!(Date::parse(b"Fri, 01 Jan 2010 16:00:00 EST").is_err());
        assert!(Date::parse(b"Xyz, 15 Oct 2005 04:44:56 GMT").is_err());
    }
}
