//! Parameter lists: header parameters (`generic-param`) and URI parameters.
//!
//! ```text
//! generic-param  =  token [ EQUAL gen-value ]
//! gen-value      =  token / host / quoted-string
//! uri-parameter  =  transport-param / user-param / method-param / ttl-param /
//!                   maddr-param / lr-param / other-param
//! other-param    =  pname [ "=" pvalue ]
//! pname / pvalue =  1*paramchar
//! paramchar      =  param-unreserved / unreserved / escaped
//! param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"
//! ```
//!
//! Names and values are kept as written (escapes and quotes included), so printing a
//! parsed list gives back its text; lookups by name ignore ASCII case.

use std::borrow::Cow;
use std::fmt::Write as _;

use nom::bytes::complete::take_while1;

use super::error::Expected;
use super::grammar::{self, In, PResult, expect, quoted_string, sep, sws, text, token};

/// One `name[=value]` parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The name as written (common names are not allocated).
    pub name: Cow<'static, str>,
    /// The value as written: a quoted-string keeps its quotes.
    pub value: Option<String>,
}

impl Param {
    pub fn new(name: &str, value: Option<&str>) -> Self {
        Param {
            name: intern(name.as_bytes()),
            value: value.map(str::to_owned),
        }
    }
}

/// Names that nearly every message carries, spelled as RFC 3261 spells them.
const COMMON: [&str; 14] = [
    "tag",
    "branch",
    "rport",
    "received",
    "lr",
    "user",
    "transport",
    "maddr",
    "ttl",
    "expires",
    "q",
    "method",
    "cause",
    "text",
];

/// `name` as a string, borrowed when it is one of [`COMMON`] exactly as written.
fn intern(name: &[u8]) -> Cow<'static, str> {
    match COMMON.iter().find(|c| c.as_bytes() == name) {
        Some(c) => Cow::Borrowed(c),
        None => Cow::Owned(text(name)),
    }
}

/// An ordered parameter list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<Param>);

impl Params {
    /// The parameter called `name` (any case), if present.
    pub fn find(&self, name: &str) -> Option<&Param> {
        self.0.iter().find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// The value of `name`: `None` if absent, `Some(None)` if present without value.
    pub fn get(&self, name: &str) -> Option<Option<&str>> {
        self.find(name).map(|p| p.value.as_deref())
    }

    /// Whether `name` is present, with or without value.
    pub fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// Appends `name[=value]`.
    pub fn push(&mut self, name: &str, value: Option<&str>) {
        self.0.push(Param::new(name, value));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Prints `;name=value…`.
    pub fn print(&self, out: &mut String) {
        for p in &self.0 {
            let _ = write!(out, ";{}", p.name);
            if let Some(v) = &p.value {
                let _ = write!(out, "={v}");
            }
        }
    }
}

static GEN_VALUE: [bool; 256] = grammar::class(b"-.!%*_+`'~[]:");
static PARAMCHAR: [bool; 256] = grammar::class(b"[]/:&+$-_.!~*'()%");

fn is_gen_value(b: u8) -> bool {
    GEN_VALUE[usize::from(b)]
}

fn gen_value(i: In<'_>) -> PResult<'_, In<'_>> {
    if i.first() == Some(&b'"') {
        return quoted_string(i);
    }
    expect(Expected::ParamValue, take_while1(is_gen_value))(i)
}

/// One `SEMI generic-param`.
fn header_param(i: In<'_>) -> PResult<'_, Param> {
    let (i, _) = sep(b';', Expected::Syntax)(i)?;
    let (i, name) = token(i)?;
    let (j, _) = sws(i)?;
    if j.first() != Some(&b'=') {
        return Ok((
            i,
            Param {
                name: intern(name),
                value: None,
            },
        ));
    }
    let (i, _) = sep(b'=', Expected::Equals)(j)?;
    let (i, value) = gen_value(i)?;
    Ok((
        i,
        Param {
            name: intern(name),
            value: Some(text(value)),
        },
    ))
}

/// `*( SEMI generic-param )`; stops before anything that is not `;`.
pub(crate) fn header_params(mut i: In<'_>) -> PResult<'_, Params> {
    let mut params = Vec::new();
    loop {
        let (j, _) = sws(i)?;
        if j.first() != Some(&b';') {
            return Ok((i, Params(params)));
        }
        let (j, p) = header_param(i)?;
        params.push(p);
        i = j;
    }
}

pub(crate) fn is_paramchar(b: u8) -> bool {
    PARAMCHAR[usize::from(b)]
}

/// `*( ";" uri-parameter )`, no whitespace allowed.
pub(crate) fn uri_params(mut i: In<'_>) -> PResult<'_, Params> {
    let mut params = Vec::new();
    while let Some(rest) = i.strip_prefix(b";") {
        let (rest, name) = expect(Expected::UriParameter, take_while1(is_paramchar))(rest)?;
        let (rest, value) = match rest.strip_prefix(b"=") {
            Some(v) => {
                let (r, v) = expect(Expected::UriParameter, take_while1(is_paramchar))(v)?;
                (r, Some(text(v)))
            }
            None => (rest, None),
        };
        params.push(Param {
            name: intern(name),
            value,
        });
        i = rest;
    }
    Ok((i, Params(params)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_params_allow_whitespace_around_separators() {
        let (rest, p) = header_params(b" ;   tag    = 1918181833n ; lr").unwrap();
        assert!(rest.is_empty());
        assert_eq!(p.get("TAG"), Some(Some("1918181833n")));
        assert_eq!(p.get("lr"), Some(None));
        assert_eq!(p.get("x"), None);
    }

    #[test]
    fn header_param_values_may_be_quoted_or_hosts() {
        let (_, p) = header_params(br#";text="a;b";received=[2001:db8::1]"#).unwrap();
        assert_eq!(p.get("text"), Some(Some(r#""a;b""#)));
        assert_eq!(p.get("received"), Some(Some("[2001:db8::1]")));
    }

    #[test]
    fn uri_params_keep_escapes_and_print_back() {
        let src = ";%6C%72;n%61me=v%61lue%25%34%31";
        let (rest, p) = uri_params(src.as_bytes()).unwrap();
        assert!(rest.is_empty());
        let mut out = String::new();
        p.print(&mut out);
        assert_eq!(out, src);
    }

    #[test]
    fn empty_parameters_are_refused() {
        assert!(header_params(b";;").is_err());
        assert!(uri_params(b";=x").is_err());
    }
}
