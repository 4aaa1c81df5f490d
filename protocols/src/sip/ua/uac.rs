//! Outgoing calls: the UAC side of the INVITE (RFC 3261 §13.2), with reliable
//! provisional responses (RFC 3262), digest authentication (§22) and CANCEL (§9.1).

use std::net::SocketAddr;
use std::time::Instant;

use crate::call::{CallEvent, Cause, PartyNumber};
use crate::sdp::SessionDescription;
use crate::sip::header::{
    CSeq, CallId as CallIdHeader, ContentType, From, Header, HeaderName, MaxForwards,
    PAssertedIdentity, RAck, To,
};
use crate::sip::transaction::ClientKey;
use crate::sip::transaction::messages::cancel_for;
use crate::sip::{Message, MessageBuilder, Method, NameAddr, Uri};

use super::call::{Call, Phase, Purpose};
use super::compose;
use super::dialog::Dialog;
use super::digest::{self, Request};
use super::number;
use super::{CallId, UserAgent};

impl UserAgent {
    /// Builds and sends the INVITE of a new outgoing call.
    pub(super) fn place_call(
        &mut self,
        id: CallId,
        called: &PartyNumber,
        calling: Option<&PartyNumber>,
        hide_calling: bool,
        offer: SessionDescription,
        now: Instant,
    ) {
        let Some(peer) = self.config.peer else {
            // No peer, no route: a congestion-type cause so the route tries its next trunk.
            self.emit(
                id,
                CallEvent::Released {
                    cause: Cause::NETWORK_OUT_OF_ORDER,
                },
            );
            return;
        };
        let invite = self.initial_invite(peer, called, calling, hide_calling, &offer);
        let mut call = Call::new(false, invite.clone(), peer);
        call.local_sdp = Some(offer);
        if let (Ok(call_id), Ok(from)) = (invite.call_id(), invite.from()) {
            let tag = from.tag().unwrap_or_default().to_owned();
            self.dialogs.insert((call_id.0, tag), id);
        }
        self.calls.insert(id, call);
        let key = self.send_request(Some(id), Purpose::Invite, invite, peer, now);
        match self.calls.get_mut(&id) {
            Some(call) if key.is_some() => call.invite_client = key,
            _ => {
                self.set_phase(id, Phase::Ended);
                self.release(id, Cause::TEMPORARY_FAILURE);
            }
        }
    }

    /// The user part of `number` as this trunk writes numbers, in a `user=phone` URI.
    fn phone_uri(&self, number: &PartyNumber, host: SocketAddr) -> Uri {
        let user = number::user_part(number, self.config.number_format, &self.config.country_code);
        let mut uri = compose::uri(Some(&user), host);
        uri.params = compose::user_phone();
        Uri::Sip(uri)
    }

    fn initial_invite(
        &mut self,
        peer: SocketAddr,
        called: &PartyNumber,
        calling: Option<&PartyNumber>,
        hide_calling: bool,
        offer: &SessionDescription,
    ) -> Message {
        let target = self.phone_uri(called, peer);
        let local = self.config.local;
        let from_addr = match calling {
            Some(n) if !hide_calling => NameAddr::new(self.phone_uri(n, local)),
            _ => number::anonymous_from(),
        };
        let tag = self.ids.tag();
        let call_id = self.ids.call_id(&compose::host(local).to_string());
        let via = compose::via(&self.config, &self.ids.branch());
        let mut builder = Message::request(Method::Invite, target.clone())
            .header(&via)
            .header(&MaxForwards(70))
            .header(&From::new(from_addr, &tag))
            .header(&To::new(NameAddr::new(target)))
            .header(&CallIdHeader(call_id))
            .header(&CSeq {
                seq: 1,
                method: Method::Invite,
            })
            .header(&compose::contact(&self.config));
        if let Some(n) = calling.filter(|_| self.config.trusted_cli) {
            let pai = PAssertedIdentity(NameAddr::new(self.phone_uri(n, local)));
            builder = builder.header(&pai);
        }
        if hide_calling {
            builder = builder.raw_header("Privacy", "id");
        }
        compose::supported(compose::capabilities(builder))
            .raw_header("User-Agent", &self.config.user_agent)
            .body(&ContentType::sdp(), offer.encode())
            .build()
    }

