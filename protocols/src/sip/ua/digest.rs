//! HTTP digest authentication as SIP uses it (RFC 3261 §22.4, RFC 7616, RFC 8760).
//!
//! ```text
//! challenge     =  "Digest" LWS digest-cln *(COMMA digest-cln)
//! digest-cln    =  realm / domain / nonce / opaque / stale / algorithm / qop-options / auth-param
//! algorithm     =  "algorithm" EQUAL ( "MD5" / "MD5-sess" / "SHA-256" / "SHA-256-sess" / token )
//! qop-options   =  "qop" EQUAL LDQUOT qop-value *("," qop-value) RDQUOT
//!
//! HA1      = H(username ":" realm ":" password)              ; "-sess": H(HA1 ":" nonce ":" cnonce)
//! HA2      = H(method ":" digest-uri)                        ; auth-int: H(method ":" uri ":" H(body))
//! response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)   ; qop given
//! response = H(HA1 ":" nonce ":" HA2)                             ; RFC 2069 form, no qop
//! ```
//!
//! When a response carries several challenges (RFC 8760 §2.4: SHA-256 first, MD5 for old
//! clients), the first one with an algorithm we implement is answered.

use std::fmt::Write as _;

use md5::Md5;
use sha2::{Digest, Sha256};

use super::config::Credentials;

/// The hash of a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}

impl Algorithm {
    fn parse(name: &str) -> Option<Algorithm> {
        let known = [
            ("MD5", Algorithm::Md5),
            ("MD5-sess", Algorithm::Md5Sess),
            ("SHA-256", Algorithm::Sha256),
            ("SHA-256-sess", Algorithm::Sha256Sess),
        ];
        known
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, a)| a)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    fn hash(self, data: &str) -> String {
        let bytes: Vec<u8> = match self {
            Algorithm::Md5 | Algorithm::Md5Sess => Md5::digest(data.as_bytes()).to_vec(),
            Algorithm::Sha256 | Algorithm::Sha256Sess => Sha256::digest(data.as_bytes()).to_vec(),
        };
        hex(&bytes)
    }

    fn session(self) -> bool {
        matches!(self, Algorithm::Md5Sess | Algorithm::Sha256Sess)
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The quality of protection chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qop {
    Auth,
    AuthInt,
}

/// One `Digest` challenge from WWW-Authenticate or Proxy-Authenticate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    pub opaque: Option<String>,
    pub algorithm: Algorithm,
    /// `auth` when offered, else `auth-int`, else the RFC 2069 form.
    pub qop: Option<Qop>,
}

/// What one request's digest is computed over.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    pub uri: &'a str,
    pub body: &'a [u8],
}

impl Challenge {
    /// Parses a challenge; `None` for another scheme, a missing realm or nonce, or an
    /// algorithm we do not implement.
    pub fn parse(value: &str) -> Option<Challenge> {
        let value = value.trim_start();
        let (scheme, rest) = value.split_at(value.find(char::is_whitespace)?);
        if !scheme.eq_ignore_ascii_case("Digest") {
            return None;
        }
        let params = auth_params(rest)?;
        let get = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let algorithm = match get("algorithm") {
            Some(name) => Algorithm::parse(&name)?,
            None => Algorithm::Md5,
        };
        let qop = get("qop").and_then(|list| {
            let offered: Vec<&str> = list.split(',').map(str::trim).collect();
            let has = |q: &str| offered.iter().any(|o| o.eq_ignore_ascii_case(q));
            if has("auth") {
                Some(Qop::Auth)
            } else if has("auth-int") {
                Some(Qop::AuthInt)
            } else {
                None
            }
        });
        Some(Challenge {
            realm: get("realm")?,
            nonce: get("nonce")?,
            opaque: get("opaque"),
            algorithm,
            qop,
        })
    }

    /// The request-digest (RFC 7616 §3.4.1).
    pub fn response(
        &self,
        credentials: &Credentials,
        request: Request<'_>,
        cnonce: &str,
        nc: u32,
    ) -> String {
        let h = |s: &str| self.algorithm.hash(s);
        let mut ha1 = h(&format!(
            "{}:{}:{}",
            credentials.username, self.realm, credentials.password
        ));
        if self.algorithm.session() {
            ha1 = h(&format!("{ha1}:{}:{cnonce}", self.nonce));
        }
        let ha2 = match self.qop {
            Some(Qop::AuthInt) => {
                let body = match self.algorithm {
                    Algorithm::Md5 | Algorithm::Md5Sess => hex(&Md5::digest(request.body)),
                    _ => hex(&Sha256::digest(request.body)),
                };
                h(&format!("{}:{}:{body}", request.method, request.uri))
            }
            _ => h(&format!("{}:{}", request.method, request.uri)),
        };
        match self.qop {
            Some(qop) => h(&format!(
                "{ha1}:{}:{nc:08x}:{cnonce}:{}:{ha2}",
                self.nonce,
                qop_name(qop)
            )),
            None => h(&format!("{ha1}:{}:{ha2}", self.nonce)),
        }
    }

