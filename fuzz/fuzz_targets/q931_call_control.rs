//! Q.931 call control fed a random sequence of received messages (raw and well-formed),
//! engine commands, restarts and clock steps. It must never panic, report exactly one
//! `Released` per call, and — once every call is hung up and the timers have run — hold
//! no call at all.

#![no_main]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use protocols::call::{
    CallCommand, CallEvent, Cause, Digit, NumberKind, PartyNumber, Presentation,
};
use protocols::q931::ie::{self, InformationElement as Ie};
use protocols::q931::{
    CallControl, CallId, CallReference, CallReferenceSize, Config, Event, Message, MessageType,
};

/// Reads the fuzzer's bytes as a stream of small choices.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.0.len());
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        taken.to_vec()
    }
}

struct Harness {
    machine: CallControl,
    now: Duration,
    known: BTreeSet<CallId>,
    released: BTreeMap<CallId, u32>,
}

impl Harness {
    fn drain(&mut self) {
        while self.machine.poll_transmit().is_some() {}
        while let Some(event) = self.machine.poll_event() {
            if let Event::Call(id, event) = event {
                self.known.insert(id);
                if matches!(event, CallEvent::Released { .. }) {
                    let count = self.released.entry(id).or_default();
                    *count += 1;
                    assert_eq!(*count, 1, "{id:?} released twice");
                }
            }
        }
    }

    fn advance(&mut self, by: Duration) {
        let until = self.now + by;
        while let Some(deadline) = self.machine.poll_timeout().filter(|d| *d <= until) {
            self.now = self.now.max(deadline);
            self.machine.handle_timeout(self.now);
            self.drain();
        }
        self.now = until;
    }
}

fn number(digits: &str) -> PartyNumber {
    PartyNumber {
        digits: digits.into(),
        kind: NumberKind::National,
        presentation: Presentation::Allowed,
    }
}

fn cause(b: u8) -> Cause {
    Cause::new(b % 127 + 1).unwrap()
}

/// A well-formed message for one of a few call references, with a few elements.
fn message(input: &mut Input<'_>) -> Option<Vec<u8>> {
    let message_type = MessageType::ALL[usize::from(input.byte()?) % MessageType::ALL.len()];
    let cr = input.byte()?;
    let reference =
        CallReference::new(CallReferenceSize::One, u16::from(cr & 0x03), cr & 0x80 != 0)?;
    let mut message = Message::new(reference, message_type);
    let elements = input.byte()?;
    if elements & 0x01 != 0 {
        message = message.with(Ie::SendingComplete);
    }
    if elements & 0x02 != 0 || message_type == MessageType::Setup {
        message = message.with(Ie::BearerCapability(ie::BearerCapability::speech_a_law()));
    }
    if elements & 0x04 != 0 {
        let channel = input.byte()?;
        message = message.with(Ie::ChannelIdentification(ie::ChannelIdentification::basic(
            channel % 4,
            channel & 4 != 0,
        )));
    }
    if elements & 0x08 != 0 {
        message = message.with(Ie::ProgressIndicator(ie::ProgressIndicator::new(
            ie::Location::User,
            8,
        )));
    }
    if elements & 0x10 != 0 {
        message = message.with(Ie::CalledPartyNumber(ie::CalledPartyNumber::digits("12")));
    }
    if elements & 0x20 != 0 {
        message = message.with(Ie::KeypadFacility(ie::KeypadFacility::new("5")));
    }
    let restart = matches!(
        message_type,
        MessageType::Restart | MessageType::RestartAcknowledge
    );
    if elements & 0x40 != 0 || restart {
        let class = ie::RestartClass::from_code(input.byte()? % 8);
        message = message.with(Ie::RestartIndicator(ie::RestartIndicator { class }));
    }
    message = message
        .with(Ie::Cause(ie::Cause::new(
            ie::Location::User,
            cause(input.byte()?),
        )))
        .with(Ie::CallState(ie::CallState::new(input.byte()? % 26)))
        .with(Ie::NotificationIndicator(ie::NotificationIndicator {
            description: 0,
            further: Vec::new(),
        }));
    message.encode().ok()
}

fn command(input: &mut Input<'_>) -> Option<CallCommand> {
    let kind = input.byte()?;
    let command = match kind % 7 {
        0 => CallCommand::Originate {
            called: number("601111222"),
            calling: (kind & 0x80 != 0).then(|| number("225551000")),
            hide_calling: kind & 0x40 != 0,
        },
        1 => CallCommand::Alert,
        2 => CallCommand::Answer,
        3 => CallCommand::Reject {
            cause: cause(input.byte()?),
        },
        4 => CallCommand::HangUp {
            cause: cause(input.byte()?),
        },
        5 => CallCommand::SendDigit(Digit::from_event(input.byte()? % 16)?),
        _ => CallCommand::SendDigit(Digit::from_char('#')?),
    };
    Some(command)
}

fn config(flags: u8) -> Config {
    let base = if flags & 1 == 0 {
        Config::user()
    } else {
        Config::network()
    };
    Config {
        overlap_sending: flags & 2 != 0,
        overlap_receiving: flags & 4 != 0,
        in_band_tones: flags & 8 != 0,
        ..base
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let Some(flags) = input.byte() else {
        return;
    };
    let mut h = Harness {
        machine: CallControl::new(config(flags)),
        now: Duration::ZERO,
        known: BTreeSet::new(),
        released: BTreeMap::new(),
    };
    while let Some(op) = input.byte() {
        match op % 7 {
            0 => {
                let len = usize::from(input.byte().unwrap_or(0) % 48);
                let bytes = input.bytes(len);
                let _ = h.machine.handle_receive(&bytes, h.now);
            }
            1 | 2 => {
                let Some(bytes) = message(&mut input) else {
                    break;
                };
                let _ = h.machine.handle_receive(&bytes, h.now);
            }
            3 => {
                let Some(command) = command(&mut input) else {
                    break;
                };
                let id = CallId(u32::from(input.byte().unwrap_or(0) % 4));
                let id = if matches!(command, CallCommand::Originate { .. }) {
                    h.machine.new_call_id()
                } else {
                    id
                };
                if h.machine.handle_command(id, command, h.now).is_ok() {
                    h.known.insert(id);
                }
            }
            4 => {
                let step = input.byte().unwrap_or(0);
                h.advance(Duration::from_millis(u64::from(step) * 250));
            }
            5 => {
                let channel = input.byte().unwrap_or(0) % 4;
                h.machine.restart((channel != 0).then_some(channel), h.now);
            }
            _ => {
                let id = CallId(u32::from(input.byte().unwrap_or(0) % 4));
                let _ = h.machine.enquire(id, h.now);
            }
        }
        h.drain();
    }
    // Every call still up is hung up; with the peer silent, the timers finish the job.
    let remaining: Vec<CallId> = h.machine.calls().collect();
    for id in remaining {
        h.known.insert(id);
        let hang_up = CallCommand::HangUp {
            cause: Cause::NORMAL_CLEARING,
        };
        let _ = h.machine.handle_command(id, hang_up, h.now);
        h.drain();
    }
    h.advance(Duration::from_secs(3600));
    h.drain();
    assert_eq!(h.machine.call_count(), 0, "calls leaked");
    assert_eq!(
        h.machine.poll_timeout(),
        None,
        "a timer outlived every call"
    );
    // Every call the machine ever had (offered, placed, or commanded) reported exactly
    // one Released.
    for id in &h.known {
        assert_eq!(
            h.released.get(id).copied(),
            Some(1),
            "{id:?} never reported Released"
        );
    }
});
