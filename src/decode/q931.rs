//! `decode q931`: filled in by the q931 codec work.

use super::{DecodeFailure, Location};

pub fn decode(_input: &[u8]) -> Result<serde_json::Value, DecodeFailure> {
    Err(DecodeFailure {
        location: Location::Byte(0),
        reason: "q931 decoding is not built yet".into(),
    })
}
