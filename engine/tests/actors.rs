//! The coordinator and a session actor driven end to end against scripted trunk actors,
//! with real RTP on loopback, on tokio's paused clock: every timer of the flow fires in
//! virtual time, so the test is exact and fast.

use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use drivers::media::{MediaClock, MediaCounters, MediaParams, PortPool, RtpSocket};
use drivers::trunk::{
    Attach, CallOwner, Command, LegEvent, LegMedia, Originate, TrunkCall, TrunkHandle, TrunkId,
};
use engine::cdr::store::{CdrStore, Filter};
use engine::cdr::writer::CdrWriter;
use engine::coordinator::{ActiveSessions, Coordinator};
use engine::env::{Env, MEDIA_TIMEOUT};
use engine::tones::ToneBank;
use protocols::call::{
    CallCommand, CallEvent, Cause, Digit, NumberKind, PartyNumber, Presentation,
};
use protocols::g711::Law;
use protocols::rtp::telephone_event::EventSender;
use protocols::rtp::{RtpHeader, RtpPacket};
use protocols::tone::TonePlan;
use tokio::sync::mpsc;
use tokio::time::{Instant, timeout};

const CONFIG: &str = r#"
[node]
name = "test"

[[trunk]]
name = "operator"
kind = "sip"
listen = "127.0.0.1:15060"
peer = "127.0.0.1:15070"
trusted_cli = true

[[trunk]]
name = "pbx"
kind = "sip"
listen = "127.0.0.1:15062"
peer = "127.0.0.1:15080"
trusted_cli = true

[[trigger]]
number = "+48225551000"

[[user]]
extension = "101"
direct_rate = 1.79
  [[user.mobile]]
  number = "+48601111222"
  transit = true

[dialplan]
internal = ["1XX"]
internal_trunk = "pbx"

[[route]]
prefix = ""
trunks = ["operator"]

[[tariff]]
trunk = "operator"
per_minute = 0.10
"#;

/// What a scripted trunk saw.
#[derive(Debug)]
enum Seen {
    Attach(TrunkCall),
    Originate(TrunkCall, Originate),
    Command(Command),
}

struct ScriptedTrunk {
    id: TrunkId,
    next: u64,
    seen: mpsc::UnboundedSender<Seen>,
    /// Refuse every call busy before even answering the origination (a far end faster
    /// than the trunk's reply to the session).
    refuse_at_once: bool,
}

impl Actor for ScriptedTrunk {
    type Context = Context<Self>;
}

impl Handler<Originate> for ScriptedTrunk {
    type Result = Result<TrunkCall, Cause>;
    fn handle(&mut self, msg: Originate, _: &mut Context<Self>) -> Self::Result {
        self.next += 1;
        let call = TrunkCall {
            trunk: self.id,
            call: self.next,
        };
        if self.refuse_at_once {
            let refused = CallEvent::Released {
                cause: Cause::USER_BUSY,
            };
            msg.owner.events.do_send(LegEvent {
                call,
                event: refused,
            });
        }
        let _ = self.seen.send(Seen::Originate(call, msg));
        Ok(call)
    }
}

impl Handler<Command> for ScriptedTrunk {
    type Result = ();
    fn handle(&mut self, msg: Command, _: &mut Context<Self>) {
        let _ = self.seen.send(Seen::Command(msg));
    }
}

impl Handler<Attach> for ScriptedTrunk {
    type Result = ();
    fn handle(&mut self, msg: Attach, _: &mut Context<Self>) {
        let _ = self.seen.send(Seen::Attach(msg.call));
    }
}

fn number(digits: &str) -> PartyNumber {
    PartyNumber {
        digits: digits.into(),
        kind: NumberKind::International,
        presentation: Presentation::Allowed,
    }
}

async fn next(seen: &mut mpsc::UnboundedReceiver<Seen>) -> Seen {
    timeout(Duration::from_secs(120), seen.recv())
        .await
        .expect("a trunk hears something")
        .unwrap()
}

/// Gives a leg media: the node's socket to the session, a peer socket to the test.
async fn media(owner: &CallOwner, call: TrunkCall, pool: &PortPool) -> RtpSocket {
    let (node, peer) = (
        pool.allocate().await.unwrap(),
        pool.allocate().await.unwrap(),
    );
    let params = MediaParams::g711(peer.local_addr().unwrap(), Law::Alaw, Some(101));
    owner.media.do_send(LegMedia {
        call,
        socket: node,
        params,
    });
    peer
}

