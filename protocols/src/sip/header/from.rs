//! `From` (RFC 3261 §20.20): the initiator of the request.
//!
//! ```text
//! From        =  ( "From" / "f" ) HCOLON from-spec
//! from-spec   =  ( name-addr / addr-spec ) *( SEMI from-param )
//! from-param  =  tag-param / generic-param
//! tag-param   =  "tag" EQUAL token
//! ```

use crate::sip::error::ParseError;
use crate::sip::grammar::run;
use crate::sip::name_addr::{NameAddr, addr_params, print_addr_params};
use crate::sip::params::Params;

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct From {
    pub addr: NameAddr,
    pub params: Params,
}

impl From {
    /// `addr;tag=<tag>`.
    pub fn new(addr: NameAddr, tag: &str) -> From {
        let mut params = Params::default();
        params.push("tag", Some(tag));
        From { addr, params }
    }

    pub fn tag(&self) -> Option<&str> {
        self.params.get("tag").flatten()
    }
}

impl TypedHeader for From {
    const NAME: HeaderName = HeaderName::From;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        let (addr, params) = run(value, addr_params)?;
        Ok(From { addr, params })
    }

    fn print(&self, out: &mut String) {
        print_addr_params(&self.addr, &self.params, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_tag_and_escaped_display() {
        let f =
            From::parse(br#""J Rosenberg \\\""       <sip:jdrosen@example.com>  ;  tag = 98asjd8"#)
                .unwrap();
        assert_eq!(f.tag(), Some("98asjd8"));
        assert_eq!(f.addr.display_name().as_deref(), Some(r#"J Rosenberg \""#));
        assert_eq!(
            f.to_value(),
            r#""J Rosenberg \\\"" <sip:jdrosen@example.com>;tag=98asjd8"#
        );
    }

    #[test]
    fn addr_spec_params_belong_to_the_header() {
        let f = From::parse(b"sip:caller@example.net;tag=134161461246").unwrap();
        assert_eq!(f.tag(), Some("134161461246"));
        assert!(f.addr.uri.as_sip().unwrap().params.is_empty());
        assert_eq!(From::parse(f.to_value().as_bytes()).unwrap(), f);
    }

    #[test]
    fn baddn_is_refused() {
        // RFC 4475 §3.1.2.15: a display name with a comma must be quoted.
        assert!(From::parse(b"Bell, Alexander <sip:a.g.bell@example.com>;tag=43").is_err());
    }
}
