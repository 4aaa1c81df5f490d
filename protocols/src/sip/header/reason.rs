//! `Reason` (RFC 3326): why a request (a BYE, a CANCEL) or a call ended, e.g. with the
//! ISDN cause of the far end.
//!
//! ```text
//! Reason            =  "Reason" HCOLON reason-value *(COMMA reason-value)
//! reason-value      =  protocol *(SEMI reason-params)
//! protocol          =  "SIP" / "Q.850" / token
//! reason-params     =  protocol-cause / reason-text / reason-extension
//! protocol-cause    =  "cause" EQUAL cause
//! cause             =  1*DIGIT
//! reason-text       =  "text" EQUAL quoted-string
//! ```

use crate::sip::error::ParseError;
use crate::sip::grammar::{run, text, token, unquote};
use crate::sip::params::{Params, header_params};

use super::{HeaderName, TypedHeader};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub protocol: String,
    pub params: Params,
}

impl Reason {
    /// `Q.850;cause=<cause>`.
    pub fn q850(cause: u8) -> Reason {
        let mut params = Params::default();
        params.push("cause", Some(&cause.to_string()));
        Reason {
            protocol: "Q.850".into(),
            params,
        }
    }

    pub fn cause(&self) -> Option<u16> {
        self.params.get("cause").flatten()?.parse().ok()
    }

    /// The `text` parameter without its quotes.
    pub fn text(&self) -> Option<String> {
        let t = self.params.get("text").flatten()?;
        Some(text(&unquote(t.as_bytes())))
    }
}

impl TypedHeader for Reason {
    const NAME: HeaderName = HeaderName::Reason;
    const LIST: bool = true;

    fn parse(value: &[u8]) -> Result<Self, ParseError> {
        run(value, |i| {
            let (i, protocol) = token(i)?;
            let (i, params) = header_params(i)?;
            Ok((
                i,
                Reason {
                    protocol: text(protocol),
                    params,
                },
            ))
        })
    }

    fn print(&self, out: &mut String) {
        out.push_str(&self.protocol);
        self.params.print(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q850_cause_and_text() {
        let r = Reason::parse(br#"Q.850;cause=16;text="Terminated, normal""#).unwrap();
        assert_eq!(r.protocol, "Q.850");
        assert_eq!(r.cause(), Some(16));
        assert_eq!(r.text().as_deref(), Some("Terminated, normal"));
        assert_eq!(r.to_value(), r#"Q.850;cause=16;text="Terminated, normal""#);
        assert_eq!(Reason::q850(17).to_value(), "Q.850;cause=17");
        assert!(Reason::parse(b";cause=1").is_err());
    }
}
