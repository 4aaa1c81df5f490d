//! Channel identification (EN 300 403-1 §4.5.13).
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----+-----+-----+-----+-----+-----+-----------+
//!   |  1  | int.| int.|spare|pref/| D-  | info. chan|  octet 3
//!   |     | id  | type|  0  |excl.| chan| selection |
//!   +-----+-----+-----+-----+-----+-----+-----------+
//!   | 0/1 |     interface identifier                |  octet 3.1 (int. id = 1)
//!   +-----+-----------+-----+-----------------------+
//!   |  1  | coding std|num/| channel type/map type  |  octet 3.2 (primary rate)
//!   |     |           | map|                        |
//!   +-----+-----------+-----+-----------------------+
//!   | 0/1 |  channel number / slot map              |  octet 3.3*
//!   +-----+-----------------------------------------+
//!
//!   int. type: 0 basic interface, 1 other (primary rate)
//!   selection (basic): 00 no channel, 01 B1, 10 B2, 11 any channel
//!   selection (primary): 00 no channel, 01 as indicated in 3.3, 11 any channel
//! ```

use nom::Parser;
use nom::combinator::{cond, rest, verify};
use serde::Serialize;

use super::{CodingStandard, ContentError, Parsed, extended_group, last_octet};

/// Basic (2B+D) or primary rate (30B+D) access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterfaceType {
    Basic,
    Primary,
}

/// Octets 3.2 and 3.3 of a primary rate channel identification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrimaryChannel {
    pub coding_standard: CodingStandard,
    /// Channels given as a slot map rather than numbers.
    pub slot_map: bool,
    /// 3 = B-channel units (4 bits).
    pub channel_type: u8,
    /// Channel numbers (7 bits each), or the slot map octets when `slot_map`.
    pub channels: Vec<u8>,
}

/// Which B channel the call uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChannelIdentification {
    /// Octet 3.1, verbatim (extension bits included), when the interface is explicit.
    pub interface_id: Option<Vec<u8>>,
    pub interface_type: InterfaceType,
    /// Only the indicated channel is acceptable (otherwise it is preferred).
    pub exclusive: bool,
    pub d_channel: bool,
    /// Information channel selection (2 bits).
    pub selection: u8,
    pub primary: Option<PrimaryChannel>,
}

/// B-channel units in octet 3.2.
const B_CHANNEL_UNITS: u8 = 3;

impl ChannelIdentification {
    /// A basic-rate B channel (1 or 2): `89` is B1 exclusive, `81` B1 preferred.
    pub fn basic(channel: u8, exclusive: bool) -> ChannelIdentification {
        ChannelIdentification {
            interface_id: None,
            interface_type: InterfaceType::Basic,
            exclusive,
            d_channel: false,
            selection: channel & 0x03,
            primary: None,
        }
    }

    /// A primary-rate channel by number (1–31): `A9 83 8N` when exclusive.
    pub fn primary(channel: u8, exclusive: bool) -> ChannelIdentification {
        ChannelIdentification {
            interface_id: None,
            interface_type: InterfaceType::Primary,
            exclusive,
            d_channel: false,
            selection: 1,
            primary: Some(PrimaryChannel {
                coding_standard: CodingStandard::Itu,
                slot_map: false,
                channel_type: B_CHANNEL_UNITS,
                channels: vec![channel & 0x7f],
            }),
        }
    }

    /// "Any channel" on the given interface: `83` (basic) or `A3` (primary).
    pub fn any(interface_type: InterfaceType) -> ChannelIdentification {
        ChannelIdentification {
            interface_id: None,
            interface_type,
            exclusive: false,
            d_channel: false,
            selection: 3,
            primary: None,
        }
    }

