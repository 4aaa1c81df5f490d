//! Bearer capability (EN 300 403-1 §4.5.5).
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----+-----------+-----------------------------+
//!   |  1  | coding std| information transfer cap.   |  octet 3
//!   +-----+-----------+-----------------------------+
//!   |  1  | tr. mode  | information transfer rate   |  octet 4
//!   +-----+-----------+-----------------------------+
//!   |  1  |        rate multiplier                  |  octet 4.1 (rate = multirate)
//!   +-----+-----------+-----------------------------+
//!   | 0/1 |  0     1  | user info layer 1 protocol  |  octet 5
//!   +-----+-----------+-----------------------------+
//!   |          octets 5a-5d, 6, 7 ...               |
//! ```

use nom::Parser;
use nom::combinator::{cond, rest, verify};
use serde::Serialize;

use super::{CodingStandard, ContentError, Parsed, coded, extended_group, last_octet, octet};

coded! {
    /// Information transfer capability (5 bits).
    TransferCapability {
        Speech = 0x00 => "speech",
        UnrestrictedDigital = 0x08 => "unrestricted_digital",
        RestrictedDigital = 0x09 => "restricted_digital",
        Audio3k1 = 0x10 => "3.1_khz_audio",
        UnrestrictedDigitalWithTones = 0x11 => "unrestricted_digital_with_tones",
        Video = 0x18 => "video",
    }
}

coded! {
    /// User information layer 1 protocol (5 bits of octet 5).
    Layer1Protocol {
        V110 = 0x01 => "v110",
        G711MuLaw = 0x02 => "g711_mu_law",
        G711ALaw = 0x03 => "g711_a_law",
        G721 = 0x04 => "g721",
        H221 = 0x05 => "h221",
    }
}

/// Transfer rate code for "multirate (64 kbit/s base rate)", which adds octet 4.1.
pub const MULTIRATE: u8 = 0x18;

/// The bearer service asked for or provided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BearerCapability {
    pub coding_standard: CodingStandard,
    pub transfer_capability: TransferCapability,
    /// 0 circuit mode, 2 packet mode (2 bits).
    pub transfer_mode: u8,
    /// 0x10 64 kbit/s, 0x18 multirate, 0 packet mode (5 bits).
    pub transfer_rate: u8,
    /// Octet 4.1, present exactly when the rate is multirate.
    pub rate_multiplier: Option<u8>,
    /// Octet 5.
    pub layer1: Option<Layer1Protocol>,
    /// Octets 5a–5d, verbatim (extension bits included).
    #[serde(serialize_with = "super::serialize_hex")]
    pub layer1_extension: Vec<u8>,
    /// Octets 6 and 7 (layer 2 and 3 protocols), verbatim.
    #[serde(serialize_with = "super::serialize_hex")]
    pub further: Vec<u8>,
}

impl BearerCapability {
    /// Speech, 64 kbit/s circuit mode, G.711 A-law: `80 90 A3`.
    pub fn speech_a_law() -> BearerCapability {
        BearerCapability::speech(Layer1Protocol::G711ALaw)
    }

    /// Speech, 64 kbit/s circuit mode, G.711 µ-law: `80 90 A2`.
    pub fn speech_mu_law() -> BearerCapability {
        BearerCapability::speech(Layer1Protocol::G711MuLaw)
    }

    fn speech(layer1: Layer1Protocol) -> BearerCapability {
        BearerCapability {
            coding_standard: CodingStandard::Itu,
            transfer_capability: TransferCapability::Speech,
            transfer_mode: 0,
            transfer_rate: 0x10,
            rate_multiplier: None,
            layer1: Some(layer1),
            layer1_extension: Vec::new(),
            further: Vec::new(),
        }
    }

    /// Whether the bearer carries audio (speech or 3.1 kHz audio).
    pub fn is_audio(&self) -> bool {
        matches!(
            self.transfer_capability,
            TransferCapability::Speech | TransferCapability::Audio3k1
        )
    }

