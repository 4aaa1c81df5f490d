//! RTP (RFC 3550) packets and RFC 4733 telephone events.
//!
//! [`RtpPacket`] is a zero-copy view over a received datagram: the fixed header is read,
//! CSRCs, the header extension and padding are skipped, and the payload is a sub-slice.
//! [`RtpHeader::write`] lays a header out in front of a payload for sending. Both refuse
//! what RFC 3550 §5.1 does not allow rather than guess.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |V=2|P|X|  CC   |M|     PT      |       sequence number         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                           timestamp                           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |           synchronization source (SSRC) identifier            |
//! +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//! |            contributing source (CSRC) identifiers             |
//! |                             ....                              |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

pub mod telephone_event;

use std::ops::Range;

use thiserror::Error;

/// Length of the fixed RTP header.
pub const HEADER_LEN: usize = 12;

/// Why a datagram is not an acceptable RTP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RtpError {
    #[error("datagram of {0} bytes is shorter than the 12-byte RTP header")]
    TooShort(usize),
    #[error("RTP version {0}, expected 2")]
    Version(u8),
    #[error("CSRC list or header extension runs past the end of the datagram")]
    Truncated,
    #[error("padding count {0} is zero or larger than the payload")]
    Padding(u8),
}

/// A received RTP packet, borrowed from its datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtpPacket<'a> {
    pub header: RtpHeader,
    pub payload: &'a [u8],
}

/// The fields of the fixed header that callbackd reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RtpHeader {
    pub marker: bool,
    pub payload_type: u8,
    pub sequence: u16,
    pub timestamp: u32,
    pub ssrc: u32,
}

impl<'a> RtpPacket<'a> {
    /// Parses one datagram.
    pub fn parse(datagram: &'a [u8]) -> Result<RtpPacket<'a>, RtpError> {
        let (header, payload) = parse_header(datagram)?;
        Ok(RtpPacket {
            header,
            payload: &datagram[payload],
        })
    }
}

/// Parses one datagram's header and locates its payload, for callers that rewrite the
/// payload in place (the relay's transcoding).
pub fn parse_header(datagram: &[u8]) -> Result<(RtpHeader, Range<usize>), RtpError> {
    if datagram.len() < HEADER_LEN {
        return Err(RtpError::TooShort(datagram.len()));
    }
    let first = datagram[0];
    let version = first >> 6;
    if version != 2 {
        return Err(RtpError::Version(version));
    }
    let header = RtpHeader {
        marker: datagram[1] & 0x80 != 0,
        payload_type: datagram[1] & 0x7F,
        sequence: u16::from_be_bytes([datagram[2], datagram[3]]),
        timestamp: u32::from_be_bytes([datagram[4], datagram[5], datagram[6], datagram[7]]),
        ssrc: u32::from_be_bytes([datagram[8], datagram[9], datagram[10], datagram[11]]),
    };
    let mut start = HEADER_LEN + 4 * usize::from(first & 0x0F);
    if first & 0x10 != 0 {
        // Extension: 16-bit profile-defined id, 16-bit length in 32-bit words.
        let words = datagram
            .get(start + 2..start + 4)
            .ok_or(RtpError::Truncated)?;
        start += 4 + 4 * usize::from(u16::from_be_bytes([words[0], words[1]]));
    }
    let mut end = datagram.len();
    if start > end {
        return Err(RtpError::Truncated);
    }
    if first & 0x20 != 0 {
        let count = datagram[end - 1];
        if count == 0 || usize::from(count) > end - start {
            return Err(RtpError::Padding(count));
        }
        end -= usize::from(count);
    }
    Ok((header, start..end))
}

/// Rewrites the payload type of a datagram in place, keeping the marker bit.
pub fn set_payload_type(datagram: &mut [u8], payload_type: u8) {
    if let Some(byte) = datagram.get_mut(1) {
        *byte = (*byte & 0x80) | (payload_type & 0x7F);
    }
}

impl RtpHeader {
    /// Writes this header (no CSRCs, no extension, no padding) followed by `payload` into
    /// `out`, returning the datagram length. `out` must hold `HEADER_LEN + payload.len()`.
    pub fn write(&self, payload: &[u8], out: &mut [u8]) -> usize {
        let len = HEADER_LEN + payload.len();
        out[0] = 0x80;
        out[1] = (u8::from(self.marker) << 7) | (self.payload_type & 0x7F);
        out[2..4].copy_from_slice(&self.sequence.to_be_bytes());
        out[4..8].copy_from_slice(&self.timestamp.to_be_bytes());
        out[8..12].copy_from_slice(&self.ssrc.to_be_bytes());
        out[HEADER_LEN..len].copy_from_slice(payload);
        len
    }

