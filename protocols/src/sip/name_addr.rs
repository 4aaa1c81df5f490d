//! `name-addr` and `addr-spec`: the address form of From, To, Contact, Route, P-Asserted-Identity.
//!
//! ```text
//! name-addr      =  [ display-name ] LAQUOT addr-spec RAQUOT
//! addr-spec      =  SIP-URI / SIPS-URI / absoluteURI
//! display-name   =  *(token LWS)/ quoted-string
//! LAQUOT  =  SWS "<"        RAQUOT  =  ">" SWS
//! ```
//!
//! RFC 3261 §20: an addr-spec (no `<>`) cannot carry URI parameters or headers — a `;`
//! after it starts the header parameters, and a URI holding `,`, `;` or `?` must be
//! written as a name-addr. RFC 4475 §3.1.1.6 accepts a display name directly followed
//! by `<`.

use std::fmt;

use super::error::Expected;
use super::grammar::{In, PResult, fail, is_wsp, quoted_string, sws, text, token, unquote};
use super::params::{Params, header_params};
use super::uri::{Uri, uri};

/// An address with its optional display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAddr {
    /// The display name as written: a quoted-string keeps its quotes and escapes;
    /// unquoted words are joined by single spaces.
    pub display: Option<String>,
    pub uri: Uri,
    /// Written as `<uri>` rather than a bare addr-spec.
    pub angle: bool,
}

impl NameAddr {
    /// `<uri>` with no display name.
    pub fn new(uri: Uri) -> Self {
        NameAddr {
            display: None,
            uri,
            angle: true,
        }
    }

    /// `"name" <uri>`, quoting and escaping `name`.
    pub fn with_display(name: &str, uri: Uri) -> Self {
        let mut quoted = String::with_capacity(name.len() + 2);
        quoted.push('"');
        for c in name.chars() {
            if c == '"' || c == '\\' {
                quoted.push('\\');
            }
            quoted.push(c);
        }
        quoted.push('"');
        NameAddr {
            display: Some(quoted),
            uri,
            angle: true,
        }
    }

    /// The display name as text: quotes removed, quoted-pairs resolved.
    pub fn display_name(&self) -> Option<String> {
        let d = self.display.as_deref()?;
        if d.starts_with('"') {
            return Some(text(&unquote(d.as_bytes())));
        }
        Some(d.to_owned())
    }
}

