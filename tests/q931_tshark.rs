//! Wireshark's Q.931 dissector as a conformance check: every message the call-control
//! flows produce (TE against NT, lost messages included) is written to a pcap with
//! LINKTYPE_LAPD (203: Q.921 frames from the address field, no pseudo-header), each in
//! a LAPD I-frame on SAPI 0, and `tshark` must dissect each one as Q.931 with the same
//! message type and element values, without a malformed-packet or error-severity
//! expert item. Without `tshark` on the PATH the test fails.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use protocols::call::{CallCommand, Cause, Digit, NumberKind, PartyNumber, Presentation};
use protocols::q931::ie::{self, InformationElement as Ie};
use protocols::q931::pair::{Delivery, Direction, Pair};
use protocols::q931::{
    CallId, CallReference, CallReferenceSize, Config, Event, Message, MessageType as M,
};

const LINKTYPE_LAPD: u32 = 203;
/// Wireshark's expert severity "error" (PI_ERROR).
const PI_ERROR: &str = "8388608";

fn number(digits: &str, kind: NumberKind) -> PartyNumber {
    PartyNumber {
        digits: digits.into(),
        kind,
        presentation: Presentation::Allowed,
    }
}

fn originate(called: &str) -> CallCommand {
    CallCommand::Originate {
        called: number(called, NumberKind::International),
        calling: Some(number("225551000", NumberKind::National)),
        hide_calling: false,
    }
}

fn offered(events: &[Event]) -> CallId {
    events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::Call(id, protocols::call::CallEvent::Offered { .. }) => Some(*id),
            _ => None,
        })
        .expect("a call was offered")
}

fn command(pair: &mut Pair, te: bool, id: CallId, command: CallCommand) {
    let now = pair.now;
    let side = if te { &mut pair.te } else { &mut pair.nt };
    side.handle_command(id, command, now)
        .expect("command accepted");
    pair.drive();
}

fn digit(c: char) -> CallCommand {
    CallCommand::SendDigit(Digit::from_char(c).unwrap())
}

const HANG_UP: CallCommand = CallCommand::HangUp {
    cause: Cause::NORMAL_CLEARING,
};

/// Runs every flow of the call-control tests and returns what went over the links.
fn flows() -> Vec<Delivery> {
    let flows: [fn() -> Vec<Delivery>; 7] = [
        incoming_answered,
        incoming_rejected,
        outgoing_answered,
        overlap,
        lost_messages,
        status_and_restart,
        primary_rate,
    ];
    flows.iter().flat_map(|flow| flow()).collect()
}

/// Incoming call: alerted, answered, cleared by the user; STATUS ENQUIRY on the way.
fn incoming_answered() -> Vec<Delivery> {
    let mut p = Pair::basic();
    let nt = p.nt.new_call_id();
    command(&mut p, false, nt, originate("48601111222"));
    let te = offered(&p.te_events);
    command(&mut p, true, te, CallCommand::Alert);
    command(&mut p, true, te, CallCommand::Answer);
    p.nt.enquire(nt, p.now).unwrap();
    p.drive();
    command(&mut p, false, nt, digit('7'));
    command(&mut p, true, te, HANG_UP);
    p.log
}

/// Incoming calls rejected: busy after alerting, and at once with cause 21.
fn incoming_rejected() -> Vec<Delivery> {
    let mut p = Pair::basic();
    let nt = p.nt.new_call_id();
    command(&mut p, false, nt, originate("601"));
    let te = offered(&p.te_events);
    command(&mut p, true, te, CallCommand::Alert);
    command(
        &mut p,
        true,
        te,
        CallCommand::Reject {
            cause: Cause::USER_BUSY,
        },
    );
    let nt = p.nt.new_call_id();
    command(&mut p, false, nt, originate("602"));
    let te = offered(&p.te_events);
    command(
        &mut p,
        true,
        te,
        CallCommand::Reject {
            cause: Cause::CALL_REJECTED,
        },
    );
    p.log
}

