//! `decode q931`: one Q.931 message given as hex digits (whitespace ignored) into JSON.
//!
//! Offsets in errors are byte offsets into the input text: a bad hex digit is reported
//! where it stands, and a message the codec rejects is reported at the first hex digit of
//! the octet where the codec stopped (or at the end of the input when the message ended
//! too early).

use protocols::q931::{CallReferenceSize, Error, Message, PROTOCOL_DISCRIMINATOR};
use serde_json::{Value, json};

use super::{DecodeFailure, Location};

pub fn decode(input: &[u8]) -> Result<Value, DecodeFailure> {
    let (octets, positions) = octets(input)?;
    let message = Message::decode(&octets).map_err(|error| {
        let at = positions
            .get(error.offset())
            .copied()
            .unwrap_or(input.len());
        DecodeFailure {
            location: Location::Byte(at),
            reason: format!(
                "{} (message octet {}; Q.850 cause {})",
                what(&error),
                error.offset(),
                error.cause().value()
            ),
        }
    })?;
    Ok(to_json(&message))
}

/// The error without its offset, which the failure's location already gives.
fn what(error: &Error) -> String {
    match error {
        Error::Invalid { kind, .. } => format!("invalid message: {kind}"),
        Error::PeerMisbehaved { kind, .. } => format!("protocol violation: {kind}"),
        Error::Unsupported { kind, .. } => format!("not supported: {kind}"),
    }
}

fn to_json(message: &Message) -> Value {
    let cr = message.call_reference;
    let length = match cr.size() {
        CallReferenceSize::Dummy => 0,
        CallReferenceSize::One => 1,
        CallReferenceSize::Two => 2,
    };
    json!({
        "protocol_discriminator": PROTOCOL_DISCRIMINATOR,
        "call_reference": {
            "length": length,
            "value": cr.value(),
            "flag": cr.flag(),
            "global": cr.is_global(),
        },
        "message_type": {
            "name": message.message_type.name(),
            "code": message.message_type.code(),
        },
        "information_elements": message.ies,
    })
}

/// The octets the hex digits spell, and for each octet the input offset of its first digit.
fn octets(input: &[u8]) -> Result<(Vec<u8>, Vec<usize>), DecodeFailure> {
    let mut octets = Vec::new();
    let mut positions = Vec::new();
    let mut high: Option<(usize, u8)> = None;
    for (at, &c) in input.iter().enumerate() {
        if c.is_ascii_whitespace() {
            continue;
        }
        let nibble = (c as char).to_digit(16).ok_or_else(|| DecodeFailure {
            location: Location::Byte(at),
            reason: format!("{:?} is not a hex digit", c as char),
        })? as u8;
        match high.take() {
            None => high = Some((at, nibble)),
            Some((start, h)) => {
                octets.push(h << 4 | nibble);
                positions.push(start);
            }
        }
    }
    if let Some((start, _)) = high {
        return Err(DecodeFailure {
            location: Location::Byte(start),
            reason: "odd number of hex digits: the last octet is incomplete".into(),
        });
    }
    if octets.is_empty() {
        return Err(DecodeFailure {
            location: Location::Byte(0),
            reason: "no hex digits: expected a Q.931 message".into(),
        });
    }
    Ok((octets, positions))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_to_json() {
        let json = decode(b"08 01 05 05 a1 04 03 80 90 a3 18 01 89 70 04 a1 31 32 33\n").unwrap();
        assert_eq!(json["message_type"]["name"], "SETUP");
        assert_eq!(json["call_reference"]["value"], 5);
        let ies = json["information_elements"].as_array().unwrap();
        assert_eq!(ies[0]["name"], "sending_complete");
        assert_eq!(ies[1]["layer1"], "g711_a_law");
        assert_eq!(ies[3]["digits"], "123");
    }

    #[test]
    fn unknown_elements_are_hex() {
        let json = decode(b"0801050504038090a37d029181").unwrap();
        assert_eq!(json["information_elements"][1]["contents"], "9181");
    }

    #[test]
    fn errors_point_into_the_input() {
        let bad_digit = decode(b"08 01 0g").unwrap_err();
        assert_eq!(bad_digit.location, Location::Byte(7));
        let bad_ie = decode(b"08 01 05 05 04 02 00 90").unwrap_err();
        assert_eq!(bad_ie.location, Location::Byte(18));
        let short = decode(b"08 01").unwrap_err();
        assert_eq!(short.location, Location::Byte(5));
    }
}
