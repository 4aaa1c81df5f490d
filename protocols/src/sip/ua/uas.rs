//! Incoming calls: the UAS side of the INVITE (RFC 3261 §13.3), CANCEL (§9.2), and the
//! answers to requests outside any dialog.

use std::net::SocketAddr;
use std::time::Instant;

use crate::call::{CallEvent, Cause};
use crate::sdp::SessionDescription;
use crate::sip::header::{ContentType, Require};
use crate::sip::transaction::ServerKey;
use crate::sip::{Message, MessageBuilder};

use super::call::{Call, Phase};
use super::compose;
use super::dialog::Dialog;
use super::error::InputError;
use super::number;
use super::{CallId, UaEvent, UserAgent};

impl UserAgent {
    /// A new INVITE: checks it, opens the call and reports it.
    pub(super) fn on_invite(
        &mut self,
        key: ServerKey,
        request: Message,
        source: SocketAddr,
        now: Instant,
    ) {
        let required: Vec<Require> = request.require().unwrap_or_default();
        if !required.is_empty() {
            let unsupported: Vec<&str> = required.iter().map(|r| r.0.as_str()).collect();
            let response = compose::response(&self.config, &request, 420, None)
                .raw_header("Unsupported", &unsupported.join(", "))
                .build();
            let _ = self.layer.send_response(&key, response, now);
            return;
        }
        let offer = match offered_sdp(&request) {
            Ok(offer) => offer,
            Err(Some(error)) => return self.refuse_request(&key, &request, source, error, now),
            Err(None) => return self.respond_simple(&key, &request, 415, now),
        };
        let tag = self.ids.tag();
        let dialog = match Dialog::as_uas(&request, &tag, source) {
            Ok(d) => d,
            Err(error) => return self.refuse_request(&key, &request, source, error, now),
        };
        let id = self.new_call_id();
        // Trust follows the peer's address, not its port: a gateway may send from a port
        // other than the one it listens on (as Kamailio's trusted table matches by IP).
        let from_peer = self
            .config
            .peer
            .is_some_and(|peer| peer.ip() == source.ip());
        let trusted = self.config.trusted_cli && from_peer;
        let offered = CallEvent::Offered {
            called: number::called(&request),
            calling: number::calling(&request, trusted),
            cli_trusted: trusted,
        };
        self.dialogs
            .insert((dialog.call_id.clone(), tag.clone()), id);
        self.servers.insert(key.clone(), id);
        let mut call = Call::new(true, request, source);
        call.invite_key = Some(key);
        call.dialog = Some(dialog);
        if let Some((bytes, _)) = &offer {
            call.remote_sdp = Some(bytes.clone());
        }
        self.calls.insert(id, call);
        self.emit(id, offered);
        if let Some((_, sdp)) = offer {
            self.events
                .push_back(UaEvent::RemoteMedia(id, Box::new(sdp)));
        }
    }

    /// 400 to a request we cannot use, counted and reported.
    fn refuse_request(
        &mut self,
        key: &ServerKey,
        request: &Message,
        source: SocketAddr,
        error: InputError,
        now: Instant,
    ) {
        self.malformed += 1;
        self.respond_simple(key, request, 400, now);
        self.events.push_back(UaEvent::Malformed { source, error });
    }

    /// A response with nothing but the status (and our Server header).
    pub(super) fn respond_simple(
        &mut self,
        key: &ServerKey,
        request: &Message,
        code: u16,
        now: Instant,
    ) {
        let mut builder = compose::response(&self.config, request, code, None);
        if code == 405 {
            builder = compose::capabilities(builder);
        }
        let _ = self.layer.send_response(key, builder.build(), now);
    }

    /// OPTIONS: 200 with what we support (RFC 3261 §11.2).
    pub(super) fn answer_options(&mut self, key: &ServerKey, request: &Message, now: Instant) {
        let builder = compose::response(&self.config, request, 200, None)
            .raw_header("Accept", "application/sdp, application/dtmf-relay");
        let response = compose::capabilities(builder).build();
        let _ = self.layer.send_response(key, response, now);
    }

    /// Sends a response to the INVITE of the incoming call `id`.
    fn respond_invite(
        &mut self,
        id: CallId,
        code: u16,
        extra: impl FnOnce(MessageBuilder) -> MessageBuilder,
        now: Instant,
    ) {
        let Some(call) = self.calls.get(&id) else {
            return;
        };
        let (Some(key), Some(dialog)) = (call.invite_key.clone(), &call.dialog) else {
            return;
        };
        let builder = compose::response(&self.config, &call.invite, code, Some(&dialog.local_tag));
        let response = extra(builder).build();
        let _ = self.layer.send_response(&key, response, now);
    }

