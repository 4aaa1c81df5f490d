//! `Route` (RFC 3261 §20.34): the proxies a request must visit.
//!
//! ```text
//! Route        =  "Route" HCOLON route-param *(COMMA route-param)
//! route-param  =  name-addr *( SEMI rr-param )
//! ```

use crate::sip::error::ParseError;
use crate::sip::grammar::run;
use crate::sip::name_addr::{NameAddr, angle_addr_params, print_addr_params};
use crate::sip::params::Params;

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub addr: NameAddr,
    pub params: Params,
}

impl TypedHeader for Route {
    const NAME: HeaderName = HeaderName::Route;
    const LIST: bool = true;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        let (addr, params) = run(value, angle_addr_params)?;
        Ok(Route { addr, params })
    }

    fn print(&self, out: &mut String) {
        print_addr_params(&self.addr, &self.params, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_route_with_params() {
        let r = Route::parse(b"<sip:services.example.com;lr;unknownwith=value;unknown-no-value>")
            .unwrap();
        assert!(r.addr.uri.as_sip().unwrap().params.has("lr"));
        assert_eq!(
            r.to_value(),
            "<sip:services.example.com;lr;unknownwith=value;unknown-no-value>"
        );
    }

    #[test]
    fn addr_spec_is_not_a_route() {
        assert!(Route::parse(b"sip:proxy.example.com").is_err());
    }
}
