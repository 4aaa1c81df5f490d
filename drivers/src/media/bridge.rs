//! The RTP relay between the two legs of a bridged call.
//!
//! One task owns both legs' sockets and forwards each packet as it arrives — no tick, no
//! buffering, no actor in the path. Audio payload types are mapped from one leg's
//! negotiation to the other's and re-encoded when the legs chose different G.711 laws;
//! RFC 4733 events are mapped to the other leg's event payload type (or dropped if it has
//! none) and also reported to the session, which watches the user's keys (`**`). RTCP is
//! relayed port to port. Each side latches to where its peer's packets come from.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use protocols::rtp::telephone_event::EventReceiver;
use protocols::rtp::{is_rtcp, parse_header, set_payload_type};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

use super::{FLUSH_EVERY, LocalCounts, MediaCounters, MediaEvent, MediaParams, RtpSocket, Side};

/// Largest datagram relayed; larger ones are counted as malformed and dropped.
const MAX_DATAGRAM: usize = 1500;

/// The session's handle on a running bridge.
#[derive(Debug)]
pub struct BridgeHandle {
    stop: mpsc::Sender<()>,
    task: JoinHandle<(RtpSocket, RtpSocket)>,
}

impl BridgeHandle {
    /// Stops relaying and hands both legs' sockets back (A first).
    pub async fn stop(self) -> Option<(RtpSocket, RtpSocket)> {
        drop(self.stop);
        self.task.await.ok()
    }
}

/// One side of the bridge: its sockets, what it negotiated, where its peer is.
struct Leg {
    socket: RtpSocket,
    params: MediaParams,
    latched: bool,
    events: EventReceiver,
}

impl Leg {
    fn new(socket: RtpSocket, params: MediaParams) -> Leg {
        Leg {
            socket,
            params,
            latched: false,
            events: EventReceiver::new(),
        }
    }

    fn latch(&mut self, from: SocketAddr) {
        if !self.latched {
            self.params.remote = from;
            self.latched = true;
        }
    }

    /// The peer's RTCP address: the port above its RTP port (RFC 3550 §11).
    fn rtcp_remote(&self) -> SocketAddr {
        let mut addr = self.params.remote;
        addr.set_port(addr.port().wrapping_add(1));
        addr
    }
}

/// Starts relaying between legs `a` and `b`.
pub fn spawn(
    a: (RtpSocket, MediaParams),
    b: (RtpSocket, MediaParams),
    events: mpsc::Sender<MediaEvent>,
    counters: Arc<MediaCounters>,
    media_timeout: Duration,
) -> BridgeHandle {
    let (stop, stopped) = mpsc::channel(1);
    let relay = Relay {
        a: Leg::new(a.0, a.1),
        b: Leg::new(b.0, b.1),
        events,
        counts: LocalCounts::default(),
        media_timeout,
    };
    let task = tokio::spawn(relay.run(stopped, counters));
    BridgeHandle { stop, task }
}

struct Relay {
    a: Leg,
    b: Leg,
    events: mpsc::Sender<MediaEvent>,
    counts: LocalCounts,
    media_timeout: Duration,
}

impl Relay {
    async fn run(
        mut self,
        mut stopped: mpsc::Receiver<()>,
        counters: Arc<MediaCounters>,
    ) -> (RtpSocket, RtpSocket) {
        let mut buf_a = vec![0u8; MAX_DATAGRAM + 1];
        let mut buf_b = vec![0u8; MAX_DATAGRAM + 1];
        let mut rtcp_a = vec![0u8; MAX_DATAGRAM + 1];
        let mut rtcp_b = vec![0u8; MAX_DATAGRAM + 1];
        let mut last_heard = Instant::now();
        let mut timed_out = false;
        let mut next_flush = Instant::now() + FLUSH_EVERY;
        loop {
            tokio::select! {
                _ = stopped.recv() => break,
                r = self.a.socket.rtp.recv_from(&mut buf_a) => if let Ok((len, from)) = r {
                    last_heard = Instant::now();
                    timed_out = false;
                    self.relay(Side::A, &mut buf_a, len, from).await;
                },
                r = self.b.socket.rtp.recv_from(&mut buf_b) => if let Ok((len, from)) = r {
                    last_heard = Instant::now();
                    timed_out = false;
                    self.relay(Side::B, &mut buf_b, len, from).await;
                },
                r = self.a.socket.rtcp.recv_from(&mut rtcp_a) => if let Ok((len, _)) = r {
                    let to = self.b.rtcp_remote();
                    let _ = self.b.socket.rtcp.send_to(&rtcp_a[..len.min(MAX_DATAGRAM)], to).await;
                },
                r = self.b.socket.rtcp.recv_from(&mut rtcp_b) => if let Ok((len, _)) = r {
                    let to = self.a.rtcp_remote();
                    let _ = self.a.socket.rtcp.send_to(&rtcp_b[..len.min(MAX_DATAGRAM)], to).await;
                },
                _ = sleep_until(last_heard + self.media_timeout), if !timed_out => {
                    timed_out = true;
                    let _ = self.events.try_send(MediaEvent::Timeout);
                }
                _ = sleep_until(next_flush) => {
                    self.counts.flush(&counters);
                    next_flush += FLUSH_EVERY;
                }
            }
        }
        self.counts.flush(&counters);
        (self.a.socket, self.b.socket)
    }

    /// Forwards one datagram received on `from_side` to the other leg.
    async fn relay(&mut self, from_side: Side, buf: &mut [u8], len: usize, from: SocketAddr) {
        let (src, dst) = match from_side {
            Side::A => (&mut self.a, &mut self.b),
            Side::B => (&mut self.b, &mut self.a),
        };
        let datagram = &mut buf[..len];
        if len > MAX_DATAGRAM || is_rtcp(datagram) {
            self.counts.malformed += u64::from(len > MAX_DATAGRAM);
            return;
        }
        let Ok((header, payload)) = parse_header(datagram) else {
            self.counts.malformed += 1;
            return;
        };
        self.counts.packets_in += 1;
        src.latch(from);
        let pt = header.payload_type;
        let out_pt = if pt == src.params.audio_pt {
            src.params
                .law
                .transcode(dst.params.law, &mut datagram[payload]);
            dst.params.audio_pt
        } else if Some(pt) == src.params.event_pt {
            let digit = src.events.receive(header.timestamp, &datagram[payload]);
            if let Ok(Some(digit)) = digit {
                let _ = self.events.try_send(MediaEvent::Digit(from_side, digit));
            }
            match dst.params.event_pt {
                Some(out) => out,
                None => return,
            }
        } else {
            // Comfort noise and anything else negotiated passes unchanged.
            pt
        };
        set_payload_type(datagram, out_pt);
        if dst
            .socket
            .rtp
            .send_to(datagram, dst.params.remote)
            .await
            .is_ok()
        {
            self.counts.packets_out += 1;
        }
    }
}
