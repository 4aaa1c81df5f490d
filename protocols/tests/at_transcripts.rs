//! Replays the modem transcripts in `tests/data/at/` through the modem call machine.
//!
//! Each `> ` line must be exactly the next command the machine sends; each `< ` (or bare)
//! line is fed to the machine as the modem would send it; `#! event …` lines must be the
//! next event; `#! command …` lines are the engine's call commands; `@+5s` advances the
//! virtual clock, firing every timer due on the way. Each transcript is replayed twice:
//! once a line at a time and once one byte at a time. The format is described in
//! `tests/data/at/README.md`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use protocols::at::{Modem, ModemConfig, ModemEvent, Vendor};
use protocols::call::{
    CallCommand, CallEvent, Cause, Digit, NumberKind, PartyNumber, Presentation,
};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/at")
}

/// How modem lines are handed to the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Feed {
    Lines,
    Bytes,
}

struct Replay {
    name: String,
    modem: Option<Modem<Duration>>,
    now: Duration,
    feed: Feed,
}

impl Replay {
    fn modem(&mut self) -> &mut Modem<Duration> {
        self.modem
            .as_mut()
            .unwrap_or_else(|| panic!("{}: `#! vendor` must come first", self.name))
    }

    fn run(&mut self, text: &str) {
        for (index, raw) in text.lines().enumerate() {
            let at = format!("{}:{} ({:?})", self.name, index + 1, self.feed);
            let line = raw.trim_end();
            if let Some(directive) = line.strip_prefix("#!") {
                self.directive(directive.trim(), &at);
            } else if line.is_empty() || line.starts_with('#') {
                continue;
            } else if let Some(mark) = line.strip_prefix('@') {
                self.advance(parse_time_mark(mark, &at));
            } else if let Some(sent) = line.strip_prefix("> ") {
                let got = self
                    .modem()
                    .poll_transmit()
                    .map(|b| String::from_utf8(b).unwrap());
                assert_eq!(got.as_deref(), Some(format!("{sent}\r").as_str()), "{at}");
            } else {
                let received = line.strip_prefix("< ").unwrap_or(line);
                self.receive(received);
            }
        }
        let modem = self.modem();
        let left_tx = modem
            .poll_transmit()
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let left_ev = modem.poll_event();
        assert_eq!(
            left_tx, None,
            "{}: a command was sent that the transcript lacks",
            self.name
        );
        assert_eq!(
            left_ev, None,
            "{}: an event the transcript lacks",
            self.name
        );
    }

    fn directive(&mut self, directive: &str, at: &str) {
        let (verb, rest) = directive.split_once(' ').unwrap_or((directive, ""));
        match verb {
            "vendor" => {
                let vendor: Vendor = rest.parse().unwrap();
                self.modem = Some(Modem::new(vendor, ModemConfig::default()));
            }
            "start" => {
                let now = self.now;
                self.modem().start(now);
            }
            "event" => {
                let got = self.modem().poll_event().map(|e| describe(&e));
                assert_eq!(got.as_deref(), Some(rest), "{at}");
            }
            "command" => {
                let now = self.now;
                let command = parse_command(rest, at);
                let result = self.modem().handle_command(command, now);
                assert_eq!(result, Ok(()), "{at}");
            }
            "refused" => {
                let now = self.now;
                let command = parse_command(rest, at);
                assert!(self.modem().handle_command(command, now).is_err(), "{at}");
            }
            other => panic!("{at}: unknown directive {other:?}"),
        }
    }

    fn receive(&mut self, line: &str) {
        let bytes = if line == ">" {
            b"\r\n> ".to_vec()
        } else {
            format!("\r\n{line}\r\n").into_bytes()
        };
        let now = self.now;
        match self.feed {
            Feed::Lines => self.modem().handle_input(&bytes, now),
            Feed::Bytes => {
                for b in bytes {
                    self.modem().handle_input(&[b], now);
                }
            }
        }
    }

    /// Moves the clock forward, firing timers at their deadlines as a driver would.
    fn advance(&mut self, by: Duration) {
        let target = self.now + by;
        while let Some(deadline) = self.modem().poll_timeout().filter(|d| *d <= target) {
            self.now = self.now.max(deadline);
            let now = self.now;
            self.modem().handle_timeout(now);
        }
        self.now = target;
    }
}

fn parse_time_mark(mark: &str, at: &str) -> Duration {
    let mark = mark
        .trim()
        .strip_prefix('+')
        .unwrap_or_else(|| panic!("{at}: use @+N"));
    if let Some(ms) = mark.strip_suffix("ms") {
        Duration::from_millis(ms.parse().unwrap())
    } else if let Some(s) = mark.strip_suffix('s') {
        Duration::from_secs(s.parse().unwrap())
    } else {
        panic!("{at}: bad time mark {mark:?}")
    }
}

