//! `Call-ID` (RFC 3261 §20.8): identifies a call (a dialog, with the tags).
//!
//! ```text
//! Call-ID  =  ( "Call-ID" / "i" ) HCOLON callid
//! callid   =  word [ "@" word ]
//! ```

use crate::sip::error::{Expected, ParseError};
use nom::bytes::complete::take_while1;

use crate::sip::grammar::{In, PResult, expect, fail, is_word, run, text};

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CallId(pub String);

fn callid(i: In<'_>) -> PResult<'_, CallId> {
    let (rest, id) = expect(Expected::CallId, take_while1(|b| is_word(b) || b == b'@'))(i)?;
    let at = id.iter().filter(|&&b| b == b'@').count();
    if at > 1 || id.first() == Some(&b'@') || id.last() == Some(&b'@') {
        return fail(i, Expected::CallId);
    }
    Ok((rest, CallId(text(id))))
}

impl TypedHeader for CallId {
    const NAME: HeaderName = HeaderName::CallId;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, callid)
    }

    fn print(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_with_odd_characters() {
        let id = CallId::parse(br#"intmeth.word%ZK-!.*_+'@word`~)(><:\/"][?}{"#).unwrap();
        assert_eq!(
            id.to_value(),
            r#"intmeth.word%ZK-!.*_+'@word`~)(><:\/"][?}{"#
        );
    }

    #[test]
    fn refuses_spaces_and_double_at() {
        assert!(CallId::parse(b"a b").is_err());
        assert!(CallId::parse(b"a@b@c").is_err());
        assert!(CallId::parse(b"").is_err());
    }
}
