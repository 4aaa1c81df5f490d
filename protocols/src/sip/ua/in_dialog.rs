//! Requests inside a dialog, both ways (RFC 3261 §12.2): BYE, INFO (DTMF), re-INVITE,
//! OPTIONS from the peer; BYE and INFO from us; and clearing a call in any state.

use std::net::SocketAddr;
use std::time::Instant;

use crate::call::{CallEvent, Cause, Digit};
use crate::sip::header::ContentType;
use crate::sip::transaction::ServerKey;
use crate::sip::{Message, MessageBuilder, Method};

use super::call::{Phase, Purpose};
use super::compose;
use super::dtmf_relay;
use super::{CallId, UserAgent};

impl UserAgent {
    /// A request with a To tag: find its dialog (481 if none), check its CSeq (500 if
    /// out of order), then act on it.
    pub(super) fn on_in_dialog(&mut self, key: &ServerKey, request: &Message, now: Instant) {
        let Some(id) = self.dialog_of(request) else {
            return self.respond_simple(key, request, 481, now);
        };
        let seq = request.cseq().map(|c| c.seq).unwrap_or(0);
        let in_order = self
            .calls
            .get_mut(&id)
            .and_then(|c| c.dialog.as_mut())
            .is_some_and(|d| d.accept_remote_seq(seq));
        if !in_order {
            return self.respond_simple(key, request, 500, now);
        }
        match request.method() {
            Some(Method::Bye) => self.on_bye(id, key, request, now),
            Some(Method::Info) => self.on_info(id, key, request, now),
            Some(Method::Invite) => self.on_reinvite(id, key, request, now),
            Some(Method::Options) => self.answer_options(key, request, now),
            Some(Method::Prack) => self.respond_simple(key, request, 481, now),
            _ => self.respond_simple(key, request, 405, now),
        }
    }

    /// The call whose dialog `request` belongs to: Call-ID, our tag (To), theirs (From).
    fn dialog_of(&self, request: &Message) -> Option<CallId> {
        let call_id = request.call_id().ok()?.0;
        let to = request.to().ok()?;
        let local_tag = to.tag()?.to_owned();
        let id = *self.dialogs.get(&(call_id, local_tag))?;
        let from = request.from().ok()?;
        let dialog = self.calls.get(&id)?.dialog.as_ref()?;
        dialog.remote_tag_matches(from.tag()).then_some(id)
    }

    /// BYE: 200, and the call is released with the peer's cause (16 by default). A BYE
    /// in the early dialog of an incoming call also ends its INVITE with 487.
    fn on_bye(&mut self, id: CallId, key: &ServerKey, request: &Message, now: Instant) {
        self.respond_simple(key, request, 200, now);
        let cause = compose::q850_cause(request).unwrap_or(Cause::NORMAL_CLEARING);
        let phase = self.calls.get(&id).map(|c| c.phase);
        if phase == Some(Phase::Offered) {
            self.respond_final_487(id, now);
        }
        if let Some(call) = self.calls.get_mut(&id) {
            call.phase = Phase::Ended;
            call.awaiting_ack = false;
            call.clear_when_possible = None;
        }
        self.release(id, cause);
    }

    fn respond_final_487(&mut self, id: CallId, now: Instant) {
        let Some(call) = self.calls.get(&id) else {
            return;
        };
        let (Some(key), Some(dialog)) = (call.invite_key.clone(), &call.dialog) else {
            return;
        };
        let response =
            compose::response(&self.config, &call.invite, 487, Some(&dialog.local_tag)).build();
        let _ = self.layer.send_response(&key, response, now);
    }

    /// INFO: a DTMF key (dtmf-relay or dtmf) is reported; an empty INFO is accepted; any
    /// other body is 415.
    fn on_info(&mut self, id: CallId, key: &ServerKey, request: &Message, now: Instant) {
        if request.body().is_empty() {
            return self.respond_simple(key, request, 200, now);
        }
        let dtmf = request
            .content_type()
            .ok()
            .flatten()
            .is_some_and(|t| dtmf_relay::is_dtmf_type(&t.mtype, &t.subtype));
        if !dtmf {
            let response = compose::response(&self.config, request, 415, None)
                .raw_header("Accept", "application/dtmf-relay, application/dtmf")
                .build();
            let _ = self.layer.send_response(key, response, now);
            return;
        }
        match dtmf_relay::parse(request.body()) {
            Some(digit) => {
                self.respond_simple(key, request, 200, now);
                let live = self.calls.get(&id).is_some_and(|c| !c.released);
                if live {
                    self.emit(id, CallEvent::Digit(digit));
                }
            }
            None => self.respond_simple(key, request, 400, now),
        }
    }