    /// The Authorization (or Proxy-Authorization) value answering this challenge.
    pub fn authorization(
        &self,
        credentials: &Credentials,
        request: Request<'_>,
        cnonce: &str,
        nc: u32,
    ) -> String {
        let response = self.response(credentials, request, cnonce, nc);
        let mut out = format!(
            "Digest username={}, realm={}, nonce={}, uri={}, response={}, algorithm={}",
            quote(&credentials.username),
            quote(&self.realm),
            quote(&self.nonce),
            quote(request.uri),
            quote(&response),
            self.algorithm.as_str()
        );
        if let Some(qop) = self.qop {
            let _ = write!(
                out,
                ", cnonce={}, qop={}, nc={nc:08x}",
                quote(cnonce),
                qop_name(qop)
            );
        }
        if let Some(opaque) = &self.opaque {
            let _ = write!(out, ", opaque={}", quote(opaque));
        }
        out
    }
}

fn qop_name(qop: Qop) -> &'static str {
    match qop {
        Qop::Auth => "auth",
        Qop::AuthInt => "auth-int",
    }
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `name=value` pairs separated by commas; values are tokens or quoted-strings.
fn auth_params(mut s: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if s.is_empty() {
            return Some(out);
        }
        let eq = s.find('=')?;
        let name = s[..eq].trim().to_owned();
        if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == ',') {
            return None;
        }
        s = s[eq + 1..].trim_start();
        let (value, rest) = if let Some(quoted) = s.strip_prefix('"') {
            unquote_prefix(quoted)?
        } else {
            let end = s.find(',').unwrap_or(s.len());
            (s[..end].trim().to_owned(), &s[end..])
        };
        out.push((name, value));
        s = rest;
    }
}

/// The quoted-string at the start of `s` (after its opening quote) and what follows.
fn unquote_prefix(s: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &s[i + 1..])),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

/// The first challenge among `values` that we can answer.
pub fn first_supported<'a>(values: impl IntoIterator<Item = &'a [u8]>) -> Option<Challenge> {
    values
        .into_iter()
        .filter_map(|v| std::str::from_utf8(v).ok())
        .find_map(Challenge::parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mufasa(password: &str) -> Credentials {
        Credentials {
            username: "Mufasa".into(),
            password: password.into(),
        }
    }

    const GET: Request<'static> = Request {
        method: "GET",
        uri: "/dir/index.html",
        body: b"",
    };

    /// RFC 7616 §3.9.1: the same request answered with SHA-256 and with MD5.
    #[test]
    fn rfc7616_section_3_9_1() {
        let cases = [
            (
                "SHA-256",
                "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            ),
            ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ];
        for (algorithm, want) in cases {
            let header = format!(
                r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#
            );
            let c = Challenge::parse(&header).unwrap();
            assert_eq!(c.qop, Some(Qop::Auth));
            let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
            let got = c.response(&mufasa("Circle of Life"), GET, cnonce, 1);
            assert_eq!(got, want, "{algorithm}");
        }
    }

    /// RFC 2617 §3.5 (MD5, qop=auth).
    #[test]
    fn rfc2617_section_3_5() {
        let c = Challenge::parse(
            r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        )
        .unwrap();
        let got = c.response(&mufasa("Circle Of Life"), GET, "0a4f113b", 1);
        assert_eq!(got, "6629fae49393a05397450978507c4ef1");
    }

    /// The RFC 2069 form, checked against a hand computation:
    /// HA1 = MD5("alice:atlanta.com:secret"), HA2 = MD5("INVITE:sip:bob@biloxi.com"),
    /// response = MD5(HA1 ":" "abc" ":" HA2).
    #[test]
    fn no_qop_form_and_authorization_header() {
        let c = Challenge::parse(r#"Digest realm="atlanta.com", nonce="abc""#).unwrap();
        assert_eq!((c.algorithm, c.qop), (Algorithm::Md5, None));
        let creds = Credentials {
            username: "alice".into(),
            password: "secret".into(),
        };
        let request = Request {
            method: "INVITE",
            uri: "sip:bob@biloxi.com",
            body: b"",
        };
        let ha1 = hex(&Md5::digest(b"alice:atlanta.com:secret"));
        let ha2 = hex(&Md5::digest(b"INVITE:sip:bob@biloxi.com"));
        let want = hex(&Md5::digest(format!("{ha1}:abc:{ha2}").as_bytes()));
        assert_eq!(c.response(&creds, request, "x", 1), want);
        let header = c.authorization(&creds, request, "x", 1);
        assert_eq!(
            header,
            format!(
                r#"Digest username="alice", realm="atlanta.com", nonce="abc", uri="sip:bob@biloxi.com", response="{want}", algorithm=MD5"#
            )
        );
    }

    #[test]
    fn first_supported_challenge_and_hostile_values() {
        let values: [&[u8]; 3] = [
            b"Basic realm=\"x\"",
            br#"Digest realm="r", nonce="n", algorithm=SHA-512-256"#,
            br#"Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth""#,
        ];
        let c = first_supported(values).unwrap();
        assert_eq!(c.algorithm, Algorithm::Sha256);
        for bad in [
            "Digest",
            "Digest realm=\"unterminated",
            "Digest nonce=\"n\"",
            "Digest =x",
            "Digest a b=c",
        ] {
            assert_eq!(Challenge::parse(bad), None, "{bad}");
        }
    }
}