/// `<uri>`: the URI must fill the brackets exactly.
fn angle_uri(i: In<'_>) -> PResult<'_, Uri> {
    let Some(inner) = i.strip_prefix(b"<") else {
        return fail(i, Expected::LeftAngle);
    };
    let Some(end) = inner.iter().position(|&b| b == b'>') else {
        return fail(i, Expected::RightAngle);
    };
    let (rest, u) = uri(&inner[..end])?;
    if !rest.is_empty() {
        return fail(rest, Expected::RightAngle);
    }
    Ok((&inner[end + 1..], u))
}

/// `*(token LWS)` up to `<`; fails (so the caller tries addr-spec) if no `<` follows.
fn display_words(i: In<'_>) -> PResult<'_, String> {
    let mut words: Vec<&[u8]> = Vec::new();
    let mut rest = i;
    loop {
        let (r, w) = token(rest)?;
        words.push(w);
        let (r, _) = sws(r)?;
        if r.first() == Some(&b'<') {
            return Ok((r, text(&words.join(&b' '))));
        }
        rest = r;
    }
}

fn addr_spec(i: In<'_>) -> PResult<'_, Uri> {
    let end = i
        .iter()
        .position(|&b| b == b';' || b == b',' || is_wsp(b))
        .unwrap_or(i.len());
    let (rest, u) = uri(&i[..end])?;
    if !rest.is_empty() {
        let what = if rest[0] == b'?' {
            Expected::AngleForUri
        } else {
            Expected::Uri
        };
        return fail(rest, what);
    }
    if matches!(&u, Uri::Sip(s) if !s.headers.is_empty()) {
        return fail(i, Expected::AngleForUri);
    }
    Ok((&i[end..], u))
}

/// `name-addr / addr-spec`.
pub(crate) fn name_addr(i: In<'_>) -> PResult<'_, NameAddr> {
    let (i, _) = sws(i)?;
    match i.first() {
        Some(b'"') => {
            let (r, q) = quoted_string(i)?;
            let (r, _) = sws(r)?;
            let (r, uri) = angle_uri(r)?;
            Ok((
                r,
                NameAddr {
                    display: Some(text(q)),
                    uri,
                    angle: true,
                },
            ))
        }
        Some(b'<') => {
            let (r, uri) = angle_uri(i)?;
            Ok((
                r,
                NameAddr {
                    display: None,
                    uri,
                    angle: true,
                },
            ))
        }
        _ => match display_words(i) {
            Ok((r, words)) => {
                let (r, uri) = angle_uri(r)?;
                Ok((
                    r,
                    NameAddr {
                        display: Some(words),
                        uri,
                        angle: true,
                    },
                ))
            }
            Err(_) => {
                let (r, uri) = addr_spec(i)?;
                Ok((
                    r,
                    NameAddr {
                        display: None,
                        uri,
                        angle: false,
                    },
                ))
            }
        },
    }
}

/// `name-addr` only: the URI must be in `<>` (Route, Record-Route).
pub(crate) fn name_addr_angle(i: In<'_>) -> PResult<'_, NameAddr> {
    let (r, na) = name_addr(i)?;
    if !na.angle {
        return fail(i, Expected::LeftAngle);
    }
    Ok((r, na))
}

impl fmt::Display for NameAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.display, self.angle) {
            (Some(d), _) => write!(f, "{d} <{}>", self.uri),
            (None, true) => write!(f, "<{}>", self.uri),
            (None, false) => write!(f, "{}", self.uri),
        }
    }
}

/// `(name-addr / addr-spec) *( SEMI generic-param )`: From, To, Contact.
pub(crate) fn addr_params(i: In<'_>) -> PResult<'_, (NameAddr, Params)> {
    let (i, addr) = name_addr(i)?;
    let (i, params) = header_params(i)?;
    Ok((i, (addr, params)))
}

/// `name-addr *( SEMI generic-param )`: Route, Record-Route.
pub(crate) fn angle_addr_params(i: In<'_>) -> PResult<'_, (NameAddr, Params)> {
    let (i, addr) = name_addr_angle(i)?;
    let (i, params) = header_params(i)?;
    Ok((i, (addr, params)))
}

/// Prints `addr;params`.
pub(crate) fn print_addr_params(addr: &NameAddr, params: &Params, out: &mut String) {
    use std::fmt::Write as _;
    let _ = write!(out, "{addr}");
    params.print(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::grammar::run;

    fn parse(s: &str) -> NameAddr {
        run(s.as_bytes(), name_addr).unwrap()
    }

    #[test]
    fn quoted_display_with_escapes() {
        let na = parse(r#""J Rosenberg \\\""       <sip:jdrosen@example.com>"#);
        assert_eq!(na.display_name().as_deref(), Some(r#"J Rosenberg \""#));
        assert_eq!(
            na.to_string(),
            r#""J Rosenberg \\\"" <sip:jdrosen@example.com>"#
        );
    }

    #[test]
    fn token_display_directly_before_angle() {
        // RFC 4475 §3.1.1.6.
        let na = parse("caller<sip:caller@example.com>");
        assert_eq!(na.display.as_deref(), Some("caller"));
        let na = parse("token1~` token2'+_ token3*%!.- <sip:mundane@example.com>");
        assert_eq!(
            na.display.as_deref(),
            Some("token1~` token2'+_ token3*%!.-")
        );
    }

    #[test]
    fn addr_spec_and_other_schemes() {
        let na = parse("sip:user@example.com");
        assert!(!na.angle);
        assert_eq!(parse("isbn:2983792873").uri.scheme(), "isbn");
        assert_eq!(parse("<http://www.example.com>").uri.scheme(), "http");
    }

    #[test]
    fn display_name_round_trips_through_quoting() {
        let uri = Uri::parse(b"sip:a@b").unwrap();
        let na = NameAddr::with_display(r#"Kowalski "JK" \ Jan"#, uri);
        let again = parse(&na.to_string());
        assert_eq!(again, na);
        assert_eq!(
            again.display_name().as_deref(),
            Some(r#"Kowalski "JK" \ Jan"#)
        );
    }

    #[test]
    fn rfc4475_bad_addresses_are_refused() {
        for s in [
            r#""Mr. J. User <sip:j.user@example.com>"#, // §3.1.2.6 quotbal
            r#""Watson, Thomas" < sip:t.watson@example.org >"#, // §3.1.2.14 badaspec
            "Bell, Alexander <sip:a.g.bell@example.com>", // §3.1.2.15 baddn
            "sip:user@example.com?Route=%3Csip:sip.example.com%3E", // §3.1.2.13 regbadct
        ] {
            assert!(run(s.as_bytes(), name_addr).is_err(), "{s}");
        }
    }
}