    pub(crate) fn decode(contents: &[u8]) -> Result<BearerCapability, ContentError> {
        super::parse_all(contents, parse)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push(0x80 | self.coding_standard.code() << 5 | self.transfer_capability.code() & 0x1f);
        out.push(0x80 | (self.transfer_mode & 0x03) << 5 | self.transfer_rate & 0x1f);
        if let Some(multiplier) = self.rate_multiplier {
            out.push(0x80 | multiplier);
        }
        if let Some(layer1) = self.layer1 {
            let ext = if self.layer1_extension.is_empty() {
                0x80
            } else {
                0
            };
            out.push(ext | 0x20 | layer1.code() & 0x1f);
            out.extend_from_slice(&self.layer1_extension);
        }
        out.extend_from_slice(&self.further);
    }
}

fn parse(input: &[u8]) -> Parsed<'_, BearerCapability> {
    let (input, o3) = last_octet(input)?;
    let (input, o4) = last_octet(input)?;
    let rate = o4 & 0x1f;
    let (input, multiplier) = cond(rate == MULTIRATE, last_octet).parse(input)?;
    let (input, layer1) = layer1_group(input)?;
    let (input, further) =
        verify(rest, |r: &[u8]| r.first().is_none_or(|o| o & 0x60 != 0x20)).parse(input)?;
    let (layer1, layer1_extension) = match layer1 {
        Some((protocol, extension)) => (Some(protocol), extension.to_vec()),
        None => (None, Vec::new()),
    };
    let bc = BearerCapability {
        coding_standard: CodingStandard::from_code(o3 >> 5 & 0x03),
        transfer_capability: TransferCapability::from_code(o3 & 0x1f),
        transfer_mode: o4 >> 5 & 0x03,
        transfer_rate: rate,
        rate_multiplier: multiplier.map(|m| m & 0x7f),
        layer1,
        layer1_extension,
        further: further.to_vec(),
    };
    Ok((input, bc))
}

/// Octet 5 and its extensions 5a–5d, when the next octet is a layer 1 identification.
fn layer1_group(input: &[u8]) -> Parsed<'_, Option<(Layer1Protocol, &[u8])>> {
    let Some(&o5) = input.first() else {
        return Ok((input, None));
    };
    if o5 & 0x60 != 0x20 {
        return Ok((input, None));
    }
    let (input, _) = octet(input)?;
    let protocol = Layer1Protocol::from_code(o5 & 0x1f);
    if o5 & 0x80 != 0 {
        return Ok((input, Some((protocol, &[][..]))));
    }
    let (input, extension) = extended_group(input)?;
    Ok((input, Some((protocol, extension))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EN 300 403-1 §4.5.5; the A-law speech vector is the one in protocol-facts.md.
    #[test]
    fn vectors() {
        let cases: [(&[u8], BearerCapability); 3] = [
            (&[0x80, 0x90, 0xa3], BearerCapability::speech_a_law()),
            (&[0x80, 0x90, 0xa2], BearerCapability::speech_mu_law()),
            (
                &[0x88, 0x90],
                BearerCapability {
                    transfer_capability: TransferCapability::UnrestrictedDigital,
                    layer1: None,
                    ..BearerCapability::speech_a_law()
                },
            ),
        ];
        for (bytes, bc) in cases {
            assert_eq!(BearerCapability::decode(bytes), Ok(bc.clone()));
            let mut out = Vec::new();
            bc.encode(&mut out);
            assert_eq!(out, bytes);
        }
    }

    #[test]
    fn multirate_and_extensions_round_trip() {
        let bytes = [0x88, 0x98, 0x82, 0x21, 0x0f, 0x8c, 0xc2];
        let bc = BearerCapability::decode(&bytes).unwrap();
        assert_eq!(bc.rate_multiplier, Some(2));
        assert_eq!(bc.layer1, Some(Layer1Protocol::V110));
        assert_eq!(bc.layer1_extension, [0x0f, 0x8c]);
        assert_eq!(bc.further, [0xc2]);
        let mut out = Vec::new();
        bc.encode(&mut out);
        assert_eq!(out, bytes);
    }

    #[test]
    fn malformed() {
        for (bytes, offset) in [
            (&[0x00, 0x90][..], 0),
            (&[0x80][..], 1),
            (&[0x80, 0x90, 0x23][..], 3),
            (&[0x80, 0x98][..], 2),
        ] {
            assert_eq!(
                BearerCapability::decode(bytes),
                Err(ContentError(offset)),
                "{bytes:02x?}"
            );
        }
    }
}
