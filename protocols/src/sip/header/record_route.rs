//! `Record-Route` (RFC 3261 §20.30): proxies that want to stay on the dialog's path.
//!
//! ```text
//! Record-Route  =  "Record-Route" HCOLON rec-route *(COMMA rec-route)
//! rec-route     =  name-addr *( SEMI rr-param )
//! ```

use crate::sip::error::ParseError;
use crate::sip::grammar::run;
use crate::sip::name_addr::{NameAddr, angle_addr_params, print_addr_params};
use crate::sip::params::Params;

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRoute {
    pub addr: NameAddr,
    pub params: Params,
}

impl TypedHeader for RecordRoute {
    const NAME: HeaderName = HeaderName::RecordRoute;
    const LIST: bool = true;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        let (addr, params) = run(value, angle_addr_params)?;
        Ok(RecordRoute { addr, params })
    }

    fn print(&self, out: &mut String) {
        print_addr_params(&self.addr, &self.params, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maddr_param_and_round_trip() {
        let r = RecordRoute::parse(b"<sip:UserB@example.com;maddr=ss1.example.com>").unwrap();
        assert_eq!(
            r.addr.uri.as_sip().unwrap().params.get("maddr"),
            Some(Some("ss1.example.com"))
        );
        assert_eq!(RecordRoute::parse(r.to_value().as_bytes()).unwrap(), r);
        assert!(RecordRoute::parse(b"<sip:x").is_err());
    }
}
