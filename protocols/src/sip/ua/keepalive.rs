//! The OPTIONS keepalive towards the peer (RFC 3261 §11): is the trunk up?
//!
//! Every interval one OPTIONS goes to the peer, outside any dialog, unless the previous
//! one is still waiting. Any response — even 401, 404 or 503 — proves the peer is alive:
//! the trunk is up. A request that gets no response at all (Timer F, 64·T1) puts the trunk
//! down. [`UaEvent::TrunkState`] reports each change, the first state included.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::sip::header::{CSeq, CallId as CallIdHeader, From, MaxForwards, To};
use crate::sip::transaction::ClientKey;
use crate::sip::{Message, Method, NameAddr, Uri};

use super::call::Purpose;
use super::compose;
use super::{UaEvent, UserAgent};

/// The keepalive's timer and what it last found.
#[derive(Debug)]
pub struct Keepalive {
    interval: Option<Duration>,
    next_at: Option<Instant>,
    outstanding: Option<ClientKey>,
    up: Option<bool>,
}

impl Keepalive {
    /// A keepalive every `interval`, or none.
    pub fn new(interval: Option<Duration>) -> Keepalive {
        Keepalive {
            interval,
            next_at: None,
            outstanding: None,
            up: None,
        }
    }

    /// When the next OPTIONS is due.
    pub fn due(&self) -> Option<Instant> {
        self.next_at
    }

    /// Records the trunk state; `true` if it changed.
    fn set(&mut self, up: bool) -> bool {
        self.outstanding = None;
        self.up.replace(up) != Some(up)
    }
}

impl UserAgent {
    /// Sends the OPTIONS if it is due and reschedules.
    pub(super) fn keepalive_tick(&mut self, now: Instant) {
        let (Some(interval), Some(peer)) = (self.keepalive.interval, self.config.peer) else {
            return;
        };
        if self.keepalive.next_at.is_some_and(|t| t > now) {
            return;
        }
        self.keepalive.next_at = Some(now + interval);
        if self.keepalive.outstanding.is_some() {
            return;
        }
        let options = self.options_request(peer);
        self.keepalive.outstanding =
            self.send_request(None, Purpose::Keepalive, options, peer, now);
    }

    fn options_request(&mut self, peer: SocketAddr) -> Message {
        let local = self.config.local;
        let target = Uri::Sip(compose::uri(None, peer));
        let from = Uri::Sip(compose::uri(Some("callbackd"), local));
        let via = compose::via(&self.config, &self.ids.branch());
        let call_id = self.ids.call_id(&compose::host(local).to_string());
        let builder = Message::request(Method::Options, target.clone())
            .header(&via)
            .header(&MaxForwards(70))
            .header(&From::new(NameAddr::new(from), &self.ids.tag()))
            .header(&To::new(NameAddr::new(target)))
            .header(&CallIdHeader(call_id))
            .header(&CSeq {
                seq: 1,
                method: Method::Options,
            })
            .raw_header("Accept", "application/sdp");
        compose::capabilities(builder)
            .raw_header("User-Agent", &self.config.user_agent)
            .build()
    }

    pub(super) fn keepalive_answered(&mut self, key: &ClientKey) {
        if self.keepalive.outstanding.as_ref() == Some(key) && self.keepalive.set(true) {
            self.events.push_back(UaEvent::TrunkState(true));
        }
    }

    pub(super) fn keepalive_timed_out(&mut self) {
        if self.keepalive.set(false) {
            self.events.push_back(UaEvent::TrunkState(false));
        }
    }
}
