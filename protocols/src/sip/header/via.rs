//! `Via` (RFC 3261 §20.42): the path a request took and where its response goes.
//!
//! ```text
//! Via               =  ( "Via" / "v" ) HCOLON via-parm *(COMMA via-parm)
//! via-parm          =  sent-protocol LWS sent-by *( SEMI via-params )
//! via-params        =  via-ttl / via-maddr / via-received / via-branch / via-extension
//! sent-protocol     =  protocol-name SLASH protocol-version SLASH transport
//! transport         =  "UDP" / "TCP" / "TLS" / "SCTP" / other-transport
//! sent-by           =  host [ COLON port ]
//! response-port     =  "rport" [EQUAL 1*DIGIT]          ; RFC 3581
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::sip::error::{Expected, ParseError};
use crate::sip::grammar::{In, PResult, fail, lws, number, run, sep, sws, text, token};
use crate::sip::params::{Params, header_params};
use crate::sip::uri::{Host, host};

use super::{HeaderName, TypedHeader};

/// The transport of a Via.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    Udp,
    Tcp,
    Tls,
    Sctp,
    Ws,
    Wss,
    Other(String),
}

impl Transport {
    fn from_token(t: &[u8]) -> Transport {
        let known = [
            (Transport::Udp, "UDP"),
            (Transport::Tcp, "TCP"),
            (Transport::Tls, "TLS"),
            (Transport::Sctp, "SCTP"),
            (Transport::Ws, "WS"),
            (Transport::Wss, "WSS"),
        ];
        known
            .into_iter()
            .find(|(_, n)| n.as_bytes().eq_ignore_ascii_case(t))
            .map_or_else(|| Transport::Other(text(t)), |(k, _)| k)
    }

    pub fn as_str(&self) -> &str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Tls => "TLS",
            Transport::Sctp => "SCTP",
            Transport::Ws => "WS",
            Transport::Wss => "WSS",
            Transport::Other(t) => t,
        }
    }
}

/// One via-parm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Via {
    /// `SIP` in practice.
    pub protocol: Cow<'static, str>,
    /// `2.0` in practice.
    pub version: Cow<'static, str>,
    pub transport: Transport,
    pub host: Host,
    pub port: Option<u16>,
    pub params: Params,
}

impl Via {
    /// `SIP/2.0/<transport> host[:port];branch=<branch>`.
    pub fn new(transport: Transport, host: Host, port: Option<u16>, branch: &str) -> Via {
        let mut params = Params::default();
        params.push("branch", Some(branch));
        Via {
            protocol: Cow::Borrowed("SIP"),
            version: Cow::Borrowed("2.0"),
            transport,
            host,
            port,
            params,
        }
    }

    pub fn branch(&self) -> Option<&str> {
        self.params.get("branch").flatten()
    }

    pub fn received(&self) -> Option<&str> {
        self.params.get("received").flatten()
    }

    /// RFC 3581: `None` if absent, `Some(None)` if asked for, `Some(Some(port))` if filled.
    pub fn rport(&self) -> Option<Option<u16>> {
        let value = self.params.get("rport")?;
        Some(value.and_then(|v| v.parse().ok()))
    }
}

/// `written` as a string, borrowed from `usual` when it is exactly that.
fn known_or(written: &[u8], usual: &'static str) -> Cow<'static, str> {
    if written == usual.as_bytes() {
        Cow::Borrowed(usual)
    } else {
        Cow::Owned(text(written))
    }
}

fn sent_protocol(i: In<'_>) -> PResult<'_, (In<'_>, In<'_>, In<'_>)> {
    let (i, name) = token(i)?;
    let (i, _) = sep(b'/', Expected::Slash)(i)?;
    let (i, version) = token(i)?;
    let (i, _) = sep(b'/', Expected::Slash)(i)?;
    let (i, transport) = token(i)?;
    Ok((i, (name, version, transport)))
}

fn sent_by(i: In<'_>) -> PResult<'_, (Host, Option<u16>)> {
    let (i, h) = host(i)?;
    let (j, _) = sws(i)?;
    if j.first() != Some(&b':') {
        return Ok((i, (h, None)));
    }
    let (j, _) = sep(b':', Expected::Port)(j)?;
    let (j, port) = number(j, u64::from(u16::MAX), Expected::Port)?;
    Ok((j, (h, u16::try_from(port).ok())))
}

fn via_parm(i: In<'_>) -> PResult<'_, Via> {
    let (i, (name, version, transport)) = sent_protocol(i)?;
    let (i, _) = lws(i).or_else(|_: nom::Err<_>| fail(i, Expected::Host))?;
    let (i, (host, port)) = sent_by(i)?;
    let (i, params) = header_params(i)?;
    let via = Via {
        protocol: known_or(name, "SIP"),
        version: known_or(version, "2.0"),
        transport: Transport::from_token(transport),
        host,
        port,
        params,
    };
    Ok((i, via))
}

impl TypedHeader for Via {
    const NAME: HeaderName = HeaderName::Via;
    const LIST: bool = true;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, via_parm)
    }

    fn print(&self, out: &mut String) {
        let _ = write!(
            out,
            "{}/{}/{} {}",
            self.protocol,
            self.version,
            self.transport.as_str(),
            self.host
        );
        if let Some(port) = self.port {
            let _ = write!(out, ":{port}");
        }
        self.params.print(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_params_of_interest() {
        let v = Via::parse(
            b"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;received=198.51.100.7;rport=5062",
        )
        .unwrap();
        assert_eq!(v.transport, Transport::Udp);
        assert_eq!(v.port, Some(5060));
        assert_eq!(v.branch(), Some("z9hG4bK776asdhds"));
        assert_eq!(v.received(), Some("198.51.100.7"));
        assert_eq!(v.rport(), Some(Some(5062)));
        assert_eq!(
            v.to_value(),
            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;received=198.51.100.7;rport=5062"
        );
    }

    #[test]
    fn whitespace_inside_sent_protocol_is_allowed() {
        // RFC 4475 §3.1.1.1, after unfolding.
        let v =
            Via::parse(b"SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239").unwrap();
        assert_eq!(v.host, Host::V4("192.168.255.111".parse().unwrap()));
        assert_eq!(v.branch(), Some("z9hG4bK30239"));
        assert_eq!(
            v.to_value(),
            "SIP/2.0/UDP 192.168.255.111;branch=z9hG4bK30239"
        );
    }

    #[test]
    fn ipv6_and_unknown_transport() {
        let v = Via::parse(b"SIP/2.0/UNKNOWN [2001:db8::9:1]:5070;rport").unwrap();
        assert_eq!(v.transport, Transport::Other("UNKNOWN".into()));
        assert_eq!(v.rport(), Some(None));
        assert_eq!(Via::parse(v.to_value().as_bytes()).unwrap(), v);
    }

    #[test]
    fn malformed_vias_are_refused() {
        // RFC 4475 §3.1.2.1 badinv01: "192.0.2.15;;".
        for bad in [
            "SIP/2.0/UDP 192.0.2.15;;",
            "SIP/2.0 host",
            "SIP/2.0/UDP",
            "SIP/2.0/UDP host:70000",
        ] {
            assert!(Via::parse(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
