//! SIP methods (RFC 3261 §7.1 and the extensions callbackd meets).
//!
//! ```text
//! Method            =  INVITEm / ACKm / OPTIONSm / BYEm / CANCELm / REGISTERm / extension-method
//! extension-method  =  token
//! ```
//!
//! Methods are case-sensitive: `invite` is an extension method, not INVITE.

use std::fmt;

/// A request method.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Method {
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
    Register,
    Prack,
    Subscribe,
    Notify,
    Publish,
    Info,
    Refer,
    Message,
    Update,
    /// Any other token (RFC 4475 §3.1.1.2 `!interesting-Method0123456789_*+\`.%indeed'~`).
    Extension(String),
}

const KNOWN: [(Method, &str); 14] = [
    (Method::Invite, "INVITE"),
    (Method::Ack, "ACK"),
    (Method::Bye, "BYE"),
    (Method::Cancel, "CANCEL"),
    (Method::Options, "OPTIONS"),
    (Method::Register, "REGISTER"),
    (Method::Prack, "PRACK"),
    (Method::Subscribe, "SUBSCRIBE"),
    (Method::Notify, "NOTIFY"),
    (Method::Publish, "PUBLISH"),
    (Method::Info, "INFO"),
    (Method::Refer, "REFER"),
    (Method::Message, "MESSAGE"),
    (Method::Update, "UPDATE"),
];

impl Method {
    /// The method named by `token` (the caller has checked it is a token).
    pub fn from_token(token: &[u8]) -> Method {
        for (m, name) in &KNOWN {
            if token == name.as_bytes() {
                return m.clone();
            }
        }
        Method::Extension(String::from_utf8_lossy(token).into_owned())
    }

    /// The method's name as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Extension(s) => s,
            known => KNOWN
                .iter()
                .find(|(m, _)| m == known)
                .map_or("", |(_, n)| n),
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_methods_round_trip_and_case_matters() {
        for (m, name) in &KNOWN {
            assert_eq!(&Method::from_token(name.as_bytes()), m);
            assert_eq!(m.as_str(), *name);
        }
        assert_eq!(
            Method::from_token(b"invite"),
            Method::Extension("invite".into())
        );
        assert_eq!(Method::from_token(b"RE%47IST%45R").as_str(), "RE%47IST%45R");
    }
}
