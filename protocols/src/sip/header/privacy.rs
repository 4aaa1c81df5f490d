//! `Privacy` (RFC 3323 §4.2): what the network must hide about the caller.
//!
//! ```text
//! Privacy-hdr  =  "Privacy" HCOLON priv-value *(";" priv-value)
//! priv-value   =  "header" / "session" / "user" / "none" / "critical" / "id" / token
//! ```

use crate::sip::error::{Expected, ParseError};
use crate::sip::grammar::{run, sep, text, token};

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privacy(pub Vec<String>);

impl Privacy {
    /// Whether `value` (e.g. `id`) is asked for.
    pub fn has(&self, value: &str) -> bool {
        self.0.iter().any(|v| v.eq_ignore_ascii_case(value))
    }
}

impl TypedHeader for Privacy {
    const NAME: HeaderName = HeaderName::Privacy;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, |mut i| {
            let mut values = Vec::new();
            loop {
                let (rest, v) = token(i)?;
                values.push(text(v));
                match sep(b';', Expected::Token)(rest) {
                    Ok((r, ())) => i = r,
                    Err(_) => return Ok((rest, Privacy(values))),
                }
            }
        })
    }

    fn print(&self, out: &mut String) {
        out.push_str(&self.0.join(";"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_separated_by_semicolons() {
        let p = Privacy::parse(b"id; critical").unwrap();
        assert!(p.has("ID") && p.has("critical") && !p.has("user"));
        assert_eq!(p.to_value(), "id;critical");
        assert!(Privacy::parse(b"id;").is_err());
    }
}
