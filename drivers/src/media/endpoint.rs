//! One leg's media while it is not bridged: tones out, digits in.
//!
//! The task owns the leg's sockets. On every clock tick it sends one 20 ms packet when it
//! has something to say — a tone, or an RFC 4733 key press — and nothing when silent.
//! Received packets are latched (symmetric RTP: answer to where the peer's packets come
//! from, RFC 4961), RFC 4733 events and, if asked, in-band DTMF are turned into
//! [`MediaEvent::Digit`], and a peer that goes quiet for the media timeout is reported
//! once. Dropping the [`EndpointHandle`]'s commands ends the task, which hands its
//! sockets back for a bridge.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use protocols::call::Digit;
use protocols::dtmf::DtmfDetector;
use protocols::rtp::telephone_event::{EventReceiver, EventSender};
use protocols::rtp::{RtpHeader, RtpPacket, is_rtcp};
use protocols::tone::{TonePlayer, ToneTable};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

use super::clock::MediaClock;
use super::{
    FLUSH_EVERY, LocalCounts, MediaCounters, MediaEvent, MediaParams, RtpSocket,
    SAMPLES_PER_PACKET, Side, random_u32,
};

/// Length of a key press the node sends (RFC 4733 events of 100 ms are customary).
const DIGIT_SAMPLES: u16 = 800;
/// Volume of sent events, −dBm0.
const DIGIT_VOLUME: u8 = 10;
/// Key presses waiting to be sent; more are dropped.
const MAX_QUEUED_DIGITS: usize = 32;
/// Payload type for events when the peer negotiated none (never used on the wire: events
/// are only sent when negotiated).
const DEFAULT_EVENT_PT: u8 = 101;

/// What a session asks of an endpoint.
#[derive(Debug, Clone)]
pub enum EndpointCommand {
    /// Play this tone from its start, replacing what plays now.
    Play(Arc<ToneTable>),
    /// Send nothing.
    Silence,
    /// Send a key press as RFC 4733 events (ignored if none were negotiated).
    SendDigit(Digit),
    /// New negotiated parameters (a re-INVITE); resets the latch.
    Update(MediaParams),
}

/// The session's handle on a running endpoint.
#[derive(Debug)]
pub struct EndpointHandle {
    commands: mpsc::Sender<EndpointCommand>,
    task: JoinHandle<RtpSocket>,
}

impl EndpointHandle {
    /// Sends a command; fails only if the task has ended.
    pub async fn send(&self, command: EndpointCommand) -> Result<(), EndpointCommand> {
        self.commands.send(command).await.map_err(|e| e.0)
    }

    /// Stops the task and takes its sockets back.
    pub async fn stop(self) -> Option<RtpSocket> {
        drop(self.commands);
        self.task.await.ok()
    }
}

/// Starts an endpoint on `socket`.
pub fn spawn(
    socket: RtpSocket,
    params: MediaParams,
    clock: MediaClock,
    events: mpsc::Sender<MediaEvent>,
    counters: Arc<MediaCounters>,
    media_timeout: Duration,
) -> EndpointHandle {
    let (commands, rx) = mpsc::channel(16);
    let endpoint = Endpoint::new(params, events, media_timeout);
    let task = tokio::spawn(endpoint.run(socket, rx, clock, counters));
    EndpointHandle { commands, task }
}

struct Endpoint {
    params: MediaParams,
    latched: bool,
    /// The tone to send while no key press is being sent.
    tone: Option<TonePlayer>,
    /// The tone's first packet is still to go out.
    tone_starting: bool,
    /// The key press being sent, and those waiting behind it.
    digit: Option<EventSender>,
    queued: VecDeque<Digit>,
    header: RtpHeader,
    events: mpsc::Sender<MediaEvent>,
    event_rx: EventReceiver,
    detector: Option<DtmfDetector>,
    media_timeout: Duration,
    last_heard: Instant,
    timed_out: bool,
    counts: LocalCounts,
}

impl Endpoint {
    fn new(params: MediaParams, events: mpsc::Sender<MediaEvent>, timeout: Duration) -> Endpoint {
        let header = RtpHeader {
            marker: true,
            payload_type: params.audio_pt,
            sequence: random_u32() as u16,
            timestamp: random_u32(),
            ssrc: random_u32(),
        };
        Endpoint {
            params,
            latched: false,
            tone: None,
            tone_starting: false,
            digit: None,
            queued: VecDeque::new(),
            header,
            events,
            event_rx: EventReceiver::new(),
            detector: params.inband_dtmf.then(DtmfDetector::new),
            media_timeout: timeout,
            last_heard: Instant::now(),
            timed_out: false,
            counts: LocalCounts::default(),
        }
    }

