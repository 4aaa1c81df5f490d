//! Shared pieces of the RFC 3261 §25 grammar, as nom 8 parsers over byte slices.
//!
//! Header values reach these parsers *unfolded* (see [`unfold`]): every line fold
//! (`CRLF 1*WSP`) has been reduced to its whitespace, so `LWS` is `1*WSP` and `SWS` is
//! `*WSP` here. Parsers return [`PErr`], which remembers where they stopped and what
//! they wanted; [`run`] turns that into a [`ParseError`] with a value-relative offset.
//!
//! ```text
//! token    =  1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" )
//! word     =  1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" /
//!             "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}" )
//! quoted-string  =  SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
//! quoted-pair    =  "\" (%x00-09 / %x0B-0C / %x0E-7F)
//! SEMI  = SWS ";" SWS        EQUAL = SWS "=" SWS        COMMA = SWS "," SWS
//! ```

use std::borrow::Cow;

use nom::bytes::complete::{tag, take_while, take_while1};
use nom::{IResult, Parser};

use super::error::{ErrorKind, Expected, ParseError};

/// The input of every parser here.
pub(crate) type In<'a> = &'a [u8];

/// A parser failure: the input left where it stopped, and what it wanted there.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PErr<'a> {
    pub rest: In<'a>,
    pub kind: ErrorKind,
}

impl<'a> nom::error::ParseError<In<'a>> for PErr<'a> {
    fn from_error_kind(input: In<'a>, _kind: nom::error::ErrorKind) -> Self {
        PErr {
            rest: input,
            kind: ErrorKind::Expected(Expected::Syntax),
        }
    }

    fn append(_input: In<'a>, _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

pub(crate) type PResult<'a, O> = IResult<In<'a>, O, PErr<'a>>;

/// Fails at `rest`, wanting `what`.
pub(crate) fn fail<'a, O>(rest: In<'a>, what: Expected) -> PResult<'a, O> {
    Err(nom::Err::Error(PErr {
        rest,
        kind: ErrorKind::Expected(what),
    }))
}

/// Fails at `rest` because a number does not fit `what`.
pub(crate) fn out_of_range<'a, O>(rest: In<'a>, what: Expected) -> PResult<'a, O> {
    Err(nom::Err::Error(PErr {
        rest,
        kind: ErrorKind::OutOfRange(what),
    }))
}

/// Runs `p`, and names a nameless failure (one nom raised) `what`, at the start.
pub(crate) fn expect<'a, O, P>(what: Expected, mut p: P) -> impl FnMut(In<'a>) -> PResult<'a, O>
where
    P: Parser<In<'a>, Output = O, Error = PErr<'a>>,
{
    move |i: In<'a>| {
        p.parse(i).map_err(|e| {
            e.map(|inner| match inner.kind {
                ErrorKind::Expected(Expected::Syntax) => PErr {
                    rest: i,
                    kind: ErrorKind::Expected(what),
                },
                _ => inner,
            })
        })
    }
}

/// Where `rest` (a tail of `base`, or of a slice of it) starts within `base`.
pub(crate) fn offset_in(base: &[u8], rest: &[u8]) -> usize {
    (rest.as_ptr() as usize)
        .saturating_sub(base.as_ptr() as usize)
        .min(base.len())
}

/// Runs `p` over all of `value` (after trimming its outer whitespace); the error offset
/// is relative to `value`.
pub(crate) fn run<'a, O, P>(value: In<'a>, mut p: P) -> Result<O, ParseError>
where
    P: Parser<In<'a>, Output = O, Error = PErr<'a>>,
{
    let trimmed = trim(value);
    let offset = |rest: In<'a>| offset_in(value, rest);
    match p.parse(trimmed) {
        Ok(([], out)) => Ok(out),
        Ok((rest, _)) => Err(ParseError::expected(offset(rest), Expected::EndOfValue)),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            Err(ParseError::new(offset(e.rest), e.kind))
        }
        Err(nom::Err::Incomplete(_)) => Err(ParseError::expected(value.len(), Expected::Syntax)),
    }
}

pub(crate) fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// A membership table for a character class: ASCII letters and digits plus `extra`.
pub(crate) const fn class(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut k = 0;
    while k < extra.len() {
        table[extra[k] as usize] = true;
        k += 1;
    }
    table
}

static TOKEN: [bool; 256] = class(b"-.!%*_+`'~");
static WORD: [bool; 256] = class(b"-.!%*_+`'~()<>:\\\"/[]?{}");

pub(crate) fn is_token(b: u8) -> bool {
    TOKEN[usize::from(b)]
}

pub(crate) fn is_word(b: u8) -> bool {
    WORD[usize::from(b)]
}

/// `value` without leading and trailing SP / HTAB.
pub(crate) fn trim(value: &[u8]) -> &[u8] {
    let start = value
        .iter()
        .position(|&b| !is_wsp(b))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|&b| !is_wsp(b))
        .map_or(start, |p| p + 1);
    &value[start..end]
}

/// A header value with every line fold (`CRLF` before SP / HTAB) removed, keeping the
/// whitespace: RFC 3261 §7.3.1 makes the fold equivalent to that whitespace.
pub(crate) fn unfold(value: &[u8]) -> Cow<'_, [u8]> {
    if !value.contains(&b'\r') {
        return Cow::Borrowed(value);
    }
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] == b'\r' && value.get(i + 1) == Some(&b'\n') {
            i += 2;
            continue;
        }
        out.push(value[i]);
        i += 1;
    }
    Cow::Owned(out)
}

