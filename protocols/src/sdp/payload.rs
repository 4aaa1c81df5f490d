//! RTP payload formats: the static payload types of RFC 3551 and the RFC 4733 event list.
//!
//! A payload type below 96 may appear in an `m=` line without an `a=rtpmap`; its meaning
//! is fixed by RFC 3551 §6, Table 4 (audio):
//!
//! ```text
//! PT   encoding name   media type  clock rate   channels
//! 0    PCMU            A            8,000       1
//! 3    GSM             A            8,000       1
//! 4    G723            A            8,000       1
//! 5    DVI4            A            8,000       1
//! 6    DVI4            A           16,000       1
//! 7    LPC             A            8,000       1
//! 8    PCMA            A            8,000       1
//! 9    G722            A            8,000       1
//! 10   L16             A           44,100       2
//! 11   L16             A           44,100       1
//! 12   QCELP           A            8,000       1
//! 13   CN              A            8,000       1
//! 14   MPA             A           90,000       (see text)
//! 15   G728            A            8,000       1
//! 16   DVI4            A           11,025       1
//! 17   DVI4            A           22,050       1
//! 18   G729            A            8,000       1
//! ```
//! (G722's RTP clock rate is 8,000 although it samples at 16 kHz, RFC 3551 §4.5.2.)

use std::fmt;

/// The encoding name of RFC 4733 named telephone events.
pub const TELEPHONE_EVENT: &str = "telephone-event";

/// What a payload type stands for: an `a=rtpmap`, or the static table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codec<'a> {
    /// The encoding name as written (compare it case-insensitively).
    pub encoding: &'a str,
    pub clock_rate: u32,
    /// The number of audio channels, when stated.
    pub channels: Option<u16>,
}

impl Codec<'_> {
    /// Whether this is `encoding` at `clock_rate` Hz, mono (channels absent or 1).
    pub fn is(&self, encoding: &str, clock_rate: u32) -> bool {
        self.encoding.eq_ignore_ascii_case(encoding)
            && self.clock_rate == clock_rate
            && self.channels.is_none_or(|c| c == 1)
    }
}

/// The RFC 3551 meaning of a static audio payload type.
pub fn static_codec(pt: u8) -> Option<Codec<'static>> {
    let (encoding, clock_rate, channels) = match pt {
        0 => ("PCMU", 8000, 1),
        3 => ("GSM", 8000, 1),
        4 => ("G723", 8000, 1),
        5 => ("DVI4", 8000, 1),
        6 => ("DVI4", 16000, 1),
        7 => ("LPC", 8000, 1),
        8 => ("PCMA", 8000, 1),
        9 => ("G722", 8000, 1),
        10 => ("L16", 44100, 2),
        11 => ("L16", 44100, 1),
        12 => ("QCELP", 8000, 1),
        13 => ("CN", 8000, 1),
        14 => ("MPA", 90000, 1),
        15 => ("G728", 8000, 1),
        16 => ("DVI4", 11025, 1),
        17 => ("DVI4", 22050, 1),
        18 => ("G729", 8000, 1),
        _ => return None,
    };
    Some(Codec {
        encoding,
        clock_rate,
        channels: Some(channels),
    })
}

/// A set of RFC 4733 event codes (0–255), as listed in the telephone-event `a=fmtp`:
///
/// ```text
/// ; RFC 4733 §7.1.1: "a list of values or ranges of values, separated by commas"
/// a=fmtp:101 0-15,66,70
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EventSet([u64; 4]);

impl EventSet {
    /// The events a receiver assumes when the `a=fmtp` is absent: the DTMF keys 0–15
    /// (RFC 4733 §7.1.1).
    pub const DTMF: EventSet = EventSet([0xffff, 0, 0, 0]);

    /// The events `lo` to `hi`, inclusive.
    pub fn range(lo: u8, hi: u8) -> EventSet {
        let mut set = EventSet::default();
        for event in lo..=hi {
            set.insert(event);
        }
        set
    }

    /// Parses `0-15,66,70`; `None` if it is not such a list.
    pub fn parse(text: &str) -> Option<EventSet> {
        let mut set = EventSet::default();
        for item in text.trim().split(',') {
            let (lo, hi) = match item.trim().split_once('-') {
                Some((lo, hi)) => (lo.trim().parse().ok()?, hi.trim().parse().ok()?),
                None => {
                    let event = item.trim().parse().ok()?;
                    (event, event)
                }
            };
            if lo > hi {
                return None;
            }
            set = set.union(EventSet::range(lo, hi));
        }
        Some(set)
    }

    pub fn insert(&mut self, event: u8) {
        self.0[usize::from(event / 64)] |= 1 << (event % 64);
    }

    pub fn contains(&self, event: u8) -> bool {
        self.0[usize::from(event / 64)] & (1 << (event % 64)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0 == [0; 4]
    }

    pub fn union(self, other: EventSet) -> EventSet {
        EventSet(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }

    pub fn intersection(self, other: EventSet) -> EventSet {
        EventSet(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }

    /// The maximal runs of consecutive events, in ascending order.
    fn runs(&self) -> Vec<(u8, u8)> {
        let mut runs: Vec<(u8, u8)> = Vec::new();
        for event in (0..=255u8).filter(|&e| self.contains(e)) {
            match runs.last_mut() {
                Some((_, hi)) if u16::from(*hi) + 1 == u16::from(event) => *hi = event,
                _ => runs.push((event, event)),
            }
        }
        runs
    }
}

/// Writes the set as `0-15,66,70`, the shortest list of ranges.
impl fmt::Display for EventSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (lo, hi)) in self.runs().into_iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            if lo == hi {
                write!(f, "{lo}")?;
            } else {
                write!(f, "{lo}-{hi}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_3551_table_4_static_types() {
        let table = [
            (0, "PCMU", 8000),
            (3, "GSM", 8000),
            (8, "PCMA", 8000),
            (9, "G722", 8000),
            (13, "CN", 8000),
            (18, "G729", 8000),
        ];
        for (pt, encoding, rate) in table {
            let codec = static_codec(pt).unwrap();
            assert!(codec.is(encoding, rate), "PT {pt}");
        }
        assert_eq!(static_codec(2), None);
        assert_eq!(static_codec(96), None);
    }

    #[test]
    fn codec_comparison_ignores_case_and_requires_mono() {
        let pcma = Codec {
            encoding: "pcma",
            clock_rate: 8000,
            channels: None,
        };
        assert!(pcma.is("PCMA", 8000));
        let stereo = Codec {
            channels: Some(2),
            ..pcma
        };
        assert!(!stereo.is("PCMA", 8000));
    }

    #[test]
    fn rfc_4733_event_lists() {
        assert_eq!(EventSet::parse("0-15"), Some(EventSet::DTMF));
        let set = EventSet::parse("0-16, 32,36-39").unwrap();
        assert!(set.contains(16) && set.contains(32) && !set.contains(33));
        assert_eq!(set.to_string(), "0-16,32,36-39");
        assert_eq!(EventSet::range(0, 255).to_string(), "0-255");
        for bad in ["", "x", "15-0", "0-256", "1,,2"] {
            assert_eq!(EventSet::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn intersection_keeps_common_events() {
        let offered = EventSet::parse("0-15,66").unwrap();
        let ours = EventSet::range(0, 16);
        assert_eq!(offered.intersection(ours), EventSet::DTMF);
        assert!(EventSet::default().is_empty());
    }
}
