//! RFC 4733 telephone events (DTMF carried as named events in RTP).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     event     |E|R| volume    |          duration             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! One key press is one *event*: every packet of it carries the RTP timestamp of its
//! start (§2.5.1.1), the duration grows in each update, and the last packet has the E bit
//! and is sent three times (§2.5.1.4). The [`EventReceiver`] therefore reports a key once,
//! on the first packet with a new timestamp, and ignores updates and the repeated end
//! packets. The [`EventSender`] produces the packet sequence for one key, one packet per
//! media tick.

use thiserror::Error;

use crate::call::Digit;

/// The 4-byte event payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventPayload {
    /// The event code (0–15 are the DTMF keys, RFC 4733 §3.2).
    pub event: u8,
    /// End of the event.
    pub end: bool,
    /// Power level, 0 to −63 dBm0, stored as its magnitude.
    pub volume: u8,
    /// Duration so far, in timestamp units (samples at 8 kHz).
    pub duration: u16,
}

/// Why a telephone-event payload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EventError {
    #[error("telephone-event payload of {0} bytes, expected 4")]
    Length(usize),
}

impl EventPayload {
    /// Parses the payload; RFC 4733 payloads are exactly one 4-byte block (several events
    /// in one packet travel as RFC 2198 redundancy, which is negotiated separately).
    pub fn parse(payload: &[u8]) -> Result<EventPayload, EventError> {
        let &[event, flags, hi, lo] = payload else {
            return Err(EventError::Length(payload.len()));
        };
        Ok(EventPayload {
            event,
            end: flags & 0x80 != 0,
            volume: flags & 0x3F,
            duration: u16::from_be_bytes([hi, lo]),
        })
    }

    /// The 4-byte wire form (the reserved bit is sent as zero).
    pub fn to_bytes(self) -> [u8; 4] {
        let [hi, lo] = self.duration.to_be_bytes();
        [
            self.event,
            (u8::from(self.end) << 7) | (self.volume & 0x3F),
            hi,
            lo,
        ]
    }
}

/// How many recent event timestamps the receiver remembers to recognise retransmissions.
const RECENT: usize = 4;

/// Turns a stream of telephone-event packets into key presses, one per event.
#[derive(Debug, Clone, Default)]
pub struct EventReceiver {
    /// Timestamps of recently reported events, newest last.
    recent: [Option<u32>; RECENT],
}

impl EventReceiver {
    pub fn new() -> EventReceiver {
        EventReceiver::default()
    }

    /// Feeds one packet (its RTP timestamp and payload); returns the key when the packet
    /// starts a new event. Events other than the 16 DTMF keys are ignored.
    pub fn receive(&mut self, timestamp: u32, payload: &[u8]) -> Result<Option<Digit>, EventError> {
        let event = EventPayload::parse(payload)?;
        if self.recent.contains(&Some(timestamp)) {
            return Ok(None);
        }
        self.recent.rotate_left(1);
        self.recent[RECENT - 1] = Some(timestamp);
        Ok(Digit::from_event(event.event))
    }
}

/// One packet to send: the caller supplies sequence number and SSRC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventPacket {
    pub marker: bool,
    pub timestamp: u32,
    pub payload: [u8; 4],
}

/// Produces the packets of one key press, one per call of [`EventSender::next_packet`]
/// (the media path calls it once per packetisation interval).
#[derive(Debug, Clone)]
pub struct EventSender {
    digit: Digit,
    timestamp: u32,
    /// Samples each packet adds to the duration.
    step: u16,
    total: u16,
    sent: u16,
    end_packets_left: u8,
    volume: u8,
}

impl EventSender {
    /// A key press of `duration` samples starting at RTP `timestamp`, updated every `step`
    /// samples (160 for 20 ms packets), at −`volume` dBm0 (10 is customary).
    pub fn new(digit: Digit, timestamp: u32, duration: u16, step: u16, volume: u8) -> EventSender {
        EventSender {
            digit,
            timestamp,
            step: step.max(1),
            total: duration.max(1),
            sent: 0,
            end_packets_left: 3,
            volume: volume.min(63),
        }
    }

