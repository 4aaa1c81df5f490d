//! Header field names, with the compact forms of RFC 3261 §7.3.3 and its extensions.
//!
//! ```text
//! header-name  =  token
//! ```
//!
//! Names compare without regard to ASCII case; a compact form (`v`, `f`, `t`, `i`, `m`,
//! `l`, `c`, …) is the same header as its long form.

use std::fmt;

use bytes::Bytes;

/// The name of a header field. Known names are variants; the rest are kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HeaderName {
    Accept,
    AcceptContact,
    Allow,
    AllowEvents,
    Authorization,
    CallId,
    Contact,
    ContentDisposition,
    ContentEncoding,
    ContentLength,
    ContentType,
    CSeq,
    Date,
    Event,
    Expires,
    From,
    Identity,
    IdentityInfo,
    MaxForwards,
    MinSe,
    PAssertedIdentity,
    PPreferredIdentity,
    Privacy,
    ProxyAuthenticate,
    ProxyAuthorization,
    ProxyRequire,
    RAck,
    Reason,
    RecordRoute,
    ReferTo,
    ReferredBy,
    RejectContact,
    RequestDisposition,
    Require,
    RetryAfter,
    Route,
    RSeq,
    Server,
    SessionExpires,
    Subject,
    Supported,
    To,
    UserAgent,
    Via,
    Warning,
    WwwAuthenticate,
    /// Any other name, as written (a token).
    Other(Bytes),
}

/// Known names: the canonical spelling and the compact form, if any.
static KNOWN: [(HeaderName, &str, u8); 46] = [
    (HeaderName::Accept, "Accept", 0),
    (HeaderName::AcceptContact, "Accept-Contact", b'a'),
    (HeaderName::Allow, "Allow", 0),
    (HeaderName::AllowEvents, "Allow-Events", b'u'),
    (HeaderName::Authorization, "Authorization", 0),
    (HeaderName::CallId, "Call-ID", b'i'),
    (HeaderName::Contact, "Contact", b'm'),
    (HeaderName::ContentDisposition, "Content-Disposition", 0),
    (HeaderName::ContentEncoding, "Content-Encoding", b'e'),
    (HeaderName::ContentLength, "Content-Length", b'l'),
    (HeaderName::ContentType, "Content-Type", b'c'),
    (HeaderName::CSeq, "CSeq", 0),
    (HeaderName::Date, "Date", 0),
    (HeaderName::Event, "Event", b'o'),
    (HeaderName::Expires, "Expires", 0),
    (HeaderName::From, "From", b'f'),
    (HeaderName::Identity, "Identity", b'y'),
    (HeaderName::IdentityInfo, "Identity-Info", b'n'),
    (HeaderName::MaxForwards, "Max-Forwards", 0),
    (HeaderName::MinSe, "Min-SE", 0),
    (HeaderName::PAssertedIdentity, "P-Asserted-Identity", 0),
    (HeaderName::PPreferredIdentity, "P-Preferred-Identity", 0),
    (HeaderName::Privacy, "Privacy", 0),
    (HeaderName::ProxyAuthenticate, "Proxy-Authenticate", 0),
    (HeaderName::ProxyAuthorization, "Proxy-Authorization", 0),
    (HeaderName::ProxyRequire, "Proxy-Require", 0),
    (HeaderName::RAck, "RAck", 0),
    (HeaderName::Reason, "Reason", 0),
    (HeaderName::RecordRoute, "Record-Route", 0),
    (HeaderName::ReferTo, "Refer-To", b'r'),
    (HeaderName::ReferredBy, "Referred-By", b'b'),
    (HeaderName::RejectContact, "Reject-Contact", b'j'),
    (HeaderName::RequestDisposition, "Request-Disposition", b'd'),
    (HeaderName::Require, "Require", 0),
    (HeaderName::RetryAfter, "Retry-After", 0),
    (HeaderName::Route, "Route", 0),
    (HeaderName::RSeq, "RSeq", 0),
    (HeaderName::Server, "Server", 0),
    (HeaderName::SessionExpires, "Session-Expires", b'x'),
    (HeaderName::Subject, "Subject", b's'),
    (HeaderName::Supported, "Supported", b'k'),
    (HeaderName::To, "To", b't'),
    (HeaderName::UserAgent, "User-Agent", 0),
    (HeaderName::Via, "Via", b'v'),
    (HeaderName::Warning, "Warning", 0),
    (HeaderName::WwwAuthenticate, "WWW-Authenticate", 0),
];

impl HeaderName {
    /// The known header called `name` (long or compact form, any case).
    pub fn known(name: &[u8]) -> Option<HeaderName> {
        if let [c] = name {
            let c = c.to_ascii_lowercase();
            return KNOWN.iter().find(|k| k.2 == c).map(|k| k.0.clone());
        }
        known_long(name)
    }