    /// re-INVITE: 200 with our current description (unchanged, so the same `o=`
    /// version, RFC 3264 §8); 500 while our own INVITE transaction is not done (§14.2).
    fn on_reinvite(&mut self, id: CallId, key: &ServerKey, request: &Message, now: Instant) {
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        if call.phase != Phase::Confirmed {
            let response = compose::response(&self.config, request, 500, None)
                .raw_header("Retry-After", "1")
                .build();
            let _ = self.layer.send_response(key, response, now);
            return;
        }
        if let Some(dialog) = call.dialog.as_mut() {
            dialog.refresh_target(request);
        }
        let body = call.local_sdp.as_ref().map(|s| s.encode());
        let mut builder =
            compose::capabilities(compose::response(&self.config, request, 200, None));
        if let Some(body) = body {
            builder = builder.body(&ContentType::sdp(), body);
        }
        let _ = self.layer.send_response(key, builder.build(), now);
        self.report_remote_sdp(id, request);
    }

    /// A request in the dialog of `id`, with a new branch and the next CSeq.
    pub(super) fn dialog_request(
        &mut self,
        id: CallId,
        method: Method,
    ) -> Option<(MessageBuilder, SocketAddr)> {
        let branch = self.ids.branch();
        let via = compose::via(&self.config, &branch);
        let dialog = self.calls.get_mut(&id)?.dialog.as_mut()?;
        let seq = dialog.next_seq();
        let builder = dialog
            .request(method, seq, &via)
            .raw_header("User-Agent", &self.config.user_agent);
        Some((builder, dialog.destination))
    }

    /// BYE with `Reason: Q.850;cause=N` (RFC 3326).
    pub(super) fn send_bye(&mut self, id: CallId, cause: Cause, now: Instant) {
        let Some((builder, destination)) = self.dialog_request(id, Method::Bye) else {
            return;
        };
        let bye = builder.header(&compose::reason(cause)).build();
        self.send_request(Some(id), Purpose::Bye, bye, destination, now);
    }

    /// INFO `application/dtmf-relay` in a confirmed dialog.
    pub(super) fn send_info_digit(&mut self, id: CallId, digit: Digit, now: Instant) {
        let confirmed = self
            .calls
            .get(&id)
            .is_some_and(|c| c.phase == Phase::Confirmed && !c.released);
        if !confirmed {
            return;
        }
        let Some((builder, destination)) = self.dialog_request(id, Method::Info) else {
            return;
        };
        let content_type = ContentType::new("application", "dtmf-relay");
        let info = builder.body(&content_type, dtmf_relay::body(digit)).build();
        self.send_request(Some(id), Purpose::Info, info, destination, now);
    }

    /// Ends the call `id` in whatever state it is (spec: the engine's `HangUp`).
    pub(super) fn hang_up(&mut self, id: CallId, cause: Cause, now: Instant) {
        let Some(call) = self.calls.get(&id) else {
            return;
        };
        if call.released {
            return;
        }
        match call.phase {
            Phase::Offered => return self.reject(id, cause, now),
            Phase::AwaitingAck => {
                if let Some(call) = self.calls.get_mut(&id) {
                    call.clear_when_possible = Some(cause);
                }
            }
            Phase::Calling => {
                if let Some(call) = self.calls.get_mut(&id) {
                    call.clear_when_possible = Some(cause);
                }
            }
            Phase::Early => self.send_cancel(id, cause, now),
            Phase::Confirmed => {
                self.send_bye(id, cause, now);
                self.set_phase(id, Phase::Ended);
            }
            Phase::Ended => {}
        }
        self.release(id, cause);
    }
}
