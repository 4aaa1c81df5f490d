//! The modem call machine of each vendor profile fed random sequences of modem lines,
//! raw bytes, call commands and clock advances: it never panics, the command queue stays
//! within its bound, and commands are refused while the link is not up.

#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use protocols::at::{Modem, ModemConfig, Vendor};
use protocols::call::{CallCommand, Cause, Digit, NumberKind, PartyNumber, Presentation};

const LINES: &[&str] = &[
    "OK",
    "ERROR",
    "RING",
    "+CRING: VOICE",
    "+CRING: FAX",
    "+CLIP: \"+48601111222\",145,,,,0",
    "+CLIP: \"\",128",
    "NO CARRIER",
    "BUSY",
    "NO ANSWER",
    "NO DIALTONE",
    "CONNECT",
    "+CME ERROR: 3",
    "+CLCC: 1,0,2,0,0,\"601\",129",
    "+CLCC: 1,0,3,0,0,\"601\",129",
    "+CLCC: 1,0,0,0,0,\"601\",129",
    "+CLCC: 1,0,6,0,0,\"601\",129",
    "+CLCC: 1,1,4,0,0,\"601\",129",
    "+DTMF: 5",
    "+QTONEDET: 49",
    "^ORIG:1,0",
    "^CONF:1",
    "^CONN:1,0",
    "^CEND:1,5,104,17",
    "^DSCI: 1,0,3,0,601,129",
    "+CEER: User busy",
    "ATE0",
    "+CLIP: broken",
    "> ",
];

fn call_command(selector: u8) -> CallCommand {
    let cause = Cause::new(selector % 127 + 1).unwrap();
    match selector % 7 {
        0 => CallCommand::Originate {
            called: PartyNumber {
                digits: "48601234567".into(),
                kind: NumberKind::International,
                presentation: Presentation::Allowed,
            },
            calling: None,
            hide_calling: selector & 0x80 != 0,
        },
        1 => CallCommand::Alert,
        2 => CallCommand::Answer,
        3 => CallCommand::Reject { cause },
        4 => CallCommand::HangUp { cause },
        5 => CallCommand::SendDigit(Digit::from_event(selector % 16).unwrap()),
        _ => CallCommand::Originate {
            called: PartyNumber {
                digits: String::new(),
                kind: NumberKind::Unknown,
                presentation: Presentation::Allowed,
            },
            calling: None,
            hide_calling: false,
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&vendor, mut ops)) = data.split_first() else {
        return;
    };
    let vendor = Vendor::ALL[usize::from(vendor) % Vendor::ALL.len()];
    let config = ModemConfig::default();
    let max_queue = config.max_queue;
    let mut modem: Modem<Duration> = Modem::new(vendor, config);
    let mut now = Duration::ZERO;
    modem.start(now);
    while let [op, arg, rest @ ..] = ops {
        ops = rest;
        match op % 6 {
            0 | 1 => {
                let line = LINES[usize::from(*arg) % LINES.len()];
                modem.handle_input(format!("\r\n{line}\r\n").as_bytes(), now);
            }
            2 => {
                let n = usize::from(*arg % 16).min(ops.len());
                modem.handle_input(&ops[..n], now);
                ops = &ops[n..];
            }
            3 => {
                now += Duration::from_millis(u64::from(*arg) * 100);
                modem.handle_timeout(now);
            }
            4 => {
                let up = modem.is_up();
                let result = modem.handle_command(call_command(*arg), now);
                assert!(up || result.is_err());
            }
            _ => modem.start(now),
        }
        assert!(modem.queued() <= max_queue);
        // Once the timers due at `now` have run, every deadline lies ahead.
        modem.handle_timeout(now);
        assert!(modem.poll_timeout().is_none_or(|d| d > now));
        while modem.poll_transmit().is_some() {}
        while modem.poll_event().is_some() {}
    }
});