    async fn run(
        mut self,
        socket: RtpSocket,
        mut commands: mpsc::Receiver<EndpointCommand>,
        mut clock: MediaClock,
        counters: Arc<MediaCounters>,
    ) -> RtpSocket {
        let mut buf = vec![0u8; 2048];
        let mut last_tick = clock.now();
        let mut next_flush = Instant::now() + FLUSH_EVERY;
        loop {
            tokio::select! {
                command = commands.recv() => match command {
                    Some(command) => self.apply(command),
                    None => break,
                },
                passed = clock.next(&mut last_tick) => match passed {
                    Some(ticks) => self.tick(&socket, ticks).await,
                    None => break,
                },
                received = socket.rtp.recv_from(&mut buf) => {
                    if let Ok((len, from)) = received {
                        self.receive(&buf[..len], from);
                    }
                }
                _ = sleep_until(self.last_heard + self.media_timeout), if !self.timed_out => {
                    self.timed_out = true;
                    let _ = self.events.try_send(MediaEvent::Timeout);
                }
                _ = sleep_until(next_flush) => {
                    self.counts.flush(&counters);
                    next_flush += FLUSH_EVERY;
                }
            }
        }
        self.counts.flush(&counters);
        socket
    }

    fn apply(&mut self, command: EndpointCommand) {
        match command {
            EndpointCommand::Play(table) => {
                self.tone = Some(TonePlayer::new(table));
                self.tone_starting = true;
            }
            EndpointCommand::Silence => self.tone = None,
            EndpointCommand::SendDigit(digit) if self.params.event_pt.is_some() => {
                if self.queued.len() < MAX_QUEUED_DIGITS {
                    self.queued.push_back(digit);
                }
            }
            EndpointCommand::SendDigit(_) => {}
            EndpointCommand::Update(params) => {
                self.params = params;
                self.latched = false;
                self.detector = params.inband_dtmf.then(DtmfDetector::new);
            }
        }
    }

    /// Sends this tick's packet, if any: a key press in progress (or the next queued
    /// one) before the tone.
    async fn tick(&mut self, socket: &RtpSocket, ticks: u64) {
        let mut packet = [0u8; 12 + SAMPLES_PER_PACKET];
        if self.digit.is_none() {
            self.digit = self.queued.pop_front().map(|digit| {
                EventSender::new(
                    digit,
                    self.header.timestamp,
                    DIGIT_SAMPLES,
                    SAMPLES_PER_PACKET as u16,
                    DIGIT_VOLUME,
                )
            });
        }
        let len = if let Some(sender) = self.digit.as_mut() {
            match sender.next_packet() {
                Some(event) => {
                    let header = RtpHeader {
                        marker: event.marker,
                        payload_type: self.params.event_pt.unwrap_or(DEFAULT_EVENT_PT),
                        timestamp: event.timestamp,
                        ..self.header
                    };
                    header.write(&event.payload, &mut packet)
                }
                None => {
                    // Audio resumes after the event's duration, as a new talkspurt.
                    let duration = u32::from(sender.duration());
                    self.header.timestamp = self.header.timestamp.wrapping_add(duration);
                    self.header.marker = true;
                    self.digit = None;
                    return;
                }
            }
        } else {
            // Time moves on whether or not a packet goes out (RFC 3550 §5.1).
            let step = (SAMPLES_PER_PACKET as u64 * ticks) as u32;
            let Some(player) = self.tone.as_mut() else {
                self.header.timestamp = self.header.timestamp.wrapping_add(step);
                self.header.marker = true;
                return;
            };
            let mut payload = [0u8; SAMPLES_PER_PACKET];
            player.fill(&mut payload);
            self.header.payload_type = self.params.audio_pt;
            let len = self.header.write(&payload, &mut packet);
            self.header.timestamp = self.header.timestamp.wrapping_add(step);
            len
        };
        self.header.marker = false;
        self.header.sequence = self.header.sequence.wrapping_add(1);
        if socket
            .rtp
            .send_to(&packet[..len], self.params.remote)
            .await
            .is_ok()
        {
            self.counts.packets_out += 1;
            if std::mem::take(&mut self.tone_starting) && self.digit.is_none() {
                let _ = self
                    .events
                    .try_send(MediaEvent::ToneStarted(Instant::now()));
            }
        }
    }

    fn receive(&mut self, datagram: &[u8], from: SocketAddr) {
        if is_rtcp(datagram) {
            return;
        }
        let Ok(packet) = RtpPacket::parse(datagram) else {
            self.counts.malformed += 1;
            return;
        };
        self.counts.packets_in += 1;
        self.last_heard = Instant::now();
        self.timed_out = false;
        if !self.latched {
            self.params.remote = from;
            self.latched = true;
        }
        let pt = packet.header.payload_type;
        if Some(pt) == self.params.event_pt {
            match self
                .event_rx
                .receive(packet.header.timestamp, packet.payload)
            {
                Ok(Some(digit)) => self.report(digit),
                Ok(None) => {}
                Err(_) => self.counts.malformed += 1,
            }
        } else if pt == self.params.audio_pt {
            self.detect_inband(packet.payload);
        }
    }

    fn detect_inband(&mut self, payload: &[u8]) {
        let Some(detector) = self.detector.as_mut() else {
            return;
        };
        let mut samples = [0i16; 480];
        let n = payload.len().min(samples.len());
        self.params
            .law
            .decode_block(&payload[..n], &mut samples[..n]);
        let events = &self.events;
        detector.push(&samples[..n], |digit| {
            let _ = events.try_send(MediaEvent::Digit(Side::A, digit));
        });
    }

    fn report(&self, digit: Digit) {
        // The session reads digits promptly; a full channel means it is gone or stuck,
        // and a lost key is then the lesser harm than a blocked media task.
        let _ = self.events.try_send(MediaEvent::Digit(Side::A, digit));
    }
}