/// `*WSP`.
pub(crate) fn sws(i: In<'_>) -> PResult<'_, In<'_>> {
    take_while(is_wsp)(i)
}

/// `1*WSP`.
pub(crate) fn lws(i: In<'_>) -> PResult<'_, In<'_>> {
    take_while1(is_wsp)(i)
}

pub(crate) fn token(i: In<'_>) -> PResult<'_, In<'_>> {
    expect(Expected::Token, take_while1(is_token)).parse(i)
}

/// `SWS sep SWS`, for the separators SEMI, EQUAL, COLON, SLASH, COMMA.
pub(crate) fn sep<'a>(c: u8, what: Expected) -> impl FnMut(In<'a>) -> PResult<'a, ()> {
    move |i: In<'a>| {
        let (i, _) = sws(i)?;
        match i.first() {
            Some(&b) if b == c => Ok((sws(&i[1..])?.0, ())),
            _ => fail(i, what),
        }
    }
}

/// A quoted-string, returned with its quotes and escapes as written.
pub(crate) fn quoted_string(i: In<'_>) -> PResult<'_, In<'_>> {
    let (rest, _) = tag(&b"\""[..])(i)?;
    let mut k = 0;
    while k < rest.len() {
        match rest[k] {
            b'"' => return Ok((&rest[k + 1..], &i[..k + 2])),
            b'\\' if k + 1 < rest.len() && !matches!(rest[k + 1], b'\r' | b'\n') => k += 2,
            b'\r' | b'\n' => break,
            _ => k += 1,
        }
    }
    fail(i, Expected::QuotedString)
}

/// The text of a quoted-string without its quotes and with its quoted-pairs resolved.
pub(crate) fn unquote(quoted: &[u8]) -> Vec<u8> {
    let inner = quoted
        .strip_prefix(b"\"")
        .and_then(|q| q.strip_suffix(b"\""))
        .unwrap_or(quoted);
    let mut out = Vec::with_capacity(inner.len());
    let mut escaped = false;
    for &b in inner {
        if escaped || b != b'\\' {
            out.push(b);
            escaped = false;
        } else {
            escaped = true;
        }
    }
    out
}

/// `1*DIGIT` as a number no larger than `max`.
pub(crate) fn number<'a>(i: In<'a>, max: u64, what: Expected) -> PResult<'a, u64> {
    let (rest, digits) =
        take_while1::<_, _, PErr<'a>>(|b: u8| b.is_ascii_digit())(i).map_err(|_| {
            nom::Err::Error(PErr {
                rest: i,
                kind: ErrorKind::Expected(what),
            })
        })?;
    let mut n: u64 = 0;
    for &d in digits {
        n = match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
        {
            Some(n) if n <= max => n,
            _ => return out_of_range(i, what),
        };
    }
    Ok((rest, n))
}

/// Text as UTF-8; SIP's grammar is ASCII outside quoted strings and comments.
pub(crate) fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Splits a list value at the commas that separate its elements: not inside a
/// quoted-string and not inside `<>`. Yields each element (untrimmed) with its offset.
pub(crate) fn split_list(value: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut start = 0;
    let mut pos = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let (mut quoted, mut angle, mut escaped) = (false, false, false);
        while pos < value.len() {
            let b = value[pos];
            pos += 1;
            match b {
                _ if escaped => escaped = false,
                b'\\' if quoted => escaped = true,
                b'"' => quoted = !quoted,
                b'<' if !quoted => angle = true,
                b'>' if !quoted => angle = false,
                b',' if !quoted && !angle => {
                    let item = (start, &value[start..pos - 1]);
                    start = pos;
                    return Some(item);
                }
                _ => {}
            }
        }
        done = true;
        Some((start, &value[start..]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfold_keeps_the_whitespace_of_each_fold() {
        assert_eq!(&*unfold(b"a\r\n  b\r\n\tc"), b"a  b\tc");
        assert!(matches!(unfold(b"plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn quoted_string_honours_escapes() {
        let (rest, q) = quoted_string(br#""J Rosenberg \\\"" <x>"#).unwrap();
        assert_eq!(q, br#""J Rosenberg \\\"""#);
        assert_eq!(rest, b" <x>");
        assert_eq!(unquote(q), br#"J Rosenberg \""#);
        assert!(quoted_string(b"\"open").is_err());
    }

    #[test]
    fn split_list_ignores_commas_in_quotes_and_angles() {
        let items: Vec<_> = split_list(br#""a, b" <sip:x;p=1,2>, <sip:y>"#)
            .map(|(_, v)| v)
            .collect();
        assert_eq!(
            items,
            vec![&br#""a, b" <sip:x;p=1,2>"#[..], &b" <sip:y>"[..]]
        );
    }

    #[test]
    fn number_refuses_overflow() {
        assert_eq!(
            number(b"0009 x", 100, Expected::CSeq).unwrap(),
            (&b" x"[..], 9)
        );
        assert!(number(b"256", 255, Expected::MaxForwards).is_err());
        assert!(number(b"99999999999999999999999", u64::MAX, Expected::CSeq).is_err());
    }

    #[test]
    fn run_reports_offsets_within_the_value() {
        let err = run(b"  abc def", token).unwrap_err();
        assert_eq!(err.offset, 5);
        assert_eq!(err.kind, ErrorKind::Expected(Expected::EndOfValue));
    }
}