fn digit(s: &str) -> Digit {
    Digit::from_char(s.chars().next().unwrap()).unwrap()
}

fn cause(s: &str) -> Cause {
    Cause::new(s.parse().unwrap()).unwrap()
}

fn parse_command(text: &str, at: &str) -> CallCommand {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        ["originate", rest @ ..] => {
            let hide = rest.first() == Some(&"hidden");
            let number = rest.last().unwrap();
            let (digits, kind) = match number.strip_prefix('+') {
                Some(d) => (d, NumberKind::International),
                None => (*number, NumberKind::Unknown),
            };
            CallCommand::Originate {
                called: PartyNumber {
                    digits: digits.into(),
                    kind,
                    presentation: Presentation::Allowed,
                },
                calling: None,
                hide_calling: hide,
            }
        }
        ["alert"] => CallCommand::Alert,
        ["answer"] => CallCommand::Answer,
        ["reject", c] => CallCommand::Reject { cause: cause(c) },
        ["hangup", c] => CallCommand::HangUp { cause: cause(c) },
        ["digit", d] => CallCommand::SendDigit(digit(d)),
        _ => panic!("{at}: unknown command {text:?}"),
    }
}

/// The compact text an event is written as in a transcript.
fn describe(event: &ModemEvent) -> String {
    match event {
        ModemEvent::LinkUp => "link up".into(),
        ModemEvent::LinkDown { command } => format!("link down {command}"),
        ModemEvent::Malformed(_) => "malformed".into(),
        ModemEvent::Call(call) => describe_call(call),
    }
}

fn describe_call(event: &CallEvent) -> String {
    match event {
        CallEvent::Offered { calling: None, .. } => "offered without cli".into(),
        CallEvent::Offered {
            calling: Some(number),
            ..
        } => match (number.presentation, number.kind) {
            (Presentation::Restricted, _) => "offered withheld".into(),
            (Presentation::NotAvailable, _) => "offered unavailable".into(),
            (_, NumberKind::International) => format!("offered from +{}", number.digits),
            (_, NumberKind::Unknown) => format!("offered from {}", number.digits),
            (_, kind) => format!("offered from {} {kind:?}", number.digits).to_lowercase(),
        },
        CallEvent::Proceeding => "proceeding".into(),
        CallEvent::Alerting { .. } => "alerting".into(),
        CallEvent::EarlyMedia => "early media".into(),
        CallEvent::Answered => "answered".into(),
        CallEvent::Digit(d) => format!("digit {}", d.as_char()),
        CallEvent::Released { cause } => format!("released {}", cause.value()),
    }
}

fn replay(file: &str) {
    let path = data_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    for feed in [Feed::Lines, Feed::Bytes] {
        let mut r = Replay {
            name: file.to_owned(),
            modem: None,
            now: Duration::ZERO,
            feed,
        };
        r.run(&text);
    }
}

macro_rules! transcripts {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                replay($file);
            }
        )*

        /// Every transcript in the folder is replayed by a test above.
        #[test]
        fn every_transcript_is_replayed() {
            let listed = [$($file),*];
            for entry in std::fs::read_dir(data_dir()).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                if name.ends_with(".txt") && !name.starts_with("malformed") {
                    assert!(listed.contains(&name.as_str()), "{name} is not replayed");
                }
            }
        }
    };
}

transcripts! {
    generic_init => "generic_init.txt",
    generic_incoming_withheld => "generic_incoming_withheld.txt",
    generic_incoming_without_clip => "generic_incoming_without_clip.txt",
    generic_no_answer => "generic_no_answer.txt",
    generic_command_timeout => "generic_command_timeout.txt",
    simcom_incoming_reject => "simcom_incoming_reject.txt",
    simcom_outgoing_dtmf_remote_hangup => "simcom_outgoing_dtmf_remote_hangup.txt",
    simcom_busy => "simcom_busy.txt",
    simcom_urc_interleaved => "simcom_urc_interleaved.txt",
    simcom_rejected_ceer => "simcom_rejected_ceer.txt",
    quectel_incoming_ignored => "quectel_incoming_ignored.txt",
    quectel_outgoing_dtmf => "quectel_outgoing_dtmf.txt",
    huawei_outgoing => "huawei_outgoing.txt",
    huawei_incoming_answer => "huawei_incoming_answer.txt",
}
