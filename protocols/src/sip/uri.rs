//! URIs: `sip:`, `sips:` (RFC 3261 §19.1), `tel:` (RFC 3966) and any other absoluteURI.
//!
//! ```text
//! SIP-URI   =  "sip:" [ userinfo ] hostport uri-parameters [ headers ]
//! SIPS-URI  =  "sips:" [ userinfo ] hostport uri-parameters [ headers ]
//! userinfo  =  ( user / telephone-subscriber ) [ ":" password ] "@"
//! hostport  =  host [ ":" port ]
//! host      =  hostname / IPv4address / IPv6reference
//! headers   =  "?" header *( "&" header )
//! header    =  hname "=" hvalue
//! absoluteURI = scheme ":" ( hier-part / opaque-part )
//! ```
//!
//! `%` escapes are kept exactly as written: `sip:%75se%72@example.com` prints back with
//! its escapes, and comparing URIs by their escaped form is the caller's choice.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use nom::bytes::complete::take_while1;

use super::error::{Expected, ParseError};
use super::grammar::{In, PResult, class, expect, fail, number, run, text};
use super::params::{Params, uri_params};

/// A URI as found in a Request-URI or a header field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uri {
    Sip(SipUri),
    Tel(TelUri),
    /// Any other scheme, kept opaque (RFC 4475 §3.3.2–3.3.4).
    Other(AbsoluteUri),
}

/// A `sip:` or `sips:` URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipUri {
    /// `sips:` rather than `sip:`.
    pub secure: bool,
    pub user: Option<String>,
    pub password: Option<String>,
    pub host: Host,
    pub port: Option<u16>,
    pub params: Params,
    /// The `?hname=hvalue&…` part.
    pub headers: Vec<(String, String)>,
}

/// A `tel:` URI: the number as written and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelUri {
    pub number: String,
    pub params: Params,
}

/// Any other absoluteURI: the scheme and everything after its colon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsoluteUri {
    pub scheme: String,
    pub rest: String,
}

/// The host of a SIP URI or Via.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Name(String),
    V4(Ipv4Addr),
    V6(Ipv6Addr),
}

impl SipUri {
    /// `sip:user@host` with no port, parameters or headers.
    pub fn new(user: Option<&str>, host: Host) -> Self {
        SipUri {
            secure: false,
            user: user.map(str::to_owned),
            password: None,
            host,
            port: None,
            params: Params::default(),
            headers: Vec::new(),
        }
    }
}

impl Uri {
    /// Parses a whole URI.
    pub fn parse(bytes: &[u8]) -> Result<Uri, ParseError> {
        run(bytes, uri)
    }

    /// The SIP URI, if this is one.
    pub fn as_sip(&self) -> Option<&SipUri> {
        match self {
            Uri::Sip(u) => Some(u),
            _ => None,
        }
    }

    /// The scheme, lower case for the ones we know.
    pub fn scheme(&self) -> &str {
        match self {
            Uri::Sip(u) if u.secure => "sips",
            Uri::Sip(_) => "sip",
            Uri::Tel(_) => "tel",
            Uri::Other(o) => &o.scheme,
        }
    }
}

impl Host {
    /// Reads a host from its text: an IPv6 reference, an IPv4 address, or a name.
    pub fn parse(bytes: &[u8]) -> Result<Host, ParseError> {
        run(bytes, host)
    }
}

fn is_scheme(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
}

fn scheme(i: In<'_>) -> PResult<'_, In<'_>> {
    match i.first() {
        Some(b) if b.is_ascii_alphabetic() => {}
        _ => return fail(i, Expected::Scheme),
    }
    let (rest, s) = take_while1(is_scheme)(i)?;
    match rest.strip_prefix(b":") {
        Some(rest) => Ok((rest, s)),
        None => fail(rest, Expected::Scheme),
    }
}

