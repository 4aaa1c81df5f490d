//! The SIP trunk actor: one per `[[trunk]] kind = "sip"`.
//!
//! It owns the trunk's transport (UDP, or TCP connections: [`transport`]) and RTP port
//! range and wraps the sans-IO
//! [`UserAgent`](protocols::sip::ua::UserAgent): datagrams in, transmits out, one timer at
//! the agent's next deadline. Calls' events go to their owner (the coordinator until a
//! session attaches); when a call's SDP is settled the actor hands the call's RTP sockets
//! and negotiated parameters to the owner, so media never passes through here.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use actix::prelude::*;
use config::SipLink;
use protocols::call::{CallCommand, CallEvent, Cause};
use protocols::sdp::{LocalMedia, Negotiated, SessionDescription, accept_answer};
use protocols::sip::ua::{CallId, UaCommand, UaConfig, UaEvent, UserAgent};

use self::transport::{Link, Received, Sink, SipTransport};

use crate::media::{MediaParams, PortPool, RtpSocket};
use crate::trunk::{
    Attach, CallOwner, Command, LegEvent, LegMedia, Originate, TrunkCall, TrunkHandle, TrunkId,
    TrunkStatus,
};

pub mod transport;

/// How often malformed input from one address is logged.
const MALFORMED_LOG_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// The methods counted per trunk (`method` label of `callbackd_sip_messages_total`);
/// responses count under their CSeq method.
pub const METHODS: [&str; 12] = [
    "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "INFO", "PRACK", "UPDATE", "REFER", "NOTIFY",
    "REGISTER", "other",
];

/// Message counts of one SIP trunk, read by the metrics endpoint.
#[derive(Debug, Default)]
pub struct SipCounters {
    /// `[0]` received, `[1]` sent; indexed like [`METHODS`].
    pub messages: [[AtomicU64; METHODS.len()]; 2],
    pub malformed: AtomicU64,
}

impl SipCounters {
    fn count(&self, direction: usize, message: &[u8]) {
        self.messages[direction][method_index(message)].fetch_add(1, Ordering::Relaxed);
    }
}

/// The method of a request, or the CSeq method of a response.
fn method_index(message: &[u8]) -> usize {
    let token = if message.starts_with(b"SIP/") {
        cseq_method(message)
    } else {
        message.split(|&b| b == b' ').next()
    };
    let other = METHODS.len() - 1;
    token
        .and_then(|t| METHODS[..other].iter().position(|m| m.as_bytes() == t))
        .unwrap_or(other)
}

fn cseq_method(message: &[u8]) -> Option<&[u8]> {
    let line = message
        .split(|&b| b == b'\n')
        .find(|l| l.len() > 5 && (l[..5].eq_ignore_ascii_case(b"CSeq:")))?;
    let value = &line[5..];
    let method = value
        .split(|&b| b == b' ' || b == b'\r')
        .filter(|t| !t.is_empty())
        .nth(1)?;
    Some(method)
}

/// What the SIP trunk knows about one call.
struct Call {
    owner: Option<CallOwner>,
    /// The RTP sockets, until they are handed to the owner.
    rtp: Option<RtpSocket>,
    local: LocalMedia,
    /// Our offer (outgoing calls), to check the answer against.
    offer: Option<SessionDescription>,
    /// The peer's offer (incoming calls), answered on `Answer`.
    remote_offer: Option<SessionDescription>,
}

pub struct SipTrunk {
    id: TrunkId,
    name: String,
    ua: UserAgent,
    transport: Option<SipTransport>,
    sink: Option<Sink>,
    local_ip: std::net::IpAddr,
    ports: Arc<PortPool>,
    calls: HashMap<CallId, Call>,
    /// Owner of calls no session has claimed yet.
    default_owner: CallOwner,
    status: Recipient<TrunkStatus>,
    timer: Option<SpawnHandle>,
    counters: Arc<SipCounters>,
    /// When malformed input from each address was last logged.
    malformed_logged: HashMap<std::net::IpAddr, Instant>,
}

impl SipTrunk {
    /// Binds the trunk's socket and starts the actor.
    pub async fn start(
        id: TrunkId,
        name: &str,
        link: &SipLink,
        ua: UaConfig,
        default_owner: CallOwner,
        status: Recipient<TrunkStatus>,
        counters: Arc<SipCounters>,
    ) -> std::io::Result<TrunkHandle> {
        let (low, high) = (link.rtp_ports.low(), link.rtp_ports.high());
        let ports = Arc::new(PortPool::new(link.listen.ip(), low, high));
        let seed = seed(name);
        let trunk = SipTrunk {
            id,
            name: name.to_owned(),
            ua: UserAgent::new(ua, seed),
            transport: None,
            sink: None,
            local_ip: link.listen.ip(),
            ports,
            calls: HashMap::new(),
            default_owner,
            status,
            timer: None,
            counters,
            malformed_logged: HashMap::new(),
        };
        let context = Context::<SipTrunk>::new();
        let addr = context.address();
        let sink = Sink {
            received: addr.clone().recipient(),
            links: addr.clone().recipient(),
        };
        let tcp = link.transport == config::Transport::Tcp;
        let transport = SipTransport::bind(link.listen, tcp, sink.clone()).await?;
        let mut trunk = trunk;
        trunk.transport = Some(transport);
        trunk.sink = Some(sink);
        context.run(trunk);
        Ok(TrunkHandle {
            id,
            name: name.to_owned(),
            originate: addr.clone().recipient(),
            command: addr.clone().recipient(),
            attach: addr.recipient(),
        })
    }