/// Outgoing call with alerting and connect; the network clears with in-band tones.
fn outgoing_answered() -> Vec<Delivery> {
    let nt_config = Config {
        in_band_tones: true,
        ..Config::network()
    };
    let mut p = Pair::new(Config::user(), nt_config);
    let te = p.te.new_call_id();
    command(&mut p, true, te, originate("48601111222"));
    let nt = offered(&p.nt_events);
    command(&mut p, false, nt, CallCommand::Alert);
    command(&mut p, false, nt, CallCommand::Answer);
    command(&mut p, false, nt, HANG_UP);
    p.log
}

/// Overlap sending, then overlap receiving completed by T302.
fn overlap() -> Vec<Delivery> {
    let secs = Duration::from_secs;
    let te_config = Config {
        overlap_sending: true,
        overlap_receiving: true,
        ..Config::user()
    };
    let nt_config = Config {
        overlap_sending: true,
        overlap_receiving: true,
        ..Config::network()
    };
    let mut p = Pair::new(te_config, nt_config);
    let te = p.te.new_call_id();
    command(&mut p, true, te, originate("60"));
    for c in ['1', '2', '#'] {
        command(&mut p, true, te, digit(c));
    }
    let nt = offered(&p.nt_events);
    command(&mut p, false, nt, HANG_UP);
    let nt = p.nt.new_call_id();
    command(&mut p, false, nt, originate("10"));
    command(&mut p, false, nt, digit('1'));
    p.advance(secs(15));
    let te = offered(&p.te_events);
    command(&mut p, true, te, CallCommand::Alert);
    command(&mut p, true, te, HANG_UP);
    p.log
}

/// A SETUP lost twice (T303), a RELEASE lost once and twice (T308, T305).
fn lost_messages() -> Vec<Delivery> {
    let secs = Duration::from_secs;
    let mut p = Pair::basic();
    p.drop_next(Direction::ToNetwork, M::Setup);
    p.drop_next(Direction::ToNetwork, M::Setup);
    let te = p.te.new_call_id();
    command(&mut p, true, te, originate("123"));
    p.advance(secs(8));
    let nt = p.nt.new_call_id();
    command(&mut p, false, nt, originate("124"));
    let te = offered(&p.te_events);
    command(&mut p, true, te, CallCommand::Answer);
    p.drop_next(Direction::ToUser, M::Release);
    command(&mut p, true, te, HANG_UP);
    p.advance(secs(4));
    let nt = p.nt.new_call_id();
    command(&mut p, false, nt, originate("125"));
    let te = offered(&p.te_events);
    command(&mut p, true, te, CallCommand::Answer);
    p.drop_next(Direction::ToNetwork, M::Release);
    p.drop_next(Direction::ToNetwork, M::Release);
    command(&mut p, false, nt, HANG_UP);
    p.advance(secs(40));
    p.log
}

/// STATUS with an incompatible state, and RESTART of a channel and of the interface.
fn status_and_restart() -> Vec<Delivery> {
    let mut p = Pair::basic();
    let nt = p.nt.new_call_id();
    command(&mut p, false, nt, originate("126"));
    let te = offered(&p.te_events);
    command(&mut p, true, te, CallCommand::Answer);
    let reference = CallReference::new(CallReferenceSize::One, 1, false).unwrap();
    let status = Message::new(reference, M::Status)
        .with(Ie::Cause(ie::Cause::new(
            ie::Location::PublicLocal,
            Cause::new(30).unwrap(),
        )))
        .with(Ie::CallState(ie::CallState::new(3)));
    let bytes = status.encode().unwrap();
    p.te.handle_receive(&bytes, p.now).unwrap();
    p.log.push(Delivery {
        direction: Direction::ToUser,
        at: p.now,
        bytes,
        dropped: false,
    });
    p.drive();
    let nt = p.nt.new_call_id();
    command(&mut p, false, nt, originate("127"));
    let te = offered(&p.te_events);
    command(&mut p, true, te, CallCommand::Answer);
    p.nt.restart(Some(1), p.now);
    p.drive();
    p.te.restart(None, p.now);
    p.drive();
    p.log
}