    /// This header as a new datagram with `payload`.
    pub fn to_datagram(&self, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![0; HEADER_LEN + payload.len()];
        self.write(payload, &mut out);
        out
    }
}

/// Whether a datagram on a multiplexed port is RTCP rather than RTP (RFC 5761 §4: the
/// second octet, read as RTCP packet type, falls in 192–223).
pub fn is_rtcp(datagram: &[u8]) -> bool {
    datagram.len() >= 2 && (192..=223).contains(&datagram[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let header = RtpHeader {
            marker: true,
            payload_type: 8,
            sequence: 0xBEEF,
            timestamp: 0x0102_0304,
            ssrc: 0xDEAD_BEEF,
        };
        let datagram = header.to_datagram(&[0xD5; 160]);
        assert_eq!(&datagram[..4], &[0x80, 0x88, 0xBE, 0xEF]);
        let packet = RtpPacket::parse(&datagram).unwrap();
        assert_eq!(packet.header, header);
        assert_eq!(packet.payload.len(), 160);
    }

    #[test]
    fn skips_csrcs_extension_and_padding() {
        let mut datagram = vec![0xB2, 0x00, 0, 1, 0, 0, 0, 160, 0, 0, 0, 7];
        datagram.extend_from_slice(&[1, 1, 1, 1, 2, 2, 2, 2]); // two CSRCs
        datagram.extend_from_slice(&[0xBE, 0xDE, 0, 1, 9, 9, 9, 9]); // one-word extension
        datagram.extend_from_slice(&[0x55, 0x66]); // payload
        datagram.extend_from_slice(&[0, 0, 3]); // three bytes of padding
        let packet = RtpPacket::parse(&datagram).unwrap();
        assert_eq!(packet.payload, &[0x55, 0x66]);
        assert_eq!(packet.header.ssrc, 7);
    }

    #[test]
    fn refuses_what_rfc3550_does_not_allow() {
        assert_eq!(RtpPacket::parse(&[0x80; 11]), Err(RtpError::TooShort(11)));
        let mut v1 = [0u8; 12];
        v1[0] = 0x40;
        assert_eq!(RtpPacket::parse(&v1), Err(RtpError::Version(1)));
        let mut csrc = [0u8; 12];
        csrc[0] = 0x81;
        assert_eq!(RtpPacket::parse(&csrc), Err(RtpError::Truncated));
        let mut ext = [0u8; 14];
        ext[0] = 0x90;
        assert_eq!(RtpPacket::parse(&ext), Err(RtpError::Truncated));
        let mut pad = [0u8; 13];
        pad[0] = 0xA0;
        pad[12] = 5;
        assert_eq!(RtpPacket::parse(&pad), Err(RtpError::Padding(5)));
        pad[12] = 0;
        assert_eq!(RtpPacket::parse(&pad), Err(RtpError::Padding(0)));
    }

    #[test]
    fn rtcp_is_told_apart() {
        assert!(is_rtcp(&[0x80, 200, 0, 6])); // SR
        assert!(is_rtcp(&[0x81, 201, 0, 7])); // RR
        assert!(!is_rtcp(&[0x80, 0x08]));
        assert!(!is_rtcp(&[0x80, 0xE5])); // marker + PT 101
    }
}
