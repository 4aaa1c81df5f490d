//! Elements callbackd does not interpret, kept verbatim for re-encoding and display.

use serde::Serialize;

/// An element outside codeset 0, or a codeset 0 element without a typed form here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownIe {
    /// The codeset active when it was received (0–7).
    pub codeset: u8,
    /// The identifier octet (the whole octet for a single-octet element).
    pub identifier: u8,
    /// The contents; `None` for a single-octet element.
    #[serde(serialize_with = "serialize_opt_hex")]
    pub contents: Option<Vec<u8>>,
}

fn serialize_opt_hex<S: serde::Serializer>(
    contents: &Option<Vec<u8>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match contents {
        Some(bytes) => super::serialize_hex(bytes, s),
        None => s.serialize_none(),
    }
}