async fn recv_rtp(peer: &RtpSocket) -> (RtpHeader, Vec<u8>, std::net::SocketAddr) {
    let mut buf = [0u8; 2048];
    let (len, from) = timeout(Duration::from_secs(5), peer.rtp.recv_from(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let packet = RtpPacket::parse(&buf[..len]).unwrap();
    (packet.header, packet.payload.to_vec(), from)
}

async fn press(peer: &RtpSocket, to: std::net::SocketAddr, keys: &str) {
    for (i, key) in keys.chars().enumerate() {
        let mut sender = EventSender::new(
            Digit::from_char(key).unwrap(),
            8000 * (i as u32 + 1),
            800,
            160,
            10,
        );
        while let Some(event) = sender.next_packet() {
            let header = RtpHeader {
                marker: event.marker,
                payload_type: 101,
                sequence: i as u16,
                timestamp: event.timestamp,
                ssrc: 9,
            };
            peer.rtp
                .send_to(&header.to_datagram(&event.payload), to)
                .await
                .unwrap();
        }
    }
}

fn paused_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
}

/// The coordinator with two scripted trunks (operator, pbx) and a CDR writer at `db`;
/// `pbx_refuses` makes the pbx trunk refuse every call before answering the origination.
fn node(
    db: &std::path::Path,
    pbx_refuses: bool,
) -> (Addr<Coordinator>, mpsc::UnboundedReceiver<Seen>, PortPool) {
    let config = Arc::new(config::Config::from_toml(CONFIG).unwrap());
    let (seen_tx, seen) = mpsc::unbounded_channel();
    let trunks: Vec<TrunkHandle> = (0..2)
        .map(|i| {
            let addr = ScriptedTrunk {
                id: TrunkId(i),
                next: 100 * i as u64,
                seen: seen_tx.clone(),
                refuse_at_once: pbx_refuses && i == 1,
            }
            .start();
            TrunkHandle {
                id: TrunkId(i),
                name: config.trunks[i].name.clone(),
                originate: addr.clone().recipient(),
                command: addr.clone().recipient(),
                attach: addr.recipient(),
            }
        })
        .collect();
    let (clock, _ticker) = MediaClock::start();
    let env = Env {
        config: config.clone(),
        trunks: Arc::new(trunks),
        tones: Arc::new(ToneBank::new(TonePlan::Pl)),
        clock,
        counters: Arc::new(MediaCounters::default()),
        media_timeout: MEDIA_TIMEOUT,
    };
    let (writer, _, _thread) = CdrWriter::start(db, 0).unwrap();
    let coordinator = Coordinator::new(env, writer, vec![]).start();
    let ports = 43000 + if pbx_refuses { 100 } else { 0 };
    let pool = PortPool::new("127.0.0.1".parse().unwrap(), ports, ports + 99);
    (coordinator, seen, pool)
}

#[test]
fn a_far_end_refusing_before_its_origination_is_answered_is_not_lost() {
    let dir = std::env::temp_dir().join(format!("callbackd-actors-race-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join("cdr.sqlite");
    actix_rt::System::with_tokio_rt(|| paused_runtime().unwrap()).block_on(async move {
        let (coordinator, mut seen, pool) = node(&db, true);
        let trigger = TrunkCall {
            trunk: TrunkId(0),
            call: 1,
        };
        let offered = CallEvent::Offered {
            called: Some(number("48225551000")),
            calling: Some(number("48601111222")),
            cli_trusted: true,
        };
        coordinator.do_send(LegEvent {
            call: trigger,
            event: offered,
        });
        let (callback, owner) = loop {
            if let Seen::Originate(call, o) = next(&mut seen).await {
                break (call, o.owner);
            }
        };
        let mobile = media(&owner, callback, &pool).await;
        owner.events.do_send(LegEvent {
            call: callback,
            event: CallEvent::Answered,
        });
        let (_, _, node_addr) = recv_rtp(&mobile).await;
        press(&mobile, node_addr, "101").await;
        // The pbx refuses busy before the session even knows the call's id: the user
        // still hears busy tone and is cleared with cause 17.
        let cleared = loop {
            if let Seen::Command(c) = next(&mut seen).await
                && c.call == callback
            {
                break c.command;
            }
        };
        assert_eq!(
            cleared,
            CallCommand::HangUp {
                cause: Cause::USER_BUSY
            }
        );
        System::current().stop();
    });
}

#[test]
fn a_trigger_is_rejected_called_back_dialled_bridged_and_recorded() {
    let dir = std::env::temp_dir().join(format!("callbackd-actors-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join("cdr.sqlite");
    let db_for_check = db.clone();
    actix_rt::System::with_tokio_rt(|| paused_runtime().unwrap()).block_on(async move {
        let (coordinator, mut seen, pool) = node(&db, false);

        // 1. The mobile calls the trigger number on the operator trunk.
        let start = Instant::now();
        let trigger = TrunkCall {
            trunk: TrunkId(0),
            call: 1,
        };
        let offered = CallEvent::Offered {
            called: Some(number("48225551000")),
            calling: Some(number("48601111222")),
            cli_trusted: true,
        };
        coordinator.do_send(LegEvent {
            call: trigger,
            event: offered,
        });
        let Seen::Attach(call) = next(&mut seen).await else {
            panic!("attach first")
        };
        assert_eq!(call, trigger);
        let Seen::Command(alert) = next(&mut seen).await else {
            panic!()
        };
        assert_eq!(alert.command, CallCommand::Alert);

        // 2. Two Polish rings (6 s), then busy.
        let Seen::Command(reject) = next(&mut seen).await else {
            panic!()
        };
        assert_eq!(
            reject.command,
            CallCommand::Reject {
                cause: Cause::USER_BUSY
            }
        );
        assert_eq!(start.elapsed(), Duration::from_secs(6));

        // 3. The callback, 5 s later, to the mobile, showing the company number.
        let Seen::Originate(callback, originate) = next(&mut seen).await else {
            panic!()
        };
        assert_eq!(start.elapsed(), Duration::from_secs(11));
        assert_eq!(callback.trunk, TrunkId(0));
        assert_eq!(originate.called.digits, "48601111222");
        assert_eq!(originate.calling.as_ref().unwrap().digits, "48225551000");
        let owner = originate.owner.clone();
        owner.events.do_send(LegEvent {
            call: callback,
            event: CallEvent::Alerting { in_band: false },
        });
        let mobile = media(&owner, callback, &pool).await;
        owner.events.do_send(LegEvent {
            call: callback,
            event: CallEvent::Answered,
        });

        // 4. Dial tone as PCMA; the user dials 101 by RFC 4733.
        let (header, _, node_addr) = recv_rtp(&mobile).await;
        assert_eq!(header.payload_type, 8);
        press(&mobile, node_addr, "101").await;
        // The first dial-tone packet was timed against the answer.
        for _ in 0..100 {
            if engine::metrics::metrics()
                .dial_tone_seconds
                .get_sample_count()
                > 0
            {
                break;
            }
            tokio::task::yield_now().await;
        }
        assert_eq!(
            engine::metrics::metrics()
                .dial_tone_seconds
                .get_sample_count(),
            1
        );

        // 5. The internal extension is called on the pbx trunk, presenting the company.
        let transit_originate = loop {
            if let Seen::Originate(call, o) = next(&mut seen).await {
                break (call, o);
            }
        };
        let (transit, originate) = transit_originate;
        assert_eq!(transit.trunk, TrunkId(1));
        assert_eq!(originate.called.digits, "101");
        assert_eq!(
            originate.calling.as_ref().unwrap().digits,
            "48225551000",
            "never the mobile"
        );
        let far = media(&originate.owner, transit, &pool).await;
        originate.owner.events.do_send(LegEvent {
            call: transit,
            event: CallEvent::Answered,
        });

        // 6. Bridged: audio relayed both ways between the mobile and the far end.
        tokio::time::advance(Duration::from_millis(100)).await; // virtual: the bridge starts
        let speech = RtpHeader {
            payload_type: 8,
            sequence: 1,
            timestamp: 160,
            ssrc: 77,
            marker: true,
        };
        mobile
            .rtp
            .send_to(&speech.to_datagram(&[0x55; 160]), node_addr)
            .await
            .unwrap();
        let (heard, _, node_transit) = loop {
            let packet = recv_rtp(&far).await;
            if packet.0.ssrc == 77 {
                break packet;
            }
        };
        assert_eq!(heard.payload_type, 8);
        let reply = RtpHeader { ssrc: 88, ..speech };
        far.rtp
            .send_to(&reply.to_datagram(&[0x55; 160]), node_transit)
            .await
            .unwrap();
        loop {
            if recv_rtp(&mobile).await.0.ssrc == 88 {
                break;
            }
        }

        // 7. The user hangs up after 30 s: the far end is cleared at once.
        tokio::time::advance(Duration::from_secs(30)).await; // virtual: 30 s of call
        owner.events.do_send(LegEvent {
            call: callback,
            event: CallEvent::Released {
                cause: Cause::NORMAL_CLEARING,
            },
        });
        let hang_up = loop {
            if let Seen::Command(c) = next(&mut seen).await
                && c.call == transit
            {
                break c;
            }
        };
        assert_eq!(
            hang_up.command,
            CallCommand::HangUp {
                cause: Cause::NORMAL_CLEARING
            }
        );
        for _ in 0..100 {
            if coordinator.send(ActiveSessions).await.unwrap() == 0 {
                break;
            }
            tokio::task::yield_now().await;
        }
        assert_eq!(coordinator.send(ActiveSessions).await.unwrap(), 0);
        drop(mobile);
        System::current().stop();
    });
    // The writer thread commits synchronously; give it its own time in real time.
    let store = CdrStore::open(&db_for_check).unwrap();
    let mut cdrs = Vec::new();
    for _ in 0..100 {
        cdrs = store.list(&Filter::default()).unwrap();
        if !cdrs.is_empty() {
            break;
        }
        std::thread::yield_now();
    }
    assert_eq!(cdrs.len(), 1);
    let cdr = &cdrs[0];
    assert_eq!(cdr.outcome, "bridged");
    assert_eq!(cdr.reason, "user_hung_up");
    assert_eq!(cdr.dialled.as_deref(), Some("101"));
    assert_eq!(cdr.extension, "101");
    assert_eq!(cdr.callback_trunk.as_deref(), Some("operator"));
    assert_eq!(cdr.transit_trunk.as_deref(), Some("pbx"));
    assert!(cdr.bridged_seconds >= 30.0, "{}", cdr.bridged_seconds);
    assert_eq!(cdr.triggered_at + 6000, cdr.rejected_at.unwrap());
}

#[test]
fn a_burst_makes_one_callback_and_a_fourth_trigger_in_a_minute_is_refused() {
    let dir = std::env::temp_dir().join(format!("callbackd-actors-burst-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join("cdr.sqlite");
    actix_rt::System::with_tokio_rt(|| paused_runtime().unwrap()).block_on(async move {
        let (coordinator, mut seen, _pool) = node(&db, false);
        let offered = || CallEvent::Offered {
            called: Some(number("48225551000")),
            calling: Some(number("48601111222")),
            cli_trusted: true,
        };
        for call in 1..=4 {
            let trigger = TrunkCall {
                trunk: TrunkId(0),
                call,
            };
            coordinator.do_send(LegEvent {
                call: trigger,
                event: offered(),
            });
        }
        // The first is ringing in its session; the next two change nothing (one callback
        // per burst, refused busy at no cost); the fourth is over max_triggers_per_minute
        // (3 by default) and refused as 403 / cause 21.
        let mut answers = Vec::new();
        while answers.len() < 5 {
            match next(&mut seen).await {
                Seen::Attach(call) => answers.push((call.call, None)),
                Seen::Command(c) => answers.push((c.call.call, Some(c.command))),
                Seen::Originate(..) => panic!("no callback yet"),
            }
        }
        answers.sort_by_key(|(call, _)| *call);
        assert_eq!(
            answers,
            vec![
                (1, None),
                (1, Some(CallCommand::Alert)),
                (
                    2,
                    Some(CallCommand::Reject {
                        cause: Cause::USER_BUSY
                    })
                ),
                (
                    3,
                    Some(CallCommand::Reject {
                        cause: Cause::USER_BUSY
                    })
                ),
                (
                    4,
                    Some(CallCommand::Reject {
                        cause: Cause::CALL_REJECTED
                    })
                ),
            ]
        );
        assert_eq!(coordinator.send(ActiveSessions).await.unwrap(), 1);
        System::current().stop();
    });
}
