//! Port ranges such as `"20000-20999"` (the RTP ports of a SIP trunk).
//!
//! RTP uses the even ports and RTCP the odd port above each (RFC 3550 §11), so a range
//! for RTP starts on an even port: [`PortRange::for_rtp`] checks that.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// An inclusive range of UDP ports, `low <= high`, neither of them 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    low: u16,
    high: u16,
}

/// Why a port range was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PortRangeError {
    #[error("bad port range `{0}`: write it as LOW-HIGH, e.g. \"20000-20999\"")]
    Format(String),
    #[error("bad port range `{0}`: ports are 1 to 65535")]
    Port(String),
    #[error("bad port range: low port {low} is above high port {high}")]
    Reversed { low: u16, high: u16 },
    #[error("bad RTP port range: it must start on an even port (RTP even, RTCP odd), found {0}")]
    OddLow(u16),
}

impl PortRange {
    pub fn low(&self) -> u16 {
        self.low
    }

    pub fn high(&self) -> u16 {
        self.high
    }

    /// How many ports the range holds.
    pub fn len(&self) -> usize {
        usize::from(self.high - self.low) + 1
    }

    /// Always false: a range holds at least one port.
    pub fn is_empty(&self) -> bool {
        false
    }

    pub fn contains(&self, port: u16) -> bool {
        (self.low..=self.high).contains(&port)
    }

    /// The range if it suits RTP (it starts on an even port).
    pub fn for_rtp(self) -> Result<Self, PortRangeError> {
        if self.low.is_multiple_of(2) {
            Ok(self)
        } else {
            Err(PortRangeError::OddLow(self.low))
        }
    }
}

impl FromStr for PortRange {
    type Err = PortRangeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (low, high) = text
            .split_once('-')
            .ok_or_else(|| PortRangeError::Format(text.to_owned()))?;
        let (low, high) = (port(text, low)?, port(text, high)?);
        if low > high {
            return Err(PortRangeError::Reversed { low, high });
        }
        Ok(PortRange { low, high })
    }
}

/// One port of a range: digits, 1 to 65535.
fn port(text: &str, digits: &str) -> Result<u16, PortRangeError> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PortRangeError::Format(text.to_owned()));
    }
    match digits.parse::<u16>() {
        Ok(port) if port != 0 => Ok(port),
        _ => Err(PortRangeError::Port(text.to_owned())),
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.low, self.high)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges() {
        let range: PortRange = "20000-20999".parse().unwrap();
        assert_eq!(
            (range.low(), range.high(), range.len()),
            (20000, 20999, 1000)
        );
        assert!(range.contains(20500) && !range.contains(21000));
        assert_eq!(range.to_string(), "20000-20999");
        assert_eq!("5004-5004".parse::<PortRange>().unwrap().len(), 1);
    }

    #[test]
    fn refuses_malformed_ranges() {
        for text in ["20000", "20000-", "-20999", "a-b", "20000 - 20999", "1-2-3"] {
            assert!(
                matches!(text.parse::<PortRange>(), Err(PortRangeError::Format(_))),
                "{text}"
            );
        }
        for text in ["0-10", "20000-70000"] {
            assert!(
                matches!(text.parse::<PortRange>(), Err(PortRangeError::Port(_))),
                "{text}"
            );
        }
        assert_eq!(
            "30000-20000".parse::<PortRange>(),
            Err(PortRangeError::Reversed {
                low: 30000,
                high: 20000
            })
        );
    }

    #[test]
    fn rtp_ranges_start_even() {
        let odd: PortRange = "20001-20999".parse().unwrap();
        assert_eq!(odd.for_rtp(), Err(PortRangeError::OddLow(20001)));
        let even: PortRange = "20000-20999".parse().unwrap();
        assert_eq!(even.for_rtp(), Ok(even));
    }
}