    /// The incoming call `id` if it still awaits our final response.
    fn offered(&self, id: CallId) -> bool {
        self.calls
            .get(&id)
            .is_some_and(|c| c.incoming && c.phase == Phase::Offered)
    }

    pub(super) fn alert(&mut self, id: CallId, now: Instant) {
        if self.offered(id) {
            self.respond_invite(id, 180, |b| b, now);
        }
    }

    pub(super) fn reject(&mut self, id: CallId, cause: Cause, now: Instant) {
        let code = self.config.causes.status_for(cause);
        self.refuse_invite(id, code, cause, now);
    }

    /// `603 Decline`, cause 21.
    pub(super) fn decline(&mut self, id: CallId, now: Instant) {
        self.refuse_invite(id, 603, Cause::CALL_REJECTED, now);
    }

    fn refuse_invite(&mut self, id: CallId, code: u16, cause: Cause, now: Instant) {
        if !self.offered(id) {
            return;
        }
        let reason = compose::reason(cause);
        self.respond_invite(id, code, |b| b.header(&reason), now);
        self.set_phase(id, Phase::Ended);
        self.release(id, cause);
    }

    pub(super) fn answer(&mut self, id: CallId, sdp: SessionDescription, now: Instant) {
        if !self.offered(id) {
            return;
        }
        let body = sdp.encode();
        self.respond_invite(
            id,
            200,
            |b| compose::capabilities(b).body(&ContentType::sdp(), body),
            now,
        );
        if let Some(call) = self.calls.get_mut(&id) {
            call.local_sdp = Some(sdp);
            call.phase = Phase::AwaitingAck;
            call.awaiting_ack = true;
        }
    }

    /// CANCEL (RFC 3261 §9.2): 200 to it, 487 to the INVITE, the call released.
    pub(super) fn on_cancel(
        &mut self,
        key: &ServerKey,
        cancel: &Message,
        invite: &ServerKey,
        now: Instant,
    ) {
        self.respond_simple(key, cancel, 200, now);
        let Some(&id) = self.servers.get(invite) else {
            return;
        };
        if !self.offered(id) {
            return;
        }
        let cause = compose::q850_cause(cancel).unwrap_or(Cause::NORMAL_CLEARING);
        self.respond_invite(id, 487, |b| b, now);
        self.set_phase(id, Phase::Ended);
        self.release(id, cause);
    }

    /// The ACK of our 2xx: the call is answered (or, if hung up meanwhile, cleared).
    pub(super) fn on_ack(&mut self, key: &ServerKey, ack: &Message, now: Instant) {
        let Some(&id) = self.servers.get(key) else {
            return;
        };
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        if !call.awaiting_ack {
            return;
        }
        call.awaiting_ack = false;
        let pending_clear = call.clear_when_possible.take();
        if call.phase == Phase::AwaitingAck {
            call.phase = Phase::Confirmed;
        }
        self.report_remote_sdp(id, ack);
        match pending_clear {
            Some(cause) => self.send_bye(id, cause, now),
            None => self.emit(id, CallEvent::Answered),
        }
    }

    /// Our 2xx was never ACKed (64·T1): end the session with BYE (§13.3.1.4).
    pub(super) fn on_ack_timeout(&mut self, key: &ServerKey, now: Instant) {
        let Some(&id) = self.servers.get(key) else {
            return;
        };
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        if !call.awaiting_ack {
            return;
        }
        call.awaiting_ack = false;
        let cause = call
            .clear_when_possible
            .take()
            .unwrap_or(Cause::RECOVERY_ON_TIMER_EXPIRY);
        self.send_bye(id, cause, now);
        self.release(id, cause);
    }
}

/// The SDP offer of an INVITE: `Ok(None)` without a body, `Err(None)` for a body of
/// another type (415), `Err(Some(_))` for a malformed SDP body (400).
#[allow(clippy::type_complexity)]
fn offered_sdp(
    request: &Message,
) -> Result<Option<(bytes::Bytes, SessionDescription)>, Option<InputError>> {
    if request.body().is_empty() {
        return Ok(None);
    }
    let content_type = request.content_type().ok().flatten();
    if !content_type.is_some_and(|t| t.is("application", "sdp")) {
        return Err(None);
    }
    match crate::sdp::parse(request.body()) {
        Ok(sdp) => Ok(Some((request.body().clone(), sdp))),
        Err(e) => Err(Some(InputError::Sdp(e))),
    }
}
