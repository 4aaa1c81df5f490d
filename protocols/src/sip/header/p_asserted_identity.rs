//! `P-Asserted-Identity` (RFC 3325 §9.1): the caller identity within a trust domain.
//!
//! ```text
//! PAssertedID        =  "P-Asserted-Identity" HCOLON PAssertedID-value *(COMMA PAssertedID-value)
//! PAssertedID-value  =  name-addr / addr-spec
//! ```

use crate::sip::error::ParseError;
use crate::sip::grammar::run;
use crate::sip::name_addr::{NameAddr, name_addr};

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PAssertedIdentity(pub NameAddr);

impl TypedHeader for PAssertedIdentity {
    const NAME: HeaderName = HeaderName::PAssertedIdentity;
    const LIST: bool = true;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, name_addr).map(PAssertedIdentity)
    }

    fn print(&self, out: &mut String) {
        out.push_str(&self.0.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sip_and_tel_identities() {
        let p = PAssertedIdentity::parse(br#""Cullen Jennings" <sip:fluffy@cisco.com>"#).unwrap();
        assert_eq!(p.0.display_name().as_deref(), Some("Cullen Jennings"));
        let t = PAssertedIdentity::parse(b"tel:+14085264000").unwrap();
        assert_eq!(t.to_value(), "tel:+14085264000");
        assert!(PAssertedIdentity::parse(b"<sip:x@y>;tag=1").is_err());
    }
}