    /// The header called `name`; unknown names are kept as written.
    pub fn from_bytes(name: &[u8]) -> HeaderName {
        HeaderName::known(name).unwrap_or_else(|| HeaderName::Other(Bytes::copy_from_slice(name)))
    }

    /// The canonical long name (or the name as written, for an unknown one).
    pub fn as_str(&self) -> &str {
        match self {
            HeaderName::Other(b) => std::str::from_utf8(b).unwrap_or("X-Invalid"),
            known => KNOWN.iter().find(|k| &k.0 == known).map_or("", |k| k.1),
        }
    }

    /// The canonical long name of a known header.
    pub fn canonical(&self) -> Option<&'static str> {
        KNOWN.iter().find(|k| &k.0 == self).map(|k| k.1)
    }

    /// Whether `self` names the same header as `other`, ignoring case.
    pub fn matches(&self, other: &HeaderName) -> bool {
        match (self, other) {
            (HeaderName::Other(a), HeaderName::Other(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => a == b,
        }
    }
}

/// The long form called `name`: the candidates of its length and first letter (indices
/// into [`KNOWN`], which `every_known_long_name_is_found` keeps honest), then a compare.
fn known_long(name: &[u8]) -> Option<HeaderName> {
    let candidates: &[usize] = match (name.len(), name.first()?.to_ascii_lowercase()) {
        (2, b't') => &[41],
        (3, b'v') => &[43],
        (4, b'c') => &[11],
        (4, b'd') => &[12],
        (4, b'f') => &[15],
        (4, b'r') => &[26, 36],
        (5, b'a') => &[2],
        (5, b'e') => &[13],
        (5, b'r') => &[35],
        (6, b'a') => &[0],
        (6, b'm') => &[19],
        (6, b'r') => &[27],
        (6, b's') => &[37],
        (7, b'c') => &[5, 6],
        (7, b'e') => &[14],
        (7, b'p') => &[22],
        (7, b'r') => &[33],
        (7, b's') => &[39],
        (7, b'w') => &[44],
        (8, b'i') => &[16],
        (8, b'r') => &[29],
        (9, b's') => &[40],
        (10, b'u') => &[42],
        (11, b'r') => &[30, 34],
        (12, b'a') => &[3],
        (12, b'c') => &[10],
        (12, b'm') => &[18],
        (12, b'r') => &[28],
        (13, b'a') => &[4],
        (13, b'i') => &[17],
        (13, b'p') => &[25],
        (14, b'a') => &[1],
        (14, b'c') => &[9],
        (14, b'r') => &[31],
        (15, b's') => &[38],
        (16, b'c') => &[8],
        (16, b'w') => &[45],
        (18, b'p') => &[23],
        (19, b'c') => &[7],
        (19, b'p') => &[20, 24],
        (19, b'r') => &[32],
        (20, b'p') => &[21],
        _ => &[],
    };
    candidates
        .iter()
        .map(|&k| &KNOWN[k])
        // The spelling of RFC 3261 is by far the most common: compare it exactly first.
        .find(|k| k.1.as_bytes() == name || k.1.as_bytes().eq_ignore_ascii_case(name))
        .map(|k| k.0.clone())
}

impl fmt::Display for HeaderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_and_long_forms_are_the_same_header() {
        let pairs: [(&[u8], HeaderName); 12] = [
            (b"i", HeaderName::CallId),
            (b"m", HeaderName::Contact),
            (b"e", HeaderName::ContentEncoding),
            (b"L", HeaderName::ContentLength),
            (b"c", HeaderName::ContentType),
            (b"f", HeaderName::From),
            (b"s", HeaderName::Subject),
            (b"k", HeaderName::Supported),
            (b"t", HeaderName::To),
            (b"V", HeaderName::Via),
            (b"MaX-fOrWaRdS", HeaderName::MaxForwards),
            (b"p-asserted-identity", HeaderName::PAssertedIdentity),
        ];
        for (name, want) in pairs {
            assert_eq!(HeaderName::from_bytes(name), want);
        }
    }

    #[test]
    fn every_known_long_name_is_found() {
        for (name, long, compact) in &KNOWN {
            assert_eq!(HeaderName::known(long.as_bytes()).as_ref(), Some(name));
            assert_eq!(
                HeaderName::known(long.to_uppercase().as_bytes()).as_ref(),
                Some(name)
            );
            if *compact != 0 {
                assert_eq!(HeaderName::known(&[*compact]).as_ref(), Some(name));
            }
        }
        assert_eq!(HeaderName::known(b"Vias"), None);
    }

    #[test]
    fn unknown_names_keep_their_spelling() {
        let n = HeaderName::from_bytes(b"C%6Fntact");
        assert_eq!(n.as_str(), "C%6Fntact");
        assert!(n.matches(&HeaderName::from_bytes(b"c%6fntact")));
        assert_eq!(HeaderName::CallId.as_str(), "Call-ID");
    }
}
