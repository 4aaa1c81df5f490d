//! Network addresses: the `c=` line and the address part of `o=` and `a=rtcp`.
//!
//! ```text
//! connection-field =  [%s"c" "=" nettype SP addrtype SP connection-address CRLF]
//! nettype          =  token              ; typically "IN"
//! addrtype         =  token              ; typically "IP4" or "IP6"
//! connection-address =  multicast-address / unicast-address
//! multicast-address =  IP4-multicast / IP6-multicast / FQDN / extn-addr
//! IP4-multicast    =  m1 3( "." decimal-uchar ) "/" ttl [ "/" numaddr ]
//! IP6-multicast    =  IP6-address [ "/" numaddr ]
//! unicast-address  =  IP4-address / IP6-address / FQDN / extn-addr
//! ```
//! (RFC 8866 §5.7 and §9.) Only the `IN` network type and the `IP4`/`IP6` address types
//! are supported; anything else is [`SdpError::Unsupported`](super::SdpError).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nom::Parser;
use nom::bytes::complete::take_while1;
use nom::character::complete::{char, u8 as dec_u8, u32 as dec_u32};
use nom::combinator::{cut, opt};
use nom::error::context;
use nom::sequence::preceded;

use super::field::{Res, expected, sp, token, unsupported};

/// The `<addrtype>` of an address; the network type is always `IN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddrType {
    Ip4,
    Ip6,
}

impl AddrType {
    /// The address type an IP address is written with.
    pub fn of(ip: IpAddr) -> AddrType {
        match ip {
            IpAddr::V4(_) => AddrType::Ip4,
            IpAddr::V6(_) => AddrType::Ip6,
        }
    }

    /// `IP4` or `IP6`, as written in SDP.
    pub fn as_str(self) -> &'static str {
        match self {
            AddrType::Ip4 => "IP4",
            AddrType::Ip6 => "IP6",
        }
    }
}

/// A host: a literal IP address or a domain name, as the SDP carries it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    Ip(IpAddr),
    /// A fully qualified domain name; resolving it is the driver's business.
    Name(String),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Ip(ip) => write!(f, "{ip}"),
            Host::Name(name) => f.write_str(name),
        }
    }
}

/// `IN <addrtype> <address>`: the address of `o=`, `c=` and `a=rtcp`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    pub addr_type: AddrType,
    pub host: Host,
}

impl Address {
    /// The address of an IP literal, with the matching address type.
    pub fn ip(ip: IpAddr) -> Address {
        Address {
            addr_type: AddrType::of(ip),
            host: Host::Ip(ip),
        }
    }

    /// The IP address, unless the host is a domain name.
    pub fn ip_addr(&self) -> Option<IpAddr> {
        match self.host {
            Host::Ip(ip) => Some(ip),
            Host::Name(_) => None,
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IN {} {}", self.addr_type.as_str(), self.host)
    }
}

/// A `c=` line. `ttl` appears only with IPv4 multicast, and `count` (the number of
/// addresses) only after a `ttl` for IPv4, or on its own for IPv6.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Connection {
    pub address: Address,
    pub ttl: Option<u8>,
    pub count: Option<u32>,
}

impl Connection {
    /// A unicast connection to `ip`.
    pub fn ip(ip: IpAddr) -> Connection {
        Connection {
            address: Address::ip(ip),
            ttl: None,
            count: None,
        }
    }

    /// Whether this is the RFC 2543 hold address `0.0.0.0` (or the IPv6 `::`), by which
    /// an offerer says it wants no media sent to it (RFC 3264 §8.4).
    pub fn is_hold(&self) -> bool {
        self.address.ip_addr().is_some_and(|ip| ip.is_unspecified())
    }
}

impl fmt::Display for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.address)?;
        if let Some(ttl) = self.ttl {
            write!(f, "/{ttl}")?;
        }
        if let Some(count) = self.count {
            write!(f, "/{count}")?;
        }
        Ok(())
    }
}

/// `nettype SP addrtype SP address`, with the address checked against its type.
pub(super) fn address(input: &str) -> Res<'_, Address> {
    let (rest, net) = context("a network type", token).parse(input)?;
    if net != "IN" {
        return unsupported(input, "network type (only IN)");
    }
    let (rest, _) = context("a space", sp).parse(rest)?;
    let (after_type, kind) = context("an address type", token).parse(rest)?;
    let addr_type = match kind {
        "IP4" => AddrType::Ip4,
        "IP6" => AddrType::Ip6,
        _ => return unsupported(rest, "address type (only IP4 and IP6)"),
    };
    let (rest, _) = context("a space", sp).parse(after_type)?;
    let (after, host) = host(addr_type, rest)?;
    Ok((after, Address { addr_type, host }))
}