    /// Logs malformed input at most once per peer per minute (spec §6).
    fn log_malformed(&mut self, source: SocketAddr, error: &str) {
        let now = Instant::now();
        let last = self.malformed_logged.get(&source.ip());
        if last.is_some_and(|&t| now.duration_since(t) < MALFORMED_LOG_EVERY) {
            return;
        }
        self.malformed_logged.insert(source.ip(), now);
        if self.malformed_logged.len() > 10_000 {
            self.malformed_logged
                .retain(|_, t| now.duration_since(*t) < MALFORMED_LOG_EVERY);
        }
        tracing::warn!(trunk = %self.name, %source, error, "malformed SIP input refused");
    }

    fn trunk_call(&self, call: CallId) -> TrunkCall {
        TrunkCall {
            trunk: self.id,
            call: call.0,
        }
    }

    /// Sends what the agent wants sent, delivers its events, re-arms the timer.
    fn drive(&mut self, ctx: &mut Context<Self>) {
        while let Some(transmit) = self.ua.poll_transmit() {
            self.counters.count(1, &transmit.payload);
            if let (Some(transport), Some(sink)) = (self.transport.as_mut(), self.sink.as_ref()) {
                transport.send(transmit.destination, transmit.payload, sink);
            }
        }
        while let Some(event) = self.ua.poll_event() {
            self.deliver(event);
        }
        if let Some(timer) = self.timer.take() {
            ctx.cancel_future(timer);
        }
        if let Some(deadline) = self.ua.poll_timeout() {
            let wait = deadline.saturating_duration_since(now());
            self.timer = Some(ctx.run_later(wait, |act, ctx| {
                act.timer = None;
                act.ua.handle_timeout(now());
                act.drive(ctx);
            }));
        }
    }

    fn deliver(&mut self, event: UaEvent) {
        match event {
            UaEvent::Call(call, event) => self.call_event(call, event),
            UaEvent::RemoteMedia(call, sdp) => self.remote_media(call, *sdp),
            UaEvent::TrunkState(up) => self.status.do_send(TrunkStatus { trunk: self.id, up }),
            UaEvent::Malformed { source, error } => {
                self.counters.malformed.fetch_add(1, Ordering::Relaxed);
                self.log_malformed(source, &error.to_string());
            }
        }
    }

    fn call_event(&mut self, id: CallId, event: CallEvent) {
        let call = self.trunk_call(id);
        if let CallEvent::Offered { .. } = event {
            self.calls.insert(
                id,
                Call {
                    owner: None,
                    rtp: None,
                    local: self.local_media(),
                    offer: None,
                    remote_offer: None,
                },
            );
        }
        let released = matches!(event, CallEvent::Released { .. });
        let owner = self
            .calls
            .get(&id)
            .and_then(|c| c.owner.clone())
            .unwrap_or_else(|| self.default_owner.clone());
        owner.events.do_send(LegEvent { call, event });
        if released {
            self.calls.remove(&id);
        }
    }

    /// The peer's SDP: an offer to keep for `Answer`, or the answer to our offer, which
    /// settles the media.
    fn remote_media(&mut self, id: CallId, sdp: SessionDescription) {
        let trunk_call = self.trunk_call(id);
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        let Some(offer) = &call.offer else {
            call.remote_offer = Some(sdp);
            return;
        };
        match accept_answer(offer, &sdp) {
            Ok(negotiated) => {
                let owner = call
                    .owner
                    .clone()
                    .unwrap_or_else(|| self.default_owner.clone());
                if let Some(socket) = call.rtp.take()
                    && let Some(params) = media_params(&negotiated)
                {
                    owner.media.do_send(LegMedia {
                        call: trunk_call,
                        socket,
                        params,
                    });
                }
            }
            Err(error) => {
                tracing::warn!(trunk = %self.name, call = id.0, %error, "unusable SDP answer; hanging up");
                self.ua.command(
                    id,
                    UaCommand::HangUp(Cause::BEARER_CAPABILITY_NOT_AVAILABLE),
                    now(),
                );
            }
        }
    }

    fn local_media(&self) -> LocalMedia {
        LocalMedia::new(self.ports_ip(), 0)
    }

    fn ports_ip(&self) -> std::net::IpAddr {
        self.local_ip
    }