/// A URI that takes all of `i` (the caller has found where it ends).
pub(crate) fn uri(i: In<'_>) -> PResult<'_, Uri> {
    let (rest, s) = scheme(i)?;
    if s.eq_ignore_ascii_case(b"sip") || s.eq_ignore_ascii_case(b"sips") {
        let secure = s.len() == 4;
        let (rest, u) = sip_uri(rest, secure)?;
        return Ok((rest, Uri::Sip(u)));
    }
    if s.eq_ignore_ascii_case(b"tel") {
        let (rest, number) = expect(Expected::Uri, take_while1(|b| b != b';' && b != b'?'))(rest)?;
        let (rest, params) = uri_params(rest)?;
        return Ok((
            rest,
            Uri::Tel(TelUri {
                number: text(number),
                params,
            }),
        ));
    }
    let (end, opaque) = expect(Expected::Uri, take_while1(|b: u8| b.is_ascii_graphic()))(rest)?;
    Ok((
        end,
        Uri::Other(AbsoluteUri {
            scheme: text(s),
            rest: text(opaque),
        }),
    ))
}

static USER: [bool; 256] = class(b"-_.!~*'()%&=+$,;?/");
static PASSWORD: [bool; 256] = class(b"-_.!~*'()%&=+$,");
static HOSTNAME: [bool; 256] = class(b"-._");
static HCHAR: [bool; 256] = class(b"-_.!~*'()%[]/?:+$");

fn is_user(b: u8) -> bool {
    USER[usize::from(b)]
}

fn is_password(b: u8) -> bool {
    PASSWORD[usize::from(b)]
}

/// Checks that every `%` in `s` starts an `escaped` (`"%" HEXDIG HEXDIG`).
fn escapes_ok(s: &[u8]) -> bool {
    s.iter().enumerate().all(|(k, &b)| {
        b != b'%'
            || s.get(k + 1..k + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    })
}

fn userinfo(i: In<'_>) -> PResult<'_, (Option<String>, Option<String>)> {
    let Some(at) = i.iter().position(|&b| b == b'@') else {
        return Ok((i, (None, None)));
    };
    let info = &i[..at];
    let (user, password) = match info.iter().position(|&b| b == b':') {
        Some(c) => (&info[..c], Some(&info[c + 1..])),
        None => (info, None),
    };
    if user.is_empty() || !user.iter().all(|&b| is_user(b)) || !escapes_ok(user) {
        return fail(i, Expected::Uri);
    }
    if password.is_some_and(|p| !p.iter().all(|&b| is_password(b)) || !escapes_ok(p)) {
        return fail(&i[user.len()..], Expected::Uri);
    }
    Ok((&i[at + 1..], (Some(text(user)), password.map(text))))
}

fn is_hostname(b: u8) -> bool {
    HOSTNAME[usize::from(b)]
}

/// `host`: `[IPv6]`, dotted IPv4, or a host name.
pub(crate) fn host(i: In<'_>) -> PResult<'_, Host> {
    if let Some(inner) = i.strip_prefix(b"[") {
        let end = inner.iter().position(|&b| b == b']');
        let addr = end.and_then(|e| std::str::from_utf8(&inner[..e]).ok()?.parse().ok());
        return match (end, addr) {
            (Some(e), Some(a)) => Ok((&inner[e + 1..], Host::V6(a))),
            _ => fail(i, Expected::Host),
        };
    }
    let (rest, name) = expect(Expected::Host, take_while1(is_hostname))(i)?;
    // Only a name that starts and ends with a digit can be an IPv4address.
    let digits_at_ends =
        name.first().is_some_and(u8::is_ascii_digit) && name.last().is_some_and(u8::is_ascii_digit);
    if let Some(v4) = digits_at_ends
        .then(|| std::str::from_utf8(name).ok()?.parse().ok())
        .flatten()
    {
        return Ok((rest, Host::V4(v4)));
    }
    Ok((rest, Host::Name(text(name))))
}

/// `[ ":" port ]`.
pub(crate) fn port(i: In<'_>) -> PResult<'_, Option<u16>> {
    match i.strip_prefix(b":") {
        Some(p) => {
            let (rest, n) = number(p, u64::from(u16::MAX), Expected::Port)?;
            Ok((rest, u16::try_from(n).ok()))
        }
        None => Ok((i, None)),
    }
}

fn is_hchar(b: u8) -> bool {
    HCHAR[usize::from(b)]
}

fn uri_header(i: In<'_>) -> PResult<'_, (String, String)> {
    let (i, name) = expect(Expected::UriHeader, take_while1(is_hchar))(i)?;
    let Some(i) = i.strip_prefix(b"=") else {
        return fail(i, Expected::UriHeader);
    };
    let (i, value) = nom::bytes::complete::take_while(is_hchar)(i)?;
    Ok((i, (text(name), text(value))))
}

fn uri_headers(i: In<'_>) -> PResult<'_, Vec<(String, String)>> {
    let Some(mut i) = i.strip_prefix(b"?") else {
        return Ok((i, Vec::new()));
    };
    let mut headers = Vec::new();
    loop {
        let (rest, h) = uri_header(i)?;
        headers.push(h);
        match rest.strip_prefix(b"&") {
            Some(r) => i = r,
            None => return Ok((rest, headers)),
        }
    }
}

fn sip_uri(i: In<'_>, secure: bool) -> PResult<'_, SipUri> {
    let (i, (user, password)) = userinfo(i)?;
    let (i, host) = host(i)?;
    let (i, port) = port(i)?;
    let (i, params) = uri_params(i)?;
    let (i, headers) = uri_headers(i)?;
    Ok((
        i,
        SipUri {
            secure,
            user,
            password,
            host,
            port,
            params,
            headers,
        },
    ))
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(n) => f.write_str(n),
            Host::V4(a) => write!(f, "{a}"),
            Host::V6(a) => write!(f, "[{a}]"),
        }
    }
}

impl fmt::Display for SipUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.secure { "sips:" } else { "sip:" })?;
        if let Some(user) = &self.user {
            f.write_str(user)?;
            if let Some(pw) = &self.password {
                write!(f, ":{pw}")?;
            }
            f.write_str("@")?;
        }
        write!(f, "{}", self.host)?;
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        let mut params = String::new();
        self.params.print(&mut params);
        f.write_str(&params)?;
        for (k, (name, value)) in self.headers.iter().enumerate() {
            write!(f, "{}{name}={value}", if k == 0 { '?' } else { '&' })?;
        }
        Ok(())
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Uri::Sip(u) => write!(f, "{u}"),
            Uri::Tel(t) => {
                let mut params = String::new();
                t.params.print(&mut params);
                write!(f, "tel:{}{params}", t.number)
            }
            Uri::Other(o) => write!(f, "{}:{}", o.scheme, o.rest),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sip(s: &str) -> SipUri {
        match Uri::parse(s.as_bytes()).unwrap() {
            Uri::Sip(u) => u,
            other => panic!("not sip: {other:?}"),
        }
    }

    #[test]
    fn sip_uri_parts() {
        let u = sip("sips:alice:pw@[2001:db8::10]:5061;transport=tcp;lr?subject=x&priority=urgent");
        assert!(u.secure);
        assert_eq!(u.user.as_deref(), Some("alice"));
        assert_eq!(u.password.as_deref(), Some("pw"));
        assert_eq!(u.host, Host::V6("2001:db8::10".parse().unwrap()));
        assert_eq!(u.port, Some(5061));
        assert_eq!(u.params.get("transport"), Some(Some("tcp")));
        assert!(u.params.has("lr"));
        assert_eq!(u.headers.len(), 2);
    }

    #[test]
    fn escapes_are_kept_and_printed_back() {
        for s in [
            "sip:sips%3Auser%40example.com@example.net",
            "sip:%75se%72@example.com",
            "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31",
            "sip:null-%00-null@example.com",
            "sip:user;par=u%40example.net@example.com",
            "sip:user@example.com?Route=%3Csip:example.com%3E",
            "tel:+48-22-555-1000;phone-context=example.com",
            "sip:192.0.2.1:5060",
        ] {
            assert_eq!(Uri::parse(s.as_bytes()).unwrap().to_string(), s);
        }
    }

    #[test]
    fn rfc4475_unusual_userinfo() {
        // RFC 4475 §3.1.1.2: user and password use every character they may.
        let u = sip(
            "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
        );
        assert_eq!(
            u.user.as_deref(),
            Some("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        );
        assert_eq!(u.host, Host::Name("example.com".into()));
    }

    #[test]
    fn other_schemes_are_opaque() {
        let u = Uri::parse(b"soap.beep://192.0.2.103:3002").unwrap();
        assert_eq!(u.scheme(), "soap.beep");
        assert_eq!(u.to_string(), "soap.beep://192.0.2.103:3002");
    }

    #[test]
    fn malformed_uris_are_refused() {
        for s in [
            "<sip:user@example.com>",
            "sip:",
            "sip:host:99999",
            "sip:us%zzer@h",
            "sip:[::1",
            "sip:h x",
        ] {
            assert!(Uri::parse(s.as_bytes()).is_err(), "{s}");
        }
    }
}