    /// A response to the INVITE of outgoing call `id`.
    pub(super) fn on_invite_response(
        &mut self,
        id: CallId,
        key: &ClientKey,
        response: &Message,
        now: Instant,
    ) {
        let status = response.status().unwrap_or(500);
        match status {
            100..=199 => self.on_provisional(id, status, response, now),
            200..=299 => self.on_success(id, key, response, now),
            401 | 407 if self.retry_with_credentials(id, key, response, now) => {}
            _ => self.on_failure(id, key, response),
        }
    }

    fn on_failure(&mut self, id: CallId, key: &ClientKey, response: &Message) {
        self.clients.remove(key);
        let status = response.status().unwrap_or(500);
        let cause =
            compose::q850_cause(response).unwrap_or_else(|| self.config.causes.cause_for(status));
        if let Some(call) = self.calls.get_mut(&id) {
            call.end_transaction(key);
            call.phase = Phase::Ended;
        }
        self.release(id, cause);
    }

    fn on_provisional(&mut self, id: CallId, status: u16, response: &Message, now: Instant) {
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        if call.phase == Phase::Calling {
            call.phase = Phase::Early;
            if let Some(cause) = call.clear_when_possible.take() {
                return self.send_cancel(id, cause, now);
            }
        }
        if call.released || call.phase != Phase::Early {
            return;
        }
        if status == 100 {
            if !std::mem::replace(&mut call.proceeding_reported, true) {
                self.emit(id, CallEvent::Proceeding);
            }
            return;
        }
        self.early_dialog(id, response);
        if self.is_retransmitted_reliable(id, response) {
            return;
        }
        self.prack_if_reliable(id, response, now);
        let new_sdp = self.report_remote_sdp(id, response);
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        let ringing = (180..=182).contains(&status);
        let first_alert = ringing && !std::mem::replace(&mut call.alerting_reported, true);
        if first_alert {
            self.emit(id, CallEvent::Alerting { in_band: new_sdp });
        }
        if new_sdp {
            self.emit(id, CallEvent::EarlyMedia);
        }
    }

    /// Creates (or, for another fork, replaces) the early dialog of a tagged provisional.
    fn early_dialog(&mut self, id: CallId, response: &Message) {
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        let tag = response.to().ok().and_then(|t| t.tag().map(str::to_owned));
        let known = call.dialog.as_ref().map(|d| d.remote_tag.clone());
        if tag.is_none() || known == Some(tag) {
            return;
        }
        if let Ok(dialog) = Dialog::as_uac(&call.invite, response, call.peer) {
            call.dialog = Some(dialog);
        }
    }

    /// Whether `response` is a reliable provisional already PRACKed.
    fn is_retransmitted_reliable(&self, id: CallId, response: &Message) -> bool {
        let Some(rseq) = reliable_rseq(response) else {
            return false;
        };
        self.calls
            .get(&id)
            .and_then(|c| c.last_rseq)
            .is_some_and(|last| rseq <= last)
    }

    /// PRACK for a reliable provisional (RFC 3262 §4), in its early dialog.
    fn prack_if_reliable(&mut self, id: CallId, response: &Message, now: Instant) {
        let (Some(rseq), Ok(cseq)) = (reliable_rseq(response), response.cseq()) else {
            return;
        };
        if let Some(call) = self.calls.get_mut(&id) {
            call.last_rseq = Some(rseq);
        }
        let Some((builder, destination)) = self.dialog_request(id, Method::Prack) else {
            return;
        };
        let rack = RAck {
            rseq,
            cseq: cseq.seq,
            method: Method::Invite,
        };
        let prack = builder.header(&rack).build();
        self.send_request(Some(id), Purpose::Prack, prack, destination, now);
    }