    fn answer(&mut self, id: CallId, ctx: &mut Context<Self>) {
        let ports = self.ports.clone();
        let fut = async move { ports.allocate().await };
        ctx.spawn(fut.into_actor(self).map(move |socket, act, ctx| {
            let trunk_call = act.trunk_call(id);
            let Some(call) = act.calls.get_mut(&id) else {
                return;
            };
            let (Ok(socket), Some(offer)) = (socket, call.remote_offer.clone()) else {
                act.ua
                    .command(id, UaCommand::HangUp(Cause::RESOURCE_UNAVAILABLE), now());
                act.drive(ctx);
                return;
            };
            let port = socket.local_addr().map_or(0, |a| a.port());
            call.local.port = port;
            match call.local.answer(&offer, session_id(), 1) {
                Ok(answer) => {
                    let owner = call
                        .owner
                        .clone()
                        .unwrap_or_else(|| act.default_owner.clone());
                    if let Some(params) = media_params(&answer.negotiated) {
                        owner.media.do_send(LegMedia {
                            call: trunk_call,
                            socket,
                            params,
                        });
                    }
                    act.ua
                        .command(id, UaCommand::Answer(Box::new(answer.sdp)), now());
                }
                Err(_) => act.ua.command(
                    id,
                    UaCommand::Reject(Cause::BEARER_CAPABILITY_NOT_AVAILABLE),
                    now(),
                ),
            }
            act.drive(ctx);
        }));
    }
}

fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

fn seed(name: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write(name.as_bytes());
    hasher.finish()
}

fn session_id() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs())
}

/// The media path's view of a negotiation.
fn media_params(n: &Negotiated) -> Option<MediaParams> {
    let remote = n.remote_rtp()?;
    Some(MediaParams {
        remote,
        law: n.law,
        audio_pt: n.payload_type,
        event_pt: n.telephone_event,
        inband_dtmf: n.telephone_event.is_none(),
    })
}

impl Actor for SipTrunk {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        self.ua.start(now());
        if self.ua.config().keepalive.is_none() {
            // Without a keepalive there is nothing to wait for: the socket is up.
            self.status.do_send(TrunkStatus {
                trunk: self.id,
                up: true,
            });
        }
        self.drive(ctx);
    }
}

impl Handler<Link> for SipTrunk {
    type Result = ();

    fn handle(&mut self, link: Link, _: &mut Context<Self>) {
        if let Some(transport) = self.transport.as_mut() {
            transport.link(link);
        }
    }
}

impl Handler<Received> for SipTrunk {
    type Result = ();

    fn handle(&mut self, Received(bytes, source): Received, ctx: &mut Context<Self>) {
        self.counters.count(0, &bytes);
        self.ua.handle_input(bytes, source, now());
        self.drive(ctx);
    }
}

impl Handler<Originate> for SipTrunk {
    type Result = ResponseActFuture<Self, Result<TrunkCall, Cause>>;

    fn handle(&mut self, msg: Originate, _: &mut Context<Self>) -> Self::Result {
        let ports = self.ports.clone();
        Box::pin(async move { ports.allocate().await }.into_actor(self).map(
            move |socket, act, ctx| {
                let socket = socket.map_err(|_| Cause::RESOURCE_UNAVAILABLE)?;
                let mut local = act.local_media();
                local.port = socket.local_addr().map_or(0, |a| a.port());
                let offer = local.offer(session_id(), 1);
                let id = act.ua.originate(
                    &msg.called,
                    msg.calling.as_ref(),
                    msg.hide_calling,
                    offer.clone(),
                    now(),
                );
                act.calls.insert(
                    id,
                    Call {
                        owner: Some(msg.owner),
                        rtp: Some(socket),
                        local,
                        offer: Some(offer),
                        remote_offer: None,
                    },
                );
                act.drive(ctx);
                Ok(act.trunk_call(id))
            },
        ))
    }
}

impl Handler<Command> for SipTrunk {
    type Result = ();

    fn handle(&mut self, msg: Command, ctx: &mut Context<Self>) {
        let id = CallId(msg.call.call);
        let command = match msg.command {
            CallCommand::Alert => UaCommand::Alert,
            CallCommand::Reject { cause } => UaCommand::Reject(cause),
            CallCommand::Decline => UaCommand::Decline,
            CallCommand::HangUp { cause } => UaCommand::HangUp(cause),
            CallCommand::SendDigit(digit) => UaCommand::SendInfoDigit(digit),
            CallCommand::Answer => return self.answer(id, ctx),
            CallCommand::Originate { .. } => return,
        };
        self.ua.command(id, command, now());
        self.drive(ctx);
    }
}

impl Handler<Attach> for SipTrunk {
    type Result = ();

    fn handle(&mut self, msg: Attach, _: &mut Context<Self>) {
        if let Some(call) = self.calls.get_mut(&CallId(msg.call.call)) {
            call.owner = Some(msg.owner);
        }
    }
}
