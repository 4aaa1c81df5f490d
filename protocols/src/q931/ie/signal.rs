//! Signal (EN 300 403-1 §4.5.28): which tone the network applies.
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----------------------------------------------+
//!   |                 signal value                  |  octet 3
//!   +-----------------------------------------------+
//! ```

use serde::Serialize;

use super::{ContentError, coded, octet};

coded! {
    /// The signal value.
    SignalValue {
        DialToneOn = 0x00 => "dial_tone_on",
        RingBackToneOn = 0x01 => "ring_back_tone_on",
        InterceptToneOn = 0x02 => "intercept_tone_on",
        NetworkCongestionToneOn = 0x03 => "network_congestion_tone_on",
        BusyToneOn = 0x04 => "busy_tone_on",
        ConfirmToneOn = 0x05 => "confirm_tone_on",
        AnswerToneOn = 0x06 => "answer_tone_on",
        CallWaitingToneOn = 0x07 => "call_waiting_tone_on",
        OffHookWarningToneOn = 0x08 => "off_hook_warning_tone_on",
        PreemptionToneOn = 0x09 => "preemption_tone_on",
        TonesOff = 0x3f => "tones_off",
        AlertingOff = 0x4f => "alerting_off",
    }
}

/// A tone or alerting pattern to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Signal {
    pub value: SignalValue,
}

impl Signal {
    pub(crate) fn decode(contents: &[u8]) -> Result<Signal, ContentError> {
        super::parse_all(contents, |i| {
            octet(i).map(|(i, o)| {
                let value = SignalValue::from_code(o);
                (i, Signal { value })
            })
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.value.code());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors() {
        for (octet, value) in [
            (0x00, SignalValue::DialToneOn),
            (0x04, SignalValue::BusyToneOn),
            (0x3f, SignalValue::TonesOff),
            (0x44, SignalValue::Other(0x44)),
        ] {
            let signal = Signal::decode(&[octet]).unwrap();
            assert_eq!(signal.value, value);
            let mut out = Vec::new();
            signal.encode(&mut out);
            assert_eq!(out, [octet]);
        }
        assert_eq!(Signal::decode(&[]), Err(ContentError(0)));
    }
}
