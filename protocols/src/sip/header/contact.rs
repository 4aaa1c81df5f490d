//! `Contact` (RFC 3261 §20.10): where the sender can be reached directly.
//!
//! ```text
//! Contact        =  ("Contact" / "m" ) HCOLON ( STAR / (contact-param *(COMMA contact-param)))
//! contact-param  =  (name-addr / addr-spec) *(SEMI contact-params)
//! contact-params =  c-p-q / c-p-expires / contact-extension
//! ```
//!
//! `*` (with `Expires: 0`) removes every binding in a REGISTER.

use crate::sip::error::ParseError;
use crate::sip::grammar::{run, trim};
use crate::sip::name_addr::{NameAddr, addr_params, print_addr_params};
use crate::sip::params::Params;

use super::{HeaderName, TypedHeader};

/// One contact-param, or the wildcard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contact {
    /// `Contact: *`.
    Wildcard,
    Address {
        addr: NameAddr,
        params: Params,
    },
}

impl Contact {
    /// `<uri>`.
    pub fn new(addr: NameAddr) -> Contact {
        Contact::Address {
            addr,
            params: Params::default(),
        }
    }

    /// The address, unless this is the wildcard.
    pub fn addr(&self) -> Option<&NameAddr> {
        match self {
            Contact::Address { addr, .. } => Some(addr),
            Contact::Wildcard => None,
        }
    }

    /// The `expires` parameter, if present and a number.
    pub fn expires(&self) -> Option<u32> {
        match self {
            Contact::Address { params, .. } => params.get("expires").flatten()?.parse().ok(),
            Contact::Wildcard => None,
        }
    }
}

impl TypedHeader for Contact {
    const NAME: HeaderName = HeaderName::Contact;
    const LIST: bool = true;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        if trim(value) == b"*" {
            return Ok(Contact::Wildcard);
        }
        let (addr, params) = run(value, addr_params)?;
        Ok(Contact::Address { addr, params })
    }

    fn print(&self, out: &mut String) {
        match self {
            Contact::Wildcard => out.push('*'),
            Contact::Address { addr, params } => print_addr_params(addr, params, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_and_address() {
        assert_eq!(Contact::parse(b" * ").unwrap(), Contact::Wildcard);
        assert_eq!(Contact::Wildcard.to_value(), "*");
        let c = Contact::parse(br#""Quoted string \"\"" <sip:jdrosen@example.com> ; newparam = newvalue ; secondparam ; q = 0.33"#).unwrap();
        assert_eq!(
            c.addr().unwrap().display_name().as_deref(),
            Some(r#"Quoted string """#)
        );
        assert_eq!(
            c.to_value(),
            r#""Quoted string \"\"" <sip:jdrosen@example.com>;newparam=newvalue;secondparam;q=0.33"#
        );
    }

    #[test]
    fn expires_and_round_trip() {
        let c = Contact::parse(b"<sip:user@host129.example.com>;expires=3600").unwrap();
        assert_eq!(c.expires(), Some(3600));
        assert_eq!(Contact::parse(c.to_value().as_bytes()).unwrap(), c);
    }

    #[test]
    fn empty_params_are_refused() {
        // RFC 4475 §3.1.2.1 badinv01.
        assert!(Contact::parse(br#""Joe" <sip:joe@example.org>;;;;"#).is_err());
    }
}
