//! All media of one call session, in one task.
//!
//! A session has up to three legs; each leg's sockets arrive when its call's media is up.
//! This task owns them: it runs an [`endpoint`](super::endpoint) per leg (tones, digits)
//! and, on request, stops two endpoints and relays between their sockets with a
//! [`bridge`](super::bridge) — and back. The session actor drives it with
//! [`MediaCommand`]s on a bounded channel and hears digits and media timeouts, tagged with
//! the leg, on another; it never waits for the media, and the media never waits for it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use protocols::call::Digit;
use protocols::tone::ToneTable;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::bridge::{self, BridgeHandle};
use super::clock::MediaClock;
use super::endpoint::{self, EndpointCommand, EndpointHandle};
use super::{MediaCounters, MediaEvent, MediaParams, RtpSocket, Side};

/// A leg of the session, as the session numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LegKey(pub u8);

/// What the session asks of its media.
#[derive(Debug)]
pub enum MediaCommand {
    /// A leg's media is up: start an endpoint on its sockets.
    AddLeg(LegKey, RtpSocket, MediaParams),
    /// Play a tone on a leg (ignored while the leg is bridged).
    Play(LegKey, Arc<ToneTable>),
    /// Stop sending on a leg.
    Silence(LegKey),
    /// Send a key as RFC 4733 events on a leg.
    SendDigit(LegKey, Digit),
    /// Relay between two legs.
    Bridge(LegKey, LegKey),
    /// Stop relaying; each leg gets its endpoint back.
    Unbridge,
    /// The leg's call is over: close its sockets.
    DropLeg(LegKey),
}

/// What the media tells the session.
pub type MediaNotice = (LegKey, MediaEvent);

/// Commands queued to one session's media.
const COMMAND_QUEUE: usize = 32;

/// Starts the media task of a session.
pub fn spawn(
    clock: MediaClock,
    counters: Arc<MediaCounters>,
    media_timeout: Duration,
    notices: mpsc::Sender<MediaNotice>,
) -> (mpsc::Sender<MediaCommand>, JoinHandle<()>) {
    let (commands, queue) = mpsc::channel(COMMAND_QUEUE);
    let media = SessionMedia {
        clock,
        counters,
        media_timeout,
        notices,
        legs: HashMap::new(),
        bridge: None,
    };
    (commands, tokio::spawn(media.run(queue)))
}

/// A leg's media: running its endpoint, or lent to the bridge.
enum LegState {
    Endpoint(EndpointHandle, MediaParams),
    Bridged(MediaParams),
}

struct SessionMedia {
    clock: MediaClock,
    counters: Arc<MediaCounters>,
    media_timeout: Duration,
    notices: mpsc::Sender<MediaNotice>,
    legs: HashMap<LegKey, LegState>,
    bridge: Option<(LegKey, LegKey, BridgeHandle)>,
}

impl SessionMedia {
    async fn run(mut self, mut queue: mpsc::Receiver<MediaCommand>) {
        while let Some(command) = queue.recv().await {
            self.apply(command).await;
        }
        self.unbridge().await;
        for (_, state) in self.legs.drain() {
            if let LegState::Endpoint(endpoint, _) = state {
                endpoint.stop().await;
            }
        }
    }

    async fn apply(&mut self, command: MediaCommand) {
        match command {
            MediaCommand::AddLeg(leg, socket, params) => {
                self.drop_leg(leg).await;
                self.start_endpoint(leg, socket, params);
            }
            MediaCommand::Play(leg, table) => self.tell(leg, EndpointCommand::Play(table)).await,
            MediaCommand::Silence(leg) => self.tell(leg, EndpointCommand::Silence).await,
            MediaCommand::SendDigit(leg, digit) => {
                self.tell(leg, EndpointCommand::SendDigit(digit)).await
            }
            MediaCommand::Bridge(a, b) => self.bridge(a, b).await,
            MediaCommand::Unbridge => self.unbridge().await,
            MediaCommand::DropLeg(leg) => self.drop_leg(leg).await,
        }
    }

    async fn tell(&mut self, leg: LegKey, command: EndpointCommand) {
        if let Some(LegState::Endpoint(endpoint, _)) = self.legs.get(&leg) {
            let _ = endpoint.send(command).await;
        }
    }

    fn start_endpoint(&mut self, leg: LegKey, socket: RtpSocket, params: MediaParams) {
        let events = self.forwarder(move |_| leg);
        let endpoint = endpoint::spawn(
            socket,
            params,
            self.clock.clone(),
            events,
            self.counters.clone(),
            self.media_timeout,
        );
        self.legs.insert(leg, LegState::Endpoint(endpoint, params));
    }

    async fn bridge(&mut self, a: LegKey, b: LegKey) {
        if self.bridge.is_some() {
            return;
        }
        let Some(socket_a) = self.lend(a).await else {
            return;
        };
        let Some(socket_b) = self.lend(b).await else {
            // The other leg has no media (yet): give the first its endpoint back.
            self.legs.remove(&a);
            self.start_endpoint(a, socket_a.0, socket_a.1);
            return;
        };
        let events = self.forwarder(move |side| if side == Side::A { a } else { b });
        let handle = bridge::spawn(
            socket_a,
            socket_b,
            events,
            self.counters.clone(),
            self.media_timeout,
        );
        self.bridge = Some((a, b, handle));
    }

    /// Stops a leg's endpoint and takes its sockets for the bridge.
    async fn lend(&mut self, leg: LegKey) -> Option<(RtpSocket, MediaParams)> {
        match self.legs.remove(&leg)? {
            LegState::Endpoint(endpoint, params) => {
                let socket = endpoint.stop().await?;
                self.legs.insert(leg, LegState::Bridged(params));
                Some((socket, params))
            }
            bridged @ LegState::Bridged(_) => {
                self.legs.insert(leg, bridged);
                None
            }
        }
    }

    async fn unbridge(&mut self) {
        let Some((a, b, handle)) = self.bridge.take() else {
            return;
        };
        let Some((socket_a, socket_b)) = handle.stop().await else {
            return;
        };
        for (leg, socket) in [(a, socket_a), (b, socket_b)] {
            if let Some(LegState::Bridged(params)) = self.legs.remove(&leg) {
                self.start_endpoint(leg, socket, params);
            }
        }
    }

    async fn drop_leg(&mut self, leg: LegKey) {
        if self
            .bridge
            .as_ref()
            .is_some_and(|(a, b, _)| *a == leg || *b == leg)
        {
            self.unbridge().await;
        }
        if let Some(LegState::Endpoint(endpoint, _)) = self.legs.remove(&leg) {
            endpoint.stop().await;
        }
    }

    /// A channel for one media task's events, forwarded to the session tagged by leg.
    fn forwarder(
        &self,
        leg_of: impl Fn(Side) -> LegKey + Send + 'static,
    ) -> mpsc::Sender<MediaEvent> {
        let (tx, mut rx) = mpsc::channel::<MediaEvent>(16);
        let notices = self.notices.clone();
        tokio::spawn(async move {
            while let Some(event) = rx.recv().await {
                let leg = match event {
                    MediaEvent::Digit(side, _) => leg_of(side),
                    MediaEvent::Timeout | MediaEvent::ToneStarted(_) => leg_of(Side::A),
                };
                if notices.send((leg, event)).await.is_err() {
                    break;
                }
            }
        });
        tx
    }
}
