//! nom 8 building blocks shared by the result parsers: V.250 / 27.007 field syntax.
//!
//! ```text
//! result      = prefix ":" [SP] field *("," field)
//! field       = number / string / (empty)
//! string      = DQUOTE *(any but DQUOTE) DQUOTE
//! ```

use std::str::FromStr;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while};
use nom::character::complete::{char, digit1, space0};
use nom::combinator::{map_res, opt, recognize};
use nom::multi::many0;
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

/// `<prefix>:` followed by optional spaces.
pub(crate) fn prefix<'a>(
    name: &'static str,
) -> impl Parser<&'a str, Output = (), Error = nom::error::Error<&'a str>> {
    (tag(name), char(':'), space0).map(|_| ())
}

/// A decimal integer field.
pub(crate) fn uint<T: FromStr>(input: &str) -> IResult<&str, T> {
    map_res(digit1, str::parse).parse(input)
}

/// An integer field that may be left empty.
pub(crate) fn opt_uint<T: FromStr>(input: &str) -> IResult<&str, Option<T>> {
    opt(uint).parse(input)
}

/// `,` then an integer.
pub(crate) fn comma_uint<T: FromStr>(input: &str) -> IResult<&str, T> {
    preceded(char(','), uint).parse(input)
}

/// A double-quoted string; the quotes are not part of the output.
pub(crate) fn quoted(input: &str) -> IResult<&str, &str> {
    delimited(char('"'), take_while(|c| c != '"'), char('"')).parse(input)
}

/// A field that is either a quoted string (returned unquoted) or bare text up to `,`.
pub(crate) fn string_or_bare(input: &str) -> IResult<&str, &str> {
    alt((quoted, take_while(|c| c != ','))).parse(input)
}

/// One raw field as it stands, quotes included.
fn raw_field(input: &str) -> IResult<&str, &str> {
    alt((recognize(quoted), take_while(|c| c != ','))).parse(input)
}

/// Every remaining `,field`, kept verbatim for fields callbackd does not interpret.
pub(crate) fn raw_fields(input: &str) -> IResult<&str, Vec<String>> {
    many0(preceded(char(','), raw_field).map(str::to_owned)).parse(input)
}

/// Parses `input` with `parser`, requiring it to consume everything.
pub(crate) fn complete<'a, O>(
    mut parser: impl Parser<&'a str, Output = O, Error = nom::error::Error<&'a str>>,
    input: &'a str,
) -> Option<O> {
    match terminated(|i| parser.parse(i), nom::combinator::eof).parse(input) {
        Ok((_, out)) => Some(out),
        Err(_) => None,
    }
}

/// Prints raw fields back as `,a,b`.
pub(crate) fn write_raw(f: &mut std::fmt::Formatter<'_>, fields: &[String]) -> std::fmt::Result {
    fields.iter().try_for_each(|field| write!(f, ",{field}"))
}

/// Prints an optional integer (empty when absent).
pub(crate) fn opt_display<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(uint::<u8>("145,"), Ok((",", 145)));
        assert!(uint::<u8>("256").is_err());
        assert_eq!(quoted("\"+48\",1"), Ok((",1", "+48")));
        assert_eq!(string_or_bare("123,1"), Ok((",1", "123")));
        assert_eq!(
            raw_fields(",\"a,b\",,7"),
            Ok((
                "",
                vec!["\"a,b\"".to_owned(), String::new(), "7".to_owned()]
            ))
        );
        assert_eq!(complete(uint::<u8>, "12"), Some(12));
        assert_eq!(complete(uint::<u8>, "12x"), None);
    }
}