    /// A 2xx: ACK it (again, for a retransmission); answered, or — if the call was hung
    /// up meanwhile (a 2xx racing the CANCEL) — cleared with BYE.
    fn on_success(&mut self, id: CallId, key: &ClientKey, response: &Message, now: Instant) {
        if self.resend_ack(id, response) {
            return;
        }
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        if call.ack.is_some() {
            let peer = call.peer;
            return self.clear_stray_2xx(response, peer, now); // another fork
        }
        let Ok(mut dialog) = Dialog::as_uac(&call.invite, response, call.peer) else {
            return;
        };
        if let Some(early) = &call.dialog {
            dialog.local_seq = dialog.local_seq.max(early.local_seq);
        }
        let invite_seq = call.invite.cseq().map(|c| c.seq).unwrap_or(1);
        let via = compose::via(&self.config, &self.ids.branch());
        let ack = dialog.ack(invite_seq, &via).build();
        self.layer.send_stateless(&ack, dialog.destination);
        call.ack = Some(ack);
        call.dialog = Some(dialog);
        call.end_transaction(key);
        call.linger_until = Some(now + 64 * self.config.timers.t1);
        let hung_up = call.clear_when_possible.take();
        let released = call.released;
        if released || hung_up.is_some() {
            let cause = hung_up.unwrap_or(Cause::NORMAL_CLEARING);
            self.send_bye(id, cause, now);
            self.set_phase(id, Phase::Ended);
            self.release(id, cause);
            return;
        }
        self.set_phase(id, Phase::Confirmed);
        self.report_remote_sdp(id, response);
        self.emit(id, CallEvent::Answered);
    }

    /// Resends the ACK of call `id` if `response` retransmits the 2xx it answered.
    fn resend_ack(&mut self, id: CallId, response: &Message) -> bool {
        let Some(call) = self.calls.get(&id) else {
            return false;
        };
        let (Some(ack), Some(dialog)) = (&call.ack, &call.dialog) else {
            return false;
        };
        let tag = response.to().ok().and_then(|t| t.tag().map(str::to_owned));
        if tag != dialog.remote_tag {
            return false;
        }
        let (ack, destination) = (ack.clone(), dialog.destination);
        self.layer.send_stateless(&ack, destination);
        true
    }

    /// A 2xx to an INVITE outside any call we hold: ACK it, then BYE (§13.2.2.4).
    pub(super) fn on_stray_response(&mut self, response: &Message, now: Instant) {
        let is_invite_2xx = response.status().is_some_and(|s| (200..300).contains(&s))
            && response.cseq().is_ok_and(|c| c.method == Method::Invite);
        if !is_invite_2xx {
            return;
        }
        let known = response
            .call_id()
            .ok()
            .zip(
                response
                    .from()
                    .ok()
                    .and_then(|f| f.tag().map(str::to_owned)),
            )
            .and_then(|(call_id, tag)| self.dialogs.get(&(call_id.0, tag)).copied());
        if let Some(id) = known
            && self.resend_ack(id, response)
        {
            return;
        }
        let Some(fallback) = self.config.peer else {
            return;
        };
        self.clear_stray_2xx(response, fallback, now);
    }

    fn clear_stray_2xx(&mut self, response: &Message, fallback: SocketAddr, now: Instant) {
        let Ok(mut dialog) = Dialog::as_uac(response, response, fallback) else {
            return;
        };
        let seq = dialog.local_seq;
        let via = compose::via(&self.config, &self.ids.branch());
        let ack = dialog.ack(seq, &via).build();
        self.layer.send_stateless(&ack, dialog.destination);
        let via = compose::via(&self.config, &self.ids.branch());
        let seq = dialog.next_seq();
        let bye = dialog.request(Method::Bye, seq, &via).build();
        self.send_request(None, Purpose::Orphan, bye, dialog.destination, now);
    }

