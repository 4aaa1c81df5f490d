//! The call reference (Q.931 §4.3): which call on the link a message belongs to.
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----+-----+-----+-----+-----------------------+
//!   |  0  |  0  |  0  |  0  | length of call ref.   |  octet 1
//!   +-----+-----+-----+-----+-----------------------+
//!   |flag |        call reference value             |  octet 2
//!   +-----+-----------------------------------------+
//!   |        call reference value (continued)       |  octet 3 (PRI)
//!   +-----------------------------------------------+
//! ```
//!
//! The flag is 0 in messages sent by the side that allocated the value (the originating
//! side) and 1 in messages sent towards it. Length 0 is the dummy call reference; value 0
//! is the global call reference (RESTART, RESTART ACKNOWLEDGE, STATUS).

use serde::Serialize;

/// How many octets carry the value: 0 (dummy), 1 (basic access) or 2 (primary rate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallReferenceSize {
    Dummy,
    One,
    Two,
}

impl CallReferenceSize {
    /// The largest value this size can carry.
    pub const fn max_value(self) -> u16 {
        match self {
            CallReferenceSize::Dummy => 0,
            CallReferenceSize::One => 0x7f,
            CallReferenceSize::Two => 0x7fff,
        }
    }

    /// The length octet.
    pub const fn octets(self) -> u8 {
        match self {
            CallReferenceSize::Dummy => 0,
            CallReferenceSize::One => 1,
            CallReferenceSize::Two => 2,
        }
    }
}

/// A call reference as carried in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CallReference {
    size: CallReferenceSize,
    value: u16,
    /// Set in messages sent by the side that did not allocate the value.
    flag: bool,
}

impl CallReference {
    /// The dummy call reference (length 0).
    pub const DUMMY: CallReference = CallReference {
        size: CallReferenceSize::Dummy,
        value: 0,
        flag: false,
    };

    /// A call reference; `None` when `value` does not fit in `size`.
    pub const fn new(size: CallReferenceSize, value: u16, flag: bool) -> Option<CallReference> {
        if value > size.max_value() || (matches!(size, CallReferenceSize::Dummy) && flag) {
            return None;
        }
        Some(CallReference { size, value, flag })
    }

    /// The global call reference (value 0) of the given size.
    pub const fn global(size: CallReferenceSize, flag: bool) -> CallReference {
        CallReference {
            size,
            value: 0,
            flag,
        }
    }

    pub const fn size(self) -> CallReferenceSize {
        self.size
    }

    pub const fn value(self) -> u16 {
        self.value
    }

    pub const fn flag(self) -> bool {
        self.flag
    }

    /// Whether this is the global call reference (value 0, length 1 or 2).
    pub const fn is_global(self) -> bool {
        self.value == 0 && !matches!(self.size, CallReferenceSize::Dummy)
    }

    pub const fn is_dummy(self) -> bool {
        matches!(self.size, CallReferenceSize::Dummy)
    }

    /// The same reference as the other side writes it (the flag inverted).
    pub const fn reversed(self) -> CallReference {
        if self.is_dummy() {
            return self;
        }
        CallReference {
            flag: !self.flag,
            ..self
        }
    }

    /// Appends the length octet and the value.
    pub fn encode(self, out: &mut Vec<u8>) {
        out.push(self.size.octets());
        let flag = if self.flag { 0x80 } else { 0 };
        match self.size {
            CallReferenceSize::Dummy => {}
            CallReferenceSize::One => out.push(flag | self.value as u8),
            CallReferenceSize::Two => {
                out.push(flag | (self.value >> 8) as u8);
                out.push(self.value as u8);
            }
        }
    }

    /// Reads the call reference from `value` octets (without the length octet).
    pub(crate) fn from_octets(octets: &[u8]) -> Option<CallReference> {
        match *octets {
            [] => Some(CallReference::DUMMY),
            [a] => CallReference::new(CallReferenceSize::One, u16::from(a & 0x7f), a & 0x80 != 0),
            [a, b] => CallReference::new(
                CallReferenceSize::Two,
                u16::from(a & 0x7f) << 8 | u16::from(b),
                a & 0x80 != 0,
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Q.931 §4.3 (1- and 2-octet call references, the dummy and the global one).
    #[test]
    fn vectors() {
        let cases: [(&[u8], CallReference); 5] = [
            (&[0x00], CallReference::DUMMY),
            (
                &[0x01, 0x05],
                CallReference::new(CallReferenceSize::One, 5, false).unwrap(),
            ),
            (
                &[0x01, 0x85],
                CallReference::new(CallReferenceSize::One, 5, true).unwrap(),
            ),
            (
                &[0x02, 0x81, 0x02],
                CallReference::new(CallReferenceSize::Two, 0x102, true).unwrap(),
            ),
            (
                &[0x01, 0x00],
                CallReference::global(CallReferenceSize::One, false),
            ),
        ];
        for (bytes, cr) in cases {
            let mut out = Vec::new();
            cr.encode(&mut out);
            assert_eq!(out, bytes);
            assert_eq!(CallReference::from_octets(&bytes[1..]), Some(cr));
        }
    }

    #[test]
    fn flags_and_limits() {
        assert!(CallReference::new(CallReferenceSize::One, 0x80, false).is_none());
        let cr = CallReference::new(CallReferenceSize::Two, 7, false).unwrap();
        assert!(cr.reversed().flag());
        assert!(CallReference::global(CallReferenceSize::One, false).is_global());
        assert!(!CallReference::DUMMY.is_global());
    }
}