    /// The one B channel indicated, if exactly one is: 1–2 on basic, 1–31 on primary.
    pub fn channel(&self) -> Option<u8> {
        match (self.interface_type, &self.primary) {
            (InterfaceType::Basic, _) => matches!(self.selection, 1 | 2).then_some(self.selection),
            (InterfaceType::Primary, Some(p)) if self.selection == 1 && !p.slot_map => {
                match p.channels[..] {
                    [one] => Some(one),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    pub(crate) fn decode(contents: &[u8]) -> Result<ChannelIdentification, ContentError> {
        super::parse_all(contents, parse)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let mut o3 = 0x80 | self.selection & 0x03;
        o3 |= u8::from(self.interface_id.is_some()) << 6;
        o3 |= u8::from(self.interface_type == InterfaceType::Primary) << 5;
        o3 |= u8::from(self.exclusive) << 3;
        o3 |= u8::from(self.d_channel) << 2;
        out.push(o3);
        if let Some(id) = &self.interface_id {
            out.extend_from_slice(id);
        }
        if let Some(p) = &self.primary {
            let map = u8::from(p.slot_map) << 4;
            out.push(0x80 | p.coding_standard.code() << 5 | map | p.channel_type & 0x0f);
            encode_channels(p, out);
        }
    }
}

fn encode_channels(p: &PrimaryChannel, out: &mut Vec<u8>) {
    if p.slot_map {
        out.extend_from_slice(&p.channels);
        return;
    }
    let last = p.channels.len().saturating_sub(1);
    for (i, channel) in p.channels.iter().enumerate() {
        let ext = if i == last { 0x80 } else { 0 };
        out.push(ext | channel & 0x7f);
    }
}

fn parse(input: &[u8]) -> Parsed<'_, ChannelIdentification> {
    let (input, o3) = verify(last_octet, |o: &u8| o & 0x10 == 0).parse(input)?;
    let explicit = o3 & 0x40 != 0;
    let (input, interface_id) = cond(explicit, extended_group).parse(input)?;
    let interface_type = if o3 & 0x20 != 0 {
        InterfaceType::Primary
    } else {
        InterfaceType::Basic
    };
    let has_primary = interface_type == InterfaceType::Primary && !input.is_empty();
    let (input, primary) = cond(has_primary, primary_channel).parse(input)?;
    let ci = ChannelIdentification {
        interface_id: interface_id.map(<[u8]>::to_vec),
        interface_type,
        exclusive: o3 & 0x08 != 0,
        d_channel: o3 & 0x04 != 0,
        selection: o3 & 0x03,
        primary,
    };
    Ok((input, ci))
}

fn primary_channel(input: &[u8]) -> Parsed<'_, PrimaryChannel> {
    let (input, o32) = last_octet(input)?;
    let slot_map = o32 & 0x10 != 0;
    let (input, channels) = if slot_map {
        rest(input)?
    } else if input.is_empty() {
        (input, &input[..0])
    } else {
        extended_group(input)?
    };
    let p = PrimaryChannel {
        coding_standard: CodingStandard::from_code(o32 >> 5 & 0x03),
        slot_map,
        channel_type: o32 & 0x0f,
        channels: channels
            .iter()
            .map(|c| if slot_map { *c } else { c & 0x7f })
            .collect(),
    };
    Ok((input, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EN 300 403-1 §4.5.13; `89` = B1 exclusive (protocol-facts.md), `A9 83 81` = PRI
    /// timeslot 1 exclusive.
    #[test]
    fn vectors() {
        let cases: [(&[u8], ChannelIdentification, Option<u8>); 6] = [
            (&[0x89], ChannelIdentification::basic(1, true), Some(1)),
            (&[0x82], ChannelIdentification::basic(2, false), Some(2)),
            (
                &[0x83],
                ChannelIdentification::any(InterfaceType::Basic),
                None,
            ),
            (
                &[0xa3],
                ChannelIdentification::any(InterfaceType::Primary),
                None,
            ),
            (
                &[0xa9, 0x83, 0x81],
                ChannelIdentification::primary(1, true),
                Some(1),
            ),
            (
                &[0xa1, 0x83, 0x9f],
                ChannelIdentification::primary(31, false),
                Some(31),
            ),
        ];
        for (bytes, ci, channel) in cases {
            assert_eq!(ChannelIdentification::decode(bytes), Ok(ci.clone()));
            assert_eq!(ci.channel(), channel);
            let mut out = Vec::new();
            ci.encode(&mut out);
            assert_eq!(out, bytes);
        }
    }

    #[test]
    fn interface_id_and_slot_maps_round_trip() {
        for bytes in [
            &[0xe9, 0x81, 0x83, 0x85][..],
            &[0xa9, 0x93, 0xff, 0x00, 0x01],
            &[0xa9, 0x83, 0x01, 0x82],
            &[0xa9, 0x83],
        ] {
            let ci = ChannelIdentification::decode(bytes).unwrap();
            let mut out = Vec::new();
            ci.encode(&mut out);
            assert_eq!(out, bytes);
        }
    }

    #[test]
    fn malformed() {
        assert_eq!(ChannelIdentification::decode(&[]), Err(ContentError(0)));
        assert_eq!(ChannelIdentification::decode(&[0x09]), Err(ContentError(0)));
        assert_eq!(ChannelIdentification::decode(&[0x99]), Err(ContentError(0)));
        assert_eq!(
            ChannelIdentification::decode(&[0x89, 0x01]),
            Err(ContentError(1))
        );
        assert_eq!(
            ChannelIdentification::decode(&[0xa9, 0x83, 0x01]),
            Err(ContentError(3))
        );
    }
}
