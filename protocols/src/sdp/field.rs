//! The nom building blocks shared by the line parsers, and the bridge from a nom error to
//! an [`SdpError`] with its byte offset and line.
//!
//! Each `<type>=<value>` line is framed first (see [`super::reader`]); its value is then
//! parsed with `complete` combinators and must be consumed entirely, trailing blanks
//! aside. The RFC 8866 §9 rules used here:
//!
//! ```text
//! token-char  = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-"
//!               / "." / "^" / "_" / "`" / "{" / "|" / "}" / "~"
//! token       = 1*token-char
//! non-ws-string = 1*(VCHAR/%x80-FF)
//! SP          = %x20
//! ```

use nom::bytes::complete::{take_while, take_while1};
use nom::error::{ContextError, ErrorKind, ParseError};
use nom::{IResult, Parser};

use super::error::SdpError;

/// What went wrong at a position inside a line value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Problem {
    /// No context named the expectation yet; the caller's default applies.
    Unnamed,
    /// The grammar wanted this here.
    Expected(&'static str),
    /// Well formed, but not something callbackd implements.
    Unsupported(&'static str),
}

/// The error type of every SDP line parser: the unparsed rest of the value and the problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FieldError<'a> {
    pub rest: &'a str,
    pub problem: Problem,
}

impl<'a> ParseError<&'a str> for FieldError<'a> {
    fn from_error_kind(rest: &'a str, _kind: ErrorKind) -> Self {
        FieldError {
            rest,
            problem: Problem::Unnamed,
        }
    }

    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

impl<'a> ContextError<&'a str> for FieldError<'a> {
    /// The innermost context names the expectation; the position stays the deepest one.
    fn add_context(_input: &'a str, ctx: &'static str, mut other: Self) -> Self {
        if other.problem == Problem::Unnamed {
            other.problem = Problem::Expected(ctx);
        }
        other
    }
}

pub(super) type Res<'a, O> = IResult<&'a str, O, FieldError<'a>>;

/// Where a line value starts in the whole input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Position {
    /// Zero-based byte offset of the value's first byte.
    pub offset: usize,
    /// One-based line number.
    pub line: usize,
}

impl Position {
    /// A malformed-input error `at` bytes into this value.
    pub fn malformed(self, at: usize, expected: &'static str) -> SdpError {
        SdpError::Malformed {
            offset: self.offset + at,
            line: self.line,
            expected,
        }
    }

    /// An unsupported-feature error `at` bytes into this value.
    pub fn unsupported(self, at: usize, what: &'static str) -> SdpError {
        SdpError::Unsupported {
            offset: self.offset + at,
            line: self.line,
            what,
        }
    }
}

/// Runs `parser` over the whole of `value`, which starts at `pos`: trailing SP/HTAB is
/// allowed, anything else left over is an error. `expected` names the value for errors
/// that no inner context named.
pub(super) fn complete<'a, P>(
    value: &'a str,
    pos: Position,
    expected: &'static str,
    mut parser: P,
) -> Result<P::Output, SdpError>
where
    P: Parser<&'a str, Error = FieldError<'a>>,
{
    let at = |rest: &str| value.len() - rest.len();
    match parser.parse(value) {
        Ok((rest, out)) => {
            let trimmed = rest.trim_start_matches([' ', '\t']);
            if trimmed.is_empty() {
                Ok(out)
            } else {
                Err(pos.malformed(at(rest), "end of line"))
            }
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(match e.problem {
            Problem::Unnamed => pos.malformed(at(e.rest), expected),
            Problem::Expected(what) => pos.malformed(at(e.rest), what),
            Problem::Unsupported(what) => pos.unsupported(at(e.rest), what),
        }),
        // `complete` combinators never ask for more input.
        Err(nom::Err::Incomplete(_)) => Err(pos.malformed(value.len(), expected)),
    }
}

/// A parse failure that stops the line: `what` is well formed but unsupported.
pub(super) fn unsupported<'a, O>(rest: &'a str, what: &'static str) -> Res<'a, O> {
    Err(nom::Err::Failure(FieldError {
        rest,
        problem: Problem::Unsupported(what),
    }))
}

/// A parse failure naming what was expected at `rest`.
pub(super) fn expected<'a, O>(rest: &'a str, what: &'static str) -> Res<'a, O> {
    Err(nom::Err::Error(FieldError {
        rest,
        problem: Problem::Expected(what),
    }))
}

/// One or more SP.
pub(super) fn sp(input: &str) -> Res<'_, &str> {
    take_while1(|c| c == ' ').parse(input)
}

/// Zero or more SP.
pub(super) fn sp0(input: &str) -> Res<'_, &str> {
    take_while(|c| c == ' ').parse(input)
}

/// `token` (RFC 8866 §9).
pub(super) fn token(input: &str) -> Res<'_, &str> {
    take_while1(is_token_char).parse(input)
}

/// `non-ws-string` (RFC 8866 §9): visible characters and anything non-ASCII.
pub(super) fn non_ws_string(input: &str) -> Res<'_, &str> {
    take_while1(is_non_ws_char).parse(input)
}

pub(super) fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`{|}~".contains(c)
}

pub(super) fn is_non_ws_char(c: char) -> bool {
    c > ' ' && c != '\x7f'
}

#[cfg(test)]
mod tests {
    use nom::character::complete::u16;
    use nom::error::context;

    use super::*;

    const POS: Position = Position {
        offset: 100,
        line: 7,
    };

    #[test]
    fn complete_accepts_trailing_blanks_only() {
        assert_eq!(complete("42 \t", POS, "a port", u16), Ok(42));
        assert_eq!(
            complete("42x", POS, "a port", u16),
            Err(POS.malformed(2, "end of line"))
        );
    }

    #[test]
    fn innermost_context_names_the_error() {
        let mut parser = context("outer", (token, sp, context("a port", u16)));
        let err = complete("abc x", POS, "value", |i| parser.parse(i)).unwrap_err();
        assert_eq!(
            err,
            SdpError::Malformed {
                offset: 104,
                line: 7,
                expected: "a port"
            }
        );
    }

    #[test]
    fn unnamed_errors_use_the_default() {
        let err = complete("", POS, "a port", u16).unwrap_err();
        assert_eq!(err, POS.malformed(0, "a port"));
    }

    #[test]
    fn token_and_non_ws_string_follow_rfc_8866() {
        assert_eq!(
            token("telephone-event/8000"),
            Ok(("/8000", "telephone-event"))
        );
        assert!(token("").is_err());
        assert_eq!(non_ws_string("Zażółć/1 x"), Ok((" x", "Zażółć/1")));
        assert!(non_ws_string(" a").is_err());
    }
}