    /// CANCEL the pending INVITE of `id` (only after a provisional, §9.1).
    pub(super) fn send_cancel(&mut self, id: CallId, cause: Cause, now: Instant) {
        let Some(call) = self.calls.get(&id) else {
            return;
        };
        let Some(mut cancel) = cancel_for(&call.invite) else {
            return;
        };
        cancel
            .headers_mut()
            .push(Header::typed(&compose::reason(cause)));
        let peer = call.peer;
        self.send_request(Some(id), Purpose::Cancel, cancel, peer, now);
        if let Some(call) = self.calls.get_mut(&id) {
            call.cancel_deadline = Some(now + 64 * self.config.timers.t1);
        }
    }

    /// Answers a 401 / 407 once with credentials: the same INVITE with CSeq + 1, a new
    /// branch and Authorization / Proxy-Authorization (RFC 3261 §22.2).
    fn retry_with_credentials(
        &mut self,
        id: CallId,
        key: &ClientKey,
        response: &Message,
        now: Instant,
    ) -> bool {
        let Some(credentials) = self.config.credentials.clone() else {
            return false;
        };
        let Some(call) = self.calls.get(&id) else {
            return false;
        };
        if call.auth_tried || call.released {
            return false;
        }
        let proxy = response.status() == Some(407);
        let (challenge_name, answer_name) = if proxy {
            (
                HeaderName::ProxyAuthenticate,
                HeaderName::ProxyAuthorization,
            )
        } else {
            (HeaderName::WwwAuthenticate, HeaderName::Authorization)
        };
        let values = response.headers().named(&challenge_name).map(|h| h.value());
        let Some(challenge) = digest::first_supported(values) else {
            return false;
        };
        let old = call.invite.clone();
        let (Some(line), Ok(cseq)) = (old.request_line(), old.cseq()) else {
            return false;
        };
        let uri = line.uri.to_string();
        let request = Request {
            method: "INVITE",
            uri: &uri,
            body: old.body(),
        };
        let cnonce = self.ids.cnonce();
        let authorization = challenge.authorization(&credentials, request, &cnonce, 1);
        let via = compose::via(&self.config, &self.ids.branch());
        let mut builder = Message::request(Method::Invite, line.uri.clone()).header(&via);
        builder = copy_headers(builder, &old);
        let invite = builder
            .header(&CSeq {
                seq: cseq.seq + 1,
                method: Method::Invite,
            })
            .raw_header(answer_name.as_str(), &authorization);
        let invite = match old.content_type() {
            Ok(Some(ct)) => invite.body(&ct, old.body().clone()),
            _ => invite,
        }
        .build();
        self.clients.remove(key);
        let peer = call.peer;
        if let Some(call) = self.calls.get_mut(&id) {
            call.end_transaction(key);
            call.invite = invite.clone();
            call.auth_tried = true;
        }
        let key = self.send_request(Some(id), Purpose::Invite, invite, peer, now);
        if let Some(call) = self.calls.get_mut(&id) {
            call.invite_client.clone_from(&key);
        }
        key.is_some()
    }
}

/// The headers of `old` that a retried request keeps (not Via, CSeq, credentials, body).
fn copy_headers(mut builder: MessageBuilder, old: &Message) -> MessageBuilder {
    for header in old.headers() {
        let skip = matches!(
            header.name(),
            HeaderName::Via
                | HeaderName::CSeq
                | HeaderName::Authorization
                | HeaderName::ProxyAuthorization
                | HeaderName::ContentLength
                | HeaderName::ContentType
        );
        if !skip {
            builder = builder.raw_header(
                header.name().as_str(),
                &String::from_utf8_lossy(header.value()),
            );
        }
    }
    builder
}

/// The RSeq of a reliable provisional response (`Require: 100rel` and `RSeq`).
fn reliable_rseq(response: &Message) -> Option<u32> {
    let required = response.require().ok()?;
    if !required.iter().any(|r| r.0.eq_ignore_ascii_case("100rel")) {
        return None;
    }
    response.rseq().ok().flatten().map(|r| r.0)
}
