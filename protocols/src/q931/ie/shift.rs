//! Shift (Q.931 §4.5.3, §4.5.4): changes the codeset of the elements that follow.
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----+-----------------+-----+-----------------+
//!   |  1  |  0     0     1  |  L  | new codeset     |
//!   +-----+-----------------+-----+-----------------+
//!   L = 0: locking shift; L = 1: non-locking (the next element only)
//! ```

use serde::Serialize;

/// A codeset shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Shift {
    pub locking: bool,
    /// The new codeset, 0–7.
    pub codeset: u8,
}

impl Shift {
    /// The shift an octet codes, if it is one.
    pub const fn from_octet(octet: u8) -> Option<Shift> {
        if octet & 0xf0 != 0x90 {
            return None;
        }
        Some(Shift {
            locking: octet & 0x08 == 0,
            codeset: octet & 0x07,
        })
    }

    pub const fn octet(self) -> u8 {
        let non_locking = if self.locking { 0 } else { 0x08 };
        0x90 | non_locking | (self.codeset & 0x07)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Q.931 §4.5.3 (locking) and §4.5.4 (non-locking).
    #[test]
    fn vectors() {
        for (octet, locking, codeset) in [(0x95, true, 5), (0x9e, false, 6), (0x90, true, 0)] {
            let shift = Shift::from_octet(octet).unwrap();
            assert_eq!((shift.locking, shift.codeset), (locking, codeset));
            assert_eq!(shift.octet(), octet);
        }
        assert_eq!(Shift::from_octet(0xa1), None);
    }
}