/// Primary rate: 2-octet call references and channel numbers.
fn primary_rate() -> Vec<Delivery> {
    let pri = |c: Config| Config {
        interface: ie::InterfaceType::Primary,
        ..c
    };
    let mut p = Pair::new(pri(Config::user()), pri(Config::network()));
    let nt = p.nt.new_call_id();
    command(&mut p, false, nt, originate("48225551000"));
    let te = offered(&p.te_events);
    command(&mut p, true, te, CallCommand::Alert);
    command(&mut p, true, te, CallCommand::Answer);
    command(&mut p, true, te, HANG_UP);
    p.log
}

/// A LAPD I-frame (Q.921 §3.2): SAPI 0, C/R set on network commands, TEI 64.
fn lapd_frame(direction: Direction, ns: u8, q931: &[u8]) -> Vec<u8> {
    let cr = match direction {
        Direction::ToUser => 0x02,
        Direction::ToNetwork => 0x00,
    };
    let mut frame = vec![cr, 64 << 1 | 1, ns << 1, 0];
    frame.extend_from_slice(q931);
    frame
}

fn write_pcap(path: &Path, deliveries: &[Delivery]) {
    let mut out = Vec::new();
    out.extend(0xa1b2_c3d4u32.to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend(4u16.to_le_bytes());
    out.extend(0i32.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    out.extend(65535u32.to_le_bytes());
    out.extend(LINKTYPE_LAPD.to_le_bytes());
    let mut ns = [0u8; 2];
    for (i, d) in deliveries.iter().enumerate() {
        let counter = &mut ns[d.direction as usize];
        let frame = lapd_frame(d.direction, *counter, &d.bytes);
        *counter = (*counter + 1) % 128;
        let len = frame.len() as u32;
        out.extend((i as u32).to_le_bytes());
        out.extend(0u32.to_le_bytes());
        out.extend(len.to_le_bytes());
        out.extend(len.to_le_bytes());
        out.extend(frame);
    }
    std::fs::write(path, out).unwrap();
}

const FIELDS: [&str; 16] = [
    "frame.protocols",
    "q931.message_type",
    "q931.call_ref",
    "q931.call_ref_flag",
    "q931.called_party_number.digits",
    "q931.calling_party_number.digits",
    "q931.cause_value",
    "q931.channel.selection",
    "q931.channel.exclusive",
    "q931.channel.number",
    "q931.information_transfer_capability",
    "q931.uil1",
    "q931.call_state",
    "q931.progress_indicator.description",
    "q931.restart_indicator",
    "_ws.malformed",
];

fn tshark(path: &Path) -> Vec<Vec<String>> {
    let mut args = vec![
        "-r".to_string(),
        path.display().to_string(),
        "-T".into(),
        "fields".into(),
    ];
    for option in ["occurrence=a", "aggregator=,", "separator=/t"] {
        args.extend(["-E".into(), option.into()]);
    }
    for field in FIELDS
        .iter()
        .chain(&["_ws.expert.severity", "q931.keypad_facility"])
    {
        args.extend(["-e".into(), field.to_string()]);
    }
    let output = Command::new("tshark").args(&args).output().unwrap_or_else(|e| {
        panic!("tshark could not be run ({e}): install Wireshark's tshark; this check does not skip")
    });
    assert!(
        output.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| line.split('\t').map(str::to_string).collect())
        .collect()
}

/// A numeric field as tshark prints it: `0x05` or `17`, several joined by commas.
fn numbers(field: &str) -> Vec<u32> {
    field
        .split(',')
        .filter(|v| !v.is_empty())
        .map(|v| match v.strip_prefix("0x") {
            Some(hex) => u32::from_str_radix(hex, 16).unwrap(),
            None => match v {
                "True" => 1,
                "False" => 0,
                _ => v.parse().unwrap(),
            },
        })
        .collect()
}

/// What the dissector must show for a message, field by field (as in `FIELDS`).
fn expected(message: &Message) -> Vec<(usize, Vec<u32>)> {
    let causes = message.ies.iter().filter_map(|ie| match ie {
        Ie::Cause(c) => Some(u32::from(c.value)),
        _ => None,
    });
    let mut fields = vec![
        (1, vec![u32::from(message.message_type.code())]),
        (3, vec![u32::from(message.call_reference.flag())]),
        (6, causes.collect()),
    ];
    let channel = message.channel_identification();
    fields.push((
        7,
        channel
            .map(|c| u32::from(c.selection))
            .into_iter()
            .collect(),
    ));
    fields.push((
        8,
        channel
            .map(|c| u32::from(c.exclusive))
            .into_iter()
            .collect(),
    ));
    let numbers = channel
        .and_then(|c| c.primary.as_ref())
        .map(|p| &p.channels);
    fields.push((
        9,
        numbers
            .into_iter()
            .flatten()
            .map(|n| u32::from(*n))
            .collect(),
    ));
    let bc = message.bearer_capability();
    fields.push((
        10,
        bc.map(|b| u32::from(b.transfer_capability.code()))
            .into_iter()
            .collect(),
    ));
    fields.push((
        11,
        bc.and_then(|b| b.layer1)
            .map(|l| u32::from(l.code()))
            .into_iter()
            .collect(),
    ));
    fields.push((
        12,
        message
            .call_state()
            .map(|s| u32::from(s.value))
            .into_iter()
            .collect(),
    ));
    let progress = message
        .progress_indicators()
        .map(|p| u32::from(p.description));
    fields.push((13, progress.collect()));
    let restart = message
        .restart_indicator()
        .map(|r| u32::from(r.class.code()));
    fields.push((14, restart.into_iter().collect()));
    fields
}

fn digits(number: Option<String>) -> String {
    number.unwrap_or_default()
}

#[test]
fn wireshark_dissects_every_message_of_the_flows_alike() {
    let deliveries = flows();
    assert!(deliveries.len() > 60, "only {} messages", deliveries.len());
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("q931_flows.pcap");
    write_pcap(&path, &deliveries);
    let rows = tshark(&path);
    assert_eq!(
        rows.len(),
        deliveries.len(),
        "one dissected packet per message"
    );
    let mut seen = std::collections::BTreeSet::new();
    for (i, (delivery, row)) in deliveries.iter().zip(&rows).enumerate() {
        let message = Message::decode(&delivery.bytes).unwrap();
        seen.insert(message.message_type.code());
        let at = format!(
            "packet {} ({:?} {:02x?})",
            i + 1,
            message.message_type,
            delivery.bytes
        );
        assert_eq!(row[0], "lapd:q931", "{at}: not dissected as Q.931");
        assert!(row[15].is_empty(), "{at}: malformed: {}", row[15]);
        assert!(
            !row[16].split(',').any(|s| s == PI_ERROR),
            "{at}: expert error"
        );
        for (field, values) in expected(&message) {
            assert_eq!(numbers(&row[field]), values, "{at}: {}", FIELDS[field]);
        }
        let called = message.called_party_number().map(|n| n.digits.clone());
        assert_eq!(row[4], digits(called), "{at}: called party number");
        let calling = message.calling_party_number().map(|n| n.digits.clone());
        assert_eq!(row[5], digits(calling), "{at}: calling party number");
        let keypad = message.keypad_facility().map(|k| k.text.clone());
        assert_eq!(row[17], digits(keypad), "{at}: keypad facility");
    }
    // Every message type the flows are meant to exercise did occur.
    for message_type in [
        M::Setup,
        M::SetupAcknowledge,
        M::CallProceeding,
        M::Alerting,
        M::Connect,
        M::ConnectAcknowledge,
        M::Disconnect,
        M::Release,
        M::ReleaseComplete,
        M::Information,
        M::Status,
        M::StatusEnquiry,
        M::Restart,
        M::RestartAcknowledge,
    ] {
        assert!(
            seen.contains(&message_type.code()),
            "no {message_type:?} in the flows"
        );
    }
}

#[test]
fn the_lapd_framing_is_an_i_frame_on_sapi_0() {
    let frame = lapd_frame(Direction::ToUser, 3, &[0x08]);
    assert_eq!(frame, [0x02, 0x81, 0x06, 0x00, 0x08]);
}
