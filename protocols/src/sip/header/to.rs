//! `To` (RFC 3261 §20.39): the logical recipient of the request.
//!
//! ```text
//! To        =  ( "To" / "t" ) HCOLON ( name-addr / addr-spec ) *( SEMI to-param )
//! to-param  =  tag-param / generic-param
//! ```

use crate::sip::error::ParseError;
use crate::sip::grammar::run;
use crate::sip::name_addr::{NameAddr, addr_params, print_addr_params};
use crate::sip::params::Params;

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct To {
    pub addr: NameAddr,
    pub params: Params,
}

impl To {
    /// `addr` without a tag (a request outside a dialog).
    pub fn new(addr: NameAddr) -> To {
        To {
            addr,
            params: Params::default(),
        }
    }

    pub fn tag(&self) -> Option<&str> {
        self.params.get("tag").flatten()
    }

    /// Adds the tag a UAS puts on its responses.
    pub fn set_tag(&mut self, tag: &str) {
        self.params
            .0
            .retain(|p| !p.name.eq_ignore_ascii_case("tag"));
        self.params.push("tag", Some(tag));
    }
}

impl TypedHeader for To {
    const NAME: HeaderName = HeaderName::To;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        let (addr, params) = run(value, addr_params)?;
        Ok(To { addr, params })
    }

    fn print(&self, out: &mut String) {
        print_addr_params(&self.addr, &self.params, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addr_spec_with_spaced_tag() {
        let t = To::parse(b"sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n").unwrap();
        assert_eq!(t.tag(), Some("1918181833n"));
        assert_eq!(
            t.to_value(),
            "sip:vivekg@chair-dnrc.example.com;tag=1918181833n"
        );
    }

    #[test]
    fn set_tag_replaces() {
        let mut t = To::parse(b"<sip:+48601111222@pbx;user=phone>;tag=a").unwrap();
        t.set_tag("b");
        assert_eq!(t.to_value(), "<sip:+48601111222@pbx;user=phone>;tag=b");
        assert_eq!(To::parse(t.to_value().as_bytes()).unwrap(), t);
    }

    #[test]
    fn bad_addresses_are_refused() {
        // RFC 4475 §3.1.2.6 quotbal and §3.1.2.14 badaspec.
        assert!(To::parse(br#""Mr. J. User <sip:j.user@example.com>"#).is_err());
        assert!(To::parse(br#""Watson, Thomas" < sip:t.watson@example.org >"#).is_err());
    }
}
