//! `decode sdp`: filled in by the sdp codec work.

use super::{DecodeFailure, Location};

pub fn decode(_input: &[u8]) -> Result<serde_json::Value, DecodeFailure> {
    Err(DecodeFailure {
        location: Location::Byte(0),
        reason: "sdp decoding is not built yet".into(),
    })
}
