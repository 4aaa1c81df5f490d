//! Notification indicator (EN 300 403-1 §4.5.22), the mandatory element of NOTIFY.
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----+-----------------------------------------+
//!   |  1  |        notification description         |  octet 3
//!   +-----+-----------------------------------------+
//!   |     further octets (supplementary services)   |
//! ```

use nom::combinator::rest;
use serde::Serialize;

use super::{ContentError, last_octet};

/// #0 user suspended, #1 user resumed, #2 bearer service change, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationIndicator {
    /// The notification description (7 bits).
    pub description: u8,
    #[serde(serialize_with = "super::serialize_hex")]
    pub further: Vec<u8>,
}

impl NotificationIndicator {
    pub(crate) fn decode(contents: &[u8]) -> Result<NotificationIndicator, ContentError> {
        super::parse_all(contents, |i| {
            let (i, o3) = last_octet(i)?;
            let (i, further) = rest(i)?;
            let ni = NotificationIndicator {
                description: o3 & 0x7f,
                further: further.to_vec(),
            };
            Ok((i, ni))
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push(0x80 | self.description & 0x7f);
        out.extend_from_slice(&self.further);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors() {
        for bytes in [&[0x80][..], &[0x81], &[0xf9, 0x01, 0x02]] {
            let ni = NotificationIndicator::decode(bytes).unwrap();
            let mut out = Vec::new();
            ni.encode(&mut out);
            assert_eq!(out, bytes);
        }
        assert_eq!(
            NotificationIndicator::decode(&[0x81]).unwrap().description,
            1
        );
        assert_eq!(NotificationIndicator::decode(&[0x01]), Err(ContentError(0)));
    }
}