/// An IP literal of the given type, or a domain name.
fn host(addr_type: AddrType, input: &str) -> Res<'_, Host> {
    let what = match addr_type {
        AddrType::Ip4 => "an IPv4 address or domain name",
        AddrType::Ip6 => "an IPv6 address or domain name",
    };
    let (rest, text) = context(
        what,
        take_while1(|c: char| c.is_ascii_alphanumeric() || ".-:_".contains(c)),
    )
    .parse(input)?;
    match (addr_type, classify(text)) {
        (AddrType::Ip4, Some(Host::Ip(IpAddr::V4(ip)))) => Ok((rest, Host::Ip(ip.into()))),
        (AddrType::Ip6, Some(Host::Ip(IpAddr::V6(ip)))) => Ok((rest, Host::Ip(ip.into()))),
        (_, Some(Host::Name(name))) => Ok((rest, Host::Name(name))),
        _ => expected(input, what),
    }
}

/// An IP literal, a plausible domain name, or nothing.
fn classify(text: &str) -> Option<Host> {
    if let Ok(ip) = text.parse::<Ipv4Addr>() {
        Some(Host::Ip(ip.into()))
    } else if let Ok(ip) = text.parse::<Ipv6Addr>() {
        Some(Host::Ip(ip.into()))
    } else if text.contains(':') {
        None
    } else {
        Some(Host::Name(text.to_owned()))
    }
}

/// The value of a `c=` line.
pub(super) fn connection(input: &str) -> Res<'_, Connection> {
    let (rest, address) = address(input)?;
    let slash_num = |what| preceded(char('/'), cut(context(what, dec_u32)));
    let (rest, ttl, count) = match address.addr_type {
        AddrType::Ip4 => {
            let (rest, ttl) =
                opt(preceded(char('/'), cut(context("a multicast TTL", dec_u8)))).parse(rest)?;
            match ttl {
                Some(_) => {
                    let (rest, count) = opt(slash_num("a number of addresses")).parse(rest)?;
                    (rest, ttl, count)
                }
                None => (rest, None, None),
            }
        }
        AddrType::Ip6 => {
            let (rest, count) = opt(slash_num("a number of addresses")).parse(rest)?;
            (rest, None, count)
        }
    };
    Ok((
        rest,
        Connection {
            address,
            ttl,
            count,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::super::SdpError;
    use super::super::field::{Position, complete};
    use super::*;

    const POS: Position = Position { offset: 2, line: 1 };

    fn parse(value: &str) -> Result<Connection, SdpError> {
        complete(value, POS, "a connection address", connection)
    }

    #[test]
    fn rfc_8866_examples() {
        // RFC 8866 §5.7: "c=IN IP4 233.252.0.1/127", "c=IN IP4 233.252.0.1/127/3",
        // "c=IN IP6 ff00::db8:0:101/3".
        let table: &[(&str, Option<u8>, Option<u32>)] = &[
            ("IN IP4 233.252.0.1/127", Some(127), None),
            ("IN IP4 233.252.0.1/127/3", Some(127), Some(3)),
            ("IN IP6 ff00::db8:0:101/3", None, Some(3)),
            ("IN IP4 198.51.100.1", None, None),
            ("IN IP6 2001:db8::1", None, None),
        ];
        for &(text, ttl, count) in table {
            let c = parse(text).unwrap();
            assert_eq!((c.ttl, c.count), (ttl, count), "{text}");
            assert_eq!(c.to_string(), text);
        }
    }

    #[test]
    fn domain_names_are_kept() {
        let c = parse("IN IP4 media.example.com").unwrap();
        assert_eq!(c.address.host, Host::Name("media.example.com".into()));
        assert_eq!(c.to_string(), "IN IP4 media.example.com");
    }

    #[test]
    fn address_must_match_its_type() {
        assert_eq!(
            parse("IN IP4 2001:db8::1"),
            Err(POS.malformed(7, "an IPv4 address or domain name"))
        );
        assert_eq!(
            parse("IN IP6 192.0.2.1"),
            Err(POS.malformed(7, "an IPv6 address or domain name"))
        );
    }

    #[test]
    fn other_network_and_address_types_are_unsupported() {
        assert_eq!(
            parse("ATM NSAP 47.0091"),
            Err(POS.unsupported(0, "network type (only IN)"))
        );
        assert_eq!(
            parse("IN IPX 1.2.3.4"),
            Err(POS.unsupported(3, "address type (only IP4 and IP6)"))
        );
    }

    #[test]
    fn ttl_out_of_range_is_malformed() {
        assert_eq!(
            parse("IN IP4 233.252.0.1/300"),
            Err(POS.malformed(19, "a multicast TTL"))
        );
    }

    #[test]
    fn hold_address_is_recognised() {
        assert!(parse("IN IP4 0.0.0.0").unwrap().is_hold());
        assert!(!parse("IN IP4 192.0.2.1").unwrap().is_hold());
    }
}