    /// The next packet, or `None` when the event (with its three end packets) is complete.
    pub fn next_packet(&mut self) -> Option<EventPacket> {
        if self.end_packets_left == 0 {
            return None;
        }
        let marker = self.sent == 0;
        self.sent = self.sent.saturating_add(self.step).min(self.total);
        let end = self.sent == self.total;
        if end {
            self.end_packets_left -= 1;
        }
        let payload = EventPayload {
            event: self.digit.event(),
            end,
            volume: self.volume,
            duration: self.sent,
        };
        Some(EventPacket {
            marker,
            timestamp: self.timestamp,
            payload: payload.to_bytes(),
        })
    }

    /// Timestamp units the event occupies, for placing the next audio packet after it.
    pub fn duration(&self) -> u16 {
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digit(c: char) -> Digit {
        Digit::from_char(c).unwrap()
    }

    #[test]
    fn payload_round_trip() {
        // RFC 4733 §3.2 example shape: event 5, end, volume 10, duration 800.
        let bytes = [5, 0x8A, 0x03, 0x20];
        let p = EventPayload::parse(&bytes).unwrap();
        assert_eq!(
            p,
            EventPayload {
                event: 5,
                end: true,
                volume: 10,
                duration: 800
            }
        );
        assert_eq!(p.to_bytes(), bytes);
        assert_eq!(EventPayload::parse(&[1, 2, 3]), Err(EventError::Length(3)));
    }

    #[test]
    fn one_key_per_event_despite_updates_and_repeated_ends() {
        let mut rx = EventReceiver::new();
        let mut keys = Vec::new();
        let mut tx = EventSender::new(digit('7'), 1000, 800, 160, 10);
        while let Some(packet) = tx.next_packet() {
            keys.extend(rx.receive(packet.timestamp, &packet.payload).unwrap());
        }
        assert_eq!(keys, vec![digit('7')]);
    }

    #[test]
    fn the_same_key_twice_needs_two_timestamps() {
        let mut rx = EventReceiver::new();
        let press = |rx: &mut EventReceiver, ts| {
            let mut tx = EventSender::new(digit('1'), ts, 480, 160, 10);
            let mut keys = Vec::new();
            while let Some(p) = tx.next_packet() {
                keys.extend(rx.receive(p.timestamp, &p.payload).unwrap());
            }
            keys
        };
        assert_eq!(press(&mut rx, 8000), vec![digit('1')]);
        assert_eq!(press(&mut rx, 8000), vec![], "a replay of the same event");
        assert_eq!(press(&mut rx, 16000), vec![digit('1')]);
    }

    #[test]
    fn sender_sequence_follows_rfc4733() {
        let mut tx = EventSender::new(digit('#'), 42, 400, 160, 10);
        let packets: Vec<EventPacket> = std::iter::from_fn(|| tx.next_packet()).collect();
        let durations: Vec<u16> = packets
            .iter()
            .map(|p| EventPayload::parse(&p.payload).unwrap().duration)
            .collect();
        assert_eq!(durations, vec![160, 320, 400, 400, 400]);
        assert!(packets[0].marker);
        assert!(packets[1..].iter().all(|p| !p.marker));
        assert!(packets.iter().all(|p| p.timestamp == 42));
        let ends = packets.iter().filter(|p| p.payload[1] & 0x80 != 0).count();
        assert_eq!(ends, 3, "end packet sent three times");
        assert_eq!(packets[0].payload[0], 11, "# is event 11");
    }

    #[test]
    fn non_dtmf_events_are_ignored() {
        let mut rx = EventReceiver::new();
        let flash = EventPayload {
            event: 16,
            end: false,
            volume: 10,
            duration: 160,
        };
        assert_eq!(rx.receive(1, &flash.to_bytes()), Ok(None));
    }
}
